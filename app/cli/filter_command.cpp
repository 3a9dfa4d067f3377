// convscope filter IN OUT.png --kernel NAME|FILE [conv options] [--gray] [--map
// clamp|abs|normalize|abs-scaled]
//                  [--pool max|avg] [--backend B] [--repeat N]
// Filters a photo with a preset or a kernel file (or pools it) and writes the 8-bit result as PNG: values are
// rounded to nearest, then mapped (clamp by default). The same core pipeline feeds the image lab view.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "app/cli/cli.hpp"
#include "app/cli/options.hpp"
#include "core/image_lab/filter.hpp"
#include "core/support/limits.hpp"

namespace convscope::cli {
namespace {

// A preset name first ("sobel-x", "gaussian5:1.4"), else a kernel file.
Result<Kernel> resolve_kernel(const std::string& spec) {
    auto preset = kernel_from_name(spec);
    if (preset) return preset;
    std::error_code ec;
    if (std::filesystem::exists(spec, ec)) return read_kernel_file(spec);
    return fail<ErrCode::cli_kernel_neither>(spec, kernel_names_help());
}

struct FilterCommand {
    std::string in_path, out_path, kernel, map = "clamp", pool, backend;
    ConvOptions conv;
    bool gray = false;
    std::string repeat;
    CLI::Option* stride_option = nullptr;

    Result<FilterSpec> spec() const {
        FilterSpec spec;
        if (pool.empty()) {
            ConvFilter& f = spec.operation.emplace<ConvFilter>();
            auto k = resolve_kernel(kernel);
            if (!k) return k.err();
            f.kernel = std::move(*k);
            auto params = to_params(conv);
            if (!params) return params.err();
            f.conv = *params;
            return spec;
        }
        // Pooling: --kernel is the window K, the stride defaults to it, padding is a number or a pair.
        PoolFilter& s = spec.operation.emplace<PoolFilter>();
        if (pool == "max")
            s.pool.op = Op::MaxPool;
        else if (pool == "avg")
            s.pool.op = Op::AvgPool;
        else
            return fail<ErrCode::cli_pool_unknown>(pool);
        auto k = parse_pair_option("--kernel", kernel);
        if (!k) return fail<ErrCode::cli_pool_kernel>(k.err());
        s.pool.kernel = *k;
        if (stride_option->count()) {
            auto st = parse_pair_option("--stride", conv.stride);
            if (!st) return st.err();
            if (st->h < 1 || st->w < 1)
                return fail<ErrCode::must_be_at_least_1>(word<ErrCode::w_stride>(), conv.stride);
            s.pool.stride = *st;
        }
        auto pad = parse_pair_option("--padding", conv.padding);
        if (!pad) return fail<ErrCode::cli_pool_padding>(pad.err());
        s.pool.padding = *pad;
        auto d = parse_pair_option("--dilation", conv.dilation);
        if (!d) return d.err();
        s.pool.dilation = *d;
        auto limit = parse_max_mult_adds(conv.max_mult_adds);
        if (!limit) return limit.err();
        s.pool.max_mult_adds = *limit;
        if (conv.padding_mode != "zeros") return fail<ErrCode::cli_pool_padding_mode>();
        return spec;
    }

    int run() const {
        auto s = spec();
        if (!s) return error_exit(s.error());
        auto runs = parse_repeat(repeat);
        if (!runs) return error_exit(runs.error());
        auto m = parse_display_map(map);
        if (!m) return error_exit("--map: " + m.error());
        auto be = find_backend(backend.empty() ? fastest_cpu_backend().name() : std::string_view(backend));
        if (!be) return error_exit(be.error());
        auto image = load_image(in_path);
        if (!image) return error_exit(image.error());
        // The whole pipeline, timed: bytes to floats, the filter and floats to pixels, band by band where the
        // map allows it (filter_image), so the photo's float copy is never made.
        const ColorMode mode = gray ? ColorMode::Grey : ColorMode::Color;
        auto shown =
            run_timed(*runs, (*be)->name(), [&] { return filter_image(*image, mode, *s, *m, **be); });
        if (!shown) return error_exit(shown.error());
        if (auto w = save_png(out_path, *shown); !w) return error_exit(w.error());
        return 0;
    }
};

}  // namespace

void add_filter_command(Registry& r) {
    auto cmd = std::make_shared<FilterCommand>();
    CLI::App* sub = r.root.add_subcommand(
        "filter", "Filter a photo with a kernel (or pool it) and save the result as PNG");
    sub->footer(
        "Kernels: " + kernel_names_help() +
        ", or a text file: one row per line, numbers separated by spaces or commas, # comments, optional "
        "'divisor D' and 'offset B' lines.\nEach colour channel is filtered on its own (groups = 3); "
        "--gray filters the luminance. Values are rounded to nearest, then mapped to 0-255.");
    sub->add_option("IN", cmd->in_path, "Input image (PNG, JPEG, GIF, BMP, TGA, binary PPM/PGM)")->required();
    sub->add_option("OUT", cmd->out_path, "Output PNG")->required();
    sub->add_option("--kernel", cmd->kernel, "Preset name or kernel file (with --pool: the window N or H,W)")
        ->required();
    add_conv_options(sub, cmd->conv);
    // One group per colour channel is the image lab's rule, so --groups is not the user's to choose here.
    sub->remove_option(sub->get_option("--groups"));
    cmd->stride_option = sub->get_option("--stride");
    sub->add_flag("--gray,--grey", cmd->gray, "Filter the luminance (0.299 R + 0.587 G + 0.114 B) only");
    sub->add_option("--map", cmd->map,
                    "Values to pixels: clamp, abs, normalize or abs-scaled (|v| with the largest at 255)")
        ->capture_default_str();
    sub->add_option("--pool", cmd->pool,
                    "Pool instead: max or avg, window --kernel, stride default = window");
    sub->add_option("--backend", cmd->backend, "reference, simd or gpu (default: the fastest CPU backend)");
    add_repeat_option(sub, cmd->repeat);
    r.add(sub, [cmd] { return cmd->run(); });
}

}  // namespace convscope::cli
