// Tensor: float32, row-major (C order), any rank up to 4. Convolution and pooling take NCHW (rank 4) or an
// unbatched CHW (rank 3), exactly as PyTorch does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/support/result.hpp"

namespace convscope {

using Shape = std::vector<int64_t>;

// "1×5×24×24"
std::string shape_to_string(const Shape& shape);

// Number of elements of a shape, or -1 when a dimension is negative or the product overflows the limits.
int64_t shape_numel(const Shape& shape);

struct Tensor {
    Shape shape;
    std::vector<float> data;

    Tensor() = default;
    Tensor(Shape s, std::vector<float> d) : shape(std::move(s)), data(std::move(d)) {}

    // A tensor of the given shape filled with `fill`; the shape must be within limits (programmer error
    // otherwise).
    static Tensor filled(Shape shape, float fill = 0.0f);
    // Checks the shape against limits::kMaxTensorElements before allocating.
    static Result<Tensor> try_filled(Shape shape, float fill = 0.0f);

    int64_t numel() const { return int64_t(data.size()); }
    int rank() const { return int(shape.size()); }
    int64_t dim(int i) const { return shape[size_t(i)]; }

    // Element access for rank-4 (NCHW) tensors.
    float& at(int64_t n, int64_t c, int64_t y, int64_t x) {
        return data[size_t(((n * shape[1] + c) * shape[2] + y) * shape[3] + x)];
    }
    float at(int64_t n, int64_t c, int64_t y, int64_t x) const {
        return data[size_t(((n * shape[1] + c) * shape[2] + y) * shape[3] + x)];
    }

    bool operator==(const Tensor&) const = default;
};

// A view of a rank-3 tensor as 1×C×H×W (same data, shape changed); rank 4 is returned as is.
Tensor as_batched(Tensor t);

std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace convscope
