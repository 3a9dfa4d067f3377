// `convscope`, `convscope IMAGE` and `convscope gui [IMAGE] [--view V] [--lang en|ko] [--scale S] [--theme T]
// [--screenshot OUT.png] [--frames N] [--step N] [--step-terms N] [--export-gif OUT.gif] [--size WxH]
// [--preset NAME] [--hide-controls] [--exit-after SECONDS] [--present] [--fullscreen] [--report-layout
// FILE] [--report-clipping FILE]`.
#pragma once

#include <optional>

#include "app/ui/view.hpp"

namespace convscope::ui {

// True when argv asks for the GUI: no arguments, `gui …`, or a single IMAGE path.
bool wants_gui(int argc, char** argv);

// Parses the GUI's arguments into `out`. Returns nullopt to go on, or an exit status (0 after --help, 2 with
// one `error: …` line on stderr for bad usage).
std::optional<int> parse_gui_options(int argc, char** argv, GuiOptions& out);

}  // namespace convscope::ui
