// The image lab's model: the photo, the kernel (a preset or custom), the parameters, grey or colour, the
// display map and the backend; every change goes through apply(edit) and settled edits are undo steps. It
// runs the filter off the UI thread: on a large photo a preview at screen resolution first (the photo shrunk
// once), then the full result, which a newer edit cancels between bands. It explains one output pixel (the
// reference kernel's trace). No ImGui: the view (app/ui/image_lab/) reads it and sends edits.
//
//   ImageLab lab;                       lab.load("photo.png");
//   lab.apply(lab_edit::SetStride{{2, 2}});   lab.commit();     // an edit, settled
//   lab.update();                        if (const LabFrame* f = lab.shown()) draw(*f);   // every frame
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/image_lab/filter.hpp"
#include "core/support/undo.hpp"
#include "core/support/worker.hpp"

namespace convscope {

enum class PaddingChoice { Numbers, Same, Valid };

// The filter settings the editor keeps: the convolution's and the pooling's both, so that switching the
// operation and back keeps each; effective_spec makes the FilterSpec of the chosen one.
struct FilterSettings {
    Op op = Op::Conv;   // Conv, MaxPool or AvgPool
    Kernel kernel;      // the convolution's
    Conv2dParams conv;  // the convolution's (padding amount used with PaddingChoice::Numbers)
    Pool2dParams pool;  // the pooling's; its op is `op` when pooling
    bool operator==(const FilterSettings&) const = default;
};

// What the user chose: the state an undo step restores.
struct ImageLabState {
    FilterSettings spec;      // the kernel, conv and pool parameters
    std::string preset;       // the preset id the kernel came from ("gaussian"); empty: custom or a file
    int64_t preset_size = 3;  // of a sized preset
    double sigma = 1.1;       // of a preset with σ
    PaddingChoice padding = PaddingChoice::Numbers;
    bool pool_stride_is_window = true;
    ColorMode mode = ColorMode::Color;
    DisplayMap map = DisplayMap::Clamp;
    std::string backend;  // empty: the fastest available
    bool operator==(const ImageLabState&) const = default;
};

// The FilterSpec a state runs: the chosen operation's settings alone, with same/valid padding and the pool
// stride when it follows the window.
FilterSpec effective_spec(const ImageLabState& state);

// The convolution's padding in effect: its numbers, or same/valid (whichever operation is chosen).
Padding effective_padding(const ImageLabState& state);

// Every change the view can make.
namespace lab_edit {
struct SetOp {
    Op op;  // Conv, MaxPool or AvgPool
};
struct ChoosePreset {
    std::string id;
};  // at its default size and σ; suggests the display map
struct SetPresetSize {
    int64_t size;
};  // σ follows the size
struct SetSigma {
    double sigma;
};
struct SetKernel {
    Kernel kernel;
};  // a kernel by name or from a file; recognizes its preset
struct SetCell {
    int64_t row, col;
    double value;
};
struct ResizeKernel {
    int64_t rows, cols;
};
struct SetDivisor {
    double divisor;
};
struct SetOffset {
    double offset;
};
struct NormalizeKernel {};
struct SetStride {
    Pair stride;
};  // conv, or pooling when its stride does not follow the window
struct SetPaddingChoice {
    PaddingChoice choice;
};
struct SetPadding {
    Pair padding;
};
struct SetDilation {
    Pair dilation;
};
struct SetPaddingMode {
    PaddingMode mode;
};
struct SetPoolWindow {
    Pair window;
};
struct SetPoolStrideIsWindow {
    bool on;
};
struct SetColorMode {
    ColorMode mode;
};
struct SetMap {
    DisplayMap map;
};
struct SetBackend {
    std::string name;
};
struct SetFlip {  // true convolution: the kernel rotated 180° (Conv2dParams::flip)
    bool on;
};
}  // namespace lab_edit
using ImageLabEdit =
    std::variant<lab_edit::SetOp, lab_edit::ChoosePreset, lab_edit::SetPresetSize, lab_edit::SetSigma,
                 lab_edit::SetKernel, lab_edit::SetCell, lab_edit::ResizeKernel, lab_edit::SetDivisor,
                 lab_edit::SetOffset, lab_edit::NormalizeKernel, lab_edit::SetStride,
                 lab_edit::SetPaddingChoice, lab_edit::SetPadding, lab_edit::SetDilation,
                 lab_edit::SetPaddingMode, lab_edit::SetPoolWindow, lab_edit::SetPoolStrideIsWindow,
                 lab_edit::SetColorMode, lab_edit::SetMap, lab_edit::SetBackend, lab_edit::SetFlip>;

// Applies one edit to a state (pure: the model's apply and the tests use it). An error, and `state`
// unchanged, for an edit that cannot be made (a cell outside the grid, a divisor of 0, normalizing cells
// that sum to 0, an unknown preset).
Status apply_edit(ImageLabState& state, const ImageLabEdit& edit);

// The display map that suits a kernel: AbsScaled for an edge detector (weights summing to 0, so half its
// edges are negative and clamping would hide them), else Clamp.
DisplayMap suggested_map(const Kernel& kernel);

// A loaded photo.
struct LabPhoto {
    std::string path;  // a file, or a name for an image handed over (a feature map)
    Image image;
};

// A photo as RGBA bytes (grey spread to RGB, opaque), ready for a texture.
std::vector<uint8_t> rgba_of(const Image& image);

// A result ready to draw: a preview (the filter on the shrunk photo) or the full result.
struct LabFrame {
    bool preview = false;
    uint64_t generation = 0;  // of the edit it shows
    FilterSpec spec;          // as run (effective_spec)
    ColorMode mode = ColorMode::Color;
    DisplayMap map = DisplayMap::Clamp;
    std::shared_ptr<const LabPhoto> photo;
    Shape full_input, full_output;  // C×H×W of the full problem, for placing the output over the input
    std::shared_ptr<const Tensor> input;   // full: the photo as a tensor (explain, hovered values); else null
    std::shared_ptr<const Tensor> output;  // full: C×OH×OW; preview: the preview's output
    ValueRange range;                      // of the output (Normalize, AbsScaled)
    // Textures, shrunk to the texture limit; the input's is shared by every frame of a photo and mode (the
    // same pointer: upload it once).
    std::shared_ptr<const std::vector<uint8_t>> input_rgba;
    std::vector<uint8_t> output_rgba;
    int64_t input_w = 0, input_h = 0, output_w = 0, output_h = 0;
    std::string backend;
    double ms = 0.0;           // the filter's own time
    std::string auto_backend;  // what "fastest" stood for (empty: a backend was chosen)
};

class ImageLab {
public:
    // `max_texture_side`: the largest texture the view can show; `preview_side`: photos with a side above
    // it get a preview at that size first (0: never).
    explicit ImageLab(int64_t max_texture_side = 8192, int64_t preview_side = 1280);
    ~ImageLab();
    ImageLab(const ImageLab&) = delete;
    ImageLab& operator=(const ImageLab&) = delete;

    // The largest texture side the view can show (from its GL context); results made later use it.
    void set_max_texture_side(int64_t side) { m_max_texture_side = std::max<int64_t>(64, side); }

    // [State and edits]
    const ImageLabState& state() const { return m_state; }
    // Applies an edit (see apply_edit); the result is recomputed at the next update().
    Status apply(const ImageLabEdit& edit);
    // Replaces the whole state (a scene opened); not an undo step.
    void set_state(ImageLabState state);
    // Records the current state as one undo step when it changed since the last one (the view calls it once
    // an edit has settled: no drag, no field being typed in). True when a step was recorded.
    bool commit();
    // Restores the state before the last step / the one undone; false when there is none.
    bool undo();
    bool redo();
    bool can_undo() const { return m_undo.can_undo(); }
    bool can_redo() const { return m_undo.can_redo(); }
    // Starts the undo history afresh from the current state.
    void reset_history();
    // Edits recorded since the start (undo and redo count: they change what is shown).
    int64_t edit_count() const { return m_edits; }

    // [The photo]
    // Loads a photo on a background thread; update() reports it.
    void load(const std::string& path);
    // Shows an image handed over (e.g. a feature map) at once.
    void set_photo(std::shared_ptr<const LabPhoto> photo);
    const LabPhoto* photo() const { return m_photo.get(); }
    bool loading() const { return m_loader.busy(); }
    const std::string& loading_path() const { return m_loading_path; }

    // [Jobs] Once a frame: takes finished loads and results, then submits a run when something changed.
    struct Events {
        std::shared_ptr<const LabPhoto> loaded;  // a photo that finished loading (now shown)
        std::optional<Error> load_error;         // a load that failed (the photo shown before stays)
        bool previewed = false;                  // a preview was taken (perhaps replaced at once by the full)
    };
    Events update();
    // The output geometry of the current state on the photo, or why it is invalid. Errors are kept
    // structured (code and arguments), so the view draws them in the current language.
    const std::optional<FilterGeometry>& geometry() const { return m_geometry; }
    const std::optional<Error>& geometry_error() const { return m_geometry_error; }
    // What to draw: the newest frame (a preview while the full result runs); null before any.
    const LabFrame* shown() const { return m_shown.get(); }
    // The newest full result (explain, save, hovered values); null before any.
    const LabFrame* full() const { return m_full.get(); }
    // True when shown() is behind the current state (dimmed), or a preview of it.
    bool stale() const;
    bool showing_preview() const { return m_shown && m_shown->preview; }
    // True while a run or a load is under way or a result waits to be taken.
    bool busy() const;
    // Seconds the oldest job under way has run (0 when idle).
    double running_seconds() const;
    const std::optional<Error>& run_error() const { return m_run_error; }
    // Blocks until no job runs (tests, scripted runs).
    void wait_idle();
    // What "fastest" stands for in runs submitted from now on: the app's probe of the backends (done once,
    // by the shell: ctx.backends.fastest). Until it is told (the probe still runs; tests), the fastest CPU
    // backend. Never probes itself.
    void set_fastest_backend(std::string name) { m_fastest = std::move(name); }
    // The backend "fastest" stood for in the newest full result (empty before any).
    const std::string& auto_backend() const { return m_auto_backend; }

    // [Explain this pixel] The trace of output (oy, ox) in `channel` of the full result, recomputed only when
    // the pixel, the channel or the result changes; reset when (oy, ox) is outside the output.
    void explain(int64_t oy, int64_t ox, int64_t channel);
    const std::optional<Trace>& trace() const { return m_trace; }
    const std::optional<Error>& trace_error() const { return m_trace_error; }
    // The explained pixel's neighbourhood as a stepper problem (the stepper's own limits).
    Result<Neighbourhood> neighbourhood() const;
    // Writes the full result as shown (its display map) to a PNG file.
    Status save_result(const std::string& path) const;

private:
    void submit();
    // Shows a state from the undo history (undo, redo) as a new edit; false when there is none.
    bool restore(std::optional<ImageLabState> state);

    ImageLabState m_state;
    UndoStack<ImageLabState> m_undo;
    int64_t m_edits = 0;
    bool m_dirty = true;
    int64_t m_max_texture_side, m_preview_side;

    using LoadResult = Result<std::shared_ptr<const LabPhoto>>;
    using RunResult = Result<std::shared_ptr<const LabFrame>>;
    LatestWorker<LoadResult> m_loader;
    LatestWorker<RunResult> m_preview_worker;
    LatestWorker<RunResult> m_full_worker;
    std::string m_loading_path;
    std::shared_ptr<const LabPhoto> m_photo;
    // Made once per photo on the workers and kept: the shrunk photo for previews, the tensor for explain.
    struct Cache;
    std::shared_ptr<Cache> m_cache;
    std::shared_ptr<std::atomic<uint64_t>> m_latest = std::make_shared<std::atomic<uint64_t>>(0);
    uint64_t m_submitted = 0;

    std::optional<FilterGeometry> m_geometry;
    std::optional<Error> m_geometry_error, m_run_error;
    std::shared_ptr<const LabFrame> m_shown, m_full;
    std::string m_fastest, m_auto_backend;

    std::optional<Trace> m_trace;
    std::optional<Error> m_trace_error;
    uint64_t m_trace_generation = 0;
    int64_t m_trace_oy = -1, m_trace_ox = -1, m_trace_c = -1;
};

}  // namespace convscope
