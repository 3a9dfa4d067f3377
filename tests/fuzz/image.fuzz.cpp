// Fuzz target: the image loader (core/io/image.cpp's magic-number dispatch, header checks and PNM reader, the
// stb_image BMP/TGA decoders compiled into core, and Debian's libpng, libjpeg-turbo and giflib behind them).
// Any bytes give an image within the limits or a readable error; never a crash, a hang or an allocation
// beyond the limits. The fuzz build instruments core, so the coverage counts all of that but the Debian
// libraries.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "core/io/image.hpp"
#include "core/support/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto img = convscope::decode_image(std::span<const uint8_t>(data, size));
    if (!img) {
        // A message the app can show: not empty, and not naming a library the user never chose ("stb_image";
        // a bare "stb" may be a PNG chunk's name that libpng quotes, e.g. "Istb: CRC error").
        if (img.error().empty() || img.error().find("stb_image") != std::string::npos ||
            img.error().find("stbi") != std::string::npos)
            std::abort();
        return 0;
    }
    // What the header promised is what was decoded.
    auto info = convscope::probe_image(std::span<const uint8_t>(data, size));
    if (!info || info->width != img->width || info->height != img->height) std::abort();
    if (img->width < 1 || img->height < 1 || img->width * img->height > convscope::limits::kMaxImagePixels ||
        (img->channels != 1 && img->channels != 3) ||
        img->pixels.size() != size_t(img->width * img->height * img->channels))
        std::abort();
    return 0;
}
