// The stepper's exports: the GIF recording (one frame per window, then the playhead put back) with its
// question before a long one, and --report-layout (where the grids are, for the tests that measure them).
#include <GLFW/glfw3.h>

#include <cstdio>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/stepper/stepper_view.hpp"

namespace convscope::ui {

void StepperView::run_recording(ViewContext& ctx, ImVec2 min, ImVec2 max) {
    // Start: from a scripted --export-gif (once the layout has settled) or the button.
    if (!m_recording && !m_pending_gif.empty() && m_frames_drawn >= 2 && m_pending_steps == 0) {
        if (!m_model.solution()) {
            ctx.notify(*m_model.error());
            m_pending_gif.clear();
            return;
        }
        ctx.capture.gif_begin(m_pending_gif, min, max);
        m_recording_path = m_pending_gif;
        m_pending_gif.clear();
        m_recording = true;
        m_model.stop();
        m_ph_before_recording = m_model.playhead();
        m_model.set_playhead(m_model.sequence().at_window(0));
        return;  // this frame was drawn at the old playhead; capture from the next one
    }
    if (!m_recording) return;
    // Escape cancels: the file is removed, the playhead goes back.
    if (ctx.keys)
        for (const KeyPress& k : *ctx.keys)
            if (k.key == GLFW_KEY_ESCAPE) {
                ctx.capture.gif_cancel();
                m_recording = false;
                m_model.set_playhead(m_ph_before_recording);
                return;
            }
    // The capture gave up (the file could not be written): stop; the status line says why.
    if (!ctx.capture.gif_recording()) {
        m_recording = false;
        m_model.set_playhead(m_ph_before_recording);
        return;
    }
    // One frame per window; the last one stays longer on the slide.
    const StepSequence& seq = m_model.sequence();
    const bool last = m_model.playhead() == seq.end();
    ctx.capture.gif_frame(last ? 300 : 90);
    ctx.notify(Message(Str::msg_recording, int(m_model.playhead().window + 1), int(seq.windows()),
                       m_recording_path));
    if (last) {
        ctx.capture.gif_end();
        m_recording = false;
        m_model.set_playhead(m_ph_before_recording);
        m_frames_to_settle = 2;
    } else {
        m_model.set_playhead(seq.next_window(m_model.playhead()));
    }
}

// The confirmation for a long GIF: how many frames and roughly how large, then Record or Cancel.
void StepperView::draw_long_gif_question(ViewContext& ctx) {
    if (m_ask_long_gif) {
        ImGui::OpenPopup("##long_gif");
        m_ask_long_gif = false;
    }
    if (!ImGui::BeginPopupModal("##long_gif", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted(tr(Str::gif_long_title));
    // A frame of the canvas compresses to about a tenth of a byte per pixel (flat colours).
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const int mb = int(double(d.x) * d.y * 0.1 * double(m_model.sequence().windows()) / 1e6) + 1;
    ImGui::PushTextWrapPos(ctx.fonts.ui_size * 30.0f);
    ImGui::TextWrapped(
        "%s", trf(Str::gif_long, int(m_model.sequence().windows()), mb, int(kLongGifFrames)).c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(tr(Str::record))) {
        ctx.requests.ask_export_animation();  // the shell's save dialog chooses the file
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// --report-layout FILE: where the grids are this frame, for the tests that measure their share of the
// screen. {"screen":[w,h],"canvas":[x0,y0,x1,y1],"cell":c,"text":t,"presenting":b,"settings":b,"share":s,
// "grids":[[x0,y0,x1,y1],…],…} ("settings": the settings panel drawn beside the canvas); rewritten only when
// it changes.
void StepperView::write_layout_report(const ViewContext& ctx, ImVec2 canvas_min, ImVec2 canvas_max,
                                      float cell) {
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    double area = 0;
    std::string grids;
    char buf[160];
    for (const auto& r : m_grid_rects) {
        area += double(r[2] - r[0]) * double(r[3] - r[1]);
        std::snprintf(buf, sizeof buf, "%s[%.1f,%.1f,%.1f,%.1f]", grids.empty() ? "" : ",", r[0], r[1], r[2],
                      r[3]);
        grids += buf;
    }
    char head[400];
    std::snprintf(head, sizeof head,
                  "{\"screen\":[%.0f,%.0f],\"canvas\":[%.1f,%.1f,%.1f,%.1f],\"cell\":%.1f,\"text\":%.1f,"
                  "\"presenting\":%s,\"settings\":%s,\"share\":%.4f,\"grids\":[",
                  screen.x, screen.y, canvas_min.x, canvas_min.y, canvas_max.x, canvas_max.y, cell, m_t,
                  ctx.presenting ? "true" : "false", m_settings_drawn ? "true" : "false",
                  area / std::max(1.0, double(screen.x) * screen.y));
    // The refusal shown above the grids, as drawn (in the UI's language), for the tests.
    std::string error;
    for (char c : m_model.error() ? tr_error(*m_model.error()) : std::string())
        if (c != '"' && c != '\\' && uint8_t(c) >= 0x20) error += c;
    const Playhead ph = m_model.playhead();
    std::string panel = transposed() ? m_transpose.report(ph, m_model.sequence())
                        : m_model.solution() && m_model.im2col_open()
                            ? m_im2col.report(*m_model.solution(), ph)
                            : "";
    if (!panel.empty()) panel = "," + panel;
    const std::string report = std::string(head) + grids + "],\"error\":\"" + error + "\"" + panel + "}\n";
    if (report == m_last_report) return;
    m_last_report = report;
    if (std::FILE* f = std::fopen(ctx.options.report_layout.c_str(), "w")) {
        std::fputs(report.c_str(), f);
        std::fclose(f);
    }
}

}  // namespace convscope::ui
