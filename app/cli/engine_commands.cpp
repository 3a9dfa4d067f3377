// [SECTION] conv   — convscope conv X.npy W.npy [--bias B.npy] [conv options] [--backend B] [--repeat N] -o
// Y.npy [SECTION] pool   — convscope pool max|avg X.npy --kernel K [...] -o Y.npy [SECTION] size   —
// convscope size H[xW] --kernel K [...] [--json] [SECTION] explain — convscope explain X.npy W.npy --at
// ROW,COL [...]
#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>
#include <limits>
#include <memory>

#include "app/cli/cli.hpp"
#include "app/cli/options.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/trace.hpp"
#include "core/io/npy.hpp"
#include "core/support/limits.hpp"

namespace convscope::cli {
namespace {

// The arrays of a convolution: X, W and the optional bias, read from .npy files.
struct ConvArrays {
    Tensor x, w, bias;
    bool has_bias = false;
    const Tensor* bias_or_null() const { return has_bias ? &bias : nullptr; }
};

// Reads X, W and (when `bias_path` is not empty) the bias; the first unreadable file is the error.
Result<ConvArrays> read_conv_arrays(const std::string& x_path, const std::string& w_path,
                                    const std::string& bias_path) {
    ConvArrays a;
    auto x = read_npy(x_path);
    if (!x) return x.err();
    auto w = read_npy(w_path);
    if (!w) return w.err();
    a.x = std::move(*x);
    a.w = std::move(*w);
    if (!bias_path.empty()) {
        auto b = read_npy(bias_path);
        if (!b) return b.err();
        a.bias = std::move(*b);
        a.has_bias = true;
    }
    return a;
}

// Validates a convolution from the .npy headers alone, so that an impossible or too costly problem (a
// 1 GiB input with a 1024×1024 kernel) is refused before its arrays are read.
Status check_conv_from_headers(const std::string& x_path, const std::string& w_path,
                               const std::string& bias_path, const Conv2dParams& params) {
    auto xs = read_npy_shape(x_path);
    if (!xs) return xs.err();
    auto ws = read_npy_shape(w_path);
    if (!ws) return ws.err();
    Shape bs;
    if (!bias_path.empty()) {
        auto b = read_npy_shape(bias_path);
        if (!b) return b.err();
        bs = *b;
    }
    auto plan = plan_conv2d(*xs, *ws, bias_path.empty() ? nullptr : &bs, params);
    if (!plan) return plan.err();
    return {};
}

// [SECTION] conv

struct ConvCommand {
    std::string x_path, w_path, bias_path, out_path, backend;  // empty: the fastest CPU backend
    ConvOptions conv;
    std::string repeat;

    int run() const {
        auto params = to_params(conv);
        if (!params) return error_exit(params.error());
        auto runs = parse_repeat(repeat);
        if (!runs) return error_exit(runs.error());
        if (auto s = check_conv_from_headers(x_path, w_path, bias_path, *params); !s)
            return error_exit(s.error());
        auto a = read_conv_arrays(x_path, w_path, bias_path);
        if (!a) return error_exit(a.error());
        auto be = find_backend(backend_or_default(backend));
        if (!be) return error_exit(be.error());
        auto y = run_timed(*runs, backend_label(backend),
                           [&] { return (*be)->conv2d(a->x, a->w, a->bias_or_null(), *params); });
        if (!y) return error_exit(y.error());
        if (auto s = write_npy(out_path, *y); !s) return error_exit(s.error());
        return 0;
    }
};

void add_conv(Registry& r) {
    auto cmd = std::make_shared<ConvCommand>();
    CLI::App* sub =
        r.root.add_subcommand("conv", "Conv2d of X.npy (N×C×H×W or C×H×W) with W.npy (O×C/g×kH×kW)");
    sub->add_option("X", cmd->x_path, "Input .npy")->required();
    sub->add_option("W", cmd->w_path, "Weight .npy")->required();
    sub->add_option("--bias", cmd->bias_path, "Bias .npy, one value per output channel");
    add_conv_options(sub, cmd->conv);
    sub->add_option("--backend", cmd->backend, backend_help());
    add_repeat_option(sub, cmd->repeat);
    sub->add_option("-o,--output", cmd->out_path, "Output .npy (float32)")->required();
    r.add(sub, [cmd] { return cmd->run(); });
}

// [SECTION] pool

struct PoolCommand {
    std::string op, x_path, out_path, backend;  // empty: the fastest CPU backend
    std::string kernel, stride, padding = "0", dilation = "1";
    bool ceil_mode = false, exclude_pad = false;
    std::string repeat, max_mult_adds;

    int run() const {
        Pool2dParams p;
        if (op == "max")
            p.op = Op::MaxPool;
        else if (op == "avg")
            p.op = Op::AvgPool;
        else
            return error_exit("pool operation '" + op + "' is not max or avg");
        auto k = parse_pair_option("--kernel", kernel);
        if (!k) return error_exit(k.error());
        p.kernel = *k;
        if (!stride.empty()) {
            auto s = parse_pair_option("--stride", stride);
            if (!s) return error_exit(s.error());
            if (s->h < 1 || s->w < 1) return error_exit("stride must be at least 1, got " + stride);
            p.stride = *s;
        }
        auto pad = parse_pair_option("--padding", padding);
        if (!pad) return error_exit(pad.error());
        p.padding = *pad;
        auto d = parse_pair_option("--dilation", dilation);
        if (!d) return error_exit(d.error());
        p.dilation = *d;
        p.ceil_mode = ceil_mode;
        p.count_include_pad = !exclude_pad;
        auto limit = parse_max_mult_adds(max_mult_adds);
        if (!limit) return error_exit(limit.error());
        p.max_mult_adds = *limit;
        auto runs = parse_repeat(repeat);
        if (!runs) return error_exit(runs.error());
        // Validated from the header first: nothing is read for a problem that will be refused.
        auto xs = read_npy_shape(x_path);
        if (!xs) return error_exit(xs.error());
        if (auto plan = plan_pool2d(*xs, p); !plan) return error_exit(plan.error());
        auto x = read_npy(x_path);
        if (!x) return error_exit(x.error());
        auto be = find_backend(backend_or_default(backend));
        if (!be) return error_exit(be.error());
        auto y = run_timed(*runs, backend_label(backend), [&] { return (*be)->pool2d(*x, p); });
        if (!y) return error_exit(y.error());
        if (auto s = write_npy(out_path, *y); !s) return error_exit(s.error());
        return 0;
    }
};

void add_pool(Registry& r) {
    auto cmd = std::make_shared<PoolCommand>();
    CLI::App* sub = r.root.add_subcommand("pool", "Max or average pooling of X.npy (N×C×H×W or C×H×W)");
    sub->add_option("OP", cmd->op, "max or avg")->required();
    sub->add_option("X", cmd->x_path, "Input .npy")->required();
    sub->add_option("--kernel", cmd->kernel, "Kernel K: N or H,W")->required();
    sub->add_option("--stride", cmd->stride, "Stride S: N or H,W (default: the kernel)");
    sub->add_option("--padding", cmd->padding, "Padding P: N or H,W (max pads with -inf)")
        ->capture_default_str();
    sub->add_option("--dilation", cmd->dilation, "Dilation D: N or H,W (max only)")->capture_default_str();
    sub->add_flag("--ceil-mode", cmd->ceil_mode, "Round the output size up, as ceil_mode=True");
    sub->add_flag("--exclude-pad", cmd->exclude_pad,
                  "Average over real elements only (count_include_pad=False)");
    sub->add_option("--backend", cmd->backend, backend_help());
    add_repeat_option(sub, cmd->repeat);
    add_max_mult_adds_option(sub, cmd->max_mult_adds);
    sub->add_option("-o,--output", cmd->out_path, "Output .npy (float32)")->required();
    r.add(sub, [cmd] { return cmd->run(); });
}

// [SECTION] size

std::string json_number(double v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "null";
}

struct SizeCommand {
    std::string input, kernel, stride = "1", padding = "0", dilation = "1", output_padding;
    bool ceil_mode = false, json = false, transposed = false;

    // size --transposed: (in − 1)·s − 2p + d·(k − 1) + output_padding + 1, and the Conv2d round trip.
    int run_transposed(Pair in, Pair k, Pair s, Pair d) const {
        if (ceil_mode) return error_exit("--ceil-mode does not apply to --transposed (a pooling option)");
        auto pad = parse_pair_option("--padding", padding);
        if (!pad) return error_exit(pad.error() + " (a transposed convolution's padding is a number)");
        auto op = parse_pair_option("--output-padding", output_padding.empty() ? "0" : output_padding);
        if (!op) return error_exit(op.error());
        if (k.h < 1 || k.w < 1) return error_exit("kernel size must be at least 1, got " + kernel);
        ConvTranspose2dParams p;
        p.stride = s, p.padding = *pad, p.output_padding = *op, p.dilation = d;
        p.max_mult_adds = std::numeric_limits<int64_t>::max();  // sizes only: nothing is computed
        auto plan = plan_conv_transpose2d({1, 1, in.h, in.w}, {1, 1, k.h, k.w}, nullptr, p);
        if (!plan) return error_exit(plan.error());
        if (json) {
            std::cout << "{\"out_h\":" << plan->oh << ",\"out_w\":" << plan->ow << "}\n";
            return 0;
        }
        std::cout << "H_out = " << transposed_axis_formula(plan->axis_h()) << "\n"
                  << "W_out = " << transposed_axis_formula(plan->axis_w()) << "\n"
                  << "output " << plan->oh << "×" << plan->ow << "\n";
        // The inverse view: which sizes a Conv2d with the same parameters maps to this input size.
        const auto round_trip = [](const char* axis, int64_t in, int64_t k, int64_t s, int64_t p, int64_t d,
                                   int64_t op, int64_t out) {
            const InverseSizes r = conv_inputs_for_output({0, k, s, p, p, d, false}, in);
            std::string line = std::string(axis) + ": Conv2d with these parameters maps ";
            if (r.lo > r.hi)
                line += "no size to " + std::to_string(in);
            else if (r.lo == r.hi)
                line += std::to_string(r.lo) + " to " + std::to_string(in);
            else
                line += std::to_string(r.lo) + ".." + std::to_string(r.hi) + " to " + std::to_string(in) +
                        " (output_padding 0.." + std::to_string(r.hi - r.lo) + " chooses which)";
            return line + "; output_padding " + std::to_string(op) + " gives " + std::to_string(out) + "\n";
        };
        const ConvTransposePlan& P = *plan;
        std::cout << round_trip("H", in.h, P.kh, P.sh, P.ph, P.dh, P.oph, P.oh)
                  << round_trip("W", in.w, P.kw, P.sw, P.pw, P.dw, P.opw, P.ow);
        return 0;
    }

    int run() const {
        auto in = parse_pair_option("input size", input, true);
        if (!in) return error_exit(in.error());
        auto k = parse_pair_option("--kernel", kernel);
        if (!k) return error_exit(k.error());
        auto s = parse_pair_option("--stride", stride);
        if (!s) return error_exit(s.error());
        auto d = parse_pair_option("--dilation", dilation);
        if (!d) return error_exit(d.error());
        if (in->h < 1 || in->w < 1) return error_exit("input size must be at least 1, got " + input);
        if (transposed) return run_transposed(*in, *k, *s, *d);
        if (!output_padding.empty()) return error_exit("--output-padding needs --transposed");
        // Validated as the layer it describes: a pooling layer with --ceil-mode, else a convolution.
        AxisSpec ah, aw;
        if (ceil_mode) {
            auto pad = parse_pair_option("--padding", padding);
            if (!pad) return error_exit(pad.error());
            Pool2dParams p;
            p.kernel = *k, p.stride = *s, p.padding = *pad, p.dilation = *d, p.ceil_mode = true;
            p.max_mult_adds = std::numeric_limits<int64_t>::max();  // sizes only: nothing is computed
            if (s->h < 1 || s->w < 1) return error_exit("stride must be at least 1, got " + stride);
            auto plan = plan_pool2d({1, 1, in->h, in->w}, p);
            if (!plan) return error_exit(plan.error());
            ah = plan->axis_h(), aw = plan->axis_w();
        } else {
            auto pad = parse_padding_option("--padding", padding);
            if (!pad) return error_exit(pad.error());
            Conv2dParams p;
            p.stride = *s, p.padding = *pad, p.dilation = *d;
            p.max_mult_adds = std::numeric_limits<int64_t>::max();  // sizes only: nothing is computed
            if (k->h < 1 || k->w < 1) return error_exit("kernel size must be at least 1, got " + kernel);
            const Shape weight{1, 1, k->h, k->w};
            auto plan = plan_conv2d({1, 1, in->h, in->w}, weight, nullptr, p);
            if (!plan) return error_exit(plan.error());
            ah = plan->axis_h(), aw = plan->axis_w();
        }
        const AxisSize sh = axis_size(ah), sw = axis_size(aw);
        if (json) {
            std::cout << "{\"out_h\":" << sh.out << ",\"out_w\":" << sw.out
                      << ",\"exact_h\":" << json_number(sh.exact) << ",\"exact_w\":" << json_number(sw.exact)
                      << "}\n";
        } else {
            std::cout << "H_out = " << axis_formula(ah) << "\n"
                      << "W_out = " << axis_formula(aw) << "\n"
                      << "output " << sh.out << "×" << sw.out << "\n";
        }
        return 0;
    }
};

void add_size(Registry& r) {
    auto cmd = std::make_shared<SizeCommand>();
    CLI::App* sub = r.root.add_subcommand("size", "Output size ⌊(in − k + 2p) / s⌋ + 1, worked out");
    sub->add_option("INPUT", cmd->input, "Input size H or HxW (also H,W)")->required();
    sub->add_option("--kernel", cmd->kernel, "Kernel K: N or H,W")->required();
    sub->add_option("--stride", cmd->stride, "Stride S: N or H,W")->capture_default_str();
    sub->add_option("--padding", cmd->padding, "Padding P: N, H,W, same or valid")->capture_default_str();
    sub->add_option("--dilation", cmd->dilation, "Dilation D: N or H,W")->capture_default_str();
    sub->add_flag("--ceil-mode", cmd->ceil_mode, "Round up, as a pooling layer with ceil_mode=True");
    sub->add_flag("--transposed", cmd->transposed,
                  "ConvTranspose2d's size, (in − 1)·s − 2p + d·(k − 1) + output_padding + 1, and which sizes "
                  "a Conv2d maps back");
    sub->add_option("--output-padding", cmd->output_padding,
                    "Output padding P: N or H,W (with --transposed)");
    sub->add_flag("--json", cmd->json,
                  "Print {\"out_h\",\"out_w\",\"exact_h\",\"exact_w\"} as JSON ({\"out_h\",\"out_w\"} with "
                  "--transposed)");
    r.add(sub, [cmd] { return cmd->run(); });
}

// [SECTION] explain

struct ExplainCommand {
    std::string x_path, w_path, bias_path, at, out_channel_text = "0", batch_text = "0", output_padding;
    ConvOptions conv;
    bool transposed = false;

    // explain --transposed: the conv-transpose options, from the same option strings.
    Result<ConvTranspose2dParams> transpose_params() const {
        if (conv.flip) return fail<ErrCode::cli_flip_transposed>();
        if (conv.padding_mode != "zeros")
            return fail<ErrCode::cli_padding_mode_transposed>(conv.padding_mode);
        ConvTransposeOptions o;
        o.stride = conv.stride, o.padding = conv.padding, o.dilation = conv.dilation, o.groups = conv.groups;
        o.max_mult_adds = conv.max_mult_adds;
        o.output_padding = output_padding.empty() ? "0" : output_padding;
        return to_transpose_params(o);
    }

    int run() const {
        if (!transposed && !output_padding.empty()) return error_exit("--output-padding needs --transposed");
        auto params = transposed ? Result<Conv2dParams>(Conv2dParams{}) : to_params(conv);
        if (!params) return error_exit(params.error());
        auto tparams =
            transposed ? transpose_params() : Result<ConvTranspose2dParams>(ConvTranspose2dParams{});
        if (!tparams) return error_exit(tparams.error());
        auto pos = parse_pair_option("--at", at);
        if (!pos || at.find(',') == std::string::npos) return error_exit("--at: '" + at + "' is not ROW,COL");
        auto out_channel = parse_int_option("--out-channel", out_channel_text);
        if (!out_channel) return error_exit(out_channel.error());
        auto batch = parse_int_option("--batch", batch_text);
        if (!batch) return error_exit(batch.error());
        auto a = read_conv_arrays(x_path, w_path, bias_path);
        if (!a) return error_exit(a.error());
        auto trace = transposed ? trace_conv_transpose2d(a->x, a->w, a->bias_or_null(), *tparams, *batch,
                                                         *out_channel, pos->h, pos->w)
                                : trace_conv2d(a->x, a->w, a->bias_or_null(), *params, *batch, *out_channel,
                                               pos->h, pos->w);
        if (!trace) return error_exit(trace.error());
        for (const std::string& line : explain_lines(*trace)) std::cout << line << "\n";
        return 0;
    }
};

void add_explain(Registry& r) {
    auto cmd = std::make_shared<ExplainCommand>();
    CLI::App* sub =
        r.root.add_subcommand("explain", "Print the multiply-accumulate behind one output element");
    sub->add_option("X", cmd->x_path, "Input .npy")->required();
    sub->add_option("W", cmd->w_path, "Weight .npy")->required();
    sub->add_option("--at", cmd->at, "Output position ROW,COL")->required();
    sub->add_option("--out-channel", cmd->out_channel_text, "Output channel O")
        ->type_name("N")
        ->capture_default_str();
    sub->add_option("--batch", cmd->batch_text, "Batch index B")->type_name("N")->capture_default_str();
    sub->add_option("--bias", cmd->bias_path, "Bias .npy, one value per output channel");
    add_conv_options(sub, cmd->conv);
    sub->add_flag(
        "--transposed", cmd->transposed,
        "Explain a ConvTranspose2d output (W is C×O/g×kH×kW): every input cell × weight landing on it");
    sub->add_option("--output-padding", cmd->output_padding,
                    "Output padding P: N or H,W (with --transposed)");
    r.add(sub, [cmd] { return cmd->run(); });
}

}  // namespace

void add_engine_commands(Registry& r) {
    add_conv(r);
    add_pool(r);
    add_size(r);
    add_explain(r);
}

}  // namespace convscope::cli
