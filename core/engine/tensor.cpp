#include "core/engine/tensor.hpp"

#include <ostream>

#include "core/support/limits.hpp"

namespace convscope {

std::string shape_to_string(const Shape& shape) {
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += "×";
        s += std::to_string(shape[i]);
    }
    return s.empty() ? "scalar" : s;
}

int64_t shape_numel(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0 || d > limits::kMaxDim) return -1;
        if (d != 0 && n > limits::kMaxTensorElements / d) return -1;
        n *= d;
    }
    return n > limits::kMaxTensorElements ? -1 : n;
}

Tensor Tensor::filled(Shape shape, float fill) {
    const int64_t n = shape_numel(shape);
    assert(n >= 0 && "tensor shape beyond limits");
    return Tensor(std::move(shape), std::vector<float>(size_t(n), fill));
}

Result<Tensor> Tensor::try_filled(Shape shape, float fill) {
    if (shape_numel(shape) < 0)
        return fail<ErrCode::tensor_over_limit>(shape_to_string(shape), limits::kMaxTensorElements);
    return filled(std::move(shape), fill);
}

Tensor as_batched(Tensor t) {
    if (t.rank() == 3) t.shape.insert(t.shape.begin(), 1);
    return t;
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
    os << "Tensor(" << shape_to_string(t.shape) << ") [";
    const size_t shown = std::min<size_t>(t.data.size(), 32);
    for (size_t i = 0; i < shown; ++i) os << (i ? ", " : "") << t.data[i];
    if (shown < t.data.size()) os << ", …";
    return os << "]";
}

}  // namespace convscope
