#include "core/filter.hpp"

#include <algorithm>
#include <cmath>

namespace convscope {

Result<DisplayMap> parse_display_map(std::string_view text) {
    if (text == "clamp") return DisplayMap::Clamp;
    if (text == "abs") return DisplayMap::Abs;
    if (text == "normalize") return DisplayMap::Normalize;
    return fail("display map '" + std::string(text) + "' is not clamp, abs or normalize");
}

std::string_view to_string(DisplayMap map) {
    switch (map) {
        case DisplayMap::Clamp:
            return "clamp";
        case DisplayMap::Abs:
            return "abs";
        case DisplayMap::Normalize:
            return "normalize";
    }
    return "?";
}

Conv2dParams filter_conv_params(const FilterSpec& spec, int64_t channels) {
    Conv2dParams p = spec.conv;
    p.groups = channels;
    return p;
}

namespace {

Pool2dParams effective_pool(const FilterSpec& spec) {
    Pool2dParams p = spec.pool;
    p.op = spec.op == FilterOp::MaxPool ? PoolOp::Max : PoolOp::Avg;
    return p;
}

Status check_input(const Shape& input) {
    if (input.size() != 3)
        return fail("the filter needs a C×H×W image tensor, got " + shape_to_string(input));
    return {};
}

}  // namespace

Result<FilterGeometry> filter_geometry(const Shape& input, const FilterSpec& spec) {
    if (auto s = check_input(input); !s) return Error{s.error()};
    const int64_t c = input[0];
    if (spec.op == FilterOp::Conv) {
        const Shape weight{c, 1, spec.kernel.rows, spec.kernel.cols};
        const Shape bias{c};
        auto plan = plan_conv2d(input, weight, &bias, filter_conv_params(spec, c));
        if (!plan) return Error{plan.error()};
        return FilterGeometry{plan->axis_h(), plan->axis_w(), plan->output_shape()};
    }
    auto plan = plan_pool2d(input, effective_pool(spec));
    if (!plan) return Error{plan.error()};
    return FilterGeometry{plan->axis_h(), plan->axis_w(), plan->output_shape()};
}

Result<Tensor> apply_filter(const Tensor& input, const FilterSpec& spec, Backend& backend) {
    if (auto s = check_input(input.shape); !s) return Error{s.error()};
    if (spec.op == FilterOp::Conv) {
        const int64_t c = input.dim(0);
        const Tensor weight = spec.kernel.weight_tensor(c);
        const Tensor bias = spec.kernel.bias_tensor(c);
        return backend.conv2d(input, weight, &bias, filter_conv_params(spec, c));
    }
    return backend.pool2d(input, effective_pool(spec));
}

Result<Trace> trace_filter(const Tensor& input, const FilterSpec& spec, int64_t channel, int64_t oy,
                           int64_t ox) {
    if (auto s = check_input(input.shape); !s) return Error{s.error()};
    if (spec.op == FilterOp::Conv) {
        const int64_t c = input.dim(0);
        const Tensor weight = spec.kernel.weight_tensor(c);
        const Tensor bias = spec.kernel.bias_tensor(c);
        // Without an offset the bias is left out, so the explanation is the lecture's single line.
        const Tensor* b = spec.kernel.offset != 0.0 ? &bias : nullptr;
        return trace_conv2d(input, weight, b, filter_conv_params(spec, c), 0, channel, oy, ox);
    }
    return trace_pool2d(input, effective_pool(spec), 0, channel, oy, ox);
}

ValueRange finite_range(const Tensor& output) {
    float lo = INFINITY, hi = -INFINITY;
    for (float v : output.data)
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    return lo <= hi ? ValueRange{lo, hi} : ValueRange{};
}

uint8_t display_value(float v, DisplayMap map, ValueRange range) {
    if (std::isnan(v)) return 0;
    if (map == DisplayMap::Normalize) {
        if (!(range.hi > range.lo)) return 0;  // a flat output has no range to spread
        const float t = std::isfinite(v) ? (v - range.lo) / (range.hi - range.lo) : (v > 0 ? 1.0f : 0.0f);
        return uint8_t(std::clamp(std::nearbyint(t * 255.0f), 0.0f, 255.0f));
    }
    float r = std::nearbyint(v);  // ties to even under the default rounding mode, as torch.round
    if (map == DisplayMap::Abs) r = std::fabs(r);
    return uint8_t(std::clamp(r, 0.0f, 255.0f));
}

Result<Image> to_display(const Tensor& output, DisplayMap map) {
    if (output.rank() != 3 || (output.dim(0) != 1 && output.dim(0) != 3))
        return fail("cannot show a " + shape_to_string(output.shape) +
                    " output as an image (1 or 3 channels)");
    Image img;
    img.channels = int(output.dim(0));
    img.height = output.dim(1);
    img.width = output.dim(2);
    const int64_t plane = img.width * img.height;
    img.pixels.resize(size_t(plane * img.channels));
    // Over every channel together, so a colour image keeps its balance; NaN and ±inf are left out.
    const ValueRange range = map == DisplayMap::Normalize ? finite_range(output) : ValueRange{};
    for (int64_t k = 0; k < img.channels; ++k)
        for (int64_t i = 0; i < plane; ++i)
            img.pixels[size_t(i * img.channels + k)] =
                display_value(output.data[size_t(k * plane + i)], map, range);
    return img;
}

Result<Image> filter_image(const Image& image, ColorMode mode, const FilterSpec& spec, DisplayMap map,
                           Backend& backend) {
    auto input = image_to_tensor(image, mode);
    if (!input) return Error{input.error()};
    auto output = apply_filter(*input, spec, backend);
    if (!output) return Error{output.error()};
    return to_display(*output, map);
}

}  // namespace convscope
