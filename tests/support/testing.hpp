// Shared helpers for the tests: replicable random tensors, comparisons that name the failing position, file
// contents, and the path of test data in the source tree. Running programs: support/process.hpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/io/npy.hpp"
#include "core/engine/tensor.hpp"
#include "support/process.hpp"
#include "support/paths.hpp"

namespace convscope::testing {

// The lecture's worked example: the 5×5 input, the 3×3 filter, and the first output's multiply-accumulate
// line.
inline const Tensor kLectureInput({1, 1, 5, 5}, {1, 2, 3, 0, 1,  //
                                                 0, 1, 5, 1, 0,  //
                                                 1, 0, 2, 2, 1,  //
                                                 1, 1, 2, 0, 0,  //
                                                 1, 0, 1, 1, 1});
inline const Tensor kLectureFilter({1, 1, 3, 3}, {1, 0, 1, 0, 1, 0, 1, 0, 1});
inline const std::string kLectureLine =
    "(1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8";

// Uniform random values in [lo, hi), replicable from `seed`.
inline Tensor random_tensor(Shape shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    Tensor t = Tensor::filled(std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float& v : t.data) v = dist(rng);
    return t;
}

// Small integers in [lo, hi], replicable from `seed` (sums stay exact in float32).
inline Tensor random_int_tensor(Shape shape, uint32_t seed, int lo = -3, int hi = 3) {
    Tensor t = Tensor::filled(std::move(shape));
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(lo, hi);
    for (float& v : t.data) v = float(dist(rng));
    return t;
}

// "(n=0, c=2, y=5, x=7)" for a flat index into a rank-3 or rank-4 shape.
inline std::string position(const Shape& shape, int64_t flat) {
    static const char* names4[] = {"n", "c", "y", "x"};
    static const char* names3[] = {"c", "y", "x"};
    std::string s;
    for (size_t k = shape.size(); k-- > 0;) {
        const int64_t i = flat % shape[k];
        flat /= shape[k];
        const char* name = shape.size() == 4 ? names4[k] : shape.size() == 3 ? names3[k] : "i";
        s = std::string(k ? ", " : "") + name + "=" + std::to_string(i) + s;
    }
    return "(" + s + ")";
}

// Empty when `actual` matches `expected` within |a − e| ≤ atol + rtol·|e| (NaN matches NaN, ±inf must be
// equal); otherwise a message naming the first mismatching position.
inline std::string mismatch(const Tensor& expected, const Tensor& actual, float rtol = 1e-5f,
                            float atol = 1e-5f) {
    if (expected.shape != actual.shape)
        return "shape " + shape_to_string(actual.shape) + ", expected " + shape_to_string(expected.shape);
    for (size_t i = 0; i < expected.data.size(); ++i) {
        const float e = expected.data[i], a = actual.data[i];
        bool same;
        if (std::isnan(e) || std::isnan(a))
            same = std::isnan(e) && std::isnan(a);
        else if (std::isinf(e) || std::isinf(a))
            same = e == a;
        else
            same = std::fabs(a - e) <= atol + rtol * std::fabs(e);
        if (!same)
            return "at " + position(expected.shape, int64_t(i)) + ": expected " + std::to_string(e) +
                   ", got " + std::to_string(a);
    }
    return "";
}

// The bytes of a file, or "" when it cannot be read.
inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Path of a file in the source tree, e.g. source_path("tests/golden/data/cases.json").
inline std::string source_path(const std::string& rel) {
    return convscope::testing::source_dir() + "/" + rel;
}

}  // namespace convscope::testing
