#include "core/image_lab/image_lab.hpp"

#include "core/image_lab/pixels.hpp"
#include "core/support/thread_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>

namespace convscope {

// [SECTION] State and edits

Padding effective_padding(const ImageLabState& state) {
    if (state.padding == PaddingChoice::Same) return Padding::same();
    if (state.padding == PaddingChoice::Valid) return Padding::valid();
    return state.spec.conv.padding;
}

FilterSpec effective_spec(const ImageLabState& state) {
    const FilterSettings& s = state.spec;
    FilterSpec spec;
    if (s.op == Op::Conv) {
        ConvFilter f{s.kernel, s.conv};
        f.conv.padding = effective_padding(state);
        spec.operation = std::move(f);
    } else {
        PoolFilter f{s.pool};
        f.pool.op = s.op;
        if (state.pool_stride_is_window) f.pool.stride = Pair{0};
        spec.operation = f;
    }
    return spec;
}

DisplayMap suggested_map(const Kernel& kernel) {
    return std::fabs(kernel.weight_sum()) < 1e-9 ? DisplayMap::AbsScaled : DisplayMap::Clamp;
}

namespace {

const PresetInfo* find_preset(std::string_view id) {
    for (const PresetInfo& p : kernel_presets())
        if (p.id == id) return &p;
    return nullptr;
}

// Remakes the kernel of the state's preset at its size and σ.
Status remake_preset(ImageLabState& s) {
    const PresetInfo* p = find_preset(s.preset);
    if (!p) return fail<ErrCode::lab_no_preset>();
    // The default σ is left to make_preset, so the kernel keeps its short name ("gaussian5").
    const bool default_sigma_here = !p->has_sigma || s.sigma == default_sigma(s.preset_size);
    auto k = make_preset(p->id, p->sized ? s.preset_size : 0, default_sigma_here ? 0.0 : s.sigma);
    if (!k) return k.err();
    s.spec.kernel = std::move(*k);
    return {};
}

// A hand edit of the kernel: it is custom from now on.
void made_custom(ImageLabState& s) {
    s.spec.kernel.name = "custom";
    s.preset.clear();
}

Status check_pair(Pair p, int64_t lo, Error what) {
    if (p.h < lo || p.w < lo) return fail<ErrCode::lab_at_least>(std::move(what), lo);
    return {};
}

// Sets `field` to `p` when both axes are at least `lo` (check_pair), else leaves it.
Status set_checked(Pair& field, Pair p, int64_t lo, Error what) {
    if (Status st = check_pair(p, lo, std::move(what)); !st) return st;
    field = p;
    return {};
}

struct EditVisitor {
    ImageLabState& s;
    bool conv() const { return s.spec.op == Op::Conv; }

    Status operator()(const lab_edit::SetOp& e) {
        s.spec.op = e.op;
        return {};
    }
    Status operator()(const lab_edit::ChoosePreset& e) {
        const PresetInfo* p = find_preset(e.id);
        if (!p) return fail<ErrCode::kernel_unknown>(e.id, kernel_names_help());
        s.preset = std::string(p->id);
        s.preset_size = p->default_size;
        s.sigma = default_sigma(p->default_size);
        if (Status st = remake_preset(s); !st) return st;
        s.map = suggested_map(s.spec.kernel);
        return {};
    }
    Status operator()(const lab_edit::SetPresetSize& e) {
        const PresetInfo* p = find_preset(s.preset);
        if (!p || !p->sized) return fail<ErrCode::lab_no_size>();
        if (e.size < 1 || e.size > kMaxImageKernelSide)
            return fail<ErrCode::lab_size_range>(kMaxImageKernelSide);
        s.preset_size = e.size;
        if (p->has_sigma) s.sigma = default_sigma(e.size);
        return remake_preset(s);
    }
    Status operator()(const lab_edit::SetSigma& e) {
        const PresetInfo* p = find_preset(s.preset);
        if (!p || !p->has_sigma) return fail<ErrCode::lab_no_sigma>();
        if (!std::isfinite(e.sigma) || e.sigma <= 0.0) return fail<ErrCode::lab_sigma_positive>();
        s.sigma = e.sigma;
        return remake_preset(s);
    }
    Status operator()(const lab_edit::SetKernel& e) {
        s.spec.kernel = e.kernel;
        s.preset.clear();
        // "gaussian5:1.4" → Gaussian, size 5, σ 1.4 (the strict parser: "gaussian5:1.4x" is not a preset).
        if (auto name = parse_preset_name(e.kernel.name)) {
            const PresetInfo* p = find_preset(name->id);
            s.preset = std::string(name->id);
            if (p && p->sized) s.preset_size = e.kernel.rows;
            if (p && p->has_sigma) s.sigma = name->sigma > 0.0 ? name->sigma : default_sigma(e.kernel.rows);
        }
        return {};
    }
    Status operator()(const lab_edit::SetCell& e) {
        Kernel& k = s.spec.kernel;
        if (e.row < 0 || e.col < 0 || e.row >= k.rows || e.col >= k.cols)
            return fail<ErrCode::lab_cell_outside>(e.row, e.col);
        if (!std::isfinite(e.value)) return fail<ErrCode::lab_weight_finite>();
        k.cells[size_t(e.row * k.cols + e.col)] = e.value;
        made_custom(s);
        return {};
    }
    Status operator()(const lab_edit::ResizeKernel& e) {
        if (Status st = resize_kernel(s.spec.kernel, e.rows, e.cols); !st) return st;
        made_custom(s);
        return {};
    }
    Status operator()(const lab_edit::SetDivisor& e) {
        if (!std::isfinite(e.divisor) || e.divisor == 0.0) return fail<ErrCode::lab_divisor_nonzero>();
        s.spec.kernel.divisor = e.divisor;
        made_custom(s);
        return {};
    }
    Status operator()(const lab_edit::SetOffset& e) {
        if (!std::isfinite(e.offset)) return fail<ErrCode::lab_offset_finite>();
        s.spec.kernel.offset = e.offset;
        made_custom(s);
        return {};
    }
    Status operator()(const lab_edit::NormalizeKernel&) {
        if (Status st = normalize_to_sum_one(s.spec.kernel); !st) return st;
        made_custom(s);
        return {};
    }
    Status operator()(const lab_edit::SetStride& e) {
        return set_checked(conv() ? s.spec.conv.stride : s.spec.pool.stride, e.stride, 1,
                           word<ErrCode::w_stride>());
    }
    Status operator()(const lab_edit::SetPaddingChoice& e) {
        s.padding = e.choice;
        return {};
    }
    Status operator()(const lab_edit::SetPadding& e) {
        if (Status st = check_pair(e.padding, 0, word<ErrCode::w_padding>()); !st) return st;
        if (conv())
            s.spec.conv.padding = Padding(e.padding);
        else
            s.spec.pool.padding = e.padding;
        return {};
    }
    Status operator()(const lab_edit::SetDilation& e) {
        return set_checked(conv() ? s.spec.conv.dilation : s.spec.pool.dilation, e.dilation, 1,
                           word<ErrCode::w_dilation>());
    }
    Status operator()(const lab_edit::SetPaddingMode& e) {
        s.spec.conv.padding_mode = e.mode;
        return {};
    }
    Status operator()(const lab_edit::SetPoolWindow& e) {
        return set_checked(s.spec.pool.kernel, e.window, 1, word<ErrCode::w_pool_window>());
    }
    Status operator()(const lab_edit::SetPoolStrideIsWindow& e) {
        s.pool_stride_is_window = e.on;
        // Its own stride starts at the window's, as the stride the pooling had.
        if (!e.on && (s.spec.pool.stride.h < 1 || s.spec.pool.stride.w < 1))
            s.spec.pool.stride = s.spec.pool.kernel;
        return {};
    }
    Status operator()(const lab_edit::SetColorMode& e) {
        s.mode = e.mode;
        return {};
    }
    Status operator()(const lab_edit::SetMap& e) {
        s.map = e.map;
        return {};
    }
    Status operator()(const lab_edit::SetFlip& e) {
        s.spec.conv.flip = e.on;
        return {};
    }
    Status operator()(const lab_edit::SetBackend& e) {
        if (!e.name.empty()) {
            const auto names = backend_names();
            if (std::find(names.begin(), names.end(), e.name) == names.end())
                return fail<ErrCode::lab_backend_unknown>(e.name);
        }
        s.backend = e.name;
        return {};
    }
};

}  // namespace

Status apply_edit(ImageLabState& state, const ImageLabEdit& edit) {
    ImageLabState next = state;
    if (Status st = std::visit(EditVisitor{next}, edit); !st) return st;
    state = std::move(next);
    return {};
}

std::vector<uint8_t> rgba_of(const Image& p) {
    std::vector<uint8_t> rgba(size_t(p.width * p.height * 4));
    // In pieces of 64 K pixels on every thread: a 12 MP photo's texture is 48 MB.
    constexpr int64_t kPiece = int64_t(1) << 16;
    const int64_t n = p.width * p.height;
    ThreadPool::global().parallel_for((n + kPiece - 1) / kPiece, [&](int64_t i) {
        const int64_t at = i * kPiece;
        bytes_to_rgba(p.pixels.data() + at * p.channels, p.channels, std::min(kPiece, n - at),
                      rgba.data() + at * 4);
    });
    return rgba;
}

// [SECTION] Jobs

// What a photo's runs share, made once on the workers: the shrunk photo, the tensors and the input textures.
struct ImageLab::Cache {
    explicit Cache(std::shared_ptr<const LabPhoto> p) : photo(std::move(p)) {}
    struct Shown {
        std::shared_ptr<const std::vector<uint8_t>> rgba;
        int64_t w = 0, h = 0;
    };
    std::shared_ptr<const LabPhoto> photo;
    std::mutex mutex;
    std::shared_ptr<const Image> small;
    std::shared_ptr<const Tensor> tensor[2];  // by ColorMode
    std::shared_ptr<const Shown> shown[2];    // the input pane's texture, by ColorMode

    // Returns the cached value, or makes it (outside the lock: the other worker is not held up) and keeps it.
    template <class T, class Make>
    std::shared_ptr<const T> get(std::shared_ptr<const T>& slot, Make make) {
        {
            std::lock_guard lock(mutex);
            if (slot) return slot;
        }
        std::shared_ptr<const T> made = make();
        std::lock_guard lock(mutex);
        if (!slot) slot = made;
        return slot;
    }
};

namespace {

// The full run waits for the preview of its edit (on two cores they would halve each other's speed, and the
// preview is what must be on screen within 100 ms). The gate opens when the preview job is gone: run, or
// replaced by a newer one before it started.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    void release() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    // Waits until open or `cancelled` says yes (checked every few milliseconds).
    template <class F>
    void wait(F cancelled) {
        std::unique_lock lock(mutex);
        while (!open && !cancelled()) cv.wait_for(lock, std::chrono::milliseconds(5));
    }
};
struct GateOpener {
    std::shared_ptr<Gate> gate;
    ~GateOpener() { gate->release(); }
};

struct JobInput {
    std::shared_ptr<const LabPhoto> photo;
    FilterSpec spec;
    ColorMode mode = ColorMode::Color;
    DisplayMap map = DisplayMap::Clamp;
    std::string backend;  // empty: the fastest
    std::string fastest;  // what the fastest is (the app's probe, or the fastest CPU backend)
    uint64_t generation = 0;
    Shape full_input, full_output;
    int64_t max_side = 8192;
};

// A frame for the job's result: what it was computed from, before the output.
std::shared_ptr<LabFrame> frame_for(const JobInput& in, bool preview) {
    auto f = std::make_shared<LabFrame>();
    f->preview = preview;
    f->generation = in.generation;
    f->spec = in.spec;
    f->mode = in.mode;
    f->map = in.map;
    f->photo = in.photo;
    f->full_input = in.full_input;
    f->full_output = in.full_output;
    return f;
}

// The RGBA texture of `image`, shrunk by a whole factor where a side is longer than `max_side` (copied only
// then: a 12 MP photo is 36 MB).
std::vector<uint8_t> texture_of(const Image& image, int64_t max_side, int64_t& w, int64_t& h) {
    if (std::max(image.width, image.height) <= max_side) {
        w = image.width, h = image.height;
        return rgba_of(image);
    }
    int64_t factor = 1;
    const Image small = shrink_to_fit(image, max_side, factor);
    w = small.width, h = small.height;
    return rgba_of(small);
}

// The output as textures and its range.
Status finish_output(LabFrame& f, Tensor y, int64_t max_side) {
    f.range = finite_range(y);
    auto shown = to_display(y, f.map, f.range);
    if (!shown) return shown.err();
    f.output_rgba = texture_of(*shown, max_side, f.output_w, f.output_h);
    f.output = std::make_shared<const Tensor>(std::move(y));
    return {};
}

}  // namespace

ImageLab::ImageLab(int64_t max_texture_side, int64_t preview_side)
    : m_max_texture_side(std::max<int64_t>(64, max_texture_side)),
      m_preview_side(std::max<int64_t>(0, preview_side)) {
    m_undo.reset(m_state);
}

ImageLab::~ImageLab() {
    ++*m_latest;  // the run in flight stops at its next band
}

Status ImageLab::apply(const ImageLabEdit& edit) {
    if (Status st = apply_edit(m_state, edit); !st) return st;
    m_dirty = true;
    return {};
}

void ImageLab::set_state(ImageLabState state) {
    m_state = std::move(state);
    m_dirty = true;
}

bool ImageLab::commit() {
    const auto& now = m_undo.current();
    if (now && *now == m_state) return false;
    m_undo.commit(m_state);
    ++m_edits;
    return true;
}

bool ImageLab::restore(std::optional<ImageLabState> state) {
    if (!state) return false;
    m_state = std::move(*state);
    m_dirty = true;
    ++m_edits;
    return true;
}

bool ImageLab::undo() {
    commit();  // an edit not yet settled is the step undone first
    return restore(m_undo.undo());
}

bool ImageLab::redo() {
    if (m_undo.current() && !(*m_undo.current() == m_state)) return false;  // a new edit ended the redo line
    return restore(m_undo.redo());
}

void ImageLab::reset_history() {
    m_undo.reset(m_state);
}

void ImageLab::load(const std::string& path) {
    m_loading_path = path;
    m_loader.submit([path]() -> LoadResult {
        auto img = load_image(path);
        if (!img) return img.err();
        auto l = std::make_shared<LabPhoto>();
        l->path = path;
        l->image = std::move(*img);
        return std::shared_ptr<const LabPhoto>(std::move(l));
    });
}

void ImageLab::set_photo(std::shared_ptr<const LabPhoto> photo) {
    m_photo = std::move(photo);
    m_cache = std::make_shared<Cache>(m_photo);
    m_shown.reset();
    m_full.reset();
    m_trace.reset();
    m_trace_error.reset();
    m_dirty = true;
}

ImageLab::Events ImageLab::update() {
    Events ev;
    if (auto done = m_loader.take()) {
        if (done->value) {
            set_photo(*done->value);
            ev.loaded = *done->value;
        } else {
            ev.load_error = done->value.err();
        }
    }
    const uint64_t latest = m_latest->load();
    if (auto done = m_preview_worker.take()) {
        if (done->value) {
            const auto& f = *done->value;
            // A preview is worth showing only until a full result as new arrives, and only for this photo.
            if (f->photo == m_photo && (!m_shown || m_shown->generation < f->generation)) {
                m_shown = f;
                ev.previewed = true;
            }
        }
    }
    if (auto done = m_full_worker.take()) {
        if (done->value) {
            const auto& f = *done->value;
            if (!f->auto_backend.empty()) m_auto_backend = f->auto_backend;
            if (f->photo == m_photo) {
                m_full = f;
                if (!m_shown || m_shown->generation <= f->generation) m_shown = f;
                m_run_error.reset();
            }
        } else if (!is_filter_cancelled(done->value.err()) && m_submitted == latest) {
            m_run_error = done->value.err();
        }
    }
    submit();
    return ev;
}

void ImageLab::submit() {
    if (!m_dirty || !m_photo) return;
    m_dirty = false;
    const uint64_t generation = ++*m_latest;  // a run in flight for an older state stops at its next band
    m_submitted = generation;
    const FilterSpec spec = effective_spec(m_state);
    const Image& img = m_photo->image;
    const int64_t c = m_state.mode == ColorMode::Grey ? 1 : img.channels;
    auto g = filter_geometry({c, img.height, img.width}, spec);
    if (!g) {
        m_geometry_error = g.err();
        m_geometry.reset();
        return;
    }
    m_geometry_error.reset();
    m_geometry = *g;

    JobInput in;
    in.photo = m_photo;
    in.spec = spec;
    in.mode = m_state.mode;
    in.map = m_state.map;
    in.backend = m_state.backend;
    in.fastest = m_fastest.empty() ? std::string(fastest_cpu_backend().name()) : m_fastest;
    in.generation = generation;
    in.full_input = {c, img.height, img.width};
    in.full_output = g->output;
    in.max_side = m_max_texture_side;
    auto cache = m_cache;
    auto latest = m_latest;
    const int mode_index = in.mode == ColorMode::Grey ? 0 : 1;

    // The input pane's texture: what the filter sees (the luminance in grey mode, the photo in colour).
    auto input_shown = [cache, mode_index, in] {
        return cache->get(cache->shown[mode_index], [&] {
            auto s = std::make_shared<Cache::Shown>();
            const Image* src = &in.photo->image;
            Image grey;
            if (in.mode == ColorMode::Grey && src->channels == 3)
                if (auto t = image_to_tensor(*src, ColorMode::Grey))
                    if (auto g = to_display(*t, DisplayMap::Clamp)) grey = std::move(*g), src = &grey;
            s->rgba = std::make_shared<const std::vector<uint8_t>>(texture_of(*src, in.max_side, s->w, s->h));
            return std::shared_ptr<const Cache::Shown>(std::move(s));
        });
    };

    // A preview first where the photo is larger than the screen: the same filter on the photo shrunk once.
    const bool preview = m_preview_side > 0 && std::max(img.width, img.height) > m_preview_side;
    auto gate = std::make_shared<Gate>();
    if (!preview) gate->open = true;
    if (preview) {
        const int64_t side = m_preview_side;
        auto opener = std::make_shared<GateOpener>(GateOpener{gate});
        m_preview_worker.submit([cache, latest, in, side, mode_index, opener]() -> RunResult {
            if (latest->load() != in.generation) return fail<ErrCode::filter_cancelled>();
            auto small = cache->get(cache->small, [&] {
                int64_t factor = 1;
                return std::make_shared<const Image>(shrink_to_fit(in.photo->image, side, factor));
            });
            auto f = frame_for(in, true);
            Backend& backend = fastest_cpu_backend();  // never queued behind a full run on the GL thread
            const auto t0 = std::chrono::steady_clock::now();
            auto y = apply_filter_banded(*small, in.mode, in.spec, backend,
                                         [&] { return latest->load() != in.generation; });
            f->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (!y) return y.err();
            f->backend = std::string(backend.name());
            if (Status st = finish_output(*f, std::move(*y), in.max_side); !st) return st.err();
            {
                std::lock_guard lock(cache->mutex);
                if (auto s = cache->shown[mode_index]) {
                    f->input_rgba = s->rgba, f->input_w = s->w, f->input_h = s->h;
                }
            }
            if (!f->input_rgba) {  // the shrunk photo stands in until the full texture is made
                Image src = *small;
                if (in.mode == ColorMode::Grey && small->channels == 3)
                    if (auto t = image_to_tensor(*small, ColorMode::Grey))
                        if (auto grey = to_display(*t, DisplayMap::Clamp)) src = std::move(*grey);
                f->input_rgba = std::make_shared<const std::vector<uint8_t>>(rgba_of(src));
                f->input_w = src.width;
                f->input_h = src.height;
            }
            return std::shared_ptr<const LabFrame>(std::move(f));
        });
    }

    m_full_worker.submit([cache, latest, in, mode_index, input_shown, gate]() -> RunResult {
        const auto cancelled = [&] { return latest->load() != in.generation; };
        gate->wait(cancelled);
        if (cancelled()) return fail<ErrCode::filter_cancelled>();
        auto f = frame_for(in, false);
        // The backend asked for, or (fastest) the fastest that runs here, then the CPU ones.
        std::vector<std::string> names;
        if (!in.backend.empty()) {
            names.push_back(in.backend);
        } else {
            f->auto_backend = in.fastest;
            names.push_back(in.fastest);
            for (std::string_view n : backend_names())
                if (n != names.front() && n != "gpu") names.insert(names.begin() + 1, std::string(n));
        }
        Result<Tensor> y = fail<ErrCode::lab_no_backend>();
        for (const std::string& name : names) {
            auto backend = find_backend(name);
            if (!backend) {
                y = backend.err();
                continue;
            }
            const auto t0 = std::chrono::steady_clock::now();
            y = apply_filter_banded(in.photo->image, in.mode, in.spec, **backend, cancelled);
            f->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            f->backend = name;
            if (y || is_filter_cancelled(y.err())) break;
        }
        if (!y) return y.err();
        if (Status st = finish_output(*f, std::move(*y), in.max_side); !st) return st.err();
        if (cancelled()) return fail<ErrCode::filter_cancelled>();
        // The photo as a tensor (explain this pixel, hovered values) and its texture: made once per mode.
        f->input = cache->get(cache->tensor[mode_index], [&]() -> std::shared_ptr<const Tensor> {
            auto t = image_to_tensor(in.photo->image, in.mode);
            return t ? std::make_shared<const Tensor>(std::move(*t)) : nullptr;
        });
        if (!f->input) return fail<ErrCode::lab_too_large_to_explain>();
        const auto shown = input_shown();
        f->input_rgba = shown->rgba;
        f->input_w = shown->w;
        f->input_h = shown->h;
        return std::shared_ptr<const LabFrame>(std::move(f));
    });
}

bool ImageLab::stale() const {
    return m_shown && (m_shown->generation != m_latest->load() || m_geometry_error.has_value());
}

bool ImageLab::busy() const {
    return m_loader.busy() || m_preview_worker.busy() || m_full_worker.busy() || m_loader.ready() ||
           m_preview_worker.ready() || m_full_worker.ready() || (m_dirty && m_photo);
}

double ImageLab::running_seconds() const {
    return std::max(
        {m_loader.running_seconds(), m_preview_worker.running_seconds(), m_full_worker.running_seconds()});
}

void ImageLab::wait_idle() {
    m_loader.wait_idle();
    m_preview_worker.wait_idle();
    m_full_worker.wait_idle();
}

// [SECTION] Explain this pixel

void ImageLab::explain(int64_t oy, int64_t ox, int64_t channel) {
    if (!m_full || !m_full->input) {
        m_trace.reset();
        return;
    }
    const Tensor& out = *m_full->output;
    channel = std::clamp<int64_t>(channel, 0, out.dim(0) - 1);
    if (oy < 0 || ox < 0 || oy >= out.dim(1) || ox >= out.dim(2)) {
        m_trace.reset();
        m_trace_oy = m_trace_ox = -1;
        return;
    }
    if (m_trace_generation == m_full->generation && m_trace_oy == oy && m_trace_ox == ox &&
        m_trace_c == channel)
        return;
    m_trace_generation = m_full->generation;
    m_trace_oy = oy, m_trace_ox = ox, m_trace_c = channel;
    auto t = trace_filter(*m_full->input, m_full->spec, channel, oy, ox);
    if (t) {
        m_trace = std::move(*t);
        m_trace_error.reset();
    } else {
        m_trace.reset();
        m_trace_error = t.err();
    }
}

Result<Neighbourhood> ImageLab::neighbourhood() const {
    if (!m_full || !m_full->input || !m_trace) return fail<ErrCode::lab_no_pixel_explained>();
    // The stepper's own limits: grids up to 24×24, kernels up to 7×7.
    return stepper_neighbourhood(*m_full->input, m_full->spec, m_trace->o, m_trace->oy, m_trace->ox, 1, 24,
                                 7);
}

Status ImageLab::save_result(const std::string& path) const {
    if (!m_full) return fail<ErrCode::lab_nothing_to_save>();
    auto image = to_display(*m_full->output, m_full->map);
    if (!image) return image.err();
    return save_png(path, *image);
}

}  // namespace convscope
