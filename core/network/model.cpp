// NetworkModel (core/network/model.hpp).
//
// [SECTION] The stack
// [SECTION] Tiles, weights, the drawing, the photo
// [SECTION] The model: edits and undo
// [SECTION] The model: input, runs, receptive fields
#include "core/network/model.hpp"

#include <algorithm>
#include <cmath>

#include "core/engine/backend.hpp"
#include "core/io/image.hpp"

namespace convscope {

// [SECTION] The stack

Network NetworkStack::network() const {
    Network n;
    n.input = input;
    n.layers.reserve(layers.size());
    for (const StackLayer& s : layers) n.layers.push_back(s.layer);
    return n;
}

NetworkStack NetworkStack::from(const Network& net) {
    NetworkStack s;
    s.input = net.input;
    for (const Layer& L : net.layers) s.layers.push_back({L, {}});
    return s;
}

NetworkStack NetworkStack::lecture() {
    NetworkStack s;
    s.input = {1, 1, 28, 28};
    s.layers.push_back({Layer::conv2d(1, 5, 5), {"", "sobel-x", "sobel-y", "gaussian", "laplacian"}});
    s.layers.push_back({Layer::max_pool2d(2), {}});
    return s;
}

Layer suggested_layer(LayerKind kind, const Shape& shape) {
    const int64_t channels = shape.size() >= 3 ? shape[shape.size() - 3] : 1;
    const int64_t last = shape.empty() ? 1 : shape.back();
    switch (kind) {
        case LayerKind::Conv2d:
            return Layer::conv2d(channels, std::max<int64_t>(4, channels), 3);
        case LayerKind::MaxPool2d:
            return Layer::max_pool2d(2);
        case LayerKind::AvgPool2d:
            return Layer::avg_pool2d(2);
        case LayerKind::ReLU:
            return Layer::relu();
        case LayerKind::Flatten:
            return Layer::flatten();
        case LayerKind::Linear:
            return Layer::linear(last, 10);
        default:
            break;
    }
    // PyTorch's defaults, fitted to the shape there.
    Layer L = Layer::make(kind);
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
    return L;
}

// [SECTION] Tiles, weights, the drawing, the photo

namespace {

void value_range(const float* p, int64_t n, FeatureTile& tile) {
    tile.lo = n ? p[0] : 0.0f;
    tile.hi = tile.lo;
    for (int64_t i = 0; i < n; ++i) {
        tile.lo = std::min(tile.lo, p[i]);
        tile.hi = std::max(tile.hi, p[i]);
    }
}

}  // namespace

LayerMaps make_tiles(const Tensor& t, int64_t max_tiles) {
    LayerMaps maps;
    maps.shape = t.shape;
    const int r = t.rank();
    if (r == 0 || t.data.empty()) return maps;
    if (r >= 3) {
        const int64_t C = t.shape[size_t(r - 3)], H = t.shape[size_t(r - 2)], W = t.shape[size_t(r - 1)];
        maps.channels = C;
        for (int64_t c = 0; c < std::min<int64_t>(C, max_tiles); ++c) {
            FeatureTile tile;
            tile.channel = c;
            tile.full_h = H;
            tile.full_w = W;
            const float* plane = t.data.data() + c * H * W;
            value_range(plane, H * W, tile);
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
    // One row of values: the first sample's (the last dimension).
    const int64_t F = t.shape.back();
    FeatureTile tile;
    tile.vector = true;
    tile.full_h = 1;
    tile.full_w = F;
    value_range(t.data.data(), F, tile);
    Tensor row({1, F}, std::vector<float>(t.data.begin(), t.data.begin() + F));
    tile.h = 1;
    tile.w = std::min<int64_t>(F, 8 * kTileSide);
    tile.cells = tile.w == F ? std::move(row.data) : resize_area(row, 1, tile.w).data;
    maps.channels = 1;
    maps.tiles.push_back(std::move(tile));
    return maps;
}

TileField tile_field(const FeatureTile& tile, const PathCounts& field) {
    TileField f;
    if (tile.vector || field.rows.size() != size_t(tile.full_h) || field.cols.size() != size_t(tile.full_w) ||
        tile.h < 1 || tile.w < 1)
        return f;
    f.top = field.max();
    auto span_max = [](const std::vector<double>& v, int64_t i, int64_t n, int64_t full) {
        double m = 0;
        for (int64_t k = i * full / n; k < std::max(i * full / n + 1, (i + 1) * full / n); ++k)
            m = std::max(m, v[size_t(std::min(k, full - 1))]);
        return m;
    };
    f.rows.resize(size_t(tile.h));
    f.cols.resize(size_t(tile.w));
    for (int64_t y = 0; y < tile.h; ++y) f.rows[size_t(y)] = span_max(field.rows, y, tile.h, tile.full_h);
    for (int64_t x = 0; x < tile.w; ++x) f.cols[size_t(x)] = span_max(field.cols, x, tile.w, tile.full_w);
    return f;
}

std::vector<LayerWeights> stack_weights(const NetworkStack& stack, uint32_t seed) {
    const Network net = stack.network();
    std::vector<LayerWeights> weights = random_weights(net, seed);
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& L = net.layers[i];
        if (L.kind != LayerKind::Conv2d) continue;
        const auto& presets = stack.layers[i].presets;
        for (int64_t o = 0; o < L.out && size_t(o) < presets.size(); ++o)
            if (!presets[size_t(o)].empty())
                (void)set_channel_preset(L, weights[i], o, presets[size_t(o)]);  // unfit: the random ones
    }
    return weights;
}

std::vector<float> sample_digit() {
    constexpr int n = kCanvasSide;
    std::vector<float> px(n * n, 0.0f);
    auto stroke = [&](float x0, float y0, float x1, float y1) {
        const int steps = 40;
        for (int s = 0; s <= steps; ++s) {
            const float t = float(s) / steps, cx = x0 + (x1 - x0) * t, cy = y0 + (y1 - y0) * t;
            for (int y = 0; y < n; ++y)
                for (int x = 0; x < n; ++x) {
                    const float d = std::hypot(float(x) + 0.5f - cx, float(y) + 0.5f - cy);
                    const float v = std::clamp(1.6f - d, 0.0f, 1.0f);
                    px[size_t(y * n + x)] = std::max(px[size_t(y * n + x)], v);
                }
        }
    };
    stroke(7.0f, 7.5f, 21.0f, 7.5f);
    stroke(21.0f, 7.5f, 12.5f, 23.0f);
    stroke(11.0f, 15.0f, 19.0f, 15.0f);
    return px;
}

Result<NetworkPhoto> load_network_photo(const std::string& path) {
    auto image = load_image(path);
    if (!image) return image.err();
    int64_t factor = 1;
    const Image small = shrink_to_fit(*image, 512, factor);
    auto t = image_to_tensor(small, ColorMode::Color);
    if (!t) return t.err();
    for (float& v : t->data) v /= 255.0f;
    NetworkPhoto photo;
    photo.picture = std::make_shared<const Tensor>(std::move(*t));
    const int64_t side = 96, ph = photo.picture->dim(1), pw = photo.picture->dim(2);
    const Shape preview{1, 1, std::max<int64_t>(1, ph * side / std::max(ph, pw)),
                        std::max<int64_t>(1, pw * side / std::max(ph, pw))};
    photo.preview = make_tiles(input_from_image(preview, *photo.picture)).tiles.at(0);
    const size_t slash = path.find_last_of('/');
    photo.name = slash == std::string::npos ? path : path.substr(slash + 1);
    return photo;
}

// [SECTION] The model: edits and undo

NetworkModel::NetworkModel() : m_stack(NetworkStack::lecture()) {
    m_undo.reset(m_stack);
    changed();
}

const std::string& NetworkModel::code() const {
    if (!m_code) m_code = to_pytorch_code(network());
    return *m_code;
}

Shape NetworkModel::shape_at(int at) const {
    Shape shape = m_stack.input;
    for (int i = 0; i < at && i < int(m_check.layers.size()); ++i)
        if (!m_check.layers[size_t(i)].output.empty()) shape = m_check.layers[size_t(i)].output;
    return shape;
}

void NetworkModel::changed() {
    const Network net = network();
    m_check = check_network(net);
    m_sizes = m_check.input_error.empty() ? estimate_sizes(net, m_check) : SizeEstimate{};
    m_code.reset();
    m_dirty = true;
}

void NetworkModel::commit() {
    m_open = false;
    if (m_undo.current() && *m_undo.current() == m_stack) return;  // typed, then typed back
    m_undo.commit(m_stack);
    ++m_edits;
}

void NetworkModel::settle() {
    if (m_open) commit();
}

bool NetworkModel::can_undo() const {
    return m_undo.can_undo() || (m_open && m_undo.current() && !(*m_undo.current() == m_stack));
}

bool NetworkModel::restore(std::optional<NetworkStack> s) {
    if (!s) return false;
    m_stack = std::move(*s);
    ++m_edits;
    changed();
    clear_field();
    return true;
}

bool NetworkModel::undo() {
    settle();
    return restore(m_undo.undo());
}

bool NetworkModel::redo() {
    settle();
    return restore(m_undo.redo());
}

void NetworkModel::reset(NetworkStack stack) {
    m_stack = std::move(stack);
    m_undo.reset(m_stack);
    m_open = false;
    m_skipped.clear();
    m_notes.clear();
    m_paste_error.reset();
    changed();
    clear_field();
}

namespace {

bool valid_index(const NetworkStack& s, int i) {
    return i >= 0 && i < int(s.layers.size());
}

}  // namespace

Status NetworkModel::apply(const NetworkEdit& edit, bool settled) {
    namespace ne = network_edit;
    NetworkStack next = m_stack;
    if (const auto* e = std::get_if<ne::SetInput>(&edit)) {
        if (e->input.empty() || e->input.size() > 4) return fail<ErrCode::model_input_rank>();
        next.input = e->input;
        for (int64_t& d : next.input) d = std::clamp<int64_t>(d, 1, kMaxEditValue);
    } else if (const auto* e = std::get_if<ne::AddLayer>(&edit)) {
        const int at = e->at < 0 || e->at > int(next.layers.size()) ? int(next.layers.size()) : e->at;
        next.layers.insert(next.layers.begin() + at, StackLayer{suggested_layer(e->kind, shape_at(at)), {}});
    } else if (const auto* e = std::get_if<ne::RemoveLayer>(&edit)) {
        if (!valid_index(next, e->index)) return fail<ErrCode::model_no_layer>(e->index + 1);
        next.layers.erase(next.layers.begin() + e->index);
    } else if (const auto* e = std::get_if<ne::MoveLayer>(&edit)) {
        const int to = e->index + (e->by < 0 ? -1 : 1);
        if (!valid_index(next, e->index) || !valid_index(next, to))
            return fail<ErrCode::model_cannot_move>(e->index + 1);
        std::swap(next.layers[size_t(e->index)], next.layers[size_t(to)]);
    } else if (const auto* e = std::get_if<ne::SetLayer>(&edit)) {
        if (!valid_index(next, e->index)) return fail<ErrCode::model_no_layer>(e->index + 1);
        StackLayer& s = next.layers[size_t(e->index)];
        if (s.layer.kind != e->layer.kind) s.presets.clear();  // kernels of another kind of layer
        s.layer = e->layer;
    } else if (const auto* e = std::get_if<ne::SetPreset>(&edit)) {
        if (!valid_index(next, e->index)) return fail<ErrCode::model_no_layer>(e->index + 1);
        StackLayer& s = next.layers[size_t(e->index)];
        if (s.layer.kind != LayerKind::Conv2d || e->channel < 0 || e->channel >= s.layer.out ||
            e->channel >= kTilesPerLayer)
            return fail<ErrCode::model_no_channel>(e->index + 1, e->channel);
        if (int64_t(s.presets.size()) <= e->channel) s.presets.resize(size_t(e->channel + 1));
        s.presets[size_t(e->channel)] = e->preset;
    } else if (const auto* e = std::get_if<ne::LoadBundled>(&edit)) {
        if (e->id == "lecture") {
            next = NetworkStack::lecture();  // with its preset kernels
        } else {
            const BundledStack* found = nullptr;
            for (const BundledStack& b : bundled_stacks())
                if (b.id == e->id) found = &b;
            if (!found) return fail<ErrCode::model_no_bundled>(e->id);
            next = NetworkStack::from(found->net);
        }
    } else if (const auto* e = std::get_if<ne::PasteCode>(&edit)) {
        // No fallback shape: the code's own input, else one made for its first layer (AlexNet's 3×224×224).
        auto imported = import_pytorch_code(e->code);
        if (!imported) {
            m_skipped.clear();
            m_notes.clear();
            m_paste_error = imported.err();
            return imported.err();
        }
        m_paste_error.reset();
        next = NetworkStack::from(imported->net);
        m_skipped = std::move(imported->skipped);
        m_notes = std::move(imported->notes);
    } else if (const auto* e = std::get_if<ne::ReplaceStack>(&edit)) {
        next = e->stack;
    }
    if (next == m_stack) {
        if (settled) settle();
        return {};
    }
    const bool replaced = std::holds_alternative<ne::LoadBundled>(edit) ||
                          std::holds_alternative<ne::PasteCode>(edit) ||
                          std::holds_alternative<ne::ReplaceStack>(edit);
    m_stack = std::move(next);
    changed();
    if (replaced) clear_field();
    if (settled)
        commit();
    else
        m_open = true;
    return {};
}

// [SECTION] The model: input, runs, receptive fields

bool NetworkModel::paint(float cx, float cy, bool erase) {
    bool any = false;
    for (int y = 0; y < kCanvasSide; ++y)
        for (int x = 0; x < kCanvasSide; ++x) {
            const float d = std::hypot(float(x) + 0.5f - cx, float(y) + 0.5f - cy);
            float& v = m_canvas[size_t(y * kCanvasSide + x)];
            const float nv = erase ? (d < 2.0f ? 0.0f : v) : std::max(v, std::clamp(1.7f - d, 0.0f, 1.0f));
            if (nv != v) v = nv, any = true;
        }
    if (any && !use_photo()) m_dirty = true;
    return any;
}

void NetworkModel::clear_canvas() {
    std::fill(m_canvas.begin(), m_canvas.end(), 0.0f);
    m_use_photo = false;
    m_dirty = true;
}

void NetworkModel::reset_digit() {
    m_canvas = sample_digit();
    m_use_photo = false;
    m_dirty = true;
}

void NetworkModel::load_photo(const std::string& path, bool use_when_loaded) {
    m_use_when_loaded = use_when_loaded;
    m_photo_worker.submit([path] { return load_network_photo(path); });
}

void NetworkModel::set_use_photo(bool on) {
    if (on == m_use_photo) return;
    m_use_photo = on;
    m_dirty = true;
}

void NetworkModel::set_seed(int seed) {
    if (seed == m_seed) return;
    m_seed = seed;
    m_dirty = true;
}

bool NetworkModel::busy() const {
    // Not the photo waiting for poll(): a view that is not shown never polls, and must not hold up a run.
    return m_worker.busy() || m_shown < m_submitted || m_photo_worker.busy();
}

bool NetworkModel::poll() {
    bool any = false;
    if (auto done = m_photo_worker.take()) {
        any = true;
        if (done->value) {
            m_photo = std::move(*done->value);
            m_photo_error.reset();
            if (m_use_when_loaded) m_use_photo = true;
            m_dirty = true;
        } else {
            m_photo_error = done->value.err();
        }
    }
    if (auto done = m_worker.take()) {
        any = true;
        m_shown = done->generation;
        m_maps = std::move(done->value);
        m_seconds = done->seconds;
        // Recompute the field for the stack just run (its shapes may have changed).
        if (m_rf_row > 0 && m_maps->ok()) {
            if (m_rf_row < int(m_maps->value().maps.size())) {
                const int row = m_rf_row;
                pick_field(row, m_rf_y, m_rf_x);
                if (!m_rf) clear_field();
            } else {
                clear_field();
            }
        }
    }
    return any;
}

void NetworkModel::submit_if_needed() {
    if (!m_dirty) return;
    m_dirty = false;
    m_blocked = Blocked::None;
    if (!m_check.ok()) {
        m_blocked = Blocked::Invalid;
        return;
    }
    const Network net = network();
    int64_t values = shape_numel(net.input);
    for (const LayerCheck& c : m_check.layers) values += std::max<int64_t>(0, shape_numel(c.output));
    if (values > kMaxValues || m_check.total_macs > kMaxMacs) {
        m_blocked = Blocked::TooLarge;
        m_blocked_values = values;
        return;
    }
    std::shared_ptr<const Tensor> source = use_photo() ? m_photo->picture : nullptr;
    if (!source) source = std::make_shared<const Tensor>(Shape{1, kCanvasSide, kCanvasSide}, m_canvas);
    m_submitted =
        m_worker.submit([stack = m_stack, net, seed = uint32_t(m_seed), source]() -> Result<MapsRun> {
            MapsRun run;
            run.net = net;
            run.weights = stack_weights(stack, seed);
            run.tensors.push_back(input_from_image(net.input, *source));
            auto outputs = run_network(net, run.weights, run.tensors[0], fastest_cpu_backend());
            if (!outputs) return outputs.err();
            // Deep stacks (AlexNet) show fewer channels per layer, so a frame stays cheap to draw.
            const int64_t tiles = net.layers.size() > 8 ? 8 : kTilesPerLayer;
            run.maps.push_back(make_tiles(run.tensors[0], tiles));
            for (size_t i = 0; i < outputs->size(); ++i) {
                run.maps.push_back(make_tiles((*outputs)[i], tiles));
                run.maps.back().name = std::to_string(i + 1) + " " + to_pytorch(net.layers[i]).substr(3);
                if (net.layers[i].kind == LayerKind::Conv2d)
                    run.maps.back().presets = stack.layers[i].presets;
                run.tensors.push_back(std::move((*outputs)[i]));
            }
            return run;
        });
}

Result<Tensor> NetworkModel::channel_map(int row, int64_t channel) const {
    if (!m_maps || !m_maps->ok()) return fail<ErrCode::model_no_maps>();
    const MapsRun& run = m_maps->value();
    if (row < 0 || row >= int(run.tensors.size())) return fail<ErrCode::model_no_such_layer>();
    const Tensor& y = run.tensors[size_t(row)];
    const int r = y.rank();
    if (r < 3) return fail<ErrCode::model_row_not_map>();
    const int64_t C = y.shape[size_t(r - 3)], H = y.shape[size_t(r - 2)], W = y.shape[size_t(r - 1)];
    if (channel < 0 || channel >= C) return fail<ErrCode::model_no_such_channel>();
    const int64_t plane = H * W;
    return Tensor({1, H, W}, std::vector<float>(y.data.begin() + channel * plane,
                                                y.data.begin() + (channel + 1) * plane));
}

void NetworkModel::pick_field(int row, int64_t y, int64_t x) {
    m_rf_y = y;
    m_rf_x = x;
    if (!m_maps || !m_maps->ok() || row < 1) {
        clear_field();
        return;
    }
    auto rf = receptive_field_paths(m_maps->value().net, row - 1, y, x);
    if (rf) {
        m_rf = std::move(*rf);
        m_rf_row = row;
        m_rf_error.reset();
    } else {
        m_rf.reset();
        m_rf_row = -1;
        m_rf_error = rf.err();
    }
}

void NetworkModel::clear_field() {
    m_rf.reset();
    m_rf_error.reset();
    m_rf_row = -1;
}

}  // namespace convscope
