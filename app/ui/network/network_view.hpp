// The network view: the lecture's small CNN (input 1×1×28×28, Conv2d(1,5,5), MaxPool2d(2)) as a stack to
// edit, a torchinfo-like table of every layer's output shape, parameters and multiply-accumulates (with
// PyTorch's refusals marked at their layer), the stack as PyTorch code both ways, and every channel of every
// layer run on a drawn digit or a photo. The model (core/network/model.hpp) holds the stack, computes
// everything and runs the feature maps off the UI thread; this view reads it and sends it edits. A picked
// element of a conv or pool map opens in the stepper (core's layer_step, handed over through
// app/ui/shell/handoff.hpp).
//
//   convscope gui --view network [PHOTO]     (the photo becomes the input; else the bundled camera.png)
//
// One file per panel:
//   network_view.cpp   the view: options, scenes, undo/redo, the layout of the panels (the stack beside the
//                      table and tabs; where that is too narrow, a tab each with the feature maps first)
//   stack_panel.cpp    the stack editor (left): input, layers, add, example stacks, the selected layer
//   table_panel.cpp    the table of shapes, parameters, mult-adds and receptive fields
//   maps_panel.cpp     the feature maps tab: the drawing or photo, the tiles, the enlarged map
//   code_panel.cpp     the PyTorch code tab: the stack as code, pasted code to a stack
#pragma once

#include <imgui.h>

#include <optional>
#include <string>

#include "app/ui/view.hpp"
#include "core/network/model.hpp"

namespace convscope::ui::network {

// A preset kernel an output channel can take instead of its random weights.
struct ChannelPreset {
    const char* id;  // core/image_lab/kernels.hpp name; "" for the seeded random weights
    Str label;
};
inline constexpr ChannelPreset kPresets[] = {
    {"", Str::net_random},           {"identity", Str::img_k_identity},
    {"box", Str::img_k_box},         {"gaussian", Str::img_k_gaussian},
    {"sharpen", Str::img_k_sharpen}, {"laplacian", Str::img_k_laplacian},
    {"sobel-x", Str::img_k_sobel_x}, {"sobel-y", Str::img_k_sobel_y},
    {"emboss", Str::img_k_emboss},   {"outline", Str::img_k_outline},
};

// "Conv2d(1, 5, 5)": the code without the nn. prefix, as the table lists it.
std::string layer_label(const Layer& L);
// A shape as "[1, 5, 24, 24]", "—" when unknown.
std::string shape_text(const Shape& s);

// Where a tile's cells go in a box: square cells centred for a map, cells stretched to fill it for a row of
// values.
struct CellGrid {
    ImVec2 origin;
    float cw = 1, ch = 1;
};
CellGrid cell_grid(const FeatureTile& t, ImVec2 at, ImVec2 box);

class NetworkView final : public View {
public:
    NetworkView() = default;

    std::string_view id() const override { return "network"; }
    Str title() const override { return Str::view_network; }
    void apply_options(const GuiOptions& o) override;
    // Frames keep coming (the shell sleeps when no view is busy) and a scripted run waits while shown: until
    // the feature maps on screen are those of the stack shown and a decoded photo is taken (its maps then
    // follow), so a worker that finishes while the app is otherwise idle still gets its result drawn. Hidden:
    // only while a worker runs (what it finished waits for the view to be shown, and keeps no frames coming).
    bool busy() const override {
        if (m_drawn_frame >= ImGui::GetFrameCount() - 1) return m_model.busy() || m_model.photo_loading();
        return m_model.working();
    }
    void draw_content(ViewContext& ctx) override;
    bool load_scene(const Scene& scene) override;
    std::optional<Scene> current_scene() const override;
    bool undo() override;
    bool redo() override;
    int64_t edit_count() const override { return m_model.edit_count(); }

private:
    // The layouts: the stack beside the table and the tabs, or (narrow) one tab each.
    void draw_wide(ViewContext& ctx);
    void draw_narrow(ViewContext& ctx);
    // Presented (F5, a lesson's scene in class): the table and every layer's maps, sized from the screen.
    void draw_presented(ViewContext& ctx);
    // Panels.
    void draw_stack_editor(ViewContext& ctx);
    void draw_layer_list(ViewContext& ctx);
    void draw_add_layer();
    void draw_stacks_menu(ViewContext& ctx);
    void draw_layer_editor(ViewContext& ctx);
    void draw_kernel_choices(int index);
    void draw_table();
    void draw_maps_tab(ViewContext& ctx);
    void draw_canvas(ViewContext& ctx);
    // Every layer's maps. `fit_height` > 0 (presented): tiles and labels as large as lets every layer fit in
    // that height; `text_px` the labels' size (0: the UI's).
    void draw_tiles(ViewContext& ctx, float fit_height = 0.0f, float text_px = 0.0f);
    bool draw_tile(ViewContext& ctx, const FeatureTile& tile, ImVec2 box, bool selected, ImU32 frame,
                   const PathCounts* field = nullptr);
    void draw_enlarged(ViewContext& ctx);
    void draw_code_tab(ViewContext& ctx);

    // Sends an edit to the model; a refusal goes to the status bar.
    void edit(ViewContext& ctx, const NetworkEdit& e, bool settled = true);
    // After an undo or a redo, the selection within the stack.
    void after_restore();

    NetworkModel m_model;
    std::optional<Scene> m_scene;     // the scene last loaded (caption, unknown fields)
    int m_selected = 0;               // the layer the editor shows (−1: none)
    int m_drawn_frame = -10;          // ImGui's frame count when the view was last drawn
    bool m_photo_asked = false;       // the photo came from the command line: its error is shown
    std::string m_photo_error_shown;  // the English text of the photo error last notified

    // The enlarged map: its row in the maps (0 = input) and tile, and the picked element (−1: its centre).
    int m_pick_layer = 1, m_pick_tile = 1;
    bool m_table_fills_pane = false;  // presented: the table takes its pane's whole height
    int64_t m_pick_y = -1, m_pick_x = -1;

    // The selected layer as code, edited in place, and its refusal (drawn in the current language).
    std::string m_edit_text;
    std::optional<Error> m_edit_error;
    int m_edit_index = -1;

    // The code tab.
    std::string m_paste =
        "input = torch.Tensor(1,1,28,28)\nconv1 = nn.Conv2d(1,5,5)\npool = nn.MaxPool2d(2)\n";
};

}  // namespace convscope::ui::network
