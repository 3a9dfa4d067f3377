// The network view (app/ui/network/network_view.hpp): start-up options, scenes, undo/redo and the layout of
// the panels.
#include "app/ui/network/network_view.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"

namespace convscope::ui {
namespace network {

std::string layer_label(const Layer& L) {
    return to_pytorch(L).substr(3);
}

std::string shape_text(const Shape& s) {
    return s.empty() ? "—" : shape_to_string(s);
}

CellGrid cell_grid(const FeatureTile& t, ImVec2 at, ImVec2 box) {
    CellGrid g;
    if (t.vector) {
        g.cw = box.x / float(t.w);
        g.ch = box.y / float(t.h);
        g.origin = at;
        return g;
    }
    g.cw = g.ch = std::min(box.x / float(t.w), box.y / float(t.h));
    g.origin = ImVec2(at.x + (box.x - g.cw * float(t.w)) * 0.5f, at.y + (box.y - g.ch * float(t.h)) * 0.5f);
    return g;
}

void NetworkView::apply_options(const GuiOptions& o) {
    // The photo: the one given on the command line, else the bundled sample; decoded on the model's worker.
    std::string path = o.image;
    if (path.empty()) {
        const std::string assets = find_assets_dir();
        if (!assets.empty()) path = assets + "/camera.png";
    }
    if (path.empty()) return;
    m_photo_asked = !o.image.empty();
    m_model.load_photo(path, m_photo_asked);
}

// Scenes: the input and the layer stack (core/lesson/lesson_read.cpp checked that every layer parses). Showing a
// scene is not an edit: the undo history starts afresh.
bool NetworkView::load_scene(const Scene& scene) {
    if (scene.view != SceneView::Network) return false;
    NetworkStack s;
    s.input = scene.network.input;
    for (const std::string& text : scene.network.layers)
        if (auto L = parse_layer(text)) s.layers.push_back({*L, {}});
    m_model.reset(std::move(s));
    m_selected = m_model.stack().layers.empty() ? -1 : 0;
    m_scene = scene;
    return true;
}

std::optional<Scene> NetworkView::current_scene() const {
    Scene s = m_scene ? *m_scene : Scene{};
    s.view = SceneView::Network;
    s.network.input = m_model.stack().input;
    s.network.layers.clear();
    for (const StackLayer& it : m_model.stack().layers) s.network.layers.push_back(to_pytorch(it.layer));
    return s;
}

bool NetworkView::undo() {
    if (!m_model.undo()) return false;
    after_restore();
    return true;
}

bool NetworkView::redo() {
    if (!m_model.redo()) return false;
    after_restore();
    return true;
}

void NetworkView::after_restore() {
    const int n = int(m_model.stack().layers.size());
    m_selected = n == 0 ? -1 : std::clamp(m_selected, 0, n - 1);
    m_edit_error.reset();
}

void NetworkView::edit(ViewContext& ctx, const NetworkEdit& e, bool settled) {
    if (auto done = m_model.apply(e, settled); !done) ctx.notify(done.err());
}

namespace {

// A tab's label in the current language with a fixed id, so the tab shown stays the same when the language
// changes (ImGui keys a tab by its label otherwise).
std::string tab_label(Str label, const char* id) {
    return std::string(tr(label)) + "###" + id;
}

// One tab of the open tab bar: `draw` fills it while it is the one shown.
template <class Draw>
void tab_item(Str label, const char* id, Draw&& draw) {
    if (!ImGui::BeginTabItem(tab_label(label, id).c_str())) return;
    draw();
    ImGui::EndTabItem();
}

}  // namespace

void NetworkView::draw_wide(ViewContext& ctx) {
    const float left_w = std::max(ImGui::GetContentRegionAvail().x * 0.27f, 300.0f * ctx.scale);
    ImGui::BeginChild("##stack", ImVec2(std::min(left_w, ImGui::GetContentRegionAvail().x * 0.45f), 0), true,
                      ImGuiWindowFlags_HorizontalScrollbar);
    draw_stack_editor(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##right", ImVec2(0, 0), false);
    draw_table();  // the model's check, up to date with any edit made above this frame
    if (ImGui::BeginTabBar("##network_tabs")) {
        if (ImGui::BeginTabItem(tab_label(Str::net_tab_maps, "maps").c_str())) {
            // A short window leaves the maps under a long table hardly a line: they keep at least two thirds
            // of the pane's height, and the pane scrolls to them.
            const float least = ImGui::GetWindowHeight() * 0.66f;
            ImGui::BeginChild("##maps", ImVec2(0, std::max(ImGui::GetContentRegionAvail().y, least)), false);
            draw_maps_tab(ctx);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        tab_item(Str::net_tab_code, "code", [&] { draw_code_tab(ctx); });
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

void NetworkView::draw_narrow(ViewContext& ctx) {
    if (!ImGui::BeginTabBar("##network_narrow")) return;
    if (ImGui::BeginTabItem(tab_label(Str::net_tab_maps, "maps").c_str())) {
        ImGui::BeginChild("##maps", ImVec2(0, 0), false);
        draw_maps_tab(ctx);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(tab_label(Str::net_layers, "layers").c_str())) {
        ImGui::BeginChild("##stack", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        draw_table();
        ImGui::Separator();
        draw_stack_editor(ctx);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    tab_item(Str::net_tab_code, "code", [&] { draw_code_tab(ctx); });
    ImGui::EndTabBar();
}

void NetworkView::draw_presented(ViewContext& ctx) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // Read from the back of the room: text about a twenty-sixth of the view's height, never below the UI's.
    const float px = std::clamp(avail.y / 26.0f, ctx.fonts.ui_size, ctx.fonts.ui_size * 3.0f);
    ImFont* f = ctx.fonts.for_size(px);
    // The table's rows (header, input, layers, total; a refused layer adds two) and its two summary lines.
    int rows = 3 + int(m_model.stack().layers.size());
    for (const LayerCheck& c : m_model.check().layers) rows += c.ok() ? 0 : 2;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float row_h = px + st.CellPadding.y * 2.0f;
    const float table_h =
        std::min(avail.y * 0.5f,
                 row_h * (float(rows) + 0.5f) + 2.0f * (px + st.ItemSpacing.y) + st.ItemSpacing.y * 2.0f);
    ImGui::BeginChild("##present_table", ImVec2(0, table_h), false, ImGuiWindowFlags_NoScrollbar);
    ImGui::PushFont(f);
    ImGui::SetWindowFontScale(px / f->FontSize);
    m_table_fills_pane = true;
    draw_table();
    m_table_fills_pane = false;
    ImGui::PopFont();
    ImGui::EndChild();
    ImGui::BeginChild("##present_maps", ImVec2(0, 0), false);
    const auto& result = m_model.maps();
    if (result && !result->ok())
        text_wrapped(f, px, palette().strong(Role::Window), tr_error(result->err()),
                     ImGui::GetContentRegionAvail().x);
    else
        draw_tiles(ctx, ImGui::GetContentRegionAvail().y, px * 0.9f);
    ImGui::EndChild();
}

void NetworkView::draw_content(ViewContext& ctx) {
    m_drawn_frame = ImGui::GetFrameCount();
    m_model.poll();
    if (const auto& err = m_model.photo_error();
        m_photo_asked && (err ? err->message : std::string()) != m_photo_error_shown) {
        m_photo_error_shown = err ? err->message : std::string();
        if (err) ctx.notify(Message(Str::net_photo_error, *err));
    }
    if (auto& maps = m_model.maps(); maps && maps->ok() && m_pick_layer >= int(maps->value().maps.size()))
        m_pick_layer = -1;
    // Too narrow for the stack beside the maps (a large UI scale on a small window): one tab each, the
    // feature maps first, so they get the whole view.
    if (ctx.presenting)
        draw_presented(ctx);
    else if (ImGui::GetContentRegionAvail().x < 700.0f * ctx.scale)
        draw_narrow(ctx);
    else
        draw_wide(ctx);
    // A number typed or dragged becomes one undo step once no field is active.
    if (!ImGui::IsAnyItemActive()) m_model.settle();
    m_model.submit_if_needed();
}

}  // namespace network

std::unique_ptr<View> make_network_view() {
    return std::make_unique<network::NetworkView>();
}

}  // namespace convscope::ui
