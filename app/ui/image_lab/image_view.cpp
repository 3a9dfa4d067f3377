// The image lab: a photo, a kernel (or pooling) and its parameters, the filtered result beside the input with
// linked zoom and pan, and "explain this pixel". The model (core/image_lab/image_lab.hpp) holds the state,
// runs the work off the UI thread and explains; this file wires it to the shell and lays the panels out.
//
// [SECTION] Plumbing: GL textures, recent files, shared helpers
// [SECTION] ImageView: options, scenes, the kept kernel
// [SECTION] ImageView: results and the frame
#include "app/ui/image_lab/image_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/ui/shell/handoff.hpp"
#include "app/ui/shell/settings.hpp"
#include "app/ui/widgets/fonts.hpp"
#include "core/io/fileio.hpp"

namespace convscope::ui {

namespace image_lab {
namespace {

namespace fs = std::filesystem;

// [SECTION] Plumbing: GL textures, recent files, shared helpers

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

}  // namespace

void Texture::upload(int64_t width, int64_t height, const std::vector<uint8_t>& rgba) {
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

void Texture::clear() {
    if (m_id) glDeleteTextures(1, &m_id);
    m_id = 0;
}

void label(Str s) {
    ImGui::TextUnformatted(tr(s));
}

void error_text(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(palette().strong(Role::Window)));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

Str display_map_label(DisplayMap map) {
    switch (map) {
        case DisplayMap::Clamp:
            return Str::img_map_clamp;
        case DisplayMap::Abs:
            return Str::img_map_abs;
        case DisplayMap::Normalize:
            return Str::img_map_normalize;
        case DisplayMap::AbsScaled:
            break;
    }
    return Str::img_map_abs_scaled;
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

// [SECTION] ImageView: options, scenes, the kept kernel

ImageView::ImageView() {
    (void)m_lab.apply(lab_edit::SetKernel{*kernel_from_name("sobel-x")});
    m_lab.reset_history();
}

ImageView::~ImageView() {
    if (!m_scripted) keep_custom_kernel();
}

void ImageView::apply_options(const GuiOptions& o) {
    m_scripted = o.headless_run();
    if (!m_scripted) m_recent = load_recent();
    if (!m_scripted && o.kernel.empty()) {
        if (auto k = read_kernel_file(kept_kernel_path()); k) {
            k->name = "custom";
            (void)m_lab.apply(lab_edit::SetKernel{std::move(*k)});
        }
    }
    if (!o.kernel.empty()) {
        auto k = kernel_from_name(o.kernel);
        if (!k) k = read_kernel_file(o.kernel);  // gui_options checked that one of them reads
        if (k) (void)m_lab.apply(lab_edit::SetKernel{std::move(*k)});
    }
    (void)m_lab.apply(lab_edit::SetMap{suggested_map(m_lab.state().spec.kernel)});
    m_lab.reset_history();  // how the view starts is not an edit
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

// A finished result not taken yet counts: the job may end between this frame's drawing and this call.
bool ImageView::busy() const {
    return m_drawn_frame == ImGui::GetFrameCount() && m_lab.busy();
}

// Scenes: the photo (a bundled sample or a file), the kernel (a preset name or a matrix), stride, padding,
// padding mode, grey or colour, and the grey-level map.
bool ImageView::load_scene(const Scene& scene) {
    if (scene.view != SceneView::Image) return false;
    const ImageScene& m = scene.image;
    m_scene = scene;
    const std::string assets = find_assets_dir();
    m_initial.clear();  // the sample the view would open first must not replace the scene's photo
    m_load_error.reset();
    m_lab.load(m.photo_path.empty() ? assets + "/" + m.photo + ".png" : m.photo_path);
    ImageLabState st = m_lab.state();
    Kernel k;
    if (!m.kernel_name.empty()) {
        if (auto named = kernel_from_name(m.kernel_name)) k = std::move(*named);
    } else {
        k.rows = int64_t(m.kernel_matrix.size());
        k.cols = int64_t(m.kernel_matrix[0].size());
        k.cells.clear();
        for (const auto& row : m.kernel_matrix)
            for (float v : row) k.cells.push_back(double(v));
    }
    (void)apply_edit(st, lab_edit::SetKernel{std::move(k)});
    st.spec.op = Op::Conv;
    st.spec.conv.stride = m.stride;
    st.spec.conv.padding = m.padding;
    st.spec.conv.padding_mode = m.padding_mode;
    st.padding = m.padding.kind == PaddingKind::Same    ? PaddingChoice::Same
                 : m.padding.kind == PaddingKind::Valid ? PaddingChoice::Valid
                                                        : PaddingChoice::Numbers;
    if (st.padding != PaddingChoice::Numbers) st.spec.conv.padding = Padding(0);
    st.mode = m.colour ? ColorMode::Color : ColorMode::Grey;
    if (auto map = parse_display_map(m.map)) st.map = *map;
    m_lab.set_state(std::move(st));
    m_lab.reset_history();  // showing a scene is not an edit
    return true;
}

std::optional<Scene> ImageView::current_scene() const {
    Scene s = m_scene ? *m_scene : Scene{};
    s.view = SceneView::Image;
    ImageScene& m = s.image;
    const std::string path = m_lab.photo() ? m_lab.photo()->path : m_lab.loading_path();
    const std::string assets = find_assets_dir();
    m.photo_path.clear();
    if (path == assets + "/camera.png" || path.empty())
        m.photo = "camera";
    else if (path == assets + "/chelsea.png")
        m.photo = "chelsea";
    else
        m.photo = std::filesystem::absolute(path).string();
    const ImageLabState& st = m_lab.state();
    const Kernel& k = st.spec.kernel;
    m.kernel_matrix.clear();
    m.kernel_name = kernel_from_name(k.name) ? k.name : std::string();
    if (m.kernel_name.empty())
        for (int64_t r = 0; r < k.rows; ++r) {
            m.kernel_matrix.emplace_back();
            for (int64_t c = 0; c < k.cols; ++c) m.kernel_matrix.back().push_back(k.weight(r, c));
        }
    m.stride = st.spec.conv.stride;
    // The convolution's padding (same/valid applied) also while pooling, as the scene format keeps it.
    m.padding = effective_padding(st);
    m.padding_mode = st.spec.conv.padding_mode;
    m.colour = st.mode == ColorMode::Color;
    // The scene format knows clamp, abs and normalize.
    m.map = st.map == DisplayMap::Abs ? "abs" : st.map == DisplayMap::Normalize ? "normalize" : "clamp";
    return s;
}

std::string ImageView::kept_kernel_path() {
    auto dir = config_dir();
    return dir ? *dir + "/custom-kernel.txt" : std::string();
}

// Writes the kernel in use to kept_kernel_path() when it is custom (atomically: a failed write keeps the old
// file), or removes the kept one when a preset is in use.
void ImageView::keep_custom_kernel() const {
    const std::string p = kept_kernel_path();
    if (p.empty()) return;
    std::error_code ec;
    if (!m_lab.state().preset.empty()) {
        fs::remove(p, ec);
        return;
    }
    fs::create_directories(fs::path(p).parent_path(), ec);
    if (const Status st = write_kernel_file(p, m_lab.state().spec.kernel); !st)
        std::fprintf(stderr, "convscope: the custom kernel was not kept: %s\n", st.error().c_str());
}

void ImageView::remember(const std::string& path) {
    if (m_scripted) return;
    std::error_code ec;
    const std::string abs = fs::absolute(path, ec).string();
    std::erase(m_recent, abs);
    m_recent.insert(m_recent.begin(), abs);
    if (m_recent.size() > 10) m_recent.resize(10);
    save_recent(m_recent);
}

// [SECTION] ImageView: results and the frame

void ImageView::edit(ViewContext& ctx, const ImageLabEdit& e) {
    if (const Status st = m_lab.apply(e); !st) ctx.notify(st.err());
}

void ImageView::take_results(ViewContext& ctx) {
    // A feature map from the network view: shown at once (it is not a file, so not a recent one).
    if (auto r = ctx.requests.take_image()) {
        auto l = std::make_shared<LabPhoto>();
        l->path = std::move(r->name);
        l->image = std::move(r->image);
        m_initial.clear();  // the sample photo the view would open first must not replace it
        m_lab.set_photo(l);
        m_need_fit = true;
        ctx.notify(Message(Str::msg_image, l->path));
    }
    const ImageLab::Events ev = m_lab.update();
    if (ev.loaded) {
        remember(ev.loaded->path);
        m_need_fit = true;
        m_load_error.reset();
        const fs::path p(ev.loaded->path);
        m_save_path = p.stem().string() + "-filtered.png";
        ctx.notify(Message(Str::msg_image, p.filename().string()));
    }
    if (ev.load_error) {
        m_load_error = ev.load_error;  // the photo shown before (if any) stays
        ctx.notify(Message::rendered_by(
            [e = *m_load_error] { return std::string(tr(Str::img_load_fail)) + " " + tr_error(e); }));
    }
    upload_textures();
}

// Hands a new frame's pixels to OpenGL; the input's texture only when it changed (a new photo or mode).
void ImageView::upload_textures() {
    const LabFrame* f = m_lab.shown();
    if (!f) {
        m_input_tex.clear();
        m_output_tex.clear();
        m_input_uploaded.reset();
        m_output_uploaded = {0, false};
        return;
    }
    if (f->input_rgba && f->input_rgba != m_input_uploaded) {
        m_input_tex.upload(f->input_w, f->input_h, *f->input_rgba);
        m_input_uploaded = f->input_rgba;
    }
    if (std::pair{f->generation, f->preview} != m_output_uploaded) {
        m_output_tex.upload(f->output_w, f->output_h, f->output_rgba);
        m_output_uploaded = {f->generation, f->preview};
    }
}

void ImageView::draw_content(ViewContext& ctx) {
    m_drawn_frame = ImGui::GetFrameCount();
    m_lab.set_max_texture_side(max_texture_side());
    // "Fastest" is what the shell probed once (the fastest CPU backend until its probe answers).
    if (ctx.backends.probed) m_lab.set_fastest_backend(ctx.backends.fastest);
    // Files dropped on the window (the shell opens scenes and lessons itself; the rest come here).
    for (const std::string& path : ctx.requests.take_dropped_files()) m_lab.load(path);
    take_results(ctx);  // first: a feature map handed over by the network view replaces the first sample
    if (!m_initial.empty()) m_lab.load(std::exchange(m_initial, std::string()));
    m_lab.explain(m_explain_at.first, m_explain_at.second, m_explain_channel);

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
    // A short area gives the explained pixel half its height: the header, the grids and the sum need it.
    const float explain_h = m_lab.trace() || m_lab.trace_error().has_value()
                                ? std::min(avail.y * (m_compact ? 0.5f : 0.4f), ctx.fonts.ui_size * 14.0f)
                            : m_compact ? one_line
                                        : std::min(avail.y * 0.27f, ctx.fonts.ui_size * 6.5f);
    draw_panes(ctx, ImVec2(avail.x, avail.y - explain_h - ImGui::GetStyle().ItemSpacing.y));
    draw_explain(ctx, ImVec2(avail.x, explain_h));
    ImGui::EndChild();
    if (m_lab.state().spec.op == Op::Conv) draw_kernel_editor(ctx);
    draw_file_browser(ctx);
    // An edit that has settled (no drag, no field being typed in) becomes one undo step.
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left) && !ImGui::IsAnyItemActive()) m_lab.commit();
}

}  // namespace image_lab

std::unique_ptr<View> make_image_view() {
    return std::make_unique<image_lab::ImageView>();
}

}  // namespace convscope::ui
