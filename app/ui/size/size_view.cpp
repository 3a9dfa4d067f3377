// The output-size calculator: the lecture's five exercises as practice (type an answer, get it checked, see
// the worked formula), and a free calculator with dilation and ceil_mode. Every number comes from core's
// axis_size/axis_formula and plan_conv2d/plan_pool2d.
#include <algorithm>
#include <cmath>
#include <string>

#include "app/ui/view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/engine/geometry.hpp"
#include "core/engine/trace.hpp"
#include "core/practice/practice.hpp"
#include "core/stepper/stepper.hpp"

namespace convscope::ui {
namespace {

// One of the lecture's exercises: input H×W (square when equal), kernel, stride, padding.
struct Exercise {
    int64_t h, w, k, s, p;
};
constexpr Exercise kExercises[] = {
    {227, 227, 11, 4, 0}, {64, 64, 7, 2, 0}, {32, 32, 5, 1, 2}, {32, 64, 5, 1, 0}, {64, 32, 3, 1, 1}};
constexpr int kExerciseCount = int(sizeof kExercises / sizeof kExercises[0]);

AxisSpec axis(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d = 1, bool ceil = false) {
    return AxisSpec{in, k, s, p, p, d, ceil};
}

std::string hw_text(int64_t h, int64_t w, bool square_as_one) {
    return square_as_one && h == w ? std::to_string(h) : std::to_string(h) + "×" + std::to_string(w);
}

class SizeView final : public View {
public:
    std::string_view id() const override { return "size"; }
    Str title() const override { return Str::view_size; }
    void draw_content(ViewContext& ctx) override {
        // Presented, the text is sized from the screen (a class reads it from the back of the room), not
        // from the UI scale: 1/30 of the height, as large as the panes allow.
        const float avail_h = ImGui::GetContentRegionAvail().y;
        m_px = ctx.presenting ? std::clamp(avail_h / 24.0f, ctx.fonts.ui_size, 56.0f) : ctx.fonts.ui_size;
        m_font = ctx.presenting ? ctx.fonts.for_size(m_px) : ctx.fonts.ui;
        // Presenting a lesson's scene shows only the pane it is about: an exercise without the calculator
        // beside it, the calculator (the floor, a layer's size) without an unrelated exercise.
        const bool scene_practice = ctx.presenting && m_scene && m_scene->size.exercise > 0;
        const bool scene_calculator = ctx.presenting && m_scene && m_scene->size.exercise <= 0;
        const float half = ImGui::GetContentRegionAvail().x * 0.5f;
        if (!scene_calculator) {
            const float w = scene_practice ? 0.0f : half - ImGui::GetStyle().ItemSpacing.x;
            ImGui::BeginChild("##practice", ImVec2(w, 0), true);
            begin_text();
            ImGui::PushTextWrapPos(0.0f);  // plain lines (the exercise number, the exact value) wrap too
            draw_practice(ctx);
            ImGui::PopTextWrapPos();
            end_text();
            ImGui::EndChild();
            if (scene_practice) return;
            ImGui::SameLine();
        }
        m_inline_labels = scene_calculator;
        ImGui::BeginChild("##free", ImVec2(0, 0), true);
        begin_text();
        ImGui::PushTextWrapPos(0.0f);
        draw_calculator(ctx);
        ImGui::PopTextWrapPos();
        end_text();
        ImGui::EndChild();
    }

    // Scenes: an exercise (its answer field cleared) or the calculator's inputs.
    bool load_scene(const Scene& scene) override {
        if (scene.view != SceneView::Size) return false;
        m_scene = scene;
        const SizeScene& z = scene.size;
        if (z.exercise > 0) {
            go(z.exercise - 1);
            return true;
        }
        const auto put = [](int* v, Pair p) { v[0] = int(p.h), v[1] = int(p.w); };
        put(m_in, z.input), put(m_k, z.kernel), put(m_s, z.stride), put(m_p, z.padding), put(m_d, z.dilation);
        m_ceil = z.ceil_mode;
        return true;
    }
    std::optional<Scene> current_scene() const override {
        Scene s = m_scene ? *m_scene : Scene{};
        s.view = SceneView::Size;
        SizeScene& z = s.size;
        if (z.exercise > 0) {
            z.exercise = m_index + 1;
        } else {
            z.input = {m_in[0], m_in[1]}, z.kernel = {m_k[0], m_k[1]}, z.stride = {m_s[0], m_s[1]};
            z.padding = {m_p[0], m_p[1]}, z.dilation = {m_d[0], m_d[1]};
            z.ceil_mode = m_ceil;
        }
        return s;
    }

private:
    // The panes' text: the UI font, or presented the font sized from the screen (PushFont and the window's
    // font scale, so every widget, label and field grows with it).
    void begin_text() {
        ImGui::PushFont(m_font);
        ImGui::SetWindowFontScale(m_px / m_font->FontSize);
    }
    void end_text() {
        ImGui::SetWindowFontScale(1.0f);
        ImGui::PopFont();
    }
    // The font for text of `size` pixels: the big font in the window (as always), the one rasterized for the
    // size when presented.
    ImFont* font_for(ViewContext& ctx, float size) const {
        return ctx.presenting ? ctx.fonts.for_size(size) : ctx.fonts.big;
    }

    // A pane's heading, wrapped to the pane (a narrow pane at a large scale cut it off).
    void heading(ViewContext& ctx, const char* text) {
        const float size = m_px * 1.25f;
        text_wrapped(font_for(ctx, size), size, palette().strong(Role::Output), text,
                     ImGui::GetContentRegionAvail().x);
    }
    // The size of the view's large text (answers, the score): the big font's, in proportion when presented.
    float big_px(ViewContext& ctx) const { return ctx.fonts.big_size * m_px / ctx.fonts.ui_size; }

    void formula_lines(ViewContext& ctx, const AxisSpec& h, const AxisSpec& w, bool same) {
        const Palette& pal = palette();
        const float width = ImGui::GetContentRegionAvail().x;
        const auto line = [&](const std::string& text) {
            ImFont* f = font_for(ctx, big_px(ctx) * 0.8f);
            text_line(f, fit_size(f, big_px(ctx) * 0.8f, width, text), pal.text, text);
        };
        line((same ? "out = " : "H_out = ") + tr_axis_formula(h));
        if (!same) line("W_out = " + tr_axis_formula(w));
    }

    void draw_practice(ViewContext& ctx) {
        const Palette& pal = palette();
        const Exercise& e = kExercises[m_index];
        const bool square = e.h == e.w;
        const AxisSize oh = axis_size(axis(e.h, e.k, e.s, e.p)), ow = axis_size(axis(e.w, e.k, e.s, e.p));
        heading(ctx, tr(Str::size_practice));
        ImGui::TextUnformatted(trf(Str::exercise_n, m_index + 1, kExerciseCount).c_str());
        ImGui::Spacing();
        const std::string prompt =
            trf(Str::exercise_prompt, hw_text(e.h, e.w, false).c_str(), int(e.k), int(e.s), int(e.p));
        text_wrapped(font_for(ctx, big_px(ctx)), big_px(ctx), pal.text, prompt,
                     ImGui::GetContentRegionAvail().x);
        ImGui::Spacing();
        // The answer's label above its field, the field as wide as the pane allows beside the button (the
        // button goes below when the pane is too narrow for both): nothing cut at a large scale.
        ImGui::TextUnformatted(tr(Str::answer));
        const ImGuiStyle& st = ImGui::GetStyle();
        const float button_w = ImGui::CalcTextSize(tr(Str::check)).x + st.FramePadding.x * 2;
        const float avail = ImGui::GetContentRegionAvail().x;
        const float field_w = std::min(ImGui::GetFontSize() * 10, avail - button_w - st.ItemSpacing.x);
        const bool beside = field_w >= ImGui::GetFontSize() * 5;
        ImGui::SetNextItemWidth(beside ? field_w : avail);
        bool submit = ImGui::InputTextWithHint("##answer", tr(Str::answer_hint), m_answer, sizeof m_answer,
                                               ImGuiInputTextFlags_EnterReturnsTrue);
        if (beside) ImGui::SameLine();
        submit = ImGui::Button(tr(Str::check)) || submit;
        // A wrong answer gets a hint that names the slip and may be retried; the answer shows only on
        // request (core/practice/practice.hpp decides; an unreadable answer is not a try).
        if (submit) {
            auto a = parse_size_answer(m_answer);
            m_unreadable = !a;
            if (a) m_practice.answer(*a);
        }
        const std::string expected = hw_text(oh.out, ow.out, square);
        if (m_unreadable) {
            ImGui::TextUnformatted(tr(Str::unreadable));
        } else if (m_practice.solved()) {
            text_wrapped(font_for(ctx, big_px(ctx)), big_px(ctx), pal.strong(Role::Output), tr(Str::correct),
                         ImGui::GetContentRegionAvail().x);
        } else if (m_practice.tries() > 0) {
            const Str hint = hint_text(m_practice.last_hint());
            ImGui::PushStyleColor(ImGuiCol_Text, pal.strong(Role::Window));
            ImGui::TextWrapped("%s", trf(Str::size_not_yet, tr(hint)).c_str());
            ImGui::PopStyleColor();
        }
        if (m_practice.revealed())
            text_wrapped(font_for(ctx, big_px(ctx)), big_px(ctx), pal.text,
                         trf(Str::size_answer_is, expected.c_str()), ImGui::GetContentRegionAvail().x);
        else if (m_practice.tries() > 0 && !m_practice.solved() && ImGui::Button(tr(Str::size_reveal)))
            m_practice.reveal();
        ImGui::Spacing();
        if (m_practice.solved() || m_practice.revealed() ||
            ImGui::CollapsingHeader((std::string(tr(Str::worked)) + "###worked").c_str())) {
            formula_lines(ctx, axis(e.h, e.k, e.s, e.p), axis(e.w, e.k, e.s, e.p), square);
            if (const std::string f = floors(oh, ow, square); !f.empty())
                ImGui::TextUnformatted(trf(Str::exact_value, f.c_str()).c_str());
        }
        ImGui::Spacing();
        ImGui::BeginDisabled(m_index == 0);
        if (ImGui::Button(tr(Str::previous))) go(m_index - 1);
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (m_index + 1 < kExerciseCount) {
            if (ImGui::Button(tr(Str::next))) go(m_index + 1);
        } else if (!m_practice.finished()) {
            if (ImGui::Button(tr(Str::size_finish))) m_practice.next();
        }
        // After the five: the score, and a fresh start.
        if (m_practice.finished()) {
            text_line(font_for(ctx, big_px(ctx)), big_px(ctx), pal.strong(Role::Output),
                      trf(Str::size_score, m_practice.score(), m_practice.count(), m_practice.first_try()));
            if (ImGui::Button(tr(Str::size_again))) {
                m_practice = SizePractice();
                go(0);
            }
        }
    }

    static Str hint_text(SizeHint h) {
        switch (h) {
            case SizeHint::Swapped:
                return Str::hint_swapped;
            case SizeHint::PlusOne:
                return Str::hint_plus_one;
            case SizeHint::Floor:
                return Str::hint_floor;
            case SizeHint::TwoP:
                return Str::hint_two_p;
            case SizeHint::Stride:
                return Str::hint_stride;
            default:
                return Str::hint_none;
        }
    }

    void go(int index) {
        m_index = std::clamp(index, 0, kExerciseCount - 1);
        m_answer[0] = 0;
        m_unreadable = false;
        m_practice.jump(m_index);
    }

    // "28.5 → 28" for each axis whose division is not whole (the floor at work); empty when all are whole.
    static std::string floors(const AxisSize& h, const AxisSize& w, bool same) {
        const auto one = [](const AxisSize& a) {
            const double q = a.exact - 1.0;
            return format_number(q) + " → " + std::to_string(a.out - 1);
        };
        const bool fh = h.exact != std::floor(h.exact), fw = w.exact != std::floor(w.exact);
        if (same || (fh && !fw)) return fh ? one(h) : "";
        if (fw && !fh) return one(w);
        return fh ? one(h) + ",  " + one(w) : "";
    }

    void draw_calculator(ViewContext& ctx) {
        const Palette& pal = palette();
        heading(ctx, tr(Str::size_free));
        // Each label above its two fields (beside them it was cut at a large scale on a narrow pane).
        ImGui::PushItemWidth(std::min(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().x));
        // Presented alone (the pane is the whole width), each label goes beside its fields: the pane then
        // fits the screen's height at the presented text size.
        float label_w = 0.0f;
        if (m_inline_labels)
            for (Str l : {Str::input_hw, Str::kernel_hw, Str::stride, Str::padding, Str::dilation})
                label_w = std::max(label_w, ImGui::CalcTextSize(tr(l)).x);
        const auto pair = [&](Str label, int* v) {
            ImGui::TextUnformatted(tr(label));
            if (m_inline_labels) ImGui::SameLine(label_w + ImGui::GetStyle().ItemSpacing.x * 3.0f);
            ImGui::InputInt2((std::string("##") + tr(label, Lang::En)).c_str(), v);
        };
        pair(Str::input_hw, m_in);
        pair(Str::kernel_hw, m_k);
        pair(Str::stride, m_s);
        pair(Str::padding, m_p);
        pair(Str::dilation, m_d);
        checkbox(tr(Str::ceil_mode), &m_ceil);
        ImGui::PopItemWidth();
        for (int* v : {m_in, m_k, m_s, m_p, m_d})
            for (int i = 0; i < 2; ++i) v[i] = std::clamp(v[i], v == m_p ? 0 : 1, 1 << 20);
        ImGui::Separator();
        // Validation is core's: ceil_mode is a pooling option (plan_pool2d), the rest a convolution
        // (plan_conv2d).
        std::string error;
        if (m_ceil) {
            Pool2dParams p;
            p.kernel = Pair(m_k[0], m_k[1]);
            p.stride = Pair(m_s[0], m_s[1]);
            p.padding = Pair(m_p[0], m_p[1]);
            p.dilation = Pair(m_d[0], m_d[1]);
            p.ceil_mode = true;
            auto plan = plan_pool2d({1, 1, m_in[0], m_in[1]}, p);
            if (!plan) error = tr_error(plan.err());
        } else {
            Conv2dParams p;
            p.stride = Pair(m_s[0], m_s[1]);
            p.padding = Padding(Pair(m_p[0], m_p[1]));
            p.dilation = Pair(m_d[0], m_d[1]);
            auto plan = plan_conv2d({1, 1, m_in[0], m_in[1]}, {1, 1, m_k[0], m_k[1]}, nullptr, p);
            if (!plan) error = tr_error(plan.err());
        }
        if (!error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, pal.strong(Role::Window));
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextWrapped("%s", error.c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
            return;
        }
        const AxisSpec h = axis(m_in[0], m_k[0], m_s[0], m_p[0], m_d[0], m_ceil);
        const AxisSpec w = axis(m_in[1], m_k[1], m_s[1], m_p[1], m_d[1], m_ceil);
        formula_lines(ctx, h, w, false);
        const AxisSize ah = axis_size(h), aw = axis_size(w);
        ImGui::Spacing();
        text_wrapped(font_for(ctx, big_px(ctx)), big_px(ctx), pal.strong(Role::Output),
                     trf(Str::output_shape, hw_text(ah.out, aw.out, false).c_str()),
                     ImGui::GetContentRegionAvail().x);
        if (const std::string f = floors(ah, aw, false); !f.empty() && !m_ceil)
            ImGui::TextUnformatted(trf(Str::exact_value, f.c_str()).c_str());
    }

    std::optional<Scene> m_scene;  // the scene last loaded (caption, unknown fields)
    int m_index = 0;
    char m_answer[64] = "";
    SizePractice m_practice;  // tries, hints, reveal and score (core/practice/practice.hpp)
    bool m_unreadable = false;
    int m_in[2] = {64, 64}, m_k[2] = {7, 7}, m_s[2] = {2, 2}, m_p[2] = {0, 0}, m_d[2] = {1, 1};
    bool m_ceil = false;
    bool m_inline_labels = false;  // the calculator's labels beside their fields (presented alone)
    float m_px = 13.0f;            // the panes' text size this frame
    ImFont* m_font = nullptr;      // and its font
};

}  // namespace

std::unique_ptr<View> make_size_view() {
    return std::make_unique<SizeView>();
}

}  // namespace convscope::ui
