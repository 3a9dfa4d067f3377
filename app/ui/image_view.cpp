// The image lab: a photo, a kernel (or pooling) and its parameters, the filtered result beside the input with
// linked zoom and pan, and "explain this pixel": the window of real input values, the weights and the
// multiply-accumulate line behind any output pixel. Core computes everything (core/filter.hpp); this file
// keeps the UI state, runs the work off the UI thread (LatestWorker: loading, filtering), and draws.
//
// [SECTION] Plumbing: dropped files, GL textures, recent files
// [SECTION] Jobs: loading and filtering off the UI thread
// [SECTION] ImageView: state
// [SECTION] ImageView: results and submissions
// [SECTION] ImageView: controls (image, kernel, parameters, display, backend, save)
// [SECTION] ImageView: the two panes (linked zoom and pan, true pixel size)
// [SECTION] ImageView: explain this pixel
// [SECTION] ImageView: the file browser
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <GL/gl.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "app/ui/draw.hpp"
#include "app/ui/fonts.hpp"
#include "app/ui/handoff.hpp"
#include "app/ui/palette.hpp"
#include "app/ui/settings.hpp"
#include "app/ui/view.hpp"
#include "core/fileio.hpp"
#include "core/filter.hpp"
#include "core/worker.hpp"

namespace convscope::ui {
namespace {

namespace fs = std::filesystem;
using Photo = convscope::Image;  // ui::Image (capture.hpp) is the framebuffer grab

// [SECTION] Plumbing: dropped files, GL textures, recent files

// An RGBA texture of a photo (grey is spread to RGB), magnified with nearest-neighbour sampling so that
// zoomed pixels stay square and countable.
class Texture {
public:
    Texture() = default;
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;
    ~Texture() { clear(); }

    // RGBA pixels, made on the worker thread (rgba_of) so that the UI thread only hands them to OpenGL.
    void upload(int64_t width, int64_t height, const std::vector<uint8_t>& rgba) {
        if (!m_id) glGenTextures(1, &m_id);
        glBindTexture(GL_TEXTURE_2D, m_id);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, GLsizei(width), GLsizei(height), 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     rgba.data());
        glBindTexture(GL_TEXTURE_2D, 0);
    }
    void clear() {
        if (m_id) glDeleteTextures(1, &m_id);
        m_id = 0;
    }
    bool valid() const { return m_id != 0; }
    ImTextureID id() const { return reinterpret_cast<ImTextureID>(intptr_t(m_id)); }

private:
    GLuint m_id = 0;
};

// A photo as RGBA bytes (grey spread to RGB, opaque), ready for glTexImage2D.
std::vector<uint8_t> rgba_of(const Photo& p) {
    std::vector<uint8_t> rgba(size_t(p.width * p.height * 4));
    for (int64_t i = 0; i < p.width * p.height; ++i)
        for (int k = 0; k < 4; ++k)
            rgba[size_t(i * 4 + k)] =
                k == 3 ? 255 : p.pixels[size_t(i * p.channels + (p.channels == 3 ? k : 0))];
    return rgba;
}

// The largest texture side we upload; bigger photos are shown shrunk (the arithmetic still uses every pixel).
int64_t max_texture_side() {
    static const int64_t side = [] {
        GLint v = 0;
        glGetIntegerv(GL_MAX_TEXTURE_SIZE, &v);
        return std::clamp<int64_t>(v, 1024, 8192);
    }();
    return side;
}

// Recent files live beside settings.json, one path a line, newest first.
std::string recent_path() {
    auto dir = config_dir();
    return dir ? *dir + "/recent-images.txt" : std::string();
}

std::vector<std::string> load_recent() {
    std::vector<std::string> v;
    const std::string p = recent_path();
    if (p.empty()) return v;
    auto bytes = read_file(p, 1 << 16);  // a regular file only: a FIFO here must not block the app
    if (!bytes) return v;
    std::string line;
    for (uint8_t c : *bytes) {
        if (c != '\n') {
            line += char(c);
            continue;
        }
        if (!line.empty() && v.size() < 10) v.push_back(line);
        line.clear();
    }
    if (!line.empty() && v.size() < 10) v.push_back(line);
    return v;
}

void save_recent(const std::vector<std::string>& v) {
    const std::string p = recent_path();
    if (p.empty()) return;
    std::error_code ec;
    fs::create_directories(fs::path(p).parent_path(), ec);
    std::string text;
    for (const std::string& s : v) text += s + "\n";
    (void)write_file_atomic(p, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

bool is_image_name(const fs::path& p) {
    std::string ext = p.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    // The formats core/image.hpp decodes; PSD, HDR and PIC files are refused there with a message.
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pnm", ".ppm", ".pgm"})
        if (ext == e) return true;
    return false;
}

Str preset_label(std::string_view id) {
    static constexpr std::pair<std::string_view, Str> labels[] = {
        {"identity", Str::img_k_identity},       {"box", Str::img_k_box},
        {"gaussian", Str::img_k_gaussian},       {"sharpen", Str::img_k_sharpen},
        {"laplacian", Str::img_k_laplacian},     {"log", Str::img_k_log},
        {"sobel-x", Str::img_k_sobel_x},         {"sobel-y", Str::img_k_sobel_y},
        {"scharr-x", Str::img_k_scharr_x},       {"scharr-y", Str::img_k_scharr_y},
        {"prewitt-x", Str::img_k_prewitt_x},     {"prewitt-y", Str::img_k_prewitt_y},
        {"emboss", Str::img_k_emboss},           {"outline", Str::img_k_outline},
        {"motion-blur", Str::img_k_motion_blur},
    };
    for (const auto& [key, s] : labels)
        if (key == id) return s;
    return Str::img_custom;
}

ImVec4 to_vec4(ImU32 c) {
    return ImGui::ColorConvertU32ToFloat4(c);
}

// A control's label on its own line above it (the settings panel is narrow), as the stepper does.
void label(Str s) {
    ImGui::TextUnformatted(tr(s));
}

// Red text for errors the user can fix.
void error_text(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(palette().strong(Role::Window)));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

// [SECTION] Jobs: loading and filtering off the UI thread

struct Loaded {
    std::string path;
    Photo photo;
};
using LoadResult = Result<std::shared_ptr<const Loaded>>;

// Everything a filter run needs, copied, so the UI may change its own state while the job runs.
struct FilterJob {
    std::shared_ptr<const Loaded> source;
    std::shared_ptr<const Tensor> input;  // the tensor of `source` in `mode` when already made, else null
    ColorMode mode = ColorMode::Color;
    FilterSpec spec;
    DisplayMap map = DisplayMap::Clamp;
    std::string backend;  // empty: the fastest available
};

struct Filtered {
    FilterJob job;
    std::shared_ptr<const Tensor> input, output;
    Photo output_shown;  // the output as shown (for the hovered value), shrunk to the texture limit
    std::vector<uint8_t> input_rgba, output_rgba;  // the textures' pixels
    int64_t input_w = 0, input_h = 0, output_w = 0, output_h = 0;
    ValueRange range;  // of the output, for Normalize
    std::string backend;
    double ms = 0.0;
};
using FilterResult = Result<std::shared_ptr<const Filtered>>;

FilterResult run_filter_job(FilterJob job, int64_t max_side) {
    auto out = std::make_shared<Filtered>();
    if (!job.input) {
        auto t = image_to_tensor(job.source->photo, job.mode);
        if (!t) return t.err();
        job.input = std::make_shared<const Tensor>(std::move(*t));
    }
    // The backend asked for, or (auto) the fastest one that is available here and runs: gpu, simd, reference.
    std::vector<std::string> names;
    if (!job.backend.empty()) {
        names.push_back(job.backend);
    } else {
        names.push_back(std::string(fastest_backend().name()));
        for (std::string_view n : backend_names())
            if (n != names.front() && n != "gpu") names.insert(names.begin() + 1, std::string(n));
    }
    Result<Tensor> y = fail("no backend");
    for (const std::string& name : names) {
        auto backend = find_backend(name);
        if (!backend) {
            y = backend.err();
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        y = apply_filter(*job.input, job.spec, **backend);
        const auto t1 = std::chrono::steady_clock::now();
        out->ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        out->backend = name;
        if (y) break;
    }
    if (!y) return y.err();
    auto shown = to_display(*y, job.map);
    if (!shown) return shown.err();
    int64_t factor = 1;
    out->output_shown = shrink_to_fit(*shown, max_side, factor);
    out->output_rgba = rgba_of(out->output_shown);
    out->output_w = out->output_shown.width;
    out->output_h = out->output_shown.height;
    out->range = finite_range(*y);
    // The input pane shows what the filter sees: the luminance in grey mode, the photo itself in colour.
    Photo in_shown;
    if (job.mode == ColorMode::Grey && job.source->photo.channels == 3) {
        auto grey = to_display(*job.input, DisplayMap::Clamp);
        if (!grey) return grey.err();
        in_shown = shrink_to_fit(*grey, max_side, factor);
    } else {
        in_shown = shrink_to_fit(job.source->photo, max_side, factor);
    }
    out->input_rgba = rgba_of(in_shown);
    out->input_w = in_shown.width;
    out->input_h = in_shown.height;
    out->input = job.input;
    out->output = std::make_shared<const Tensor>(std::move(*y));
    out->job = std::move(job);
    return std::shared_ptr<const Filtered>(std::move(out));
}

// [SECTION] ImageView: state

class ImageView final : public View {
public:
    ImageView() { set_kernel(*kernel_from_name("sobel-x")); }
    // Quitting keeps a custom kernel nobody saved: it comes back the next time the app opens.
    ~ImageView() override {
        if (!m_scripted) keep_custom_kernel();
    }

    std::string_view id() const override { return "image"; }
    Str title() const override { return Str::view_image; }

    void apply_options(const GuiOptions& o) override {
        m_scripted = o.headless_run();
        if (!m_scripted) m_recent = load_recent();
        if (!m_scripted && o.kernel.empty()) {
            if (auto k = read_kernel_file(kept_kernel_path()); k) {
                k->name = "custom";
                set_kernel(std::move(*k));
            }
        }
        if (!o.kernel.empty()) {
            auto k = kernel_from_name(o.kernel);
            if (!k) k = read_kernel_file(o.kernel);  // gui_options checked that one of them reads
            if (k) set_kernel(std::move(*k));
        }
        suggest_map();
        if (auto p = parse_pair(o.explain); !o.explain.empty() && p) {
            m_pinned = true;
            m_explain_at = {p->h, p->w};
        }
        const std::string assets = find_assets_dir();
        for (const char* name : {"camera.png", "chelsea.png", "coffee.png"})
            if (!assets.empty() && fs::exists(fs::path(assets) / name))
                m_samples.push_back((fs::path(assets) / name).string());
        // Loaded when the view is first shown, so runs of other views do not pay for it.
        m_initial = !o.image.empty() ? o.image : m_samples.empty() ? std::string() : m_samples.front();
    }

    // Only while shown: a view in a hidden tab never takes its results and must not hold up a scripted run. A
    // finished result not taken yet counts: the job may end between this frame's drawing and this call.
    bool busy() const override {
        return m_drawn_frame == ImGui::GetFrameCount() &&
               (m_loader.busy() || m_filter.busy() || m_filter.ready() || m_waiting_load ||
                (m_dirty && m_source));
    }

    void draw_content(ViewContext& ctx) override;

    // Scenes: the photo (a bundled sample or a file), the kernel (a preset name or a matrix), stride,
    // padding, padding mode, grey or colour, and the grey-level map.
    bool load_scene(const Scene& scene) override {
        if (scene.view != SceneView::Image) return false;
        const ImageScene& m = scene.image;
        m_scene = scene;
        const std::string assets = find_assets_dir();
        m_initial.clear();  // the sample the view would open first must not replace the scene's photo
        load(m.photo_path.empty() ? assets + "/" + m.photo + ".png" : m.photo_path);
        if (!m.kernel_name.empty()) {
            if (auto k = kernel_from_name(m.kernel_name)) set_kernel(std::move(*k));
        } else {
            Kernel k;
            k.rows = int64_t(m.kernel_matrix.size());
            k.cols = int64_t(m.kernel_matrix[0].size());
            k.cells.clear();
            for (const auto& row : m.kernel_matrix)
                for (float v : row) k.cells.push_back(double(v));
            set_kernel(std::move(k));
        }
        m_spec.op = FilterOp::Conv;
        m_spec.conv.stride = m.stride;
        m_spec.conv.padding = m.padding;
        m_spec.conv.padding_mode = m.padding_mode;
        m_padding_kind = m.padding.kind == PaddingKind::Same    ? 1
                         : m.padding.kind == PaddingKind::Valid ? 2
                                                                : 0;
        m_mode = m.colour ? ColorMode::Color : ColorMode::Grey;
        if (auto map = parse_display_map(m.map)) m_map = *map;
        m_dirty = true;
        return true;
    }
    std::optional<Scene> current_scene() const override {
        Scene s = m_scene ? *m_scene : Scene{};
        s.view = SceneView::Image;
        ImageScene& m = s.image;
        const std::string path = m_source ? m_source->path : m_loading_path;
        const std::string assets = find_assets_dir();
        m.photo_path.clear();
        if (path == assets + "/camera.png" || path.empty())
            m.photo = "camera";
        else if (path == assets + "/chelsea.png")
            m.photo = "chelsea";
        else
            m.photo = std::filesystem::absolute(path).string();
        const Kernel& k = m_spec.kernel;
        m.kernel_matrix.clear();
        m.kernel_name = kernel_from_name(k.name) ? k.name : std::string();
        if (m.kernel_name.empty())
            for (int64_t r = 0; r < k.rows; ++r) {
                m.kernel_matrix.emplace_back();
                for (int64_t c = 0; c < k.cols; ++c) m.kernel_matrix.back().push_back(k.weight(r, c));
            }
        m.stride = m_spec.conv.stride;
        m.padding = m_spec.conv.padding;
        m.padding_mode = m_spec.conv.padding_mode;
        m.colour = m_mode == ColorMode::Color;
        m.map = m_map == DisplayMap::Abs ? "abs" : m_map == DisplayMap::Normalize ? "normalize" : "clamp";
        return s;
    }

private:
    void load(const std::string& path) {
        m_loading_path = path;
        m_load_error.reset();
        m_loader.submit([path]() -> LoadResult {
            auto img = load_image(path);
            if (!img) return img.err();
            auto l = std::make_shared<Loaded>();
            l->path = path;
            l->photo = std::move(*img);
            return std::shared_ptr<const Loaded>(std::move(l));
        });
        m_waiting_load = true;
    }

    void remember(const std::string& path) {
        if (m_scripted) return;
        std::error_code ec;
        const std::string abs = fs::absolute(path, ec).string();
        std::erase(m_recent, abs);
        m_recent.insert(m_recent.begin(), abs);
        if (m_recent.size() > 10) m_recent.resize(10);
        save_recent(m_recent);
    }

    // Where the custom kernel is kept between runs (beside settings.json); "" without a config directory.
    static std::string kept_kernel_path() {
        auto dir = config_dir();
        return dir ? *dir + "/custom-kernel.txt" : std::string();
    }

    // Writes the kernel in use to kept_kernel_path() when it is custom (atomically: a failed write keeps the
    // old file), or removes the kept one when a preset is in use.
    void keep_custom_kernel() const {
        const std::string p = kept_kernel_path();
        if (p.empty()) return;
        std::error_code ec;
        if (!m_preset.empty()) {
            fs::remove(p, ec);
            return;
        }
        fs::create_directories(fs::path(p).parent_path(), ec);
        if (const Status st = write_kernel_file(p, m_spec.kernel); !st)
            std::fprintf(stderr, "convscope: the custom kernel was not kept: %s\n", st.error().c_str());
    }

    // Takes a kernel and recognizes the preset it came from ("gaussian5:1.4" → Gaussian, size 5, σ 1.4).
    void set_kernel(Kernel k) {
        m_preset.clear();
        for (const PresetInfo& p : kernel_presets()) {
            const bool sized_match = p.sized && k.name.starts_with(p.id) && k.name.size() > p.id.size() &&
                                     std::isdigit(static_cast<unsigned char>(k.name[p.id.size()]));
            if (k.name != p.id && !sized_match) continue;
            m_preset = std::string(p.id);
            if (p.sized) m_preset_size = int(k.rows);
            if (p.has_sigma) {
                const size_t colon = k.name.find(':');
                m_sigma = colon == std::string::npos ? float(default_sigma(k.rows))
                                                     : float(std::atof(k.name.c_str() + colon + 1));
            }
        }
        m_spec.kernel = std::move(k);
        m_dirty = true;
    }

    // Edge detectors (weights summing to 0) give negative values for half their edges: clamping would hide
    // those, so choosing one shows |value|; anything else starts clamped. The user may change it afterwards.
    void suggest_map() {
        m_map = std::fabs(m_spec.kernel.weight_sum()) < 1e-9 ? DisplayMap::AbsScaled : DisplayMap::Clamp;
        m_dirty = true;
    }

    void apply_preset() {
        for (const PresetInfo& p : kernel_presets())
            if (p.id == m_preset)
                if (auto k = make_preset(p.id, p.sized ? m_preset_size : 0, p.has_sigma ? m_sigma : 0.0)) {
                    m_spec.kernel = std::move(*k);
                    m_dirty = true;
                }
    }

    void take_results(ViewContext& ctx);
    // Makes `source` the image shown and filtered.
    void show_source(ViewContext& ctx, std::shared_ptr<const Loaded> source);
    void submit_if_dirty();
    void update_trace();
    void draw_controls(ViewContext& ctx);
    void draw_kernel_editor(ViewContext& ctx);
    void draw_panes(ViewContext& ctx, ImVec2 size);
    void draw_explain(ViewContext& ctx, ImVec2 size);
    void draw_file_browser(ViewContext& ctx);

    // Pane geometry along one axis. Output coordinate u maps to input coordinate x = (u − ½)·s + off + ½,
    // with off = −pad + d·(k − 1)/2: each output pixel sits over the centre of its window and spans one
    // stride.
    struct Axis {
        double s = 1, off = 0;
        double x_of(double u) const { return (u - 0.5) * s + off + 0.5; }
        double u_of(double x) const { return (x - off - 0.5) / s + 0.5; }
    };
    static Axis axis_of(const AxisSpec& a) {
        return {double(a.stride), double(-a.pad_before) + double(a.dilation * (a.kernel - 1)) / 2.0};
    }

    // State: loading, the photo, the result shown
    bool m_scripted = false;
    int m_drawn_frame = -1;
    std::string m_initial;
    std::optional<Scene> m_scene;  // the scene last loaded (caption, unknown fields)
    LatestWorker<LoadResult> m_loader;
    LatestWorker<FilterResult> m_filter;
    bool m_waiting_load = false;
    std::shared_ptr<const Loaded> m_source;
    std::shared_ptr<const Filtered> m_result;
    uint64_t m_shown_generation = 0;
    Texture m_input_tex, m_output_tex;
    std::string m_loading_path;
    std::optional<Error> m_load_error, m_run_error;  // structured: drawn in the current language
    std::vector<std::string> m_samples, m_recent;

    // State: what the user chose
    FilterSpec m_spec;
    std::string m_preset;  // empty: custom
    int m_preset_size = 3;
    float m_sigma = 1.1f;
    int m_padding_kind = 0;  // 0 numbers, 1 same, 2 valid
    bool m_pool_stride_is_window = true;
    ColorMode m_mode = ColorMode::Color;
    DisplayMap m_map = DisplayMap::Clamp;
    std::string m_backend;  // "" the fastest available
    bool m_dirty = true;
    std::optional<FilterGeometry> m_geometry;
    std::optional<Error> m_geometry_error;
    std::string m_kernel_path = "kernel.txt";
    bool m_editor_open = false;
    std::string m_save_path = "filtered.png";

    // State: the panes (zoom in screen pixels per input pixel, pan as the input point at the panes' centre)
    bool m_true_size = false;
    bool m_compact = false;  // this frame: a short work area (labels inside the panes, a one-line hint)
    double m_zoom = 1.0;
    double m_cx = 0.0, m_cy = 0.0;
    bool m_need_fit = true;
    std::optional<std::pair<int64_t, int64_t>> m_hover_input;

    // State: explain this pixel
    bool m_pinned = false;
    std::pair<int64_t, int64_t> m_explain_at{-1, -1};  // (row, column) of the output
    int m_explain_channel = 0;
    std::optional<Trace> m_trace;
    std::optional<Error> m_trace_error;
    std::tuple<uint64_t, int64_t, int64_t, int> m_trace_key{0, -1, -1, -1};

    // State: the file browser
    bool m_browser_open = false;
    std::string m_browser_dir, m_browser_path;
};

// [SECTION] ImageView: results and submissions

void ImageView::show_source(ViewContext& ctx, std::shared_ptr<const Loaded> source) {
    m_source = std::move(source);
    m_result.reset();
    m_input_tex.clear();
    m_output_tex.clear();
    m_need_fit = true;
    m_dirty = true;
    const fs::path p(m_source->path);
    m_save_path = p.stem().string() + "-filtered.png";
    ctx.notify(trf(Str::msg_image, p.filename().string().c_str()));
}

void ImageView::take_results(ViewContext& ctx) {
    // A feature map from the network view: shown at once (it is not a file, so not a recent one).
    if (auto r = ctx.requests.take_image()) {
        auto l = std::make_shared<Loaded>();
        l->path = std::move(r->name);
        l->photo = std::move(r->image);
        m_initial.clear();  // the sample photo the view would open first must not replace it
        show_source(ctx, std::move(l));
    }
    if (auto done = m_loader.take()) {
        m_waiting_load = false;
        if (done->value) {
            remember((*done->value)->path);
            show_source(ctx, *done->value);
        } else {
            m_load_error = done->value.err();  // the photo shown before (if any) stays
            ctx.notify(std::string(tr(Str::img_load_fail)) + " " + tr_error(*m_load_error));
        }
    }
    if (auto done = m_filter.take()) {
        if (done->value) {
            m_result = *done->value;
            m_run_error.reset();
            m_input_tex.upload(m_result->input_w, m_result->input_h, m_result->input_rgba);
            m_output_tex.upload(m_result->output_w, m_result->output_h, m_result->output_rgba);
            m_shown_generation = done->generation;
        } else if (done->generation == m_filter.generation()) {
            m_run_error = done->value.err();
        }
    }
}

// Submits a filter run when something changed and the geometry is valid; an invalid one shows its error
// instead.
void ImageView::submit_if_dirty() {
    if (!m_dirty || !m_source) return;
    m_dirty = false;
    FilterSpec spec = m_spec;
    if (m_padding_kind == 1) spec.conv.padding = Padding::same();
    if (m_padding_kind == 2) spec.conv.padding = Padding::valid();
    if (spec.op != FilterOp::Conv && m_pool_stride_is_window) spec.pool.stride = Pair{0};
    const int64_t c = m_mode == ColorMode::Grey ? 1 : m_source->photo.channels;
    auto g = filter_geometry({c, m_source->photo.height, m_source->photo.width}, spec);
    if (!g) {
        m_geometry_error = g.err();
        m_geometry.reset();
        return;
    }
    m_geometry_error.reset();
    m_geometry = *g;
    FilterJob job;
    job.source = m_source;
    if (m_result && m_result->job.source == m_source && m_result->job.mode == m_mode)
        job.input = m_result->input;
    job.mode = m_mode;
    job.spec = spec;
    job.map = m_map;
    job.backend = m_backend;
    const int64_t side = max_texture_side();
    m_filter.submit([job, side] { return run_filter_job(job, side); });
}

void ImageView::draw_content(ViewContext& ctx) {
    m_drawn_frame = ImGui::GetFrameCount();
    // Files dropped on the window (the shell opens scenes and lessons itself; the rest come here).
    for (const std::string& path : ctx.requests.take_dropped_files()) load(path);
    take_results(
        ctx);  // first: a feature map handed over by the network view replaces the first sample photo
    if (!m_initial.empty()) load(std::exchange(m_initial, std::string()));
    submit_if_dirty();
    update_trace();

    const float full_w = ImGui::GetContentRegionAvail().x;
    // A short work area leaves the photos height-bound: the panel may then take more of the width, which the
    // photos would not use, so its words and buttons keep their room at a large scale.
    const bool short_area = ImGui::GetContentRegionAvail().y < ctx.fonts.ui_size * 22.0f;
    const float panel_w = std::min(ctx.fonts.ui_size * 17.0f, full_w * (short_area ? 0.4f : 0.32f));
    // Its text wraps (a horizontal scrollbar would widen the wrapping with the content, so there is none).
    ImGui::BeginChild("##image_controls", ImVec2(panel_w, 0), true);
    ImGui::PushTextWrapPos(0.0f);
    draw_controls(ctx);
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##image_work", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // The photos stay large: the explain panel takes its full height only once a pixel is explained (the
    // hint alone needs a few lines). Where the work area is short for the UI scale (a large scale on a small
    // screen), the hint is one line (the rest on hover) and the panes' labels go inside the panes.
    m_compact = avail.y < ctx.fonts.ui_size * 22.0f;
    const float one_line = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2;
    const float explain_h = m_trace || m_trace_error.has_value()
                                ? std::min(avail.y * 0.4f, ctx.fonts.ui_size * 14.0f)
                            : m_compact ? one_line
                                        : std::min(avail.y * 0.27f, ctx.fonts.ui_size * 6.5f);
    draw_panes(ctx, ImVec2(avail.x, avail.y - explain_h - ImGui::GetStyle().ItemSpacing.y));
    draw_explain(ctx, ImVec2(avail.x, explain_h));
    ImGui::EndChild();
    if (m_spec.op == FilterOp::Conv) draw_kernel_editor(ctx);
    draw_file_browser(ctx);
}

// [SECTION] ImageView: controls (image, kernel, parameters, display, backend, save)

void ImageView::draw_controls(ViewContext& ctx) {
    const Palette& pal = palette();
    ImGui::PushItemWidth(-FLT_MIN);

    // Image: what is loaded, samples, a file, drop
    ImGui::TextColored(to_vec4(pal.strong(Role::Input)), "%s", tr(Str::img_image));
    if (m_source) {
        const Photo& p = m_source->photo;
        const std::string name = fs::path(m_source->path).filename().string();
        ImGui::TextWrapped("%s", trf(p.channels == 1 ? Str::img_info_grey : Str::img_info_colour,
                                     name.c_str(), int(p.width), int(p.height))
                                     .c_str());
    }
    if (m_loader.busy())
        ImGui::TextWrapped(
            "%s", trf(Str::img_loading, fs::path(m_loading_path).filename().string().c_str()).c_str());
    if (m_load_error.has_value())
        error_text(std::string(tr(Str::img_load_fail)) + " " + tr_error(*m_load_error));
    if (!m_samples.empty()) {
        ImGui::TextColored(to_vec4(pal.text_muted), "%s", tr(Str::img_samples));
        // The buttons flow: one goes on the next row when it would pass the panel's edge.
        const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
        for (size_t i = 0; i < m_samples.size(); ++i) {
            const std::string name = fs::path(m_samples[i]).stem().string();
            const float w = ImGui::CalcTextSize(name.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
            if (i && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right)
                ImGui::SameLine();
            if (ImGui::SmallButton(name.c_str())) load(m_samples[i]);
        }
    }
    if (ImGui::Button(tr(Str::img_open))) {
        m_browser_open = true;
        std::error_code ec;
        if (m_browser_dir.empty())
            m_browser_dir = m_source ? fs::absolute(m_source->path, ec).parent_path().string()
                                     : fs::current_path(ec).string();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(pal.text_muted));
    ImGui::TextWrapped("%s", tr(Str::img_drop_hint));
    ImGui::PopStyleColor();
    ImGui::Separator();

    // Operation, then the kernel or the pooling window
    int op = int(m_spec.op);
    label(Str::op);
    const char* ops[] = {tr(Str::op_conv), tr(Str::op_max), tr(Str::op_avg)};
    if (ImGui::Combo("##op", &op, ops, 3)) {
        m_spec.op = FilterOp(op);
        m_dirty = true;
    }
    const bool conv = m_spec.op == FilterOp::Conv;
    if (conv) {
        ImGui::TextColored(to_vec4(pal.strong(Role::Kernel)), "%s", tr(Str::label_kernel));
        // A kernel read from a file goes by the file's name until its cells are edited.
        const std::string& name = m_spec.kernel.name;
        const std::string current = !m_preset.empty()                  ? tr(preset_label(m_preset))
                                    : name.empty() || name == "custom" ? tr(Str::img_custom)
                                                                       : name;
        if (ImGui::BeginCombo("##preset", current.c_str())) {
            for (const PresetInfo& p : kernel_presets())
                if (ImGui::Selectable(tr(preset_label(p.id)), p.id == m_preset)) {
                    m_preset = std::string(p.id);
                    m_preset_size = p.default_size;
                    m_sigma = float(default_sigma(p.default_size));
                    apply_preset();
                    suggest_map();
                }
            ImGui::EndCombo();
        }
        for (const PresetInfo& p : kernel_presets()) {
            if (p.id != m_preset) continue;
            if (p.sized) {
                label(Str::img_size);
                if (ImGui::SliderInt("##ksize", &m_preset_size, 1, int(kMaxImageKernelSide), "%d",
                                     ImGuiSliderFlags_AlwaysClamp)) {
                    if (p.has_sigma) m_sigma = float(default_sigma(m_preset_size));
                    apply_preset();
                }
            }
            if (p.has_sigma) {
                label(Str::img_sigma);
                if (ImGui::SliderFloat("##sigma", &m_sigma, 0.2f, 6.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp))
                    apply_preset();
            }
        }
        if (ImGui::Button((std::string(tr(Str::img_edit)) + "…").c_str())) m_editor_open = !m_editor_open;
    } else {
        int k[2] = {int(m_spec.pool.kernel.h), int(m_spec.pool.kernel.w)};
        label(Str::img_pool_window);
        if (ImGui::SliderInt2("##pool_k", k, 1, int(kMaxImageKernelSide), "%d",
                              ImGuiSliderFlags_AlwaysClamp)) {
            m_spec.pool.kernel = Pair{k[0], k[1]};
            m_dirty = true;
        }
        if (ImGui::Checkbox(tr(Str::img_stride_is_window), &m_pool_stride_is_window)) m_dirty = true;
    }
    ImGui::Separator();

    // Stride, padding, dilation, padding mode
    Pair& stride = conv ? m_spec.conv.stride : m_spec.pool.stride;
    if (conv || !m_pool_stride_is_window) {
        if (stride.h < 1 || stride.w < 1) stride = m_spec.pool.kernel;
        int v[2] = {int(stride.h), int(stride.w)};
        label(Str::stride);
        if (ImGui::SliderInt2("##stride", v, 1, 8, "%d", ImGuiSliderFlags_AlwaysClamp)) {
            stride = Pair{v[0], v[1]};
            m_dirty = true;
        }
    }
    label(conv ? Str::padding_kind : Str::padding);
    if (conv) {
        const char* kinds[] = {tr(Str::padding_numbers), "same", "valid"};
        if (ImGui::Combo("##padkind", &m_padding_kind, kinds, 3)) m_dirty = true;
    }
    if (!conv || m_padding_kind == 0) {
        Pair& pad = conv ? m_spec.conv.padding.amount : m_spec.pool.padding;
        int v[2] = {int(pad.h), int(pad.w)};
        if (ImGui::SliderInt2("##pad", v, 0, 7, "%d", ImGuiSliderFlags_AlwaysClamp)) {
            pad = Pair{v[0], v[1]};
            m_dirty = true;
        }
    }
    if (conv || m_spec.op == FilterOp::MaxPool) {
        Pair& dil = conv ? m_spec.conv.dilation : m_spec.pool.dilation;
        int v[2] = {int(dil.h), int(dil.w)};
        label(Str::dilation);
        if (ImGui::SliderInt2("##dil", v, 1, 5, "%d", ImGuiSliderFlags_AlwaysClamp)) {
            dil = Pair{v[0], v[1]};
            m_dirty = true;
        }
    }
    if (conv) {
        int mode = int(m_spec.conv.padding_mode);
        const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
        label(Str::padding_mode);
        if (ImGui::Combo("##padmode", &mode, modes, 4)) {
            m_spec.conv.padding_mode = PaddingMode(mode);
            m_dirty = true;
        }
    }

    if (m_geometry_error.has_value()) error_text(tr_error(*m_geometry_error));
    ImGui::Separator();

    // Colour, display mapping
    // A grey photo has one channel: grey is what the filter sees, so that is what is selected.
    const bool grey_photo = m_source && m_source->photo.channels == 1;
    int mode = grey_photo ? 0 : int(m_mode);
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
    if (radio(Str::img_grey, 0)) m_dirty = true;
    ImGui::BeginDisabled(grey_photo);
    if (radio(Str::img_rgb, 1) && !grey_photo) m_dirty = true;
    ImGui::EndDisabled();
    if (!grey_photo) m_mode = ColorMode(mode);
    int map = int(m_map);
    label(Str::img_map);
    const char* maps[] = {tr(Str::img_map_clamp), tr(Str::img_map_abs), tr(Str::img_map_normalize),
                          tr(Str::img_map_abs_scaled)};
    if (ImGui::Combo("##map", &map, maps, 4)) {
        m_map = DisplayMap(map);
        m_dirty = true;
    }
    ImGui::Separator();

    // Backend and the time it took
    label(Str::img_backend);
    const std::string shown = m_backend.empty() ? tr(Str::img_fastest) : m_backend;
    if (ImGui::BeginCombo("##backend", shown.c_str())) {
        if (ImGui::Selectable(tr(Str::img_fastest), m_backend.empty())) {
            m_backend.clear();
            m_dirty = true;
        }
        for (std::string_view n : backend_names())
            if (ImGui::Selectable(std::string(n).c_str(), m_backend == n)) {
                m_backend = std::string(n);
                m_dirty = true;
            }
        ImGui::EndCombo();
    }
    if (m_result) ImGui::TextUnformatted(trf(Str::img_time, m_result->backend.c_str(), m_result->ms).c_str());
    if (m_backend.empty()) {
        // Say why the gpu was passed over (unavailable, or emulated on the CPU), so nobody wonders.
        std::string why_not_gpu;
        if (fastest_backend(&why_not_gpu).name() != "gpu") {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("gpu: %s", why_not_gpu.c_str());
            ImGui::PopTextWrapPos();
        }
    }
    if (m_run_error.has_value()) error_text(tr_error(*m_run_error));
    ImGui::Separator();

    // Save the output
    label(Str::img_save_png);
    ImGui::InputText("##save_path", &m_save_path);
    ImGui::BeginDisabled(!m_result);
    if (ImGui::Button(tr(Str::img_save))) {
        auto full = to_display(*m_result->output, m_result->job.map);
        const Status st = full ? save_png(m_save_path, *full) : Status(full.err());
        ctx.notify(st ? trf(Str::msg_saved, m_save_path.c_str())
                      : trf(Str::msg_save_fail, m_save_path.c_str()) + ": " + tr_error(st.err()));
    }
    ImGui::EndDisabled();
    ImGui::PopItemWidth();
}

void ImageView::draw_kernel_editor(ViewContext& ctx) {
    const float s = ctx.scale;
    Kernel& k = m_spec.kernel;
    if (!m_editor_open) return;
    // Its own window, sized to the grid: a 15×15 kernel does not fit the settings panel.
    const std::string title = std::string(tr(Str::img_edit)) + "###kernel_editor";
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(title.c_str(), &m_editor_open,
                      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                          ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    bool changed = false;
    ImGui::PushItemWidth(ctx.fonts.ui_size * 14.0f);
    int rc[2] = {int(k.rows), int(k.cols)};
    label(Str::img_rows_cols);
    if (ImGui::SliderInt2("##rc", rc, 1, int(kMaxImageKernelSide), "%d", ImGuiSliderFlags_AlwaysClamp))
        changed = resize_kernel(k, rc[0], rc[1]).ok();
    const float gap = 2.0f * s;
    const float cell_w = ctx.fonts.ui_size * 4.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2.0f * s, ImGui::GetStyle().FramePadding.y));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, to_vec4(palette().fill(Role::Kernel)));
    for (int64_t r = 0; r < k.rows; ++r)
        for (int64_t c = 0; c < k.cols; ++c) {
            if (c) ImGui::SameLine();
            ImGui::PushID(int(r * k.cols + c));
            ImGui::SetNextItemWidth(cell_w);
            double v = k.cells[size_t(r * k.cols + c)];
            if (ImGui::InputDouble("##cell", &v, 0.0, 0.0, "%.3g") && std::isfinite(v)) {
                k.cells[size_t(r * k.cols + c)] = v;
                changed = true;
            }
            ImGui::PopID();
        }
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    label(Str::img_divisor);
    double divisor = k.divisor;
    if (ImGui::InputDouble("##div", &divisor, 0.0, 0.0, "%.6g") && divisor != 0.0 && std::isfinite(divisor)) {
        k.divisor = divisor;
        changed = true;
    }
    label(Str::img_offset);
    double offset = k.offset;
    if (ImGui::InputDouble("##offset", &offset, 0.0, 0.0, "%.6g") && std::isfinite(offset)) {
        k.offset = offset;
        changed = true;
    }
    if (ImGui::Button(tr(Str::img_normalize))) {
        if (const Status st = normalize_to_sum_one(k); st) {
            changed = true;
            ctx.notify("");  // an earlier refusal ("cells sum to 0") is no longer true
        } else {
            ctx.notify(tr_error(st.err()));
        }
    }
    label(Str::img_kernel_file);
    ImGui::InputText("##kpath", &m_kernel_path);
    if (ImGui::Button(tr(Str::img_load))) {
        if (auto loaded = read_kernel_file(m_kernel_path))
            set_kernel(std::move(*loaded));
        else
            ctx.notify(tr_error(loaded.err()));
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_save))) {
        const Status st = write_kernel_file(m_kernel_path, k);
        ctx.notify(st ? trf(Str::msg_saved, m_kernel_path.c_str()) : tr_error(st.err()));
    }
    if (changed) {
        k.name = "custom";
        m_preset.clear();
        m_dirty = true;
    }
    ImGui::PopItemWidth();
    ImGui::End();
}

// [SECTION] ImageView: the two panes (linked zoom and pan, true pixel size)

void ImageView::draw_panes(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    const ImGuiIO& io = ImGui::GetIO();

    // A toolbar: true pixel size, fit, zoom, the input value under the mouse.
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::Checkbox(tr(Str::img_true_size), &m_true_size);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Str::img_true_size_tip));
    // Each item beside the one before when it fits, else on the next row (a large scale on a narrow pane).
    const auto beside = [](const std::string& text, float extra) {
        const float w = ImGui::CalcTextSize(text.c_str()).x + extra;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    };
    beside(tr(Str::img_fit), ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::Button(tr(Str::img_fit))) m_need_fit = true;
    const std::string zoom = trf(Str::img_zoom, m_zoom * 100.0);
    beside(zoom, 0.0f);
    ImGui::TextColored(to_vec4(pal.text_muted), "%s", zoom.c_str());
    if (m_hover_input && m_result) {
        const auto [iy, ix] = *m_hover_input;
        const Tensor& in = *m_result->input;
        std::string v;
        for (int64_t c = 0; c < in.dim(0); ++c)
            v += (c ? ", " : "") + format_number(in.data[size_t((c * in.dim(1) + iy) * in.dim(2) + ix)]);
        const std::string at = trf(Str::img_input_at, int(iy), int(ix), v.c_str());
        beside(at, 0.0f);
        ImGui::TextColored(to_vec4(pal.text_muted), "%s", at.c_str());
    }
    m_hover_input.reset();
    // The output size, worked out for each side, right above the panes where the output grows and shrinks.
    if (m_geometry) {
        // Sized from the work area, not the UI scale, so a large scale leaves the photos their room.
        const float px = std::clamp(size.y / 22.0f, std::min(18.0f, ctx.fonts.ui_size), ctx.fonts.ui_size);
        ImFont* f = ctx.fonts.for_size(px);
        const std::string h_line = "H_out = " + tr_axis_formula(m_geometry->h);
        const float room = ImGui::GetContentRegionAvail().x;
        text_line(f, fit_size(f, px, room, h_line), pal.strong(Role::Output), h_line);
        // Beside H_out where it fits, else below it (never cut at the pane's edge: shrunk to the pane).
        const std::string w_line = "W_out = " + tr_axis_formula(m_geometry->w);
        ImGui::SameLine(0.0f, px * 1.5f);
        if (ImGui::GetContentRegionAvail().x < text_size(f, px, w_line).x) ImGui::NewLine();
        text_line(f, fit_size(f, px, room, w_line), pal.strong(Role::Output), w_line);
    }
    const float bar_h = ImGui::GetCursorScreenPos().y - top.y;

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = 8.0f * s;
    const float label_h = m_compact ? 0.0f : ImGui::GetTextLineHeightWithSpacing();
    const ImVec2 pane(std::max(10.0f, (size.x - gap) / 2.0f), std::max(10.0f, size.y - bar_h - label_h));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 in_min(origin.x, origin.y + label_h), out_min(origin.x + pane.x + gap, origin.y + label_h);
    const ImVec2 in_max(in_min.x + pane.x, in_min.y + pane.y),
        out_max(out_min.x + pane.x, out_min.y + pane.y);
    const ImVec2 in_c((in_min.x + in_max.x) / 2, (in_min.y + in_max.y) / 2);
    const ImVec2 out_c((out_min.x + out_max.x) / 2, (out_min.y + out_max.y) / 2);
    if (m_need_fit && m_source) {
        const double w = double(m_source->photo.width), h = double(m_source->photo.height);
        m_zoom = std::min(double(pane.x) / w, double(pane.y) / h) * 0.98;
        m_cx = w / 2;
        m_cy = h / 2;
        m_need_fit = false;
    }

    // Labels above the panes: the output's shape beside its name (drawn after the photos, inside the panes
    // on a backing, when the work area is short).
    std::string out_label = tr(Str::label_output);
    if (m_result) out_label += "  " + shape_to_string(m_result->output->shape);
    const auto draw_labels = [&] {
        const ImVec2 at_in(in_min.x, origin.y), at_out(out_min.x, origin.y);
        if (m_compact) {
            const float pad = 4.0f * s;
            for (auto [at, text] :
                 {std::pair{at_in, tr(Str::label_input)}, std::pair{at_out, out_label.c_str()}}) {
                const ImVec2 ts = ImGui::CalcTextSize(text);
                dl->AddRectFilled(at, ImVec2(at.x + std::min(ts.x + 2 * pad, pane.x), at.y + ts.y + pad),
                                  with_alpha(pal.panel, 0.85f));
            }
            // Shrunk to the pane where the output's shape would run past it.
            ImFont* f = ImGui::GetFont();
            const float fs = ImGui::GetFontSize();
            dl->AddText(f, fit_size(f, fs, pane.x - 2 * pad, tr(Str::label_input)),
                        ImVec2(at_in.x + pad, at_in.y + pad / 2), pal.strong(Role::Input),
                        tr(Str::label_input));
            dl->AddText(f, fit_size(f, fs, pane.x - 2 * pad, out_label),
                        ImVec2(at_out.x + pad, at_out.y + pad / 2), pal.strong(Role::Output),
                        out_label.c_str());
            return;
        }
        // Shrunk to the pane's width where a large scale would run them past it.
        ImFont* f = ImGui::GetFont();
        const float fs = ImGui::GetFontSize();
        dl->AddText(f, fit_size(f, fs, pane.x, tr(Str::label_input)), at_in, pal.strong(Role::Input),
                    tr(Str::label_input));
        dl->AddText(f, fit_size(f, fs, pane.x, out_label), at_out, pal.strong(Role::Output),
                    out_label.c_str());
    };
    if (!m_compact) draw_labels();

    // The output's placement comes from the result shown (its own geometry), not the one being computed.
    Axis ax, ay;
    if (m_result)
        if (auto g = filter_geometry(m_result->input->shape, m_result->job.spec)) {
            ax = axis_of(g->w);
            ay = axis_of(g->h);
        }
    auto in_to_screen = [&](double x, double y) {
        return ImVec2(in_c.x + float((x - m_cx) * m_zoom), in_c.y + float((y - m_cy) * m_zoom));
    };
    // Output (u, v) → screen: over the input it came from, or at true pixel size (one output pixel per zoom
    // step).
    auto out_to_screen = [&](double u, double v) {
        if (!m_true_size)
            return ImVec2(out_c.x + float((ax.x_of(u) - m_cx) * m_zoom),
                          out_c.y + float((ay.x_of(v) - m_cy) * m_zoom));
        return ImVec2(out_c.x + float((u - ax.u_of(m_cx)) * m_zoom),
                      out_c.y + float((v - ay.u_of(m_cy)) * m_zoom));
    };
    auto screen_to_out = [&](ImVec2 p) {
        if (!m_true_size)
            return std::pair{ax.u_of(m_cx + (p.x - out_c.x) / m_zoom),
                             ay.u_of(m_cy + (p.y - out_c.y) / m_zoom)};
        return std::pair{ax.u_of(m_cx) + (p.x - out_c.x) / m_zoom, ay.u_of(m_cy) + (p.y - out_c.y) / m_zoom};
    };

    dl->AddRectFilled(in_min, in_max, pal.panel);
    dl->AddRectFilled(out_min, out_max, pal.panel);

    // Interaction: the wheel zooms about the mouse, dragging pans; both panes share one view.
    ImGui::SetCursorScreenPos(in_min);
    ImGui::InvisibleButton("##in_pane", pane);
    const bool in_hovered = ImGui::IsItemHovered(), in_active = ImGui::IsItemActive();
    ImGui::SetCursorScreenPos(out_min);
    ImGui::InvisibleButton("##out_pane", pane,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool out_hovered = ImGui::IsItemHovered(), out_active = ImGui::IsItemActive();
    const bool out_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    const bool out_right_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Right);
    const bool true_out = m_true_size && out_hovered;
    if ((in_hovered || out_hovered) && io.MouseWheel != 0.0f && m_source) {
        const ImVec2 c = in_hovered ? in_c : out_c;
        const double dx = io.MousePos.x - c.x, dy = io.MousePos.y - c.y;
        const double new_zoom = std::clamp(m_zoom * std::pow(1.2, double(io.MouseWheel)), 0.02, 64.0);
        if (true_out) {
            const double ux = ax.u_of(m_cx) + dx / m_zoom, uy = ay.u_of(m_cy) + dy / m_zoom;
            m_cx = ax.x_of(ux - dx / new_zoom);
            m_cy = ay.x_of(uy - dy / new_zoom);
        } else {
            m_cx += dx / m_zoom - dx / new_zoom;
            m_cy += dy / m_zoom - dy / new_zoom;
        }
        m_zoom = new_zoom;
    }
    if ((in_active || out_active) && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        const bool in_u = out_active && m_true_size;  // the output pane at true size pans in output pixels
        m_cx -= io.MouseDelta.x / m_zoom * (in_u ? ax.s : 1.0);
        m_cy -= io.MouseDelta.y / m_zoom * (in_u ? ay.s : 1.0);
    }

    // The images; a result older than the settings is dimmed until the new one arrives.
    if (m_result && m_input_tex.valid()) {
        dl->PushClipRect(in_min, in_max, true);
        dl->AddImage(m_input_tex.id(), in_to_screen(0, 0),
                     in_to_screen(double(m_result->input->dim(2)), double(m_result->input->dim(1))));
        dl->PopClipRect();
    }
    if (m_result && m_output_tex.valid()) {
        const bool stale = m_filter.generation() != m_shown_generation || m_geometry_error.has_value();
        dl->PushClipRect(out_min, out_max, true);
        dl->AddImage(m_output_tex.id(), out_to_screen(0, 0),
                     out_to_screen(double(m_result->output->dim(2)), double(m_result->output->dim(1))),
                     ImVec2(0, 0), ImVec2(1, 1), stale ? IM_COL32(255, 255, 255, 110) : IM_COL32_WHITE);
        dl->PopClipRect();
    }

    // Hover or click on the output picks the pixel to explain; a click keeps it, a right click lets go.
    if (m_result && out_hovered) {
        const auto [u, v] = screen_to_out(io.MousePos);
        const int64_t ox = int64_t(std::floor(u)), oy = int64_t(std::floor(v));
        const bool inside =
            ox >= 0 && oy >= 0 && ox < m_result->output->dim(2) && oy < m_result->output->dim(1);
        if (inside && (!m_pinned || out_clicked)) m_explain_at = {oy, ox};
        if (inside && out_clicked) m_pinned = true;
        if (out_right_clicked) m_pinned = false;
    }
    if (m_result && in_hovered) {
        const int64_t ix = int64_t(std::floor(m_cx + (io.MousePos.x - in_c.x) / m_zoom));
        const int64_t iy = int64_t(std::floor(m_cy + (io.MousePos.y - in_c.y) / m_zoom));
        if (ix >= 0 && iy >= 0 && ix < m_result->input->dim(2) && iy < m_result->input->dim(1))
            m_hover_input = std::pair{iy, ix};
    }

    // The explained pixel on the output, its window on the input (a tiny pixel still gets a visible mark).
    if (m_trace) {
        const float t = std::max(2.0f, 2.0f * s);
        auto outline = [&](ImVec2 a, ImVec2 b) {
            const float grow = std::max(0.0f, 10.0f * s - (b.x - a.x)) / 2;
            dl->AddRect(ImVec2(a.x - grow - t, a.y - grow - t), ImVec2(b.x + grow + t, b.y + grow + t),
                        IM_COL32_BLACK, 0, 0, t);
            dl->AddRect(ImVec2(a.x - grow, a.y - grow), ImVec2(b.x + grow, b.y + grow),
                        pal.strong(Role::Window), 0, 0, t);
        };
        dl->PushClipRect(out_min, out_max, true);
        outline(out_to_screen(double(m_trace->ox), double(m_trace->oy)),
                out_to_screen(double(m_trace->ox + 1), double(m_trace->oy + 1)));
        dl->PopClipRect();
        if (!m_trace->terms.empty()) {
            int64_t y0 = INT64_MAX, y1 = INT64_MIN, x0 = INT64_MAX, x1 = INT64_MIN;
            for (const TraceTerm& term : m_trace->terms) {
                y0 = std::min(y0, term.iy), y1 = std::max(y1, term.iy);
                x0 = std::min(x0, term.ix), x1 = std::max(x1, term.ix);
            }
            dl->PushClipRect(in_min, in_max, true);
            outline(in_to_screen(double(x0), double(y0)), in_to_screen(double(x1 + 1), double(y1 + 1)));
            // With dilation the window has gaps: mark each tap once the pixels are big enough to see.
            if (m_zoom >= 6.0)
                for (const TraceTerm& term : m_trace->terms)
                    dl->AddCircleFilled(in_to_screen(double(term.ix) + 0.5, double(term.iy) + 0.5),
                                        std::max(2.0f, float(m_zoom) * 0.12f), pal.strong(Role::Window));
            dl->PopClipRect();
        }
    }

    if (m_compact) draw_labels();

    // Messages over the output pane: no image yet, work under way (with a sweeping bar), or why nothing runs.
    auto centred_text = [&](const std::string& text, ImU32 col) {
        const float wrap = pane.x - 24 * s;
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
        const ImVec2 p(out_c.x - ts.x / 2, out_c.y - ts.y / 2);
        dl->AddRectFilled(ImVec2(p.x - 6 * s, p.y - 4 * s), ImVec2(p.x + ts.x + 6 * s, p.y + ts.y + 4 * s),
                          pal.panel, 4 * s);
        dl->AddText(nullptr, 0.0f, p, col, text.c_str(), nullptr, wrap);
    };
    if (!m_source && !m_loader.busy()) centred_text(tr(Str::img_no_image), pal.text_muted);
    const double running = std::max(m_filter.running_seconds(), m_loader.running_seconds());
    if (running > 0.15) {
        centred_text(trf(Str::img_computing, running), pal.text);
        const float bw = pane.x * 0.3f, phase = float(std::fmod(ImGui::GetTime() * 0.8, 1.0));
        const float x = out_min.x + (pane.x + bw) * phase - bw, y = out_max.y - 5 * s;
        dl->PushClipRect(out_min, out_max, true);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + bw, y + 4 * s), pal.strong(Role::Output));
        dl->PopClipRect();
    }
    if (m_geometry_error.has_value())
        centred_text(std::string(tr(Str::error_title)) + "\n" + tr_error(*m_geometry_error),
                     pal.strong(Role::Window));

    ImGui::SetCursorScreenPos(ImVec2(origin.x, out_max.y + ImGui::GetStyle().ItemSpacing.y));
}

// [SECTION] ImageView: explain this pixel

// Retraces the explained pixel when it, its channel or the result changed (the reference kernel, one
// element).
void ImageView::update_trace() {
    if (!m_result) {
        m_trace.reset();
        return;
    }
    const Tensor& out = *m_result->output;
    m_explain_channel = std::clamp(m_explain_channel, 0, int(out.dim(0)) - 1);
    const auto [oy, ox] = m_explain_at;
    if (oy < 0 || ox < 0 || oy >= out.dim(1) || ox >= out.dim(2)) {
        m_trace.reset();
        return;
    }
    const auto key = std::tuple{m_shown_generation, oy, ox, m_explain_channel};
    if (key == m_trace_key) return;
    m_trace_key = key;
    auto t = trace_filter(*m_result->input, m_result->job.spec, m_explain_channel, oy, ox);
    if (t) {
        m_trace = std::move(*t);
        m_trace_error.reset();
    } else {
        m_trace.reset();
        m_trace_error = t.err();
    }
}

void ImageView::draw_explain(ViewContext& ctx, ImVec2 size) {
    const Palette& pal = palette();
    const float s = ctx.scale;
    ImGui::BeginChild("##explain", size, true);
    ImGui::TextColored(to_vec4(pal.strong(Role::Window)), "%s", tr(Str::img_explain));
    if (!m_trace) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(pal.text_muted));
        if (m_compact && !m_trace_error.has_value()) {
            // One line: as much of the hint as fits, ending in "…", the whole of it on hover.
            const std::string hint = tr(Str::img_explain_hint);
            const float room = ImGui::GetContentRegionAvail().x;
            std::string shown = hint;
            if (ImGui::CalcTextSize(hint.c_str()).x > room) {
                size_t n = hint.size();
                do {
                    do --n;
                    while (n > 0 && (uint8_t(hint[n]) & 0xC0) == 0x80);  // cut between UTF-8 characters
                    shown = hint.substr(0, n) + "…";
                } while (n > 0 && ImGui::CalcTextSize(shown.c_str()).x > room);
            }
            ImGui::TextUnformatted(shown.c_str());
            if (ImGui::IsItemHovered() && shown != hint) ImGui::SetTooltip("%s", hint.c_str());
        } else {
            ImGui::TextWrapped("%s", tr(Str::img_explain_hint));  // wraps in a narrow window, never clips
        }
        ImGui::PopStyleColor();
        if (m_trace_error.has_value()) error_text(tr_error(*m_trace_error));
        ImGui::EndChild();
        return;
    }
    const Trace& t = *m_trace;
    ImGui::SameLine();
    ImGui::TextUnformatted(trf(Str::img_pixel, int(t.oy), int(t.ox)).c_str());
    if (m_result->output->dim(0) == 3) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(Str::img_channel));
        const char* names[] = {"R", "G", "B"};
        for (int c = 0; c < 3; ++c) {
            ImGui::SameLine();
            ImGui::RadioButton(names[c], &m_explain_channel, c);
        }
    }
    // The buttons sit at the right end of the line, where they stay put whatever the pixel's numbers.
    const ImGuiStyle& style = ImGui::GetStyle();
    auto button_w = [&](Str label) { return ImGui::CalcTextSize(tr(label)).x + style.FramePadding.x * 2; };
    const float buttons_w =
        button_w(Str::img_open_stepper) + (m_pinned ? button_w(Str::img_unpin) + style.ItemSpacing.x : 0.0f);
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - buttons_w));
    if (m_pinned) {
        if (ImGui::SmallButton(tr(Str::img_unpin))) m_pinned = false;
        ImGui::SameLine();
    }
    if (ImGui::SmallButton(tr(Str::img_open_stepper))) {
        // The stepper's own limits: grids up to 24×24, kernels up to 7×7.
        auto nb = stepper_neighbourhood(*m_result->input, m_result->job.spec, t.o, t.oy, t.ox, 1, 24, 7);
        if (nb) {
            ctx.requests.open_in_stepper(StepperRequest{std::move(nb->problem), nb->window});
        } else {
            ctx.notify(tr_error(nb.err()));
        }
    }

    // Two grids: the input values under the window (padding grey, the max-pool choice marked), and the
    // weights. Cells too small for legible numbers are shaded by value instead, and name their numbers on
    // hover.
    const FilterSpec& spec = m_result->job.spec;
    const int64_t rows = t.kind == TraceKind::Conv ? spec.kernel.rows : spec.pool.kernel.h;
    const int64_t cols = t.kind == TraceKind::Conv ? spec.kernel.cols : spec.pool.kernel.w;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_h = m_compact ? 0.0f : ImGui::GetTextLineHeightWithSpacing();
    const float cell = std::clamp(std::min((avail.y - label_h) / float(rows), avail.x * 0.22f / float(cols)),
                                  4.0f * s, ctx.fonts.big_size * 2.0f);
    const float number_px = std::min(ctx.fonts.ui_size, cell * 0.42f);
    const bool numbers = number_px >= ctx.fonts.ui_size * 0.6f;
    const float grid_w = std::max(cell * float(cols), 70.0f * s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    std::vector<const TraceTerm*> at(size_t(rows * cols),
                                     nullptr);  // a pool window cut at the border has fewer
    for (const TraceTerm& term : t.terms)
        if (term.ky < rows && term.kx < cols) at[size_t(term.ky * cols + term.kx)] = &term;
    float max_w = 0.0f;
    for (const TraceTerm& term : t.terms) max_w = std::max(max_w, std::fabs(term.w));
    auto grid = [&](ImVec2 top_left, Str title, ImU32 title_col, auto cell_of) {
        const std::string text = tr(title);
        dl->AddText(ctx.fonts.ui, fit_size(ctx.fonts.ui, ctx.fonts.ui_size, grid_w, text), top_left,
                    title_col, text.c_str());
        const ImVec2 g(top_left.x, top_left.y + label_h);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) {
                const ImVec2 a(g.x + float(c) * cell, g.y + float(r) * cell), b(a.x + cell, a.y + cell);
                const auto [fill, value] = cell_of(r, c);
                dl->AddRectFilled(a, b, fill);
                dl->AddRect(a, b, pal.grid_line);
                if (numbers)
                    text_centred(dl, ctx.fonts.ui, number_px, ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2),
                                 pal.text, value, cell - 3 * s);
                const TraceTerm* term = at[size_t(r * cols + c)];
                if (term && ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y &&
                    mouse.y < b.y)
                    ImGui::SetTooltip("x = %s   w = %s", format_number(term->x).c_str(),
                                      format_number(term->w).c_str());
            }
    };
    auto shade = [](ImU32 base, ImU32 tint, float amount) {
        const ImVec4 a = to_vec4(base), b = to_vec4(tint);
        const float k = std::clamp(amount, 0.0f, 1.0f);
        return ImGui::ColorConvertFloat4ToU32(
            ImVec4(a.x + (b.x - a.x) * k, a.y + (b.y - a.y) * k, a.z + (b.z - a.z) * k, 1));
    };
    grid(o, Str::img_in_window, pal.strong(Role::Input), [&](int64_t r, int64_t c) {
        const TraceTerm* term = at[size_t(r * cols + c)];
        if (!term) return std::pair{pal.fill(Role::Padding), std::string()};
        const bool chosen =
            t.kind == TraceKind::MaxPool && t.argmax >= 0 && &t.terms[size_t(t.argmax)] == term;
        ImU32 fill = chosen          ? pal.fill(Role::Chosen)
                     : term->padding ? pal.fill(Role::Padding)
                                     : pal.fill(Role::Input);
        if (!numbers && !chosen && std::isfinite(term->x))
            fill = shade(IM_COL32_BLACK, IM_COL32_WHITE, term->x / 255.0f);  // the pixels themselves
        return std::pair{
            fill, std::isinf(term->x) ? std::string(term->x < 0 ? "−∞" : "∞") : format_number(term->x)};
    });
    float x = o.x + grid_w + 14 * s;
    if (t.kind == TraceKind::Conv) {
        grid(ImVec2(x, o.y), Str::img_weights, pal.strong(Role::Kernel), [&](int64_t r, int64_t c) {
            const TraceTerm* term = at[size_t(r * cols + c)];
            if (!term) return std::pair{pal.fill(Role::Kernel), std::string()};
            const ImU32 fill = numbers ? pal.fill(Role::Kernel)
                                       : shade(pal.panel, pal.strong(Role::Kernel),
                                               max_w > 0 ? std::fabs(term->w) / max_w : 0.0f);
            return std::pair{fill, format_number(term->w)};
        });
        x += grid_w + 14 * s;
    }

    // The result first (the line that matters), then every multiply-accumulate term, scrolling when long.
    ImGui::SetCursorScreenPos(ImVec2(x, o.y));
    ImGui::BeginGroup();
    const int px = display_value(t.result, m_result->job.map, m_result->range);
    ImGui::TextColored(to_vec4(pal.strong(Role::Output)), "= %s  → %s", format_number(t.result).c_str(),
                       trf(Str::img_shown_as, px, std::string(to_string(m_result->job.map)).c_str()).c_str());
    ImGui::BeginChild("##mac", ImVec2(0, 0), false);
    ImGui::PushTextWrapPos(0.0f);
    for (const std::string& line : explain_lines(t)) ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::EndChild();
}

// [SECTION] ImageView: the file browser

void ImageView::draw_file_browser(ViewContext& ctx) {
    const float s = ctx.scale;
    if (m_browser_open) {
        ImGui::OpenPopup("##open_image");
        m_browser_open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(760 * s, 480 * s), ImGuiCond_Appearing);
    // Opaque, in the panel colour: the photo behind a see-through dialog makes its list hard to read.
    ImGui::PushStyleColor(ImGuiCol_PopupBg, to_vec4(palette().panel));
    const bool open = ImGui::BeginPopupModal("##open_image", nullptr, ImGuiWindowFlags_NoTitleBar);
    ImGui::PopStyleColor();
    if (!open) return;
    ImGui::TextUnformatted(tr(Str::img_open_title));
    ImGui::Separator();
    std::string pick;
    const float bottom = ImGui::GetFrameHeightWithSpacing() * 2;
    // Recent files on the left, the folder on the right.
    ImGui::BeginChild("##recent", ImVec2(240 * s, -bottom), true);
    ImGui::TextColored(to_vec4(palette().text_muted), "%s", tr(Str::img_recent));
    for (const std::string& r : m_recent)
        if (ImGui::Selectable(fs::path(r).filename().string().c_str())) pick = r;
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##folder", ImVec2(0, -bottom), true);
    if (ImGui::SmallButton(tr(Str::img_up))) m_browser_dir = fs::path(m_browser_dir).parent_path().string();
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(palette().text_muted), "%s", m_browser_dir.c_str());
    std::error_code ec;
    std::vector<fs::path> dirs, files;
    for (fs::directory_iterator it(m_browser_dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(".")) continue;
        std::error_code e2;
        if (it->is_directory(e2))
            dirs.push_back(it->path());
        else if (is_image_name(it->path()))
            files.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
    std::sort(files.begin(), files.end());
    for (const fs::path& d : dirs)
        if (ImGui::Selectable((d.filename().string() + "/").c_str())) m_browser_dir = d.string();
    for (const fs::path& f : files)
        if (ImGui::Selectable(f.filename().string().c_str(), m_browser_path == f.string(),
                              ImGuiSelectableFlags_AllowDoubleClick)) {
            m_browser_path = f.string();
            if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) pick = m_browser_path;
        }
    if (ec) error_text(ec.message());
    ImGui::EndChild();
    label(Str::img_path);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputText("##browser_path", &m_browser_path, ImGuiInputTextFlags_EnterReturnsTrue))
        pick = m_browser_path;
    if (ImGui::Button(tr(Str::img_open_button)) && !m_browser_path.empty()) pick = m_browser_path;
    ImGui::SameLine();
    if (ImGui::Button(tr(Str::img_cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    if (!pick.empty()) {
        load(pick);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace

std::unique_ptr<View> make_image_view() {
    return std::make_unique<ImageView>();
}

}  // namespace convscope::ui
