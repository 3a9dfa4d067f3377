// Screen grabs: the window (or a region of it) as PNG, and animated GIFs frame by frame (giflib, a palette
// quantized per frame). The shell calls after_render() once per frame, after ImGui drew into the back buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/ui/view.hpp"
#include "core/support/result.hpp"

namespace convscope::ui {

// RGB pixels, top row first.
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// Reads the current GL back buffer region (x, y from the top-left, in framebuffer pixels).
Image read_framebuffer(int x, int y, int w, int h, int fb_height);

// Writes RGB pixels as a PNG (through a temporary file and a rename).
Status write_png(const std::string& path, const Image& img);

// An animated GIF written one frame at a time, looping forever.
class GifWriter {
public:
    GifWriter() = default;
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;
    ~GifWriter();
    // Starts a GIF for `path` (encoded in memory until finish()); every frame must be width × height.
    Status open(const std::string& path, int width, int height);
    // Adds a frame shown for delay_cs hundredths of a second.
    Status add(const Image& frame, int delay_cs);
    // Ends the GIF and writes it to `path` atomically.
    Status finish();
    // Closes the file and removes it: nothing is written.
    void abort();
    bool is_open() const { return m_gif != nullptr; }
    int frames() const { return m_frames; }

private:
    void* m_gif = nullptr;  // GifFileType*
    std::string m_path;
    std::vector<uint8_t> m_bytes;  // the GIF encoded so far
    int m_width = 0, m_height = 0, m_frames = 0;
};

// The shell's Capture: requests from views, executed after the frame is rendered.
class FrameCapture final : public Capture {
public:
    void request_png(std::string path, ImVec2 min, ImVec2 max) override;
    void gif_begin(std::string path, ImVec2 min, ImVec2 max) override;
    void gif_frame(int delay_cs) override;
    void gif_end() override;
    void gif_cancel() override;
    bool gif_recording() const override { return m_gif_active; }
    // True once a save failed (a scripted run then exits with status 2).
    bool failed() const { return m_failed; }
    // The message of the last failed save ("" when none failed).
    const std::string& last_error() const { return m_last_error; }
    // Performs this frame's requests; messages (saved/failed) go to `notify`. `scale` maps ImGui coordinates
    // to framebuffer pixels.
    void after_render(int fb_width, int fb_height, ImVec2 scale, const std::function<void(Message)>& notify);

private:
    struct Region {
        int x = 0, y = 0, w = 0, h = 0;
    };
    Region to_pixels(ImVec2 min, ImVec2 max, int fb_w, int fb_h, ImVec2 scale) const;
    void fail_with(std::string message) {
        m_failed = true;
        m_last_error = std::move(message);
    }

    std::string m_png_path;
    ImVec2 m_png_min, m_png_max;
    std::string m_gif_path;
    ImVec2 m_gif_min, m_gif_max;
    bool m_gif_active = false, m_gif_frame_wanted = false, m_gif_end_wanted = false;
    bool m_gif_cancel_wanted = false;
    int m_gif_delay = 100;
    GifWriter m_gif;
    Region m_gif_region;
    bool m_failed = false;
    std::string m_last_error;
};

}  // namespace convscope::ui
