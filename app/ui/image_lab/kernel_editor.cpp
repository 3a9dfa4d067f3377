// The kernel editor: its own window sized to the grid (a 15×15 kernel does not fit the settings panel), with
// the rows and columns, every cell, the divisor and offset, normalize, and the kernel file. Every change is
// an edit of the model, so Ctrl+Z undoes it (a drag or a typed number is one step) and Ctrl+Shift+Z or
// Ctrl+Y redoes it.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cmath>

#include "app/ui/widgets/fonts.hpp"
#include "app/ui/image_lab/image_view.hpp"

namespace convscope::ui::image_lab {

void ImageView::draw_kernel_editor(ViewContext& ctx) {
    if (!m_editor_open) return;
    const float s = ctx.scale;
    const std::string title = std::string(tr(Str::img_edit)) + "###kernel_editor";
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(title.c_str(), &m_editor_open,
                      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                          ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const Kernel k = m_lab.state().spec.kernel;  // a copy: edits below replace the model's
    ImGui::PushItemWidth(ctx.fonts.ui_size * 14.0f);
    int rc[2] = {int(k.rows), int(k.cols)};
    label(Str::img_rows_cols);
    if (ImGui::SliderInt2("##rc", rc, 1, int(kMaxImageKernelSide), "%d", ImGuiSliderFlags_AlwaysClamp))
        edit(ctx, lab_edit::ResizeKernel{rc[0], rc[1]});
    const float gap = 2.0f * s;
    const float cell_w = ctx.fonts.ui_size * 4.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2.0f * s, ImGui::GetStyle().FramePadding.y));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, to_vec4(palette().fill(Role::Kernel)));
    for (int64_t r = 0; r < k.rows; ++r)
        for (int64_t c = 0; c < k.cols; ++c) {
            if (c) ImGui::SameLine();
            ImGui::PushID(int(r * k.cols + c));
            ImGui::SetNextItemWidth(cell_w);
            double v = k.cells[size_t(r * k.cols + c)];
            if (ImGui::InputDouble("##cell", &v, 0.0, 0.0, "%.3g") && std::isfinite(v))
                edit(ctx, lab_edit::SetCell{r, c, v});
            ImGui::PopID();
        }
    // With true convolution, the kernel the computation uses: the cells rotated 180°, weights as applied.
    if (m_lab.state().spec.conv.flip) {
        ImGui::TextColored(to_vec4(palette().strong(Role::Kernel)), "%s", tr(Str::img_flip_applied));
        for (int64_t r = 0; r < k.rows; ++r)
            for (int64_t c = 0; c < k.cols; ++c) {
                if (c) ImGui::SameLine();
                ImGui::PushID(int(100000 + r * k.cols + c));
                ImGui::SetNextItemWidth(cell_w);
                double w = double(k.weight(k.rows - 1 - r, k.cols - 1 - c));
                ImGui::InputDouble("##rotated", &w, 0.0, 0.0, "%.3g", ImGuiInputTextFlags_ReadOnly);
                ImGui::PopID();
            }
    }
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    label(Str::img_divisor);
    double divisor = k.divisor;
    if (ImGui::InputDouble("##div", &divisor, 0.0, 0.0, "%.6g") && divisor != 0.0 && std::isfinite(divisor))
        edit(ctx, lab_edit::SetDivisor{divisor});
    label(Str::img_offset);
    double offset = k.offset;
    if (ImGui::InputDouble("##offset", &offset, 0.0, 0.0, "%.6g") && std::isfinite(offset))
        edit(ctx, lab_edit::SetOffset{offset});
    if (ImGui::Button(tr(Str::img_normalize))) {
        if (const Status st = m_lab.apply(lab_edit::NormalizeKernel{}); st)
            ctx.notify("");  // an earlier refusal ("cells sum to 0") is no longer true
        else
            ctx.notify(st.err());
    }
    // Undo and redo beside the grid, for those who do not know the keys.
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_lab.can_undo());
    if (ImGui::Button(tr(Str::edit_undo))) m_lab.undo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_lab.can_redo());
    if (ImGui::Button(tr(Str::edit_redo))) m_lab.redo();
    ImGui::EndDisabled();
    label(Str::img_kernel_file);
    ImGui::InputText("##kpath", &m_kernel_path);
    if (ImGui::Button(tr(Str::img_load))) {
        if (auto loaded = read_kernel_file(m_kernel_path))
            edit(ctx, lab_edit::SetKernel{std::move(*loaded)});
        else
            ctx.notify(loaded.err());
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_save))) {
        const Status st = write_kernel_file(m_kernel_path, m_lab.state().spec.kernel);
        ctx.notify(st ? Message(Str::msg_saved, m_kernel_path) : Message(st.err()));
    }
    ImGui::PopItemWidth();
    ImGui::End();
}

}  // namespace convscope::ui::image_lab
