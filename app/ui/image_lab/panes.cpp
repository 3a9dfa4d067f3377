// The input and output panes: linked zoom and pan, true pixel size, the explained pixel and its window, and
// the messages over the output (no image, a preview, work under way, an invalid geometry).
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/image_lab/image_view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "app/ui/widgets/overlap.hpp"

namespace convscope::ui::image_lab {

// A toolbar: true pixel size, fit, zoom, the input value under the mouse, then the output size formulas.
void ImageView::draw_pane_toolbar(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    // A toolbar: true pixel size, fit, zoom, the input value under the mouse.
    ImGui::Checkbox(tr(Str::img_true_size), &m_true_size);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::img_true_size_tip));
    // Each item beside the one before when it fits, else on the next row (a large scale on a narrow pane).
    const auto beside = [](const std::string& text) {
        same_line_if_fits(ImGui::CalcTextSize(text.c_str()).x);
    };
    guard_item("true size");
    same_line_if_fits(button_width(tr(Str::img_fit)));
    if (ImGui::Button(tr(Str::img_fit))) m_need_fit = true;
    guard_item("fit");
    const std::string zoom = trf(Str::img_zoom, m_zoom * 100.0);
    beside(zoom);
    ImGui::TextColored(to_vec4(pal.text_muted), "%s", zoom.c_str());
    guard_item("zoom");
    if (m_hover_input && m_lab.full() && m_lab.full()->input) {
        const auto [iy, ix] = *m_hover_input;
        const Tensor& in = *m_lab.full()->input;
        std::string v;
        for (int64_t c = 0; c < in.dim(0); ++c)
            v += (c ? ", " : "") + format_number(in.data[size_t((c * in.dim(1) + iy) * in.dim(2) + ix)]);
        const std::string at = trf(Str::img_input_at, int(iy), int(ix), v.c_str());
        beside(at);
        ImGui::TextColored(to_vec4(pal.text_muted), "%s", at.c_str());
        guard_item("input value");
    }
    m_hover_input.reset();
    // The output size, worked out for each side, right above the panes where the output grows and shrinks.
    if (const auto& geometry = m_lab.geometry()) {
        // Sized from the work area, not the UI scale, so a large scale leaves the photos their room.
        const float px = std::clamp(size.y / 22.0f, std::min(18.0f, ctx.fonts.ui_size), ctx.fonts.ui_size);
        ImFont* f = ctx.fonts.for_size(px);
        const std::string h_line = "H_out = " + tr_axis_formula(geometry->h);
        const float room = ImGui::GetContentRegionAvail().x;
        text_line(f, fit_size(f, px, room, h_line), pal.strong(Role::Output), h_line);
        guard_item("H_out");
        // Beside H_out where it fits, else below it (never cut at the pane's edge: shrunk to the pane).
        const std::string w_line = "W_out = " + tr_axis_formula(geometry->w);
        same_line_if_fits(text_size(f, px, w_line).x, px * 1.5f);
        text_line(f, fit_size(f, px, room, w_line), pal.strong(Role::Output), w_line);
        guard_item("W_out");
    }
}

void ImageView::draw_panes(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    const ImGuiIO& io = ImGui::GetIO();

    const ImVec2 top = ImGui::GetCursorScreenPos();
    draw_pane_toolbar(ctx, size);
    const float bar_h = ImGui::GetCursorScreenPos().y - top.y;

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = 8.0f * s;
    const float label_h = m_compact ? 0.0f : ImGui::GetTextLineHeightWithSpacing();
    const ImVec2 pane(std::max(10.0f, (size.x - gap) / 2.0f), std::max(10.0f, size.y - bar_h - label_h));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 in_min(origin.x, origin.y + label_h), out_min(origin.x + pane.x + gap, origin.y + label_h);
    const ImVec2 in_max(in_min.x + pane.x, in_min.y + pane.y),
        out_max(out_min.x + pane.x, out_min.y + pane.y);
    const ImVec2 in_c((in_min.x + in_max.x) / 2, (in_min.y + in_max.y) / 2);
    const ImVec2 out_c((out_min.x + out_max.x) / 2, (out_min.y + out_max.y) / 2);
    // A fitted view stays fitted while the panes change size (the window, the explain panel growing), until
    // the user zooms or pans.
    if (m_fitted && (pane.x != m_fit_pane.x || pane.y != m_fit_pane.y)) m_need_fit = true;
    if (m_need_fit && m_lab.photo()) {
        const double w = double(m_lab.photo()->image.width), h = double(m_lab.photo()->image.height);
        m_zoom = std::min(double(pane.x) / w, double(pane.y) / h) * 0.98;
        m_cx = w / 2;
        m_cy = h / 2;
        m_need_fit = false;
        m_fitted = true;
        m_fit_pane = pane;
    }

    // Labels above the panes: the output's shape beside its name (drawn after the photos, inside the panes
    // on a backing, when the work area is short).
    std::string out_label = tr(Str::label_output);
    const LabFrame* shown = m_lab.shown();
    if (shown) out_label += "  " + shape_to_string(shown->full_output);
    const auto draw_labels = [&] {
        const ImVec2 at_in(in_min.x, origin.y), at_out(out_min.x, origin.y);
        if (m_compact) {
            const float pad = 4.0f * s;
            for (auto [at, text] :
                 {std::pair{at_in, tr(Str::label_input)}, std::pair{at_out, out_label.c_str()}}) {
                const ImVec2 ts = ImGui::CalcTextSize(text);
                dl->AddRectFilled(at, ImVec2(at.x + std::min(ts.x + 2 * pad, pane.x), at.y + ts.y + pad),
                                  with_alpha(pal.panel, 0.85f));
            }
            // Shrunk to the pane where the output's shape would run past it.
            ImFont* f = ImGui::GetFont();
            const float fs = ImGui::GetFontSize();
            dl->AddText(f, fit_size(f, fs, pane.x - 2 * pad, tr(Str::label_input)),
                        ImVec2(at_in.x + pad, at_in.y + pad / 2), pal.strong(Role::Input),
                        tr(Str::label_input));
            dl->AddText(f, fit_size(f, fs, pane.x - 2 * pad, out_label),
                        ImVec2(at_out.x + pad, at_out.y + pad / 2), pal.strong(Role::Output),
                        out_label.c_str());
            return;
        }
        // Shrunk to the pane's width where a large scale would run them past it.
        ImFont* f = ImGui::GetFont();
        const float fs = ImGui::GetFontSize();
        dl->AddText(f, fit_size(f, fs, pane.x, tr(Str::label_input)), at_in, pal.strong(Role::Input),
                    tr(Str::label_input));
        dl->AddText(f, fit_size(f, fs, pane.x, out_label), at_out, pal.strong(Role::Output),
                    out_label.c_str());
    };
    if (!m_compact) draw_labels();

    // The output's placement comes from the result shown (its own geometry), not the one being computed.
    Axis ax, ay;
    if (shown)
        if (auto g = filter_geometry(shown->full_input, shown->spec)) {
            ax = axis_of(g->w);
            ay = axis_of(g->h);
        }
    auto in_to_screen = [&](double x, double y) {
        return ImVec2(in_c.x + float((x - m_cx) * m_zoom), in_c.y + float((y - m_cy) * m_zoom));
    };
    // Output (u, v) → screen: over the input it came from, or at true pixel size (one output pixel per zoom
    // step).
    auto out_to_screen = [&](double u, double v) {
        if (!m_true_size)
            return ImVec2(out_c.x + float((ax.x_of(u) - m_cx) * m_zoom),
                          out_c.y + float((ay.x_of(v) - m_cy) * m_zoom));
        return ImVec2(out_c.x + float((u - ax.u_of(m_cx)) * m_zoom),
                      out_c.y + float((v - ay.u_of(m_cy)) * m_zoom));
    };
    auto screen_to_out = [&](ImVec2 p) {
        if (!m_true_size)
            return std::pair{ax.u_of(m_cx + (p.x - out_c.x) / m_zoom),
                             ay.u_of(m_cy + (p.y - out_c.y) / m_zoom)};
        return std::pair{ax.u_of(m_cx) + (p.x - out_c.x) / m_zoom, ay.u_of(m_cy) + (p.y - out_c.y) / m_zoom};
    };

    dl->AddRectFilled(in_min, in_max, pal.panel);
    dl->AddRectFilled(out_min, out_max, pal.panel);

    // Interaction: the wheel zooms about the mouse, dragging pans; both panes share one view.
    ImGui::SetCursorScreenPos(in_min);
    ImGui::InvisibleButton("##in_pane", pane);
    const bool in_hovered = ImGui::IsItemHovered(), in_active = ImGui::IsItemActive();
    ImGui::SetCursorScreenPos(out_min);
    ImGui::InvisibleButton("##out_pane", pane,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool out_hovered = ImGui::IsItemHovered(), out_active = ImGui::IsItemActive();
    const bool out_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    const bool out_right_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Right);
    const bool true_out = m_true_size && out_hovered;
    if ((in_hovered || out_hovered) && io.MouseWheel != 0.0f && m_lab.photo()) {
        const ImVec2 c = in_hovered ? in_c : out_c;
        const double dx = io.MousePos.x - c.x, dy = io.MousePos.y - c.y;
        const double new_zoom = std::clamp(m_zoom * std::pow(1.2, double(io.MouseWheel)), 0.02, 64.0);
        if (true_out) {
            const double ux = ax.u_of(m_cx) + dx / m_zoom, uy = ay.u_of(m_cy) + dy / m_zoom;
            m_cx = ax.x_of(ux - dx / new_zoom);
            m_cy = ay.x_of(uy - dy / new_zoom);
        } else {
            m_cx += dx / m_zoom - dx / new_zoom;
            m_cy += dy / m_zoom - dy / new_zoom;
        }
        m_zoom = new_zoom;
        m_fitted = false;
    }
    if ((in_active || out_active) && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        const bool in_u = out_active && m_true_size;  // the output pane at true size pans in output pixels
        m_cx -= io.MouseDelta.x / m_zoom * (in_u ? ax.s : 1.0);
        m_cy -= io.MouseDelta.y / m_zoom * (in_u ? ay.s : 1.0);
        m_fitted = false;
    }

    // The images; a result older than the settings is dimmed until the new one arrives.
    if (shown && m_input_tex.valid()) {
        dl->PushClipRect(in_min, in_max, true);
        dl->AddImage(m_input_tex.id(), in_to_screen(0, 0),
                     in_to_screen(double(shown->full_input[2]), double(shown->full_input[1])));
        dl->PopClipRect();
    }
    // A preview is drawn over the full output's place: the same picture at screen resolution.
    if (shown && m_output_tex.valid()) {
        const bool stale = m_lab.stale();
        dl->PushClipRect(out_min, out_max, true);
        dl->AddImage(m_output_tex.id(), out_to_screen(0, 0),
                     out_to_screen(double(shown->full_output[2]), double(shown->full_output[1])),
                     ImVec2(0, 0), ImVec2(1, 1), stale ? IM_COL32(255, 255, 255, 110) : IM_COL32_WHITE);
        dl->PopClipRect();
    }

    // Hover or click on the output picks the pixel to explain; a click keeps it, a right click lets go. Only
    // over a full result (a preview is not what explain traces).
    const LabFrame* full = m_lab.full();
    if (full && shown == full && out_hovered) {
        const auto [u, v] = screen_to_out(io.MousePos);
        const int64_t ox = int64_t(std::floor(u)), oy = int64_t(std::floor(v));
        const bool inside = ox >= 0 && oy >= 0 && ox < full->output->dim(2) && oy < full->output->dim(1);
        if (inside && (!m_pinned || out_clicked)) m_explain_at = {oy, ox};
        if (inside && out_clicked) m_pinned = true;
        if (out_right_clicked) m_pinned = false;
    }
    if (full && full->input && in_hovered) {
        const int64_t ix = int64_t(std::floor(m_cx + (io.MousePos.x - in_c.x) / m_zoom));
        const int64_t iy = int64_t(std::floor(m_cy + (io.MousePos.y - in_c.y) / m_zoom));
        if (ix >= 0 && iy >= 0 && ix < full->input->dim(2) && iy < full->input->dim(1))
            m_hover_input = std::pair{iy, ix};
    }

    // The explained pixel on the output, its window on the input (a tiny pixel still gets a visible mark).
    if (const auto& trace = m_lab.trace()) {
        const float t = std::max(2.0f, 2.0f * s);
        auto outline = [&](ImVec2 a, ImVec2 b) {
            const float grow = std::max(0.0f, 10.0f * s - (b.x - a.x)) / 2;
            dl->AddRect(ImVec2(a.x - grow - t, a.y - grow - t), ImVec2(b.x + grow + t, b.y + grow + t),
                        IM_COL32_BLACK, 0, 0, t);
            dl->AddRect(ImVec2(a.x - grow, a.y - grow), ImVec2(b.x + grow, b.y + grow),
                        pal.strong(Role::Window), 0, 0, t);
        };
        dl->PushClipRect(out_min, out_max, true);
        outline(out_to_screen(double(trace->ox), double(trace->oy)),
                out_to_screen(double(trace->ox + 1), double(trace->oy + 1)));
        dl->PopClipRect();
        if (!trace->terms.empty()) {
            int64_t y0 = INT64_MAX, y1 = INT64_MIN, x0 = INT64_MAX, x1 = INT64_MIN;
            for (const TraceTerm& term : trace->terms) {
                y0 = std::min(y0, term.iy), y1 = std::max(y1, term.iy);
                x0 = std::min(x0, term.ix), x1 = std::max(x1, term.ix);
            }
            dl->PushClipRect(in_min, in_max, true);
            outline(in_to_screen(double(x0), double(y0)), in_to_screen(double(x1 + 1), double(y1 + 1)));
            // With dilation the window has gaps: mark each tap once the pixels are big enough to see.
            if (m_zoom >= 6.0)
                for (const TraceTerm& term : trace->terms)
                    dl->AddCircleFilled(in_to_screen(double(term.ix) + 0.5, double(term.iy) + 0.5),
                                        std::max(2.0f, float(m_zoom) * 0.12f), pal.strong(Role::Window));
            dl->PopClipRect();
        }
    }

    if (m_compact) draw_labels();

    // Messages over the output pane: no image yet, work under way (with a sweeping bar), or why nothing runs.
    auto centred_text = [&](const std::string& text, ImU32 col) {
        const float wrap = pane.x - 24 * s;
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
        const ImVec2 p(out_c.x - ts.x / 2, out_c.y - ts.y / 2);
        dl->AddRectFilled(ImVec2(p.x - 6 * s, p.y - 4 * s), ImVec2(p.x + ts.x + 6 * s, p.y + ts.y + 4 * s),
                          pal.panel, 4 * s);
        dl->AddText(nullptr, 0.0f, p, col, text.c_str(), nullptr, wrap);
    };
    if (!m_lab.photo() && !m_lab.loading()) centred_text(tr(Str::img_no_image), pal.text_muted);
    const double running = m_lab.running_seconds();
    // A preview says so in the pane's corner (the picture stays visible) while the full result runs.
    if (m_lab.showing_preview()) {
        const std::string text = tr(Str::img_preview);
        const float pad = 4.0f * s;
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        const ImVec2 at(out_min.x + pad, out_max.y - ts.y - 3 * pad - 5 * s);
        dl->AddRectFilled(at, ImVec2(at.x + ts.x + 2 * pad, at.y + ts.y + pad), with_alpha(pal.panel, 0.9f),
                          3 * s);
        dl->AddText(ImVec2(at.x + pad, at.y + pad / 2), pal.text, text.c_str());
    }
    if (running > 0.15 || m_lab.showing_preview()) {
        if (!m_lab.showing_preview()) centred_text(trf(Str::img_computing, running), pal.text);
        const float bw = pane.x * 0.3f, phase = float(std::fmod(ImGui::GetTime() * 0.8, 1.0));
        const float x = out_min.x + (pane.x + bw) * phase - bw, y = out_max.y - 5 * s;
        dl->PushClipRect(out_min, out_max, true);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + bw, y + 4 * s), pal.strong(Role::Output));
        dl->PopClipRect();
    }
    if (m_lab.geometry_error().has_value())
        centred_text(std::string(tr(Str::error_title)) + "\n" + tr_error(*m_lab.geometry_error()),
                     pal.strong(Role::Window));

    ImGui::SetCursorScreenPos(ImVec2(origin.x, out_max.y + ImGui::GetStyle().ItemSpacing.y));
}

}  // namespace convscope::ui::image_lab
