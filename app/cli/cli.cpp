#include "app/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/io/fileio.hpp"

namespace convscope::cli {

bool is_cli_command(std::string_view word) {
    for (std::string_view c :
         {"conv", "pool", "size", "explain", "filter", "shapes", "conv-transpose", "unfold"})
        if (word == c) return true;
    return false;
}

int error_exit(const std::string& message) {
    std::string one_line = message;
    for (char& ch : one_line)
        if (ch == '\n') ch = ' ';
    std::cerr << "error: " << one_line << "\n";
    return 2;
}

int run(int argc, char** argv, bool execute) {
    CLI::App root{"ConvScope: 2D convolution and pooling, exactly as PyTorch computes them", "convscope"};
    root.require_subcommand(1);
    root.set_help_all_flag("--help-all", "Help for every subcommand");
    root.set_version_flag("--version", std::string("convscope ") + CONVSCOPE_VERSION);
    root.footer("Without a subcommand, or with `gui`, convscope opens the app: see `convscope gui --help`.");
    Registry registry{root, {}};
    add_engine_commands(registry);
    add_transpose_commands(registry);
    add_shapes_command(registry);
    add_filter_command(registry);
    try {
        root.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        if (!execute) return 0;
        std::cout << root.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        if (!execute) return 0;
        std::cout << root.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        if (execute) std::cout << e.what() << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        // CLI11 reports "--help" on a subcommand as CallForHelp through the subcommand.
        if (e.get_exit_code() == 0) {
            if (!execute) return 0;
            for (auto& [sub, action] : registry.commands)
                if (sub->parsed()) {
                    std::cout << sub->help();
                    return 0;
                }
            std::cout << root.help();
            return 0;
        }
        return execute ? error_exit(e.what()) : 2;
    }
    if (!execute) return 0;
    // Ctrl+C (or SIGTERM) ends a long run at once, removing any temporary output file: no debris.
    install_interrupt_cleanup();
    for (auto& [sub, action] : registry.commands)
        if (sub->parsed()) return action();
    return error_exit("no subcommand given");
}

}  // namespace convscope::cli
