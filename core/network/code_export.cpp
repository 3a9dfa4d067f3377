// The stack as PyTorch code: one layer with only its non-default arguments (to_pytorch), and the whole stack
// as a script in the lecture's style that runs as written (to_pytorch_code).
#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/network/network.hpp"
#include "core/network/code_syntax.hpp"

namespace convscope {
namespace {

using code_detail::lower;

std::string pair_code(Pair p) {
    return p.h == p.w ? std::to_string(p.h) : "(" + std::to_string(p.h) + ", " + std::to_string(p.w) + ")";
}

std::string padding_code(const Padding& p) {
    switch (p.kind) {
        case PaddingKind::Same:
            return "'same'";
        case PaddingKind::Valid:
            return "'valid'";
        case PaddingKind::Explicit:
            break;
    }
    return pair_code(p.amount);
}

std::string shape_code(const Shape& s) {
    std::string r = "[";
    for (size_t k = 0; k < s.size(); ++k) r += (k ? ", " : "") + std::to_string(s[k]);
    return r + "]";
}

// "conv", "pool", "bn", "fc", …: the lecture's variable names, numbered per stem.
std::string variable_stem(LayerKind k) {
    switch (k) {
        case LayerKind::Conv2d:
            return "conv";
        case LayerKind::ConvTranspose2d:
            return "deconv";
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            return "pool";
        case LayerKind::BatchNorm2d:
            return "bn";
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            return "drop";
        case LayerKind::Linear:
            return "fc";
        case LayerKind::ZeroPad2d:
        case LayerKind::ConstantPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            return "pad";
        case LayerKind::Upsample:
            return "up";
        case LayerKind::LocalResponseNorm:
            return "lrn";
        default:
            return lower(to_string(k));
    }
}

// A double as the shortest text that reads back as the same double ("0.5", "1e-05", "2.0").
std::string real_code(double v) {
    char buf[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos) s += ".0";  // Python reads it as a float
    return s;
}

// output_size of the adaptive pools: 6, (6, 7), (None, 7).
std::string output_size_code(Pair p) {
    auto one = [](int64_t v) { return v == 0 ? std::string("None") : std::to_string(v); };
    if (p.h == p.w && p.h > 0) return std::to_string(p.h);
    return "(" + one(p.h) + ", " + one(p.w) + ")";
}

std::string pad4_code(const Layer& L) {
    if (L.pad_left == L.pad_right && L.pad_left == L.pad_top && L.pad_left == L.pad_bottom)
        return std::to_string(L.pad_left);
    return "(" + std::to_string(L.pad_left) + ", " + std::to_string(L.pad_right) + ", " +
           std::to_string(L.pad_top) + ", " + std::to_string(L.pad_bottom) + ")";
}

}  // namespace

std::string to_pytorch(const Layer& L) {
    std::string s = "nn." + std::string(to_string(L.kind)) + "(";
    auto arg = [&s](const std::string& text) { s += (s.back() == '(' ? "" : ", ") + text; };
    const Layer d = Layer::make(L.kind);
    switch (L.kind) {
        case LayerKind::Conv2d:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            arg(pair_code(L.kernel));
            if (L.stride != Pair(1)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.dilation != Pair(1)) arg("dilation=" + pair_code(L.dilation));
            if (L.groups != 1) arg("groups=" + std::to_string(L.groups));
            if (!L.bias) arg("bias=False");
            if (L.padding_mode != PaddingMode::Zeros)
                arg("padding_mode='" + std::string(to_string(L.padding_mode)) + "'");
            break;
        case LayerKind::ConvTranspose2d:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            arg(pair_code(L.kernel));
            if (L.stride != Pair(1)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.output_padding != Pair(0)) arg("output_padding=" + pair_code(L.output_padding));
            if (L.groups != 1) arg("groups=" + std::to_string(L.groups));
            if (!L.bias) arg("bias=False");
            if (L.dilation != Pair(1)) arg("dilation=" + pair_code(L.dilation));
            if (L.padding_mode != PaddingMode::Zeros)
                arg("padding_mode='" + std::string(to_string(L.padding_mode)) + "'");
            break;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            arg(pair_code(L.kernel));
            if (L.stride != Pair(0)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.kind == LayerKind::MaxPool2d && L.dilation != Pair(1))
                arg("dilation=" + pair_code(L.dilation));
            if (L.ceil_mode) arg("ceil_mode=True");
            if (L.kind == LayerKind::AvgPool2d && !L.count_include_pad) arg("count_include_pad=False");
            break;
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            arg(output_size_code(L.output_size));
            break;
        case LayerKind::BatchNorm2d:
            arg(std::to_string(L.in));
            if (L.eps != d.eps) arg("eps=" + real_code(L.eps));
            if (L.momentum != d.momentum)
                arg("momentum=" + (L.momentum < 0 ? std::string("None") : real_code(L.momentum)));
            if (!L.affine) arg("affine=False");
            if (!L.track_running_stats) arg("track_running_stats=False");
            break;
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            if (L.p != d.p) arg("p=" + real_code(L.p));
            break;
        case LayerKind::LeakyReLU:
            if (L.negative_slope != d.negative_slope) arg(real_code(L.negative_slope));
            break;
        case LayerKind::ELU:
            if (L.alpha != d.alpha) arg("alpha=" + real_code(L.alpha));
            break;
        case LayerKind::GELU:
            if (L.tanh_approximation) arg("approximate='tanh'");
            break;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            if (L.dim) arg("dim=" + std::to_string(*L.dim));
            break;
        case LayerKind::Flatten:
            if (L.start_dim != 1) arg("start_dim=" + std::to_string(L.start_dim));
            if (L.end_dim != -1) arg("end_dim=" + std::to_string(L.end_dim));
            break;
        case LayerKind::Linear:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            if (!L.bias) arg("bias=False");
            break;
        case LayerKind::ZeroPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            arg(pad4_code(L));
            break;
        case LayerKind::ConstantPad2d:
            arg(pad4_code(L));
            arg(real_code(L.value));
            break;
        case LayerKind::Upsample:
            if (L.output_size != Pair(0)) arg("size=" + pair_code(L.output_size));
            if (L.scale_h != 0.0 || L.scale_w != 0.0)
                arg("scale_factor=" + (L.scale_h == L.scale_w
                                           ? real_code(L.scale_h)
                                           : "(" + real_code(L.scale_h) + ", " + real_code(L.scale_w) + ")"));
            if (L.mode == UpsampleMode::Bilinear) arg("mode='bilinear'");
            if (L.align_corners) arg(std::string("align_corners=") + (*L.align_corners ? "True" : "False"));
            break;
        case LayerKind::LocalResponseNorm:
            arg(std::to_string(L.size));
            if (L.alpha != d.alpha) arg("alpha=" + real_code(L.alpha));
            if (L.beta != d.beta) arg("beta=" + real_code(L.beta));
            if (L.k != d.k) arg("k=" + real_code(L.k));
            break;
        default:  // ReLU, ReLU6, SiLU, Hardswish, Sigmoid, Tanh, Identity: nothing to say
            break;
    }
    return s + ")";
}

std::string to_pytorch_code(const Network& net) {
    const NetworkCheck check = check_network(net);
    std::string code = "import torch\nimport torch.nn as nn\n\ninput = torch.randn(";
    for (size_t k = 0; k < net.input.size(); ++k) code += (k ? ", " : "") + std::to_string(net.input[k]);
    code += ")\n";
    std::vector<std::string> names;
    std::vector<std::pair<std::string, int>> counts;  // per variable stem
    std::vector<std::string> eval;                    // modules that behave differently when training
    for (const Layer& L : net.layers) {
        const std::string stem = variable_stem(L.kind);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& e) { return e.first == stem; });
        if (it == counts.end()) it = counts.insert(counts.end(), {stem, 0});
        // "relu6_1", not "relu61".
        std::string name = stem + (std::isdigit(static_cast<unsigned char>(stem.back())) ? "_" : "") +
                           std::to_string(++it->second);
        code += name + " = " + to_pytorch(L) + "\n";
        if (L.kind == LayerKind::BatchNorm2d || L.kind == LayerKind::Dropout ||
            L.kind == LayerKind::Dropout2d)
            eval.push_back(name);
        names.push_back(std::move(name));
    }
    if (net.layers.empty()) return code + "print(list(input.shape))\n";
    for (const std::string& n : eval) code += n + ".eval()  # as ConvScope runs it\n";
    code += "\n";
    for (size_t i = 0; i < names.size(); ++i) {
        const LayerCheck& c = check.layers[i];
        code += "x = " + names[i] + "(" + (i == 0 ? "input" : "x") + ")";
        if (!c.ok()) {
            code += "  # error: " + c.error + "\n";
            continue;
        }
        code += "\nprint(\"" + names[i] + "\", list(x.shape))";
        if (!c.output.empty()) code += "  # " + shape_code(c.output);
        code += "\n";
    }
    return code;
}
}  // namespace convscope
