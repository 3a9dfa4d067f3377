// Checked int64 arithmetic for every size ConvScope derives (dilated kernels, padded sizes, output sizes,
// element and multiply-add counts): an overflow is a value the caller turns into a readable error, never UB.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace convscope {

// a + b, or nullopt when it does not fit in int64.
inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// a − b, or nullopt when it does not fit in int64.
inline std::optional<int64_t> checked_sub(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// a × b, or nullopt when it does not fit in int64.
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// The product of all factors, or nullopt when any partial product overflows.
inline std::optional<int64_t> checked_product(std::initializer_list<int64_t> factors) {
    int64_t r = 1;
    for (int64_t f : factors)
        if (__builtin_mul_overflow(r, f, &r)) return std::nullopt;
    return r;
}

// d·(k − 1) + 1, the span of a dilated kernel, or nullopt on overflow (k ≥ 1, d ≥ 1).
inline std::optional<int64_t> dilated_kernel(int64_t kernel, int64_t dilation) {
    const auto k1 = checked_sub(kernel, 1);
    const auto span = k1 ? checked_mul(dilation, *k1) : std::nullopt;
    return span ? checked_add(*span, 1) : std::nullopt;
}

}  // namespace convscope
