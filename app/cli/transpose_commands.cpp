// [SECTION] conv-transpose — convscope conv-transpose X.npy W.npy [--bias B.npy] [options] [--backend B] -o
// Y.npy [SECTION] unfold         — convscope unfold X.npy --kernel K [--stride S] [--padding P] [--dilation
// D] -o C.npy
#include <CLI/CLI.hpp>
#include <memory>

#include "app/cli/cli.hpp"
#include "app/cli/options.hpp"
#include "core/engine/geometry.hpp"
#include "core/support/limits.hpp"
#include "core/io/npy.hpp"
#include "core/engine/transpose.hpp"

namespace convscope::cli {

Result<ConvTranspose2dParams> to_transpose_params(const ConvTransposeOptions& o) {
    ConvTranspose2dParams p;
    auto stride = parse_pair_option("--stride", o.stride);
    if (!stride) return stride.err();
    auto padding = parse_pair_option("--padding", o.padding);
    if (!padding) return padding.err();
    auto output_padding = parse_pair_option("--output-padding", o.output_padding);
    if (!output_padding) return output_padding.err();
    auto dilation = parse_pair_option("--dilation", o.dilation);
    if (!dilation) return dilation.err();
    auto groups = parse_int_option("--groups", o.groups);
    if (!groups) return groups.err();
    auto max_mult_adds = parse_max_mult_adds(o.max_mult_adds);
    if (!max_mult_adds) return max_mult_adds.err();
    p.stride = *stride;
    p.padding = *padding;
    p.output_padding = *output_padding;
    p.dilation = *dilation;
    p.groups = *groups;
    p.max_mult_adds = *max_mult_adds;
    return p;
}

void add_transpose_options(CLI::App* cmd, ConvTransposeOptions& o) {
    cmd->add_option("--stride", o.stride, "Stride S: N or H,W")->capture_default_str();
    cmd->add_option("--padding", o.padding, "Padding P: N or H,W (removed from the output's borders)")
        ->capture_default_str();
    cmd->add_option("--output-padding", o.output_padding,
                    "Output padding P: N or H,W, rows/columns added at the bottom/right (below the stride "
                    "or the dilation)")
        ->capture_default_str();
    cmd->add_option("--dilation", o.dilation, "Dilation D: N or H,W")->capture_default_str();
    cmd->add_option("--groups", o.groups, "Groups G (divides input and output channels)")
        ->type_name("N")
        ->capture_default_str();
    add_max_mult_adds_option(cmd, o.max_mult_adds);
}

namespace {

// [SECTION] conv-transpose

struct ConvTransposeCommand {
    // The same default backend as `conv`: empty means the fastest CPU backend.
    std::string x_path, w_path, bias_path, out_path, backend;
    ConvTransposeOptions options;
    std::string repeat;

    int run() const {
        auto params = to_transpose_params(options);
        if (!params) return error_exit(params.error());
        auto runs = parse_repeat(repeat);
        if (!runs) return error_exit(runs.error());
        // Validated from the headers first: nothing is read for a problem that will be refused.
        auto xs = read_npy_shape(x_path);
        if (!xs) return error_exit(xs.error());
        auto ws = read_npy_shape(w_path);
        if (!ws) return error_exit(ws.error());
        Shape bs;
        if (!bias_path.empty()) {
            auto b = read_npy_shape(bias_path);
            if (!b) return error_exit(b.error());
            bs = *b;
        }
        if (auto plan = plan_conv_transpose2d(*xs, *ws, bias_path.empty() ? nullptr : &bs, *params); !plan)
            return error_exit(plan.error());
        auto x = read_npy(x_path);
        if (!x) return error_exit(x.error());
        auto w = read_npy(w_path);
        if (!w) return error_exit(w.error());
        Tensor bias;
        if (!bias_path.empty()) {
            auto b = read_npy(bias_path);
            if (!b) return error_exit(b.error());
            bias = std::move(*b);
        }
        auto be = find_backend(backend_or_default(backend));
        if (!be) return error_exit(be.error());
        auto y = run_timed(*runs, backend_label(backend), [&] {
            return (*be)->conv_transpose2d(*x, *w, bias_path.empty() ? nullptr : &bias, *params);
        });
        if (!y) return error_exit(y.error());
        if (auto s = write_npy(out_path, *y); !s) return error_exit(s.error());
        return 0;
    }
};

void add_conv_transpose(Registry& r) {
    auto cmd = std::make_shared<ConvTransposeCommand>();
    CLI::App* sub = r.root.add_subcommand(
        "conv-transpose",
        "ConvTranspose2d of X.npy (N×C×H×W or C×H×W) with W.npy (C×O/g×kH×kW): each input cell stamps "
        "value × kernel onto the output");
    sub->add_option("X", cmd->x_path, "Input .npy")->required();
    sub->add_option("W", cmd->w_path, "Weight .npy, C_in×C_out/groups×kH×kW")->required();
    sub->add_option("--bias", cmd->bias_path, "Bias .npy, one value per output channel");
    add_transpose_options(sub, cmd->options);
    sub->add_option("--backend", cmd->backend, backend_help());
    add_repeat_option(sub, cmd->repeat);
    sub->add_option("-o,--output", cmd->out_path, "Output .npy (float32)")->required();
    r.add(sub, [cmd] { return cmd->run(); });
}

// [SECTION] unfold

struct UnfoldCommand {
    std::string x_path, out_path, kernel, stride = "1", padding = "0", dilation = "1", max_mult_adds;

    int run() const {
        auto k = parse_pair_option("--kernel", kernel);
        if (!k) return error_exit(k.error());
        auto s = parse_pair_option("--stride", stride);
        if (!s) return error_exit(s.error());
        auto p = parse_pair_option("--padding", padding);
        if (!p) return error_exit(p.error());
        auto d = parse_pair_option("--dilation", dilation);
        if (!d) return error_exit(d.error());
        auto limit = parse_max_mult_adds(max_mult_adds);
        if (!limit) return error_exit(limit.error());
        if (k->h < 1 || k->w < 1) return error_exit("kernel size must be at least 1, got " + kernel);
        // Validated from the header first (as a one-output conv2d: the same windows).
        auto xs = read_npy_shape(x_path);
        if (!xs) return error_exit(xs.error());
        if (xs->size() == 3 || xs->size() == 4) {
            Conv2dParams cp;
            cp.stride = *s, cp.padding = Padding(*p), cp.dilation = *d, cp.max_mult_adds = *limit;
            const int64_t c = (*xs)[xs->size() - 3];
            if (auto plan = plan_conv2d(*xs, {1, c, k->h, k->w}, nullptr, cp); !plan)
                return error_exit(plan.error());
        }
        auto x = read_npy(x_path);
        if (!x) return error_exit(x.error());
        auto cols = unfold(*x, *k, *s, *p, *d, *limit);
        if (!cols) return error_exit(cols.error());
        if (auto w = write_npy(out_path, *cols); !w) return error_exit(w.error());
        return 0;
    }
};

void add_unfold(Registry& r) {
    auto cmd = std::make_shared<UnfoldCommand>();
    CLI::App* sub = r.root.add_subcommand(
        "unfold",
        "im2col, as torch.nn.functional.unfold: X.npy (N×C×H×W or C×H×W) to N×(C·kH·kW)×L, one column per "
        "window");
    sub->add_option("X", cmd->x_path, "Input .npy")->required();
    sub->add_option("--kernel", cmd->kernel, "Kernel K: N or H,W")->required();
    sub->add_option("--stride", cmd->stride, "Stride S: N or H,W")->capture_default_str();
    sub->add_option("--padding", cmd->padding, "Padding P: N or H,W (zeros)")->capture_default_str();
    sub->add_option("--dilation", cmd->dilation, "Dilation D: N or H,W")->capture_default_str();
    add_max_mult_adds_option(sub, cmd->max_mult_adds);
    sub->add_option("-o,--output", cmd->out_path, "Output .npy (float32)")->required();
    r.add(sub, [cmd] { return cmd->run(); });
}

}  // namespace

void add_transpose_commands(Registry& r) {
    add_conv_transpose(r);
    add_unfold(r);
}

}  // namespace convscope::cli
