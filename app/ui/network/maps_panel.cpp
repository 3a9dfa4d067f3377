// The feature maps tab of the network view: the input (the drawing to paint on, or the photo), the seed, the
// picked map enlarged with its values, receptive field and hand-offs, and every layer's maps as tiles. The
// maps are the model's (computed on its worker); this file only draws them.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/ui/widgets/draw.hpp"
#include "app/ui/shell/handoff.hpp"
#include "app/ui/network/network_view.hpp"
#include "app/ui/widgets/palette.hpp"
#include "core/engine/backend.hpp"
#include "core/image_lab/filter.hpp"
#include "core/engine/trace.hpp"

namespace convscope::ui::network {

void NetworkView::draw_canvas(ViewContext& ctx) {
    const Palette& pal = palette();
    const float cell = std::floor(6.0f * ctx.scale);
    const ImVec2 size(cell * kCanvasSide, cell * kCanvasSide);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##canvas", size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool paint = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left);
    const bool erase = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Right);
    if (paint || erase) {
        // A soft round brush, as a pen on MNIST's digits.
        const ImVec2 m = ImGui::GetMousePos();
        const float cx = (m.x - origin.x) / cell, cy = (m.y - origin.y) / cell;
        m_model.paint(cx, cy, erase);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::vector<float>& canvas = m_model.canvas();
    for (int y = 0; y < kCanvasSide; ++y)
        for (int x = 0; x < kCanvasSide; ++x) {
            const int g = int(std::lround(canvas[size_t(y * kCanvasSide + x)] * 255.0f));
            const ImVec2 a(origin.x + float(x) * cell, origin.y + float(y) * cell);
            dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(g, g, g, 255));
        }
    dl->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), pal.strong(Role::Input), 0, 0,
                std::max(1.0f, 2.0f * ctx.scale));
}

namespace {

// The receptive field over a drawn map: each shown cell tinted by the most paths any of its pixels has (a map
// shrunk for display covers several pixels per cell), from faint (one path) to strong (the most), and the
// field's bounding box outlined.
void draw_field(const FeatureTile& tile, const CellGrid& g, const PathCounts& field) {
    const TileField f = tile_field(tile, field);  // counted in core
    const double top = f.top;
    if (!(top > 0)) return;
    const std::vector<double>&rows = f.rows, &cols = f.cols;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 strong = palette().strong(Role::Window);
    int64_t y0 = -1, y1 = -1, x0 = -1, x1 = -1;
    for (int64_t y = 0; y < tile.h; ++y)
        for (int64_t x = 0; x < tile.w; ++x) {
            const double c = rows[size_t(y)] * cols[size_t(x)];
            if (c <= 0) continue;
            if (y0 < 0) y0 = y;
            y1 = y;
            x0 = x0 < 0 ? x : std::min(x0, x);
            x1 = std::max(x1, x);
            const int alpha = int(std::lround(70.0 + 150.0 * c / top));
            const ImVec2 p(g.origin.x + float(x) * g.cw, g.origin.y + float(y) * g.ch);
            dl->AddRectFilled(p, ImVec2(p.x + g.cw, p.y + g.ch),
                              (strong & 0x00FFFFFFu) | (ImU32(alpha) << 24));
        }
    if (y0 >= 0)
        dl->AddRect(ImVec2(g.origin.x + float(x0) * g.cw, g.origin.y + float(y0) * g.ch),
                    ImVec2(g.origin.x + float(x1 + 1) * g.cw, g.origin.y + float(y1 + 1) * g.ch), strong, 0,
                    0, 2.0f);
}

}  // namespace

// Draws one map fitted in `box` at the cursor; true when clicked.
bool NetworkView::draw_tile(ViewContext& ctx, const FeatureTile& tile, ImVec2 box, bool selected, ImU32 frame,
                            const PathCounts* field) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::InvisibleButton("##tile", box);
    const bool hovered = ImGui::IsItemHovered();
    if (!ImGui::IsItemVisible()) return clicked;  // scrolled away: nothing to draw
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const CellGrid g = cell_grid(tile, origin, box);
    const ImVec2 a = g.origin, size(g.cw * float(tile.w), g.ch * float(tile.h));
    const float span = tile.hi - tile.lo;
    for (int64_t y = 0; y < tile.h; ++y)
        for (int64_t x = 0; x < tile.w; ++x) {
            const float v = tile.cells[size_t(y * tile.w + x)];
            // Each map stretched to its own range (black its minimum, white its maximum): the pattern is what
            // a channel detects; the numbers are in the enlarged view.
            const float t = span > 0 ? (v - tile.lo) / span : (v > 0 ? 1.0f : 0.0f);
            const int grey = std::isfinite(t) ? int(std::lround(std::clamp(t, 0.0f, 1.0f) * 255.0f)) : 0;
            const ImVec2 p(a.x + float(x) * g.cw, a.y + float(y) * g.ch);
            dl->AddRectFilled(p, ImVec2(p.x + g.cw + 0.5f, p.y + g.ch + 0.5f),
                              IM_COL32(grey, grey, grey, 255));
        }
    if (field && !tile.vector) draw_field(tile, g, *field);
    const float thick = std::max(1.0f, (selected ? 3.0f : hovered ? 2.0f : 1.0f) * ctx.scale);
    dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(a.x + size.x + 1, a.y + size.y + 1),
                selected || hovered ? palette().strong(Role::Window) : frame, 0, 0, thick);
    return clicked;
}

void NetworkView::draw_tiles(ViewContext& ctx, float fit_height, float text_px) {
    const Palette& pal = palette();
    const auto& result = m_model.maps();
    if (!result || !result->ok()) return;
    const auto& maps = result->value().maps;
    const auto& rf = m_model.field();
    const int rf_row = m_model.field_row();
    const float gap = ImGui::GetStyle().ItemSpacing.x * 0.6f;
    const float avail = ImGui::GetContentRegionAvail().x;
    // One size for every tile, as large as lets the widest layer fit on one line (within bounds).
    size_t widest = 1;
    for (const LayerMaps& lm : maps)
        if (!lm.tiles.empty() && !lm.tiles[0].vector) widest = std::max(widest, lm.tiles.size());
    const float label_px = text_px > 0.0f ? text_px : ctx.fonts.ui_size;
    ImFont* label_font = ctx.fonts.for_size(label_px);
    const float caption = label_px * 0.8f;
    float tile = std::floor(
        std::clamp((avail - gap * float(widest)) / float(widest), 56.0f * ctx.scale, 120.0f * ctx.scale));
    if (fit_height > 0.0f) {
        // Presented: as large as the width allows, and small enough that every layer's row fits the height
        // (a row: its label, its tiles, their channel numbers and the spacing).
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        const float per_row =
            fit_height / float(std::max<size_t>(1, maps.size())) - label_px * 1.3f - caption - spacing * 3.0f;
        tile = std::floor(std::clamp(std::min((avail - gap * float(widest)) / float(widest), per_row), 40.0f,
                                     400.0f * ctx.scale));
    }
    for (size_t row = 0; row < maps.size(); ++row) {
        const LayerMaps& lm = maps[row];
        const bool input = row == 0;
        const std::string name = input ? std::string(tr(Str::label_input)) : lm.name;
        text_line(label_font, label_px, input ? pal.strong(Role::Input) : pal.strong(Role::Output),
                  name + " → " + shape_text(lm.shape));
        ImGui::PushID(int(row));
        float x = 0;
        for (size_t k = 0; k < lm.tiles.size(); ++k) {
            const FeatureTile& t = lm.tiles[k];
            ImVec2 box(tile, tile);
            if (t.vector)
                box = ImVec2(std::min(avail, std::max(tile, float(t.w) * 12.0f * ctx.scale)), tile * 0.4f);
            if (k > 0 && x + box.x > avail)
                x = 0;
            else if (k > 0)
                ImGui::SameLine(0, gap);
            ImGui::PushID(int(k));
            ImGui::BeginGroup();
            const bool selected = m_pick_layer == int(row) && m_pick_tile == int(k);
            const PathCounts* field = rf && int(row) <= rf_row && row < rf->size() ? &(*rf)[row] : nullptr;
            if (draw_tile(ctx, t, box, selected, input ? pal.strong(Role::Input) : pal.grid_line, field)) {
                m_pick_layer = int(row);
                m_pick_tile = int(k);
                m_pick_y = m_pick_x = -1;
            }
            std::string tip = t.vector ? name : trf(Str::net_channel_n, int(t.channel));
            if (size_t(t.channel) < lm.presets.size())
                for (const ChannelPreset& p : kPresets)
                    if (lm.presets[size_t(t.channel)] == p.id && *p.id)
                        tip = trf(Str::net_channel_kernel, int(t.channel), tr(p.label));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip.c_str());
            if (!t.vector) {
                // The channel number under its map.
                const ImVec2 at = ImGui::GetCursorScreenPos();
                text_centred(ImGui::GetWindowDrawList(), label_font, caption,
                             ImVec2(at.x + box.x * 0.5f, at.y + caption * 0.55f), pal.text_muted,
                             std::to_string(t.channel), box.x);
                ImGui::Dummy(ImVec2(box.x, caption));
            }
            ImGui::EndGroup();
            ImGui::PopID();
            x += box.x + gap;
        }
        if (lm.channels > int64_t(lm.tiles.size())) {
            ImGui::SameLine();
            ImGui::TextColored(
                ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s",
                trf(Str::net_more_channels, int(lm.channels - int64_t(lm.tiles.size()))).c_str());
        }
        ImGui::PopID();
    }
}

void NetworkView::draw_enlarged(ViewContext& ctx) {
    const Palette& pal = palette();
    // Blocked: the maps shown belong to a stack that is no longer there.
    if (m_model.blocked() != NetworkModel::Blocked::None) return;
    const auto& result = m_model.maps();
    const auto& rf = m_model.field();
    const int rf_row = m_model.field_row();
    if (!result || !result->ok() || m_pick_layer < 0) {
        ImGui::TextWrapped("%s", tr(Str::net_click_tile));
        return;
    }
    const auto& maps = result->value().maps;
    const LayerMaps& lm = maps[size_t(m_pick_layer)];
    if (m_pick_tile >= int(lm.tiles.size())) return;
    const FeatureTile& t = lm.tiles[size_t(m_pick_tile)];
    const std::string name = m_pick_layer == 0 ? std::string(tr(Str::label_input)) : lm.name;
    // The layer, the channel and its size, then the range on a line of its own so no number is split.
    const std::string info =
        t.vector ? trf(Str::net_vector_info, name.c_str(), int(t.full_w))
                 : trf(Str::net_tile_info, name.c_str(), int(t.channel), int(t.full_h), int(t.full_w));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(info.c_str());
    ImGui::PopTextWrapPos();
    ImGui::TextUnformatted(
        trf(Str::net_range, format_number(t.lo).c_str(), format_number(t.hi).c_str()).c_str());
    // The receptive field: what it is lit for, or why there is none.
    ImGui::PushTextWrapPos(0.0f);
    if (rf && rf_row > 0 && rf_row < int(maps.size()))
        ImGui::TextColored(
            ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
            trf(Str::net_rf_title, int(m_model.field_y()), int(m_model.field_x()),
                maps[size_t(rf_row)].name.c_str(), format_number(float(rf->front().max())).c_str())
                .c_str());
    else if (const auto& field_error = m_model.field_error())
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s",
                           trf(Str::net_rf_none, tr_error(*field_error).c_str()).c_str());
    else if (m_pick_layer > 0 && !t.vector)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s", tr(Str::net_rf_hint));
    ImGui::PopTextWrapPos();
    // The whole map in the image lab, as a grey picture (min–max normalized), to filter it further.
    if (!t.vector) {
        if (ImGui::SmallButton(tr(Str::net_open_image))) {
            auto map = m_model.channel_map(m_pick_layer, t.channel);
            auto img = map ? to_display(*map, DisplayMap::Normalize) : Result<Image>(map.err());
            if (img) {
                ctx.requests.open_in_image_lab(ImageRequest{
                    "layer" + std::to_string(m_pick_layer) + "-channel" + std::to_string(t.channel),
                    std::move(*img)});
            } else {
                ctx.notify(img.err());
            }
        }
    }
    // The step behind the picked element, in the stepper: conv and pool layers (the stepper's grids are
    // small).
    const bool steppable = m_pick_layer > 0 && !t.vector;
    if (steppable) {
        const int64_t fy = m_pick_y < 0 ? t.full_h / 2 : std::min(m_pick_y, t.full_h - 1),
                      fx = m_pick_x < 0 ? t.full_w / 2 : std::min(m_pick_x, t.full_w - 1);
        const MapsRun& run = result->value();
        const size_t layer = size_t(m_pick_layer - 1);
        if (ImGui::SmallButton(tr(Str::img_open_stepper))) {
            // The stepper's own limits: grids up to 24×24, kernels up to 7×7, 3 input channels.
            auto nb = layer_step(run.net.layers[layer], run.weights[layer], run.tensors[layer], t.channel, fy,
                                 fx, 1, 24, 7, 3);
            if (nb) {
                ctx.requests.open_in_stepper(StepperRequest{std::move(nb->problem), nb->window});
            } else {
                ctx.notify(nb.err());
            }
        }
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "(%d, %d)", int(fy), int(fx));
    }
    // As large as the space left allows: the column's width, the height that remains.
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const float side = std::max(32.0f * ctx.scale, std::min(room.x, t.vector ? room.x : room.y - 4.0f));
    const ImVec2 box = t.vector ? ImVec2(side, side * 0.25f) : ImVec2(side, side);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const PathCounts* field = rf && m_pick_layer < rf_row && size_t(m_pick_layer) < rf->size()
                                  ? &(*rf)[size_t(m_pick_layer)]
                                  : nullptr;
    const bool clicked = draw_tile(ctx, t, box, false, pal.strong(Role::Output), field);
    const CellGrid g = cell_grid(t, origin, box);
    if (ImGui::IsItemHovered() || clicked) {
        // The value under the mouse (of the cell shown: averaged when the map was shrunk for display).
        const ImVec2 m = ImGui::GetMousePos();
        const int64_t x = int64_t(std::floor((m.x - g.origin.x) / g.cw)),
                      y = int64_t(std::floor((m.y - g.origin.y) / g.ch));
        if (x >= 0 && x < t.w && y >= 0 && y < t.h) {
            ImGui::SetTooltip("(%d, %d) = %s", int(y * t.full_h / t.h), int(x * t.full_w / t.w),
                              format_number(t.cells[size_t(y * t.w + x)]).c_str());
            if (clicked) {
                m_pick_y = y * t.full_h / t.h;
                m_pick_x = x * t.full_w / t.w;
                // Its receptive field, counted in core, lit on every earlier map.
                if (m_pick_layer > 0) m_model.pick_field(m_pick_layer, m_pick_y, m_pick_x);
            }
        }
    }
    if (steppable) {
        // The picked element, outlined as the stepper's current window is.
        const int64_t fy = m_pick_y < 0 ? t.full_h / 2 : std::min(m_pick_y, t.full_h - 1),
                      fx = m_pick_x < 0 ? t.full_w / 2 : std::min(m_pick_x, t.full_w - 1);
        const float y = float(fy * t.h / t.full_h), x = float(fx * t.w / t.full_w);
        const ImVec2 a(g.origin.x + x * g.cw, g.origin.y + y * g.ch);
        ImGui::GetWindowDrawList()->AddRect(a, ImVec2(a.x + g.cw, a.y + g.ch), pal.strong(Role::Window), 0, 0,
                                            std::max(1.0f, 2.0f * ctx.scale));
    }
}

void NetworkView::draw_maps_tab(ViewContext& ctx) {
    const Palette& pal = palette();
    // Left: the input image and the weights, then the map picked, enlarged. Right: every layer's maps.
    const float canvas = std::floor(6.0f * ctx.scale) * kCanvasSide;
    const float left = std::max(canvas, 220.0f * ctx.scale) + ImGui::GetStyle().WindowPadding.x * 2;
    ImGui::BeginChild("##maps_input", ImVec2(left, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    const auto& photo = m_model.photo();
    int source = m_model.use_photo() ? 1 : 0;
    if (ImGui::RadioButton(tr(Str::net_source_drawing), &source, 0)) m_model.set_use_photo(false);
    ImGui::SameLine();
    ImGui::BeginDisabled(!photo);
    if (ImGui::RadioButton(tr(Str::net_source_photo), &source, 1)) m_model.set_use_photo(true);
    if (photo && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", photo->name.c_str());
    ImGui::EndDisabled();
    if (m_model.use_photo()) {
        // The photo in grey, where the drawing would be; the network sees it resized to its input.
        draw_tile(ctx, photo->preview, ImVec2(canvas, canvas), false, pal.strong(Role::Input));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", photo->name.c_str());
    } else {
        draw_canvas(ctx);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_draw_hint));
    }
    if (ImGui::Button(tr(Str::net_clear))) m_model.clear_canvas();
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_digit))) m_model.reset_digit();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.5f);
    int seed = m_model.seed();
    if (ImGui::InputInt("##seed", &seed)) m_model.set_seed(seed);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_seed));
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_new_weights))) m_model.set_seed(m_model.seed() + 1);
    ImGui::Separator();
    draw_enlarged(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##maps_layers", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    const auto& result = m_model.maps();
    if (m_model.blocked() != NetworkModel::Blocked::None) {
        const std::string why =
            m_model.blocked() == NetworkModel::Blocked::Invalid
                ? std::string(tr(Str::net_fix_first))
                : trf(Str::net_too_large, with_thousands(m_model.blocked_values()).c_str(),
                      with_thousands(m_model.check().total_macs).c_str());
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s", why.c_str());
        ImGui::PopTextWrapPos();
    } else if (result && !result->ok()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                           tr_error(result->err()).c_str());
        ImGui::PopTextWrapPos();
    } else {
        const std::string status =
            m_model.computing() ? std::string(tr(Str::net_computing))
                                : trf(Str::net_timing, std::string(fastest_cpu_backend().name()).c_str(),
                                      m_model.seconds() * 1000.0);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s", status.c_str());
        draw_tiles(ctx);
    }
    ImGui::EndChild();
}

}  // namespace convscope::ui::network
