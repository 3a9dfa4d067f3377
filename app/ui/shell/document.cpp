// The shell's documents: opening a scene or a lesson, the lesson bar, capturing the current view into
// the lesson, saving it, the window title, and the question at close.
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

#include "app/ui/shell/texts.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/engine/backend.hpp"
#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

namespace {

// Each refusal's text: the field, then (for most) the detail. Listed in SceneErrorCode's order.
constexpr Str kSceneErrorTexts[] = {
    Str::scene_err_read,    Str::scene_err_json,        Str::scene_err_kind,  Str::scene_err_version,
    Str::scene_err_missing, Str::scene_err_type,        Str::scene_err_range, Str::scene_err_choice,
    Str::scene_err_problem, Str::scene_err_unsupported,
};
static_assert(std::size(kSceneErrorTexts) == size_t(SceneErrorCode::Unsupported) + 1);

// Every text takes the field and at most the detail, both as plain `{}` (so one call formats them all).
constexpr bool scene_error_texts_take_field_and_detail() {
    for (Str id : kSceneErrorTexts) {
        const StrTexts& t = kStrTexts[size_t(id)];
        const size_t n = count_placeholders(t.en);
        if (n < 1 || n > 2 || !same_placeholders(t.en, n == 1 ? "{}" : "{} {}")) return false;
    }
    return true;
}
static_assert(scene_error_texts_take_field_and_detail());

}  // namespace

// A refused scene or lesson in the UI's language; the field names are JSON, the same in every language.
std::string scene_error_text(const SceneError& e) {
    const std::string field = e.field.empty() ? std::string(tr(Str::scene_the_file)) : e.field;
    const std::string detail = e.cause ? tr_error(*e.cause) : e.detail;
    // Checked above: the text takes the field and perhaps the detail (fmt leaves an unused argument out).
    const std::string what = fmt::format(fmt::runtime(tr(kSceneErrorTexts[size_t(e.code)])), field, detail);
    return (e.scene > 0 ? trf(Str::scene_number, e.scene) : std::string()) + what;
}

const std::string& caption_text(const Caption& c) {
    const std::string& mine = language() == Lang::Ko ? c.ko : c.en;
    return mine.empty() ? (language() == Lang::Ko ? c.en : c.ko) : mine;
}

// Opens a scene or a lesson; a file that is refused leaves everything as it was and says why.
void Shell::open_document(const std::string& path) {
    auto doc = read_document_file(path);
    if (auto* e = std::get_if<SceneError>(&doc)) {
        m_status =
            Message(Str::scene_refused, Message::rendered_by([e = *e] { return scene_error_text(e); }));
        // A scripted run has no one to read the status line: say it on stderr too (the app goes on).
        if (scripted()) std::fprintf(stderr, "convscope: %s\n", m_status.text().c_str());
        return;
    }
    Document& d = std::get<Document>(doc);
    Lesson lesson;
    if (auto* scene = std::get_if<Scene>(&d))
        lesson.scenes.push_back(std::move(*scene));
    else
        lesson = std::move(std::get<Lesson>(d));
    // The captions' glyphs (Hangul beyond the string table's) go into the font atlas.
    std::string glyphs = lesson.title.en + lesson.title.ko;
    for (const Scene& sc : lesson.scenes) glyphs += sc.caption.en + sc.caption.ko;
    set_extra_glyph_text(glyphs);
    m_fonts_dirty = true;
    m_document_is_scene = std::holds_alternative<Scene>(d);
    m_scene_loaded = false;  // the views still show what was there before
    m_lesson = std::move(lesson);
    m_document = path;
    m_recent.erase(std::remove(m_recent.begin(), m_recent.end(), path), m_recent.end());
    m_recent.insert(m_recent.begin(), path);
    if (m_recent.size() > 8) m_recent.resize(8);
    const size_t first = m_options.scene > 0 ? size_t(m_options.scene - 1) : 0;
    show_scene(std::min(first, m_lesson->scenes.size() - 1));
    m_status = Message(Str::scene_opened, path);
    mark_saved();
}

void Shell::show_scene(size_t index) {
    if (!m_lesson || index >= m_lesson->scenes.size()) return;
    capture_scene();  // edits made in the scene shown stay in the lesson
    m_scene = index;
    const Scene& sc = m_lesson->scenes[index];
    for (size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i]->id() == to_string(sc.view)) {
            if (m_views[i]->load_scene(sc)) {
                m_scene_loaded = true;
                m_current = i;
                m_select_current = true;
                m_select_left = 2;  // the tab bar is told twice
            } else {
                m_status = Message(Str::scene_no_view);
            }
        }
}

// In the window the caption sits beside "◀ Scene k of n ▶", wrapped at the window's edge: this many lines
// (a caption longer than kCaptionLines scrolls in its box). Measured from the cursor's line, where the bar
// goes.
namespace {
constexpr float kCaptionLines = 3.0f;
}

float Shell::window_caption_width() const {
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::string counter = trf(Str::lesson_scene_of, int(m_scene + 1), int(m_lesson->scenes.size()));
    const float prefix = button_width(tr(Str::lesson_prev)) + button_width(tr(Str::lesson_next)) +
                         ImGui::CalcTextSize(counter.c_str()).x + 3.0f * st.ItemSpacing.x;
    return std::max(ImGui::GetFontSize() * 4.0f, ImGui::GetContentRegionAvail().x - prefix);
}

// The lines the current caption takes wrapped at `wrap` (at least 1).
float Shell::window_caption_lines(float wrap) const {
    const std::string& caption = caption_text(m_lesson->scenes[m_scene].caption);
    const float text = ImGui::CalcTextSize(caption.c_str(), nullptr, false, wrap).y;
    return std::max(1.0f, std::round(text / ImGui::GetTextLineHeight()));
}

float Shell::lesson_bar_height(bool presenting) const {
    if (!m_lesson) return 0.0f;
    if (!presenting) {
        const float lines = std::min(window_caption_lines(window_caption_width()), kCaptionLines);
        return std::max(ImGui::GetFrameHeight(), lines * ImGui::GetTextLineHeight()) +
               ImGui::GetStyle().ItemSpacing.y;
    }
    const float px = std::clamp(ImGui::GetMainViewport()->Size.y / 24.0f, 16.0f, 64.0f);
    return px * 2.6f;
}

// "Scene k of n" and the caption: one line under the view, or large under the canvas when presenting.
void Shell::draw_lesson_bar(bool presenting) {
    if (!m_lesson) return;
    const Scene& sc = m_lesson->scenes[m_scene];
    const std::string counter = trf(Str::lesson_scene_of, int(m_scene + 1), int(m_lesson->scenes.size()));
    const std::string& caption = caption_text(sc.caption);
    const Palette& pal = palette();
    if (presenting) {
        const float h = lesson_bar_height(true);
        const float px = h / 2.6f;
        // Anchored to the bottom of the window, whatever spacing the view left above it.
        const ImVec2 wmin = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
        const ImVec2 a(wmin.x + ImGui::GetStyle().WindowPadding.x, wmin.y + wsize.y - h);
        const float w = wsize.x - 2.0f * ImGui::GetStyle().WindowPadding.x;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImFont* font = m_fonts.for_size(px);
        const float cpx = px * 0.55f;
        const ImVec2 cs = text_size(font, cpx, counter);
        dl->AddText(font, cpx, ImVec2(a.x + w - cs.x - px * 0.3f, a.y + h - cs.y - px * 0.2f), pal.text_muted,
                    counter.c_str());
        // Two lines at most: shrink the caption until it wraps into them.
        float size = px;
        const float wrap = w - cs.x - px;
        for (int i = 0; i < 12 && font->CalcTextSizeA(size, FLT_MAX, wrap, caption.c_str()).y > h * 0.95f;
             ++i)
            size *= 0.9f;
        dl->AddText(font, size, ImVec2(a.x + px * 0.3f, a.y + px * 0.2f), pal.text, caption.c_str(), nullptr,
                    wrap);
        return;
    }
    const float wrap = window_caption_width();  // before the buttons move the cursor
    if (ImGui::SmallButton(tr(Str::lesson_prev)) && m_scene > 0) show_scene(m_scene - 1);
    ImGui::SameLine();
    ImGui::TextUnformatted(counter.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(Str::lesson_next)) && m_scene + 1 < m_lesson->scenes.size())
        show_scene(m_scene + 1);
    ImGui::SameLine();
    // Wrapped at the window's edge; past kCaptionLines lines in a box that scrolls.
    if (window_caption_lines(wrap) <= kCaptionLines) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(caption.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("##caption", ImVec2(0, ImGui::GetTextLineHeight() * kCaptionLines), false);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(caption.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::PopStyleVar();
}

// The current view's state into the lesson's current scene (when the view shows that kind of scene).
void Shell::capture_scene() {
    if (!m_lesson || !m_scene_loaded || m_scene >= m_lesson->scenes.size()) return;
    Scene& stored = m_lesson->scenes[m_scene];
    View& v = *m_views[m_current];
    if (v.id() != to_string(stored.view)) return;
    std::optional<Scene> now = v.current_scene();
    if (!now) return;
    now->caption = stored.caption;
    now->file = stored.file;
    if (scene_to_json(*now) == scene_to_json(stored)) return;
    now->file.clear();  // changed: saved inline from now on
    stored = std::move(*now);
}

std::string Shell::document_json() {
    capture_scene();
    if (m_document_is_scene && m_lesson->scenes.size() == 1) return scene_to_json(m_lesson->scenes[0]);
    return lesson_to_json(*m_lesson);
}

void Shell::mark_saved() {
    m_saved_edits.clear();
    for (const auto& v : m_views) m_saved_edits.push_back(v->edit_count());
    m_lesson_edited = false;
}

bool Shell::unsaved() {
    if (!m_lesson) return false;
    if (m_lesson_edited) return true;
    for (size_t i = 0; i < m_views.size() && i < m_saved_edits.size(); ++i)
        if (m_views[i]->edit_count() != m_saved_edits[i]) return true;
    return false;
}

bool Shell::start_lesson_from_view() {
    m_lesson = Lesson{};
    m_lesson->title = {"Lesson", "수업"};
    if (auto sc = m_views[m_current]->current_scene()) m_lesson->scenes.push_back(std::move(*sc));
    if (!m_lesson->scenes.empty()) return true;
    m_lesson.reset();
    m_status = Message(Str::scene_no_view);
    return false;
}

// Ctrl+S: the open document, or Save as when there is none.
void Shell::save_document() {
    if (!m_lesson) {
        if (!start_lesson_from_view()) return;
        m_scene = 0;
        m_scene_loaded = true;
        m_document_is_scene = false;
    }
    if (m_document.empty()) {
        m_popup = Popup::SaveAs;
        return;
    }
    save_to(m_document);
}

bool Shell::save_to(const std::string& path) {
    const std::string text = document_json();
    if (const Status st = write_text_file(path, text); !st) {
        m_status = st.err();
        return false;
    }
    m_document = path;
    m_status = Message(Str::file_saved, path);
    m_recent.erase(std::remove(m_recent.begin(), m_recent.end(), path), m_recent.end());
    m_recent.insert(m_recent.begin(), path);
    mark_saved();
    return true;
}

void Shell::update_title() {
    if (!m_window) return;
    std::string t = "ConvScope";
    if (m_lesson) {
        std::string name = m_document.empty() ? caption_text(m_lesson->title) : m_document;
        if (const size_t slash = name.find_last_of('/'); slash != std::string::npos)
            name = name.substr(slash + 1);
        t = name + (unsaved() ? " •" : "") + " — ConvScope";
    }
    if (t != m_title) {
        m_title = t;
        glfwSetWindowTitle(m_window, t.c_str());
    }
}

bool Shell::close_requested() {
    if (unsaved() && !scripted()) {
        m_popup = Popup::Quit;
        return false;
    }
    save_session();
    return true;
}

}  // namespace convscope::ui
