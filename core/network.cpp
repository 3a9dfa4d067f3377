// [SECTION] Layers
// [SECTION] Checking  — one function per kind; conv/pool geometry from plan_conv2d/plan_pool2d
// [SECTION] Running   — random_weights, run_network (Conv2d/pools on the backend, the rest as plain loops)
#include "core/network.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <tuple>

#include "core/backend.hpp"
#include "core/geometry.hpp"
#include "core/kernels.hpp"
#include "core/limits.hpp"

namespace convscope {
namespace {

// "1×720 (2-D)"
std::string shape_with_rank(const Shape& s) {
    return shape_to_string(s) + " (" + std::to_string(s.size()) + "-D)";
}

// a·b, saturating at the largest int64 (MAC totals of absurd stacks must not wrap).
int64_t mul_sat(int64_t a, int64_t b) {
    if (a == 0 || b == 0) return 0;
    if (a > std::numeric_limits<int64_t>::max() / b) return std::numeric_limits<int64_t>::max();
    return a * b;
}

int64_t add_sat(int64_t a, int64_t b) {
    return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

// The shape of Conv2d's weight, O × C/groups × kH × kW (groups must divide in).
Shape conv_weight_shape(const Layer& L) {
    return {L.out, L.in / L.groups, L.kernel.h, L.kernel.w};
}

void refuse(LayerCheck& c, LayerErrorKind kind, Error reason) {
    c.error_kind = kind;
    c.error = reason.message;
    c.reason = std::move(reason);
}

// The shape of ConvTranspose2d's weight, C × O/groups × kH × kW (groups must divide out).
Shape conv_transpose_weight_shape(const Layer& L) {
    return {L.in, L.out / L.groups, L.kernel.h, L.kernel.w};
}

bool is_pool(LayerKind k) {
    return k == LayerKind::MaxPool2d || k == LayerKind::AvgPool2d;
}
bool is_adaptive(LayerKind k) {
    return k == LayerKind::AdaptiveAvgPool2d || k == LayerKind::AdaptiveMaxPool2d;
}
bool is_pad(LayerKind k) {
    return k == LayerKind::ZeroPad2d || k == LayerKind::ConstantPad2d || k == LayerKind::ReflectionPad2d ||
           k == LayerKind::ReplicationPad2d;
}

// "0.5", "1e-05": a double as Python's repr would print it, for messages.
std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

// Checks of the constructor's arguments alone, as PyTorch makes them when the module is built or first run.
// Sets the error and returns false when refused.
bool check_arguments(const Layer& L, LayerCheck& c) {
    auto at_least_one = [&](const char* what, Pair p) {
        if (p.h >= 1 && p.w >= 1) return true;
        refuse(c, LayerErrorKind::Argument, fail<ErrCode::must_be_at_least_1>(what, to_string(p)));
        return false;
    };
    auto channels_and_groups = [&](const char* in_name, const char* out_name) {
        if (L.in < 1 || L.out < 1) {
            refuse(c, LayerErrorKind::Argument,
                   fail<ErrCode::net_both_at_least_1>(in_name, out_name, L.in, L.out));
            return false;
        }
        if (L.groups < 1) {
            refuse(c, LayerErrorKind::Argument, fail<ErrCode::groups_min>(L.groups));
            return false;
        }
        if (L.in % L.groups != 0) {
            refuse(c, LayerErrorKind::Groups, fail<ErrCode::net_groups_in>(L.groups, L.in));
            return false;
        }
        if (L.out % L.groups != 0) {
            refuse(c, LayerErrorKind::Groups, fail<ErrCode::net_groups_out>(L.groups, L.out));
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
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::padding_negative>(to_string(L.padding)));
                return false;
            }
            if (L.padding.kind == PaddingKind::Same && L.stride != Pair(1)) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_same_stride>());
                return false;
            }
            if (shape_numel(conv_weight_shape(L)) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_weight_over_limits>(shape_to_string(conv_weight_shape(L))));
                return false;
            }
            return true;
        }
        case LayerKind::ConvTranspose2d: {
            if (!channels_and_groups("in_channels", "out_channels")) return false;
            const Pair pad = L.padding.amount;
            if (pad.h < 0 || pad.w < 0 || L.output_padding.h < 0 || L.output_padding.w < 0) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_tpad_negative>());
                return false;
            }
            if (L.padding_mode != PaddingMode::Zeros) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_tpad_zeros_only>());
                return false;
            }
            if ((L.output_padding.h >= L.stride.h && L.output_padding.h >= L.dilation.h) ||
                (L.output_padding.w >= L.stride.w && L.output_padding.w >= L.dilation.w)) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_output_padding>(to_string(L.output_padding), to_string(L.stride),
                                                         to_string(L.dilation)));
                return false;
            }
            if (shape_numel(conv_transpose_weight_shape(L)) < 0) {
                refuse(
                    c, LayerErrorKind::Argument,
                    fail<ErrCode::net_weight_over_limits>(shape_to_string(conv_transpose_weight_shape(L))));
                return false;
            }
            return true;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            if (!at_least_one("kernel_size", L.kernel) || !at_least_one("dilation", L.dilation)) return false;
            if (L.stride != Pair(0) && !at_least_one("stride", L.stride)) return false;
            if (L.padding.kind != PaddingKind::Explicit) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_pool_padding>());
                return false;
            }
            return true;
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            if (L.output_size.h < 0 || L.output_size.w < 0) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_output_size_negative>(to_string(L.output_size)));
                return false;
            }
            return true;
        case LayerKind::BatchNorm2d:
            if (L.in < 1) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_num_features>(L.in));
                return false;
            }
            return true;
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            if (!(L.p >= 0.0 && L.p <= 1.0)) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_dropout_p>(number_text(L.p)));
                return false;
            }
            return true;
        case LayerKind::Upsample:
            if ((L.output_size == Pair(0)) == (L.scale_h == 0.0 && L.scale_w == 0.0)) {
                refuse(c, LayerErrorKind::Argument,
                       L.output_size == Pair(0) ? fail<ErrCode::net_size_or_scale>()
                                                : fail<ErrCode::net_size_and_scale>());
                return false;
            }
            if (L.output_size != Pair(0) && !at_least_one("size", L.output_size)) return false;
            if (L.output_size == Pair(0) && !(L.scale_h > 0.0 && L.scale_w > 0.0)) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_scale_positive>());
                return false;
            }
            if (L.align_corners && L.mode == UpsampleMode::Nearest) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_align_corners>());
                return false;
            }
            return true;
        case LayerKind::LocalResponseNorm:
            if (L.size < 1) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_lrn_size>(L.size));
                return false;
            }
            return true;
        case LayerKind::Linear:
            if (L.in < 1 || L.out < 1) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_both_at_least_1>("in_features", "out_features", L.in, L.out));
                return false;
            }
            if (shape_numel({L.out, L.in}) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_weight_over_limits>(shape_to_string({L.out, L.in})));
                return false;
            }
            return true;
        default:
            return true;
    }
}

int64_t param_count(const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d:
            return shape_numel(conv_weight_shape(L)) + (L.bias ? L.out : 0);
        case LayerKind::ConvTranspose2d:
            return shape_numel(conv_transpose_weight_shape(L)) + (L.bias ? L.out : 0);
        case LayerKind::Linear:
            return add_sat(mul_sat(L.in, L.out), L.bias ? L.out : 0);
        case LayerKind::BatchNorm2d:
            return L.affine ? 2 * L.in : 0;
        default:
            return 0;
    }
}

// BatchNorm2d's running_mean, running_var and num_batches_tracked.
int64_t buffer_count(const Layer& L) {
    return L.kind == LayerKind::BatchNorm2d && L.track_running_stats ? 2 * L.in + 1 : 0;
}

// True when the kernel leaves no output on some axis: the "too small" refusal, told apart from the other ways
// a plan can fail by asking core's axis_size rather than reading the message.
bool window_does_not_fit(const Layer& L, const Shape& input) {
    const size_t off = input.size() == 3 ? 0 : 1;
    const int64_t h = input[off + 1], w = input[off + 2];
    if (L.kind == LayerKind::Conv2d && L.padding.kind == PaddingKind::Same) return false;
    const Pair pad = L.padding.kind == PaddingKind::Explicit ? L.padding.amount : Pair(0);
    const bool pool = L.kind != LayerKind::Conv2d;
    const Pair stride = pool && L.stride == Pair(0) ? L.kernel : L.stride;
    const Pair dil = L.kind == LayerKind::AvgPool2d ? Pair(1) : L.dilation;
    const bool ceil = pool && L.ceil_mode;
    return axis_size({h, L.kernel.h, stride.h, pad.h, pad.h, dil.h, ceil}).out < 1 ||
           axis_size({w, L.kernel.w, stride.w, pad.w, pad.w, dil.w, ceil}).out < 1;
}

// A plan's refusal as a row's error.
void refuse_plan(const Layer& L, const Shape& input, const Error& why, LayerCheck& c) {
    if (window_does_not_fit(L, input))
        refuse(c, LayerErrorKind::TooSmall, fail<ErrCode::net_output_empty>(why));
    else
        refuse(c, LayerErrorKind::Argument, why);
}

bool check_spatial_rank(const Layer& L, const Shape& input, LayerCheck& c) {
    if (input.size() == 3 || input.size() == 4) return true;
    refuse(c, LayerErrorKind::Rank,
           fail<ErrCode::net_spatial_rank>(
               to_string(L.kind), shape_with_rank(input),
               input.size() < 3 ? word<ErrCode::net_hint_before_flatten>() : fail_text("")));
    return false;
}

// The channel count of a 3-D or 4-D shape and the index of its channel axis.
size_t channel_axis(const Shape& s) {
    return s.size() == 3 ? 0 : 1;
}

bool check_channels(const char* name, int64_t expected, const Shape& input, LayerCheck& c) {
    const int64_t got = input[channel_axis(input)];
    if (got == expected) return true;
    refuse(c, LayerErrorKind::Channels,
           got == 1 ? fail<ErrCode::net_channels_1>(name, expected, shape_to_string(input), got)
                    : fail<ErrCode::net_channels>(name, expected, shape_to_string(input), got));
    return false;
}

// Sets the output when it is within the limits.
void set_output(const Shape& out, LayerCheck& c) {
    if (shape_numel(out) < 0) {
        refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_output_over_limits>(shape_to_string(out)));
        return;
    }
    c.output = out;
}

// Fills c.output (and c.macs) for a layer whose arguments are valid, given its input shape.
void check_on_input(const Layer& L, const Shape& input, LayerCheck& c) {
    const size_t rank = input.size();
    switch (L.kind) {
        case LayerKind::Conv2d: {
            if (!check_spatial_rank(L, input, c)) return;
            Shape x = input;
            if (!check_channels("in_channels", L.in, input, c))
                x[channel_axis(x)] = L.in;  // go on as if the channels matched, so the rest stays useful
            const Shape weight = conv_weight_shape(L);
            const Shape bias{L.out};
            // Shapes only: nothing is computed here, so the multiply-add limit does not apply.
            Conv2dParams params = L.conv_params();
            params.max_mult_adds = std::numeric_limits<int64_t>::max();
            auto plan = plan_conv2d(x, weight, L.bias ? &bias : nullptr, params);
            if (!plan) {
                refuse_plan(L, x, plan.err(), c);
                return;
            }
            c.output = plan->output_shape();
            const int64_t per_output = plan->c_per_group() * plan->kh * plan->kw;
            c.macs = mul_sat(mul_sat(mul_sat(plan->n, plan->o), plan->oh * plan->ow), per_output);
            return;
        }
        case LayerKind::ConvTranspose2d: {
            if (!check_spatial_rank(L, input, c)) return;
            Shape x = input;
            if (!check_channels("in_channels", L.in, input, c)) x[channel_axis(x)] = L.in;
            const size_t off = channel_axis(x);
            const int64_t H = x[off + 1], W = x[off + 2];
            const Pair p = L.padding.amount;
            // (H − 1)·s − 2p + d·(k − 1) + output_padding + 1, PyTorch's formula; each term is bounded by
            // the editor's and the parser's limits, so int64 does not overflow here.
            auto side = [](int64_t n, int64_t s, int64_t pad, int64_t d, int64_t k, int64_t op) {
                if (n > (int64_t(1) << 31) || s > (int64_t(1) << 31) || d > (int64_t(1) << 31) ||
                    k > (int64_t(1) << 31) || pad > (int64_t(1) << 40) || op > (int64_t(1) << 40))
                    return int64_t(-1);
                return (n - 1) * s - 2 * pad + d * (k - 1) + op + 1;
            };
            const int64_t oh = side(H, L.stride.h, p.h, L.dilation.h, L.kernel.h, L.output_padding.h);
            const int64_t ow = side(W, L.stride.w, p.w, L.dilation.w, L.kernel.w, L.output_padding.w);
            if (oh < 1 || ow < 1) {
                refuse(c, LayerErrorKind::TooSmall, fail<ErrCode::net_tconv_empty>(H, W, oh, ow));
                return;
            }
            Shape out = x;
            out[off] = L.out;
            out[off + 1] = oh;
            out[off + 2] = ow;
            set_output(out, c);
            const int64_t n = rank == 4 ? x[0] : 1;
            c.macs = mul_sat(mul_sat(mul_sat(n, L.in), H * W), (L.out / L.groups) * L.kernel.h * L.kernel.w);
            return;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: {
            if (!check_spatial_rank(L, input, c)) return;
            Pool2dParams params = L.pool_params();
            params.max_mult_adds = std::numeric_limits<int64_t>::max();
            auto plan = plan_pool2d(input, params);
            if (!plan) {
                refuse_plan(L, input, plan.err(), c);
                return;
            }
            c.output = plan->output_shape();
            return;
        }
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d: {
            if (rank == 2) {  // PyTorch pools a 2-D input as one H×W plane
                Shape out = input;
                if (L.output_size.h > 0) out[0] = L.output_size.h;
                if (L.output_size.w > 0) out[1] = L.output_size.w;
                set_output(out, c);
                return;
            }
            if (!check_spatial_rank(L, input, c)) return;
            Shape out = input;
            if (L.output_size.h > 0) out[rank - 2] = L.output_size.h;
            if (L.output_size.w > 0) out[rank - 1] = L.output_size.w;
            set_output(out, c);
            return;
        }
        case LayerKind::BatchNorm2d:
            if (rank != 4) {
                refuse(c, LayerErrorKind::Rank, fail<ErrCode::net_batchnorm_rank>(shape_with_rank(input)));
                return;
            }
            check_channels("num_features", L.in, input, c);
            c.output = input;
            return;
        case LayerKind::LocalResponseNorm:
            if (rank < 3) {
                refuse(c, LayerErrorKind::Rank, fail<ErrCode::net_lrn_rank>(shape_with_rank(input)));
                return;
            }
            c.output = input;
            return;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            if (L.dim && (*L.dim < -int64_t(rank) || *L.dim >= int64_t(rank))) {
                refuse(c, LayerErrorKind::Rank,
                       fail<ErrCode::net_dim_range>("dim", *L.dim, shape_with_rank(input), -int64_t(rank),
                                                    rank - 1));
                return;
            }
            c.output = input;
            return;
        case LayerKind::ZeroPad2d:
        case LayerKind::ConstantPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d: {
            const bool mirror = L.kind == LayerKind::ReflectionPad2d || L.kind == LayerKind::ReplicationPad2d;
            if (mirror ? !check_spatial_rank(L, input, c) : rank < 2) {
                if (!mirror)
                    refuse(c, LayerErrorKind::Rank,
                           fail<ErrCode::net_pad_rank>(to_string(L.kind), shape_with_rank(input)));
                return;
            }
            const int64_t H = input[rank - 2], W = input[rank - 1];
            if (L.kind == LayerKind::ReflectionPad2d &&
                (L.pad_left >= W || L.pad_right >= W || L.pad_top >= H || L.pad_bottom >= H)) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_reflection_pad>(L.pad_left, L.pad_right, L.pad_top, L.pad_bottom, H,
                                                         W));
                return;
            }
            const int64_t oh = H + L.pad_top + L.pad_bottom, ow = W + L.pad_left + L.pad_right;
            if (oh < 1 || ow < 1) {
                refuse(c, LayerErrorKind::TooSmall,
                       fail<ErrCode::net_output_empty>(std::to_string(oh) + "×" + std::to_string(ow)));
                return;
            }
            Shape out = input;
            out[rank - 2] = oh;
            out[rank - 1] = ow;
            set_output(out, c);
            return;
        }
        case LayerKind::Upsample: {
            if (!check_spatial_rank(L, input, c)) return;
            if (rank == 3 && L.mode == UpsampleMode::Bilinear) {
                refuse(c, LayerErrorKind::Rank, fail<ErrCode::net_bilinear_rank>());
                return;
            }
            // A 3-D input is N×C×L to interpolate: one spatial axis, the last.
            Shape out = input;
            auto scaled = [](int64_t n, double s) {
                const double v = std::floor(double(n) * s);
                return v >= 1.0 && v < 9.0e15 ? int64_t(v) : int64_t(0);
            };
            if (L.output_size != Pair(0)) {
                if (rank == 3 && L.output_size.h != L.output_size.w) {
                    refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_interp_1d>("size"));
                    return;
                }
                if (rank == 4) out[2] = L.output_size.h;
                out[rank - 1] = L.output_size.w;
            } else {
                if (rank == 3 && L.scale_h != L.scale_w) {
                    refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_interp_1d>("scale_factor"));
                    return;
                }
                if (rank == 4) out[2] = scaled(input[2], L.scale_h);
                out[rank - 1] = scaled(input[rank - 1], L.scale_w);
                if (out[rank - 1] < 1 || out[rank - 2] < 1) {
                    refuse(c, LayerErrorKind::TooSmall,
                           fail<ErrCode::net_output_empty_or_large>(shape_to_string(out)));
                    return;
                }
            }
            set_output(out, c);
            return;
        }
        case LayerKind::Flatten: {
            const int64_t r = int64_t(rank);
            const int64_t start = L.start_dim < 0 ? L.start_dim + r : L.start_dim;
            const int64_t end = L.end_dim < 0 ? L.end_dim + r : L.end_dim;
            for (auto [name, given, value] :
                 {std::tuple{"start_dim", L.start_dim, start}, std::tuple{"end_dim", L.end_dim, end}})
                if (value < 0 || value >= r) {
                    refuse(c, LayerErrorKind::Rank,
                           fail<ErrCode::net_dim_range>(name, given, shape_with_rank(input), -r, r - 1));
                    return;
                }
            if (start > end) {
                refuse(c, LayerErrorKind::Argument, fail<ErrCode::net_start_after_end>());
                return;
            }
            Shape out(input.begin(), input.begin() + start);
            int64_t merged = 1;
            for (int64_t k = start; k <= end; ++k) merged *= input[size_t(k)];
            out.push_back(merged);
            out.insert(out.end(), input.begin() + end + 1, input.end());
            c.output = out;
            return;
        }
        case LayerKind::Linear: {
            Shape out = input;
            if (input.back() != L.in) {
                refuse(c, LayerErrorKind::Features,
                       fail<ErrCode::net_features>(
                           L.in, shape_to_string(input), input.back(),
                           input.size() > 2 ? word<ErrCode::net_hint_flatten_first>() : fail_text("")));
            }
            out.back() = L.out;
            if (shape_numel(out) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       fail<ErrCode::net_output_over_limits>(shape_to_string(out)));
                return;
            }
            c.output = out;
            c.macs = mul_sat(shape_numel(out), L.in);
            return;
        }
        default:  // value by value: the shape stays
            c.output = input;
            return;
    }
}

// torchinfo's calculate_macs for one layer (see check_network).
int64_t torchinfo_mult_adds(const Layer& L, const LayerCheck& c) {
    if (c.output.empty() || c.params == 0) return 0;
    const Shape& o = c.output;
    int64_t positions = 1;
    if (L.kind == LayerKind::Conv2d || L.kind == LayerKind::ConvTranspose2d) {
        positions = o[0];  // output_size[:1] + output_size[2:]
        for (size_t k = 2; k < o.size(); ++k) positions = mul_sat(positions, o[k]);
    } else if (L.kind == LayerKind::Linear) {
        for (size_t k = 0; k + 1 < o.size(); ++k) positions = mul_sat(positions, o[k]);
    } else {
        positions = o[0];
    }
    return mul_sat(c.params, positions);
}

// The receptive field after layer L, from the one before (see ReceptiveField); nullopt where it stops.
std::optional<ReceptiveField> next_field(const Layer& L, const ReceptiveField& in, const Shape& input) {
    auto window = [&](Pair k, Pair s, Pair pad, Pair d) {
        ReceptiveField r;
        const Pair ke(d.h * (k.h - 1) + 1, d.w * (k.w - 1) + 1);
        r.size = Pair(in.size.h + (ke.h - 1) * in.jump.h, in.size.w + (ke.w - 1) * in.jump.w);
        r.jump = Pair(in.jump.h * s.h, in.jump.w * s.w);
        r.start_h = in.start_h + (double(ke.h - 1) / 2.0 - double(pad.h)) * double(in.jump.h);
        r.start_w = in.start_w + (double(ke.w - 1) / 2.0 - double(pad.w)) * double(in.jump.w);
        return r;
    };
    switch (L.kind) {
        case LayerKind::Conv2d: {
            Pair pad(0);
            if (L.padding.kind == PaddingKind::Explicit) pad = L.padding.amount;
            if (L.padding.kind == PaddingKind::Same)  // PyTorch puts the odd one at the end
                pad = Pair(L.dilation.h * (L.kernel.h - 1) / 2, L.dilation.w * (L.kernel.w - 1) / 2);
            return window(L.kernel, L.stride, pad, L.dilation);
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            return window(L.kernel, L.stride == Pair(0) ? L.kernel : L.stride, L.padding.amount,
                          L.kind == LayerKind::AvgPool2d ? Pair(1) : L.dilation);
        case LayerKind::ZeroPad2d:
        case LayerKind::ConstantPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d: {
            ReceptiveField r = in;
            r.start_h -= double(L.pad_top) * double(in.jump.h);
            r.start_w -= double(L.pad_left) * double(in.jump.w);
            return r;
        }
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax: {
            // Over channels (dim None picks 1 for 4-D, 0 for 3-D) it keeps positions apart; else it mixes
            // them.
            const int64_t r = int64_t(input.size());
            const int64_t d = L.dim ? (*L.dim < 0 ? *L.dim + r : *L.dim) : (r == 4 ? 1 : 0);
            if (d == int64_t(channel_axis(input))) return in;
            return std::nullopt;
        }
        default:
            if (is_elementwise(L.kind) || L.kind == LayerKind::BatchNorm2d ||
                L.kind == LayerKind::LocalResponseNorm)
                return in;
            return std::nullopt;
    }
}

}  // namespace

std::string with_thousands(int64_t v) {
    const std::string digits = std::to_string(v < 0 ? -v : v);
    std::string r = v < 0 ? "-" : "";
    for (size_t k = 0; k < digits.size(); ++k) {
        if (k && (digits.size() - k) % 3 == 0) r += ',';
        r += digits[k];
    }
    return r;
}

// [SECTION] Layers

std::string_view to_string(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
            return "Conv2d";
        case LayerKind::ConvTranspose2d:
            return "ConvTranspose2d";
        case LayerKind::MaxPool2d:
            return "MaxPool2d";
        case LayerKind::AvgPool2d:
            return "AvgPool2d";
        case LayerKind::AdaptiveAvgPool2d:
            return "AdaptiveAvgPool2d";
        case LayerKind::AdaptiveMaxPool2d:
            return "AdaptiveMaxPool2d";
        case LayerKind::BatchNorm2d:
            return "BatchNorm2d";
        case LayerKind::Dropout:
            return "Dropout";
        case LayerKind::Dropout2d:
            return "Dropout2d";
        case LayerKind::ReLU:
            return "ReLU";
        case LayerKind::ReLU6:
            return "ReLU6";
        case LayerKind::LeakyReLU:
            return "LeakyReLU";
        case LayerKind::ELU:
            return "ELU";
        case LayerKind::GELU:
            return "GELU";
        case LayerKind::SiLU:
            return "SiLU";
        case LayerKind::Hardswish:
            return "Hardswish";
        case LayerKind::Sigmoid:
            return "Sigmoid";
        case LayerKind::Tanh:
            return "Tanh";
        case LayerKind::Softmax:
            return "Softmax";
        case LayerKind::LogSoftmax:
            return "LogSoftmax";
        case LayerKind::Identity:
            return "Identity";
        case LayerKind::Flatten:
            return "Flatten";
        case LayerKind::Linear:
            return "Linear";
        case LayerKind::ZeroPad2d:
            return "ZeroPad2d";
        case LayerKind::ConstantPad2d:
            return "ConstantPad2d";
        case LayerKind::ReflectionPad2d:
            return "ReflectionPad2d";
        case LayerKind::ReplicationPad2d:
            return "ReplicationPad2d";
        case LayerKind::Upsample:
            return "Upsample";
        case LayerKind::LocalResponseNorm:
            return "LocalResponseNorm";
    }
    return "?";
}

bool is_elementwise(LayerKind kind) {
    switch (kind) {
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
        case LayerKind::ReLU:
        case LayerKind::ReLU6:
        case LayerKind::LeakyReLU:
        case LayerKind::ELU:
        case LayerKind::GELU:
        case LayerKind::SiLU:
        case LayerKind::Hardswish:
        case LayerKind::Sigmoid:
        case LayerKind::Tanh:
        case LayerKind::Identity:
            return true;
        default:
            return false;
    }
}

Layer Layer::make(LayerKind kind) {
    Layer L;
    L.kind = kind;
    switch (kind) {
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            L.stride = Pair(0);
            L.kernel = Pair(2);
            break;
        case LayerKind::ConvTranspose2d:
        case LayerKind::Conv2d:
            L.kernel = Pair(1);
            break;
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            L.output_size = Pair(1);
            break;
        case LayerKind::LocalResponseNorm:
            L.alpha = 1e-4;
            break;
        case LayerKind::Upsample:
            L.scale_h = L.scale_w = 2.0;
            break;
        default:
            break;
    }
    return L;
}

Layer Layer::conv2d(int64_t in_channels, int64_t out_channels, Pair kernel_size) {
    Layer L;
    L.kind = LayerKind::Conv2d;
    L.in = in_channels;
    L.out = out_channels;
    L.kernel = kernel_size;
    return L;
}

Layer Layer::max_pool2d(Pair kernel_size) {
    Layer L;
    L.kind = LayerKind::MaxPool2d;
    L.kernel = kernel_size;
    L.stride = Pair(0);
    return L;
}

Layer Layer::avg_pool2d(Pair kernel_size) {
    Layer L = max_pool2d(kernel_size);
    L.kind = LayerKind::AvgPool2d;
    return L;
}

Layer Layer::relu() {
    return Layer{};
}

Layer Layer::flatten() {
    Layer L;
    L.kind = LayerKind::Flatten;
    return L;
}

Layer Layer::linear(int64_t in_features, int64_t out_features) {
    Layer L;
    L.kind = LayerKind::Linear;
    L.in = in_features;
    L.out = out_features;
    return L;
}

Conv2dParams Layer::conv_params() const {
    Conv2dParams p;
    p.stride = stride;
    p.padding = padding;
    p.dilation = dilation;
    p.groups = groups;
    p.padding_mode = padding_mode;
    return p;
}

Pool2dParams Layer::pool_params() const {
    Pool2dParams p;
    p.op = kind == LayerKind::AvgPool2d ? PoolOp::Avg : PoolOp::Max;
    p.kernel = kernel;
    p.stride = stride;  // 0 stays "the kernel size"
    p.padding = padding.amount;
    p.dilation = kind == LayerKind::AvgPool2d ? Pair(1) : dilation;
    p.ceil_mode = ceil_mode;
    p.count_include_pad = count_include_pad;
    return p;
}

Network Network::lecture() {
    Network n;
    n.input = {1, 1, 28, 28};
    n.layers = {Layer::conv2d(1, 5, 5), Layer::max_pool2d(2)};
    return n;
}

// [SECTION] Checking

NetworkCheck check_network(const Network& net) {
    NetworkCheck result;
    Shape shape = net.input;
    bool known = true;
    if (net.input.empty() || net.input.size() > 4) {
        result.input_error =
            "the input must have 1 to 4 dimensions (N, C, H, W), got " + shape_with_rank(net.input);
        known = false;
    } else if (shape_numel(net.input) < 1) {
        result.input_error =
            "every input dimension must be at least 1 and the input within the limits, got " +
            shape_to_string(net.input);
        known = false;
    }
    std::optional<ReceptiveField> rf;
    if (known && (net.input.size() == 3 || net.input.size() == 4)) rf = ReceptiveField{};
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& L = net.layers[i];
        LayerCheck c;
        c.after_error = result.first_error >= 0 || !result.input_error.empty();
        if (check_arguments(L, c)) {
            c.params = param_count(L);
            c.buffers = buffer_count(L);
            if (known) check_on_input(L, shape, c);
        }
        if (!c.ok() && result.first_error < 0) result.first_error = int(i);
        if (rf && known && !c.output.empty())
            rf = next_field(L, *rf, shape);
        else
            rf.reset();
        c.rf = rf;
        c.mult_adds = torchinfo_mult_adds(L, c);
        known = known && !c.output.empty();
        if (known) shape = c.output;
        result.total_params = add_sat(result.total_params, c.params);
        result.total_buffers = add_sat(result.total_buffers, c.buffers);
        result.total_macs = add_sat(result.total_macs, c.macs);
        result.total_mult_adds = add_sat(result.total_mult_adds, c.mult_adds);
        result.layers.push_back(std::move(c));
    }
    result.trainable_params = result.total_params;
    return result;
}

SizeEstimate estimate_sizes(const Network& net, const NetworkCheck& check) {
    SizeEstimate e;
    e.input_mb = double(std::max<int64_t>(0, shape_numel(net.input))) * 4.0 / 1e6;
    double outputs = 0;
    for (const LayerCheck& c : check.layers)
        if (c.params > 0 && !c.output.empty()) outputs += double(shape_numel(c.output));
    e.forward_backward_mb = 2.0 * outputs * 4.0 / 1e6;
    e.params_mb = double(check.total_params) * 4.0 / 1e6;
    e.total_mb = e.input_mb + e.forward_backward_mb + e.params_mb;
    return e;
}

// [SECTION] Running

namespace {

// The learnable weight's shape (empty for layers without one).
Shape weight_shape(const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d:
            return conv_weight_shape(L);
        case LayerKind::ConvTranspose2d:
            return conv_transpose_weight_shape(L);
        case LayerKind::Linear:
            return {L.out, L.in};
        case LayerKind::BatchNorm2d:
            return L.affine ? Shape{L.in} : Shape{};
        default:
            return {};
    }
}

bool has_bias(const Layer& L) {
    return ((L.kind == LayerKind::Conv2d || L.kind == LayerKind::ConvTranspose2d ||
             L.kind == LayerKind::Linear) &&
            L.bias) ||
           (L.kind == LayerKind::BatchNorm2d && L.affine);
}

int64_t bias_size(const Layer& L) {
    return L.kind == LayerKind::BatchNorm2d ? L.in : L.out;
}

}  // namespace

LayerWeights random_layer_weights(const Layer& L, uint32_t seed) {
    LayerWeights w;
    const Shape wshape = weight_shape(L);
    if (wshape.empty()) return w;
    if (L.kind == LayerKind::BatchNorm2d) {  // PyTorch's reset_parameters: weight 1, bias 0
        w.weight = Tensor::filled(wshape, 1.0f);
        w.bias = Tensor::filled({L.in}, 0.0f);
        return w;
    }
    std::mt19937 rng(seed);
    // fan_in: PyTorch takes weight.size(1)·kH·kW, which for ConvTranspose2d is O/groups·kH·kW.
    const int64_t fan_in = shape_numel(wshape) / wshape[0];
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    const float bound = 1.0f / std::sqrt(float(fan_in));
    w.weight = Tensor::filled(wshape);
    for (float& v : w.weight.data) v = bound * dist(rng);
    if (L.bias) {
        w.bias = Tensor::filled({L.out});
        for (float& v : w.bias.data) v = bound * dist(rng);
    }
    return w;
}

std::vector<LayerWeights> random_weights(const Network& net, uint32_t seed) {
    std::vector<LayerWeights> weights(net.layers.size());
    // Each layer draws from its own stream, so editing one layer leaves the others' weights as they were.
    for (size_t i = 0; i < net.layers.size(); ++i)
        weights[i] = random_layer_weights(net.layers[i], seed * 1000003u + uint32_t(i) * 7919u + 1u);
    return weights;
}

Status set_channel_preset(const Layer& L, LayerWeights& w, int64_t o, std::string_view preset) {
    if (L.kind != LayerKind::Conv2d) return fail("only Conv2d layers take preset kernels");
    if (L.groups < 1 || L.in % L.groups != 0 || w.weight.shape != conv_weight_shape(L))
        return fail("the weights do not match the layer");
    if (o < 0 || o >= L.out) return fail("output channel " + std::to_string(o) + " does not exist");
    const int64_t kh = L.kernel.h, kw = L.kernel.w;
    auto k = make_preset(preset, std::clamp<int64_t>(std::min(kh, kw), 1, kMaxImageKernelSide));
    if (!k) return k.err();
    const int64_t cpg = L.in / L.groups;
    float* channel = w.weight.data.data() + o * cpg * kh * kw;
    std::fill(channel, channel + cpg * kh * kw, 0.0f);
    for (int64_t r = 0; r < k->rows; ++r)
        for (int64_t c = 0; c < k->cols; ++c) {
            const int64_t y = r + (kh - k->rows) / 2, x = c + (kw - k->cols) / 2;
            if (y < 0 || y >= kh || x < 0 || x >= kw) continue;
            for (int64_t ci = 0; ci < cpg; ++ci)
                channel[(ci * kh + y) * kw + x] = k->weight(r, c) / float(cpg);
        }
    if (L.bias && size_t(o) < w.bias.data.size()) w.bias.data[size_t(o)] = 0.0f;
    return {};
}

Tensor input_from_image(const Shape& shape, const Tensor& image) {
    Tensor out = Tensor::filled(shape);
    const size_t r = shape.size();
    const int64_t H = r >= 3 ? shape[r - 2] : 1, W = r >= 3 ? shape[r - 1] : shape.back();
    const int64_t C = r == 4 ? shape[1] : r == 3 ? shape[0] : 1;
    const Tensor sized = resize_area(image, H, W);  // C_image × H × W
    const int64_t ci = sized.rank() == 3 ? sized.shape[0] : 1;
    std::vector<float> grey(size_t(H * W), 0.0f);
    for (int64_t c = 0; c < ci; ++c)
        for (int64_t i = 0; i < H * W; ++i) grey[size_t(i)] += sized.data[size_t(c * H * W + i)] / float(ci);
    const int64_t per_sample = C * H * W;
    for (int64_t i = 0; i < out.numel(); ++i) {
        const int64_t k = i % per_sample, c = k / (H * W), p = k % (H * W);
        out.data[size_t(i)] = ci == C ? sized.data[size_t(c * H * W + p)] : grey[size_t(p)];
    }
    return out;
}

namespace {

// y = x·Wᵀ + b over the last dimension; the sum runs in input order, as a plain dot product.
Tensor linear(const Tensor& x, const LayerWeights& w, const Shape& out_shape) {
    Tensor y = Tensor::filled(out_shape);
    const int64_t in = w.weight.shape[1], out = w.weight.shape[0];
    const int64_t rows = x.numel() / in;
    const bool has_bias = !w.bias.data.empty();
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x.data.data() + r * in;
        for (int64_t o = 0; o < out; ++o) {
            const float* wo = w.weight.data.data() + o * in;
            float sum = 0.0f;
            for (int64_t k = 0; k < in; ++k) sum += xr[k] * wo[k];
            y.data[size_t(r * out + o)] = has_bias ? sum + w.bias.data[size_t(o)] : sum;
        }
    }
    return y;
}

Status check_weights(const Layer& L, const LayerWeights& w, size_t index) {
    const Shape expected = weight_shape(L);
    if (expected.empty()) return {};
    const std::string where =
        "layer " + std::to_string(index + 1) + " (" + std::string(to_string(L.kind)) + "): ";
    if (w.weight.shape != expected || int64_t(w.weight.data.size()) != shape_numel(expected))
        return fail(where + "the weight must be " + shape_to_string(expected) + ", got " +
                    shape_to_string(w.weight.shape));
    const bool bias = has_bias(L);
    const Shape bshape = bias ? Shape{bias_size(L)} : Shape{};
    if (w.bias.shape != bshape || int64_t(w.bias.data.size()) != (bias ? bias_size(L) : 0))
        return fail(where + (bias ? "the bias must have " + std::to_string(bias_size(L)) + " values"
                                  : "no bias expected"));
    return {};
}

// Planes of a 3-D or 4-D tensor: (N·C, H, W), N·C = 1·C for 3-D.
struct Planes {
    int64_t n = 1, c = 1, h = 1, w = 1;
};
Planes planes_of(const Shape& s) {
    Planes p;
    if (s.size() == 4) p = {s[0], s[1], s[2], s[3]};
    if (s.size() == 3) p = {1, s[0], s[1], s[2]};
    if (s.size() == 2) p = {1, 1, s[0], s[1]};
    return p;
}

Tensor map_values(Tensor x, float (*f)(float, const Layer&), const Layer& L) {
    for (float& v : x.data) v = f(v, L);
    return x;
}

float activation(float v, const Layer& L) {
    switch (L.kind) {
        case LayerKind::ReLU:
            return v < 0.0f ? 0.0f : v;
        case LayerKind::ReLU6:
            return v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v;
        case LayerKind::LeakyReLU:
            return v < 0.0f ? float(L.negative_slope) * v : v;
        case LayerKind::ELU:
            return v > 0.0f ? v : float(L.alpha) * std::expm1(v);
        case LayerKind::GELU:
            if (L.tanh_approximation)
                return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
            return 0.5f * v * (1.0f + std::erf(v * 0.70710678f));
        case LayerKind::SiLU:
            return v / (1.0f + std::exp(-v));
        case LayerKind::Hardswish:
            return v <= -3.0f ? 0.0f : v >= 3.0f ? v : v * (v + 3.0f) / 6.0f;
        case LayerKind::Sigmoid:
            return 1.0f / (1.0f + std::exp(-v));
        case LayerKind::Tanh:
            return std::tanh(v);
        default:  // Identity, Dropout and Dropout2d in eval mode
            return v;
    }
}

// ConvTranspose2d as the scatter it is: each input value times the kernel, added at stride steps.
Tensor conv_transpose(const Tensor& x, const LayerWeights& w, const Layer& L, const Shape& out_shape) {
    const Planes in = planes_of(x.shape), out = planes_of(out_shape);
    Tensor y = Tensor::filled(out_shape);
    const int64_t cpg = L.in / L.groups, opg = L.out / L.groups, kh = L.kernel.h, kw = L.kernel.w;
    for (int64_t n = 0; n < in.n; ++n)
        for (int64_t ci = 0; ci < in.c; ++ci) {
            const int64_t g = ci / cpg;
            const float* xp = x.data.data() + (n * in.c + ci) * in.h * in.w;
            for (int64_t oc = 0; oc < opg; ++oc) {
                const int64_t o = g * opg + oc;
                float* yp = y.data.data() + (n * out.c + o) * out.h * out.w;
                const float* k = w.weight.data.data() + (ci * opg + oc) * kh * kw;
                for (int64_t iy = 0; iy < in.h; ++iy)
                    for (int64_t ix = 0; ix < in.w; ++ix) {
                        const float v = xp[iy * in.w + ix];
                        for (int64_t ky = 0; ky < kh; ++ky) {
                            const int64_t oy = iy * L.stride.h - L.padding.amount.h + ky * L.dilation.h;
                            if (oy < 0 || oy >= out.h) continue;
                            for (int64_t kx = 0; kx < kw; ++kx) {
                                const int64_t ox = ix * L.stride.w - L.padding.amount.w + kx * L.dilation.w;
                                if (ox < 0 || ox >= out.w) continue;
                                yp[oy * out.w + ox] += v * k[ky * kw + kx];
                            }
                        }
                    }
            }
        }
    if (L.bias)
        for (int64_t n = 0; n < out.n; ++n)
            for (int64_t o = 0; o < out.c; ++o) {
                float* yp = y.data.data() + (n * out.c + o) * out.h * out.w;
                for (int64_t i = 0; i < out.h * out.w; ++i) yp[i] += w.bias.data[size_t(o)];
            }
    return y;
}

// Adaptive pooling: output cell i covers input rows ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ − 1, as PyTorch's kernels.
Tensor adaptive_pool(const Tensor& x, bool max, const Shape& out_shape) {
    const Planes in = planes_of(x.shape), out = planes_of(out_shape);
    Tensor y = Tensor::filled(out_shape);
    for (int64_t p = 0; p < in.n * in.c; ++p) {
        const float* xp = x.data.data() + p * in.h * in.w;
        float* yp = y.data.data() + p * out.h * out.w;
        for (int64_t i = 0; i < out.h; ++i) {
            const int64_t y0 = i * in.h / out.h, y1 = ((i + 1) * in.h + out.h - 1) / out.h;
            for (int64_t j = 0; j < out.w; ++j) {
                const int64_t x0 = j * in.w / out.w, x1 = ((j + 1) * in.w + out.w - 1) / out.w;
                float acc = max ? -std::numeric_limits<float>::infinity() : 0.0f;
                for (int64_t r = y0; r < y1; ++r)
                    for (int64_t c = x0; c < x1; ++c) {
                        const float v = xp[r * in.w + c];
                        acc = max ? (v > acc || std::isnan(v) ? v : acc) : acc + v;
                    }
                yp[i * out.w + j] = max ? acc : acc / float((y1 - y0) * (x1 - x0));
            }
        }
    }
    return y;
}

// BatchNorm2d in eval mode with running mean 0 and variance 1: x / √(1 + eps) · weight + bias.
Tensor batch_norm(Tensor x, const LayerWeights& w, const Layer& L) {
    const Planes p = planes_of(x.shape);
    const float inv = 1.0f / std::sqrt(1.0f + float(L.eps));
    for (int64_t n = 0; n < p.n; ++n)
        for (int64_t c = 0; c < p.c; ++c) {
            const float scale = inv * (L.affine ? w.weight.data[size_t(c)] : 1.0f);
            const float shift = L.affine ? w.bias.data[size_t(c)] : 0.0f;
            float* xp = x.data.data() + (n * p.c + c) * p.h * p.w;
            for (int64_t i = 0; i < p.h * p.w; ++i) xp[i] = xp[i] * scale + shift;
        }
    return x;
}

// LocalResponseNorm across channels: x / (k + α/size · Σ x²)^β over the `size` channels around each one
// (size/2 before, (size−1)/2 after), as PyTorch's F.local_response_norm.
Tensor local_response_norm(const Tensor& x, const Layer& L) {
    const size_t r = x.shape.size();
    // PyTorch reads dimension 1 as the channels (a 3-D input is N×C×L).
    const int64_t n = x.shape[0], C = x.shape[1];
    const int64_t plane = x.numel() / std::max<int64_t>(1, n * C);
    Tensor y = x;
    for (int64_t b = 0; b < n; ++b)
        for (int64_t ch = 0; ch < C; ++ch)
            for (int64_t i = 0; i < plane; ++i) {
                double sum = 0;
                for (int64_t d = ch - L.size / 2; d <= ch + (L.size - 1) / 2; ++d)
                    if (d >= 0 && d < C) {
                        const double v = x.data[size_t((b * C + d) * plane + i)];
                        sum += v * v;
                    }
                const size_t at = size_t((b * C + ch) * plane + i);
                y.data[at] =
                    float(double(x.data[at]) / std::pow(L.k + L.alpha * sum / double(L.size), L.beta));
            }
    return y;
}

// Softmax or log-softmax along `dim` (None: PyTorch's legacy choice, 0 for 0-, 1- and 3-D inputs, else 1).
Tensor softmax(const Tensor& x, const Layer& L) {
    const int64_t r = int64_t(x.shape.size());
    const int64_t d = L.dim ? (*L.dim < 0 ? *L.dim + r : *L.dim) : (r == 0 || r == 1 || r == 3 ? 0 : 1);
    int64_t outer = 1, inner = 1;
    for (int64_t k = 0; k < d; ++k) outer *= x.shape[size_t(k)];
    for (int64_t k = d + 1; k < r; ++k) inner *= x.shape[size_t(k)];
    const int64_t len = x.shape[size_t(d)];
    Tensor y = x;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
            auto at = [&](int64_t j) { return size_t((o * len + j) * inner + i); };
            float m = -std::numeric_limits<float>::infinity();
            for (int64_t j = 0; j < len; ++j) m = std::max(m, x.data[at(j)]);
            double sum = 0;
            for (int64_t j = 0; j < len; ++j) sum += std::exp(double(x.data[at(j)] - m));
            for (int64_t j = 0; j < len; ++j)
                y.data[at(j)] = L.kind == LayerKind::LogSoftmax
                                    ? float(double(x.data[at(j)] - m) - std::log(sum))
                                    : float(std::exp(double(x.data[at(j)] - m)) / sum);
        }
    return y;
}

// The source index of padded position i (0-based in the padded axis) for a padding layer, or −1 for a
// constant.
int64_t pad_source(LayerKind kind, int64_t i, int64_t before, int64_t n) {
    const int64_t j = i - before;
    if (j >= 0 && j < n) return j;
    switch (kind) {
        case LayerKind::ReflectionPad2d:
            return j < 0 ? -j : 2 * (n - 1) - j;
        case LayerKind::ReplicationPad2d:
            return j < 0 ? 0 : n - 1;
        default:
            return -1;
    }
}

Tensor pad_layer(const Tensor& x, const Layer& L, const Shape& out_shape) {
    const size_t r = x.shape.size();
    const int64_t H = x.shape[r - 2], W = x.shape[r - 1], oh = out_shape[r - 2], ow = out_shape[r - 1];
    const int64_t planes = x.numel() / (H * W);
    const float fill = L.kind == LayerKind::ConstantPad2d ? float(L.value) : 0.0f;
    Tensor y = Tensor::filled(out_shape, fill);
    for (int64_t p = 0; p < planes; ++p)
        for (int64_t i = 0; i < oh; ++i) {
            const int64_t sy = pad_source(L.kind, i, L.pad_top, H);
            if (sy < 0) continue;
            for (int64_t j = 0; j < ow; ++j) {
                const int64_t sx = pad_source(L.kind, j, L.pad_left, W);
                if (sx >= 0) y.data[size_t((p * oh + i) * ow + j)] = x.data[size_t((p * H + sy) * W + sx)];
            }
        }
    return y;
}

// Upsample's source coordinates along one axis: for nearest one index per output, for bilinear two with
// their weights. Scale is PyTorch's: 1/scale_factor when scale_factor is given, else in/out.
struct AxisTaps {
    std::vector<int64_t> i0, i1;
    std::vector<float> w1;  // weight of i1 (i0 gets 1 − w1)
};
AxisTaps upsample_taps(const Layer& L, int64_t in, int64_t out, double scale_factor) {
    AxisTaps t;
    const bool given = L.output_size == Pair(0) && scale_factor > 0.0;
    const bool align = L.align_corners.value_or(false);
    for (int64_t o = 0; o < out; ++o) {
        if (L.mode == UpsampleMode::Nearest) {
            const double scale = given ? 1.0 / scale_factor : double(in) / double(out);
            const int64_t src = std::min<int64_t>(int64_t(std::floor(double(o) * scale)), in - 1);
            t.i0.push_back(src);
            t.i1.push_back(src);
            t.w1.push_back(0.0f);
            continue;
        }
        double src;
        if (align)
            src = out > 1 ? double(o) * double(in - 1) / double(out - 1) : 0.0;
        else {
            const double scale = given ? 1.0 / scale_factor : double(in) / double(out);
            src = std::max(0.0, (double(o) + 0.5) * scale - 0.5);
        }
        const int64_t i0 = std::min<int64_t>(int64_t(std::floor(src)), in - 1);
        const int64_t i1 = std::min<int64_t>(i0 + 1, in - 1);
        t.i0.push_back(i0);
        t.i1.push_back(i1);
        t.w1.push_back(float(src - double(i0)));
    }
    return t;
}

Tensor upsample(const Tensor& x, const Layer& L, const Shape& out_shape) {
    const size_t r = x.shape.size();
    const bool one_d = r == 3;
    const int64_t H = one_d ? 1 : x.shape[r - 2], W = x.shape[r - 1];
    const int64_t oh = one_d ? 1 : out_shape[r - 2], ow = out_shape[r - 1];
    const AxisTaps ty = upsample_taps(L, H, oh, one_d ? 1.0 : L.scale_h);
    const AxisTaps tx = upsample_taps(L, W, ow, L.scale_w);
    const int64_t planes = x.numel() / (H * W);
    Tensor y = Tensor::filled(out_shape);
    for (int64_t p = 0; p < planes; ++p) {
        const float* xp = x.data.data() + p * H * W;
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                const size_t yi = size_t(i), xj = size_t(j);
                const float a = xp[ty.i0[yi] * W + tx.i0[xj]], b = xp[ty.i0[yi] * W + tx.i1[xj]];
                const float c = xp[ty.i1[yi] * W + tx.i0[xj]], d = xp[ty.i1[yi] * W + tx.i1[xj]];
                const float top = a + (b - a) * tx.w1[xj], bottom = c + (d - c) * tx.w1[xj];
                y.data[size_t((p * oh + i) * ow + j)] = top + (bottom - top) * ty.w1[yi];
            }
    }
    return y;
}

}  // namespace

Result<std::vector<Tensor>> run_network(const Network& net, const std::vector<LayerWeights>& weights,
                                        const Tensor& input, Backend& backend) {
    const NetworkCheck check = check_network(net);
    if (!check.input_error.empty()) return fail("input: " + check.input_error);
    if (check.first_error >= 0) {
        const size_t k = size_t(check.first_error);
        return fail("layer " + std::to_string(k + 1) + " (" + std::string(to_string(net.layers[k].kind)) +
                    "): " + check.layers[k].error);
    }
    if (input.shape != net.input || int64_t(input.data.size()) != shape_numel(net.input))
        return fail("the input must be " + shape_to_string(net.input) + ", got " +
                    shape_to_string(input.shape));
    if (weights.size() != net.layers.size())
        return fail("expected weights for " + std::to_string(net.layers.size()) + " layers, got " +
                    std::to_string(weights.size()));
    std::vector<Tensor> outputs;
    outputs.reserve(net.layers.size());
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& L = net.layers[i];
        if (auto s = check_weights(L, weights[i], i); !s) return s.err();
        const Tensor& x = i == 0 ? input : outputs.back();
        Result<Tensor> y = Tensor{};
        const Shape& out = check.layers[i].output;
        switch (L.kind) {
            case LayerKind::Conv2d:
                y = backend.conv2d(x, weights[i].weight, L.bias ? &weights[i].bias : nullptr,
                                   L.conv_params());
                break;
            case LayerKind::ConvTranspose2d:
                y = conv_transpose(x, weights[i], L, out);
                break;
            case LayerKind::MaxPool2d:
            case LayerKind::AvgPool2d:
                y = backend.pool2d(x, L.pool_params());
                break;
            case LayerKind::AdaptiveAvgPool2d:
            case LayerKind::AdaptiveMaxPool2d:
                y = adaptive_pool(x, L.kind == LayerKind::AdaptiveMaxPool2d, out);
                break;
            case LayerKind::BatchNorm2d:
                y = batch_norm(x, weights[i], L);
                break;
            case LayerKind::LocalResponseNorm:
                y = local_response_norm(x, L);
                break;
            case LayerKind::Softmax:
            case LayerKind::LogSoftmax:
                y = softmax(x, L);
                break;
            case LayerKind::ZeroPad2d:
            case LayerKind::ConstantPad2d:
            case LayerKind::ReflectionPad2d:
            case LayerKind::ReplicationPad2d:
                y = pad_layer(x, L, out);
                break;
            case LayerKind::Upsample:
                y = upsample(x, L, out);
                break;
            case LayerKind::Flatten:
                y = Tensor(out, x.data);
                break;
            case LayerKind::Linear:
                y = linear(x, weights[i], out);
                break;
            default:
                y = map_values(x, activation, L);
                break;
        }
        if (!y)
            return fail("layer " + std::to_string(i + 1) + " (" + std::string(to_string(L.kind)) +
                        "): " + y.error());
        outputs.push_back(std::move(*y));
    }
    return outputs;
}

Tensor resize_area(const Tensor& x, int64_t h, int64_t w) {
    assert(x.rank() >= 2 && h >= 1 && w >= 1);
    const int64_t H = x.shape[size_t(x.rank() - 2)], W = x.shape[size_t(x.rank() - 1)];
    Shape shape = x.shape;
    shape[size_t(x.rank() - 2)] = h;
    shape[size_t(x.rank() - 1)] = w;
    Tensor y = Tensor::filled(shape);
    const int64_t planes = (H > 0 && W > 0) ? x.numel() / (H * W) : 0;
    for (int64_t p = 0; p < planes; ++p) {
        const float* in = x.data.data() + p * H * W;
        float* out = y.data.data() + p * h * w;
        for (int64_t i = 0; i < h; ++i) {
            const int64_t y0 = (i * H) / h, y1 = ((i + 1) * H + h - 1) / h;
            for (int64_t j = 0; j < w; ++j) {
                const int64_t x0 = (j * W) / w, x1 = ((j + 1) * W + w - 1) / w;
                float sum = 0.0f;
                for (int64_t r = y0; r < y1; ++r)
                    for (int64_t c = x0; c < x1; ++c) sum += in[r * W + c];
                out[i * w + j] = sum / float((y1 - y0) * (x1 - x0));
            }
        }
    }
    return y;
}

Result<Neighbourhood> layer_step(const Layer& L, const LayerWeights& w, const Tensor& layer_input,
                                 int64_t channel, int64_t oy, int64_t ox, int64_t reach, int64_t max_side,
                                 int64_t max_kernel, int64_t max_channels) {
    if (L.kind != LayerKind::Conv2d && L.kind != LayerKind::MaxPool2d && L.kind != LayerKind::AvgPool2d)
        return fail(std::string(to_string(L.kind)) + " has no sliding window to step through");
    if (layer_input.rank() != 3 && layer_input.rank() != 4)
        return fail("the layer's input " + shape_to_string(layer_input.shape) + " is not C×H×W or N×C×H×W");
    // The first sample, C×H×W.
    const int64_t C = layer_input.dim(layer_input.rank() - 3), H = layer_input.dim(layer_input.rank() - 2),
                  W = layer_input.dim(layer_input.rank() - 1);
    const Tensor sample({C, H, W},
                        std::vector<float>(layer_input.data.begin(), layer_input.data.begin() + C * H * W));
    FilterSpec spec;
    if (L.kind != LayerKind::Conv2d) {
        spec.op = L.kind == LayerKind::MaxPool2d ? FilterOp::MaxPool : FilterOp::AvgPool;
        spec.pool = L.pool_params();
        return stepper_neighbourhood(sample, spec, channel, oy, ox, reach, max_side, max_kernel);
    }
    if (L.groups < 1 || L.in % L.groups != 0 || L.out % L.groups != 0 || C != L.in)
        return fail("the layer does not fit its input");
    if (channel < 0 || channel >= L.out)
        return fail("output channel " + std::to_string(channel) + " does not exist");
    const int64_t cpg = L.in / L.groups, group = channel / (L.out / L.groups);
    if (cpg > max_channels)
        return fail("each output channel of this layer reads " + std::to_string(cpg) +
                    " input channels; the stepper shows at most " + std::to_string(max_channels));
    if (w.weight.shape != Shape{L.out, cpg, L.kernel.h, L.kernel.w})
        return fail("the weights do not match the layer");
    spec.op = FilterOp::Conv;
    spec.conv = L.conv_params();
    spec.kernel.rows = L.kernel.h;
    spec.kernel.cols = L.kernel.w;
    // One neighbourhood per input channel of the group, each with that channel's slice of the kernel: the
    // same region every time, stacked into one multi-channel problem.
    Neighbourhood out;
    std::vector<float> inputs, weights;
    for (int64_t ci = 0; ci < cpg; ++ci) {
        const float* k = w.weight.data.data() + (channel * cpg + ci) * L.kernel.h * L.kernel.w;
        spec.kernel.cells.assign(k, k + L.kernel.h * L.kernel.w);
        auto nb = stepper_neighbourhood(sample, spec, group * cpg + ci, oy, ox, reach, max_side, max_kernel);
        if (!nb) return nb;
        inputs.insert(inputs.end(), nb->problem.input.data.begin(), nb->problem.input.data.end());
        weights.insert(weights.end(), nb->problem.weight.data.begin(), nb->problem.weight.data.end());
        if (ci == 0) out = std::move(*nb);
    }
    StepperProblem& p = out.problem;
    p.input = Tensor({cpg, p.input.dim(1), p.input.dim(2)}, std::move(inputs));
    p.weight = Tensor({1, cpg, L.kernel.h, L.kernel.w}, std::move(weights));
    p.has_bias = L.bias;
    p.bias = Tensor({1}, {L.bias ? w.bias.data[size_t(channel)] : 0.0f});
    return out;
}

// [SECTION] Receptive fields

namespace {

// One axis of a layer's window: kernel, stride, padding before, dilation.
struct AxisWindow {
    int64_t k = 1, s = 1, p = 0, d = 1;
};

AxisWindow axis_window(const Layer& L, bool h) {
    auto pick = [h](Pair q) { return h ? q.h : q.w; };
    AxisWindow a;
    a.k = pick(L.kernel);
    a.d = L.kind == LayerKind::AvgPool2d ? 1 : pick(L.dilation);
    a.s = is_pool(L.kind) && L.stride == Pair(0) ? a.k : pick(L.stride);
    if (L.kind == LayerKind::Conv2d && L.padding.kind == PaddingKind::Same)
        a.p = a.d * (a.k - 1) / 2;
    else if (L.padding.kind == PaddingKind::Explicit)
        a.p = pick(L.padding.amount);
    return a;
}

// Where a conv tap at position j (possibly in the padding) reads, by padding mode; −1 for a zero.
int64_t conv_source(PaddingMode mode, int64_t j, int64_t n) {
    if (j >= 0 && j < n) return j;
    switch (mode) {
        case PaddingMode::Reflect:
            return j < 0 ? -j : 2 * (n - 1) - j;
        case PaddingMode::Replicate:
            return j < 0 ? 0 : n - 1;
        case PaddingMode::Circular:
            return ((j % n) + n) % n;
        default:
            return -1;
    }
}

// Path counts on a layer's input axis from those on its output axis; false when the layer mixes positions.
bool back_axis(const Layer& L, bool h, const Shape& in_shape, const std::vector<double>& out,
               std::vector<double>& in) {
    const size_t r = in_shape.size();
    const int64_t n_in = h ? in_shape[r - 2] : in_shape[r - 1];
    const int64_t n_out = int64_t(out.size());
    in.assign(size_t(n_in), 0.0);
    auto add = [&](int64_t i, double v) {
        if (i >= 0 && i < n_in) in[size_t(i)] += v;
    };
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: {
            const AxisWindow a = axis_window(L, h);
            const PaddingMode mode = L.kind == LayerKind::Conv2d ? L.padding_mode : PaddingMode::Zeros;
            for (int64_t o = 0; o < n_out; ++o)
                if (out[size_t(o)] > 0)
                    for (int64_t t = 0; t < a.k; ++t)
                        add(conv_source(mode, o * a.s - a.p + t * a.d, n_in), out[size_t(o)]);
            return true;
        }
        case LayerKind::ConvTranspose2d: {
            const AxisWindow a = axis_window(L, h);
            for (int64_t i = 0; i < n_in; ++i)
                for (int64_t t = 0; t < a.k; ++t) {
                    const int64_t o = i * a.s - a.p + t * a.d;
                    if (o >= 0 && o < n_out) in[size_t(i)] += out[size_t(o)];
                }
            return true;
        }
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            for (int64_t o = 0; o < n_out; ++o)
                if (out[size_t(o)] > 0)
                    for (int64_t i = o * n_in / n_out; i < ((o + 1) * n_in + n_out - 1) / n_out; ++i)
                        add(i, out[size_t(o)]);
            return true;
        case LayerKind::ZeroPad2d:
        case LayerKind::ConstantPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            for (int64_t o = 0; o < n_out; ++o)
                if (out[size_t(o)] > 0)
                    add(pad_source(L.kind, o, h ? L.pad_top : L.pad_left, n_in), out[size_t(o)]);
            return true;
        case LayerKind::Upsample: {
            if (h && r == 3) {  // a 3-D input is interpolated along its last axis only
                in = out;
                return true;
            }
            const AxisTaps t = upsample_taps(L, n_in, n_out, h ? L.scale_h : L.scale_w);
            for (int64_t o = 0; o < n_out; ++o) {
                const size_t k = size_t(o);
                if (out[k] <= 0) continue;
                if (t.w1[k] < 1.0f) add(t.i0[k], out[k]);
                if (t.w1[k] > 0.0f && t.i1[k] != t.i0[k]) add(t.i1[k], out[k]);
            }
            return true;
        }
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax: {
            const int64_t rank = int64_t(r);
            const int64_t d = L.dim ? (*L.dim < 0 ? *L.dim + rank : *L.dim) : (rank == 4 ? 1 : 0);
            if (d != int64_t(channel_axis(in_shape))) return false;
            in = out;
            return true;
        }
        default:
            if (!is_elementwise(L.kind) && L.kind != LayerKind::BatchNorm2d &&
                L.kind != LayerKind::LocalResponseNorm)
                return false;
            in = out;
            return true;
    }
}

}  // namespace

double PathCounts::max() const {
    const double r = rows.empty() ? 0.0 : *std::max_element(rows.begin(), rows.end());
    const double c = cols.empty() ? 0.0 : *std::max_element(cols.begin(), cols.end());
    return r * c;
}

Result<std::vector<PathCounts>> receptive_field_paths(const Network& net, int layer, int64_t oy, int64_t ox) {
    const NetworkCheck check = check_network(net);
    if (!check.ok()) return fail("the stack does not check out");
    if (layer < 0 || layer >= int(net.layers.size()))
        return fail("layer " + std::to_string(layer + 1) + " does not exist");
    std::vector<Shape> shapes{net.input};
    for (int i = 0; i <= layer; ++i) shapes.push_back(check.layers[size_t(i)].output);
    for (size_t k = 0; k < shapes.size(); ++k)
        if (shapes[k].size() != 3 && shapes[k].size() != 4)
            return fail(k == 0 ? "the input has no height and width"
                               : "the receptive field stops at layer " + std::to_string(k) + " (" +
                                     std::string(to_string(net.layers[k - 1].kind)) +
                                     "): it has no height and width");
    const Shape& top = shapes.back();
    const int64_t H = top[top.size() - 2], W = top[top.size() - 1];
    if (oy < 0 || oy >= H || ox < 0 || ox >= W)
        return fail("(" + std::to_string(oy) + ", " + std::to_string(ox) + ") is outside the " +
                    std::to_string(H) + "×" + std::to_string(W) + " map");
    std::vector<PathCounts> maps(shapes.size());
    maps.back().shape = top;
    maps.back().rows.assign(size_t(H), 0.0);
    maps.back().cols.assign(size_t(W), 0.0);
    maps.back().rows[size_t(oy)] = 1.0;
    maps.back().cols[size_t(ox)] = 1.0;
    for (int i = layer; i >= 0; --i) {
        const Layer& L = net.layers[size_t(i)];
        PathCounts& in = maps[size_t(i)];
        const PathCounts& out = maps[size_t(i) + 1];
        in.shape = shapes[size_t(i)];
        if (!back_axis(L, true, in.shape, out.rows, in.rows) ||
            !back_axis(L, false, in.shape, out.cols, in.cols))
            return fail("the receptive field stops at layer " + std::to_string(i + 1) + " (" +
                        std::string(to_string(L.kind)) + "): it mixes positions");
        if (!(in.max() < 1e300)) return fail("too many paths to count");
    }
    return maps;
}

}  // namespace convscope
