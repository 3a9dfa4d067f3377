#include "core/image_lab/filter.hpp"

#include "core/engine/transpose.hpp"
#include "core/image_lab/pixels.hpp"
#include "core/support/limits.hpp"
#include "core/support/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace convscope {

Result<DisplayMap> parse_display_map(std::string_view text) {
    if (text == "clamp") return DisplayMap::Clamp;
    if (text == "abs") return DisplayMap::Abs;
    if (text == "normalize") return DisplayMap::Normalize;
    if (text == "abs-scaled") return DisplayMap::AbsScaled;
    return fail<ErrCode::display_map_unknown>(text);
}

std::string_view to_string(DisplayMap map) {
    switch (map) {
        case DisplayMap::Clamp:
            return "clamp";
        case DisplayMap::Abs:
            return "abs";
        case DisplayMap::Normalize:
            return "normalize";
        case DisplayMap::AbsScaled:
            return "abs-scaled";
    }
    return "?";
}

Op FilterSpec::op() const {
    const PoolFilter* p = pool();
    return p ? p->pool.op : Op::Conv;
}

Conv2dParams filter_conv_params(const ConvFilter& filter, int64_t channels) {
    Conv2dParams p = filter.conv;
    p.groups = channels;
    return p;
}

namespace {

Status check_input(const Shape& input) {
    if (input.size() != 3) return fail<ErrCode::filter_input_rank>(shape_to_string(input));
    return {};
}

}  // namespace

Result<FilterGeometry> filter_geometry(const Shape& input, const FilterSpec& spec) {
    if (auto s = check_input(input); !s) return s.err();
    const int64_t c = input[0];
    if (const ConvFilter* f = spec.conv()) {
        const Shape weight{c, 1, f->kernel.rows, f->kernel.cols};
        const Shape bias{c};
        auto plan = plan_conv2d(input, weight, &bias, filter_conv_params(*f, c));
        if (!plan) return plan.err();
        return FilterGeometry{plan->axis_h(), plan->axis_w(), plan->output_shape()};
    }
    auto plan = plan_pool2d(input, spec.pool()->pool);
    if (!plan) return plan.err();
    return FilterGeometry{plan->axis_h(), plan->axis_w(), plan->output_shape()};
}

Result<Tensor> apply_filter(const Tensor& input, const FilterSpec& spec, Backend& backend) {
    if (auto s = check_input(input.shape); !s) return s.err();
    if (const ConvFilter* f = spec.conv()) {
        const int64_t c = input.dim(0);
        const Tensor weight = f->kernel.weight_tensor(c);
        const Tensor bias = f->kernel.bias_tensor(c);
        return backend.conv2d(input, weight, &bias, filter_conv_params(*f, c));
    }
    return backend.pool2d(input, spec.pool()->pool);
}

namespace {

// The channels the filter runs on: 1 for grey (or a grey photo), else the photo's.
int64_t filter_channels(const Image& image, ColorMode mode) {
    return (mode == ColorMode::Grey || image.channels == 1) ? 1 : image.channels;
}

// The padded input rows (or columns) that `outputs` consecutive outputs of axis `a` read.
int64_t input_span(const AxisSpec& a, int64_t outputs) {
    return (outputs - 1) * a.stride + a.dilation * (a.kernel - 1) + 1;
}

// Where padded coordinate i reads from (geometry's source_index), or −1 for a zero.
int64_t source_or_zero(int64_t i, int64_t n, PaddingMode mode) {
    const auto at = source_index(i, n, mode);
    return at ? *at : -1;
}

}  // namespace

namespace {

// Padded rows of an 8-bit image as floats: the band of a banded convolution. Columns and rows outside the
// image hold what the padding mode makes of them (zeros, or reflected / replicated / wrapped pixels).
class BandFiller {
public:
    BandFiller(const Image& image, ColorMode mode, const AxisSpec& ah, const AxisSpec& aw,
               PaddingMode padding)
        : m_image(image),
          m_c(filter_channels(image, mode)),
          m_ah(ah),
          m_wp(image.width + aw.pad_before + aw.pad_after),
          m_left(aw.pad_before),
          m_padding(padding),
          m_col_src(size_t(m_wp)) {
        for (int64_t x = 0; x < m_wp; ++x)
            m_col_src[size_t(x)] = source_or_zero(x - aw.pad_before, image.width, padding);
    }

    int64_t channels() const { return m_c; }
    int64_t padded_width() const { return m_wp; }

    // The input rows that output rows [oy0, oy1) read.
    int64_t rows_for(int64_t oy0, int64_t oy1) const { return input_span(m_ah, oy1 - oy0); }

    // `band` becomes C × rows_for(oy0, oy1) × padded width, every value written (its buffer is reused).
    Status fill(int64_t oy0, int64_t oy1, Tensor& band) const {
        const int64_t rows = rows_for(oy0, oy1);
        Shape shape{m_c, rows, m_wp};
        const int64_t n = shape_numel(shape);
        if (n < 0)
            return fail<ErrCode::tensor_over_limit>(shape_to_string(shape), limits::kMaxTensorElements);
        band.shape = std::move(shape);
        band.data.resize(size_t(n));
        const int64_t plane = rows * m_wp;
        for (int64_t r = 0; r < rows; ++r) {
            const int64_t sy =
                source_or_zero(oy0 * m_ah.stride + r - m_ah.pad_before, m_image.height, m_padding);
            float* dst = band.data.data() + r * m_wp;
            if (sy < 0) {
                for (int64_t k = 0; k < m_c; ++k) std::fill_n(dst + k * plane, m_wp, 0.0f);
            } else if (m_c == 3 && m_image.channels == 3) {
                deinterleave_row(sy, dst, plane);
            } else {
                for (int64_t k = 0; k < m_c; ++k) fill_row(sy, k, dst + k * plane);
            }
        }
        return {};
    }

private:
    // The three channels of colour row sy, padded, into planes `plane` floats apart: one pass over the row.
    void deinterleave_row(int64_t sy, float* dst, int64_t plane) const {
        const int64_t w = m_image.width;
        const uint8_t* src = m_image.pixels.data() + sy * w * 3;
        float* const planes[3] = {dst + m_left, dst + m_left + plane, dst + m_left + 2 * plane};
        bytes_to_planes(src, 3, w, planes);
        for (int64_t k = 0; k < 3; ++k) fill_edges(src, k, dst + k * plane);
    }

    // Channel k of image row sy, padded: the image's columns in one run, then the padding columns.
    void fill_row(int64_t sy, int64_t k, float* dst) const {
        const int64_t w = m_image.width;
        const uint8_t* src = m_image.pixels.data() + sy * w * m_image.channels;
        float* inner = dst + m_left;
        if (m_c == m_image.channels && m_c == 1)
            bytes_to_planes(src, 1, w, &inner);
        else
            for (int64_t x = 0; x < w; ++x) inner[x] = value(src, x, k);
        fill_edges(src, k, dst);
    }

    // The padding columns of channel k of the row at `src`.
    void fill_edges(const uint8_t* src, int64_t k, float* dst) const {
        for (int64_t x = 0; x < m_wp; ++x) {
            if (x == m_left) x += m_image.width;
            if (x >= m_wp) break;
            const int64_t sx = m_col_src[size_t(x)];
            dst[x] = sx < 0 ? 0.0f : value(src, sx, k);
        }
    }

    // Channel k of pixel x of the row at `src`; grey from colour is BT.601 luma, as image_to_tensor.
    float value(const uint8_t* src, int64_t x, int64_t k) const {
        const uint8_t* p = src + x * m_image.channels;
        return m_c == m_image.channels ? float(p[k])
                                       : 0.299f * float(p[0]) + 0.587f * float(p[1]) + 0.114f * float(p[2]);
    }

    const Image& m_image;
    int64_t m_c;
    AxisSpec m_ah;
    int64_t m_wp, m_left;
    PaddingMode m_padding;
    std::vector<int64_t> m_col_src;
};

// Floats of a band the CPU backends work on at once: the band's input and output rows stay in a core's
// L2 cache (512 KiB of input for a 4000-pixel-wide colour photo is about ten rows).
constexpr int64_t kBandFloats = int64_t(1) << 17;

// The banded convolution of apply_filter_banded: each band's output (C×n×OW, output rows oy0 … oy0 + n − 1)
// goes to `sink(band_output, oy0, n)`, which returns a Status. Conv only; `g` is the filter's geometry.
// A backend that runs on any thread (Backend::concurrent) gets bands of about kBandFloats (at most
// `band_rows` output rows), one per task on every thread, each band filled, convolved and sunk by the
// thread that took it, so `sink` must be safe to call for different bands at once. Other backends get
// bands of `band_rows` rows, one after another, on the calling thread.
template <class Sink>
Status conv_bands(const Image& image, ColorMode mode, const ConvFilter& spec, const FilterGeometry& g,
                  Backend& backend, const std::function<bool()>& cancelled, int64_t band_rows, Sink&& sink) {
    const BandFiller filler(image, mode, g.h, g.w, spec.conv.padding_mode);
    const int64_t c = filler.channels();
    const int64_t oh = g.output[1], ow = g.output[2];
    const Tensor weight = spec.kernel.weight_tensor(c);
    const Tensor bias = spec.kernel.bias_tensor(c);
    Conv2dParams p = filter_conv_params(spec, c);
    p.padding = Padding(0);
    p.padding_mode = PaddingMode::Zeros;
    const auto run_band = [&](int64_t oy0, int64_t oy1, Tensor& band) -> Status {
        if (auto s = filler.fill(oy0, oy1, band); !s) return s;
        auto y = backend.conv2d(band, weight, &bias, p);
        if (!y) return y.err();
        const int64_t n = oy1 - oy0;
        if (y->rank() != 3 || y->dim(1) != n || y->dim(2) != ow)
            return fail<ErrCode::band_output_mismatch>(shape_to_string(y->shape));
        return sink(*y, oy0, n);
    };
    const int64_t most_rows = std::max<int64_t>(1, band_rows);
    if (!backend.concurrent()) {
        Tensor band;
        for (int64_t oy0 = 0; oy0 < oh; oy0 += most_rows) {
            if (cancelled && cancelled()) return fail<ErrCode::filter_cancelled>();
            if (auto s = run_band(oy0, std::min(oh, oy0 + most_rows), band); !s) return s;
        }
        return {};
    }
    // Rows per band: the cache's worth, yet at least four bands per thread so that the threads finish
    // together.
    const int64_t threads = ThreadPool::global().size();
    const int64_t fit = std::max<int64_t>(1, kBandFloats / std::max<int64_t>(1, c * filler.padded_width()));
    const int64_t rows =
        std::clamp<int64_t>((oh + 4 * threads - 1) / (4 * threads), 1, std::min(fit, most_rows));
    const int64_t bands = (oh + rows - 1) / rows;
    std::vector<Status> status(static_cast<size_t>(bands));
    std::atomic<bool> stop{false};
    ThreadPool::global().parallel_for(bands, [&](int64_t b) {
        if (stop.load(std::memory_order_relaxed)) return;
        Status& s = status[size_t(b)];
        if (cancelled && cancelled())
            s = fail<ErrCode::filter_cancelled>();
        else {
            thread_local Tensor t_band;  // one band's floats per thread, reused by its next band
            s = run_band(b * rows, std::min(oh, (b + 1) * rows), t_band);
            // A tall (dilated) kernel's bands are not kept for the thread's lifetime.
            if (t_band.data.capacity() > size_t(8 * kBandFloats)) t_band = Tensor();
        }
        if (!s) stop.store(true, std::memory_order_relaxed);
    });
    for (Status& s : status)
        if (!s) return s;
    return {};
}

// Output rows [y0, y1) of a C×H×W output (C = 1 or 3) as display pixels of `img` (C×H×W → H×W×C), in tasks
// of about 16 K pixels on every thread (inline where called from a task); `src` holds rows from `src_y0` on.
void map_rows(const Tensor& src, int64_t src_y0, int64_t y0, int64_t y1, DisplayMap map, ValueRange range,
              Image& img) {
    const int64_t c = img.channels, w = img.width, plane = src.dim(1) * w;
    const int64_t rows_per_task = std::max<int64_t>(1, 16384 / std::max<int64_t>(w, 1));
    ThreadPool::global().parallel_for((y1 - y0 + rows_per_task - 1) / rows_per_task, [&](int64_t t) {
        const int64_t ya = y0 + t * rows_per_task, yb = std::min(y1, ya + rows_per_task);
        const float* s = src.data.data() + (ya - src_y0) * w;
        uint8_t* d = img.pixels.data() + size_t(ya * w * c);
        const int64_t n = (yb - ya) * w;
        const float* planes[3] = {};
        for (int64_t k = 0; k < c; ++k) planes[k] = s + k * plane;
        planes_to_bytes(planes, int(c), n, map, range, d);
    });
}

}  // namespace

Result<Tensor> apply_filter_banded(const Image& image, ColorMode mode, const FilterSpec& spec,
                                   Backend& backend, const std::function<bool()>& cancelled,
                                   int64_t band_rows) {
    const int64_t c = filter_channels(image, mode);
    auto g = filter_geometry({c, image.height, image.width}, spec);
    if (!g) return g.err();
    // Pooling is cheap beside a 15×15 convolution: it runs whole, from the float tensor.
    if (!spec.conv()) {
        auto t = image_to_tensor(image, mode);
        if (!t) return t.err();
        if (cancelled && cancelled()) return fail<ErrCode::filter_cancelled>();
        return apply_filter(*t, spec, backend);
    }
    const int64_t oh = g->output[1], ow = g->output[2];
    auto out = Tensor::try_filled({c, oh, ow});
    if (!out) return out.err();
    auto copied = conv_bands(image, mode, *spec.conv(), *g, backend, cancelled, band_rows,
                             [&](const Tensor& y, int64_t oy0, int64_t n) -> Status {
                                 for (int64_t k = 0; k < c; ++k)
                                     std::copy_n(y.data.data() + k * n * ow, size_t(n * ow),
                                                 out->data.data() + (k * oh + oy0) * ow);
                                 return {};
                             });
    if (!copied) return copied.err();
    return out;
}

Result<Trace> trace_filter(const Tensor& input, const FilterSpec& spec, int64_t channel, int64_t oy,
                           int64_t ox) {
    if (auto s = check_input(input.shape); !s) return s.err();
    if (const ConvFilter* f = spec.conv()) {
        const int64_t c = input.dim(0);
        const Tensor weight = f->kernel.weight_tensor(c);
        const Tensor bias = f->kernel.bias_tensor(c);
        // Without an offset the bias is left out, so the explanation is the lecture's single line.
        const Tensor* b = f->kernel.offset != 0.0 ? &bias : nullptr;
        return trace_conv2d(input, weight, b, filter_conv_params(*f, c), 0, channel, oy, ox);
    }
    return trace_pool2d(input, spec.pool()->pool, 0, channel, oy, ox);
}

ValueRange finite_range(const Tensor& output) {
    // In pieces of 256 K values on every thread (a 12 MP colour output is 36 M), then the pieces' ranges.
    constexpr int64_t kPiece = int64_t(1) << 18;
    const int64_t n = output.numel(), pieces = (n + kPiece - 1) / kPiece;
    std::vector<ValueRange> part(static_cast<size_t>(pieces));
    ThreadPool::global().parallel_for(pieces, [&](int64_t i) {
        part[size_t(i)] = finite_range_of(output.data.data() + i * kPiece, std::min(kPiece, n - i * kPiece));
    });
    float lo = INFINITY, hi = -INFINITY;
    for (const ValueRange& r : part) lo = std::min(lo, r.lo), hi = std::max(hi, r.hi);
    return lo <= hi ? ValueRange{lo, hi} : ValueRange{};
}

namespace {

// A rounded value clamped to a byte; NaN (∞ / ∞ where the range's span overflows) gives 0.
uint8_t to_byte(float r) {
    return r > 0.0f ? uint8_t(std::min(r, 255.0f)) : 0;
}

}  // namespace

uint8_t display_value(float v, DisplayMap map, ValueRange range) {
    if (std::isnan(v)) return 0;
    if (map == DisplayMap::Normalize) {
        if (!(range.hi > range.lo)) return 0;  // a flat output has no range to spread
        const float t = std::isfinite(v) ? (v - range.lo) / (range.hi - range.lo) : (v > 0 ? 1.0f : 0.0f);
        return to_byte(std::nearbyint(t * 255.0f));
    }
    if (map == DisplayMap::AbsScaled) {
        const float peak = std::max(std::fabs(range.lo), std::fabs(range.hi));
        if (!(peak > 0.0f)) return 0;  // nothing but zeros (or no finite value)
        const float t = std::isfinite(v) ? std::fabs(v) / peak : 1.0f;
        return to_byte(std::nearbyint(t * 255.0f));
    }
    float r = std::nearbyint(v);  // ties to even under the default rounding mode, as torch.round
    if (map == DisplayMap::Abs) r = std::fabs(r);
    return uint8_t(std::clamp(r, 0.0f, 255.0f));
}

Result<Image> to_display(const Tensor& output, DisplayMap map) {
    // Over every channel together, so a colour image keeps its balance; NaN and ±inf are left out.
    const bool ranged = map == DisplayMap::Normalize || map == DisplayMap::AbsScaled;
    return to_display(output, map, ranged ? finite_range(output) : ValueRange{});
}

Result<Image> to_display(const Tensor& output, DisplayMap map, ValueRange range) {
    if (output.rank() != 3 || (output.dim(0) != 1 && output.dim(0) != 3))
        return fail<ErrCode::cannot_show_output>(shape_to_string(output.shape));
    Image img;
    img.channels = int(output.dim(0));
    img.height = output.dim(1);
    img.width = output.dim(2);
    const int64_t plane = img.width * img.height;
    img.pixels.resize(size_t(plane * img.channels));
    // On every thread: on a 12 MP colour photo this pass costs as much as a small filter.
    map_rows(output, 0, 0, img.height, map, range, img);
    return img;
}

Result<Neighbourhood> stepper_neighbourhood(const Tensor& input, const FilterSpec& spec, int64_t channel,
                                            int64_t oy, int64_t ox, int64_t reach, int64_t max_side,
                                            int64_t max_kernel) {
    auto g = filter_geometry(input.shape, spec);
    if (!g) return g.err();
    const int64_t c = input.dim(0), h = input.dim(1), w = input.dim(2);
    const int64_t oh = g->output[1], ow = g->output[2];
    if (channel < 0 || channel >= c || oy < 0 || oy >= oh || ox < 0 || ox >= ow)
        return fail<ErrCode::output_pixel_outside>(oy, ox, oh, ow);
    const AxisSpec& ah = g->h;
    const AxisSpec& aw = g->w;
    if (ah.kernel > max_kernel || aw.kernel > max_kernel)
        return fail<ErrCode::stepper_kernel_limit>(max_kernel, max_kernel);
    // The widest reach (at most `reach`) whose region still fits the stepper's grid.
    for (int64_t r = reach; r >= 0; --r) {
        const int64_t y0 = std::max<int64_t>(0, oy - r), y1 = std::min(oh - 1, oy + r);
        const int64_t x0 = std::max<int64_t>(0, ox - r), x1 = std::min(ow - 1, ox + r);
        const int64_t top = y0 * ah.stride - ah.pad_before, left = x0 * aw.stride - aw.pad_before;
        const int64_t rows = input_span(ah, y1 - y0 + 1), cols = input_span(aw, x1 - x0 + 1);
        if (rows > max_side || cols > max_side) continue;
        Neighbourhood nb;
        StepperProblem& p = nb.problem;
        p.input = Tensor::filled({1, rows, cols});
        const ConvFilter* f = spec.conv();
        const float pad_value = spec.op() == Op::MaxPool ? -INFINITY : 0.0f;
        const PaddingMode mode = f ? f->conv.padding_mode : PaddingMode::Zeros;
        for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < cols; ++j) {
                const auto sy = source_index(top + i, h, mode), sx = source_index(left + j, w, mode);
                p.input.data[size_t(i * cols + j)] =
                    (sy && sx) ? input.data[size_t((channel * h + *sy) * w + *sx)] : pad_value;
            }
        if (f) {
            ConvProblem& conv = p.operation.emplace<ConvProblem>();
            // True convolution: the stepper shows the rotated kernel it cross-correlates with, so its output
            // is the image's pixel.
            conv.weight =
                f->conv.flip ? rotate_kernel_180(f->kernel.weight_tensor(1)) : f->kernel.weight_tensor(1);
            conv.bias = f->kernel.bias_tensor(1);
            conv.has_bias = f->kernel.offset != 0.0;
            conv.conv.stride = Pair{ah.stride, aw.stride};
            conv.conv.dilation = Pair{ah.dilation, aw.dilation};
        } else {
            Pool2dParams& pool = p.operation.emplace<PoolProblem>(PoolProblem{spec.pool()->pool}).pool;
            pool.stride = Pair{ah.stride, aw.stride};
            pool.padding = Pair{0};
        }
        nb.window = (oy - y0) * (x1 - x0 + 1) + (ox - x0);
        return nb;
    }
    return fail<ErrCode::pixel_window_too_large>(max_side, max_side);
}

Result<Image> filter_image(const Image& image, ColorMode mode, const FilterSpec& spec, DisplayMap map,
                           Backend& backend) {
    // Fused where it pays: a convolution whose map needs no range goes band by band from bytes to pixels,
    // so neither the photo's nor the result's float copy is made (144 MB each for 12 MP in colour).
    const int64_t c = filter_channels(image, mode);
    if (spec.conv() && (map == DisplayMap::Clamp || map == DisplayMap::Abs) && (c == 1 || c == 3)) {
        auto g = filter_geometry({c, image.height, image.width}, spec);
        if (!g) return g.err();
        Image img;
        img.channels = int(c);
        img.height = g->output[1];
        img.width = g->output[2];
        img.pixels.resize(size_t(img.width * img.height * c));
        auto mapped = conv_bands(image, mode, *spec.conv(), *g, backend, {}, 128,
                                 [&](const Tensor& y, int64_t oy0, int64_t n) -> Status {
                                     map_rows(y, oy0, oy0, oy0 + n, map, {}, img);
                                     return {};
                                 });
        if (!mapped) return mapped.err();
        return img;
    }
    // The maps that need the whole output's range (and pooling): the float output first, from the bytes in
    // bands, then its pixels.
    auto output = apply_filter_banded(image, mode, spec, backend);
    if (!output) return output.err();
    return to_display(*output, map);
}

}  // namespace convscope
