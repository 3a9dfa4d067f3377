// Typed requests between the views and the shell, owned by the shell (one Requests per app, reached through
// ViewContext::requests). A view asks; the shell or the receiving view takes the request on this frame or a
// later one (everything runs on the UI thread). A request not taken yet is replaced by a newer one of its
// kind.
//
//   ctx.requests.open_in_stepper({problem, window});     // the image lab's and network view's "open in
//   stepper" if (auto r = ctx.requests.take_stepper()) load(r->problem);                    // the stepper,
//   when drawn ctx.requests.need_frames();                            // "I am animating": the app does not
//   sleep this frame
//
// The shell also fills it: files dropped on the window (GLFW's drop callback, installed by the shell), and
// "export the animation to PATH" from File ▸ Export animation….
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/io/image.hpp"
#include "core/stepper/stepper.hpp"

namespace convscope::ui {

struct StepperRequest {
    StepperProblem problem;
    int64_t window = -1;  // the window to show complete (−1: before the first)
};

struct ImageRequest {
    std::string name;        // shown as the image's name, e.g. "1 Conv2d(1, 5, 5), channel 2"
    convscope::Image image;  // core/io/image.hpp (not ui::Image, capture.hpp's framebuffer grab)
};

class Requests {
public:
    // [Views → other views] Loads a problem into the stepper and shows the stepper.
    void open_in_stepper(StepperRequest r) {
        m_stepper = std::move(r);
        m_view = "stepper";
    }
    // Opens an image (not a file) in the image lab and shows the image lab.
    void open_in_image_lab(ImageRequest r) {
        m_image = std::move(r);
        m_view = "image";
    }
    // [Receivers] The pending request of each kind, taken (empty when there is none).
    std::optional<StepperRequest> take_stepper() { return std::exchange(m_stepper, std::nullopt); }
    std::optional<ImageRequest> take_image() { return std::exchange(m_image, std::nullopt); }
    // Files dropped on the window that the shell did not open itself (images: the image lab takes them).
    std::vector<std::string> take_dropped_files() { return std::exchange(m_dropped, {}); }
    // The path to record the stepper's animation to (File ▸ Export animation…), once.
    std::optional<std::string> take_animation_export() { return std::exchange(m_animation, std::nullopt); }

    // [Shell] The view to show next (its id), taken by the shell.
    std::optional<std::string> take_view() { return std::exchange(m_view, std::nullopt); }
    void show_view(std::string id) { m_view = std::move(id); }
    void files_dropped(std::vector<std::string> paths, std::string view) {
        for (auto& p : paths)
            if (m_dropped.size() < 64) m_dropped.push_back(std::move(p));
        m_view = std::move(view);
    }
    void export_animation(std::string path) {
        m_animation = std::move(path);
        m_view = "stepper";
    }
    bool animation_export_pending() const { return m_animation.has_value(); }

    // [Views → shell] A view's own export buttons (the stepper's "Save frame" / "Save animation") open the
    // shell's save dialog, as File ▸ Export frame… / Export animation… do: the file is chosen, and replacing
    // one is asked, in one place.
    void ask_export_frame() { m_ask_frame = true; }
    void ask_export_animation() { m_ask_animation = true; }
    bool take_export_frame_asked() { return std::exchange(m_ask_frame, false); }
    bool take_export_animation_asked() { return std::exchange(m_ask_animation, false); }
    // The part of the view an exported frame shows, set by the view every frame it draws (the stepper: its
    // canvas, without the controls); the whole view when a view does not set it.
    struct Region {
        float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    };
    void set_frame_region(Region r) { m_region = r; }
    std::optional<Region> take_frame_region() { return std::exchange(m_region, std::nullopt); }

    // [Frames] A view that animates (playback, a progress bar) calls this every frame it needs the next one;
    // otherwise the app sleeps until input arrives. The shell reads and clears it once per frame.
    void need_frames() { m_frames_wanted = true; }
    bool take_frames_wanted() { return std::exchange(m_frames_wanted, false); }

private:
    std::optional<std::string> m_view;
    std::optional<StepperRequest> m_stepper;
    std::optional<ImageRequest> m_image;
    std::vector<std::string> m_dropped;
    std::optional<std::string> m_animation;
    bool m_ask_frame = false, m_ask_animation = false;
    std::optional<Region> m_region;
    bool m_frames_wanted = false;
};

// Which backends run here, probed once at start-up (on a worker thread) and again only on demand
// (View ▸ Re-check GPU); views read this instead of calling fastest_backend() per frame.
struct BackendInfo {
    bool probed = false;      // false while the first probe runs (views then assume the fastest CPU backend)
    std::string fastest;      // "gpu", "simd" or "reference": fastest_backend()'s name
    // When fastest is not "gpu", the reason (coded: drawn in the current language).
    std::optional<Error> why_not_gpu;
};

}  // namespace convscope::ui
