// Checking a stack as PyTorch would build and run it: one function per kind for the arguments and for the
// input each layer reads; conv and pool geometry from plan_conv2d/plan_pool2d; torchinfo's counts; the
// receptive field's size, jump and start per layer.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <tuple>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/support/limits.hpp"
#include "core/network/network.hpp"
#include "core/network/detail.hpp"

namespace convscope {

using network_detail::channel_axis;
using network_detail::check_arguments;
using network_detail::conv_transpose_weight_shape;
using network_detail::conv_weight_shape;
using network_detail::refuse;

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
        refuse(c, fail<ErrCode::net_output_empty>(why));
    else
        refuse(c, why);
}

bool check_spatial_rank(const Layer& L, const Shape& input, LayerCheck& c) {
    if (input.size() == 3 || input.size() == 4) return true;
    refuse(c, fail<ErrCode::net_spatial_rank>(
                  to_string(L.kind), shape_with_rank(input),
                  input.size() < 3 ? word<ErrCode::net_hint_before_flatten>() : fail_text("")));
    return false;
}

bool check_channels(const char* name, int64_t expected, const Shape& input, LayerCheck& c) {
    const int64_t got = input[channel_axis(input)];
    if (got == expected) return true;
    refuse(c, got == 1 ? fail<ErrCode::net_channels_1>(name, expected, shape_to_string(input), got)
                       : fail<ErrCode::net_channels>(name, expected, shape_to_string(input), got));
    return false;
}

// Sets the output when it is within the limits.
void set_output(const Shape& out, LayerCheck& c) {
    if (shape_numel(out) < 0) {
        refuse(c, fail<ErrCode::net_output_over_limits>(shape_to_string(out)));
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
                refuse(c, fail<ErrCode::net_tconv_empty>(H, W, oh, ow));
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
                refuse(c, fail<ErrCode::net_batchnorm_rank>(shape_with_rank(input)));
                return;
            }
            check_channels("num_features", L.in, input, c);
            c.output = input;
            return;
        case LayerKind::LocalResponseNorm:
            if (rank < 3) {
                refuse(c, fail<ErrCode::net_lrn_rank>(shape_with_rank(input)));
                return;
            }
            c.output = input;
            return;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            if (L.dim && (*L.dim < -int64_t(rank) || *L.dim >= int64_t(rank))) {
                refuse(c, fail<ErrCode::net_dim_range>("dim", *L.dim, shape_with_rank(input), -int64_t(rank),
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
                    refuse(c, fail<ErrCode::net_pad_rank>(to_string(L.kind), shape_with_rank(input)));
                return;
            }
            const int64_t H = input[rank - 2], W = input[rank - 1];
            if (L.kind == LayerKind::ReflectionPad2d &&
                (L.pad_left >= W || L.pad_right >= W || L.pad_top >= H || L.pad_bottom >= H)) {
                refuse(c, fail<ErrCode::net_reflection_pad>(L.pad_left, L.pad_right, L.pad_top, L.pad_bottom,
                                                            H, W));
                return;
            }
            const int64_t oh = H + L.pad_top + L.pad_bottom, ow = W + L.pad_left + L.pad_right;
            if (oh < 1 || ow < 1) {
                refuse(c, fail<ErrCode::net_output_empty>(std::to_string(oh) + "×" + std::to_string(ow)));
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
                refuse(c, fail<ErrCode::net_bilinear_rank>());
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
                    refuse(c, fail<ErrCode::net_interp_1d>("size"));
                    return;
                }
                if (rank == 4) out[2] = L.output_size.h;
                out[rank - 1] = L.output_size.w;
            } else {
                if (rank == 3 && L.scale_h != L.scale_w) {
                    refuse(c, fail<ErrCode::net_interp_1d>("scale_factor"));
                    return;
                }
                if (rank == 4) out[2] = scaled(input[2], L.scale_h);
                out[rank - 1] = scaled(input[rank - 1], L.scale_w);
                if (out[rank - 1] < 1 || out[rank - 2] < 1) {
                    refuse(c, fail<ErrCode::net_output_empty_or_large>(shape_to_string(out)));
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
                    refuse(c, fail<ErrCode::net_dim_range>(name, given, shape_with_rank(input), -r, r - 1));
                    return;
                }
            if (start > end) {
                refuse(c, fail<ErrCode::net_start_after_end>());
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
                refuse(c, fail<ErrCode::net_features>(
                              L.in, shape_to_string(input), input.back(),
                              input.size() > 2 ? word<ErrCode::net_hint_flatten_first>() : fail_text("")));
            }
            out.back() = L.out;
            if (shape_numel(out) < 0) {
                refuse(c, fail<ErrCode::net_output_over_limits>(shape_to_string(out)));
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

// [SECTION] Checking

LayerCheck check_layer(const Layer& L, const Shape& input) {
    LayerCheck c;
    if (check_arguments(L, c)) {
        c.params = param_count(L);
        c.buffers = buffer_count(L);
        check_on_input(L, input, c);
    }
    c.mult_adds = torchinfo_mult_adds(L, c);
    return c;
}

NetworkCheck check_network(const Network& net) {
    NetworkCheck result;
    Shape shape = net.input;
    bool known = true;
    if (net.input.empty() || net.input.size() > 4) {
        result.input_reason = fail<ErrCode::net_input_rank>(shape_with_rank(net.input));
        known = false;
    } else if (shape_numel(net.input) < 1) {
        result.input_reason = fail<ErrCode::net_input_dims>(shape_to_string(net.input));
        known = false;
    }
    if (!known) result.input_error = result.input_reason.message;
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

}  // namespace convscope
