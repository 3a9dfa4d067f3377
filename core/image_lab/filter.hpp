// The image filter pipeline shared by `convscope filter` and the image lab view: image → C×H×W tensor → a
// depthwise convolution (one kernel per channel: groups = C) or pooling on a Backend → display mapping to 8
// bits. "Explain this pixel" traces the same problem through the reference kernel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/problem.hpp"
#include "core/engine/trace.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/io/image.hpp"

namespace convscope {

// How output values become 8-bit pixels: Clamp (rounded to nearest, ties to even as torch.round, then cut to
// 0–255), Abs (|rounded v| cut to 255, as `torch.round(y).abs().clamp(0, 255)`), Normalize (the output's
// min → 0, max → 255, then rounded), or AbsScaled (|v| scaled so the output's largest |v| is 255, then
// rounded: what a teacher shows for an edge detector, `np.abs(y) / np.abs(y).max() * 255`, so the faint edges
// of a Laplacian of Gaussian show instead of reading black).
enum class DisplayMap { Clamp, Abs, Normalize, AbsScaled };

// Parses "clamp", "abs", "normalize", "abs-scaled".
Result<DisplayMap> parse_display_map(std::string_view text);
std::string_view to_string(DisplayMap map);

// A convolution with one kernel on every channel.
struct ConvFilter {
    Kernel kernel;      // weight = cell / divisor on every channel, bias = offset
    Conv2dParams conv;  // groups is ignored; the pipeline uses one group per channel
    bool operator==(const ConvFilter&) const = default;
};

// Max or average pooling of every channel: pool.op is Op::MaxPool or Op::AvgPool.
struct PoolFilter {
    Pool2dParams pool;
    bool operator==(const PoolFilter&) const = default;
};

// What a filter runs: exactly one operation's parameters. (The image lab's editor keeps both operations'
// settings, so that switching and back keeps each: ImageLabState, effective_spec.)
struct FilterSpec {
    std::variant<ConvFilter, PoolFilter> operation = ConvFilter{};

    FilterSpec() = default;
    FilterSpec(ConvFilter f) : operation(std::move(f)) {}
    FilterSpec(PoolFilter f) : operation(std::move(f)) {}

    // Op::Conv, or the pooling's op (so the two never disagree).
    Op op() const;
    const ConvFilter* conv() const { return std::get_if<ConvFilter>(&operation); }
    ConvFilter* conv() { return std::get_if<ConvFilter>(&operation); }
    const PoolFilter* pool() const { return std::get_if<PoolFilter>(&operation); }
    PoolFilter* pool() { return std::get_if<PoolFilter>(&operation); }
    bool operator==(const FilterSpec&) const = default;
};

// The conv2d parameters in effect on a tensor with `channels` channels (groups = channels).
Conv2dParams filter_conv_params(const ConvFilter& filter, int64_t channels);

// The output geometry of the filter on a C×H×W input: per-axis specs (for axis_formula) and the output shape.
struct FilterGeometry {
    AxisSpec h, w;
    Shape output;  // C×OH×OW
};
Result<FilterGeometry> filter_geometry(const Shape& input, const FilterSpec& spec);

// Runs the filter on a C×H×W tensor (values 0–255) with `backend`; the result is C×OH×OW, unrounded.
Result<Tensor> apply_filter(const Tensor& input, const FilterSpec& spec, Backend& backend);

// The filter run straight from an 8-bit image, in bands of output rows: each band's input rows (with the
// padding made into plain values by the padding mode) go from bytes to floats, then through the backend
// with no padding, so the whole float copy of a 12 MP photo is never made. A backend that runs on any thread
// (reference, simd) takes bands of a cache's worth (at most `band_rows` rows) on every thread at once;
// others (gpu) take bands of `band_rows` rows one after another. Before each band it asks
// `cancelled` and stops with an error when that says yes (a newer edit supersedes this run). Equal to
// apply_filter(image_to_tensor(image, mode), spec, backend) value for value.
Result<Tensor> apply_filter_banded(const Image& image, ColorMode mode, const FilterSpec& spec,
                                   Backend& backend, const std::function<bool()>& cancelled = {},
                                   int64_t band_rows = 128);

// A run stopped by `cancelled` fails with ErrCode::filter_cancelled; this is its English message.
inline constexpr std::string_view kFilterCancelled = "superseded by a newer edit";
inline bool is_filter_cancelled(const Error& e) {
    return e.code == ErrCode::filter_cancelled;
}

// The multiply-accumulate (or pooling window) behind output element (channel, oy, ox), from the reference
// kernel.
Result<Trace> trace_filter(const Tensor& input, const FilterSpec& spec, int64_t channel, int64_t oy,
                           int64_t ox);

// The neighbourhood of one output pixel as a small stepper problem: one channel, the padded input rows and
// columns read by the outputs within `reach` of (oy, ox) (padding made into plain values: zeros or the
// reflected/replicated/wrapped pixels for convolution, −∞ for max pooling, 0 for average pooling), the same
// kernel, stride and dilation, no padding. `window` is the stepper's index of the explained pixel, so its
// output equals the full result's at (oy, ox). An error when the region is wider than `max_side` or the
// kernel than `max_kernel` (the stepper draws small grids). Neighbourhood: core/engine/problem.hpp.
Result<Neighbourhood> stepper_neighbourhood(const Tensor& input, const FilterSpec& spec, int64_t channel,
                                            int64_t oy, int64_t ox, int64_t reach, int64_t max_side,
                                            int64_t max_kernel);

// The smallest and largest finite values of an output ({0, 0} when it has none); Normalize maps them to 0 and
// 255, AbsScaled maps the larger of |lo| and |hi| to 255.
struct ValueRange {
    float lo = 0.0f, hi = 0.0f;
};
ValueRange finite_range(const Tensor& output);

// The 8-bit pixel of one output value; Normalize and AbsScaled need the whole output's range (finite_range),
// the others ignore it. A flat output (lo = hi) normalizes to 0; an all-zero output is 0 under AbsScaled.
uint8_t display_value(float v, DisplayMap map, ValueRange range = {});

// A C×H×W output (C = 1 or 3) as an 8-bit image: rounded to nearest, then mapped.
Result<Image> to_display(const Tensor& output, DisplayMap map);
// The same with the output's range already found (finite_range(output); Normalize and AbsScaled use it).
Result<Image> to_display(const Tensor& output, DisplayMap map, ValueRange range);

// The whole pipeline for the command line: image → tensor (grey or colour) → filter → display image.
Result<Image> filter_image(const Image& image, ColorMode mode, const FilterSpec& spec, DisplayMap map,
                           Backend& backend);

}  // namespace convscope
