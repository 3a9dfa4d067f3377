// The stack editor (left pane of the network view): the input shape, the layers (select, move, remove),
// adding a layer, the example stacks, undo/redo, and the selected layer's parameters and code. Every change
// is an edit sent to the model (core/network/model.hpp), so each one undoes.
#include <imgui.h>
// imgui_stdlib.h needs imgui.h first.
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/network/network_view.hpp"
#include "app/ui/widgets/palette.hpp"

namespace convscope::ui::network {
namespace {

namespace ne = network_edit;

// An int64 field clamped to [lo, kMaxEditValue]; true when changed.
bool int_field(const char* label, int64_t& v, int64_t lo, float width) {
    ImGui::SetNextItemWidth(width);
    int64_t x = v;
    const int64_t step = 1;
    if (!ImGui::InputScalar(label, ImGuiDataType_S64, &x, &step)) return false;
    x = std::clamp(x, lo, kMaxEditValue);
    if (x == v) return false;
    v = x;
    return true;
}

// A (height, width) pair of fields.
bool pair_field(const char* label, Pair& p, int64_t lo, float width) {
    ImGui::SetNextItemWidth(width);
    int64_t v[2] = {p.h, p.w};
    if (!ImGui::InputScalarN(label, ImGuiDataType_S64, v, 2)) return false;
    const Pair q(std::clamp(v[0], lo, kMaxEditValue), std::clamp(v[1], lo, kMaxEditValue));
    if (q == p) return false;
    p = q;
    return true;
}

// The fields of a Conv2d, a pool, a Flatten or a Linear; true when one changed `L`.
bool draw_layer_fields(Layer& L, float one, float two) {
    bool changed = false;
    switch (L.kind) {
        case LayerKind::Conv2d: {
            changed |= int_field("in_channels", L.in, 0, one);
            changed |= int_field("out_channels", L.out, 0, one);
            changed |= pair_field("kernel_size", L.kernel, 0, two);
            changed |= pair_field("stride", L.stride, 0, two);
            int kind = int(L.padding.kind);
            const char* kinds[] = {tr(Str::padding_numbers), "'same'", "'valid'"};
            ImGui::SetNextItemWidth(two);
            if (ImGui::Combo("padding##kind", &kind, kinds, 3)) {
                L.padding = kind == 1 ? Padding::same() : kind == 2 ? Padding::valid() : Padding(0);
                changed = true;
            }
            if (L.padding.kind == PaddingKind::Explicit) {
                Pair p = L.padding.amount;
                if (pair_field("##padding", p, 0, two)) {
                    L.padding = Padding(p);
                    changed = true;
                }
            }
            changed |= pair_field("dilation", L.dilation, 0, two);
            changed |= int_field("groups", L.groups, 0, one);
            changed |= ImGui::Checkbox("bias", &L.bias);
            int mode = int(L.padding_mode);
            const char* modes[] = {"'zeros'", "'reflect'", "'replicate'", "'circular'"};
            ImGui::SetNextItemWidth(two);
            if (ImGui::Combo("padding_mode", &mode, modes, 4)) {
                L.padding_mode = PaddingMode(mode);
                changed = true;
            }
            break;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: {
            changed |= pair_field("kernel_size", L.kernel, 0, two);
            bool none = L.stride == Pair(0);
            if (ImGui::Checkbox(tr(Str::net_stride_none), &none)) {
                L.stride = none ? Pair(0) : L.kernel;
                changed = true;
            }
            if (!none) changed |= pair_field("stride", L.stride, 1, two);
            Pair p = L.padding.amount;
            if (pair_field("padding", p, 0, two)) {
                L.padding = Padding(p);
                changed = true;
            }
            if (L.kind == LayerKind::MaxPool2d) changed |= pair_field("dilation", L.dilation, 0, two);
            changed |= ImGui::Checkbox("ceil_mode", &L.ceil_mode);
            if (L.kind == LayerKind::AvgPool2d)
                changed |= ImGui::Checkbox("count_include_pad", &L.count_include_pad);
            break;
        }
        case LayerKind::ReLU:
            ImGui::TextWrapped("%s", tr(Str::net_relu_note));
            break;
        case LayerKind::Flatten: {
            const Layer before = L;
            ImGui::SetNextItemWidth(one);
            ImGui::InputScalar("start_dim", ImGuiDataType_S64, &L.start_dim);
            ImGui::SetNextItemWidth(one);
            ImGui::InputScalar("end_dim", ImGuiDataType_S64, &L.end_dim);
            L.start_dim = std::clamp<int64_t>(L.start_dim, -4, 3);
            L.end_dim = std::clamp<int64_t>(L.end_dim, -4, 3);
            changed = !(L == before);
            break;
        }
        case LayerKind::Linear:
            changed |= int_field("in_features", L.in, 0, one);
            changed |= int_field("out_features", L.out, 0, one);
            changed |= ImGui::Checkbox("bias", &L.bias);
            break;
        default:  // the other layers are edited as code, below
            break;
    }
    return changed;
}

}  // namespace

void NetworkView::draw_stack_editor(ViewContext& ctx) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    text_line(ctx.fonts.ui, ctx.fonts.ui_size * 1.15f, pal.strong(Role::Input), tr(Str::net_input_shape));
    // The input: one field per dimension (N, C, H, W for the usual 4-D input).
    {
        const Shape& input = m_model.stack().input;
        const int rank = int(input.size());
        int64_t v[4] = {};
        for (int k = 0; k < rank && k < 4; ++k) v[k] = input[size_t(k)];
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 70.0f * s * float(rank)));
        if (rank > 0 && ImGui::InputScalarN("##input", ImGuiDataType_S64, v, std::min(rank, 4)))
            edit(ctx, ne::SetInput{Shape(v, v + std::min(rank, 4))}, !ImGui::IsItemActive());
        if (!m_model.check().input_error.empty())
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                               tr_error(m_model.check().input_reason).c_str());
    }
    ImGui::Spacing();
    text_line(ctx.fonts.ui, ctx.fonts.ui_size * 1.15f, pal.strong(Role::Kernel), tr(Str::net_layers));
    draw_layer_list(ctx);
    draw_add_layer();
    ImGui::SameLine();
    draw_stacks_menu(ctx);
    ImGui::BeginDisabled(!m_model.can_undo());
    if (ImGui::Button(tr(Str::net_undo)) && undo()) ctx.notify(Message(Str::net_undone));
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Z");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_model.can_redo());
    if (ImGui::Button(tr(Str::edit_redo))) redo();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Shift+Z, Ctrl+Y");
    ImGui::EndDisabled();
    ImGui::Separator();
    draw_layer_editor(ctx);
}

void NetworkView::draw_layer_list(ViewContext& ctx) {
    const Palette& pal = palette();
    const auto& layers = m_model.stack().layers;
    const NetworkCheck& check = m_model.check();
    if (layers.empty()) {
        ImGui::TextWrapped("%s", tr(Str::net_no_layers));
        return;
    }
    const float button_w = ImGui::GetFrameHeight();
    const float buttons = 3 * button_w + 2 * ImGui::GetStyle().ItemSpacing.x;
    int move = 0, remove = -1, moved = -1;
    for (int i = 0; i < int(layers.size()); ++i) {
        ImGui::PushID(i);
        const LayerCheck& c = check.layers[size_t(i)];
        const std::string label = std::to_string(i + 1) + "  " + layer_label(layers[size_t(i)].layer);
        if (!c.ok())
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)));
        // The buttons beside the name where it fits, else on the row below (a large scale, a long name).
        const float w = ImGui::GetContentRegionAvail().x - buttons - ImGui::GetStyle().ItemSpacing.x;
        const bool beside = ImGui::CalcTextSize(label.c_str()).x <= w;
        if (ImGui::Selectable(label.c_str(), m_selected == i, 0,
                              ImVec2(beside ? std::max(w, 40.0f * ctx.scale) : 0.0f, 0)))
            m_selected = i;
        if (!c.ok()) {
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr_error(c.reason).c_str());
        }
        if (beside) ImGui::SameLine();
        ImGui::BeginDisabled(i == 0);
        if (ImGui::Button("↑", ImVec2(button_w, 0))) move = -1, moved = i;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_move_up));
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(i + 1 == int(layers.size()));
        if (ImGui::Button("↓", ImVec2(button_w, 0))) move = 1, moved = i;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_move_down));
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("×", ImVec2(button_w, 0))) remove = i;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_remove));
        ImGui::PopID();
    }
    // Edits after the loop: the list drawn above was the stack as it was.
    if (moved >= 0) {
        edit(ctx, ne::MoveLayer{moved, move});
        m_selected = moved + move;
    }
    if (remove >= 0) {
        edit(ctx, ne::RemoveLayer{remove});
        m_selected = std::min(m_selected, int(m_model.stack().layers.size()) - 1);
    }
}

// The bundled stacks (core's bundled_stacks), one entry each; the stack they replace comes back with Ctrl+Z.
void NetworkView::draw_stacks_menu(ViewContext& ctx) {
    static constexpr std::pair<std::string_view, Str> kNames[] = {
        {"lecture", Str::net_stack_lecture},     {"lenet5", Str::net_stack_lenet5},
        {"alexnet", Str::net_stack_alexnet},     {"vgg_bn", Str::net_stack_vgg_bn},
        {"mobilenet", Str::net_stack_mobilenet}, {"dcgan", Str::net_stack_dcgan},
    };
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(tr(Str::net_stacks)).x + ImGui::GetFrameHeight() * 2);
    if (!ImGui::BeginCombo("##stacks", tr(Str::net_stacks))) return;
    for (const BundledStack& b : bundled_stacks()) {
        Str name = Str::net_stack_lecture;
        for (auto [id, label] : kNames)
            if (id == b.id) name = label;
        if (!ImGui::Selectable(tr(name))) continue;
        if (m_model.apply(ne::LoadBundled{std::string(b.id)})) {
            m_selected = m_model.stack().layers.empty() ? -1 : 0;
            ctx.notify(Message(Str::net_loaded, name));
        }
    }
    ImGui::EndCombo();
}

void NetworkView::draw_add_layer() {
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(tr(Str::net_add)).x + ImGui::GetFrameHeight() * 2);
    if (!ImGui::BeginCombo("##add", tr(Str::net_add))) return;
    for (LayerKind kind : kAllLayerKinds) {
        if (!ImGui::Selectable(std::string(to_string(kind)).c_str())) continue;
        // The new layer goes after the selected one; the model fits it to the shape there.
        const int at = m_selected < 0 ? int(m_model.stack().layers.size()) : m_selected + 1;
        if (m_model.apply(ne::AddLayer{kind, at})) m_selected = at;
    }
    ImGui::EndCombo();
}

void NetworkView::draw_layer_editor(ViewContext& ctx) {
    const auto& layers = m_model.stack().layers;
    if (m_selected < 0 || m_selected >= int(layers.size())) return;
    const int index = m_selected;
    Layer L = layers[size_t(index)].layer;
    const Palette& pal = palette();
    text_line(ctx.fonts.ui, ctx.fonts.ui_size, pal.strong(Role::Kernel),
              trf(Str::net_selected, index + 1, std::string(to_string(L.kind)).c_str()));
    const float one = 110.0f * ctx.scale, two = 160.0f * ctx.scale;
    ImGui::PushID(index);
    // A number being typed stays one open edit until the field is left (then it is one undo step).
    if (draw_layer_fields(L, one, two)) edit(ctx, ne::SetLayer{index, L}, !ImGui::IsAnyItemActive());
    // Every layer as its PyTorch code, edited in place (Enter applies; a refusal is shown, the layer kept).
    if (m_edit_index != index) m_edit_error.reset();
    if (m_edit_index != index || (!ImGui::IsAnyItemActive() && !m_edit_error)) {
        m_edit_text = layer_label(m_model.stack().layers[size_t(index)].layer);
        m_edit_index = index;
    }
    ImGui::TextUnformatted(tr(Str::net_as_code));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::InputText("##as_code", &m_edit_text, ImGuiInputTextFlags_EnterReturnsTrue)) {
        auto parsed = parse_layer(m_edit_text);
        if (parsed) {
            edit(ctx, ne::SetLayer{index, *parsed});
            m_edit_error.reset();
        } else {
            m_edit_error = parsed.err();
        }
    }
    // The refusal is kept as an Error and drawn each frame, so it follows a language switch.
    if (m_edit_error) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                           tr_error(*m_edit_error).c_str());
        ImGui::PopTextWrapPos();
    }
    if (m_model.stack().layers[size_t(index)].layer.kind == LayerKind::Conv2d) draw_kernel_choices(index);
    ImGui::PopID();
}

void NetworkView::draw_kernel_choices(int index) {
    const StackLayer& item = m_model.stack().layers[size_t(index)];
    const Layer& L = item.layer;
    if (L.out < 1) return;
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(Str::net_kernels));
    const int64_t shown = std::min<int64_t>(L.out, kTilesPerLayer);
    std::optional<ne::SetPreset> chosen;
    for (int64_t o = 0; o < shown; ++o) {
        ImGui::PushID(int(o));
        const std::string id = size_t(o) < item.presets.size() ? item.presets[size_t(o)] : std::string();
        const ChannelPreset* current = &kPresets[0];
        for (const ChannelPreset& p : kPresets)
            if (id == p.id) current = &p;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 13);
        if (ImGui::BeginCombo(trf(Str::net_channel_n, int(o)).c_str(), tr(current->label))) {
            for (const ChannelPreset& p : kPresets)
                if (ImGui::Selectable(tr(p.label), current == &p)) chosen = ne::SetPreset{index, o, p.id};
            ImGui::EndCombo();
        }
        ImGui::PopID();
    }
    if (chosen) (void)m_model.apply(*chosen);  // after the loop: `item` is the stack drawn above
}

}  // namespace convscope::ui::network
