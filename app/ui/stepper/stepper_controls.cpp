// The stepper's settings panel (examples, operation, sizes, parameters: each change is an edit sent to the
// model), the toolbar above the canvas (playback and the scrubber), and the keys (the clicker).
//
// [SECTION] The settings panel
// [SECTION] Conv and pool parameters
// [SECTION] Toolbar, keys and playback
#include <GLFW/glfw3.h>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/stepper/stepper_view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui {
namespace {

using L = StepperLimits;

// The toolbar's scrubber goes on the buttons' row when it can be at least this many ems wide.
constexpr float kScrubberEms = 9.0f;

// A control's label on its own line above it (the settings panel is narrow); returns the hidden ImGui label.
const char* above(Str label) {
    static std::string id;
    ImGui::TextUnformatted(tr(label));
    id = std::string("##") + tr(label, Lang::En);
    return id.c_str();
}

// Two integer sliders on one row ("H, W"); true when either changed. Dragging stays within lo–hi; a value
// typed (Ctrl+click) may go down to typed_lo, so a stride of 0 or a negative padding reaches core, whose
// refusal the canvas then explains, instead of being clamped without a word. Above hi is clamped (the grids'
// size limit, not a rule of convolution).
bool pair_slider(const char* label, int64_t& h, int64_t& w, int lo, int hi, int typed_lo) {
    int v[2] = {int(h), int(w)};
    const bool changed = ImGui::SliderInt2(
        label, v, lo, hi, "%d", typed_lo < lo ? ImGuiSliderFlags_None : ImGuiSliderFlags_AlwaysClamp);
    if (changed) {
        h = std::clamp(v[0], std::min(typed_lo, lo), hi);
        w = std::clamp(v[1], std::min(typed_lo, lo), hi);
    }
    return changed;
}
bool pair_slider(const char* label, int64_t& h, int64_t& w, int lo, int hi) {
    return pair_slider(label, h, w, lo, hi, lo);
}

const char* preset_name(std::string_view key) {
    static const std::pair<std::string_view, Str> names[] = {
        {"lecture", Str::preset_lecture},
        {"lecture_padding", Str::preset_lecture_padding},
        {"stride2", Str::preset_stride2},
        {"floor", Str::preset_floor},
        {"edge", Str::preset_edge},
        {"blur", Str::preset_blur},
        {"sharpen", Str::preset_sharpen},
        {"rgb_bias", Str::preset_rgb_bias},
        {"max_pool", Str::preset_max_pool},
        {"avg_pool", Str::preset_avg_pool},
        {"rgb_7x5", Str::preset_rgb_7x5},
        {"max_pool_ceil", Str::preset_max_pool_ceil},
        {"diagonal16", Str::preset_diagonal16},
        {"transpose_checkerboard", Str::preset_transpose_checkerboard},
        {"transpose_dcgan", Str::preset_transpose_dcgan},
        {"im2col_lecture", Str::preset_im2col_lecture}};
    for (const auto& [k, s] : names)
        if (k == key) return tr(s);
    return "?";
}

}  // namespace

// [SECTION] The settings panel

float StepperView::settings_width(const ViewContext& ctx, float full_w) {
    return std::min(ctx.fonts.ui_size * 16.0f, full_w * 0.42f);
}

void StepperView::draw_settings(ViewContext& ctx) {
    const float panel_w = settings_width(ctx, ImGui::GetContentRegionAvail().x);
    ImGui::BeginChild("##controls", ImVec2(panel_w, 0), true);
    draw_playback_settings();
    ImGui::Separator();
    draw_controls(ctx);
    ImGui::Separator();
    ImGui::BeginDisabled(m_recording || !m_model.solution());
    // Both through the shell's save dialog (File ▸ Export frame… / Export animation…): the file is chosen
    // and replacing one is asked.
    if (button(tr(Str::export_png))) ctx.requests.ask_export_frame();
    if (button(tr(Str::export_gif))) {
        if (m_model.sequence().windows() > kLongGifFrames)
            m_ask_long_gif = true;
        else
            ctx.requests.ask_export_animation();
    }
    ImGui::EndDisabled();
    draw_long_gif_question(ctx);
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    ImGui::TextWrapped("%s", tr(Str::hint_keys));
    ImGui::PopStyleColor();
    ImGui::EndChild();
}

void StepperView::draw_examples(ViewContext& ctx) {
    const std::string& preset = m_model.preset();
    if (ImGui::BeginCombo(above(Str::preset),
                          preset.empty() ? tr(Str::preset_custom) : preset_name(preset))) {
        for (const StepperPreset& p : stepper_presets())
            if (ImGui::Selectable(preset_name(p.key), p.key == preset)) {
                (void)m_model.load_preset(p.key);
            }
        ImGui::EndCombo();
    }
    if (button(tr(Str::randomize))) {
        send(ctx, stepper_edit::Randomize{m_seed});
        m_seed += is_conv() || transposed() ? 2 : 1;  // the input's seed, then the kernel's
    }
}

void StepperView::draw_controls(ViewContext& ctx) {
    ImGui::PushItemWidth(-FLT_MIN);
    draw_examples(ctx);
    ImGui::Separator();

    // Operation
    int op = int(problem().op());
    const char* ops[] = {tr(Str::op_conv), tr(Str::op_max), tr(Str::op_avg), tr(Str::op_conv_transpose)};
    if (ImGui::Combo(above(Str::op), &op, ops, 4)) send(ctx, stepper_edit::SetOp{Op(op)});

    // Input
    int64_t h = in_h(), w = in_w(), c = channels();
    pair_slider(above(Str::input_hw), h, w, 1, L::kSide);
    int ci = int(c);
    if (ImGui::SliderInt(above(Str::in_channels), &ci, 1, L::kInChannels, "%d", ImGuiSliderFlags_AlwaysClamp))
        c = ci;
    if (h != in_h() || w != in_w() || c != channels()) send(ctx, stepper_edit::ResizeInput{c, h, w});

    if (is_conv()) {
        draw_conv_controls(ctx);
    } else if (transposed()) {
        StepperProblem p = problem();
        bool view_changed = false;
        m_transpose.show(m_model);
        if (m_transpose.draw_controls(p, view_changed)) send(ctx, stepper_edit::Replace{std::move(p)});
        if (view_changed) m_model.set_gather_view(m_transpose.gather);
    } else {
        draw_pool_controls(ctx);
    }
    ImGui::PopItemWidth();
}

// [SECTION] Conv and pool parameters

void StepperView::draw_conv_controls(ViewContext& ctx) {
    const ConvProblem& pr = weighted();
    int64_t o = pr.weight.dim(0), kh = pr.weight.dim(2), kw = pr.weight.dim(3);
    int oi = int(o);
    if (ImGui::SliderInt(above(Str::out_channels), &oi, 1, L::kOutChannels, "%d",
                         ImGuiSliderFlags_AlwaysClamp))
        o = oi;
    pair_slider(above(Str::kernel_hw), kh, kw, 1, L::kKernel);
    if (o != pr.weight.dim(0) || kh != pr.weight.dim(2) || kw != pr.weight.dim(3))
        send(ctx, stepper_edit::ResizeKernel{o, kh, kw});

    Conv2dParams p = pr.conv;
    bool changed = pair_slider(above(Str::stride), p.stride.h, p.stride.w, 1, L::kStride, -L::kStride);
    int kind = int(p.padding.kind);
    const char* kinds[] = {tr(Str::padding_numbers), "same", "valid"};
    if (ImGui::Combo(above(Str::padding_kind), &kind, kinds, 3)) {
        p.padding.kind = PaddingKind(kind);
        changed = true;
    }
    if (p.padding.kind == PaddingKind::Explicit &&
        pair_slider(above(Str::padding), p.padding.amount.h, p.padding.amount.w, 0, L::kPad, -L::kPad))
        changed = true;
    if (pair_slider(above(Str::dilation), p.dilation.h, p.dilation.w, 1, L::kDilation)) changed = true;
    int mode = int(p.padding_mode);
    const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
    if (ImGui::Combo(above(Str::padding_mode), &mode, modes, 4)) {
        p.padding_mode = PaddingMode(mode);
        changed = true;
    }
    bool has_bias = pr.has_bias;
    std::vector<float> bias = pr.bias.data;
    bool bias_changed = checkbox(tr(Str::bias), &has_bias);
    if (has_bias)
        for (size_t i = 0; i < bias.size(); ++i) {
            ImGui::PushID(int(i));
            const std::string label = std::string(tr(Str::bias)) + " " + std::to_string(i);
            if (ImGui::InputFloat(label.c_str(), &bias[i], 1.0f, 0.0f, "%g")) bias_changed = true;
            ImGui::PopID();
        }
    if (checkbox(tr(Str::flip_toggle), &p.flip)) changed = true;
    if (changed) send(ctx, stepper_edit::SetConv{p});
    if (bias_changed) send(ctx, stepper_edit::SetBias{has_bias, std::move(bias)});
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    ImGui::TextWrapped("%s", tr(p.flip ? Str::flip_on_caption : Str::flip_off_caption));
    ImGui::PopStyleColor();
    bool im2col = m_model.im2col_open();
    if (checkbox(tr(Str::im2col_toggle), &im2col)) m_model.set_im2col_open(im2col);
}

void StepperView::draw_pool_controls(ViewContext& ctx) {
    Pool2dParams p = *problem().pool();
    bool changed = pair_slider(above(Str::kernel_hw), p.kernel.h, p.kernel.w, 1, L::kKernel);
    Pair s = p.effective_stride();
    if (pair_slider(above(Str::stride), s.h, s.w, 1, L::kStride, -L::kStride)) {
        p.stride = s;
        changed = true;
    }
    if (pair_slider(above(Str::padding), p.padding.h, p.padding.w, 0, L::kPad, -L::kPad)) changed = true;
    if (problem().op() == Op::MaxPool &&
        pair_slider(above(Str::dilation), p.dilation.h, p.dilation.w, 1, L::kDilation))
        changed = true;
    if (checkbox(tr(Str::ceil_mode), &p.ceil_mode)) changed = true;
    if (problem().op() == Op::AvgPool && checkbox(tr(Str::count_include_pad), &p.count_include_pad))
        changed = true;
    if (changed) send(ctx, stepper_edit::SetPool{p});
}

// [SECTION] Toolbar, keys and playback

std::array<std::string, 6> StepperView::toolbar_labels(bool settings_drawn, bool playing) {
    return {std::string(settings_drawn ? "« " : "» ") + tr(Str::controls) + "###controls",
            "|◀",
            " ◀ ",
            (playing ? std::string("❚❚ ") + tr(Str::pause) : std::string("▶ ") + tr(Str::play)) + "###play",
            " ▶ ",
            "▶|"};
}

float StepperView::toolbar_height(float width, bool settings_drawn) {
    // The buttons, then the scrubber at its narrowest, in rows as draw_toolbar's same_line_if_fits places
    // them. Measured with Play (not Pause), so that starting playback never changes what is measured.
    RowFlow flow{width};
    for (const std::string& label : toolbar_labels(settings_drawn, false))
        flow.place(button_width(label.c_str()));
    flow.place(ImGui::GetFontSize() * kScrubberEms);
    return float(flow.rows) * ImGui::GetFrameHeightWithSpacing();
}

void StepperView::draw_toolbar() {
    const std::array<std::string, 6> labels = toolbar_labels(m_settings_drawn, m_model.playing());
    // The settings toggle flips what is on screen and keeps that as the user's choice, which then wins over
    // Auto: opened in a cramped window the panel stays open, closed in a roomy one it stays closed.
    if (ImGui::Button(labels[0].c_str()))
        m_settings = m_settings_drawn ? SettingsPanel::Hidden : SettingsPanel::Shown;
    const bool disabled = !m_model.solution() || m_recording;
    // Each button on the same row while it fits, else on the next (a large UI scale on a small screen).
    const auto button_next_to = [&](int i) {
        same_line_if_fits(button_width(labels[size_t(i)].c_str()));
        return ImGui::Button(labels[size_t(i)].c_str());
    };
    ImGui::BeginDisabled(disabled);
    if (button_next_to(1)) m_model.to_start();
    if (button_next_to(2)) m_model.step(false, m_model.by_term);
    if (button_next_to(3)) m_model.toggle_play();
    if (button_next_to(4)) m_model.step(true, m_model.by_term);
    if (button_next_to(5)) m_model.to_end();
    // The scrubber: every window, with "Start" before the first; on the same row when there is room.
    same_line_if_fits(ImGui::GetFontSize() * kScrubberEms);
    int w = int(m_model.playhead().window);
    const int n = int(m_model.sequence().windows());
    const bool stamps = transposed() && !m_model.gather_view();
    const std::string label = w < 0    ? std::string(tr(Str::before_start))
                              : stamps ? trf(Str::tr_stamp_n, w + 1, n)
                                       : trf(Str::window_n, w + 1, n);
    if (m_recording) {
        // Recording: the scrubber's place shows the progress (outside the canvas, so not in the GIF).
        ImGui::EndDisabled();
        ImGui::ProgressBar(n ? float(w + 1) / float(n) : 0.0f, ImVec2(-1, 0), label.c_str());
        return;
    }
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##scrub", &w, -1, std::max(0, n - 1), label.c_str(), ImGuiSliderFlags_AlwaysClamp))
        m_model.set_playhead(m_model.sequence().at_window(w));
    ImGui::EndDisabled();
}

// Term-by-term playback and the speed, at the top of the settings panel.
void StepperView::draw_playback_settings() {
    checkbox(tr(Str::by_term), &m_model.by_term);
    bool predict = m_model.predict();
    if (checkbox(tr(Str::predict_toggle), &predict)) m_model.set_predict(predict);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::predict_tip));
    ImGui::TextUnformatted(tr(Str::speed));
    ImGui::SetNextItemWidth(-FLT_MIN);
    const std::string fmt = trf(Str::steps_per_s, double(m_model.speed));
    ImGui::SliderFloat("##speed", &m_model.speed, 0.25f, 10.0f, fmt.c_str(), ImGuiSliderFlags_Logarithmic);
}

// The clicker and the keyboard: next (PageDown → ↓ N Enter), previous (PageUp ← ↑ P Backspace), by term
// when "term by term" is on (Shift swaps), Space play/pause, Home/End, digits then Enter jump to a window.
void StepperView::handle_keys(ViewContext& ctx) {
    if (!ctx.keys) return;
    if (ImGui::GetIO().WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    for (const KeyPress& k : *ctx.keys) {
        if (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) continue;
        const bool shift = (k.mods & GLFW_MOD_SHIFT) != 0;
        const bool by_term = m_model.by_term != shift;
        int digit = -1;
        if (k.key >= GLFW_KEY_0 && k.key <= GLFW_KEY_9 && !shift) digit = k.key - GLFW_KEY_0;
        if (k.key >= GLFW_KEY_KP_0 && k.key <= GLFW_KEY_KP_9) digit = k.key - GLFW_KEY_KP_0;
        if (digit >= 0) {
            if (m_jump.size() < 6) m_jump += char('0' + digit);
            continue;
        }
        switch (k.key) {
            case GLFW_KEY_RIGHT:
            case GLFW_KEY_DOWN:
            case GLFW_KEY_PAGE_DOWN:
            case GLFW_KEY_N:
                m_model.step(true, by_term);
                break;
            case GLFW_KEY_LEFT:
            case GLFW_KEY_UP:
            case GLFW_KEY_PAGE_UP:
            case GLFW_KEY_P:
                m_model.step(false, by_term);
                break;
            case GLFW_KEY_ENTER:
            case GLFW_KEY_KP_ENTER:
                if (m_jump.empty()) {
                    m_model.step(true, by_term);
                } else {
                    m_model.jump_to_window(std::stoll(m_jump) - 1);
                    m_jump.clear();
                }
                break;
            case GLFW_KEY_BACKSPACE:
                if (m_jump.empty())
                    m_model.step(false, by_term);
                else
                    m_jump.pop_back();
                break;
            case GLFW_KEY_ESCAPE:
                m_jump.clear();
                break;
            case GLFW_KEY_R:
                m_model.reveal();  // predict, then reveal
                break;
            case GLFW_KEY_HOME:
                m_model.to_start();
                break;
            case GLFW_KEY_END:
                m_model.to_end();
                break;
            case GLFW_KEY_SPACE:
                m_model.toggle_play();
                break;
            default:
                break;
        }
    }
}

void StepperView::advance_playback(ViewContext& ctx) {
    if (!m_model.playing()) return;
    ctx.requests.need_frames();  // playing: the app must not sleep
    m_model.advance(ImGui::GetIO().DeltaTime);
}

}  // namespace convscope::ui
