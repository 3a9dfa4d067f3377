// A small CNN as a stack of PyTorch layers (the lecture's `Conv2d(1,5,5)` then `MaxPool2d(2)`): parsed from
// PyTorch's constructor syntax, checked layer by layer as PyTorch would check it (output shapes, parameters,
// multiply-accumulates, a plain-language error at the layer PyTorch would refuse), written out as and read
// back from PyTorch code, and run on a tensor with a Backend.
//
// [SECTION] Layers        — LayerKind, Layer, Network
// [SECTION] Parsing       — parse_layer: `nn.Conv2d(16, 8, (3, 5), padding=(1, 2), bias=False)`
// [SECTION] Checking      — check_network: shapes, params, MACs, errors per layer
// [SECTION] Code          — to_pytorch_code / parse_pytorch_code
// [SECTION] Running       — random_weights, run_network
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/filter.hpp"
#include "core/params.hpp"
#include "core/result.hpp"
#include "core/tensor.hpp"

namespace convscope {

class Backend;

// [SECTION] Layers

enum class LayerKind { Conv2d, MaxPool2d, AvgPool2d, ReLU, Flatten, Linear };

// "Conv2d", "MaxPool2d", "AvgPool2d", "ReLU", "Flatten", "Linear".
std::string_view to_string(LayerKind kind);

// Every kind, in the order the editor offers them.
inline constexpr LayerKind kAllLayerKinds[] = {LayerKind::Conv2d, LayerKind::MaxPool2d, LayerKind::AvgPool2d,
                                               LayerKind::ReLU,   LayerKind::Flatten,   LayerKind::Linear};

// One layer with PyTorch's constructor arguments and defaults. Fields a kind does not take are ignored (and
// kept at their defaults by the parser, so two equal stacks compare equal).
struct Layer {
    LayerKind kind = LayerKind::ReLU;
    int64_t in = 1;   // Conv2d in_channels, Linear in_features
    int64_t out = 1;  // Conv2d out_channels, Linear out_features
    Pair kernel{1};   // Conv2d, MaxPool2d, AvgPool2d: kernel_size
    // Conv2d: 1 by default. Pools: 0 means stride=None (the kernel size), PyTorch's default.
    Pair stride{1};
    Padding padding{};  // pools take only numbers and pairs
    Pair dilation{1};   // Conv2d, MaxPool2d
    int64_t groups = 1;
    bool bias = true;  // Conv2d, Linear
    PaddingMode padding_mode = PaddingMode::Zeros;
    bool ceil_mode = false;               // pools
    bool count_include_pad = true;        // AvgPool2d
    int64_t start_dim = 1, end_dim = -1;  // Flatten
    bool operator==(const Layer&) const = default;

    // Layers with PyTorch's defaults for everything but the required arguments.
    static Layer conv2d(int64_t in_channels, int64_t out_channels, Pair kernel_size);
    static Layer max_pool2d(Pair kernel_size);
    static Layer avg_pool2d(Pair kernel_size);
    static Layer relu();
    static Layer flatten();
    static Layer linear(int64_t in_features, int64_t out_features);

    // The conv parameters (Conv2d) and pool parameters (MaxPool2d/AvgPool2d) this layer describes.
    Conv2dParams conv_params() const;
    Pool2dParams pool_params() const;
};

// An input shape and the layers applied to it in order.
struct Network {
    Shape input{1, 1, 28, 28};
    std::vector<Layer> layers;
    bool operator==(const Network&) const = default;

    // The lecture's stack: input 1×1×28×28, Conv2d(1, 5, 5), MaxPool2d(2).
    static Network lecture();
};

// [SECTION] Parsing

// Why a layer is refused; the tests compare these with the kind of error PyTorch raises.
enum class LayerErrorKind {
    None,
    Syntax,     // not a call in PyTorch's syntax: "Conv2d(1,5,,5)"
    Signature,  // a TypeError in Python: unknown layer or keyword, missing or extra arguments, wrong value
                // type
    Argument,   // a value PyTorch refuses: stride 0, negative padding, padding='same' with stride 2, …
    Groups,     // groups does not divide in_channels or out_channels
    Rank,       // the input has the wrong number of dimensions (Conv2d after Flatten)
    Channels,   // the input's channels differ from in_channels
    TooSmall,   // the kernel does not fit: the output size would drop to zero
    Features,   // the input's last dimension differs from Linear's in_features
};

// "none", "syntax", "signature", "argument", "groups", "rank", "channels", "too_small", "features".
std::string_view to_string(LayerErrorKind kind);

// Parses one layer in PyTorch's constructor syntax: positional and keyword arguments, tuples,
// True/False/None, quoted strings, an optional `nn.` or `torch.nn.` prefix, e.g. "nn.Conv2d(16, 8, (3,5),
// padding='same')". Errors name the column (from 1): "column 12: expected a value after ','". `kind`, when
// given, receives the kind of error (Syntax, Signature or Argument).
Result<Layer> parse_layer(std::string_view text, LayerErrorKind* kind = nullptr);

// Parses "1,1,28,28" (also "1x1x28x28", "(1, 1, 28, 28)") into a shape of 1 to 4 positive dimensions.
Result<Shape> parse_input_shape(std::string_view text);

// [SECTION] Checking

// One row of the table: what the layer gives, what it costs, or why PyTorch would refuse it.
struct LayerCheck {
    Shape output;        // empty when it cannot be known (the kernel does not fit, or the rank is wrong)
    int64_t params = 0;  // learnable parameters (weights + bias)
    int64_t macs = 0;    // multiply-accumulates for the whole batch; 0 when the output is unknown
    LayerErrorKind error_kind = LayerErrorKind::None;
    std::string error;  // plain language, e.g. "in_channels is 3, but the input has 1 channel"
    // An earlier layer failed; this row is worked out as if that layer had given the shape it was meant to.
    bool after_error = false;
    bool ok() const { return error_kind == LayerErrorKind::None; }
};

struct NetworkCheck {
    std::string input_error;         // the input shape itself is unusable (empty, too large)
    std::vector<LayerCheck> layers;  // one per layer, always all of them
    int64_t total_params = 0;
    int64_t total_macs = 0;
    int first_error = -1;  // index into layers of the first refused layer, −1 when all follow
    bool ok() const { return input_error.empty() && first_error < 0; }
};

// Works out every layer's output shape, parameters and multiply-accumulates, and marks each layer that cannot
// follow the one before as PyTorch would refuse it. A failing layer does not hide the rest: where its output
// shape is still clear (wrong channels, wrong in_features) the following rows are computed from it.
// Conv and pool geometry come from plan_conv2d/plan_pool2d. MACs: Conv2d N·O·OH·OW·(C/groups)·kH·kW,
// Linear (elements of the output)·in_features; pooling, ReLU and Flatten count 0.
NetworkCheck check_network(const Network& net);

// A count with thousands separators, as torchinfo prints it: 72000 → "72,000".
std::string with_thousands(int64_t v);

// [SECTION] Code

// One layer as PyTorch code, only non-default arguments: "nn.Conv2d(1, 5, 5)", "nn.MaxPool2d(2, stride=1)".
std::string to_pytorch(const Layer& layer);

// The stack as a PyTorch script in the lecture's style: `input = torch.Tensor(1, 1, 28, 28)`, one named
// module per layer (`conv1 = nn.Conv2d(1, 5, 5)`), then the calls in order, each with its output shape.
std::string to_pytorch_code(const Network& net);

// Builds a stack from pasted PyTorch code: every `nn.<Layer>(…)` constructor in the order written (one per
// line, in an nn.Sequential, or spread over lines), and the input shape from `torch.Tensor(…)`,
// `torch.randn(…)`, `torch.rand(…)`, `torch.zeros(…)`, `torch.ones(…)` or `torch.empty(…)` when present
// (else `default_input`). Calls such as `conv1(x)` and nn.Sequential/nn.Module are ignored; any other
// `nn.X(…)` is an error naming its line ("line 3: BatchNorm2d is not a layer ConvScope knows …").
Result<Network> parse_pytorch_code(std::string_view code, const Shape& default_input = {1, 1, 28, 28});

// [SECTION] Running

// The learnable tensors of one layer (empty for layers without parameters).
struct LayerWeights {
    Tensor weight;  // Conv2d O×(C/groups)×kH×kW, Linear out×in
    Tensor bias;    // [O] or [out]; empty shape when the layer has no bias
    bool operator==(const LayerWeights&) const = default;
};

// PyTorch's default initialisation, uniform in ±1/√fan_in for weights and biases, replicable from `seed`.
// Requires a network that checks out (check_network(net).ok()); one entry per layer.
std::vector<LayerWeights> random_weights(const Network& net, uint32_t seed);

// One layer's weights, PyTorch's default initialisation replicable from `seed` (empty for layers without
// parameters). The layer's arguments must be valid (groups dividing the channels).
LayerWeights random_layer_weights(const Layer& layer, uint32_t seed);

// Makes output channel `o` of a Conv2d layer's weights the image preset `preset` (core/kernels.hpp, e.g.
// "sobel-x", "gaussian"; sized presets take the kernel's smaller side) centred in the layer's kernel (cut
// when larger), on every input channel of its group divided by their number, so the channel still sums as the
// preset does; its bias becomes 0. An error for an unknown preset or a channel the layer does not have.
Status set_channel_preset(const Layer& layer, LayerWeights& weights, int64_t o, std::string_view preset);

// The network's input made from an image (C×h×w, any values): each plane resized to the input's H×W with
// resize_area, the channels kept when they match the input's, else their average on every input channel, the
// batch repeated. A rank-2 (N×F) or rank-1 input takes the image as one row of F values.
Tensor input_from_image(const Shape& input_shape, const Tensor& image);

// Runs the stack on `input` (shape net.input) and returns every layer's output, in order. Conv2d and the
// pools run on `backend`; ReLU, Flatten and Linear are plain loops here. An error for a stack that does not
// check out, weights of the wrong shape, or an input of the wrong shape.
Result<std::vector<Tensor>> run_network(const Network& net, const std::vector<LayerWeights>& weights,
                                        const Tensor& input, Backend& backend);

// The computation behind output element (channel, oy, ox) of layer L, for the stepper: the layer's input
// (`layer_input`, its first sample) around that window and the windows within `reach`, the channel's kernel
// (every input channel of its group) and bias, or the pool, as a small StepperProblem whose window `window`
// is that element. Built from stepper_neighbourhood one input channel at a time, so padding becomes plain
// values as the image lab's hand-off makes it. Conv2d layers reading at most `max_channels` input channels
// per output, and the pools; an error says why otherwise (ReLU, Flatten and Linear have no window; a region
// wider than `max_side` or a kernel wider than `max_kernel` does not fit the stepper).
Result<Neighbourhood> layer_step(const Layer& L, const LayerWeights& w, const Tensor& layer_input,
                                 int64_t channel, int64_t oy, int64_t ox, int64_t reach, int64_t max_side,
                                 int64_t max_kernel, int64_t max_channels);

// Resizes every plane of an H×W, C×H×W or N×C×H×W tensor to h×w as PyTorch's F.adaptive_avg_pool2d does:
// output cell (i, j) averages input rows ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ − 1 and the columns alike, so shrinking
// averages blocks and enlarging repeats pixels (the photo made into the network's input). h, w ≥ 1 within the
// limits.
Tensor resize_area(const Tensor& x, int64_t h, int64_t w);

}  // namespace convscope
