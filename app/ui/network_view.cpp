// The network view: the lecture's small CNN (input 1×1×28×28, Conv2d(1,5,5), MaxPool2d(2)) as a stack to
// edit, a torchinfo-like table of every layer's output shape, parameters and multiply-accumulates (with
// PyTorch's refusals marked at their layer), the stack as PyTorch code both ways, and every channel of every
// layer run on a drawn digit or a photo. Core computes everything (core/network.hpp); the feature maps run on
// the fastest CPU backend in a LatestWorker, off the UI thread. A picked element of a conv or pool map opens
// in the stepper (core's layer_step, handed over through app/ui/handoff.hpp).
//
//   convscope gui --view network [PHOTO]     (the photo becomes the input; else the bundled camera.png)
//
// [SECTION] State: the stack, per-channel kernels, the drawing
// [SECTION] Feature maps: the job run off the UI thread
// [SECTION] The view class; submitting and taking results
// [SECTION] Stack editor (left)
// [SECTION] Table
// [SECTION] Feature maps tab: the canvas, the tiles, the enlarged map
// [SECTION] Code tab
// [SECTION] The view entry point
#include <imgui.h>
// imgui_stdlib.h needs imgui.h first.
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "app/ui/draw.hpp"
#include "app/ui/fonts.hpp"
#include "app/ui/handoff.hpp"
#include "app/ui/palette.hpp"
#include "app/ui/view.hpp"
#include "core/backend.hpp"
#include "core/image.hpp"
#include "core/network.hpp"
#include "core/trace.hpp"
#include "core/worker.hpp"

namespace convscope::ui {
namespace {

// [SECTION] State: the stack, per-channel kernels, the drawing

constexpr int kCanvas = 28;              // the drawing is MNIST's size
constexpr int kTilesPerLayer = 32;       // channels shown per layer; the rest are counted
constexpr int64_t kTileSide = 48;        // a map larger than this is averaged down for display
constexpr int64_t kMaxValues = 1 << 24;  // activations of the whole stack the view will run
constexpr int64_t kMaxMacs = 2'000'000'000;
constexpr int64_t kMaxEdit = 4096;  // largest number the editor's fields accept

// A preset kernel an output channel can take instead of its random weights.
struct ChannelPreset {
    const char* id;  // core/kernels.hpp name; "" for the seeded random weights
    Str label;
};
constexpr ChannelPreset kPresets[] = {
    {"", Str::net_random},           {"identity", Str::img_k_identity},
    {"box", Str::img_k_box},         {"gaussian", Str::img_k_gaussian},
    {"sharpen", Str::img_k_sharpen}, {"laplacian", Str::img_k_laplacian},
    {"sobel-x", Str::img_k_sobel_x}, {"sobel-y", Str::img_k_sobel_y},
    {"emboss", Str::img_k_emboss},   {"outline", Str::img_k_outline},
};

// One layer of the editor with what the view adds to it: the kernel chosen per output channel (Conv2d) and a
// stable id, so a layer keeps its random weights when others move.
struct LayerItem {
    Layer layer;
    std::vector<std::string> presets;  // per output channel; "" = seeded random
    uint32_t id = 0;
};

// A feature map made ready for display: at most kTileSide cells a side (averaged down), with the range of the
// full-size map.
struct Tile {
    int64_t channel = 0;
    int64_t h = 0, w = 0;            // cells shown
    int64_t full_h = 0, full_w = 0;  // the map's real size
    std::vector<float> cells;        // h × w, row-major; the full map when it is small enough
    float lo = 0, hi = 0;
    bool vector = false;  // a flattened row of values rather than a map
};

struct LayerMaps {
    std::string name;  // "Input" or "1 Conv2d(1, 5, 5)", fixed when the job was made
    Shape shape;
    int64_t channels = 0;              // of the whole layer; tiles holds the first kTilesPerLayer
    std::vector<std::string> presets;  // Conv2d: the preset kernel of each output channel ("" = random)
    std::vector<Tile> tiles;
};

// The 28×28 drawing as a digit 7 with soft edges, like MNIST's.
std::vector<float> sample_digit() {
    std::vector<float> px(kCanvas * kCanvas, 0.0f);
    auto stroke = [&](float x0, float y0, float x1, float y1) {
        const int steps = 40;
        for (int s = 0; s <= steps; ++s) {
            const float t = float(s) / steps, cx = x0 + (x1 - x0) * t, cy = y0 + (y1 - y0) * t;
            for (int y = 0; y < kCanvas; ++y)
                for (int x = 0; x < kCanvas; ++x) {
                    const float d = std::hypot(float(x) + 0.5f - cx, float(y) + 0.5f - cy);
                    const float v = std::clamp(1.6f - d, 0.0f, 1.0f);
                    px[size_t(y * kCanvas + x)] = std::max(px[size_t(y * kCanvas + x)], v);
                }
        }
    };
    stroke(7.0f, 7.5f, 21.0f, 7.5f);
    stroke(21.0f, 7.5f, 12.5f, 23.0f);
    stroke(11.0f, 15.0f, 19.0f, 15.0f);
    return px;
}

// "Conv2d(1, 5, 5)": the code without the nn. prefix, as the table lists it.
std::string layer_label(const Layer& L) {
    return to_pytorch(L).substr(3);
}

std::string shape_text(const Shape& s) {
    return s.empty() ? "—" : shape_to_string(s);
}

// [SECTION] Feature maps: the job run off the UI thread

// Weights for every layer: PyTorch's default initialisation from the seed and the layer's id (so a layer
// keeps its weights when others move), then the preset kernels chosen per output channel.
std::vector<LayerWeights> make_weights(const Network& net, const std::vector<LayerItem>& items,
                                       uint32_t seed) {
    std::vector<LayerWeights> weights(net.layers.size());
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& L = net.layers[i];
        weights[i] = random_layer_weights(L, seed * 2654435761u + items[i].id);
        if (L.kind != LayerKind::Conv2d) continue;
        for (int64_t o = 0; o < L.out && size_t(o) < items[i].presets.size(); ++o)
            if (!items[i].presets[size_t(o)].empty())
                (void)set_channel_preset(
                    L, weights[i], o,
                    items[i]
                        .presets[size_t(o)]);  // a preset this kernel cannot take keeps the random weights
    }
    return weights;
}

// Tiles of one tensor: each channel of the first sample as a map; a tensor of rank ≤ 2 as one row of values.
LayerMaps make_tiles(const Tensor& t, int64_t max_tiles = kTilesPerLayer) {
    LayerMaps maps;
    maps.shape = t.shape;
    const int r = t.rank();
    auto range = [](const float* p, int64_t n, Tile& tile) {
        tile.lo = n ? p[0] : 0.0f;
        tile.hi = tile.lo;
        for (int64_t i = 0; i < n; ++i) {
            tile.lo = std::min(tile.lo, p[i]);
            tile.hi = std::max(tile.hi, p[i]);
        }
    };
    if (r >= 3) {
        const int64_t C = t.shape[size_t(r - 3)], H = t.shape[size_t(r - 2)], W = t.shape[size_t(r - 1)];
        maps.channels = C;
        for (int64_t c = 0; c < std::min<int64_t>(C, max_tiles); ++c) {
            Tile tile;
            tile.channel = c;
            tile.full_h = H;
            tile.full_w = W;
            const float* plane = t.data.data() + c * H * W;
            range(plane, H * W, tile);
            Tensor full({H, W}, std::vector<float>(plane, plane + H * W));
            const double shrink = std::max(1.0, double(std::max(H, W)) / double(kTileSide));
            tile.h = std::max<int64_t>(1, int64_t(std::round(double(H) / shrink)));
            tile.w = std::max<int64_t>(1, int64_t(std::round(double(W) / shrink)));
            tile.cells =
                (tile.h == H && tile.w == W) ? std::move(full.data) : resize_area(full, tile.h, tile.w).data;
            maps.tiles.push_back(std::move(tile));
        }
        return maps;
    }
    // One row of values: the first sample's (the last dimension), averaged down to at most 8·kTileSide cells.
    const int64_t F = t.shape.back();
    Tile tile;
    tile.vector = true;
    tile.full_h = 1;
    tile.full_w = F;
    range(t.data.data(), F, tile);
    Tensor row({1, F}, std::vector<float>(t.data.begin(), t.data.begin() + F));
    tile.h = 1;
    tile.w = std::min<int64_t>(F, 8 * kTileSide);
    tile.cells = tile.w == F ? std::move(row.data) : resize_area(row, 1, tile.w).data;
    maps.channels = 1;
    maps.tiles.push_back(std::move(tile));
    return maps;
}

// What one run of the job gives: the tiles to draw, and what the stepper hand-off needs (the stack, its
// weights, every layer's input).
struct MapsRun {
    std::vector<LayerMaps> maps;  // [0] the input, [i] layer i's output
    Network net;
    std::vector<LayerWeights> weights;
    std::vector<Tensor> tensors;  // [0] the input, [i] layer i's output
};
using MapsResult = Result<MapsRun>;

// Where a tile's cells go in a box: square cells centred for a map, cells stretched to fill it for a row of
// values.
struct CellGrid {
    ImVec2 origin;
    float cw = 1, ch = 1;
};
CellGrid cell_grid(const Tile& t, ImVec2 at, ImVec2 box) {
    CellGrid g;
    if (t.vector) {
        g.cw = box.x / float(t.w);
        g.ch = box.y / float(t.h);
        g.origin = at;
        return g;
    }
    g.cw = g.ch = std::min(box.x / float(t.w), box.y / float(t.h));
    g.origin = ImVec2(at.x + (box.x - g.cw * float(t.w)) * 0.5f, at.y + (box.y - g.ch * float(t.h)) * 0.5f);
    return g;
}

// [SECTION] The view class; submitting and taking results

class NetworkView final : public View {
public:
    NetworkView() { load_lecture(); }

    std::string_view id() const override { return "network"; }
    Str title() const override { return Str::view_network; }

    void apply_options(const GuiOptions& o) override {
        // The photo: the one given on the command line, else the bundled sample.
        std::string path = o.image;
        if (path.empty()) {
            const std::string assets = find_assets_dir();
            if (!assets.empty()) path = assets + "/camera.png";
        }
        if (path.empty()) return;
        auto image = load_image(path);
        if (!image) {
            if (!o.image.empty()) m_message = trf(Str::net_photo_error, tr_error(image.err()).c_str());
            return;
        }
        int64_t factor = 1;
        const Image small = shrink_to_fit(*image, 512, factor);
        auto t = image_to_tensor(small, ColorMode::Color);
        if (!t) return;
        for (float& v : t->data) v /= 255.0f;
        m_photo = std::make_shared<const Tensor>(std::move(*t));
        const int64_t side = 96, ph = m_photo->dim(1), pw = m_photo->dim(2);
        const Shape preview{1, 1, std::max<int64_t>(1, ph * side / std::max(ph, pw)),
                            std::max<int64_t>(1, pw * side / std::max(ph, pw))};
        m_photo_preview = make_tiles(input_from_image(preview, *m_photo)).tiles[0];
        m_photo_name =
            path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
        if (!o.image.empty()) m_use_photo = true;
    }

    // A scripted run waits until the feature maps on screen are those of the stack shown.
    bool busy() const override { return m_worker.busy() || m_shown < m_submitted; }

    void draw_content(ViewContext& ctx) override;

    // Scenes: the input and the layer stack (core/lesson.cpp checked that every layer parses).
    bool load_scene(const Scene& scene) override {
        if (scene.view != SceneView::Network) return false;
        Network n;
        n.input = scene.network.input;
        for (const std::string& text : scene.network.layers)
            if (auto L = parse_layer(text)) n.layers.push_back(*L);
        set_network(n);
        m_scene = scene;
        return true;
    }
    std::optional<Scene> current_scene() const override {
        Scene s = m_scene ? *m_scene : Scene{};
        s.view = SceneView::Network;
        s.network.input = m_input;
        s.network.layers.clear();
        for (const LayerItem& it : m_items) s.network.layers.push_back(to_pytorch(it.layer));
        return s;
    }

private:
    std::optional<Scene> m_scene;  // the scene last loaded (caption, unknown fields)
    void load_lecture() {
        clear_field();
        m_items.clear();
        m_items.push_back(
            {Layer::conv2d(1, 5, 5), {"", "sobel-x", "sobel-y", "gaussian", "laplacian"}, next_id()});
        m_items.push_back({Layer::max_pool2d(2), {}, next_id()});
        m_input = {1, 1, 28, 28};
        m_selected = 0;
        m_dirty = true;
    }
    uint32_t next_id() { return ++m_last_id; }
    Network network() const {
        Network n;
        n.input = m_input;
        for (const LayerItem& it : m_items) n.layers.push_back(it.layer);
        return n;
    }
    void set_network(const Network& n) {
        clear_field();
        m_input = n.input;
        m_items.clear();
        for (const Layer& L : n.layers) m_items.push_back({L, {}, next_id()});
        m_selected = m_items.empty() ? -1 : 0;
        m_dirty = true;
    }

    void submit_if_needed();
    void take_results();
    void draw_stack_editor(ViewContext& ctx, const NetworkCheck& check);
    void draw_layer_list(ViewContext& ctx, const NetworkCheck& check);
    void draw_add_layer(const NetworkCheck& check);
    void draw_stacks_menu(ViewContext& ctx);
    void draw_layer_editor(ViewContext& ctx);
    void draw_kernel_choices(LayerItem& item);
    void draw_table(const NetworkCheck& check);
    void draw_maps_tab(ViewContext& ctx);
    void draw_canvas(ViewContext& ctx);
    void draw_tiles(ViewContext& ctx);
    bool draw_tile(ViewContext& ctx, const Tile& tile, ImVec2 box, bool selected, ImU32 frame,
                   const PathCounts* field = nullptr);
    void draw_enlarged(ViewContext& ctx);
    void draw_code_tab(ViewContext& ctx);

    // The stack.
    Shape m_input{1, 1, 28, 28};
    std::vector<LayerItem> m_items;
    uint32_t m_last_id = 0;
    int m_selected = 0;
    bool m_dirty = true;

    // The input image and the weights.
    std::vector<float> m_canvas = sample_digit();
    std::shared_ptr<const Tensor> m_photo;
    std::optional<Tile> m_photo_preview;
    std::string m_photo_name;
    bool m_use_photo = false;
    int m_seed = 1;

    // The feature maps.
    LatestWorker<MapsResult> m_worker;
    uint64_t m_submitted = 0, m_shown = 0;
    std::optional<MapsResult> m_maps;
    double m_seconds = 0.0;                 // how long the maps shown took to compute
    std::string m_blocked;                  // why nothing runs (an invalid stack, too large), or empty
    int64_t m_pick_y = -1, m_pick_x = -1;   // the picked element of the enlarged map (−1: its centre)
    int m_pick_layer = 1, m_pick_tile = 1;  // the enlarged map: row in m_maps (0 = input), tile index

    // The stacks replaced by a menu entry or pasted code, for Ctrl+Z.
    struct Snapshot {
        Shape input;
        std::vector<LayerItem> items;
    };
    std::vector<Snapshot> m_undo;
    void push_undo() {
        m_undo.push_back({m_input, m_items});
        if (m_undo.size() > 32) m_undo.erase(m_undo.begin());
    }
    void undo(ViewContext& ctx) {
        if (m_undo.empty()) return;
        m_input = m_undo.back().input;
        m_items = std::move(m_undo.back().items);
        m_undo.pop_back();
        m_selected = m_items.empty() ? -1 : 0;
        m_dirty = true;
        clear_field();
        ctx.notify(tr(Str::net_undone));
    }

    // The receptive field of the picked element: path counts per map, from core.
    std::optional<std::vector<PathCounts>> m_rf;
    std::string m_rf_error;
    int64_t m_rf_y = -1, m_rf_x = -1;
    int m_rf_layer = -1;  // the row of m_maps it belongs to
    void clear_field() {
        m_rf.reset();
        m_rf_error.clear();
        m_rf_layer = -1;
    }

    // The selected layer as code, edited in place.
    std::string m_edit_text, m_edit_error;
    uint32_t m_edit_id = 0;

    // The code tab.
    std::vector<SkippedLine> m_skipped;
    std::vector<std::string> m_notes;
    std::string m_paste =
        "input = torch.Tensor(1,1,28,28)\nconv1 = nn.Conv2d(1,5,5)\npool = nn.MaxPool2d(2)\n";
    std::string m_paste_error;
    std::string m_message;
};

void NetworkView::submit_if_needed() {
    if (!m_dirty) return;
    m_dirty = false;
    const Network net = network();
    const NetworkCheck check = check_network(net);
    m_blocked.clear();
    if (!check.ok()) {
        m_blocked = tr(Str::net_fix_first);
        return;
    }
    int64_t values = shape_numel(net.input);
    for (const LayerCheck& c : check.layers) values += std::max<int64_t>(0, shape_numel(c.output));
    if (values > kMaxValues || check.total_macs > kMaxMacs) {
        m_blocked =
            trf(Str::net_too_large, with_thousands(values).c_str(), with_thousands(check.total_macs).c_str());
        return;
    }
    std::shared_ptr<const Tensor> source = m_use_photo && m_photo ? m_photo : nullptr;
    if (!source) source = std::make_shared<const Tensor>(Shape{1, kCanvas, kCanvas}, m_canvas);
    const std::string input_name = tr(Str::label_input);
    m_submitted =
        m_worker.submit([net, items = m_items, seed = uint32_t(m_seed), source, input_name]() -> MapsResult {
            MapsRun run;
            run.net = net;
            run.weights = make_weights(net, items, seed);
            run.tensors.push_back(input_from_image(net.input, *source));
            auto outputs = run_network(net, run.weights, run.tensors[0], fastest_cpu_backend());
            if (!outputs) return outputs.err();
            // Deep stacks (AlexNet) show fewer channels per layer, so a frame stays cheap to draw.
            const int64_t tiles = net.layers.size() > 8 ? 8 : kTilesPerLayer;
            run.maps.push_back(make_tiles(run.tensors[0], tiles));
            run.maps[0].name = input_name;
            for (size_t i = 0; i < outputs->size(); ++i) {
                run.maps.push_back(make_tiles((*outputs)[i], tiles));
                run.maps.back().name = std::to_string(i + 1) + " " + layer_label(net.layers[i]);
                if (net.layers[i].kind == LayerKind::Conv2d) run.maps.back().presets = items[i].presets;
                run.tensors.push_back(std::move((*outputs)[i]));
            }
            return run;
        });
}

void NetworkView::take_results() {
    if (auto done = m_worker.take()) {
        m_shown = done->generation;
        m_maps = std::move(done->value);
        // Recompute the field for the stack just run (its shapes may have changed).
        if (m_rf_layer > 0 && m_maps->ok()) {
            const MapsRun& run = m_maps->value();
            if (m_rf_layer < int(run.maps.size())) {
                auto rf = receptive_field_paths(run.net, m_rf_layer - 1, m_rf_y, m_rf_x);
                if (rf)
                    m_rf = std::move(*rf);
                else
                    clear_field();
            } else {
                clear_field();
            }
        }
        m_seconds = done->seconds;
        if (m_maps->ok() && m_pick_layer >= int(m_maps->value().maps.size())) m_pick_layer = -1;
    }
}

// [SECTION] Stack editor (left)

// An int64 field clamped to [lo, kMaxEdit]; true when changed.
bool int_field(const char* label, int64_t& v, int64_t lo, float width) {
    ImGui::SetNextItemWidth(width);
    int64_t x = v;
    const int64_t step = 1;
    if (!ImGui::InputScalar(label, ImGuiDataType_S64, &x, &step)) return false;
    x = std::clamp(x, lo, kMaxEdit);
    if (x == v) return false;
    v = x;
    return true;
}

// A (height, width) pair of fields.
bool pair_field(const char* label, Pair& p, int64_t lo, float width) {
    ImGui::SetNextItemWidth(width);
    int64_t v[2] = {p.h, p.w};
    if (!ImGui::InputScalarN(label, ImGuiDataType_S64, v, 2)) return false;
    const Pair q(std::clamp(v[0], lo, kMaxEdit), std::clamp(v[1], lo, kMaxEdit));
    if (q == p) return false;
    p = q;
    return true;
}

void NetworkView::draw_stack_editor(ViewContext& ctx, const NetworkCheck& check) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    text_line(ctx.fonts.ui, ctx.fonts.ui_size * 1.15f, pal.strong(Role::Input), tr(Str::net_input_shape));
    // The input: one field per dimension (N, C, H, W for the usual 4-D input).
    {
        const int rank = int(m_input.size());
        int64_t v[4] = {};
        for (int k = 0; k < rank; ++k) v[k] = m_input[size_t(k)];
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 70.0f * s * float(rank)));
        if (ImGui::InputScalarN("##input", ImGuiDataType_S64, v, rank)) {
            for (int k = 0; k < rank; ++k) m_input[size_t(k)] = std::clamp<int64_t>(v[k], 1, kMaxEdit);
            m_dirty = true;
        }
        if (!check.input_error.empty())
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                               check.input_error.c_str());
    }
    ImGui::Spacing();
    text_line(ctx.fonts.ui, ctx.fonts.ui_size * 1.15f, pal.strong(Role::Kernel), tr(Str::net_layers));
    draw_layer_list(ctx, check);
    draw_add_layer(check);
    ImGui::SameLine();
    draw_stacks_menu(ctx);
    ImGui::BeginDisabled(m_undo.empty());
    if (ImGui::Button(tr(Str::net_undo))) undo(ctx);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Z");
    ImGui::EndDisabled();
    ImGui::Separator();
    draw_layer_editor(ctx);
}

void NetworkView::draw_layer_list(ViewContext& ctx, const NetworkCheck& check) {
    const Palette& pal = palette();
    if (m_items.empty()) {
        ImGui::TextWrapped("%s", tr(Str::net_no_layers));
        return;
    }
    const float button_w = ImGui::GetFrameHeight();
    const float buttons = 3 * button_w + 2 * ImGui::GetStyle().ItemSpacing.x;
    int move = 0, remove = -1, moved = -1;
    for (int i = 0; i < int(m_items.size()); ++i) {
        ImGui::PushID(i);
        const LayerCheck& c = check.layers[size_t(i)];
        const std::string label = std::to_string(i + 1) + "  " + layer_label(m_items[size_t(i)].layer);
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
        ImGui::BeginDisabled(i + 1 == int(m_items.size()));
        if (ImGui::Button("↓", ImVec2(button_w, 0))) move = 1, moved = i;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_move_down));
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("×", ImVec2(button_w, 0))) remove = i;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_remove));
        ImGui::PopID();
    }
    if (moved >= 0) {
        std::swap(m_items[size_t(moved)], m_items[size_t(moved + move)]);
        m_selected = moved + move;
        m_dirty = true;
    }
    if (remove >= 0) {
        m_items.erase(m_items.begin() + remove);
        m_selected = std::min(m_selected, int(m_items.size()) - 1);
        m_dirty = true;
    }
}

// The bundled stacks (core's bundled_stacks), one entry each; the stack they replace is kept for Ctrl+Z.
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
        push_undo();
        if (b.id == "lecture")
            load_lecture();  // with its preset kernels
        else
            set_network(b.net);
        ctx.notify(trf(Str::net_loaded, tr(name)));
    }
    ImGui::EndCombo();
}

void NetworkView::draw_add_layer(const NetworkCheck& check) {
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(tr(Str::net_add)).x + ImGui::GetFrameHeight() * 2);
    if (!ImGui::BeginCombo("##add", tr(Str::net_add))) return;
    for (LayerKind kind : kAllLayerKinds) {
        if (!ImGui::Selectable(std::string(to_string(kind)).c_str())) continue;
        // The new layer goes after the selected one and is made to fit the shape there.
        const int at = m_selected < 0 ? int(m_items.size()) : m_selected + 1;
        Shape shape = m_input;
        for (int i = 0; i < at && i < int(check.layers.size()); ++i)
            if (!check.layers[size_t(i)].output.empty()) shape = check.layers[size_t(i)].output;
        const int64_t channels = shape.size() >= 3 ? shape[shape.size() - 3] : 1;
        Layer L;
        switch (kind) {
            case LayerKind::Conv2d:
                L = Layer::conv2d(channels, std::max<int64_t>(4, channels), 3);
                break;
            case LayerKind::MaxPool2d:
                L = Layer::max_pool2d(2);
                break;
            case LayerKind::AvgPool2d:
                L = Layer::avg_pool2d(2);
                break;
            case LayerKind::ReLU:
                L = Layer::relu();
                break;
            case LayerKind::Flatten:
                L = Layer::flatten();
                break;
            case LayerKind::Linear:
                L = Layer::linear(shape.back(), 10);
                break;
            default:
                // PyTorch's defaults, fitted to the shape there.
                L = Layer::make(kind);
                if (kind == LayerKind::BatchNorm2d) L.in = channels;
                if (kind == LayerKind::ConvTranspose2d) {
                    L.in = L.out = channels;
                    L.kernel = L.stride = Pair(2);
                }
                if (kind == LayerKind::ZeroPad2d || kind == LayerKind::ConstantPad2d ||
                    kind == LayerKind::ReflectionPad2d || kind == LayerKind::ReplicationPad2d)
                    L.pad_left = L.pad_right = L.pad_top = L.pad_bottom = 1;
                if (kind == LayerKind::LocalResponseNorm) L.size = 5;
                if (kind == LayerKind::Softmax || kind == LayerKind::LogSoftmax) L.dim = 1;
                break;
        }
        m_items.insert(m_items.begin() + at, LayerItem{L, {}, next_id()});
        m_selected = at;
        m_dirty = true;
    }
    ImGui::EndCombo();
}

void NetworkView::draw_layer_editor(ViewContext& ctx) {
    if (m_selected < 0 || m_selected >= int(m_items.size())) return;
    LayerItem& item = m_items[size_t(m_selected)];
    Layer& L = item.layer;
    const Palette& pal = palette();
    text_line(ctx.fonts.ui, ctx.fonts.ui_size, pal.strong(Role::Kernel),
              trf(Str::net_selected, m_selected + 1, std::string(to_string(L.kind)).c_str()));
    const float one = 110.0f * ctx.scale, two = 160.0f * ctx.scale;
    bool changed = false;
    ImGui::PushID(int(item.id));
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
            ImGui::SetNextItemWidth(one);
            changed |= ImGui::InputScalar("start_dim", ImGuiDataType_S64, &L.start_dim);
            ImGui::SetNextItemWidth(one);
            changed |= ImGui::InputScalar("end_dim", ImGuiDataType_S64, &L.end_dim);
            L.start_dim = std::clamp<int64_t>(L.start_dim, -4, 3);
            L.end_dim = std::clamp<int64_t>(L.end_dim, -4, 3);
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
    // Every layer as its PyTorch code, edited in place (Enter applies; a refusal is shown, the layer kept).
    if (m_edit_id != item.id) m_edit_error.clear();
    if (m_edit_id != item.id || (!ImGui::IsAnyItemActive() && m_edit_error.empty())) {
        m_edit_text = layer_label(L);
        m_edit_id = item.id;
    }
    ImGui::TextUnformatted(tr(Str::net_as_code));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::InputText("##as_code", &m_edit_text, ImGuiInputTextFlags_EnterReturnsTrue)) {
        auto parsed = parse_layer(m_edit_text);
        if (parsed) {
            L = *parsed;
            m_edit_error.clear();
            changed = true;
        } else {
            m_edit_error = tr_error(parsed.err());
        }
    }
    if (!m_edit_error.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                           m_edit_error.c_str());
        ImGui::PopTextWrapPos();
    }
    if (L.kind == LayerKind::Conv2d) draw_kernel_choices(item);
    ImGui::PopID();
    if (changed) m_dirty = true;
}

void NetworkView::draw_kernel_choices(LayerItem& item) {
    const Layer& L = item.layer;
    if (L.out < 1) return;
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(Str::net_kernels));
    const int64_t shown = std::min<int64_t>(L.out, kTilesPerLayer);
    if (int64_t(item.presets.size()) < shown) item.presets.resize(size_t(shown));
    for (int64_t o = 0; o < shown; ++o) {
        ImGui::PushID(int(o));
        std::string& id = item.presets[size_t(o)];
        const ChannelPreset* current = &kPresets[0];
        for (const ChannelPreset& p : kPresets)
            if (id == p.id) current = &p;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 13);
        if (ImGui::BeginCombo(trf(Str::net_channel_n, int(o)).c_str(), tr(current->label))) {
            for (const ChannelPreset& p : kPresets)
                if (ImGui::Selectable(tr(p.label), current == &p)) {
                    id = p.id;
                    m_dirty = true;
                }
            ImGui::EndCombo();
        }
        ImGui::PopID();
    }
}

// [SECTION] Table

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

void NetworkView::draw_table(const NetworkCheck& check) {
    const Palette& pal = palette();
    const ImVec4 muted = ImGui::ColorConvertU32ToFloat4(pal.text_muted);
    const ImVec4 error = ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX;
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    int rows = 3 + int(m_items.size());
    for (const LayerCheck& c : check.layers) rows += c.ok() ? 0 : 2;
    const float height =
        std::min(row_h * float(rows) + row_h * 0.5f, ImGui::GetContentRegionAvail().y * 0.42f);
    if (!ImGui::BeginTable("##shapes", 8, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    std::optional<ReceptiveField> input_rf;
    if (m_input.size() == 3 || m_input.size() == 4) input_rf = ReceptiveField{};
    // The numbers never shrink (a cut shape would mislead); the layer column takes what is left.
    const Str heads[6] = {Str::net_col_shape, Str::net_col_params, Str::net_col_macs,
                          Str::net_col_rf,    Str::net_col_jump,   Str::net_col_start};
    float widths[6];
    for (int k = 0; k < 6; ++k) widths[k] = ImGui::CalcTextSize(tr(heads[k])).x;
    auto fit = [&](int col, const std::string& text) {
        widths[col] = std::max(widths[col], ImGui::CalcTextSize(text.c_str()).x);
    };
    fit(0, shape_text(m_input));
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
    for (const auto& item : m_items)
        layer_w = std::max(layer_w, ImGui::CalcTextSize(layer_label(item.layer).c_str()).x);
    const float air = ImGui::GetFontSize() * 1.2f;
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("000").x);
    ImGui::TableSetupColumn(tr(Str::net_col_layer), ImGuiTableColumnFlags_WidthFixed, layer_w + air);
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
    ImGui::TextUnformatted(shape_text(m_input).c_str());
    ImGui::TableNextColumn();
    right("--");
    ImGui::TableNextColumn();
    right("--");
    field(input_rf);
    for (size_t i = 0; i < m_items.size(); ++i) {
        const LayerCheck& c = check.layers[i];
        const Layer& L = m_items[i].layer;
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
            // The refusal, in its own row under the layer, wrapped in the layer column's width and beyond.
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(error, "!");
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, error);
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextUnformatted(trf(Str::net_refused, tr_error(c.reason).c_str()).c_str());
            ImGui::PopTextWrapPos();
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
        const SizeEstimate e = estimate_sizes(network(), check);
        ImGui::TextColored(
            muted, "%s",
            trf(Str::net_sizes, e.input_mb, e.forward_backward_mb, e.params_mb, e.total_mb).c_str());
    }
    ImGui::PopTextWrapPos();
}

// [SECTION] Feature maps tab: the canvas, the tiles, the enlarged map

void NetworkView::draw_canvas(ViewContext& ctx) {
    const Palette& pal = palette();
    const float cell = std::floor(6.0f * ctx.scale);
    const ImVec2 size(cell * kCanvas, cell * kCanvas);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##canvas", size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool paint = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left);
    const bool erase = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Right);
    if (paint || erase) {
        // A soft round brush, as a pen on MNIST's digits.
        const ImVec2 m = ImGui::GetMousePos();
        const float cx = (m.x - origin.x) / cell, cy = (m.y - origin.y) / cell;
        bool any = false;
        for (int y = 0; y < kCanvas; ++y)
            for (int x = 0; x < kCanvas; ++x) {
                const float d = std::hypot(float(x) + 0.5f - cx, float(y) + 0.5f - cy);
                float& v = m_canvas[size_t(y * kCanvas + x)];
                const float nv =
                    erase ? (d < 2.0f ? 0.0f : v) : std::max(v, std::clamp(1.7f - d, 0.0f, 1.0f));
                if (nv != v) v = nv, any = true;
            }
        if (any && !m_use_photo) m_dirty = true;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int y = 0; y < kCanvas; ++y)
        for (int x = 0; x < kCanvas; ++x) {
            const int g = int(std::lround(m_canvas[size_t(y * kCanvas + x)] * 255.0f));
            const ImVec2 a(origin.x + float(x) * cell, origin.y + float(y) * cell);
            dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(g, g, g, 255));
        }
    dl->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), pal.strong(Role::Input), 0, 0,
                std::max(1.0f, 2.0f * ctx.scale));
}

// The receptive field over a drawn map: each shown cell tinted by the most paths any of its pixels has (a map
// shrunk for display covers several pixels per cell), from faint (one path) to strong (the most), and the
// field's bounding box outlined.
void draw_field(const Tile& tile, const CellGrid& g, const PathCounts& field) {
    const double top = field.max();
    if (!(top > 0) || field.rows.size() != size_t(tile.full_h) || field.cols.size() != size_t(tile.full_w))
        return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 strong = palette().strong(Role::Window);
    auto span_max = [](const std::vector<double>& v, int64_t i, int64_t n, int64_t full) {
        double m = 0;
        for (int64_t k = i * full / n; k < std::max(i * full / n + 1, (i + 1) * full / n); ++k)
            m = std::max(m, v[size_t(std::min(k, full - 1))]);
        return m;
    };
    std::vector<double> rows(size_t(tile.h)), cols(size_t(tile.w));
    for (int64_t y = 0; y < tile.h; ++y) rows[size_t(y)] = span_max(field.rows, y, tile.h, tile.full_h);
    for (int64_t x = 0; x < tile.w; ++x) cols[size_t(x)] = span_max(field.cols, x, tile.w, tile.full_w);
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

// Draws one map fitted in `box` at the cursor; true when clicked.
bool NetworkView::draw_tile(ViewContext& ctx, const Tile& tile, ImVec2 box, bool selected, ImU32 frame,
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

void NetworkView::draw_tiles(ViewContext& ctx) {
    const Palette& pal = palette();
    if (!m_maps || !m_maps->ok()) return;
    const auto& maps = m_maps->value().maps;
    const float gap = ImGui::GetStyle().ItemSpacing.x * 0.6f;
    const float avail = ImGui::GetContentRegionAvail().x;
    // One size for every tile, as large as lets the widest layer fit on one line (within bounds).
    size_t widest = 1;
    for (const LayerMaps& lm : maps)
        if (!lm.tiles.empty() && !lm.tiles[0].vector) widest = std::max(widest, lm.tiles.size());
    const float tile = std::floor(
        std::clamp((avail - gap * float(widest)) / float(widest), 56.0f * ctx.scale, 120.0f * ctx.scale));
    const float caption = ctx.fonts.ui_size * 0.8f;
    for (size_t row = 0; row < maps.size(); ++row) {
        const LayerMaps& lm = maps[row];
        const bool input = row == 0;
        text_line(ctx.fonts.ui, ctx.fonts.ui_size, input ? pal.strong(Role::Input) : pal.strong(Role::Output),
                  lm.name + " → " + shape_text(lm.shape));
        ImGui::PushID(int(row));
        float x = 0;
        for (size_t k = 0; k < lm.tiles.size(); ++k) {
            const Tile& t = lm.tiles[k];
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
            const PathCounts* field =
                m_rf && int(row) <= m_rf_layer && row < m_rf->size() ? &(*m_rf)[row] : nullptr;
            if (draw_tile(ctx, t, box, selected, input ? pal.strong(Role::Input) : pal.grid_line, field)) {
                m_pick_layer = int(row);
                m_pick_tile = int(k);
                m_pick_y = m_pick_x = -1;
            }
            std::string tip = t.vector ? lm.name : trf(Str::net_channel_n, int(t.channel));
            if (size_t(t.channel) < lm.presets.size())
                for (const ChannelPreset& p : kPresets)
                    if (lm.presets[size_t(t.channel)] == p.id && *p.id)
                        tip = trf(Str::net_channel_kernel, int(t.channel), tr(p.label));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip.c_str());
            if (!t.vector) {
                // The channel number under its map.
                const ImVec2 at = ImGui::GetCursorScreenPos();
                text_centred(ImGui::GetWindowDrawList(), ctx.fonts.ui, caption,
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
    if (!m_blocked.empty()) return;  // the maps shown belong to a stack that is no longer there
    if (!m_maps || !m_maps->ok() || m_pick_layer < 0) {
        ImGui::TextWrapped("%s", tr(Str::net_click_tile));
        return;
    }
    const auto& maps = m_maps->value().maps;
    const LayerMaps& lm = maps[size_t(m_pick_layer)];
    if (m_pick_tile >= int(lm.tiles.size())) return;
    const Tile& t = lm.tiles[size_t(m_pick_tile)];
    const std::string& name = lm.name;
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
    if (m_rf && m_rf_layer > 0 && m_rf_layer < int(maps.size()))
        ImGui::TextColored(
            ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
            trf(Str::net_rf_title, int(m_rf_y), int(m_rf_x), maps[size_t(m_rf_layer)].name.c_str(),
                format_number(float(m_rf->front().max())).c_str())
                .c_str());
    else if (!m_rf_error.empty())
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s",
                           trf(Str::net_rf_none, m_rf_error.c_str()).c_str());
    else if (m_pick_layer > 0 && !t.vector)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s", tr(Str::net_rf_hint));
    ImGui::PopTextWrapPos();
    // The whole map in the image lab, as a grey picture (min–max normalized), to filter it further.
    if (!t.vector) {
        if (ImGui::SmallButton(tr(Str::net_open_image))) {
            const Tensor& y = m_maps->value().tensors[size_t(m_pick_layer)];
            const int64_t plane = t.full_h * t.full_w;
            Tensor map({1, t.full_h, t.full_w}, std::vector<float>(y.data.begin() + t.channel * plane,
                                                                   y.data.begin() + (t.channel + 1) * plane));
            if (auto img = to_display(map, DisplayMap::Normalize)) {
                ctx.requests.open_in_image_lab(ImageRequest{
                    "layer" + std::to_string(m_pick_layer) + "-channel" + std::to_string(t.channel),
                    std::move(*img)});
            } else {
                ctx.notify(tr_error(img.err()));
            }
        }
    }
    // The step behind the picked element, in the stepper: conv and pool layers (the stepper's grids are
    // small).
    const bool steppable = m_pick_layer > 0 && !t.vector;
    if (steppable) {
        const int64_t fy = m_pick_y < 0 ? t.full_h / 2 : std::min(m_pick_y, t.full_h - 1),
                      fx = m_pick_x < 0 ? t.full_w / 2 : std::min(m_pick_x, t.full_w - 1);
        const MapsRun& run = m_maps->value();
        const size_t layer = size_t(m_pick_layer - 1);
        if (ImGui::SmallButton(tr(Str::img_open_stepper))) {
            // The stepper's own limits: grids up to 24×24, kernels up to 7×7, 3 input channels.
            auto nb = layer_step(run.net.layers[layer], run.weights[layer], run.tensors[layer], t.channel, fy,
                                 fx, 1, 24, 7, 3);
            if (nb) {
                ctx.requests.open_in_stepper(StepperRequest{std::move(nb->problem), nb->window});
            } else {
                ctx.notify(tr_error(nb.err()));
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
    const PathCounts* field = m_rf && m_pick_layer < m_rf_layer && size_t(m_pick_layer) < m_rf->size()
                                  ? &(*m_rf)[size_t(m_pick_layer)]
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
                if (m_pick_layer > 0) {
                    const MapsRun& run = m_maps->value();
                    auto rf = receptive_field_paths(run.net, m_pick_layer - 1, m_pick_y, m_pick_x);
                    m_rf_y = m_pick_y;
                    m_rf_x = m_pick_x;
                    if (rf) {
                        m_rf = std::move(*rf);
                        m_rf_layer = m_pick_layer;
                        m_rf_error.clear();
                    } else {
                        m_rf.reset();
                        m_rf_layer = -1;
                        m_rf_error = tr_error(rf.err());
                    }
                }
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
    const float canvas = std::floor(6.0f * ctx.scale) * kCanvas;
    const float left = std::max(canvas, 220.0f * ctx.scale) + ImGui::GetStyle().WindowPadding.x * 2;
    ImGui::BeginChild("##maps_input", ImVec2(left, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    int source = m_use_photo ? 1 : 0;
    if (ImGui::RadioButton(tr(Str::net_source_drawing), &source, 0)) m_use_photo = false, m_dirty = true;
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_photo);
    if (ImGui::RadioButton(tr(Str::net_source_photo), &source, 1)) m_use_photo = true, m_dirty = true;
    if (m_photo && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", m_photo_name.c_str());
    ImGui::EndDisabled();
    if (m_use_photo && m_photo_preview) {
        // The photo in grey, where the drawing would be; the network sees it resized to its input.
        draw_tile(ctx, *m_photo_preview, ImVec2(canvas, canvas), false, pal.strong(Role::Input));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m_photo_name.c_str());
    } else {
        draw_canvas(ctx);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_draw_hint));
    }
    if (ImGui::Button(tr(Str::net_clear))) {
        std::fill(m_canvas.begin(), m_canvas.end(), 0.0f);
        m_use_photo = false;
        m_dirty = true;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_digit))) {
        m_canvas = sample_digit();
        m_use_photo = false;
        m_dirty = true;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.5f);
    if (ImGui::InputInt("##seed", &m_seed)) m_dirty = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::net_seed));
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_new_weights))) {
        ++m_seed;
        m_dirty = true;
    }
    ImGui::Separator();
    draw_enlarged(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##maps_layers", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    if (!m_blocked.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s", m_blocked.c_str());
        ImGui::PopTextWrapPos();
    } else if (m_maps && !m_maps->ok()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)), "%s",
                           m_maps->error().c_str());
        ImGui::PopTextWrapPos();
    } else {
        const std::string status =
            m_shown < m_submitted
                ? std::string(tr(Str::net_computing))
                : trf(Str::net_timing, std::string(fastest_cpu_backend().name()).c_str(), m_seconds * 1000.0);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.text_muted), "%s", status.c_str());
        draw_tiles(ctx);
    }
    ImGui::EndChild();
}

// [SECTION] Code tab

void NetworkView::draw_code_tab(ViewContext& ctx) {
    const Palette& pal = palette();
    std::string code = to_pytorch_code(network());
    const float half = ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
    const bool report = !m_notes.empty() || !m_skipped.empty();
    const float full = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 2;
    // The paste box gives room to the import's report under it; the exported code keeps the full height.
    const float height =
        report ? ImGui::GetContentRegionAvail().y * 0.55f - ImGui::GetFrameHeightWithSpacing() * 2 : full;
    ImGui::BeginGroup();
    if (ImGui::Button(tr(Str::net_copy))) {
        ImGui::SetClipboardText(code.c_str());
        ctx.notify(tr(Str::net_copied));
    }
    ImGui::InputTextMultiline("##code", &code, ImVec2(half, std::max(full, 120.0f * ctx.scale)),
                              ImGuiInputTextFlags_ReadOnly);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr(Str::net_paste_title));
    ImGui::InputTextMultiline(
        "##paste", &m_paste,
        ImVec2(half, std::max(height - ImGui::GetFrameHeightWithSpacing() * 2, 80.0f * ctx.scale)));
    if (ImGui::Button(tr(Str::net_paste_clip))) {
        const char* clip = ImGui::GetClipboardText();
        if (clip) m_paste = clip;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::net_build))) {
        // No fallback shape: the code's own input, else one made for its first layer (AlexNet's 3×224×224).
        auto imported = import_pytorch_code(m_paste);
        if (imported) {
            push_undo();
            set_network(imported->net);
            m_paste_error.clear();
            m_skipped = imported->skipped;
            m_notes = imported->notes;
            ctx.notify(trf(Str::net_built, int(imported->net.layers.size())));
        } else {
            m_paste_error = trf(Str::net_code_error, tr_error(imported.err()).c_str());
            m_skipped.clear();
            m_notes.clear();
        }
    }
    if (!m_paste_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.strong(Role::Window)));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(m_paste_error.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    // Every line that gave no layer is listed, and what the import assumed.
    if (!m_notes.empty() || !m_skipped.empty()) {
        ImGui::BeginChild("##import_report", ImVec2(half, 0), true);
        const ImVec4 muted = ImGui::ColorConvertU32ToFloat4(pal.text_muted);
        ImGui::PushTextWrapPos(0.0f);
        if (!m_notes.empty()) {
            ImGui::TextUnformatted(tr(Str::net_notes));
            for (const std::string& n : m_notes) ImGui::TextWrapped("· %s", n.c_str());
        }
        if (!m_skipped.empty() && ImGui::TreeNodeEx("##skipped", ImGuiTreeNodeFlags_DefaultOpen, "%s",
                                                    trf(Str::net_skipped, int(m_skipped.size())).c_str())) {
            for (const SkippedLine& k : m_skipped)
                ImGui::TextColored(muted, "%4d  %s", int(k.line), k.text.c_str());
            ImGui::TreePop();
        }
        ImGui::PopTextWrapPos();
        ImGui::EndChild();
    }
    ImGui::EndGroup();
}

// [SECTION] The view entry point

void NetworkView::draw_content(ViewContext& ctx) {
    if (!m_message.empty()) {
        ctx.notify(m_message);
        m_message.clear();
    }
    take_results();
    // Ctrl+Z brings back the stack a menu entry or pasted code replaced (text fields keep their own undo).
    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && !io.WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z), false))
        undo(ctx);
    const NetworkCheck check = check_network(network());
    const float left_w = std::max(ImGui::GetContentRegionAvail().x * 0.27f, 300.0f * ctx.scale);
    ImGui::BeginChild("##stack", ImVec2(std::min(left_w, ImGui::GetContentRegionAvail().x * 0.45f), 0), true,
                      ImGuiWindowFlags_HorizontalScrollbar);
    draw_stack_editor(ctx, check);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##right", ImVec2(0, 0), false);
    const NetworkCheck after = check_network(network());  // the editor may have changed the stack this frame
    draw_table(after);
    if (ImGui::BeginTabBar("##network_tabs")) {
        if (ImGui::BeginTabItem(tr(Str::net_tab_maps))) {
            ImGui::BeginChild("##maps", ImVec2(0, 0), false);
            draw_maps_tab(ctx);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr(Str::net_tab_code))) {
            draw_code_tab(ctx);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    submit_if_needed();
}

}  // namespace

std::unique_ptr<View> make_network_view() {
    return std::make_unique<NetworkView>();
}

}  // namespace convscope::ui
