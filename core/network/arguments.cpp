// The checks PyTorch makes of a layer's constructor arguments alone, when the module is built or first run
// (check_arguments): positive sizes, strides and groups, padding='same' only with stride 1, and so on.
#include <cstdio>
#include <string>

#include "core/network/network.hpp"
#include "core/network/detail.hpp"

namespace convscope::network_detail {

namespace {

// "0.5", "1e-05": a double as Python's repr would print it, for messages.
std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

}  // namespace

// Checks of the constructor's arguments alone, as PyTorch makes them when the module is built or first run.
// Sets the error and returns false when refused.
bool check_arguments(const Layer& L, LayerCheck& c) {
    auto at_least_one = [&](const char* what, Pair p) {
        if (p.h >= 1 && p.w >= 1) return true;
        refuse(c, fail<ErrCode::must_be_at_least_1>(what, to_string(p)));
        return false;
    };
    auto channels_and_groups = [&](const char* in_name, const char* out_name) {
        if (L.in < 1 || L.out < 1) {
            refuse(c, fail<ErrCode::net_both_at_least_1>(in_name, out_name, L.in, L.out));
            return false;
        }
        if (L.groups < 1) {
            refuse(c, fail<ErrCode::groups_min>(L.groups));
            return false;
        }
        if (L.in % L.groups != 0) {
            refuse(c, fail<ErrCode::net_groups_in>(L.groups, L.in));
            return false;
        }
        if (L.out % L.groups != 0) {
            refuse(c, fail<ErrCode::net_groups_out>(L.groups, L.out));
            return false;
        }
        return at_least_one("kernel_size", L.kernel) && at_least_one("stride", L.stride) &&
               at_least_one("dilation", L.dilation);
    };
    switch (L.kind) {
        case LayerKind::Conv2d: {
            if (!channels_and_groups("in_channels", "out_channels")) return false;
            if (L.padding.kind == PaddingKind::Explicit &&
                (L.padding.amount.h < 0 || L.padding.amount.w < 0)) {
                refuse(c, fail<ErrCode::padding_negative>(to_string(L.padding)));
                return false;
            }
            if (L.padding.kind == PaddingKind::Same && L.stride != Pair(1)) {
                refuse(c, fail<ErrCode::net_same_stride>());
                return false;
            }
            if (shape_numel(conv_weight_shape(L)) < 0) {
                refuse(c, fail<ErrCode::net_weight_over_limits>(shape_to_string(conv_weight_shape(L))));
                return false;
            }
            return true;
        }
        case LayerKind::ConvTranspose2d: {
            if (!channels_and_groups("in_channels", "out_channels")) return false;
            const Pair pad = L.padding.amount;
            if (pad.h < 0 || pad.w < 0 || L.output_padding.h < 0 || L.output_padding.w < 0) {
                refuse(c, fail<ErrCode::net_tpad_negative>());
                return false;
            }
            if (L.padding_mode != PaddingMode::Zeros) {
                refuse(c, fail<ErrCode::net_tpad_zeros_only>());
                return false;
            }
            if ((L.output_padding.h >= L.stride.h && L.output_padding.h >= L.dilation.h) ||
                (L.output_padding.w >= L.stride.w && L.output_padding.w >= L.dilation.w)) {
                refuse(c, fail<ErrCode::net_output_padding>(to_string(L.output_padding), to_string(L.stride),
                                                            to_string(L.dilation)));
                return false;
            }
            if (shape_numel(conv_transpose_weight_shape(L)) < 0) {
                refuse(c, fail<ErrCode::net_weight_over_limits>(
                              shape_to_string(conv_transpose_weight_shape(L))));
                return false;
            }
            return true;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            if (!at_least_one("kernel_size", L.kernel) || !at_least_one("dilation", L.dilation)) return false;
            if (L.stride != Pair(0) && !at_least_one("stride", L.stride)) return false;
            if (L.padding.kind != PaddingKind::Explicit) {
                refuse(c, fail<ErrCode::net_pool_padding>());
                return false;
            }
            return true;
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            if (L.output_size.h < 0 || L.output_size.w < 0) {
                refuse(c, fail<ErrCode::net_output_size_negative>(to_string(L.output_size)));
                return false;
            }
            return true;
        case LayerKind::BatchNorm2d:
            if (L.in < 1) {
                refuse(c, fail<ErrCode::net_num_features>(L.in));
                return false;
            }
            return true;
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            if (!(L.p >= 0.0 && L.p <= 1.0)) {
                refuse(c, fail<ErrCode::net_dropout_p>(number_text(L.p)));
                return false;
            }
            return true;
        case LayerKind::Upsample:
            if ((L.output_size == Pair(0)) == (L.scale_h == 0.0 && L.scale_w == 0.0)) {
                refuse(c, L.output_size == Pair(0) ? fail<ErrCode::net_size_or_scale>()
                                                   : fail<ErrCode::net_size_and_scale>());
                return false;
            }
            if (L.output_size != Pair(0) && !at_least_one("size", L.output_size)) return false;
            if (L.output_size == Pair(0) && !(L.scale_h > 0.0 && L.scale_w > 0.0)) {
                refuse(c, fail<ErrCode::net_scale_positive>());
                return false;
            }
            if (L.align_corners && L.mode == UpsampleMode::Nearest) {
                refuse(c, fail<ErrCode::net_align_corners>());
                return false;
            }
            return true;
        case LayerKind::LocalResponseNorm:
            if (L.size < 1) {
                refuse(c, fail<ErrCode::net_lrn_size>(L.size));
                return false;
            }
            return true;
        case LayerKind::Linear:
            if (L.in < 1 || L.out < 1) {
                refuse(c, fail<ErrCode::net_both_at_least_1>("in_features", "out_features", L.in, L.out));
                return false;
            }
            if (shape_numel({L.out, L.in}) < 0) {
                refuse(c, fail<ErrCode::net_weight_over_limits>(shape_to_string({L.out, L.in})));
                return false;
            }
            return true;
        default:
            return true;
    }
}

}  // namespace convscope::network_detail
