// [SECTION] Palette and theme
// [SECTION] Shell: fonts, style, menu, tabs, status line, scripted runs
// [SECTION] Typed requests and the backend probe
// [SECTION] Sleeping when nothing changes
// The other parts of the shell: app/ui/shell/document.cpp (scenes and lessons), session.cpp, file_menu.cpp,
// save_dialog.cpp, present.cpp.
#include "app/ui/shell/shell.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "app/ui/widgets/overlap.hpp"
#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

// [SECTION] Palette and theme

namespace {
Palette g_palette = make_palette(Theme::Dark);
}  // namespace

const Palette& palette() {
    return g_palette;
}
void set_palette_theme(Theme theme) {
    g_palette = make_palette(theme);
}

// [SECTION] Shell

Shell::Shell(GuiOptions options, Settings settings, Message startup_message)
    : m_options(std::move(options)),
      m_settings(std::move(settings)),
      m_views(make_views()),
      m_status(std::move(startup_message)) {
    m_saved_settings = m_settings;
    if (m_options.scale != 0.0f) m_settings.scale = m_options.scale;
    m_settings.scale = std::clamp(m_settings.scale, kMinScale, kMaxScale);
    if (!m_options.lang.empty()) parse_lang(m_options.lang, m_settings.lang);
    if (!m_options.theme.empty()) m_settings.theme = m_options.theme == "light" ? Theme::Light : Theme::Dark;
    // `convscope` opens on the stepper, the lecture's example; --view picks another.
    const std::string wanted = m_options.view.empty() ? std::string("stepper") : m_options.view;
    for (size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i]->id() == wanted) m_current = i;
    set_language(m_settings.lang);
    set_palette_theme(m_settings.theme);
    m_assets = find_assets_dir();
    for (auto& v : m_views) {
        v->apply_options(m_options);
        v->restore_preferences(m_settings);
    }
    // Which backends run here: probed once, off the UI thread (the first frame does not wait for a GPU).
    recheck_backends();
    if (!m_options.image.empty() && m_status.empty()) m_status = Message(Str::msg_image, m_options.image);
    if (!scripted()) {
        if (auto dir = config_dir()) {
            auto bytes = read_file(*dir + "/recent.json", 1 << 20);
            if (bytes) {
                const std::string text(bytes->begin(), bytes->end());
                for (size_t a = text.find('"'); a != std::string::npos; a = text.find('"', a + 1)) {
                    const size_t b = text.find('"', a + 1);
                    if (b == std::string::npos) break;
                    m_recent.push_back(text.substr(a + 1, b - a - 1));
                    a = b;
                }
            }
        }
    }
    // The last session comes back when nothing else was asked for.
    if (!scripted() && m_options.document.empty() && m_options.preset.empty() && m_options.image.empty() &&
        m_options.view.empty() && m_options.kernel.empty())
        restore_session();
    if (!m_options.document.empty()) open_document(m_options.document);
}

void Shell::apply_style() {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (m_settings.theme == Theme::Dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    const Palette& p = palette();
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(p.background);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    style.Colors[ImGuiCol_MenuBarBg] = ImGui::ColorConvertU32ToFloat4(p.panel);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(p.text);
    if (m_settings.theme == Theme::Light) {
        // ImGui's light frames are white on our off-white background: give them an edge and a tint.
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0.86f, 0.88f, 0.92f, 1.0f);
        style.Colors[ImGuiCol_Border] = ImVec4(0.55f, 0.55f, 0.60f, 0.6f);
        style.FrameBorderSize = 1.0f;
    }
    style.WindowRounding = 0.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(10, 8);
    style.ScaleAllSizes(m_scale);
}

void Shell::before_frame() {
    // The scale drawn: the user's, unless the window is too short for it (3× menus, tabs, toolbar and status
    // line on a 768-pixel screen would leave no canvas): then the largest quarter step that leaves room.
    int win_w = 0, win_h = 0;
    if (m_window) glfwGetWindowSize(m_window, &win_w, &win_h);
    const float fits =
        win_h > 0 ? std::max(kMinScale, std::floor(float(win_h) / 350.0f * 4.0f) / 4.0f) : kMaxScale;
    m_scale = std::min(m_settings.scale, fits);
    if (m_built_scale != m_scale) m_fonts_dirty = true;
    if (!m_fonts_dirty) return;
    std::string message;
    m_fonts = build_fonts(m_assets, m_scale, message);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().FontDefault = m_fonts.ui;
    apply_style();
    m_built_scale = m_scale;
    m_fonts_dirty = false;
    // Without the bundled fonts there are no Hangul glyphs: show English rather than question marks.
    m_hangul = message.empty();
    if (!m_hangul) {
        m_status = message;
        set_language(Lang::En);
    }
}

void Shell::set_scale(float scale) {
    // Quarter steps keep the font sizes whole-ish and the scale predictable from the keyboard.
    m_settings.scale = std::clamp(std::round(scale * 4.0f) / 4.0f, kMinScale, kMaxScale);
}
void Shell::draw_menu() {
    if (!ImGui::BeginMenuBar()) return;
    draw_file_menu();
    draw_lesson_menu();
    if (ImGui::BeginMenu(tr(Str::menu_view))) {
        if (ImGui::BeginMenu(tr(Str::language))) {
            for (Lang l : {Lang::En, Lang::Ko})
                if (ImGui::MenuItem(tr(l == Lang::En ? Str::lang_en : Str::lang_ko), nullptr,
                                    m_settings.lang == l)) {
                    m_settings.lang = l;
                    set_language(l);
                    if (m_status.verbatim()) m_status = {};  // text given as it was: in the other language
                }
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu(tr(Str::theme))) {
            for (Theme t : {Theme::Light, Theme::Dark})
                if (ImGui::MenuItem(tr(t == Theme::Light ? Str::theme_light : Str::theme_dark), nullptr,
                                    m_settings.theme == t)) {
                    m_settings.theme = t;
                    set_palette_theme(t);
                    m_fonts_dirty = true;  // restyles too
                }
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem(tr(Str::present), "F5", m_present)) set_present(!m_present);
        if (ImGui::MenuItem(tr(Str::fullscreen), "F11", m_fullscreen)) set_fullscreen(!m_fullscreen);
        if (ImGui::MenuItem(tr(Str::key_help), "F1", m_help)) m_help = !m_help;
        // The backends are probed once at start-up; a GPU plugged in or a driver fixed later is found here.
        if (ImGui::MenuItem(tr(Str::recheck_gpu), nullptr, false, !m_probe.valid())) recheck_backends();
        if (m_backends.probed) {
            ImGui::TextDisabled("%s", trf(Str::backend_probed, m_backends.fastest.c_str()).c_str());
            if (m_backends.why_not_gpu && ImGui::IsItemHovered())
                ImGui::SetTooltip("gpu: %s", tr_error(*m_backends.why_not_gpu).c_str());
        }
        ImGui::Separator();
        if (ImGui::MenuItem(tr(Str::scale_up), "Ctrl+=")) set_scale(m_settings.scale + 0.25f);
        if (ImGui::MenuItem(tr(Str::scale_down), "Ctrl+-")) set_scale(m_settings.scale - 0.25f);
        float s = m_settings.scale;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        // Applied when the slider is released, so the atlas is not rebuilt on every drag step.
        if (ImGui::SliderFloat(tr(Str::ui_scale), &s, kMinScale, kMaxScale, "%.2f×")) m_pending_scale = s;
        if (ImGui::IsItemDeactivatedAfterEdit()) set_scale(m_pending_scale);
        ImGui::EndMenu();
    }
    // Quick switches on the bar itself: a teacher changes these in front of the class (where they fit; the
    // View menu has them all).
    if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 14.0f) {
        ImGui::EndMenuBar();
        return;
    }
    ImGui::Separator();
    if (m_hangul && ImGui::SmallButton(m_settings.lang == Lang::En ? tr(Str::lang_ko) : tr(Str::lang_en))) {
        m_settings.lang = m_settings.lang == Lang::En ? Lang::Ko : Lang::En;
        set_language(m_settings.lang);
        if (m_status.verbatim()) m_status = {};  // text given as it was: in the other language
    }
    if (ImGui::SmallButton(m_settings.theme == Theme::Dark ? tr(Str::theme_light) : tr(Str::theme_dark))) {
        m_settings.theme = m_settings.theme == Theme::Dark ? Theme::Light : Theme::Dark;
        set_palette_theme(m_settings.theme);
        m_fonts_dirty = true;
    }
    if (ImGui::SmallButton(" − ")) set_scale(m_settings.scale - 0.25f);
    ImGui::Text("%s×", format_number(m_scale).c_str());
    if (m_scale < m_settings.scale && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(Str::scale_limited, format_number(m_settings.scale)).c_str());
    if (ImGui::SmallButton(" + ")) set_scale(m_settings.scale + 0.25f);
    ImGui::EndMenuBar();
}

void Shell::draw_view(View& v, bool presenting, float status_h) {
    // Flattened for keyboard navigation: the arrows go from the tabs straight into the view's controls.
    ImGui::BeginChild("##view", ImVec2(0, -status_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NavFlattened);
    ViewContext ctx{m_scale,    m_fonts,   m_options, m_capture, [this](Message m) { notify(std::move(m)); },
                    m_requests, m_backends};
    // Keys pressed before a blank in the same frame still count; while blank the shell keeps them all.
    ctx.keys = &m_view_keys;
    ctx.presenting = presenting;
    v.draw_content(ctx);
    m_view_min = ImGui::GetWindowPos();
    m_view_max = ImVec2(m_view_min.x + ImGui::GetWindowSize().x, m_view_min.y + ImGui::GetWindowSize().y);
    // An exported frame is the part the view names (the stepper's canvas), else the whole view.
    if (auto r = m_requests.take_frame_region())
        run_pending_export(ImVec2(r->x0, r->y0), ImVec2(r->x1, r->y1));
    else
        run_pending_export(m_view_min, m_view_max);
    ImGui::EndChild();
}

void Shell::draw() {
    ++m_frame;
    take_backend_probe();
    handle_keys();
    take_dropped_files();
    // A view's own export buttons open the save dialog, as the File menu does.
    if (m_requests.take_export_frame_asked()) export_frame();
    if (m_requests.take_export_animation_asked()) export_animation();
    // A view asked for another one (the image lab's "open in stepper", a dropped image).
    if (auto v = m_requests.take_view()) {
        for (size_t i = 0; i < m_views.size(); ++i)
            if (m_views[i]->id() == *v) m_current = i, m_select_current = true, m_select_left = 2;
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    if (m_present) {
        // Presentation: the current view's canvas alone, no menus, tabs or status line.
        ImGui::Begin("##convscope", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
        draw_view(*m_views[m_current], true, lesson_bar_height(true));
        draw_lesson_bar(true);
        ImGui::End();
    } else {
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar |
                                       ImGuiWindowFlags_NoSavedSettings;
        ImGui::Begin("##convscope", nullptr, flags);
        draw_menu();

        const float status_h = ImGui::GetFrameHeightWithSpacing();
        // Tabs that do not fit scroll (arrows at the end) rather than lose their names.
        if (ImGui::BeginTabBar("views", ImGuiTabBarFlags_FittingPolicyScroll)) {
            for (size_t i = 0; i < m_views.size(); ++i) {
                View& v = *m_views[i];
                const ImGuiTabItemFlags tab_flags =
                    (m_select_current && i == m_current) ? ImGuiTabItemFlags_SetSelected : 0;
                // The ### id keeps the tab the same when its label changes language.
                const std::string label = std::string(tr(v.title())) + "###" + std::string(v.id());
                if (ImGui::BeginTabItem(label.c_str(), nullptr, tab_flags)) {
                    if (!m_select_current) m_current = i;
                    draw_view(v, false, status_h + lesson_bar_height(false));
                    draw_lesson_bar(false);
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
        // The tab bar may ignore the request on its very first frame (no tabs known yet): ask twice.
        if (m_select_current && m_frame >= 2 && --m_select_left <= 0) m_select_current = false;
        ImGui::Separator();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().text_muted), "%s",
                           m_status.text().c_str());
        ImGui::End();
    }
    save_if_changed();
    draw_popups();
    handle_save_dialog();
    update_title();
    draw_help();

    // The blank screen covers everything; the step is kept underneath.
    if (m_blank != Blank::None)
        ImGui::GetForegroundDrawList()->AddRectFilled(
            vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y),
            m_blank == Blank::Black ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255));
    // Presenting, the pointer hides after two idle seconds and comes back when it moves.
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MousePos.x != m_last_mouse.x || io.MousePos.y != m_last_mouse.y || ImGui::IsAnyMouseDown()) {
        m_last_mouse = io.MousePos;
        m_mouse_moved_at = glfwGetTime();  // wall time: ImGui's clock stands still while the app sleeps
    }
    if ((m_present || m_blank != Blank::None) && glfwGetTime() - m_mouse_moved_at > 2.0)
        ImGui::SetMouseCursor(ImGuiMouseCursor_None);
}
// Every window drawn this frame whose content runs past what it shows without a scrollbar to reach it: wider
// than the window (no horizontal scrollbar), or taller with scrolling off. A label cut at the pane's edge, a
// button half outside, a photo pushed below the bottom: what a person sees as clipped. Then the guarded items
// that overlap one another (a button over a label). JSON, for the tests.
namespace {
std::string json_text(const char* s) {
    std::string out;
    for (const char* c = s; *c; ++c)
        if (*c != '"' && *c != '\\' && uint8_t(*c) >= 0x20) out += *c;
    return out;
}

std::string clipping_report(const std::vector<std::string>& overlaps) {
    std::string out = "{\"clipped\":[";
    bool first = true;
    for (const ImGuiWindow* w : GImGui->Windows) {
        if (!w->Active || w->Hidden || w->SkipItems) continue;
        const float over_x = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        const float over_y = w->DC.CursorMaxPos.y - w->InnerClipRect.Max.y;
        const bool cut_x = over_x > 1.0f && !(w->Flags & ImGuiWindowFlags_HorizontalScrollbar);
        const bool cut_y = over_y > 1.0f && (w->Flags & ImGuiWindowFlags_NoScrollbar);
        if (!cut_x && !cut_y) continue;
        const std::string name = json_text(w->Name);
        char buf[96];
        std::snprintf(buf, sizeof buf, "\",\"x\":%.1f,\"y\":%.1f}", cut_x ? over_x : 0.0f,
                      cut_y ? over_y : 0.0f);
        out += std::string(first ? "" : ",") + "{\"window\":\"" + name + buf;
        first = false;
    }
    out += "],\"overlaps\":[";
    for (size_t i = 0; i < overlaps.size(); ++i)
        out += std::string(i ? "," : "") + "\"" + json_text(overlaps[i].c_str()) + "\"";
    return out + "]}\n";
}
}  // namespace

void Shell::after_render(int fb_width, int fb_height) {
    const ImGuiIO& io = ImGui::GetIO();
    if (m_options.report_clipping.empty()) {
        forget_guarded_items();  // overlaps are checked only for a report
    } else {
        const std::string report = clipping_report(take_overlaps());
        if (report != m_last_clipping) {
            m_last_clipping = report;
            if (std::FILE* f = std::fopen(m_options.report_clipping.c_str(), "w")) {
                std::fputs(report.c_str(), f);
                std::fclose(f);
            }
        }
    }
    m_capture.after_render(fb_width, fb_height, io.DisplayFramebufferScale,
                           [this](Message m) { notify(std::move(m)); });
    plan_next_frame();
    if (m_quit_requested) {
        m_quit_requested = false;
        if (close_requested()) m_exit = true;
    }
    if (!scripted()) return;
    const int target = m_options.frames > 0 ? m_options.frames : 3;
    bool busy = m_capture.gif_recording();
    // Full screen takes effect when the window system says so: wait for the framebuffer to fill it.
    if (m_fullscreen && (fb_width != m_full_w || fb_height != m_full_h) && m_frame < 600) busy = true;
    if (m_options.exit_after > 0 && ImGui::GetTime() < m_options.exit_after) return;
    for (const auto& v : m_views) busy = busy || v->busy();
    // A scripted run that never settles still ends (a GIF of the largest problem is a few hundred frames).
    if ((m_frame < target || busy) && m_frame < target + 100000) return;
    if (!m_options.save_scene.empty()) save_scene_and_exit();
    if (!m_options.screenshot.empty()) {
        const Status s =
            write_png(m_options.screenshot, read_framebuffer(0, 0, fb_width, fb_height, fb_height));
        if (!s) std::fprintf(stderr, "error: %s\n", s.error().c_str());
        if (!s) m_exit_status = 2;
    }
    if (m_capture.failed()) {
        std::fprintf(stderr, "error: %s\n", m_capture.last_error().c_str());
        m_exit_status = 2;
    }
    m_exit = true;
}

// [SECTION] Typed requests and the backend probe

// Files dropped on the window: a scene or lesson (.json) opens as a document, anything else goes to the
// image lab.
void Shell::take_dropped_files() {
    if (!m_keys || m_keys->dropped.empty()) return;
    std::vector<std::string> images;
    for (std::string& p : std::exchange(m_keys->dropped, {})) {
        const bool json = p.size() >= 5 && p.compare(p.size() - 5, 5, ".json") == 0;
        if (json)
            open_document(p);
        else
            images.push_back(std::move(p));
    }
    if (!images.empty()) m_requests.files_dropped(std::move(images), "image");
}

void Shell::recheck_backends() {
    if (m_probe.valid()) return;  // one probe at a time
    m_probe = std::async(std::launch::async, [] {
        BackendInfo info;
        info.fastest = std::string(fastest_backend(&info.why_not_gpu).name());
        info.probed = true;
        return info;
    });
}

void Shell::take_backend_probe() {
    if (!m_probe.valid() || m_probe.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    m_backends = m_probe.get();
}

// [SECTION] Sleeping when nothing changes

namespace {

// A 64-bit hash of bytes folded into `h`, eight bytes at a time (a frame's draw data is up to a few MB).
uint64_t hash_bytes(uint64_t h, const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    for (; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;  // leftovers
    return h;
}

// What this frame shows: every vertex, index, clip rectangle and texture of the draw data. Two equal hashes
// in a row mean the picture has settled.
uint64_t picture_hash() {
    uint64_t h = 1469598103934665603ull;
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!dd) return h;
    h = hash_bytes(h, &dd->DisplaySize, sizeof dd->DisplaySize);
    for (int l = 0; l < dd->CmdListsCount; ++l) {
        const ImDrawList* list = dd->CmdLists[l];
        h = hash_bytes(h, list->VtxBuffer.Data, size_t(list->VtxBuffer.Size) * sizeof(ImDrawVert));
        h = hash_bytes(h, list->IdxBuffer.Data, size_t(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
        for (const ImDrawCmd& c : list->CmdBuffer) {
            h = hash_bytes(h, &c.ClipRect, sizeof c.ClipRect);
            h = hash_bytes(h, &c.TextureId, sizeof c.TextureId);
            h = hash_bytes(h, &c.ElemCount, sizeof c.ElemCount);
        }
    }
    return h;
}

// The input ImGui saw this frame: pointer, buttons, wheel, keys, typed characters, focus.
uint64_t input_hash() {
    const ImGuiIO& io = ImGui::GetIO();
    uint64_t h = 1469598103934665603ull;
    h = hash_bytes(h, &io.MousePos, sizeof io.MousePos);
    h = hash_bytes(h, io.MouseDown, sizeof io.MouseDown);
    h = hash_bytes(h, &io.MouseWheel, sizeof io.MouseWheel);
    h = hash_bytes(h, &io.MouseWheelH, sizeof io.MouseWheelH);
    h = hash_bytes(h, io.KeysDown, sizeof io.KeysDown);
    h = hash_bytes(h, &io.KeyMods, sizeof io.KeyMods);
    h = hash_bytes(h, &io.DisplaySize, sizeof io.DisplaySize);
    h = hash_bytes(h, io.InputQueueCharacters.Data, size_t(io.InputQueueCharacters.Size) * sizeof(ImWchar));
    return h;
}

}  // namespace

// Decides, after each frame, whether the next one is drawn at once or after a sleep (glfwWaitEventsTimeout
// in main): frames while a view animates or works, while a button is held (a drag), while the picture still
// changes after input (ImGui settles over a couple of frames), and for three frames after any input.
void Shell::plan_next_frame() {
    const bool views_want = m_requests.take_frames_wanted();
    const uint64_t picture = picture_hash(), input = input_hash();
    const bool picture_changed = picture != m_last_picture, input_changed = input != m_last_input;
    m_last_picture = picture;
    m_last_input = input;
    if (input_changed) m_frames_to_draw = std::max(m_frames_to_draw, 3);
    bool busy =
        views_want || picture_changed || ImGui::IsAnyMouseDown() || m_capture.gif_recording() ||
        m_fonts_dirty || m_popup != Popup::None || !m_export_frame_path.empty() ||
        m_requests.animation_export_pending() || m_quit_requested || m_select_current ||
        (m_keys && (!m_keys->presses.empty() || !m_keys->held_releases.empty() || !m_keys->dropped.empty()));
    for (const auto& v : m_views) busy = busy || v->busy();
    if (m_frames_to_draw > 0) {
        --m_frames_to_draw;
        busy = true;
    }
    if (scripted() || busy) {
        m_wait = 0.0;
        return;
    }
    // Asleep: wake for what is due without input.
    double wait = 5.0;                                             // a safety net; nothing needs it
    if (m_probe.valid()) wait = std::min(wait, 0.05);              // the backend probe's answer
    if (ImGui::GetIO().WantTextInput) wait = std::min(wait, 0.3);  // the caret blinks
    const double hide_at = m_mouse_moved_at + 2.05;
    if ((m_present || m_blank != Blank::None) && glfwGetTime() < hide_at)
        wait = std::min(wait, std::max(0.01, hide_at - glfwGetTime()));  // the pointer hides
    m_wait = wait;
}

}  // namespace convscope::ui
