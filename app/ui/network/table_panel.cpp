// The table of the network view: every layer's output shape, parameters, mult-adds and receptive field as
// torchinfo prints them, PyTorch's refusals in a row under their layer, and torchinfo's totals and size
// estimates. Everything comes from the model's cached check.
#include <imgui.h>

#include <algorithm>

#include "app/ui/network/network_view.hpp"
#include "app/ui/widgets/draw.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui::network {
namespace {

// "5" or "5×3"; "--" where the field stops meaning something.
std::string rf_pair(const std::optional<ReceptiveField>& rf, bool jump) {
    if (!rf) return "--";
    const Pair p = jump ? rf->jump : rf->size;
    return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "×" + std::to_string(p.w);
}

std::string rf_start(const std::optional<ReceptiveField>& rf) {
    if (!rf) return "--";
    return rf->start_h == rf->start_w
               ? format_number(float(rf->start_h))
               : format_number(float(rf->start_h)) + "×" + format_number(float(rf->start_w));
}

}  // namespace

void NetworkView::draw_table() {
    const NetworkCheck& check = m_model.check();
    const Shape& input = m_model.stack().input;
    const auto& items = m_model.stack().layers;
    const Palette& pal = palette();
    const ImVec4 muted = ImGui::ColorConvertU32ToFloat4(pal.text_muted);
    const ImVec4 error = ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX;
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    int rows = 3 + int(items.size());
    for (const LayerCheck& c : check.layers) rows += c.ok() ? 0 : 2;
    // At most 42% of the pane (the maps keep the rest); presented, every row (draw_presented sized the pane).
    const float height = std::min(row_h * float(rows) + row_h * 0.5f,
                                  ImGui::GetContentRegionAvail().y * (m_table_fills_pane ? 1.0f : 0.42f));
    if (!ImGui::BeginTable("##shapes", 8, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    std::optional<ReceptiveField> input_rf;
    if (input.size() == 3 || input.size() == 4) input_rf = ReceptiveField{};
    // The numbers never shrink (a cut shape would mislead); the layer column takes what is left.
    const Str heads[6] = {Str::net_col_shape, Str::net_col_params, Str::net_col_macs,
                          Str::net_col_rf,    Str::net_col_jump,   Str::net_col_start};
    float widths[6];
    for (int k = 0; k < 6; ++k) widths[k] = ImGui::CalcTextSize(tr(heads[k])).x;
    auto fit = [&](int col, const std::string& text) {
        widths[col] = std::max(widths[col], ImGui::CalcTextSize(text.c_str()).x);
    };
    fit(0, shape_text(input));
    for (const LayerCheck& c : check.layers) {
        fit(0, shape_text(c.output));
        fit(1, with_thousands(c.params));
        fit(2, with_thousands(c.mult_adds));
        fit(3, rf_pair(c.rf, false));
        fit(4, rf_pair(c.rf, true));
        fit(5, rf_start(c.rf));
    }
    fit(1, with_thousands(check.total_params));
    fit(2, with_thousands(check.total_mult_adds));
    // The layer column is as wide as its longest name; where the table is wider than the pane it scrolls
    // sideways rather than squeezing a column to a letter.
    float layer_w =
        std::max(ImGui::CalcTextSize(tr(Str::net_col_layer)).x, ImGui::CalcTextSize(tr(Str::label_input)).x);
    for (const auto& item : items)
        layer_w = std::max(layer_w, ImGui::CalcTextSize(layer_label(item.layer).c_str()).x);
    const float air = ImGui::GetFontSize() * 1.2f;
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("000").x);
    ImGui::TableSetupColumn(tr(Str::net_col_layer),
                            ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoClip, layer_w + air);
    for (int k = 0; k < 6; ++k)
        ImGui::TableSetupColumn(tr(heads[k]), ImGuiTableColumnFlags_WidthFixed, widths[k] + air);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int col = 0; col < 8; ++col) {
        ImGui::TableSetColumnIndex(col);
        ImGui::TableHeader(ImGui::TableGetColumnName(col));
        if (col >= 5 && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_rf_tip));
    }
    auto right = [](const std::string& text) {
        const float w = ImGui::CalcTextSize(text.c_str()).x;
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - w));
        ImGui::TextUnformatted(text.c_str());
    };
    auto field = [&](const std::optional<ReceptiveField>& rf) {
        ImGui::TableNextColumn();
        right(rf_pair(rf, false));
        ImGui::TableNextColumn();
        right(rf_pair(rf, true));
        ImGui::TableNextColumn();
        right(rf_start(rf));
    };
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("0");
    ImGui::TableNextColumn();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Input)), "%s", tr(Str::label_input));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(shape_text(input).c_str());
    ImGui::TableNextColumn();
    right("--");
    ImGui::TableNextColumn();
    right("--");
    field(input_rf);
    for (size_t i = 0; i < items.size(); ++i) {
        const LayerCheck& c = check.layers[i];
        const Layer& L = items[i].layer;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (ImGui::Selectable(std::to_string(i + 1).c_str(), m_selected == int(i),
                              ImGuiSelectableFlags_SpanAllColumns))
            m_selected = int(i);
        ImGui::TableNextColumn();
        if (!c.ok())
            ImGui::TextColored(error, "%s", layer_label(L).c_str());
        else
            ImGui::TextUnformatted(layer_label(L).c_str());
        ImGui::TableNextColumn();
        if (c.output.empty()) {
            ImGui::TextColored(muted, "—");
            if (ImGui::IsItemHovered() && c.ok()) ImGui::SetTooltip("%s", tr(Str::net_unknown));
        } else if (c.after_error || !c.ok()) {
            ImGui::TextColored(muted, "%s", shape_text(c.output).c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_assumed));
        } else {
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Output)), "%s",
                               shape_text(c.output).c_str());
        }
        ImGui::TableNextColumn();
        right(c.params ? with_thousands(c.params) : "--");
        ImGui::TableNextColumn();
        right(c.mult_adds ? with_thousands(c.mult_adds) : (c.params && c.output.empty()) ? "—" : "--");
        field(c.rf);
        if (!c.ok()) {
            // The refusal, in its own row under the layer: across the row's empty cells (clipped by the
            // table's visible area, not by the layer column), wrapped at the table's visible right edge.
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(error, "!");
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, error);
            const ImGuiStyle& style = ImGui::GetStyle();
            const float visible_right =
                ImGui::GetScrollX() + ImGui::GetWindowWidth() - style.ScrollbarSize - style.CellPadding.x;
            const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
            ImGui::PushClipRect(at, ImVec2(at.x + size.x, at.y + size.y), false);
            ImGui::PushTextWrapPos(std::max(visible_right, ImGui::GetCursorPosX() + layer_w));
            ImGui::TextUnformatted(trf(Str::net_refused, tr_error(c.reason).c_str()).c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopClipRect();
            ImGui::PopStyleColor();
        }
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(tr(Str::net_total));
    ImGui::TableNextColumn();
    ImGui::TableNextColumn();
    right(with_thousands(check.total_params));
    ImGui::TableNextColumn();
    right(with_thousands(check.total_mult_adds));
    ImGui::EndTable();
    // torchinfo's other totals, under the table.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(
        muted, "%s",
        trf(Str::net_trainable, with_thousands(check.trainable_params).c_str(),
            with_thousands(check.non_trainable_params()).c_str(), with_thousands(check.total_buffers).c_str())
            .c_str());
    if (check.input_error.empty()) {
        const SizeEstimate& e = m_model.sizes();
        ImGui::TextColored(
            muted, "%s",
            trf(Str::net_sizes, e.input_mb, e.forward_backward_mb, e.params_mb, e.total_mb).c_str());
    }
    ImGui::PopTextWrapPos();
}

}  // namespace convscope::ui::network
