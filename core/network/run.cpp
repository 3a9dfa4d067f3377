// Running a stack: PyTorch's default initialisation (random_weights), preset kernels per channel, the input
// made from an image, run_network (Conv2d and the pools on a Backend, the rest as plain loops), resize_area,
// and layer_step for the stepper.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <tuple>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/image_lab/filter.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/network/detail.hpp"
#include "core/network/network.hpp"
#include "core/support/limits.hpp"

namespace convscope {

using network_detail::conv_transpose_weight_shape;
using network_detail::conv_weight_shape;

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
    if (L.kind != LayerKind::Conv2d) return fail<ErrCode::run_preset_conv_only>();
    if (L.groups < 1 || L.in % L.groups != 0 || w.weight.shape != conv_weight_shape(L))
        return fail<ErrCode::run_weights_mismatch>();
    if (o < 0 || o >= L.out) return fail<ErrCode::run_no_output_channel>(o);
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
    auto where = [&](Error why) {
        return fail<ErrCode::net_at_layer>(index + 1, to_string(L.kind), std::move(why));
    };
    if (w.weight.shape != expected || int64_t(w.weight.data.size()) != shape_numel(expected))
        return where(
            fail<ErrCode::run_weight_shape>(shape_to_string(expected), shape_to_string(w.weight.shape)));
    const bool bias = has_bias(L);
    const Shape bshape = bias ? Shape{bias_size(L)} : Shape{};
    if (w.bias.shape != bshape || int64_t(w.bias.data.size()) != (bias ? bias_size(L) : 0))
        return where(bias ? fail<ErrCode::run_bias_count>(bias_size(L)) : fail<ErrCode::run_no_bias>());
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

}  // namespace

namespace network_detail {

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

}  // namespace network_detail

namespace {

using network_detail::AxisTaps;
using network_detail::pad_layer;
using network_detail::pad_source;
using network_detail::upsample_taps;

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
    if (!check.input_error.empty()) return fail<ErrCode::net_input_colon>(check.input_reason);
    if (check.first_error >= 0) {
        const size_t k = size_t(check.first_error);
        return fail<ErrCode::net_at_layer>(k + 1, to_string(net.layers[k].kind), check.layers[k].reason);
    }
    if (input.shape != net.input || int64_t(input.data.size()) != shape_numel(net.input))
        return fail<ErrCode::run_input_shape>(shape_to_string(net.input), shape_to_string(input.shape));
    if (weights.size() != net.layers.size())
        return fail<ErrCode::run_weights_count>(net.layers.size(), weights.size());
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
        if (!y) return fail<ErrCode::net_at_layer>(i + 1, to_string(L.kind), y.err());
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
        return fail<ErrCode::step_no_window>(to_string(L.kind));
    if (layer_input.rank() != 3 && layer_input.rank() != 4)
        return fail<ErrCode::step_input_rank>(shape_to_string(layer_input.shape));
    // The first sample, C×H×W.
    const int64_t C = layer_input.dim(layer_input.rank() - 3), H = layer_input.dim(layer_input.rank() - 2),
                  W = layer_input.dim(layer_input.rank() - 1);
    const Tensor sample({C, H, W},
                        std::vector<float>(layer_input.data.begin(), layer_input.data.begin() + C * H * W));
    FilterSpec spec;
    if (L.kind != LayerKind::Conv2d) {
        PoolFilter& f = spec.operation.emplace<PoolFilter>(PoolFilter{L.pool_params()});
        f.pool.op = L.kind == LayerKind::MaxPool2d ? Op::MaxPool : Op::AvgPool;
        return stepper_neighbourhood(sample, spec, channel, oy, ox, reach, max_side, max_kernel);
    }
    if (L.groups < 1 || L.in % L.groups != 0 || L.out % L.groups != 0 || C != L.in)
        return fail<ErrCode::step_layer_misfit>();
    if (channel < 0 || channel >= L.out) return fail<ErrCode::run_no_output_channel>(channel);
    const int64_t cpg = L.in / L.groups, group = channel / (L.out / L.groups);
    if (cpg > max_channels) return fail<ErrCode::step_too_many_channels>(cpg, max_channels);
    if (w.weight.shape != Shape{L.out, cpg, L.kernel.h, L.kernel.w})
        return fail<ErrCode::run_weights_mismatch>();
    ConvFilter& f = spec.operation.emplace<ConvFilter>();
    f.conv = L.conv_params();
    f.kernel.rows = L.kernel.h;
    f.kernel.cols = L.kernel.w;
    // One neighbourhood per input channel of the group, each with that channel's slice of the kernel: the
    // same region every time, stacked into one multi-channel problem.
    Neighbourhood out;
    std::vector<float> inputs, weights;
    for (int64_t ci = 0; ci < cpg; ++ci) {
        const float* k = w.weight.data.data() + (channel * cpg + ci) * L.kernel.h * L.kernel.w;
        f.kernel.cells.assign(k, k + L.kernel.h * L.kernel.w);
        auto nb = stepper_neighbourhood(sample, spec, group * cpg + ci, oy, ox, reach, max_side, max_kernel);
        if (!nb) return nb;
        inputs.insert(inputs.end(), nb->problem.input.data.begin(), nb->problem.input.data.end());
        const Tensor& slice = nb->problem.weighted()->weight;
        weights.insert(weights.end(), slice.data.begin(), slice.data.end());
        if (ci == 0) out = std::move(*nb);
    }
    StepperProblem& p = out.problem;
    p.input = Tensor({cpg, p.input.dim(1), p.input.dim(2)}, std::move(inputs));
    ConvProblem& conv = *p.weighted();
    conv.weight = Tensor({1, cpg, L.kernel.h, L.kernel.w}, std::move(weights));
    conv.has_bias = L.bias;
    conv.bias = Tensor({1}, {L.bias ? w.bias.data[size_t(channel)] : 0.0f});
    return out;
}

}  // namespace convscope
