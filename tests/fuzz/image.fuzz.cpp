// Fuzz target: the image loader (stb_image behind our header checks). Any bytes give an image within the
// limits or a readable error; never a crash or an allocation beyond the limits.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/image.hpp"
#include "core/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto img = convscope::decode_image(std::span<const uint8_t>(data, size));
    if (!img) {
        if (img.error().empty()) std::abort();
        return 0;
    }
    if (img->width * img->height > convscope::limits::kMaxImagePixels ||
        img->pixels.size() != size_t(img->width * img->height * img->channels))
        std::abort();
    return 0;
}
