// Options shared by several subcommands: the conv options and --repeat timing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/engine/backend.hpp"
#include "core/engine/params.hpp"
#include "core/support/result.hpp"

namespace CLI {
class App;
}

namespace convscope::cli {

// --stride --padding --dilation --groups --padding-mode --max-mult-adds, as text until validated.
struct ConvOptions {
    std::string stride = "1";
    std::string padding = "0";
    std::string dilation = "1";
    std::string groups = "1";
    std::string padding_mode = "zeros";
    std::string max_mult_adds;  // empty: limits::kMaxMultAdds
    bool flip = false;          // --flip: true convolution (the kernel rotated 180°)
};

// conv-transpose's options (and explain --transposed's), as text until validated.
struct ConvTransposeOptions {
    std::string stride = "1";
    std::string padding = "0";
    std::string output_padding = "0";
    std::string dilation = "1";
    std::string groups = "1";
    std::string max_mult_adds;  // empty: limits::kMaxMultAdds
};

// A plain decimal integer ("-" allowed, then digits only) that fits in int64; anything else ("0x10", "1e3",
// "99999999999999999999", "") is an error naming the option: "--groups: '0x10' is not a whole number".
Result<int64_t> parse_int_option(std::string_view option, std::string_view text);

// N or H,W of plain decimal integers; `allow_x` also takes HxW (the size command's input).
Result<Pair> parse_pair_option(std::string_view option, std::string_view text, bool allow_x = false);

// N, H,W (plain decimal integers), same or valid.
Result<Padding> parse_padding_option(std::string_view option, std::string_view text);

// --max-mult-adds: empty means the default limit; else a whole number of at least 1.
Result<int64_t> parse_max_mult_adds(std::string_view text);

// --repeat: empty means "run once, untimed"; else 1 to limits::kMaxRepeat.
Result<int> parse_repeat(std::string_view text);

// Adds --max-mult-adds to a subcommand.
void add_max_mult_adds_option(CLI::App* cmd, std::string& value);

// --repeat N (1 to limits::kMaxRepeat; parse it with parse_repeat): time N runs after a warm-up.
void add_repeat_option(CLI::App* cmd, std::string& value);

// Adds the conv options to a subcommand.
void add_conv_options(CLI::App* cmd, ConvOptions& o);

// The validated parameters, or a readable error ("stride '0,x' is not N or H,W").
Result<Conv2dParams> to_params(const ConvOptions& o);

// The backend to run: `chosen`, or the fastest CPU backend (simd where built) when --backend was omitted.
std::string backend_or_default(const std::string& chosen);

// How the --repeat line names the backend: `chosen`, or e.g. "simd (default: the fastest CPU backend)".
std::string backend_label(const std::string& chosen);

// The --backend help text of conv and pool, naming the default.
std::string backend_help();

// Adds conv-transpose's options to a subcommand (transpose_commands.cpp).
void add_transpose_options(CLI::App* cmd, ConvTransposeOptions& o);

// The validated transposed-convolution parameters, or a readable error.
Result<ConvTranspose2dParams> to_transpose_params(const ConvTransposeOptions& o);

// Runs `op` (which returns true on success) `repeat` times and prints to stderr
// "time: median X ms (min Y, max Z) over N runs, backend B"; stops silently at the first failure. Memory does
// not grow with `repeat` beyond one double per run (repeat is bounded).
void time_repeated(int repeat, std::string_view backend, const std::function<bool()>& op);

// Runs `op` (returning a Result) once to warm up, then `repeat` times, timed as time_repeated. repeat ≤ 0
// runs it once, silently. Returns the last result, or the first failure.
template <class Op>
auto run_timed(int repeat, std::string_view backend, Op&& op) -> decltype(op()) {
    auto result = op();  // the warm-up, or the only run (also builds caches, compiles shaders)
    if (repeat <= 0 || !result) return result;
    time_repeated(repeat, backend, [&] {
        result = op();
        return bool(result);
    });
    return result;
}

}  // namespace convscope::cli
