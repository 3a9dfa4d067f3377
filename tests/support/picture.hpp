// Screenshots for the GUI tests: a PNG read as 8-bit RGB (the system stb_image, libstb) and the share of
// pixels in which two pictures differ. Header-only: only the GUI tests link stb.
#pragma once

#include <stb_image.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

namespace convscope::testing {

// An 8-bit RGB picture, rows top to bottom.
struct RgbPicture {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;  // width·height·3 bytes

    // The three bytes of pixel (x, y); both inside the picture.
    const unsigned char* at(int x, int y) const { return rgb.data() + 3 * (size_t(y) * size_t(width) + x); }
    long pixels() const { return long(width) * height; }
};

// The picture in `png` (any format stb_image reads), or nothing when it cannot be read.
inline std::optional<RgbPicture> load_rgb(const std::filesystem::path& png) {
    int w = 0, h = 0, channels = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &channels, 3);
    if (!px) return std::nullopt;
    RgbPicture p;
    p.width = w;
    p.height = h;
    p.rgb.assign(px, px + size_t(w) * size_t(h) * 3);
    stbi_image_free(px);
    return p;
}

// Share of pixels whose colour differs between `a` and `b` (1 when their sizes differ).
inline double differing_share(const RgbPicture& a, const RgbPicture& b) {
    if (a.width != b.width || a.height != b.height) return 1.0;
    if (a.pixels() == 0) return 0.0;
    long diff = 0;
    for (long i = 0; i < a.pixels(); ++i)
        diff += std::memcmp(&a.rgb[size_t(3 * i)], &b.rgb[size_t(3 * i)], 3) != 0;
    return double(diff) / double(a.pixels());
}

}  // namespace convscope::testing
