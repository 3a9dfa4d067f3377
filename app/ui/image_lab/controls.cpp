// The image lab's settings panel: the image (samples, a file, drop), the operation and kernel, stride,
// padding, dilation and padding mode, grey or colour, the display map, the backend and its time, saving.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>

#include "app/ui/image_lab/image_view.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/widgets/draw.hpp"

namespace convscope::ui::image_lab {

namespace fs = std::filesystem;

void ImageView::draw_controls(ViewContext& ctx) {
    const Palette& pal = palette();
    ImGui::PushItemWidth(-FLT_MIN);

    // Image: what is loaded, samples, a file, drop
    ImGui::TextColored(to_vec4(pal.strong(Role::Input)), "%s", tr(Str::img_image));
    if (const LabPhoto* photo = m_lab.photo()) {
        const Image& p = photo->image;
        const std::string name = fs::path(photo->path).filename().string();
        const std::string info = p.channels == 1
                                     ? trf(Str::img_info_grey, name, int(p.width), int(p.height))
                                     : trf(Str::img_info_colour, name, int(p.width), int(p.height));
        ImGui::TextWrapped("%s", info.c_str());
    }
    if (m_lab.loading())
        ImGui::TextWrapped(
            "%s", trf(Str::img_loading, fs::path(m_lab.loading_path()).filename().string().c_str()).c_str());
    if (m_load_error.has_value())
        error_text(std::string(tr(Str::img_load_fail)) + " " + tr_error(*m_load_error));
    if (!m_samples.empty()) {
        ImGui::TextColored(to_vec4(pal.text_muted), "%s", tr(Str::img_samples));
        // The buttons flow: one goes on the next row when it would pass the panel's edge.
        for (size_t i = 0; i < m_samples.size(); ++i) {
            const std::string name = fs::path(m_samples[i]).stem().string();
            if (i) same_line_if_fits(button_width(name.c_str()));
            if (ImGui::SmallButton(name.c_str())) m_lab.load(m_samples[i]);
        }
    }
    if (ImGui::Button(tr(Str::img_open))) {
        m_browser_open = true;
        std::error_code ec;
        if (m_browser_dir.empty())
            m_browser_dir = m_lab.photo() ? fs::absolute(m_lab.photo()->path, ec).parent_path().string()
                                          : fs::current_path(ec).string();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(pal.text_muted));
    ImGui::TextWrapped("%s", tr(Str::img_drop_hint));
    ImGui::PopStyleColor();
    ImGui::Separator();

    draw_kernel_choice(ctx);
    ImGui::Separator();
    draw_parameters(ctx);
    if (m_lab.geometry_error().has_value()) error_text(tr_error(*m_lab.geometry_error()));
    ImGui::Separator();
    draw_display(ctx);
    ImGui::PopItemWidth();
}

// The operation, then the kernel (a preset with its size and σ, or the editor) or the pooling window.
void ImageView::draw_kernel_choice(ViewContext& ctx) {
    const Palette& pal = palette();
    const ImageLabState& st = m_lab.state();
    int op = int(st.spec.op);
    label(Str::op);
    const char* ops[] = {tr(Str::op_conv), tr(Str::op_max), tr(Str::op_avg)};
    if (ImGui::Combo("##op", &op, ops, 3)) edit(ctx, lab_edit::SetOp{Op(op)});
    if (m_lab.state().spec.op != Op::Conv) {
        int k[2] = {int(st.spec.pool.kernel.h), int(st.spec.pool.kernel.w)};
        label(Str::img_pool_window);
        if (ImGui::SliderInt2("##pool_k", k, 1, int(kMaxImageKernelSide), "%d", ImGuiSliderFlags_AlwaysClamp))
            edit(ctx, lab_edit::SetPoolWindow{Pair{k[0], k[1]}});
        bool follows = m_lab.state().pool_stride_is_window;
        if (checkbox(tr(Str::img_stride_is_window), &follows))
            edit(ctx, lab_edit::SetPoolStrideIsWindow{follows});
        return;
    }
    ImGui::TextColored(to_vec4(pal.strong(Role::Kernel)), "%s", tr(Str::label_kernel));
    // A kernel read from a file goes by the file's name until its cells are edited.
    const std::string& name = st.spec.kernel.name;
    const std::string current = !st.preset.empty()                 ? tr(preset_label(st.preset))
                                : name.empty() || name == "custom" ? tr(Str::img_custom)
                                                                   : name;
    if (ImGui::BeginCombo("##preset", current.c_str())) {
        for (const PresetInfo& p : kernel_presets())
            if (ImGui::Selectable(tr(preset_label(p.id)), p.id == m_lab.state().preset))
                edit(ctx, lab_edit::ChoosePreset{std::string(p.id)});
        ImGui::EndCombo();
    }
    for (const PresetInfo& p : kernel_presets()) {
        if (p.id != m_lab.state().preset) continue;
        if (p.sized) {
            label(Str::img_size);
            int size = int(m_lab.state().preset_size);
            if (ImGui::SliderInt("##ksize", &size, 1, int(kMaxImageKernelSide), "%d",
                                 ImGuiSliderFlags_AlwaysClamp))
                edit(ctx, lab_edit::SetPresetSize{size});
        }
        if (p.has_sigma) {
            label(Str::img_sigma);
            float sigma = float(m_lab.state().sigma);
            if (ImGui::SliderFloat("##sigma", &sigma, 0.2f, 6.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp))
                edit(ctx, lab_edit::SetSigma{double(sigma)});
        }
    }
    if (ImGui::Button((std::string(tr(Str::img_edit)) + "…").c_str())) m_editor_open = !m_editor_open;
    // True convolution or cross-correlation, and who computes which.
    bool flip = m_lab.state().spec.conv.flip;
    if (checkbox(tr(Str::img_flip), &flip)) edit(ctx, lab_edit::SetFlip{flip});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::img_flip_caption));
    if (flip) {  // said beside the picture it changes; on hover before
        ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(pal.text_muted));
        ImGui::TextWrapped("%s", tr(Str::img_flip_caption));
        ImGui::PopStyleColor();
    }
}

// Stride, padding, dilation, padding mode.
void ImageView::draw_parameters(ViewContext& ctx) {
    const ImageLabState& st = m_lab.state();
    const bool conv = st.spec.op == Op::Conv;
    if (conv || !st.pool_stride_is_window) {
        const Pair stride = conv ? st.spec.conv.stride : st.spec.pool.stride;
        int v[2] = {int(stride.h), int(stride.w)};
        label(Str::stride);
        if (ImGui::SliderInt2("##stride", v, 1, 8, "%d", ImGuiSliderFlags_AlwaysClamp))
            edit(ctx, lab_edit::SetStride{Pair{v[0], v[1]}});
    }
    label(conv ? Str::padding_kind : Str::padding);
    if (conv) {
        int kind = int(m_lab.state().padding);
        const char* kinds[] = {tr(Str::padding_numbers), "same", "valid"};
        if (ImGui::Combo("##padkind", &kind, kinds, 3))
            edit(ctx, lab_edit::SetPaddingChoice{PaddingChoice(kind)});
    }
    if (!conv || m_lab.state().padding == PaddingChoice::Numbers) {
        const Pair pad = conv ? m_lab.state().spec.conv.padding.amount : m_lab.state().spec.pool.padding;
        int v[2] = {int(pad.h), int(pad.w)};
        if (ImGui::SliderInt2("##pad", v, 0, 7, "%d", ImGuiSliderFlags_AlwaysClamp))
            edit(ctx, lab_edit::SetPadding{Pair{v[0], v[1]}});
    }
    if (conv || m_lab.state().spec.op == Op::MaxPool) {
        const Pair dil = conv ? m_lab.state().spec.conv.dilation : m_lab.state().spec.pool.dilation;
        int v[2] = {int(dil.h), int(dil.w)};
        label(Str::dilation);
        if (ImGui::SliderInt2("##dil", v, 1, 5, "%d", ImGuiSliderFlags_AlwaysClamp))
            edit(ctx, lab_edit::SetDilation{Pair{v[0], v[1]}});
    }
    if (conv) {
        int mode = int(m_lab.state().spec.conv.padding_mode);
        const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
        label(Str::padding_mode);
        if (ImGui::Combo("##padmode", &mode, modes, 4))
            edit(ctx, lab_edit::SetPaddingMode{PaddingMode(mode)});
    }
}

// Grey or colour, the display map, the backend and its time, saving the output.
void ImageView::draw_display(ViewContext& ctx) {
    // A grey photo has one channel: grey is what the filter sees, so that is what is selected.
    const bool grey_photo = m_lab.photo() && m_lab.photo()->image.channels == 1;
    int mode = grey_photo ? 0 : int(m_lab.state().mode);
    label(Str::img_colour);
    // The label beside the button wraps in a narrow panel (a radio button's own label would be cut).
    const auto radio = [&](Str text, int value) {
        const bool clicked =
            ImGui::RadioButton((std::string("##") + tr(text, Lang::En)).c_str(), &mode, value);
        ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::TextUnformatted(tr(text));
        if (ImGui::IsItemClicked()) mode = value;
        return clicked || ImGui::IsItemClicked();
    };
    bool picked = radio(Str::img_grey, 0);
    ImGui::BeginDisabled(grey_photo);
    picked = (radio(Str::img_rgb, 1) && !grey_photo) || picked;
    ImGui::EndDisabled();
    if (picked && !grey_photo) edit(ctx, lab_edit::SetColorMode{ColorMode(mode)});
    int map = int(m_lab.state().map);
    label(Str::img_map);
    const char* maps[] = {tr(Str::img_map_clamp), tr(Str::img_map_abs), tr(Str::img_map_normalize),
                          tr(Str::img_map_abs_scaled)};
    if (ImGui::Combo("##map", &map, maps, 4)) edit(ctx, lab_edit::SetMap{DisplayMap(map)});
    ImGui::Separator();

    // Backend and the time it took
    label(Str::img_backend);
    const std::string& backend = m_lab.state().backend;
    const std::string shown = backend.empty() ? tr(Str::img_fastest) : backend;
    if (ImGui::BeginCombo("##backend", shown.c_str())) {
        if (ImGui::Selectable(tr(Str::img_fastest), backend.empty())) edit(ctx, lab_edit::SetBackend{""});
        for (std::string_view n : backend_names())
            if (ImGui::Selectable(std::string(n).c_str(), m_lab.state().backend == n))
                edit(ctx, lab_edit::SetBackend{std::string(n)});
        ImGui::EndCombo();
    }
    if (const LabFrame* f = m_lab.full())
        ImGui::TextUnformatted(trf(Str::img_time, f->backend.c_str(), f->ms).c_str());
    // Say why the gpu was passed over (unavailable, or emulated on the CPU), so nobody wonders; the shell
    // probed it once (ctx.backends).
    if (m_lab.state().backend.empty() && ctx.backends.probed && ctx.backends.fastest != "gpu" &&
        ctx.backends.why_not_gpu) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("gpu: %s", tr_error(*ctx.backends.why_not_gpu).c_str());
        ImGui::PopTextWrapPos();
    }
    if (m_lab.run_error().has_value()) error_text(tr_error(*m_lab.run_error()));
    ImGui::Separator();

    // Save the output
    label(Str::img_save_png);
    ImGui::InputText("##save_path", &m_save_path);
    ImGui::BeginDisabled(!m_lab.full());
    if (ImGui::Button(tr(Str::img_save))) {
        const Status st = m_lab.save_result(m_save_path);
        ctx.notify(st ? Message(Str::msg_saved, m_save_path)
                      : Message::rendered_by([p = m_save_path, e = st.err()] {
                            return trf(Str::msg_save_fail, p) + ": " + tr_error(e);
                        }));
    }
    ImGui::EndDisabled();
}

}  // namespace convscope::ui::image_lab
