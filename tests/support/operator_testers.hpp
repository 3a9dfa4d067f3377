// One tester per operation, after XNNPACK's ConvolutionOperatorTester: a builder (shapes, parameters, seed)
// makes replicable data; test() computes the reference, runs the backend, and verifies within a tolerance;
// test_into() runs an entry point that writes into a buffer the tester pre-fills with NaN, so an element that
// is never written shows. A failure names the problem, then the position (n, c, y, x), the expected and the
// actual value. Where the reference refuses the problem, the backend must refuse it with the same message.
// ConvTester (conv2d), PoolTester (pool2d), ConvTransposeTester (conv_transpose2d; random_conv_transpose
// draws one over every parameter).
//
//   CHECK(ConvTester().input({1, 3, 20, 37}).weight({8, 3, 3, 3}).bias().padding(Padding(1)).seed(7)
//             .test(*find_backend("simd").value()) == "");
#pragma once

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/params.hpp"
#include "core/engine/tensor.hpp"
#include "support/testing.hpp"

namespace convscope::testing {

// How close an answer must be: |a − e| ≤ atol + rtol·R, where R is |e| (Scale::Value) or, for conv, the
// magnitude of the terms M = Σ|x·w| + |b| (Scale::Magnitude): sums taken in another order, or with fused
// multiply-adds, round with M, not with the possibly cancelled result. {0, 0}: bit-identical (NaN matches
// NaN, ±inf must be equal either way).
struct Tolerance {
    enum class Scale { Value, Magnitude };
    float rtol = 1e-5f, atol = 1e-5f;
    Scale scale = Scale::Value;

    static Tolerance exact() { return {0.0f, 0.0f, Scale::Value}; }
    static Tolerance of_value(float rtol, float atol) { return {rtol, atol, Scale::Value}; }
    static Tolerance of_magnitude(float rtol, float atol) { return {rtol, atol, Scale::Magnitude}; }
};

// Empty when every element of `actual` is within `tol` of `expected` (`scale` holds R per element; ignored
// for Scale::Value); otherwise "at (n=…, c=…, y=…, x=…): expected E, got A" for the first one that is not.
inline std::string verify(const Tensor& expected, const Tensor& actual, const Tolerance& tol,
                          const Tensor* scale = nullptr) {
    if (tol.scale == Tolerance::Scale::Value || !scale) return mismatch(expected, actual, tol.rtol, tol.atol);
    if (expected.shape != actual.shape)
        return "shape " + shape_to_string(actual.shape) + ", expected " + shape_to_string(expected.shape);
    for (size_t i = 0; i < expected.data.size(); ++i) {
        const float e = expected.data[i], a = actual.data[i];
        const bool same = std::isnan(e) ? std::isnan(a)
                          : std::isinf(e)
                              ? a == e
                              : std::fabs(a - e) <= tol.atol + tol.rtol * scale->data[i];  // NaN fails
        if (!same)
            return "at " + position(expected.shape, int64_t(i)) + ": expected " + std::to_string(e) +
                   ", got " + std::to_string(a);
    }
    return "";
}

// The verdict of test(): "" when `actual` agrees with `expected` (both refused with the same message, or
// outputs that `verify_outputs(expected, actual)` finds equal), else `what` (the problem) and what differs.
// `answered` counts the problems that had an answer.
template <class VerifyOutputs>
std::string verdict(const std::string& what, const Backend& backend, const Result<Tensor>& expected,
                    const Result<Tensor>& actual, int* answered, VerifyOutputs&& verify_outputs) {
    const std::string name(backend.name());
    if (!expected) {
        if (actual) return what + ": " + name + " answered where the reference refused: " + expected.error();
        if (actual.error() != expected.error())
            return what + ": error '" + actual.error() + "', expected '" + expected.error() + "'";
        return "";
    }
    if (!actual) return what + ": " + name + " failed: " + actual.error();
    if (answered) ++*answered;
    const std::string m = verify_outputs(*expected, *actual);
    return m.empty() ? "" : what + ": " + name + " " + m;
}

// The verdict of test_into(): runs `into(out)` on an output of `shape` pre-filled with NaN and compares it
// with `expected` (the reference's answer, which must exist); `name` says which entry point in a failure.
template <class Into, class VerifyOutputs>
std::string verdict_into(const std::string& what, const std::string& name, const Shape& shape,
                         const Result<Tensor>& expected, Into&& into, VerifyOutputs&& verify_outputs) {
    if (!expected) return what + ": the reference failed: " + expected.error();
    Tensor out = Tensor::filled(shape, std::numeric_limits<float>::quiet_NaN());
    into(out.data.data());
    const std::string m = verify_outputs(*expected, out);
    return m.empty() ? "" : what + ": " + name + " " + m;
}

// [SECTION] Conv2d

class ConvTester {
public:
    // An entry point that writes a validated plan's output into `out` (plan.output_shape() floats).
    using IntoFn =
        std::function<void(const ConvPlan&, const float* x, const float* w, const float* b, float* out)>;

    ConvTester& input(Shape x) { return m_x = std::move(x), *this; }
    ConvTester& weight(Shape w) { return m_w = std::move(w), *this; }
    ConvTester& bias(bool with = true) { return m_bias = with, *this; }
    ConvTester& params(const Conv2dParams& p) { return m_p = p, *this; }
    ConvTester& stride(Pair s) { return m_p.stride = s, *this; }
    ConvTester& padding(Padding p) { return m_p.padding = p, *this; }
    ConvTester& dilation(Pair d) { return m_p.dilation = d, *this; }
    ConvTester& groups(int64_t g) { return m_p.groups = g, *this; }
    ConvTester& padding_mode(PaddingMode m) { return m_p.padding_mode = m, *this; }
    // Data from `seed`: x from seed, w from seed + 1, the bias from seed + 2.
    ConvTester& seed(uint32_t s) { return m_seed = s, *this; }
    // Small integers in [−3, 3] instead of uniform values in [−1, 1): every sum is exact.
    ConvTester& integers(bool on = true) { return m_integers = on, *this; }
    ConvTester& tolerance(const Tolerance& t) { return m_tol = t, *this; }

    const Shape& input_shape() const { return m_x; }
    const Shape& weight_shape() const { return m_w; }
    bool has_bias() const { return m_bias; }
    const Conv2dParams& conv_params() const { return m_p; }
    // True when plan_conv2d accepts the problem.
    bool valid() const {
        const Shape bs = bias_shape();
        return plan_conv2d(m_x, m_w, m_bias ? &bs : nullptr, m_p).ok();
    }

    // "conv2d x 1×3×20×37, w 8×3×3×3, bias, Conv2dParams{…}": the problem, for a failure message.
    std::string describe() const {
        std::ostringstream os;
        os << "conv2d x " << shape_to_string(m_x) << ", w " << shape_to_string(m_w)
           << (m_bias ? ", bias" : "") << ", " << m_p;
        return os.str();
    }

    // Runs the problem on `backend`; "" when it agrees with the reference (both the same error, or outputs
    // within the tolerance), else what differs and where. `answered` counts the problems that had an answer.
    std::string test(Backend& backend, int* answered = nullptr) const {
        const Data d = make_data();
        // Compute reference
        auto expected = reference_backend().conv2d(d.x, d.w, d.b_ptr(), m_p);
        // Run backend
        auto actual = backend.conv2d(d.x, d.w, d.b_ptr(), m_p);
        // Verify
        return verdict(
            describe(), backend, expected, actual, answered,
            [&](const Tensor& e, const Tensor& a) { return verify(e, a, m_tol, magnitude(d).get()); });
    }

    // Runs `into` on a valid problem into an output buffer pre-filled with NaN; "" when it agrees with the
    // reference. `name` says which entry point in a failure.
    std::string test_into(const std::string& name, const IntoFn& into) const {
        const Data d = make_data();
        auto plan = plan_conv2d(m_x, m_w, m_bias ? &d.b.shape : nullptr, m_p);
        if (!plan) return describe() + ": not a valid problem: " + plan.error();
        // Compute reference
        auto expected = reference_backend().conv2d(d.x, d.w, d.b_ptr(), m_p);
        // Run backend, verify
        return verdict_into(
            describe(), name, plan->output_shape(), expected,
            [&](float* out) {
                into(*plan, d.x.data.data(), d.w.data.data(), d.b_ptr() ? d.b.data.data() : nullptr, out);
            },
            [&](const Tensor& e, const Tensor& a) { return verify(e, a, m_tol, magnitude(d).get()); });
    }

private:
    struct Data {
        Tensor x, w, b;
        bool with_bias = false;
        const Tensor* b_ptr() const { return with_bias ? &b : nullptr; }
    };

    Shape bias_shape() const { return Shape{m_w.empty() ? 0 : m_w[0]}; }

    Data make_data() const {
        Data d;
        const Shape bs = bias_shape();
        d.x = m_integers ? random_int_tensor(m_x, m_seed) : random_tensor(m_x, m_seed);
        d.w = m_integers ? random_int_tensor(m_w, m_seed + 1) : random_tensor(m_w, m_seed + 1);
        d.b = m_integers ? random_int_tensor(bs, m_seed + 2) : random_tensor(bs, m_seed + 2);
        d.with_bias = m_bias;
        return d;
    }

    // M = Σ|x·w| + |b| per output (the reference on absolute values), for Scale::Magnitude; null otherwise.
    std::unique_ptr<Tensor> magnitude(const Data& d) const {
        if (m_tol.scale != Tolerance::Scale::Magnitude) return nullptr;
        auto abs_of = [](Tensor t) {
            for (float& v : t.data) v = std::fabs(v);
            return t;
        };
        const Tensor ab = abs_of(d.b);
        auto m = reference_backend().conv2d(abs_of(d.x), abs_of(d.w), m_bias ? &ab : nullptr, m_p);
        return m ? std::make_unique<Tensor>(std::move(*m)) : nullptr;
    }

    Shape m_x{1, 1, 5, 5}, m_w{1, 1, 3, 3};
    bool m_bias = false;
    Conv2dParams m_p;
    uint32_t m_seed = 1;
    bool m_integers = false;
    Tolerance m_tol;
};

// [SECTION] Pool2d

class PoolTester {
public:
    using IntoFn = std::function<void(const PoolPlan&, const float* x, float* out)>;

    PoolTester& input(Shape x) { return m_x = std::move(x), *this; }
    PoolTester& params(const Pool2dParams& p) { return m_p = p, *this; }
    PoolTester& op(Op o) { return m_p.op = o, *this; }
    PoolTester& kernel(Pair k) { return m_p.kernel = k, *this; }
    PoolTester& stride(Pair s) { return m_p.stride = s, *this; }
    PoolTester& padding(Pair p) { return m_p.padding = p, *this; }
    PoolTester& dilation(Pair d) { return m_p.dilation = d, *this; }
    PoolTester& ceil_mode(bool on = true) { return m_p.ceil_mode = on, *this; }
    PoolTester& count_include_pad(bool on) { return m_p.count_include_pad = on, *this; }
    PoolTester& seed(uint32_t s) { return m_seed = s, *this; }
    // Uses `x` as the input (its shape replaces input()) instead of random values.
    PoolTester& data(Tensor x) {
        m_x = x.shape;
        m_data = std::make_shared<Tensor>(std::move(x));
        return *this;
    }
    // Default: max pooling exactly, average pooling within |a − e| ≤ 1e-5 + 1e-4·|e|.
    PoolTester& tolerance(const Tolerance& t) { return m_tol = t, m_tol_set = true, *this; }

    const Shape& input_shape() const { return m_x; }
    const Pool2dParams& pool_params() const { return m_p; }
    bool valid() const { return plan_pool2d(m_x, m_p).ok(); }

    std::string describe() const {
        std::ostringstream os;
        os << "pool2d x " << shape_to_string(m_x) << ", " << m_p;
        return os.str();
    }

    // As ConvTester::test.
    std::string test(Backend& backend, int* answered = nullptr) const {
        const Tensor x = make_input();
        // Compute reference
        auto expected = reference_backend().pool2d(x, m_p);
        // Run backend
        auto actual = backend.pool2d(x, m_p);
        // Verify
        return verdict(describe(), backend, expected, actual, answered,
                       [&](const Tensor& e, const Tensor& a) { return verify(e, a, tolerance()); });
    }

    // As ConvTester::test_into.
    std::string test_into(const std::string& name, const IntoFn& into) const {
        const Tensor x = make_input();
        auto plan = plan_pool2d(m_x, m_p);
        if (!plan) return describe() + ": not a valid problem: " + plan.error();
        // Compute reference
        auto expected = reference_backend().pool2d(x, m_p);
        // Run backend, verify
        return verdict_into(
            describe(), name, plan->output_shape(), expected,
            [&](float* out) { into(*plan, x.data.data(), out); },
            [&](const Tensor& e, const Tensor& a) { return verify(e, a, tolerance()); });
    }

private:
    Tensor make_input() const { return m_data ? *m_data : random_tensor(m_x, m_seed); }
    Tolerance tolerance() const {
        if (m_tol_set) return m_tol;
        return m_p.op == Op::MaxPool ? Tolerance::exact() : Tolerance::of_value(1e-4f, 1e-5f);
    }

    Shape m_x{1, 1, 4, 4};
    Pool2dParams m_p;
    uint32_t m_seed = 1;
    std::shared_ptr<Tensor> m_data;
    Tolerance m_tol;
    bool m_tol_set = false;
};

// [SECTION] ConvTranspose2d

class ConvTransposeTester {
public:
    ConvTransposeTester& input(Shape x) { return m_x = std::move(x), *this; }   // N×C×H×W or C×H×W
    ConvTransposeTester& weight(Shape w) { return m_w = std::move(w), *this; }  // C × O/groups × kH × kW
    ConvTransposeTester& bias(bool with = true) { return m_bias = with, *this; }
    ConvTransposeTester& params(const ConvTranspose2dParams& p) { return m_p = p, *this; }
    ConvTransposeTester& stride(Pair s) { return m_p.stride = s, *this; }
    ConvTransposeTester& padding(Pair p) { return m_p.padding = p, *this; }
    ConvTransposeTester& output_padding(Pair p) { return m_p.output_padding = p, *this; }
    ConvTransposeTester& dilation(Pair d) { return m_p.dilation = d, *this; }
    ConvTransposeTester& groups(int64_t g) { return m_p.groups = g, *this; }
    // Data from `seed`: x from seed, w from seed + 1, the bias from seed + 2.
    ConvTransposeTester& seed(uint32_t s) { return m_seed = s, *this; }
    // Default: |a − e| ≤ 1e-5 + 1e-4·|e|.
    ConvTransposeTester& tolerance(const Tolerance& t) { return m_tol = t, *this; }

    const Shape& input_shape() const { return m_x; }
    const Shape& weight_shape() const { return m_w; }
    const ConvTranspose2dParams& conv_transpose_params() const { return m_p; }
    // True when plan_conv_transpose2d accepts the problem.
    bool valid() const { return plan().ok(); }

    // "conv_transpose2d x 1×2×3×4, w 2×3×3×3, bias, ConvTranspose2dParams{…}": the problem.
    std::string describe() const {
        std::ostringstream os;
        os << "conv_transpose2d x " << shape_to_string(m_x) << ", w " << shape_to_string(m_w)
           << (m_bias ? ", bias" : "") << ", " << m_p;
        return os.str();
    }

    // As ConvTester::test.
    std::string test(Backend& backend, int* answered = nullptr) const {
        const Tensor x = random_tensor(m_x, m_seed), w = random_tensor(m_w, m_seed + 1);
        const auto p = plan();
        const Tensor b = random_tensor({p ? p->o : 1}, m_seed + 2);
        const Tensor* bias = m_bias && p ? &b : nullptr;
        // Compute reference
        auto expected = reference_backend().conv_transpose2d(x, w, bias, m_p);
        // Run backend
        auto actual = backend.conv_transpose2d(x, w, bias, m_p);
        // Verify
        return verdict(describe(), backend, expected, actual, answered,
                       [&](const Tensor& e, const Tensor& a) { return verify(e, a, m_tol); });
    }

private:
    Result<ConvTransposePlan> plan() const { return plan_conv_transpose2d(m_x, m_w, nullptr, m_p); }

    Shape m_x{1, 1, 3, 3}, m_w{1, 1, 3, 3};
    bool m_bias = false;
    ConvTranspose2dParams m_p;
    uint32_t m_seed = 1;
    Tolerance m_tol = Tolerance::of_value(1e-4f, 1e-5f);
};

// A random conv_transpose2d problem: mostly valid, sometimes not (output_padding too large, output too
// small). `wide` draws widths past a few vectors (17..70) so that vector tails and strided rows are
// exercised.
inline ConvTransposeTester random_conv_transpose(std::mt19937& rng, bool wide = false) {
    auto pick = [&](int lo, int hi) { return int64_t(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    ConvTranspose2dParams p;
    const int64_t groups = pick(1, 3), cpg = pick(1, 3), opg = pick(1, 3);
    const int64_t h = pick(1, 7), w = wide ? pick(17, 70) : pick(1, 9);
    const int64_t kh = pick(1, 4), kw = pick(1, 5);
    p.groups = groups;
    p.stride = {pick(1, 3), pick(1, 4)};
    p.dilation = {pick(1, 3), pick(1, 2)};
    p.padding = {pick(0, 3), pick(0, 3)};
    // Valid output_padding is below max(stride, dilation); one problem in eight tries one more.
    const int64_t extra = pick(0, 7) == 0 ? 1 : 0;
    p.output_padding = {pick(0, std::max(p.stride.h, p.dilation.h) - 1 + extra),
                        pick(0, std::max(p.stride.w, p.dilation.w) - 1)};
    const bool bias = pick(0, 1) == 1;
    const int64_t n = pick(0, 2);  // 0: unbatched
    return ConvTransposeTester()
        .input(n == 0 ? Shape{groups * cpg, h, w} : Shape{n, groups * cpg, h, w})
        .weight({groups * cpg, opg, kh, kw})
        .bias(bias)
        .params(p);
}

}  // namespace convscope::testing
