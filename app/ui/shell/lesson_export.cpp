#include "app/ui/shell/lesson_export.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli/cli.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/params.hpp"
#include "core/lesson/lesson.hpp"

extern char** environ;

namespace convscope::ui {
namespace {

namespace fs = std::filesystem;

// Runs `exe args…` and waits; the child's exit status, or −1 when it could not be started.
int run_and_wait(const std::string& exe, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    // The child's own messages (GLFW's, its error line) would make more than one error line: ours says it.
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (spawned != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string self_path(const char* argv0) {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(argv0) : p.string();
}

}  // namespace

bool is_lesson_command(int argc, char** argv) {
    return argc >= 2 && std::string_view(argv[1]) == "lesson";
}

int run_lesson_command(int argc, char** argv) {
    CLI::App app{
        "Export a lesson: one PNG per scene (and a GIF per stepper scene with --gif), numbered, "
        "drawn by the app presented at --size. Needs an X display (run under xvfb-run without one).",
        "convscope lesson"};
    std::string lesson, dir, lang = "en", size = "1280x800";
    bool gif = false;
    app.add_option("LESSON", lesson, "A LESSON.json file, or the name of a bundled lesson (lecture)")
        ->required();
    app.add_option("--export", dir, "Write the pictures into this folder (made if missing)")->required();
    app.add_option("--lang", lang, "Language of the captions and labels: en or ko");
    app.add_option("--size", size, "Picture size WxH (default 1280x800)");
    app.add_flag("--gif", gif, "Also an animated GIF per stepper scene");
    std::vector<std::string> args;
    for (int i = argc - 1; i >= 2; --i) args.emplace_back(argv[i]);
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        return cli::error_exit(e.what());
    }
    if (lang != "en" && lang != "ko") return cli::error_exit("--lang must be en or ko, got '" + lang + "'");
    auto wh = parse_pair(size);
    if (!wh || wh->h < 320 || wh->w < 240 || wh->h > 7680 || wh->w > 4320)
        return cli::error_exit("--size must be WxH with W from 320 to 7680 and H from 240 to 4320");
    const std::string path = lesson_path(lesson);
    auto doc = read_document_file(path);
    if (auto* e = std::get_if<SceneError>(&doc)) return cli::error_exit(path + ": " + e->english());
    std::vector<Scene> scenes;
    if (auto* l = std::get_if<Lesson>(&std::get<Document>(doc)))
        scenes = l->scenes;
    else
        scenes.push_back(std::get<Scene>(std::get<Document>(doc)));
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
        return cli::error_exit("no display: lesson --export draws each scene in a window (try xvfb-run -a)");
    std::error_code ec;
    const bool existed = fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec)) return cli::error_exit("cannot make the folder " + dir);
    const std::string exe = self_path(argv[0]);
    for (size_t i = 0; i < scenes.size(); ++i) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "%02zu-%s", i + 1, std::string(to_string(scenes[i].view)).c_str());
        const std::string png = (fs::path(dir) / (std::string(stem) + ".png")).string();
        std::vector<std::string> a = {"gui", path,           "--scene", std::to_string(i + 1), "--lang",
                                      lang,  "--size",       size,      "--present-in-window", "--frames",
                                      "6",   "--screenshot", png};
        if (gif && scenes[i].view == SceneView::Stepper)
            a.insert(a.end(), {"--export-gif", (fs::path(dir) / (std::string(stem) + ".gif")).string()});
        const int st = run_and_wait(exe, a);
        if (st != 0) {
            fs::remove(png, ec);
            if (!existed && fs::is_empty(dir, ec)) fs::remove(dir, ec);
            return cli::error_exit("scene " + std::to_string(i + 1) + " could not be drawn (exit status " +
                                   std::to_string(st) + "; an X display is needed: try xvfb-run)");
        }
        std::printf("%s\n", png.c_str());
    }
    return 0;
}

}  // namespace convscope::ui
