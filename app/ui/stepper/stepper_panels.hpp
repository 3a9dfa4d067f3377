// The stepper's extra panels, views of core/stepper/stepper_transpose.hpp: a transposed convolution as a
// scatter (stamps, running sums, the overlap heat) or as a gather (the equivalent stride-1 convolution), and
// a convolution as im2col's matrix product. The stepper view owns one of each and hands them its model:
//   m_transpose.show(m_model);                       // the problem, its scatter and gather forms
//   m_transpose.draw_canvas(ctx, m_model.playhead(), m_model.sequence(), m_t, avail, grid_rects);
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/ui/view.hpp"
#include "core/stepper/stepper_model.hpp"

namespace convscope::ui {

using GridRects = std::vector<std::array<float, 4>>;

class TransposePanel {
public:
    bool gather = false;  // false: the scatter view (the model's gather_view, switched by the controls)

    // Shows the model's transposed problem: its scatter plan, its gather form and that form's solution.
    void show(const StepperModel& m) {
        m_model = &m;
        gather = m.gather_view();
    }
    bool ok() const { return m_model && m_model->scatter() && m_model->gather() && m_model->solution(); }
    // The controls of a transposed problem (kernel, stride, padding, output_padding, dilation, bias, the
    // view); true when the problem changed. `view_changed` is set when scatter/gather was switched.
    bool draw_controls(StepperProblem& p, bool& view_changed);
    // The canvas: formulas, round trip and colour key, then input, kernel and output, then the current
    // stamp (scatter) or multiply-accumulate line (gather).
    void draw_canvas(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t, ImVec2 avail,
                     GridRects& grids);
    // For --report-layout: `"transpose":{…}` with the view and the numbers the output grid shows.
    std::string report(Playhead ph, const StepSequence& seq) const;

private:
    void draw_header(ViewContext& ctx, float t, float width);
    void draw_scatter(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t, ImVec2 avail,
                      GridRects& grids);
    void draw_gather(ViewContext& ctx, Playhead ph, const StepSequence& seq, float t, ImVec2 avail,
                     GridRects& grids);
    const StepperProblem& problem() const { return m_model->problem(); }

    const StepperModel* m_model = nullptr;
};

class Im2colPanel {
public:
    // X_cols with the current window's column, W_row, and W_row × X_cols = Y (output channel of the current
    // window), within `avail`; the stepper draws its multiply-accumulate line below.
    void draw(ViewContext& ctx, const StepperSolution& s, Playhead ph, const StepSequence& seq, float t,
              ImVec2 avail, GridRects& grids);
    // For --report-layout (asked while the model says the panel is open): `"im2col":{…}` with the current
    // column, the kernel row and their product.
    std::string report(const StepperSolution& s, Playhead ph) const;
};

}  // namespace convscope::ui
