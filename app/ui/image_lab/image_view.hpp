// The image lab's view: it reads the model (core/image_lab/image_lab.hpp) and sends it edits; one file per
// panel.
//
//   image_view.cpp     the view: options, scenes, undo, the frame's layout, textures, recent files
//   controls.cpp       the settings panel (image, kernel, parameters, display, backend, save)
//   kernel_editor.cpp  the kernel editor window (cells, size, divisor, offset, files)
//   panes.cpp          the input and output panes (linked zoom and pan, true pixel size, messages)
//   explain.cpp        explain this pixel (the window, the weights, the multiply-accumulate)
//   file_browser.cpp   the open-image dialog
#pragma once

#include <imgui.h>

#include <GL/gl.h>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ui/view.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/image_lab/image_lab.hpp"

namespace convscope::ui::image_lab {

// An RGBA texture of a photo, magnified with nearest-neighbour sampling so that zoomed pixels stay square and
// countable.
class Texture {
public:
    Texture() = default;
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;
    ~Texture() { clear(); }
    // RGBA pixels made on a worker thread, so the UI thread only hands them to OpenGL.
    void upload(int64_t width, int64_t height, const std::vector<uint8_t>& rgba);
    void clear();
    bool valid() const { return m_id != 0; }
    ImTextureID id() const { return reinterpret_cast<ImTextureID>(intptr_t(m_id)); }

private:
    GLuint m_id = 0;
};

// Small drawing helpers the panels share.
inline ImVec4 to_vec4(ImU32 c) {
    return ImGui::ColorConvertU32ToFloat4(c);
}
// A control's label on its own line above it (the settings panel is narrow).
void label(Str s);
// Red text for errors the user can fix.
void error_text(const std::string& text);
// The label of a preset id in the UI's language.
Str preset_label(std::string_view id);
// The name of a values-to-pixels map in the UI's language (explain's "shown as").
Str display_map_label(DisplayMap map);

class ImageView final : public View {
public:
    ImageView();
    // Quitting keeps a custom kernel nobody saved: it comes back the next time the app opens.
    ~ImageView() override;

    std::string_view id() const override { return "image"; }
    Str title() const override { return Str::view_image; }
    void apply_options(const GuiOptions& o) override;
    // Only while shown: a view in a hidden tab never takes its results and must not hold up a scripted run.
    bool busy() const override;
    void draw_content(ViewContext& ctx) override;
    bool load_scene(const Scene& scene) override;
    std::optional<Scene> current_scene() const override;
    // Every edit of the lab (kernel cells, preset, size, σ, normalize, parameters, display) is an undo step.
    bool undo() override { return m_lab.undo(); }
    bool redo() override { return m_lab.redo(); }
    int64_t edit_count() const override { return m_lab.edit_count(); }

private:
    // Sends an edit; a refusal is said in the status bar.
    void edit(ViewContext& ctx, const ImageLabEdit& e);
    void take_results(ViewContext& ctx);
    void upload_textures();
    void remember(const std::string& path);
    void keep_custom_kernel() const;
    static std::string kept_kernel_path();

    void draw_controls(ViewContext& ctx);
    void draw_kernel_choice(ViewContext& ctx);
    void draw_parameters(ViewContext& ctx);
    void draw_display(ViewContext& ctx);
    void draw_kernel_editor(ViewContext& ctx);
    void draw_panes(ViewContext& ctx, ImVec2 size);
    void draw_pane_toolbar(ViewContext& ctx, ImVec2 size);
    void draw_explain(ViewContext& ctx, ImVec2 size);
    void draw_file_browser(ViewContext& ctx);

    // Pane geometry along one axis. Output coordinate u maps to input coordinate x = (u − ½)·s + off + ½,
    // with off = −pad + d·(k − 1)/2: each output pixel sits over the centre of its window and spans one
    // stride.
    struct Axis {
        double s = 1, off = 0;
        double x_of(double u) const { return (u - 0.5) * s + off + 0.5; }
        double u_of(double x) const { return (x - off - 0.5) / s + 0.5; }
    };
    static Axis axis_of(const AxisSpec& a) {
        return {double(a.stride), double(-a.pad_before) + double(a.dilation * (a.kernel - 1)) / 2.0};
    }

    // The model: photo, kernel, parameters, jobs, explain.
    ImageLab m_lab;

    // State: the view's own
    bool m_scripted = false;
    int m_drawn_frame = -1;
    std::string m_initial;
    std::optional<Scene> m_scene;  // the scene last loaded (caption, unknown fields)
    Texture m_input_tex, m_output_tex;
    std::shared_ptr<const std::vector<uint8_t>> m_input_uploaded;
    std::pair<uint64_t, bool> m_output_uploaded{0, false};  // (generation, preview) of the output texture
    std::optional<Error> m_load_error;                      // structured: drawn in the current language
    std::vector<std::string> m_samples, m_recent;
    std::string m_kernel_path = "kernel.txt";
    bool m_editor_open = false;
    std::string m_save_path = "filtered.png";

    // State: the panes (zoom in screen pixels per input pixel, pan as the input point at the panes' centre)
    bool m_true_size = false;
    bool m_compact = false;  // this frame: a short work area (labels inside the panes, a one-line hint)
    double m_zoom = 1.0;
    double m_cx = 0.0, m_cy = 0.0;
    bool m_need_fit = true;
    bool m_fitted = false;  // the view is the fit, and follows the panes' size until a zoom or a pan
    ImVec2 m_fit_pane{0, 0};
    std::optional<std::pair<int64_t, int64_t>> m_hover_input;

    // State: explain this pixel
    bool m_pinned = false;
    std::pair<int64_t, int64_t> m_explain_at{-1, -1};  // (row, column) of the output
    int m_explain_channel = 0;

    // State: the file browser
    bool m_browser_open = false;
    std::string m_browser_dir, m_browser_path;
};

}  // namespace convscope::ui::image_lab
