#include "app/ui/shell/gui_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli/cli.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/image_lab/kernels.hpp"
#include "core/stepper/stepper.hpp"

namespace convscope::ui {

bool wants_gui(int argc, char** argv) {
    if (argc < 2) return true;
    const std::string_view first = argv[1];
    if (first == "gui") return true;
    return !first.starts_with("-") && !cli::is_cli_command(first);
}

std::optional<int> parse_gui_options(int argc, char** argv, GuiOptions& out) {
    // `convscope IMAGE …` reads as `convscope gui IMAGE …`.
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    if (!args.empty() && args[0] == "gui") args.erase(args.begin());

    CLI::App app{"ConvScope: the app (stepper, output-size calculator, …)", "convscope gui"};
    std::string views;
    for (const std::string& id : view_ids()) views += (views.empty() ? "" : "|") + id;
    std::string size;
    app.add_option("IMAGE", out.image, "An image to open (for the image lab)");
    app.add_option("--view", out.view, "Start on this view: " + views);
    app.add_option("--lang", out.lang, "Language: en or ko");
    app.add_option("--scale", out.scale, "UI scale, 1 to 3");
    app.add_option("--theme", out.theme, "light or dark");
    app.add_option("--screenshot", out.screenshot, "Save the window as PNG after the last frame, then exit");
    app.add_option("--frames", out.frames, "Render N frames, then exit");
    app.add_option("--exit-after", out.exit_after,
                   "Run this many seconds (taking keyboard and mouse), then exit");
    app.add_option("--step", out.step, "Stepper: press → N times first");
    app.add_option("--step-terms", out.step_terms, "Stepper: then press Shift+→ N times");
    app.add_option("--export-gif", out.export_gif,
                   "Stepper: record every window as an animated GIF, then exit");
    app.add_option("--size", size, "Window size WxH, e.g. 1600x900");
    app.add_option("--kernel", out.kernel,
                   "Image lab: start with this kernel, a preset (sobel-x, gaussian5, …) or a file");
    app.add_option("--explain", out.explain, "Image lab: explain this output pixel ROW,COL");
    app.add_flag("--hide-controls", out.hide_controls,
                 "Stepper: start with the settings panel closed (bigger grids)");
    app.add_flag("--present", out.present,
                 "Presentation mode: full screen, only the canvas (F5 toggles, Escape leaves)");
    app.add_flag("--present-in-window", out.present_in_window,
                 "Presentation's layout (only the canvas and the caption) in the window, not full screen");
    app.add_flag("--fullscreen", out.fullscreen, "Full screen on the current monitor (F11 toggles)");
    app.add_option("--report-layout", out.report_layout,
                   "Stepper: write where the grids are drawn (JSON) to this file (for tests)");
    std::string lesson;
    app.add_option("--lesson", lesson, "Open a lesson: a bundled one (lecture) or a LESSON.json file");
    app.add_option("--scene", out.scene, "Lessons: start on scene K (from 1)");
    app.add_option("--save-scene", out.save_scene,
                   "Save what is shown (after --preset, --step, …) as a scene file, then exit");
    app.add_option("--report-clipping", out.report_clipping,
                   "Write the windows whose content is cut off without a scrollbar (JSON) to this file (for "
                   "tests)");
    app.add_option("--preset", out.preset,
                   "Stepper: start on this example (lecture, edge, blur, max_pool, …)");
    // CLI11 parses from the back of a reversed vector; keep argv order.
    std::vector<std::string> rev(args.rbegin(), args.rend());
    try {
        app.parse(rev);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        return cli::error_exit(e.what());
    }
    // `convscope gui FILE.json` opens a scene or a lesson (by its content).
    if (out.image.ends_with(".json") || out.image.ends_with(".JSON")) {
        out.document = out.image;
        out.image.clear();
    }
    if (!lesson.empty()) {
        if (!out.document.empty()) return cli::error_exit("give either --lesson or a FILE.json, not both");
        out.document = lesson_path(lesson);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(out.document, ec))
            return cli::error_exit("--lesson: no lesson '" + lesson + "' (" + out.document +
                                   " is not a file)");
    }
    if (out.scene < 0) return cli::error_exit("--scene must be 1 or more");
    // `convscope photo.jpg` means the image lab.
    if (!out.image.empty() && out.view.empty()) out.view = "image";
    if (!out.view.empty()) {
        bool known = false;
        for (const std::string& id : view_ids()) known = known || id == out.view;
        if (!known) return cli::error_exit("--view must be one of " + views + ", got '" + out.view + "'");
    }
    Lang lang;
    if (!out.lang.empty() && !parse_lang(out.lang, lang))
        return cli::error_exit("--lang must be en or ko, got '" + out.lang + "'");
    if (out.scale != 0.0f && !(out.scale >= 1.0f && out.scale <= 3.0f))  // NaN fails both comparisons
        return cli::error_exit("--scale must be between 1 and 3");
    if (!out.theme.empty() && out.theme != "light" && out.theme != "dark")
        return cli::error_exit("--theme must be light or dark, got '" + out.theme + "'");
    if (out.frames < 0 || out.step < 0 || out.step_terms < 0 || out.exit_after < 0)
        return cli::error_exit("--frames, --step and --step-terms must not be negative");
    if (!size.empty()) {
        auto p = parse_pair(size);
        if (!p || p->h < 320 || p->w < 240 || p->h > 16384 || p->w > 16384)
            return cli::error_exit("--size must be WxH with W ≥ 320 and H ≥ 240, got '" + size + "'");
        out.width = int(p->h);  // parse_pair reads "W,H" as (first, second)
        out.height = int(p->w);
    }
    if (!out.preset.empty()) {
        bool known = false;
        std::string names;
        for (const StepperPreset& p : stepper_presets()) {
            known = known || p.key == out.preset;
            names += (names.empty() ? "" : ", ") + std::string(p.key);
        }
        if (!known) return cli::error_exit("--preset must be one of " + names + ", got '" + out.preset + "'");
    }
    if (!out.kernel.empty() && !kernel_from_name(out.kernel))
        if (auto k = read_kernel_file(out.kernel); !k)
            return cli::error_exit("--kernel '" + out.kernel +
                                   "' is neither a preset nor a readable kernel file: " + k.error());
    if (!out.explain.empty())
        if (auto p = parse_pair(out.explain); !p || p->h < 0 || p->w < 0)
            return cli::error_exit("--explain must be ROW,COL of an output pixel, got '" + out.explain + "'");
    if (!out.export_gif.empty() && !out.view.empty() && out.view != "stepper")
        return cli::error_exit("--export-gif records the stepper; use --view stepper");
    if (!out.export_gif.empty()) out.view = "stepper";
    return std::nullopt;
}

}  // namespace convscope::ui
