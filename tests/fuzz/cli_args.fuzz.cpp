// Fuzz target: the command-line parser. The input is split at newlines into arguments after `convscope`;
// parsing must give 0 or 2 and never crash. Nothing is executed (no file is read or written). Each argument
// also goes through the option-value parsers (N or H,W, strict and lenient; padding; padding mode; --repeat;
// layer and input-shape syntax).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli/cli.hpp"
#include "app/cli/options.hpp"
#include "core/network/network.hpp"
#include "core/engine/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> args{"convscope"};
    std::string current;
    for (size_t i = 0; i < size && args.size() < 64; ++i) {
        if (data[i] == '\n') {
            args.push_back(current);
            current.clear();
        } else {
            current += char(data[i]);
        }
    }
    args.push_back(current);
    for (size_t i = 1; i < args.size(); ++i) {
        (void)convscope::parse_pair(args[i]);
        (void)convscope::parse_padding(args[i]);
        (void)convscope::parse_padding_mode(args[i]);
        (void)convscope::parse_input_shape(args[i]);
        (void)convscope::parse_layer(args[i]);
        (void)convscope::cli::parse_pair_option("--stride", args[i]);
        (void)convscope::cli::parse_pair_option("INPUT", args[i], true);
        (void)convscope::cli::parse_padding_option("--padding", args[i]);
        (void)convscope::cli::parse_repeat(args[i]);
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    const int status = convscope::cli::run(int(argv.size()), argv.data(), /*execute=*/false);
    if (status != 0 && status != 2) std::abort();
    return 0;
}
