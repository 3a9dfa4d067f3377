// The stepper: the lecture's convolution, one window (or one term) at a time. The model
// (core/stepper/stepper_model.hpp) holds the problem, its solution and the playhead; this view draws them —
// the input with its padding ring, the kernel, the output filling in, the multiply-accumulate line and the
// output-size formula — and sends the edits its controls make. The panels live beside this file
// (stepper_view.hpp lists them).
//
// [SECTION] Options, scenes and undo
// [SECTION] The frame
#include "app/ui/stepper/stepper_view.hpp"

#include <algorithm>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/stepper/stepper_draw.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui {
namespace {

// The canvas text unit (the formula size; grid labels, gaps and the colour key follow it) for a canvas whose
// content is `size`, before its limits: from the canvas, so a projector's screen gets large text and the UI
// scale (which sizes the chrome) never shrinks the grids.
float canvas_text_unit(ImVec2 size) {
    return std::min(size.y / 24.0f, size.x / 38.0f);
}
constexpr float kMinTextUnit = 16.0f, kMaxTextUnit = 96.0f;

}  // namespace

// [SECTION] Options, scenes and undo

void StepperView::apply_options(const GuiOptions& o) {
    if (!o.preset.empty()) (void)m_model.load_preset(o.preset);
    m_pending_steps = o.step;
    m_pending_terms = o.step_terms;
    m_pending_gif = o.export_gif;
    // Slides want big grids: an exported animation records the canvas with the panel closed.
    if (o.hide_controls || !o.export_gif.empty()) m_settings = SettingsPanel::Hidden;
}

bool StepperView::load_scene(const Scene& scene) {
    if (scene.view != SceneView::Stepper) return false;
    load(scene.stepper.problem);
    m_undo.reset(m_model.snapshot());  // showing a scene is not an edit
    m_scene = scene;
    m_model.set_gather_view(scene.stepper.transpose_view == "gather");
    m_model.set_im2col_open(scene.stepper.im2col);
    if (m_model.solution() && scene.stepper.window) {
        const int64_t w = std::clamp<int64_t>(*scene.stepper.window, 0, m_model.sequence().windows() - 1);
        m_model.set_playhead(Playhead{w, scene.stepper.term.value_or(INT64_MAX)});  // none: complete
    }
    m_model.set_predict(scene.stepper.predict, false);  // the value at the scene's playhead starts hidden
    return true;
}

std::optional<Scene> StepperView::current_scene() const {
    Scene s = m_scene ? *m_scene : stepper_scene({});
    s.view = SceneView::Stepper;
    s.stepper.problem = problem();
    s.stepper.predict = m_model.predict();
    s.stepper.transpose_view = m_model.gather_view() ? "gather" : "scatter";
    s.stepper.im2col = m_model.im2col_open();
    s.stepper.window.reset();
    s.stepper.term.reset();
    if (const Playhead ph = m_model.playhead(); ph.window >= 0) {
        s.stepper.window = ph.window;
        if (!m_model.complete()) s.stepper.term = ph.term;
    }
    return s;
}

bool StepperView::restore(std::optional<StepperModel::Snapshot> s) {
    if (!s) return false;
    (void)m_model.restore(std::move(*s));  // a refusal is drawn on the canvas
    ++m_edits;
    return true;
}

// Called once a frame: an edit that has settled (no drag, no field being typed in) becomes an undo step.
void StepperView::commit_settled_edit() {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsAnyItemActive()) return;
    const bool first = !m_undo.current();
    if (!first && !m_model.changed_since(*m_undo.current())) return;
    m_undo.commit(m_model.snapshot());
    if (!first) ++m_edits;
}

void StepperView::send(ViewContext& ctx, const StepperEdit& e) {
    const Status s = m_model.apply(e);
    // A problem core cannot solve is kept and explained on the canvas; an edit that could not apply is said
    // here.
    if (!s && !(m_model.error() && m_model.error()->message == s.error())) ctx.notify(s.err());
}

void StepperView::load(StepperProblem p, std::string preset) {
    (void)m_model.apply(stepper_edit::Load{std::move(p), std::move(preset)});  // a refusal is drawn
}

std::string StepperView::input_label(int64_t c) const {
    return channels() > 1 ? trf(Str::label_input_c, int(c)) : std::string(tr(Str::label_input));
}
std::string StepperView::kernel_label(int64_t o, int64_t c) const {
    return (channels() > 1 || weighted().weight.dim(0) > 1) ? trf(Str::label_kernel_oc, int(o), int(c))
                                                            : std::string(tr(Str::label_kernel));
}
std::string StepperView::output_label(int64_t o) const {
    const StepperSolution* s = m_model.solution();
    return s && s->out_channels > 1 ? trf(Str::label_output_c, int(o)) : std::string(tr(Str::label_output));
}

// [SECTION] The frame

void StepperView::draw_content(ViewContext& ctx) {
    ++m_frames_drawn;
    if (m_frames_to_settle > 0) --m_frames_to_settle;
    // "Open in stepper" from the image lab: a photo's neighbourhood, shown at the explained window.
    if (auto r = ctx.requests.take_stepper()) {
        load(std::move(r->problem));
        m_pending_steps = int(r->window + 1);
    }
    // File ▸ Export animation…: recorded like --export-gif, to the path chosen in the shell's save dialog.
    if (auto path = ctx.requests.take_animation_export()) m_pending_gif = std::move(*path);
    commit_settled_edit();
    // Scripted key presses (--step, --step-terms).
    for (; m_pending_steps > 0; --m_pending_steps) m_model.step(true, false);
    for (; m_pending_terms > 0; --m_pending_terms) m_model.step(true, true);

    // The settings panel: narrow enough to leave the grids most of the width at any scale, and folded where
    // even so the canvas beside it would be cramped. Presenting, only the canvas is drawn.
    m_settings_drawn = !ctx.presenting && settings_shown(ctx);
    if (m_settings_drawn) {
        draw_settings(ctx);
        ImGui::SameLine();
    }

    ImGui::BeginGroup();
    if (!ctx.presenting) draw_toolbar();
    if (!m_recording) {
        handle_keys(ctx);
        advance_playback(ctx);
    }

    // The canvas: what the PNG and GIF exports capture.
    // Padded, so exported frames have a margin and outlines at the edge are not cut.
    ImGui::BeginChild("##canvas", ImVec2(0, 0), false,
                      ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
    const ImVec2 canvas_min = ImGui::GetWindowPos();
    const ImVec2 canvas_max(canvas_min.x + ImGui::GetWindowSize().x, canvas_min.y + ImGui::GetWindowSize().y);
    const Palette& pal = palette();
    m_t = std::clamp(canvas_text_unit(ImGui::GetContentRegionAvail()), kMinTextUnit, kMaxTextUnit);
    // Spacing on the canvas follows the canvas too (the UI scale's spacing is for the chrome).
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(m_t * 0.3f, m_t * 0.3f));
    m_grid_rects.clear();
    // An invalid problem: the reason first, in words, then the grids as they are (never an empty view).
    if (const auto& error = m_model.error()) {
        const float w = ImGui::GetContentRegionAvail().x;
        text_line(ctx.fonts.for_size(m_t), m_t, pal.strong(Role::Window), tr(Str::error_title));
        text_wrapped(ctx.fonts.for_size(legend_size()), legend_size(), pal.strong(Role::Window),
                     tr_error(*error), w);
        ImGui::Spacing();
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    if (m_model.solution() && (transposed() || (is_conv() && m_model.im2col_open())))
        draw_panel_canvas(ctx, avail);
    else
        draw_stepper_canvas(ctx, avail, top);
    draw_jump(ctx, canvas_min, canvas_max);
    ImGui::PopStyleVar();
    draw_edit_popup(ctx);
    ImGui::EndChild();
    ImGui::EndGroup();
    if (!ctx.options.report_layout.empty()) write_layout_report(ctx, canvas_min, canvas_max, m_report_cell);

    // Exports act on the canvas just drawn: an exported frame (File ▸ Export frame…) is the canvas alone.
    ctx.requests.set_frame_region({canvas_min.x, canvas_min.y, canvas_max.x, canvas_max.y});
    run_recording(ctx, canvas_min, canvas_max);
}

bool StepperView::settings_shown(const ViewContext& ctx) const {
    switch (m_settings) {
        case SettingsPanel::Shown:
            return true;
        case SettingsPanel::Hidden:
            return false;
        case SettingsPanel::Auto:
            break;
    }
    return settings_fit(ctx);
}

// Auto's rule, decided before anything is drawn, from the view's size alone (never from last frame's canvas,
// so a window of one size always gets the same answer, with no flicker). It takes the canvas text unit
// (before its 16 px floor) that the canvas would get with the panel beside it and with the panel folded: the
// canvas is what the view leaves beside the panel, below the toolbar (whose buttons wrap into more rows when
// it is narrower) and inside the canvas's window padding. The panel is shown when the canvas beside it still
// reads at least as large as the chrome (the UI font), or when folding would not enlarge the canvas text (the
// height limits it, not the width). Else it folds: a small window at a large UI scale drew the grids' text at
// the 16 px floor, smaller than the buttons around it (1024×768 at scale 2: 36 px chrome, a canvas 556 px
// wide), and the toggle button brings the panel back.
bool StepperView::settings_fit(const ViewContext& ctx) const {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 view = ImGui::GetContentRegionAvail();
    const auto canvas_text = [&](float width, bool settings) {
        return canvas_text_unit(
            ImVec2(width - 2.0f * style.WindowPadding.x,
                   view.y - toolbar_height(width, settings) - 2.0f * style.WindowPadding.y));
    };
    const float beside = canvas_text(view.x - settings_width(ctx, view.x) - style.ItemSpacing.x, true);
    return beside >= ctx.fonts.ui_size || canvas_text(view.x, false) <= beside;
}

// The window number being typed, top right, until Enter.
void StepperView::draw_jump(ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max) {
    if (m_jump.empty()) return;
    const Palette& pal = palette();
    const std::string j = trf(Str::jump_to, m_jump.c_str());
    ImFont* f = ctx.fonts.for_size(m_t);
    const ImVec2 ts = text_size(f, m_t, j);
    const ImVec2 p(canvas_max.x - ts.x - m_t, canvas_min.y + m_t * 0.5f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(p.x - m_t * 0.3f, p.y - m_t * 0.2f),
                      ImVec2(p.x + ts.x + m_t * 0.3f, p.y + ts.y + m_t * 0.2f), pal.fill(Role::Term),
                      m_t * 0.2f);
    dl->AddText(f, m_t, p, text_on(pal.fill(Role::Term)), j.c_str());
}

// The transposed convolution's canvas, or for conv the im2col matrix above the multiply-accumulate line.
void StepperView::draw_panel_canvas(ViewContext& ctx, ImVec2 avail) {
    m_report_cell = m_t;
    if (transposed()) {
        m_transpose.show(m_model);
        m_transpose.draw_canvas(ctx, m_model.playhead(), m_model.sequence(), m_t, avail, m_grid_rects);
        return;
    }
    const std::vector<Token> tokens = mac_tokens();
    const float msize = mac_size(ctx, tokens, avail.x);
    const float mac_h = std::max(m_t * 1.5f, flow_tokens(ctx, tokens, avail.x, msize, false));
    m_im2col.draw(ctx, *m_model.solution(), m_model.playhead(), m_model.sequence(), m_t,
                  ImVec2(avail.x, avail.y - mac_h - m_t), m_grid_rects);
    if (m_model.playhead().window >= 0)
        ImGui::Dummy(ImVec2(avail.x - 1.0f, flow_tokens(ctx, tokens, avail.x, msize, true)));
}

std::unique_ptr<View> make_stepper_view() {
    return std::make_unique<StepperView>();
}

}  // namespace convscope::ui
