#include "app/ui/shell/capture.hpp"

#include <gif_lib.h>
#include <stb_image_write.h>
#include <sys/stat.h>
#include <unistd.h>

#include <GL/gl.h>
#include <algorithm>
#include <cstdio>

#include "core/io/fileio.hpp"

namespace convscope::ui {

Image read_framebuffer(int x, int y, int w, int h, int fb_height) {
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(size_t(w) * size_t(h) * 3);
    std::vector<uint8_t> rows(img.rgb.size());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(x, fb_height - y - h, w, h, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
    // OpenGL's rows run bottom-up.
    for (int r = 0; r < h; ++r)
        std::copy_n(rows.data() + size_t(h - 1 - r) * size_t(w) * 3, size_t(w) * 3,
                    img.rgb.data() + size_t(r) * size_t(w) * 3);
    return img;
}

Status write_png(const std::string& path, const Image& img) {
    if (img.width <= 0 || img.height <= 0) return fail<ErrCode::capture_empty_region>();
    std::vector<uint8_t> png;
    const auto append = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<uint8_t>*>(context);
        out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
    };
    if (!stbi_write_png_to_func(append, &png, img.width, img.height, 3, img.rgb.data(), img.width * 3))
        return fail<ErrCode::capture_cannot_encode>(path);
    return write_file_atomic(path, png);
}

// [SECTION] GIF

namespace {

// giflib's own reason (English, from the library) as the argument of our "cannot write" message.
Error gif_write_error(const std::string& path, int code) {
    const char* why = GifErrorString(code);
    return why ? fail<ErrCode::cannot_write>(path, why)
               : fail<ErrCode::cannot_write>(path, word<ErrCode::w_unknown_error>());
}

}  // namespace

GifWriter::~GifWriter() {
    abort();
}

void GifWriter::abort() {
    if (m_gif) {
        int err = 0;
        EGifCloseFile(static_cast<GifFileType*>(m_gif), &err);
        m_gif = nullptr;
        m_bytes.clear();  // nothing was written: the output file appears only in finish()
    }
}

Status GifWriter::open(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) return fail<ErrCode::capture_nothing_to_record>();
    m_path = path;
    m_bytes.clear();
    m_width = width;
    m_height = height;
    m_frames = 0;
    int err = 0;
    // Encoded in memory, then written like every other output (write_file_atomic: temporary file + rename,
    // symlinks followed, a FIFO or device refused, the mode of an existing file kept).
    const auto append = [](GifFileType* g, const GifByteType* data, int size) -> int {
        auto* out = static_cast<std::vector<uint8_t>*>(g->UserData);
        out->insert(out->end(), data, data + size);
        return size;
    };
    GifFileType* gif = EGifOpen(&m_bytes, append, &err);
    if (!gif) return gif_write_error(path, err);
    m_gif = gif;
    EGifSetGifVersion(gif, true);
    if (EGifPutScreenDesc(gif, width, height, 8, 0, nullptr) == GIF_ERROR)
        return gif_write_error(path, gif->Error);
    // NETSCAPE2.0: loop forever.
    static const unsigned char app[] = "NETSCAPE2.0";
    static const unsigned char loop[] = {1, 0, 0};
    EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE);
    EGifPutExtensionBlock(gif, 11, app);
    EGifPutExtensionBlock(gif, 3, loop);
    EGifPutExtensionTrailer(gif);
    return {};
}

Status GifWriter::add(const Image& frame, int delay_cs) {
    auto* gif = static_cast<GifFileType*>(m_gif);
    if (!gif) return fail<ErrCode::capture_gif_not_open>();
    if (frame.width != m_width || frame.height != m_height) return fail<ErrCode::capture_gif_frame_size>();
    const size_t n = size_t(m_width) * size_t(m_height);
    std::vector<GifByteType> r(n), g(n), b(n), indices(n);
    for (size_t i = 0; i < n; ++i) {
        r[i] = frame.rgb[3 * i];
        g[i] = frame.rgb[3 * i + 1];
        b[i] = frame.rgb[3 * i + 2];
    }
    int colours = 256;
    GifColorType palette[256] = {};
    if (GifQuantizeBuffer(unsigned(m_width), unsigned(m_height), &colours, r.data(), g.data(), b.data(),
                          indices.data(), palette) == GIF_ERROR)
        return fail<ErrCode::capture_gif_quantize>();
    ColorMapObject* map = GifMakeMapObject(256, palette);
    const unsigned char control[4] = {0, static_cast<unsigned char>(delay_cs & 255),
                                      static_cast<unsigned char>((delay_cs >> 8) & 255), 0};
    bool ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, control) != GIF_ERROR &&
              EGifPutImageDesc(gif, 0, 0, m_width, m_height, false, map) != GIF_ERROR;
    for (int y = 0; ok && y < m_height; ++y)
        ok = EGifPutLine(gif, indices.data() + size_t(y) * size_t(m_width), m_width) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!ok) return gif_write_error(m_path, gif->Error);
    ++m_frames;
    return {};
}

Status GifWriter::finish() {
    auto* gif = static_cast<GifFileType*>(m_gif);
    if (!gif) return fail<ErrCode::capture_gif_not_open>();
    m_gif = nullptr;
    int err = 0;
    if (EGifCloseFile(gif, &err) == GIF_ERROR) return gif_write_error(m_path, err);
    const Status s = write_file_atomic(m_path, m_bytes);
    m_bytes = {};
    return s;
}

// [SECTION] FrameCapture

void FrameCapture::request_png(std::string path, ImVec2 min, ImVec2 max) {
    m_png_path = std::move(path);
    m_png_min = min;
    m_png_max = max;
}

void FrameCapture::gif_begin(std::string path, ImVec2 min, ImVec2 max) {
    m_gif_path = std::move(path);
    m_gif_min = min;
    m_gif_max = max;
    m_gif_active = true;
    m_gif_end_wanted = false;
    m_gif_frame_wanted = false;
    m_gif_cancel_wanted = false;
}

void FrameCapture::gif_cancel() {
    if (m_gif_active) m_gif_cancel_wanted = true;
}

void FrameCapture::gif_frame(int delay_cs) {
    m_gif_frame_wanted = true;
    m_gif_delay = delay_cs;
}

void FrameCapture::gif_end() {
    m_gif_end_wanted = true;
}

FrameCapture::Region FrameCapture::to_pixels(ImVec2 min, ImVec2 max, int fb_w, int fb_h, ImVec2 scale) const {
    Region r;
    r.x = std::clamp(int(min.x * scale.x), 0, fb_w);
    r.y = std::clamp(int(min.y * scale.y), 0, fb_h);
    r.w = std::clamp(int(max.x * scale.x), 0, fb_w) - r.x;
    r.h = std::clamp(int(max.y * scale.y), 0, fb_h) - r.y;
    return r;
}

void FrameCapture::after_render(int fb_w, int fb_h, ImVec2 scale,
                                const std::function<void(Message)>& notify) {
    if (!m_png_path.empty()) {
        const Region r = to_pixels(m_png_min, m_png_max, fb_w, fb_h, scale);
        const Status s = write_png(m_png_path, read_framebuffer(r.x, r.y, r.w, r.h, fb_h));
        notify(s ? Message(Str::msg_saved, m_png_path) : Message(s.err()));
        if (!s) fail_with(s.error());
        m_png_path.clear();
    }
    if (!m_gif_active) return;
    if (m_gif_cancel_wanted) {
        m_gif.abort();
        m_gif_active = m_gif_cancel_wanted = m_gif_frame_wanted = m_gif_end_wanted = false;
        notify(Message(Str::msg_gif_cancelled, m_gif_path));
        return;
    }
    if (!m_gif.is_open()) {
        m_gif_region = to_pixels(m_gif_min, m_gif_max, fb_w, fb_h, scale);
        if (const Status s = m_gif.open(m_gif_path, m_gif_region.w, m_gif_region.h); !s) {
            notify(s.err());
            fail_with(s.error());
            m_gif_active = false;
            return;
        }
    }
    if (m_gif_frame_wanted) {
        const Region& r = m_gif_region;
        if (const Status s = m_gif.add(read_framebuffer(r.x, r.y, r.w, r.h, fb_h), m_gif_delay); !s) {
            notify(s.err());
            fail_with(s.error());
            m_gif_end_wanted = true;
        }
        m_gif_frame_wanted = false;
    }
    if (m_gif_end_wanted) {
        const Status s = m_gif.finish();
        notify(s ? Message(Str::msg_saved, m_gif_path) : Message(s.err()));
        if (!s) fail_with(s.error());
        m_gif_active = false;
        m_gif_end_wanted = false;
    }
}

}  // namespace convscope::ui
