// [SECTION] Palette and theme
// [SECTION] Shell: fonts, style, menu, tabs, status line, scripted runs
#include "app/ui/shell.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/ui/fonts.hpp"
#include "app/ui/handoff.hpp"
#include "core/trace.hpp"

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

Shell::Shell(GuiOptions options, Settings settings, std::string startup_message)
    : m_options(std::move(options)),
      m_settings(std::move(settings)),
      m_views(make_views()),
      m_status(std::move(startup_message)) {
    m_saved_json = settings_to_json(m_settings);
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
    for (auto& v : m_views) v->apply_options(m_options);
    if (!m_options.image.empty() && m_status.empty()) m_status = trf(Str::msg_image, m_options.image.c_str());
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

// The monitor that holds most of the window (full screen goes there), else the primary one.
GLFWmonitor* current_monitor(GLFWwindow* window) {
    int wx = 0, wy = 0, ww = 0, wh = 0;
    glfwGetWindowPos(window, &wx, &wy);
    glfwGetWindowSize(window, &ww, &wh);
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* best = glfwGetPrimaryMonitor();
    long best_area = -1;
    for (int i = 0; i < count; ++i) {
        int mx = 0, my = 0;
        glfwGetMonitorPos(monitors[i], &mx, &my);
        const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]);
        if (!mode) continue;
        const long ox = std::max(0, std::min(wx + ww, mx + mode->width) - std::max(wx, mx));
        const long oy = std::max(0, std::min(wy + wh, my + mode->height) - std::max(wy, my));
        if (ox * oy > best_area) best_area = ox * oy, best = monitors[i];
    }
    return best;
}

// The UI scale for a first start on `monitor`: at least its content scale, and large enough that the UI
// text is at least 1/60 of its height (18 px at 1080, 36 px at 2160), in quarter steps.
float scale_for_monitor(GLFWmonitor* monitor) {
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return 1.0f;
    float cx = 1.0f, cy = 1.0f;
    glfwGetMonitorContentScale(monitor, &cx, &cy);
    const float wanted = std::max(cy, float(mode->height) / 60.0f / kUiFontPx);
    return std::clamp(std::ceil(wanted * 4.0f - 0.01f) / 4.0f, kMinScale, kMaxScale);
}

void Shell::attach(GLFWwindow* window, KeyQueue* keys) {
    m_window = window;
    m_keys = keys;
    if (!scripted() && m_options.scale == 0.0f && !m_settings.scale_chosen) {
        m_settings.scale = scale_for_monitor(current_monitor(window));
        m_settings.scale_chosen = true;
    }
    if (m_options.present)
        set_present(true);
    else if (m_options.fullscreen)
        set_fullscreen(true);
}

bool Shell::windowed_geometry(int& x, int& y, int& w, int& h) const {
    if (!m_fullscreen) return false;
    x = m_windowed[0], y = m_windowed[1], w = m_windowed[2], h = m_windowed[3];
    return true;
}

void Shell::set_fullscreen(bool on) {
    if (!m_window || on == m_fullscreen) return;
    if (on) {
        GLFWmonitor* monitor = current_monitor(m_window);
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;
        glfwGetWindowPos(m_window, &m_windowed[0], &m_windowed[1]);
        glfwGetWindowSize(m_window, &m_windowed[2], &m_windowed[3]);
        m_full_w = mode->width;
        m_full_h = mode->height;
        glfwSetWindowMonitor(m_window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(m_window, nullptr, m_windowed[0], m_windowed[1], m_windowed[2], m_windowed[3],
                             0);
    }
    m_fullscreen = on;
}

void Shell::set_present(bool on) {
    if (on == m_present) return;
    if (on) m_full_before_present = m_fullscreen;
    set_fullscreen(on || m_full_before_present);
    m_present = on;
    m_blank = Blank::None;
    m_select_current = true;  // the tab bar comes back on the view that was presented
}

// Takes this frame's presses from the queue: the shell's own keys here, the rest for the current view.
void Shell::handle_keys() {
    std::vector<KeyPress> presses;
    const ImGuiIO& io = ImGui::GetIO();
    if (m_keys) {
        presses.swap(m_keys->presses);
        m_keys->text_input = io.WantTextInput;
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) || ImGui::IsMouseClicked(ImGuiMouseButton_Right))
            m_keys->navigating = false;
    }
    m_view_keys.clear();
    for (const KeyPress& k : presses) {
        const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
        if (ctrl) {
            if (k.key == GLFW_KEY_EQUAL || k.key == GLFW_KEY_KP_ADD) set_scale(m_settings.scale + 0.25f);
            if (k.key == GLFW_KEY_MINUS || k.key == GLFW_KEY_KP_SUBTRACT) set_scale(m_settings.scale - 0.25f);
            if (k.key == GLFW_KEY_0 || k.key == GLFW_KEY_KP_0) set_scale(1.0f);
            if (k.key == GLFW_KEY_Q) m_quit_requested = true;
            if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && size_t(k.key - GLFW_KEY_1) < m_views.size()) {
                m_current = size_t(k.key - GLFW_KEY_1);
                m_select_current = true;
            }
            continue;
        }
        if (io.WantTextInput) continue;  // a text field has these keys
        // Navigating with the keyboard (after Tab): the arrows, Space and Enter move ImGui's focus, not the
        // stepper.
        if (m_keys && m_keys->navigating && is_stepping_key(k.key)) continue;
        const bool black = k.key == GLFW_KEY_B || k.key == GLFW_KEY_PERIOD;
        const bool white = k.key == GLFW_KEY_W || k.key == GLFW_KEY_COMMA;
        // Blanked: the same key, a step key or Escape brings back the exact step; nothing else happens.
        if (m_blank != Blank::None) {
            if (k.key == m_blank_key || black || white || is_stepping_key(k.key) || k.key == GLFW_KEY_N ||
                k.key == GLFW_KEY_P || k.key == GLFW_KEY_ESCAPE)
                m_blank = Blank::None;
            continue;
        }
        if (black || white) {
            m_blank = black ? Blank::Black : Blank::White;
            m_blank_key = k.key;
        } else if (k.key == GLFW_KEY_F5) {
            set_present(!m_present);
        } else if (k.key == GLFW_KEY_F11) {
            if (m_present)
                set_present(false);
            else
                set_fullscreen(!m_fullscreen);
        } else if (k.key == GLFW_KEY_F1 || (k.key == GLFW_KEY_SLASH && shift)) {
            m_help = !m_help;
        } else if (k.key == GLFW_KEY_ESCAPE && m_capture.gif_recording()) {
            m_view_keys.push_back(k);  // cancels the recording (the view decides)
        } else if (k.key == GLFW_KEY_ESCAPE && m_help) {
            m_help = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_keys && m_keys->navigating) {
            m_keys->navigating = false;
        } else if (k.key == GLFW_KEY_ESCAPE && m_present) {
            set_present(false);
        } else if (k.key == GLFW_KEY_ESCAPE && m_fullscreen) {
            set_fullscreen(false);
        } else {
            m_view_keys.push_back(k);
        }
    }
}

// The key help: every key of the stepper and the shell, in the UI's language, over the view.
void Shell::draw_help() {
    if (!m_help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->Size.x * 0.95f, vp->Size.y * 0.95f));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("##keyhelp", nullptr, flags)) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().strong(Role::Output));
        ImGui::TextUnformatted(tr(Str::help_title));
        ImGui::PopStyleColor();
        ImGui::Separator();
        const std::pair<std::string, Str> rows[] = {
            {"PageDown  →  ↓  N  Enter", Str::help_next},
            {"PageUp  ←  ↑  P  Backspace", Str::help_prev},
            {"Space", Str::help_play},
            {"Home  End", Str::help_ends},
            {tr(Str::key_digits), Str::help_jump},
            {"B  .", Str::help_black},
            {"W  ,", Str::help_white},
            {"F5", Str::help_present},
            {"F11", Str::help_full},
            {"Ctrl+1 … Ctrl+4", Str::help_views},
            {"Ctrl+=  Ctrl+−  Ctrl+0", Str::help_scale},
            {"Tab", Str::help_nav},
            {"F1  ?", Str::help_help},
        };
        if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (const auto& [keys, what] : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(tr(what));
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void Shell::draw_menu() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu(tr(Str::menu_file))) {
        if (ImGui::MenuItem(tr(Str::quit), "Ctrl+Q")) m_quit_requested = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(Str::menu_view))) {
        if (ImGui::BeginMenu(tr(Str::language))) {
            for (Lang l : {Lang::En, Lang::Ko})
                if (ImGui::MenuItem(tr(l == Lang::En ? Str::lang_en : Str::lang_ko), nullptr,
                                    m_settings.lang == l)) {
                    m_settings.lang = l;
                    set_language(l);
                    m_status.clear();  // it was written in the other language
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
        m_status.clear();  // it was written in the other language
    }
    if (ImGui::SmallButton(m_settings.theme == Theme::Dark ? tr(Str::theme_light) : tr(Str::theme_dark))) {
        m_settings.theme = m_settings.theme == Theme::Dark ? Theme::Light : Theme::Dark;
        set_palette_theme(m_settings.theme);
        m_fonts_dirty = true;
    }
    if (ImGui::SmallButton(" − ")) set_scale(m_settings.scale - 0.25f);
    ImGui::Text("%s×", format_number(m_scale).c_str());
    if (m_scale < m_settings.scale && ImGui::IsItemHovered())
        ImGui::SetTooltip(tr(Str::scale_limited), format_number(m_settings.scale).c_str());
    if (ImGui::SmallButton(" + ")) set_scale(m_settings.scale + 0.25f);
    ImGui::EndMenuBar();
}

void Shell::draw_view(View& v, bool presenting, float status_h) {
    // Flattened for keyboard navigation: the arrows go from the tabs straight into the view's controls.
    ImGui::BeginChild("##view", ImVec2(0, -status_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NavFlattened);
    ViewContext ctx{m_scale, m_fonts, m_options, m_capture, [this](std::string m) { notify(std::move(m)); }};
    ctx.speed = &m_settings.speed;
    // Keys pressed before a blank in the same frame still count; while blank the shell keeps them all.
    ctx.keys = &m_view_keys;
    ctx.presenting = presenting;
    v.draw_content(ctx);
    ImGui::EndChild();
}

void Shell::draw() {
    ++m_frame;
    handle_keys();
    // A view asked for another one (the image lab's "open in stepper").
    if (auto& v = requested_view()) {
        for (size_t i = 0; i < m_views.size(); ++i)
            if (m_views[i]->id() == *v) m_current = i, m_select_current = true;
        v.reset();
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    if (m_present) {
        // Presentation: the current view's canvas alone, no menus, tabs or status line.
        ImGui::Begin("##convscope", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
        draw_view(*m_views[m_current], true, 0.0f);
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
                    draw_view(v, false, status_h);
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
        // The tab bar may ignore the request on its very first frame (no tabs known yet): ask twice.
        if (m_frame >= 2) m_select_current = false;
        ImGui::Separator();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().text_muted), "%s", m_status.c_str());
        ImGui::End();
    }
    save_if_changed();
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
        m_mouse_moved_at = ImGui::GetTime();
    }
    if ((m_present || m_blank != Blank::None) && ImGui::GetTime() - m_mouse_moved_at > 2.0)
        ImGui::SetMouseCursor(ImGuiMouseCursor_None);
}

// Saves the settings whenever they change (not only at exit, so a crash or kill loses nothing); a config
// directory that cannot be written shows a message once and the app keeps running.
void Shell::save_if_changed() {
    if (scripted()) return;
    const std::string now = settings_to_json(m_settings);
    if (now == m_saved_json || ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;  // not mid-drag
    m_saved_json = now;
    if (const Status s = save_settings(m_settings); !s)
        m_status = trf(Str::msg_settings_fail, s.error().c_str());
}

// Every window drawn this frame whose content runs past what it shows without a scrollbar to reach it: wider
// than the window (no horizontal scrollbar), or taller with scrolling off. A label cut at the pane's edge, a
// button half outside, a photo pushed below the bottom: what a person sees as clipped. JSON, for the tests.
namespace {
std::string clipping_report() {
    std::string out = "{\"clipped\":[";
    bool first = true;
    for (const ImGuiWindow* w : GImGui->Windows) {
        if (!w->Active || w->Hidden || w->SkipItems) continue;
        const float over_x = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        const float over_y = w->DC.CursorMaxPos.y - w->InnerClipRect.Max.y;
        const bool cut_x = over_x > 1.0f && !(w->Flags & ImGuiWindowFlags_HorizontalScrollbar);
        const bool cut_y = over_y > 1.0f && (w->Flags & ImGuiWindowFlags_NoScrollbar);
        if (!cut_x && !cut_y) continue;
        std::string name;
        for (const char* c = w->Name; *c; ++c)
            if (*c != '"' && *c != '\\' && uint8_t(*c) >= 0x20) name += *c;
        char buf[96];
        std::snprintf(buf, sizeof buf, "\",\"x\":%.1f,\"y\":%.1f}", cut_x ? over_x : 0.0f,
                      cut_y ? over_y : 0.0f);
        out += std::string(first ? "" : ",") + "{\"window\":\"" + name + buf;
        first = false;
    }
    return out + "]}\n";
}
}  // namespace

void Shell::after_render(int fb_width, int fb_height) {
    const ImGuiIO& io = ImGui::GetIO();
    if (!m_options.report_clipping.empty()) {
        const std::string report = clipping_report();
        if (report != m_last_clipping) {
            m_last_clipping = report;
            if (std::FILE* f = std::fopen(m_options.report_clipping.c_str(), "w")) {
                std::fputs(report.c_str(), f);
                std::fclose(f);
            }
        }
    }
    m_capture.after_render(fb_width, fb_height, io.DisplayFramebufferScale,
                           [this](std::string m) { notify(std::move(m)); });
    if (m_quit_requested) m_exit = true;
    if (!scripted()) return;
    const int target = m_options.frames > 0 ? m_options.frames : 3;
    bool busy = m_capture.gif_recording();
    // Full screen takes effect when the window system says so: wait for the framebuffer to fill it.
    if (m_fullscreen && (fb_width != m_full_w || fb_height != m_full_h) && m_frame < 600) busy = true;
    if (m_options.exit_after > 0 && ImGui::GetTime() < m_options.exit_after) return;
    for (const auto& v : m_views) busy = busy || v->busy();
    // A scripted run that never settles still ends (a GIF of the largest problem is a few hundred frames).
    if ((m_frame < target || busy) && m_frame < target + 100000) return;
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

}  // namespace convscope::ui
