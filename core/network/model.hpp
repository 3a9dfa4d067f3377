// NetworkModel: what the network view shows, with no ImGui. The layer stack (with a preset kernel per Conv2d
// output channel), its check and its PyTorch code cached until the stack changes, undo/redo of every stack
// edit, the input drawing or photo (decoded on a worker), and the feature maps run on a worker. The view
// reads the model through const getters and changes the stack only through apply(edit).
//
//   NetworkModel model;                                  // the lecture's stack
//   model.apply(network_edit::AddLayer{LayerKind::ReLU, 2});
//   model.undo();                                        // the ReLU goes again
//   model.poll();  model.submit_if_needed();             // every frame: take results, start a run
//
// [SECTION] The stack and its edits
// [SECTION] Feature maps: tiles made ready for display
// [SECTION] The model
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/engine/tensor.hpp"
#include "core/network/network.hpp"
#include "core/support/result.hpp"
#include "core/support/undo.hpp"
#include "core/support/worker.hpp"

namespace convscope {

// [SECTION] The stack and its edits

// One layer of the stack and the kernel chosen for each of its output channels (Conv2d; "" = the seeded
// random weights, else a core/image_lab/kernels.hpp preset name).
struct StackLayer {
    Layer layer;
    std::vector<std::string> presets;
    bool operator==(const StackLayer&) const = default;
};

// The input shape and the layers: the state undo and redo go through.
struct NetworkStack {
    Shape input{1, 1, 28, 28};
    std::vector<StackLayer> layers;
    bool operator==(const NetworkStack&) const = default;

    // The stack as core's Network (the presets dropped).
    Network network() const;
    // A stack of `net`'s layers with the random weights everywhere.
    static NetworkStack from(const Network& net);
    // The lecture's stack: Conv2d(1, 5, 5) with channels 1–4 as Sobel x, Sobel y, Gaussian and Laplacian,
    // then MaxPool2d(2), on 1×1×28×28.
    static NetworkStack lecture();
};

namespace network_edit {
struct SetInput {  // the input shape, each dimension clamped to [1, kMaxEditValue]
    Shape input;
};
struct AddLayer {  // a new layer of `kind` fitted to the shape at `at` (suggested_layer), inserted there
    LayerKind kind = LayerKind::ReLU;
    int at = 0;  // 0 … layers; out of range: at the end
};
struct RemoveLayer {
    int index = 0;
};
struct MoveLayer {  // swaps layer `index` with its neighbour `index + by` (by −1 or +1)
    int index = 0;
    int by = 1;
};
struct SetLayer {  // a parameter edited, or the layer's code typed in place
    int index = 0;
    Layer layer;
};
struct SetPreset {  // output channel `channel` of Conv2d layer `index` takes preset `preset` ("" = random)
    int index = 0;
    int64_t channel = 0;
    std::string preset;
};
struct LoadBundled {  // one of bundled_stacks(), by id ("lecture" with its preset kernels)
    std::string id;
};
struct PasteCode {  // PyTorch code, read by import_pytorch_code
    std::string code;
};
struct ReplaceStack {  // a whole stack (a scene's)
    NetworkStack stack;
};
}  // namespace network_edit

using NetworkEdit =
    std::variant<network_edit::SetInput, network_edit::AddLayer, network_edit::RemoveLayer,
                 network_edit::MoveLayer, network_edit::SetLayer, network_edit::SetPreset,
                 network_edit::LoadBundled, network_edit::PasteCode, network_edit::ReplaceStack>;

// The largest number an edit may set in a field (the editor's fields clamp to it).
inline constexpr int64_t kMaxEditValue = 4096;

// A layer of `kind` fitted to `input` (the shape where it goes): Conv2d(C, max(4, C), 3), MaxPool2d(2),
// AvgPool2d(2), Linear(last dimension, 10), BatchNorm2d(C), ConvTranspose2d(C, C, 2, stride 2), padding
// layers of 1, LocalResponseNorm(5), Softmax(dim=1); the others with PyTorch's defaults.
Layer suggested_layer(LayerKind kind, const Shape& input);

// [SECTION] Feature maps: tiles made ready for display

inline constexpr int64_t kTileSide = 48;   // a map larger than this is averaged down for display
inline constexpr int kTilesPerLayer = 32;  // channels shown per layer; the rest are counted

// One feature map made ready for display: at most kTileSide cells a side (averaged down), with the range of
// the full-size map.
struct FeatureTile {
    int64_t channel = 0;
    int64_t h = 0, w = 0;            // cells shown
    int64_t full_h = 0, full_w = 0;  // the map's real size
    std::vector<float> cells;        // h × w, row-major; the full map when it is small enough
    float lo = 0, hi = 0;
    bool vector = false;  // a flattened row of values rather than a map
};

struct LayerMaps {
    std::string name;  // "" for the input, else "1 Conv2d(1, 5, 5)"
    Shape shape;
    int64_t channels = 0;              // of the whole layer; tiles holds the first ones
    std::vector<std::string> presets;  // Conv2d: the preset kernel of each output channel ("" = random)
    std::vector<FeatureTile> tiles;
};

// Tiles of one tensor: each channel of the first sample as a map (at most `max_tiles`); a tensor of rank ≤ 2
// as one row of values averaged down to at most 8·kTileSide cells.
LayerMaps make_tiles(const Tensor& t, int64_t max_tiles = kTilesPerLayer);

// A receptive field's path counts over a tile shown smaller than its map: for each shown row and column, the
// largest count of the pixels it covers (empty when the counts do not belong to this tile's map).
struct TileField {
    std::vector<double> rows, cols;
    double top = 0;
};
TileField tile_field(const FeatureTile& tile, const PathCounts& field);

// What one run gives: the tiles to draw and what the stepper hand-off needs.
struct MapsRun {
    std::vector<LayerMaps> maps;  // [0] the input, [i] layer i's output
    Network net;
    std::vector<LayerWeights> weights;
    std::vector<Tensor> tensors;  // [0] the input, [i] layer i's output
};

// The weights a run uses: random_weights(net, seed), then each Conv2d channel's preset kernel (a preset a
// kernel cannot take keeps the random weights). `stack` must check out.
std::vector<LayerWeights> stack_weights(const NetworkStack& stack, uint32_t seed);

// The 28×28 drawing as a digit 7 with soft edges, like MNIST's.
inline constexpr int kCanvasSide = 28;
std::vector<float> sample_digit();

// A photo made ready as the network's input: the picture (C×H×W in 0–1, at most 512 a side), a grey preview
// of at most 96 a side, and its file name.
struct NetworkPhoto {
    std::shared_ptr<const Tensor> picture;
    FeatureTile preview;
    std::string name;
};
Result<NetworkPhoto> load_network_photo(const std::string& path);

// [SECTION] The model

class NetworkModel {
public:
    NetworkModel();

    // Why the maps are not run, when they are not.
    enum class Blocked { None, Invalid, TooLarge };
    // The limits of one run: activations of the whole stack, and multiply-accumulates.
    static constexpr int64_t kMaxValues = 1 << 24;
    static constexpr int64_t kMaxMacs = 2'000'000'000;

    // --- The stack ---
    const NetworkStack& stack() const { return m_stack; }
    Network network() const { return m_stack.network(); }
    // check_network and to_pytorch_code of the stack, worked out once per change.
    const NetworkCheck& check() const { return m_check; }
    const std::string& code() const;
    // torchinfo's size estimates of the stack (zeros when its input is unusable), worked out with the check.
    const SizeEstimate& sizes() const { return m_sizes; }
    // The shape a new layer at `at` reads (the output of the layer before, or the input).
    Shape shape_at(int at) const;

    // Applies one edit; an error (a paste that does not build, an unknown stack) leaves the stack as it was.
    // `settled` false (a number being typed or dragged) keeps the edit open: it and the ones after it become
    // one undo step at settle().
    Status apply(const NetworkEdit& edit, bool settled = true);
    // Closes an open edit into one undo step.
    void settle();
    bool can_undo() const;
    bool can_redo() const { return m_undo.can_redo(); }
    // The stack before the last edit (true), or false when there is none.
    bool undo();
    bool redo();
    // Shows `stack` without making it an edit (a scene opened): the undo history starts afresh.
    void reset(NetworkStack stack);
    // Edits committed, undone or redone since the start (the shell marks unsaved changes by it).
    int64_t edit_count() const { return m_edits; }
    // What the last PasteCode read: lines skipped and notes.
    const std::vector<SkippedLine>& skipped() const { return m_skipped; }
    const std::vector<Error>& notes() const { return m_notes; }
    // Why the last PasteCode did not build (structured, for the UI's language); none after one that did.
    const std::optional<Error>& paste_error() const { return m_paste_error; }

    // --- The input: the drawing or the photo, and the seed ---
    const std::vector<float>& canvas() const { return m_canvas; }
    // A soft round brush at (cx, cy) in cells (erase: a disc of radius 2 to 0); true when a value changed.
    bool paint(float cx, float cy, bool erase);
    void clear_canvas();
    void reset_digit();
    // Decodes `path` on a worker; poll() takes the result (an error then in photo_error()).
    void load_photo(const std::string& path, bool use_when_loaded);
    const std::optional<NetworkPhoto>& photo() const { return m_photo; }
    // The last photo's decoding error (structured, so the view words it in the UI's language).
    const std::optional<Error>& photo_error() const { return m_photo_error; }
    bool photo_loading() const { return m_photo_worker.busy() || m_photo_worker.ready(); }
    bool use_photo() const { return m_use_photo && m_photo; }
    void set_use_photo(bool on);
    int seed() const { return m_seed; }
    void set_seed(int seed);

    // --- The feature maps ---
    // Takes finished work (maps, photo); call once a frame. True when something new arrived.
    bool poll();
    // Starts a run when the stack or the input changed since the last one (and the stack may run).
    void submit_if_needed();
    Blocked blocked() const { return m_blocked; }
    int64_t blocked_values() const { return m_blocked_values; }
    const std::optional<Result<MapsRun>>& maps() const { return m_maps; }
    double seconds() const { return m_seconds; }
    // A run or a photo's decoding is under way, or the maps shown are not those of the stack shown (a photo
    // decoded but not yet taken by poll() is photo_loading(), not busy()).
    bool busy() const;
    bool computing() const { return m_shown < m_submitted; }
    // A worker is running or has a job waiting (the maps or the photo's decoding); what is finished but not
    // yet taken by poll() does not count.
    bool working() const { return m_worker.busy() || m_photo_worker.busy(); }
    // Map `channel` of stage `row` (0 = the input) of the maps shown, as a 1×H×W tensor.
    Result<Tensor> channel_map(int row, int64_t channel) const;

    // --- The receptive field of a picked element ---
    // Counts the paths from every earlier map to element (y, x) of stage `row` (≥ 1) of the maps shown.
    void pick_field(int row, int64_t y, int64_t x);
    void clear_field();
    const std::optional<std::vector<PathCounts>>& field() const { return m_rf; }
    const std::optional<Error>& field_error() const { return m_rf_error; }
    int field_row() const { return m_rf_row; }
    int64_t field_y() const { return m_rf_y; }
    int64_t field_x() const { return m_rf_x; }

private:
    void changed();  // the stack changed: recheck, rerun
    void commit();
    bool restore(std::optional<NetworkStack> s);  // an undo or redo step, when there is one

    NetworkStack m_stack;
    NetworkCheck m_check;
    SizeEstimate m_sizes;
    mutable std::optional<std::string> m_code;
    UndoStack<NetworkStack> m_undo;
    bool m_open = false;  // an edit not yet settled
    int64_t m_edits = 0;
    std::vector<SkippedLine> m_skipped;
    std::vector<Error> m_notes;
    std::optional<Error> m_paste_error;

    std::vector<float> m_canvas = sample_digit();
    std::optional<NetworkPhoto> m_photo;
    std::optional<Error> m_photo_error;
    bool m_use_photo = false, m_use_when_loaded = false;
    int m_seed = 1;

    bool m_dirty = true;
    Blocked m_blocked = Blocked::None;
    int64_t m_blocked_values = 0;
    uint64_t m_submitted = 0, m_shown = 0;
    std::optional<Result<MapsRun>> m_maps;
    double m_seconds = 0.0;

    std::optional<std::vector<PathCounts>> m_rf;
    std::optional<Error> m_rf_error;
    int m_rf_row = -1;
    int64_t m_rf_y = -1, m_rf_x = -1;

    // Last: the threads stop before the members they write to go.
    LatestWorker<Result<NetworkPhoto>> m_photo_worker;
    LatestWorker<Result<MapsRun>> m_worker;
};

}  // namespace convscope
