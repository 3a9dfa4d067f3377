#include "app/cli/options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace convscope::cli {

void add_conv_options(CLI::App* cmd, ConvOptions& o) {
    cmd->add_option("--stride", o.stride, "Stride S: N or H,W")->capture_default_str();
    cmd->add_option("--padding", o.padding, "Padding P: N, H,W, same or valid")->capture_default_str();
    cmd->add_option("--dilation", o.dilation, "Dilation D: N or H,W")->capture_default_str();
    cmd->add_option("--groups", o.groups, "Groups G (divides input and output channels)")
        ->capture_default_str();
    cmd->add_option("--padding-mode", o.padding_mode, "zeros, reflect, replicate or circular")
        ->capture_default_str();
}

Result<Conv2dParams> to_params(const ConvOptions& o) {
    Conv2dParams p;
    auto stride = parse_pair(o.stride);
    if (!stride) return fail("--stride: " + stride.error());
    auto padding = parse_padding(o.padding);
    if (!padding) return fail("--padding: " + padding.error());
    auto dilation = parse_pair(o.dilation);
    if (!dilation) return fail("--dilation: " + dilation.error());
    auto mode = parse_padding_mode(o.padding_mode);
    if (!mode) return fail("--padding-mode: " + mode.error());
    p.stride = *stride;
    p.padding = *padding;
    p.dilation = *dilation;
    p.groups = o.groups;
    p.padding_mode = *mode;
    return p;
}

Result<Tensor> run_timed(int repeat, std::string_view backend, const std::function<Result<Tensor>()>& op) {
    if (repeat <= 0) return op();
    auto result = op();  // warm-up (also builds caches, compiles shaders)
    if (!result) return result;
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        result = op();
        const auto t1 = std::chrono::steady_clock::now();
        if (!result) return result;
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    std::fprintf(stderr, "time: median %.3f ms (min %.3f, max %.3f) over %zu runs, backend %.*s\n", median,
                 sorted.front(), sorted.back(), n, int(backend.size()), backend.data());
    return result;
}

}  // namespace convscope::cli
