#include "app/cli/options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/support/limits.hpp"

namespace convscope::cli {

Result<int64_t> parse_int_option(std::string_view option, std::string_view text) {
    const std::string opt(option);
    std::string_view digits = text;
    if (digits.starts_with('-')) digits.remove_prefix(1);
    bool plain = !digits.empty();
    for (char c : digits) plain = plain && c >= '0' && c <= '9';
    if (!plain) return fail<ErrCode::cli_not_whole>(opt, text);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range) return fail<ErrCode::cli_out_of_range>(opt, text);
    if (ec != std::errc() || end != text.data() + text.size()) return fail<ErrCode::cli_not_whole>(opt, text);
    return v;
}

Result<Pair> parse_pair_option(std::string_view option, std::string_view text, bool allow_x) {
    size_t sep = text.find(',');
    if (allow_x && sep == std::string_view::npos) sep = text.find_first_of("xX");
    const auto what = [allow_x] {
        return allow_x ? word<ErrCode::w_n_hw_or_hxw>() : word<ErrCode::w_n_or_hw>();
    };
    if (sep == std::string_view::npos) {
        auto n = parse_int_option(option, text);
        if (!n) return fail<ErrCode::cli_not_form>(option, text, what());
        return Pair{*n};
    }
    auto h = parse_int_option(option, text.substr(0, sep));
    auto w = parse_int_option(option, text.substr(sep + 1));
    if (!h || !w) {
        const Error& why = !h ? h.err() : w.err();
        if (why.code == ErrCode::cli_out_of_range) return fail<ErrCode::cli_out_of_range>(option, text);
        return fail<ErrCode::cli_not_form_digits>(option, text, what());
    }
    return Pair{*h, *w};
}

Result<Padding> parse_padding_option(std::string_view option, std::string_view text) {
    if (text == "same") return Padding::same();
    if (text == "valid") return Padding::valid();
    auto p = parse_pair_option(option, text);
    if (!p) {
        if (p.err().code == ErrCode::cli_out_of_range) return p.err();
        return fail<ErrCode::cli_not_padding>(option, text);
    }
    return Padding(*p);
}

Result<int64_t> parse_max_mult_adds(std::string_view text) {
    if (text.empty()) return limits::kMaxMultAdds;
    auto v = parse_int_option("--max-mult-adds", text);
    if (!v) return v;
    if (*v < 1) return fail<ErrCode::must_be_at_least_1>("--max-mult-adds", text);
    return v;
}

Result<int> parse_repeat(std::string_view text) {
    if (text.empty()) return 0;
    auto v = parse_int_option("--repeat", text);
    if (!v) return v.err();
    if (*v < 1 || *v > limits::kMaxRepeat) return fail<ErrCode::cli_repeat_range>(limits::kMaxRepeat, text);
    return int(*v);
}

void add_repeat_option(CLI::App* cmd, std::string& value) {
    cmd->add_option("--repeat", value,
                    "Time N runs (1 to " + std::to_string(limits::kMaxRepeat) +
                        ") after a warm-up; the timing goes to stderr")
        ->type_name("N");
}

void add_max_mult_adds_option(CLI::App* cmd, std::string& value) {
    cmd->add_option("--max-mult-adds", value,
                    "Refuse an operation needing more multiply-adds than N (default " +
                        std::to_string(limits::kMaxMultAdds) + ")")
        ->type_name("N");
}

void add_conv_options(CLI::App* cmd, ConvOptions& o) {
    cmd->add_option("--stride", o.stride, "Stride S: N or H,W")->capture_default_str();
    cmd->add_option("--padding", o.padding, "Padding P: N, H,W, same or valid")->capture_default_str();
    cmd->add_option("--dilation", o.dilation, "Dilation D: N or H,W")->capture_default_str();
    cmd->add_option("--groups", o.groups, "Groups G (divides input and output channels)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--padding-mode", o.padding_mode, "zeros, reflect, replicate or circular")
        ->capture_default_str();
    add_max_mult_adds_option(cmd, o.max_mult_adds);
    cmd->add_flag("--flip", o.flip,
                  "True convolution: rotate the kernel 180° first (scipy.signal.convolve2d; PyTorch computes "
                  "cross-correlation)");
}

Result<Conv2dParams> to_params(const ConvOptions& o) {
    Conv2dParams p;
    auto stride = parse_pair_option("--stride", o.stride);
    if (!stride) return stride.err();
    auto padding = parse_padding_option("--padding", o.padding);
    if (!padding) return padding.err();
    auto dilation = parse_pair_option("--dilation", o.dilation);
    if (!dilation) return dilation.err();
    auto groups = parse_int_option("--groups", o.groups);
    if (!groups) return groups.err();
    auto mode = parse_padding_mode(o.padding_mode);
    if (!mode) return fail<ErrCode::path_colon>("--padding-mode", mode.err());
    auto max_mult_adds = parse_max_mult_adds(o.max_mult_adds);
    if (!max_mult_adds) return max_mult_adds.err();
    p.stride = *stride;
    p.padding = *padding;
    p.dilation = *dilation;
    p.groups = *groups;
    p.padding_mode = *mode;
    p.max_mult_adds = *max_mult_adds;
    p.flip = o.flip;
    return p;
}

std::string backend_or_default(const std::string& chosen) {
    return chosen.empty() ? std::string(fastest_cpu_backend().name()) : chosen;
}

std::string backend_label(const std::string& chosen) {
    return chosen.empty() ? backend_or_default(chosen) + " (default: the fastest CPU backend)" : chosen;
}

std::string backend_help() {
    return "reference (the textbook loops), simd or gpu (default: " + backend_or_default("") +
           ", the fastest CPU backend)";
}

void time_repeated(int repeat, std::string_view backend, const std::function<bool()>& op) {
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const bool ok = op();
        const auto t1 = std::chrono::steady_clock::now();
        if (!ok) return;
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    std::fprintf(stderr, "time: median %.3f ms (min %.3f, max %.3f) over %zu runs, backend %.*s\n", median,
                 sorted.front(), sorted.back(), n, int(backend.size()), backend.data());
}

}  // namespace convscope::cli
