// The command line: `convscope conv|pool|size|explain|filter|shapes|conv-transpose|unfold …`. Exit 0 on
// success, 2 with one `error: …` line on stderr for bad usage or bad input (no output file written).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace convscope::cli {

// True when argv[1] names a command-line subcommand rather than the GUI.
bool is_cli_command(std::string_view word);

// Parses and runs a subcommand; returns the process exit status. With execute = false it only parses (for the
// option-parser fuzz target): 0 when the arguments parse, 2 when they do not; nothing is read or written.
int run(int argc, char** argv, bool execute = true);

// Prints "error: <message>" to stderr and returns 2.
int error_exit(const std::string& message);

// A subcommand adds itself to `root` and appends the function to call when it was chosen.
using Action = std::function<int()>;
struct Registry {
    CLI::App& root;
    std::vector<std::pair<CLI::App*, Action>> commands;
    void add(CLI::App* sub, Action action) { commands.emplace_back(sub, std::move(action)); }
};

// conv, pool, size, explain (engine_commands.cpp).
void add_engine_commands(Registry& r);

// conv-transpose, unfold (transpose_commands.cpp).
void add_transpose_commands(Registry& r);

// shapes (shapes_command.cpp).
void add_shapes_command(Registry& r);
// filter (filter_command.cpp).
void add_filter_command(Registry& r);

}  // namespace convscope::cli
