// Helpers the network's source files share (core/network/*.cpp); not part of core's API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/network/network.hpp"

namespace convscope::network_detail {

// The shape of Conv2d's weight, O × C/groups × kH × kW (groups must divide in).
inline Shape conv_weight_shape(const Layer& L) {
    return {L.out, L.in / L.groups, L.kernel.h, L.kernel.w};
}

// The shape of ConvTranspose2d's weight, C × O/groups × kH × kW (groups must divide out).
inline Shape conv_transpose_weight_shape(const Layer& L) {
    return {L.in, L.out / L.groups, L.kernel.h, L.kernel.w};
}

inline bool is_pool(LayerKind k) {
    return k == LayerKind::MaxPool2d || k == LayerKind::AvgPool2d;
}

// The index of a 3-D or 4-D shape's channel axis.
inline size_t channel_axis(const Shape& s) {
    return s.size() == 3 ? 0 : 1;
}

// Marks `c` refused by PyTorch with `reason` (its English text in `error`, its kind read from its code).
inline void refuse(LayerCheck& c, Error reason) {
    c.error_kind = layer_error_kind(reason);
    c.error = reason.message;
    c.reason = std::move(reason);
}

// Checks of the constructor's arguments alone, as PyTorch makes them when the module is built or first run.
// Sets the error and returns false when refused (core/network/arguments.cpp).
bool check_arguments(const Layer& L, LayerCheck& c);

// The source index of padded position i (0-based in the padded axis) for a padding layer, or −1 for a
// constant.
int64_t pad_source(LayerKind kind, int64_t i, int64_t before, int64_t n);

// Upsample's source coordinates along one axis: for nearest one index per output, for bilinear two with
// their weights. Scale is PyTorch's: 1/scale_factor when scale_factor is given, else in/out.
struct AxisTaps {
    std::vector<int64_t> i0, i1;
    std::vector<float> w1;  // weight of i1 (i0 gets 1 − w1)
};
AxisTaps upsample_taps(const Layer& L, int64_t in, int64_t out, double scale_factor);

}  // namespace convscope::network_detail
