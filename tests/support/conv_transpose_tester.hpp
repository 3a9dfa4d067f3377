// The conv_transpose2d tester every backend's tests share: replicable random problems over every parameter,
// the reference's answer, the backend's, and a failure that names the position
// ("at (n=0, c=2, y=5, x=7)"). A problem the reference refuses must be refused with the same message.
#pragma once

#include <random>
#include <sstream>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "testing.hpp"

namespace convscope::testing {

struct ConvTransposeProblem {
    Shape x, w;  // x: N×C×H×W or C×H×W; w: C × O/groups × kH × kW
    bool bias = false;
    ConvTranspose2dParams p;
};

inline std::ostream& operator<<(std::ostream& os, const ConvTransposeProblem& c) {
    return os << "x " << shape_to_string(c.x) << ", w " << shape_to_string(c.w)
              << (c.bias ? ", bias, " : ", ") << c.p;
}

// A random problem: mostly valid, sometimes not (output_padding too large, output too small). `wide` draws
// widths past a few vectors (17..70) so that vector tails and strided rows are exercised.
inline ConvTransposeProblem random_conv_transpose_problem(std::mt19937& rng, bool wide = false) {
    auto pick = [&](int lo, int hi) { return int64_t(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    ConvTransposeProblem c;
    const int64_t groups = pick(1, 3), cpg = pick(1, 3), opg = pick(1, 3);
    const int64_t h = pick(1, 7), w = wide ? pick(17, 70) : pick(1, 9);
    const int64_t kh = pick(1, 4), kw = pick(1, 5);
    c.p.groups = groups;
    c.p.stride = {pick(1, 3), pick(1, 4)};
    c.p.dilation = {pick(1, 3), pick(1, 2)};
    c.p.padding = {pick(0, 3), pick(0, 3)};
    // Valid output_padding is below max(stride, dilation); one problem in eight tries one more.
    const int64_t extra = pick(0, 7) == 0 ? 1 : 0;
    c.p.output_padding = {pick(0, std::max(c.p.stride.h, c.p.dilation.h) - 1 + extra),
                          pick(0, std::max(c.p.stride.w, c.p.dilation.w) - 1)};
    c.bias = pick(0, 1) == 1;
    const int64_t n = pick(0, 2);  // 0: unbatched
    c.x = n == 0 ? Shape{groups * cpg, h, w} : Shape{n, groups * cpg, h, w};
    c.w = {groups * cpg, opg, kh, kw};
    return c;
}

// "" when `backend` agrees with the reference on `c` (|a − e| ≤ 1e-5 + 1e-4·|e|, or the same error);
// otherwise what differs and where. Counts valid problems in `*valid`.
inline std::string compare_conv_transpose(Backend& backend, const ConvTransposeProblem& c, uint32_t seed,
                                          int* valid = nullptr) {
    // Compute reference
    const Tensor x = random_tensor(c.x, seed), w = random_tensor(c.w, seed + 1);
    auto plan = plan_conv_transpose2d(c.x, c.w, nullptr, c.p);
    const Tensor b = random_tensor({plan ? plan->o : 1}, seed + 2);
    const Tensor* bias = c.bias && plan ? &b : nullptr;
    auto expected = reference_backend().conv_transpose2d(x, w, bias, c.p);
    // Run backend
    auto actual = backend.conv_transpose2d(x, w, bias, c.p);
    // Verify
    std::ostringstream why;
    if (!expected) {
        if (actual)
            return "the reference refused (" + expected.error() + ") but the backend returned a tensor";
        if (actual.error().find(expected.error()) == std::string::npos)
            return "error '" + actual.error() + "', expected '" + expected.error() + "'";
        return "";
    }
    if (valid) ++*valid;
    if (!actual) return "error: " + actual.error();
    return mismatch(*expected, *actual, 1e-4f, 1e-5f);
}

}  // namespace convscope::testing
