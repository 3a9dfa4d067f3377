// Receptive fields as path counts: receptive_field_paths walks back from one output element to the input,
// one axis at a time.
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

using network_detail::AxisTaps;
using network_detail::channel_axis;
using network_detail::is_pool;
using network_detail::pad_source;
using network_detail::upsample_taps;

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
    if (!check.ok()) return fail<ErrCode::rf_not_checked>();
    if (layer < 0 || layer >= int(net.layers.size())) return fail<ErrCode::rf_no_layer>(layer + 1);
    std::vector<Shape> shapes{net.input};
    for (int i = 0; i <= layer; ++i) shapes.push_back(check.layers[size_t(i)].output);
    for (size_t k = 0; k < shapes.size(); ++k)
        if (shapes[k].size() != 3 && shapes[k].size() != 4)
            return k == 0 ? fail<ErrCode::rf_input_no_hw>()
                          : fail<ErrCode::rf_stops_no_hw>(k, to_string(net.layers[k - 1].kind));
    const Shape& top = shapes.back();
    const int64_t H = top[top.size() - 2], W = top[top.size() - 1];
    if (oy < 0 || oy >= H || ox < 0 || ox >= W) return fail<ErrCode::rf_outside>(oy, ox, H, W);
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
            return fail<ErrCode::rf_stops_mixes>(i + 1, to_string(L.kind));
        if (!(in.max() < 1e300)) return fail<ErrCode::rf_too_many_paths>();
    }
    return maps;
}

}  // namespace convscope
