// Options shared by several subcommands: the conv options and --repeat timing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/backend.hpp"
#include "core/params.hpp"
#include "core/result.hpp"

namespace CLI {
class App;
}

namespace convscope::cli {

// --stride --padding --dilation --groups --padding-mode, as text until validated.
struct ConvOptions {
    std::string stride = "1";
    std::string padding = "0";
    std::string dilation = "1";
    int64_t groups = 1;
    std::string padding_mode = "zeros";
};

// Adds the conv options to a subcommand.
void add_conv_options(CLI::App* cmd, ConvOptions& o);

// The validated parameters, or a readable error ("stride '0,x' is not N or H,W").
Result<Conv2dParams> to_params(const ConvOptions& o);

// Runs `op` once to warm up, then `repeat` times, and prints to stderr
// "time: median X ms (min Y, max Z) over N runs, backend B". repeat ≤ 0 runs it once, silently.
// Returns the last result.
Result<Tensor> run_timed(int repeat, std::string_view backend, const std::function<Result<Tensor>()>& op);

}  // namespace convscope::cli
