// convscope: the command line (`convscope conv|pool|size|explain|filter|shapes …`) and the app (no subcommand,
// or `gui`).
#include <cstdio>
#include <string_view>

#include "app/cli/cli.hpp"

int main(int argc, char** argv) {
    if (argc >= 2 && (convscope::cli::is_cli_command(argv[1]) || std::string_view(argv[1]).starts_with("-")))
        return convscope::cli::run(argc, argv);
    std::fputs("convscope: the GUI is not built yet; try `convscope --help`.\n", stderr);
    return 2;
}
