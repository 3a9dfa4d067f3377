// im2col in the stepper: the convolution as one matrix product. Falk's scheme: X_cols (one row per kernel
// cell, one column per window) top right, the kernel as a row (W_row) bottom left, and below each column
// its product W_row · column (+ bias) = that window's output. The current window's column is outlined and
// its current term's row lit, so the stepper's multiply-accumulate line below reads off the same numbers.
// Core builds the matrix from the traces (im2col_matrix in core/stepper/stepper_transpose.hpp).
#include <algorithm>

#include "app/ui/stepper/stepper_draw.hpp"
#include "app/ui/stepper/stepper_panels.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui {
namespace {

// At most this many columns are drawn, around the current window's (a 24×24 input has 484 windows).
constexpr int64_t kMaxColumns = 16;

void centred(ImDrawList* dl, ViewContext& ctx, ImVec2 a, float cell, float frac, ImU32 col,
             const std::string& s) {
    const float size = cell * frac;
    text_centred(dl, ctx.fonts.for_size(size), size, ImVec2(a.x + cell * 0.5f, a.y + cell * 0.5f), col, s,
                 cell * 0.9f);
}

}  // namespace

void Im2colPanel::draw(ViewContext& ctx, const StepperSolution& s, Playhead ph, const StepSequence& seq,
                       float t, ImVec2 avail, GridRects& grids) {
    const Palette& pal = palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ph = seq.clamp(ph);
    const Trace* tr_now = ph.window >= 0 ? &s.traces[size_t(ph.window)] : nullptr;
    const int64_t o = tr_now ? tr_now->o : 0;
    auto mat = im2col_matrix(s, o);
    if (!mat) {
        text_wrapped(ctx.fonts.for_size(t * 0.7f), t * 0.7f, pal.text_muted, tr_error(mat.err()), avail.x);
        return;
    }
    const Im2colMatrix& m = *mat;
    const int64_t plane = s.oh * s.ow;
    const int64_t col_now = tr_now ? ph.window - o * plane : -1;
    const int64_t term_now = tr_now && !seq.complete(ph) ? ph.term : -1;
    // The columns drawn: all, or a band of kMaxColumns around the current one.
    int64_t first = 0, last = m.cols;
    if (m.cols > kMaxColumns) {
        first = std::clamp<int64_t>(col_now - kMaxColumns / 2, 0, m.cols - kMaxColumns);
        last = first + kMaxColumns;
    }
    const int64_t shown = last - first;

    // Sizes: two caption lines, X_cols (rows) over Y, W_row beside Y; the row labels left of X_cols.
    const float label_px = std::max(13.0f, t * 0.62f);
    const float text_h = label_px * 1.5f * 3.0f;
    const float cols_units = float(m.rows) + 0.6f + float(shown);
    const float rows_units = float(m.rows) + 1.6f;
    const float cell =
        std::clamp(std::min(avail.x / cols_units, (avail.y - text_h) / rows_units), 10.0f, t * 3.0f);
    const ImVec2 o0 = ImGui::GetCursorScreenPos();
    ImFont* lf = ctx.fonts.for_size(label_px);

    // Captions.
    const std::string cap1 = trf(Str::im2col_cols, int(m.rows), int(m.cols));
    dl->AddText(lf, fit_size(lf, label_px, avail.x, cap1), o0, pal.strong(Role::Input), cap1.c_str());
    std::string cap2 = trf(Str::im2col_y, int(o), int(s.oh), int(s.ow));
    if (shown < m.cols) cap2 += "  ·  " + trf(Str::im2col_more, int(first + 1), int(last), int(m.cols));
    dl->AddText(lf, fit_size(lf, label_px, avail.x, cap2), ImVec2(o0.x, o0.y + label_px * 1.4f),
                pal.strong(Role::Output), cap2.c_str());

    const float top = o0.y + label_px * 3.2f;
    const float left_w = float(m.rows) * cell;  // W_row's width; the row labels share it above
    const ImVec2 xorg(o0.x + left_w + cell * 0.6f, top);
    const ImVec2 yorg(xorg.x, top + float(m.rows) * cell + cell * 0.6f);
    const ImVec2 worg(o0.x, yorg.y);

    // Row labels, right-aligned left of X_cols: (channel, ky, kx).
    const float rl = std::min(cell * 0.42f, label_px);
    for (int64_t r = 0; r < m.rows; ++r) {
        const std::string l = "c" + std::to_string(m.row_c[size_t(r)]) + " (" +
                              std::to_string(m.row_ky[size_t(r)]) + "," +
                              std::to_string(m.row_kx[size_t(r)]) + ")";
        ImFont* f = ctx.fonts.for_size(rl);
        const float sz = fit_size(f, rl, left_w, l);
        const ImVec2 ts = text_size(f, sz, l);
        dl->AddText(f, sz,
                    ImVec2(xorg.x - cell * 0.2f - ts.x, xorg.y + float(r) * cell + (cell - ts.y) * 0.5f),
                    r == term_now ? pal.text : pal.text_muted, l.c_str());
    }
    // X_cols.
    for (int64_t r = 0; r < m.rows; ++r)
        for (int64_t l = first; l < last; ++l) {
            const ImVec2 a(xorg.x + float(l - first) * cell, xorg.y + float(r) * cell),
                b(a.x + cell, a.y + cell);
            const bool pad = m.padding[size_t(r * m.cols + l)];
            const bool now = l == col_now && r == term_now;
            const ImU32 fill = now   ? pal.fill(Role::Term)
                               : pad ? pal.fill(Role::Padding)
                                     : pal.fill(Role::Input);
            dl->AddRectFilled(a, b, fill);
            if (pad && !now) hatch(dl, a, b, with_alpha(pal.strong(Role::Padding), 0.35f), cell / 5, 1.0f);
            dl->AddRect(a, b, pal.grid_line, 0, 0, 1.0f);
            centred(dl, ctx, a, cell, 0.46f,
                    now   ? text_on(fill)
                    : pad ? pal.strong(Role::Padding)
                          : pal.text,
                    format_number_typeset(m.at(r, l)));
        }
    const ImVec2 xend(xorg.x + float(shown) * cell, xorg.y + float(m.rows) * cell);
    dl->AddRect(xorg, xend, pal.strong(Role::Input), 0, 0, std::max(1.5f, cell * 0.04f));
    grids.push_back({xorg.x, xorg.y, xend.x, xend.y});

    // W_row: the kernel as a row, its current term lit.
    for (int64_t r = 0; r < m.rows; ++r) {
        const ImVec2 a(worg.x + float(r) * cell, worg.y), b(a.x + cell, a.y + cell);
        const ImU32 fill = r == term_now ? pal.fill(Role::Term) : pal.fill(Role::Kernel);
        dl->AddRectFilled(a, b, fill);
        dl->AddRect(a, b, pal.grid_line, 0, 0, 1.0f);
        centred(dl, ctx, a, cell, 0.46f, text_on(fill), format_number_typeset(m.kernel_row[size_t(r)]));
    }
    const ImVec2 wend(worg.x + float(m.rows) * cell, worg.y + cell);
    dl->AddRect(worg, wend, pal.strong(Role::Kernel), 0, 0, std::max(1.5f, cell * 0.04f));
    grids.push_back({worg.x, worg.y, wend.x, wend.y});
    {
        const std::string l = tr(Str::im2col_wrow);
        ImFont* f = ctx.fonts.for_size(label_px);
        dl->AddText(f, fit_size(f, label_px, left_w + cell * 0.5f, l), ImVec2(worg.x, wend.y + cell * 0.1f),
                    pal.strong(Role::Kernel), l.c_str());
    }

    // Y = W_row × X_cols (+ bias): filled as the windows complete.
    for (int64_t l = first; l < last; ++l) {
        const ImVec2 a(yorg.x + float(l - first) * cell, yorg.y), b(a.x + cell, a.y + cell);
        const int64_t w = o * plane + l;
        const bool filled = seq.filled(ph, w);
        dl->AddRectFilled(a, b, filled || w == ph.window ? pal.fill(Role::Output) : pal.panel);
        dl->AddRect(a, b, pal.grid_line, 0, 0, 1.0f);
        if (filled)
            centred(dl, ctx, a, cell, 0.46f, pal.text, format_number_typeset(m.product[size_t(l)] + m.bias));
    }
    const ImVec2 yend(yorg.x + float(shown) * cell, yorg.y + cell);
    dl->AddRect(yorg, yend, pal.strong(Role::Output), 0, 0, std::max(1.5f, cell * 0.04f));
    grids.push_back({yorg.x, yorg.y, yend.x, yend.y});
    {
        ImFont* f = ctx.fonts.for_size(label_px);
        dl->AddText(f, fit_size(f, label_px, float(shown) * cell, "Y"), ImVec2(yorg.x, yend.y + cell * 0.1f),
                    pal.strong(Role::Output), "Y");
    }
    // The current window's column, through X_cols and Y.
    if (col_now >= first && col_now < last) {
        const float x = xorg.x + float(col_now - first) * cell;
        const float w = std::clamp(cell * 0.07f, 2.5f, 24.0f);
        dl->AddRect(ImVec2(x, xorg.y), ImVec2(x + cell, xend.y), pal.strong(Role::Window), 0, 0, w);
        dl->AddRect(ImVec2(x, yorg.y), ImVec2(x + cell, yend.y), pal.strong(Role::Window), 0, 0, w);
    }
    ImGui::Dummy(ImVec2(avail.x, yend.y + label_px * 1.5f - o0.y));
}

std::string Im2colPanel::report(const StepperSolution& s, Playhead ph) const {
    if (ph.window < 0 || ph.window >= s.window_count()) return "";
    const Trace& t = s.traces[size_t(ph.window)];
    auto m = im2col_matrix(s, t.o);
    if (!m) return "";
    const int64_t l = ph.window - t.o * s.oh * s.ow;
    std::string col, row;
    for (int64_t r = 0; r < m->rows; ++r) {
        col += (r ? "," : "") + format_number(m->at(r, l));
        row += (r ? "," : "") + format_number(m->kernel_row[size_t(r)]);
    }
    return "\"im2col\":{\"rows\":" + std::to_string(m->rows) + ",\"cols\":" + std::to_string(m->cols) +
           ",\"column\":[" + col + "],\"kernel_row\":[" + row +
           "],\"dot\":" + format_number(m->product[size_t(l)] + m->bias) + "}";
}

}  // namespace convscope::ui
