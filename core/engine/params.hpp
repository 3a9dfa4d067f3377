// Parameters of Conv2d and Pool2d, with PyTorch's meaning and defaults.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/engine/op.hpp"
#include "core/support/limits.hpp"
#include "core/support/result.hpp"

namespace convscope {

// A per-axis value: (height, width). `Pair{3}` is 3 on both axes.
struct Pair {
    int64_t h = 0;
    int64_t w = 0;
    constexpr Pair() = default;
    constexpr Pair(int64_t both) : h(both), w(both) {}
    constexpr Pair(int64_t h_, int64_t w_) : h(h_), w(w_) {}
    bool operator==(const Pair&) const = default;
};

// Parses "3" or "3,5" (also "3x5", "(3, 5)").
Result<Pair> parse_pair(std::string_view text);
std::string to_string(Pair p);  // "3" when both equal, else "3,5"

enum class PaddingKind { Explicit, Same, Valid };

// Padding as PyTorch's `padding=`: a number, a pair, "same" or "valid".
struct Padding {
    PaddingKind kind = PaddingKind::Explicit;
    Pair amount{0};
    constexpr Padding() = default;
    constexpr Padding(Pair p) : amount(p) {}
    constexpr Padding(int64_t p) : amount(p) {}
    static constexpr Padding same() {
        Padding p;
        p.kind = PaddingKind::Same;
        return p;
    }
    static constexpr Padding valid() {
        Padding p;
        p.kind = PaddingKind::Valid;
        return p;
    }
    bool operator==(const Padding&) const = default;
};

// Parses "1", "1,2", "same", "valid".
Result<Padding> parse_padding(std::string_view text);
std::string to_string(const Padding& p);

enum class PaddingMode { Zeros, Reflect, Replicate, Circular };

// Parses "zeros", "reflect", "replicate", "circular".
Result<PaddingMode> parse_padding_mode(std::string_view text);
std::string_view to_string(PaddingMode m);

struct Conv2dParams {
    Pair stride{1};
    Padding padding{};
    Pair dilation{1};
    int64_t groups = 1;
    PaddingMode padding_mode = PaddingMode::Zeros;
    int64_t max_mult_adds = limits::kMaxMultAdds;  // refused up front beyond this (not a PyTorch parameter)
    // True (mathematical) convolution, as scipy.signal.convolve2d: the kernel rotated 180° before the
    // cross-correlation PyTorch computes. Not a PyTorch parameter (PyTorch: conv2d(x, w.flip(-1, -2))).
    bool flip = false;
    bool operator==(const Conv2dParams&) const = default;
};

// ConvTranspose2d's parameters (PyTorch's nn.ConvTranspose2d; padding is explicit and zeros only, as there).
struct ConvTranspose2dParams {
    Pair stride{1};
    Pair padding{0};
    Pair output_padding{0};  // extra rows/columns on the bottom/right; smaller than stride or dilation
    Pair dilation{1};
    int64_t groups = 1;
    int64_t max_mult_adds = limits::kMaxMultAdds;  // refused up front beyond this (not a PyTorch parameter)
    bool operator==(const ConvTranspose2dParams&) const = default;
};

struct Pool2dParams {
    Op op = Op::MaxPool;  // Op::MaxPool or Op::AvgPool (the backends average for any op but MaxPool)
    Pair kernel{2};
    Pair stride{0};  // 0 means "same as kernel", PyTorch's default
    Pair padding{0};
    Pair dilation{1};  // max pooling only
    bool ceil_mode = false;
    bool count_include_pad = true;                 // avg pooling only
    int64_t max_mult_adds = limits::kMaxMultAdds;  // refused up front beyond this (not a PyTorch parameter)
    bool operator==(const Pool2dParams&) const = default;

    // The stride in effect (kernel where stride was left at 0).
    Pair effective_stride() const { return {stride.h ? stride.h : kernel.h, stride.w ? stride.w : kernel.w}; }
};

std::ostream& operator<<(std::ostream& os, const Pair& p);
std::ostream& operator<<(std::ostream& os, const Conv2dParams& p);
std::ostream& operator<<(std::ostream& os, const Pool2dParams& p);
std::ostream& operator<<(std::ostream& os, const ConvTranspose2dParams& p);

}  // namespace convscope
