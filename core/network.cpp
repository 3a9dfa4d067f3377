// [SECTION] Layers
// [SECTION] Checking  — one function per kind; conv/pool geometry from plan_conv2d/plan_pool2d
// [SECTION] Running   — random_weights, run_network (Conv2d/pools on the backend, the rest as plain loops)
#include "core/network.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <random>
#include <tuple>

#include "core/backend.hpp"
#include "core/geometry.hpp"
#include "core/kernels.hpp"
#include "core/limits.hpp"

namespace convscope {
namespace {

std::string plural(int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

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

void refuse(LayerCheck& c, LayerErrorKind kind, std::string message) {
    c.error_kind = kind;
    c.error = std::move(message);
}

// Checks of the constructor's arguments alone, as PyTorch makes them when the module is built or first run.
// Sets the error and returns false when refused.
bool check_arguments(const Layer& L, LayerCheck& c) {
    auto at_least_one = [&](const char* what, Pair p) {
        if (p.h >= 1 && p.w >= 1) return true;
        refuse(c, LayerErrorKind::Argument, std::string(what) + " must be at least 1, got " + to_string(p));
        return false;
    };
    switch (L.kind) {
        case LayerKind::Conv2d: {
            if (L.in < 1 || L.out < 1) {
                refuse(c, LayerErrorKind::Argument,
                       "in_channels and out_channels must be at least 1, got " + std::to_string(L.in) +
                           " and " + std::to_string(L.out));
                return false;
            }
            if (L.groups < 1) {
                refuse(c, LayerErrorKind::Argument,
                       "groups must be at least 1, got " + std::to_string(L.groups));
                return false;
            }
            if (L.in % L.groups != 0) {
                refuse(c, LayerErrorKind::Groups,
                       "groups=" + std::to_string(L.groups) + " does not divide in_channels=" +
                           std::to_string(L.in) + " (each group must get the same number of input channels)");
                return false;
            }
            if (L.out % L.groups != 0) {
                refuse(c, LayerErrorKind::Groups,
                       "groups=" + std::to_string(L.groups) +
                           " does not divide out_channels=" + std::to_string(L.out) +
                           " (each group must make the same number of output channels)");
                return false;
            }
            if (!at_least_one("kernel_size", L.kernel) || !at_least_one("stride", L.stride) ||
                !at_least_one("dilation", L.dilation))
                return false;
            if (L.padding.kind == PaddingKind::Explicit &&
                (L.padding.amount.h < 0 || L.padding.amount.w < 0)) {
                refuse(c, LayerErrorKind::Argument,
                       "padding must not be negative, got " + to_string(L.padding));
                return false;
            }
            if (L.padding.kind == PaddingKind::Same && L.stride != Pair(1)) {
                refuse(c, LayerErrorKind::Argument,
                       "padding='same' needs stride 1 (PyTorch refuses 'same' for strided convolutions)");
                return false;
            }
            if (shape_numel(conv_weight_shape(L)) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       "the weight " + shape_to_string(conv_weight_shape(L)) + " is larger than the limits");
                return false;
            }
            return true;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            if (!at_least_one("kernel_size", L.kernel) || !at_least_one("dilation", L.dilation)) return false;
            if (L.stride != Pair(0) && !at_least_one("stride", L.stride)) return false;
            if (L.padding.kind != PaddingKind::Explicit) {
                refuse(c, LayerErrorKind::Argument, "pooling padding must be a number or a pair");
                return false;
            }
            return true;
        case LayerKind::ReLU:
        case LayerKind::Flatten:
            return true;
        case LayerKind::Linear:
            if (L.in < 1 || L.out < 1) {
                refuse(c, LayerErrorKind::Argument,
                       "in_features and out_features must be at least 1, got " + std::to_string(L.in) +
                           " and " + std::to_string(L.out));
                return false;
            }
            if (shape_numel({L.out, L.in}) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       "the weight " + shape_to_string({L.out, L.in}) + " is larger than the limits");
                return false;
            }
            return true;
    }
    return true;
}

int64_t param_count(const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d:
            return shape_numel(conv_weight_shape(L)) + (L.bias ? L.out : 0);
        case LayerKind::Linear:
            return add_sat(mul_sat(L.in, L.out), L.bias ? L.out : 0);
        default:
            return 0;
    }
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
void refuse_plan(const Layer& L, const Shape& input, const std::string& why, LayerCheck& c) {
    if (window_does_not_fit(L, input))
        refuse(c, LayerErrorKind::TooSmall, "the output would be empty: " + why);
    else
        refuse(c, LayerErrorKind::Argument, why);
}

bool check_spatial_rank(const Layer& L, const Shape& input, LayerCheck& c) {
    if (input.size() == 3 || input.size() == 4) return true;
    std::string hint = input.size() < 3 ? " — put it before Flatten" : "";
    refuse(c, LayerErrorKind::Rank,
           std::string(to_string(L.kind)) + " needs a 3-D (C×H×W) or 4-D (N×C×H×W) input, but gets " +
               shape_with_rank(input) + hint);
    return false;
}

// Fills c.output (and c.macs) for a layer whose arguments are valid, given its input shape.
void check_on_input(const Layer& L, const Shape& input, LayerCheck& c) {
    switch (L.kind) {
        case LayerKind::Conv2d: {
            if (!check_spatial_rank(L, input, c)) return;
            Shape x = input;
            const size_t ch = input.size() == 3 ? 0 : 1;
            if (x[ch] != L.in) {
                refuse(c, LayerErrorKind::Channels,
                       "in_channels is " + std::to_string(L.in) + ", but the input " +
                           shape_to_string(input) + " has " + plural(x[ch], "channel", "channels"));
                x[ch] = L.in;  // go on as if the channels matched, so the rest of the table stays useful
            }
            const Shape weight = conv_weight_shape(L);
            const Shape bias{L.out};
            // Shapes only: nothing is computed here, so the multiply-add limit does not apply.
            Conv2dParams params = L.conv_params();
            params.max_mult_adds = std::numeric_limits<int64_t>::max();
            auto plan = plan_conv2d(x, weight, L.bias ? &bias : nullptr, params);
            if (!plan) {
                refuse_plan(L, x, plan.error(), c);
                return;
            }
            c.output = plan->output_shape();
            const int64_t per_output = plan->c_per_group() * plan->kh * plan->kw;
            c.macs = mul_sat(mul_sat(mul_sat(plan->n, plan->o), plan->oh * plan->ow), per_output);
            return;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: {
            if (!check_spatial_rank(L, input, c)) return;
            Pool2dParams params = L.pool_params();
            params.max_mult_adds = std::numeric_limits<int64_t>::max();
            auto plan = plan_pool2d(input, params);
            if (!plan) {
                refuse_plan(L, input, plan.error(), c);
                return;
            }
            c.output = plan->output_shape();
            return;
        }
        case LayerKind::ReLU:
            c.output = input;
            return;
        case LayerKind::Flatten: {
            const int64_t rank = int64_t(input.size());
            const int64_t start = L.start_dim < 0 ? L.start_dim + rank : L.start_dim;
            const int64_t end = L.end_dim < 0 ? L.end_dim + rank : L.end_dim;
            for (auto [name, given, value] :
                 {std::tuple{"start_dim", L.start_dim, start}, std::tuple{"end_dim", L.end_dim, end}})
                if (value < 0 || value >= rank) {
                    refuse(c, LayerErrorKind::Rank,
                           std::string(name) + "=" + std::to_string(given) +
                               " is out of range for the input " + shape_with_rank(input) +
                               " (dimensions run from " + std::to_string(-rank) + " to " +
                               std::to_string(rank - 1) + ")");
                    return;
                }
            if (start > end) {
                refuse(c, LayerErrorKind::Argument, "start_dim cannot come after end_dim");
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
                std::string hint =
                    input.size() > 2 ? " — a Flatten() before it makes one row per sample" : "";
                refuse(c, LayerErrorKind::Features,
                       "in_features is " + std::to_string(L.in) + ", but the input " +
                           shape_to_string(input) + " has " + std::to_string(input.back()) +
                           " features (its last dimension)" + hint);
            }
            out.back() = L.out;
            if (shape_numel(out) < 0) {
                refuse(c, LayerErrorKind::Argument,
                       "the output " + shape_to_string(out) + " is larger than the limits");
                return;
            }
            c.output = out;
            c.macs = mul_sat(shape_numel(out), L.in);
            return;
        }
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
        case LayerKind::MaxPool2d:
            return "MaxPool2d";
        case LayerKind::AvgPool2d:
            return "AvgPool2d";
        case LayerKind::ReLU:
            return "ReLU";
        case LayerKind::Flatten:
            return "Flatten";
        case LayerKind::Linear:
            return "Linear";
    }
    return "?";
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
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& L = net.layers[i];
        LayerCheck c;
        c.after_error = result.first_error >= 0 || !result.input_error.empty();
        if (check_arguments(L, c)) {
            c.params = param_count(L);
            if (known) check_on_input(L, shape, c);
        }
        if (!c.ok() && result.first_error < 0) result.first_error = int(i);
        known = known && !c.output.empty();
        if (known) shape = c.output;
        result.total_params = add_sat(result.total_params, c.params);
        result.total_macs = add_sat(result.total_macs, c.macs);
        result.layers.push_back(std::move(c));
    }
    return result;
}

// [SECTION] Running

LayerWeights random_layer_weights(const Layer& L, uint32_t seed) {
    LayerWeights w;
    if (L.kind != LayerKind::Conv2d && L.kind != LayerKind::Linear) return w;
    std::mt19937 rng(seed);
    const Shape wshape = L.kind == LayerKind::Conv2d ? conv_weight_shape(L) : Shape{L.out, L.in};
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
    if (!k) return Error{k.error()};
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

Tensor relu(Tensor x) {
    for (float& v : x.data)
        if (v < 0.0f) v = 0.0f;  // NaN stays NaN, as in PyTorch
    return x;
}

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
    if (L.kind != LayerKind::Conv2d && L.kind != LayerKind::Linear) return {};
    const Shape expected = L.kind == LayerKind::Conv2d ? conv_weight_shape(L) : Shape{L.out, L.in};
    const std::string where =
        "layer " + std::to_string(index + 1) + " (" + std::string(to_string(L.kind)) + "): ";
    if (w.weight.shape != expected || int64_t(w.weight.data.size()) != shape_numel(expected))
        return fail(where + "the weight must be " + shape_to_string(expected) + ", got " +
                    shape_to_string(w.weight.shape));
    const Shape bias = L.bias ? Shape{L.out} : Shape{};
    if (w.bias.shape != bias || int64_t(w.bias.data.size()) != (L.bias ? L.out : 0))
        return fail(where + (L.bias ? "the bias must have " + std::to_string(L.out) + " values"
                                    : "no bias expected"));
    return {};
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
        if (auto s = check_weights(L, weights[i], i); !s) return Error{s.error()};
        const Tensor& x = i == 0 ? input : outputs.back();
        Result<Tensor> y = Tensor{};
        switch (L.kind) {
            case LayerKind::Conv2d:
                y = backend.conv2d(x, weights[i].weight, L.bias ? &weights[i].bias : nullptr,
                                   L.conv_params());
                break;
            case LayerKind::MaxPool2d:
            case LayerKind::AvgPool2d:
                y = backend.pool2d(x, L.pool_params());
                break;
            case LayerKind::ReLU:
                y = relu(x);
                break;
            case LayerKind::Flatten:
                y = Tensor(check.layers[i].output, x.data);
                break;
            case LayerKind::Linear:
                y = linear(x, weights[i], check.layers[i].output);
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

}  // namespace convscope
