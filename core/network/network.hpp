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

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/params.hpp"
#include "core/engine/problem.hpp"
#include "core/engine/tensor.hpp"
#include "core/support/result.hpp"

namespace convscope {

class Backend;

// [SECTION] Layers

enum class LayerKind {
    Conv2d,
    ConvTranspose2d,
    MaxPool2d,
    AvgPool2d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    BatchNorm2d,
    Dropout,
    Dropout2d,
    ReLU,
    ReLU6,
    LeakyReLU,
    ELU,
    GELU,
    SiLU,
    Hardswish,
    Sigmoid,
    Tanh,
    Softmax,
    LogSoftmax,
    Identity,
    Flatten,
    Linear,
    ZeroPad2d,
    ConstantPad2d,
    ReflectionPad2d,
    ReplicationPad2d,
    Upsample,
    LocalResponseNorm,
};

// PyTorch's class name: "Conv2d", "BatchNorm2d", "LeakyReLU", …
std::string_view to_string(LayerKind kind);

// Every kind, in the order the editor offers them.
inline constexpr LayerKind kAllLayerKinds[] = {
    LayerKind::Conv2d,
    LayerKind::ConvTranspose2d,
    LayerKind::MaxPool2d,
    LayerKind::AvgPool2d,
    LayerKind::AdaptiveAvgPool2d,
    LayerKind::AdaptiveMaxPool2d,
    LayerKind::BatchNorm2d,
    LayerKind::Dropout,
    LayerKind::Dropout2d,
    LayerKind::ReLU,
    LayerKind::ReLU6,
    LayerKind::LeakyReLU,
    LayerKind::ELU,
    LayerKind::GELU,
    LayerKind::SiLU,
    LayerKind::Hardswish,
    LayerKind::Sigmoid,
    LayerKind::Tanh,
    LayerKind::Softmax,
    LayerKind::LogSoftmax,
    LayerKind::Identity,
    LayerKind::Flatten,
    LayerKind::Linear,
    LayerKind::ZeroPad2d,
    LayerKind::ConstantPad2d,
    LayerKind::ReflectionPad2d,
    LayerKind::ReplicationPad2d,
    LayerKind::Upsample,
    LayerKind::LocalResponseNorm,
};

// Kinds that change values one by one and keep the shape (ReLU, Sigmoid, Dropout in eval, …).
bool is_elementwise(LayerKind kind);

enum class UpsampleMode { Nearest, Bilinear };

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
    Pair output_padding{0};               // ConvTranspose2d
    // AdaptiveAvgPool2d/AdaptiveMaxPool2d output_size (0 on an axis: None, the input's size there);
    // Upsample size= (0: not given).
    Pair output_size{0};
    double p = 0.5;                                  // Dropout, Dropout2d
    double negative_slope = 0.01;                    // LeakyReLU
    double alpha = 1.0;                              // ELU (1.0), LocalResponseNorm (1e-4)
    double beta = 0.75, k = 1.0;                     // LocalResponseNorm
    int64_t size = 1;                                // LocalResponseNorm
    double eps = 1e-5, momentum = 0.1;               // BatchNorm2d (momentum None is stored as -1)
    bool affine = true, track_running_stats = true;  // BatchNorm2d
    bool tanh_approximation = false;                 // GELU(approximate='tanh')
    std::optional<int64_t> dim;                      // Softmax, LogSoftmax: None when not given
    int64_t pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;  // the padding layers
    double value = 0.0;                                                // ConstantPad2d
    double scale_h = 0.0, scale_w = 0.0;                               // Upsample scale_factor (0: not given)
    UpsampleMode mode = UpsampleMode::Nearest;
    std::optional<bool> align_corners;  // Upsample (None when not given)
    bool operator==(const Layer&) const = default;

    // A layer of `kind` with PyTorch's defaults (required arguments at 1, ZeroPad2d(0), Upsample(2)).
    static Layer make(LayerKind kind);

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

// The kind of a network error, read from its code (under its line, column and layer wrappers): Syntax,
// Signature or Argument for parse_layer's errors, any kind for a LayerCheck's reason.
LayerErrorKind layer_error_kind(const Error& e);

// Where a network error points, read from its wrappers: `line {}: …` (at_line, pasted code, from 1),
// `column {}: …` (net_at_column, from 1) and `layer {} ({}): …` (net_at_layer, from 1); nullopt where the
// error does not say.
struct ErrorPlace {
    std::optional<int64_t> line, column, layer;
};
ErrorPlace error_place(const Error& e);

// Parses one layer in PyTorch's constructor syntax: positional and keyword arguments, tuples,
// True/False/None, quoted strings, an optional `nn.` or `torch.nn.` prefix, e.g. "nn.Conv2d(16, 8, (3,5),
// padding='same')". Errors name the column (from 1): "column 12: expected a value after ','"; their kind
// (Syntax, Signature or Argument) is layer_error_kind(err), their column error_place(err).column.
Result<Layer> parse_layer(std::string_view text);

// Parses "1,1,28,28" (also "1x1x28x28", "(1, 1, 28, 28)") into a shape of 1 to 4 positive dimensions.
Result<Shape> parse_input_shape(std::string_view text);

// [SECTION] Checking

// The receptive field of one element of a layer's output on the network's input, per axis: its size r (with
// dilation), the jump j (input pixels between neighbouring outputs) and the start (the input position, in
// pixels from the centre of the first input pixel, of the centre of the first output's field). The input
// itself is r 1, j 1, start 0; a layer with kernel k (dilated k' = d·(k−1)+1), stride s and padding p gives
// r + (k'−1)·j, j·s, start + ((k'−1)/2 − p)·j; padding layers move the start by −pad·j; layers that work
// value by value keep all three.
struct ReceptiveField {
    Pair size{1};
    Pair jump{1};
    double start_h = 0.0, start_w = 0.0;
    bool operator==(const ReceptiveField&) const = default;
};

// One row of the table: what the layer gives, what it costs, or why PyTorch would refuse it.
struct LayerCheck {
    Shape output;         // empty when it cannot be known (the kernel does not fit, or the rank is wrong)
    int64_t params = 0;   // learnable parameters (weights + bias; BatchNorm's weight and bias)
    int64_t buffers = 0;  // values kept but not learned (BatchNorm's running mean and variance, its counter)
    int64_t macs =
        0;  // multiply-accumulates for the whole batch (Conv2d, ConvTranspose2d, Linear); 0 otherwise
    int64_t mult_adds = 0;  // torchinfo's "Mult-Adds" (see check_network)
    // Null where it stops meaning something: after Flatten, Linear, an adaptive pool, a transposed conv or
    // Upsample (and every layer after them), or when the output is unknown.
    std::optional<ReceptiveField> rf;
    LayerErrorKind error_kind = LayerErrorKind::None;
    std::string error;  // plain language, e.g. "in_channels is 3, but the input has 1 channel"
    Error reason;       // the same refusal, structured (code and arguments) for the UI's language
    // An earlier layer failed; this row is worked out as if that layer had given the shape it was meant to.
    bool after_error = false;
    bool ok() const { return error_kind == LayerErrorKind::None; }
};

struct NetworkCheck {
    std::string input_error;         // the input shape itself is unusable (empty, too large)
    Error input_reason;              // the same, structured (code and arguments) for the UI's language
    std::vector<LayerCheck> layers;  // one per layer, always all of them
    int64_t total_params = 0;
    int64_t trainable_params = 0;  // every parameter of these layers learns: equal to total_params
    int64_t total_buffers = 0;
    int64_t total_macs = 0;
    int64_t total_mult_adds = 0;
    int first_error = -1;  // index into layers of the first refused layer, −1 when all follow
    bool ok() const { return input_error.empty() && first_error < 0; }
    int64_t non_trainable_params() const { return total_params - trainable_params; }
};

// Works out every layer's output shape, parameters and multiply-accumulates, and marks each layer that cannot
// follow the one before as PyTorch would refuse it. A failing layer does not hide the rest: where its output
// shape is still clear (wrong channels, wrong in_features) the following rows are computed from it.
// Conv and pool geometry come from plan_conv2d/plan_pool2d. MACs: Conv2d N·O·OH·OW·(C/groups)·kH·kW,
// ConvTranspose2d N·C·H·W·(O/groups)·kH·kW (per input element), Linear (elements of the output)·in_features;
// the rest count 0. Mult-adds follow torchinfo's calculate_macs (torchinfo/layer_info.py): for each weight
// and bias, Conv layers count (its elements)·N·(output's H·W), Linear (its elements)·(output elements / out
// features), any other layer with parameters (BatchNorm2d) (its elements)·N.
NetworkCheck check_network(const Network& net);

// One row of check_network for layer `L` reading a valid input of shape `input` (no receptive field; not
// after an error): what import_pytorch_code uses to walk a stack once.
LayerCheck check_layer(const Layer& L, const Shape& input);

// torchinfo's size estimates in megabytes (float32, 1 MB = 1e6 bytes, torchinfo/model_statistics.py): the
// input; the forward/backward pass (2 × 4 bytes × the output elements of every layer that has parameters,
// torchinfo's "x2 for gradients"); the parameters (4 bytes each; BatchNorm's buffers are not parameters);
// and their sum.
struct SizeEstimate {
    double input_mb = 0, forward_backward_mb = 0, params_mb = 0, total_mb = 0;
};
SizeEstimate estimate_sizes(const Network& net, const NetworkCheck& check);

// How many paths through the stack join input (and earlier-map) pixels to one output element: for layer
// `layer` (0-based) and its element (oy, ox), one map per stage from the input (maps[0]) to that layer
// (maps[layer + 1]), each the outer product of a row and a column count (the layers here act on the two axes
// separately). A pixel is in the element's receptive field exactly where its count is above 0; the count is
// how many kernel taps, summed over every path, read it. Channels are not counted. An error for a stack that
// does not check out, an element outside the map, or a layer on the way that mixes positions (Flatten,
// Linear) or where the count would exceed 1e300.
struct PathCounts {
    Shape shape;               // the stage's output shape (the input's for maps[0])
    std::vector<double> rows;  // H values
    std::vector<double> cols;  // W values
    double at(int64_t y, int64_t x) const { return rows[size_t(y)] * cols[size_t(x)]; }
    double max() const;
};
Result<std::vector<PathCounts>> receptive_field_paths(const Network& net, int layer, int64_t oy, int64_t ox);

// A count with thousands separators, as torchinfo prints it: 72000 → "72,000".
std::string with_thousands(int64_t v);

// [SECTION] Code

// One layer as PyTorch code, only non-default arguments: "nn.Conv2d(1, 5, 5)", "nn.MaxPool2d(2, stride=1)".
std::string to_pytorch(const Layer& layer);

// The stack as a PyTorch script in the lecture's style that runs as written: `input = torch.randn(1, 1, 28,
// 28)`, one named module per layer (`conv1 = nn.Conv2d(1, 5, 5)`), then the calls in order, each printing the
// output shape the table shows (`print("conv1", list(x.shape))  # [1, 5, 24, 24]`); modules with BatchNorm or
// Dropout are put in eval mode first, as the view runs them.
std::string to_pytorch_code(const Network& net);

// A line of pasted code that gave no layer and no input shape (an import, `class AlexNet(nn.Module):`,
// `return x`), listed rather than silently dropped.
struct SkippedLine {
    size_t line = 0;   // from 1
    std::string text;  // the line, trimmed (code: shown as written in every language); empty with a note
    // Instead of the line, what a call was read as when no module is called, so its layer was left out
    // ("F.relu read as ReLU()"): coded, for the UI to word in its language.
    std::optional<Error> note = std::nullopt;

    // The line in English, as the CLI prints it (`skipped line 3: …`): the note, else the text.
    const std::string& english() const { return note ? note->message : text; }
    bool operator==(const SkippedLine& o) const {
        return line == o.line && text == o.text && note.has_value() == o.note.has_value() &&
               (!note || (note->code == o.note->code && note->message == o.note->message));
    }
};

struct CodeImport {
    Network net;
    bool input_from_code = false;      // the input shape came from `input = torch.randn(…)` in the code
    std::vector<SkippedLine> skipped;  // lines that are not layers, in order
    // What the import read or assumed, e.g. "line 47: torch.flatten(x, 1) read as Flatten(start_dim=1)".
    std::vector<Error> notes;
};

// Builds a stack from pasted PyTorch code, nothing executed. Three forms, mixed freely:
//  - layer constructors, alone or in `nn.Sequential(…)` (nested up to kMaxCodeNesting deep, spread over
//    lines, comments and trailing commas allowed): `nn.Conv2d(1, 5, 5)`;
//  - assignments in order, the lecture's `conv1 = nn.Conv2d(1, 5, 5)` or a module's
//    `self.features = nn.Sequential(…)`; when a `forward` (or any later line) calls them — `x = conv1(x)`,
//    `x = self.features(x)`, `pool(conv1(input))` — the calls give the order, and `torch.flatten(x, 1)`,
//    `x.view(x.size(0), -1)` or `F.relu(x)` between them become Flatten and ReLU layers;
//  - what `print(model)` prints: `(0): Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))`.
// Integers may be written as products and sums (`256 * 6 * 6`) and may name a variable given a number earlier
// (`num_classes=1000` in a def's defaults, `n = 10`). The input shape is `forced` when given, else the code's
// `torch.Tensor(…)`/`torch.randn(…)`/`rand`/`zeros`/`ones`/`empty` call, else `fallback`, else 1×C×224×224
// for a first layer reading C = 3 channels and 1×C×28×28 otherwise (said in a note). A Linear whose input
// has more than two dimensions, whose in_features is the product of all but the first, gets a Flatten()
// before it (print(model) does not show forward's torch.flatten), said in a note. Any `nn.X(…)` ConvScope
// does not know, or a layer call PyTorch would refuse to build, is an error naming its line and column.
Result<CodeImport> import_pytorch_code(std::string_view code, const std::optional<Shape>& forced = {},
                                       const std::optional<Shape>& fallback = {});

// How deep nn.Sequential and brackets may nest in pasted code.
inline constexpr int kMaxCodeNesting = 64;

// import_pytorch_code's stack, with `default_input` as the fallback input shape.
Result<Network> parse_pytorch_code(std::string_view code, const Shape& default_input = {1, 1, 28, 28});

// The stacks the view's menu offers, each with a name: the lecture's CNN, LeNet-5, AlexNet (torchvision's),
// a VGG block with BatchNorm, a MobileNet (v2) inverted-residual block, a DCGAN generator.
struct BundledStack {
    std::string_view id;  // "lecture", "lenet5", "alexnet", "vgg_bn", "mobilenet", "dcgan"
    Network net;
};
const std::vector<BundledStack>& bundled_stacks();

// [SECTION] Running

// The learnable tensors of one layer (empty for layers without parameters).
struct LayerWeights {
    Tensor weight;  // Conv2d O×(C/groups)×kH×kW, ConvTranspose2d C×(O/groups)×kH×kW, Linear out×in,
                    // BatchNorm2d [C]
    Tensor bias;    // [O] or [out]; empty shape when the layer has no bias
    bool operator==(const LayerWeights&) const = default;
};

// PyTorch's default initialisation, uniform in ±1/√fan_in for weights and biases, replicable from `seed`.
// Requires a network that checks out (check_network(net).ok()); one entry per layer.
std::vector<LayerWeights> random_weights(const Network& net, uint32_t seed);

// One layer's weights, PyTorch's default initialisation replicable from `seed` (empty for layers without
// parameters; BatchNorm2d's weight 1 and bias 0, PyTorch's init). The layer's arguments must be valid (groups
// dividing the channels).
LayerWeights random_layer_weights(const Layer& layer, uint32_t seed);

// Makes output channel `o` of a Conv2d layer's weights the image preset `preset` (core/image_lab/kernels.hpp,
// e.g. "sobel-x", "gaussian"; sized presets take the kernel's smaller side) centred in the layer's kernel
// (cut when larger), on every input channel of its group divided by their number, so the channel still sums
// as the preset does; its bias becomes 0. An error for an unknown preset or a channel the layer does not
// have.
Status set_channel_preset(const Layer& layer, LayerWeights& weights, int64_t o, std::string_view preset);

// The network's input made from an image (C×h×w, any values): each plane resized to the input's H×W with
// resize_area, the channels kept when they match the input's, else their average on every input channel, the
// batch repeated. A rank-2 (N×F) or rank-1 input takes the image as one row of F values.
Tensor input_from_image(const Shape& input_shape, const Tensor& image);

// Runs the stack on `input` (shape net.input) and returns every layer's output, in order, as PyTorch's eval
// mode does (Dropout passes values through; BatchNorm2d uses its running mean 0 and variance 1, PyTorch's
// initial statistics). Conv2d and the pools run on `backend`; the other layers are plain loops here. An error
// for a stack that does not check out, weights of the wrong shape, or an input of the wrong shape.
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
