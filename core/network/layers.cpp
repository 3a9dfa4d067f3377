// Layers: PyTorch's class names, the kinds that work value by value, PyTorch's defaults, the lecture's stack.
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
    p.op = kind == LayerKind::AvgPool2d ? Op::AvgPool : Op::MaxPool;
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

}  // namespace convscope
