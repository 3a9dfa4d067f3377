#include "core/image.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>

#include <stb_image.h>
#include <stb_image_write.h>

#include "core/fileio.hpp"
#include "core/limits.hpp"

namespace convscope {
namespace {

std::string size_text(int64_t w, int64_t h) {
    return std::to_string(w) + "×" + std::to_string(h);
}

// stb_image keeps the reason for its last failure; it reads better as "(…)" after our own sentence.
std::string stb_reason() {
    const char* r = stbi_failure_reason();
    return r && *r ? std::string(" (") + r + ")" : std::string();
}

// stb_image refuses some huge PNG headers itself and then only says "unknown image type"; reading the IHDR
// size here lets the user hear the real reason.
bool png_header_size(std::span<const uint8_t> b, int64_t& w, int64_t& h) {
    static const uint8_t sig[12] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    if (b.size() < 24 || !std::equal(sig, sig + 12, b.begin()) ||
        std::string(b.begin() + 12, b.begin() + 16) != "IHDR")
        return false;
    auto be32 = [&](size_t i) {
        return (int64_t(b[i]) << 24) | (int64_t(b[i + 1]) << 16) | (int64_t(b[i + 2]) << 8) | b[i + 3];
    };
    w = be32(16);
    h = be32(20);
    return true;
}

// stb_image does not notice a binary PNM (P5/P6) that ends before its pixels do and hands back uninitialized
// memory for the missing part; such a file is refused here instead. Other files pass.
Status check_pnm_length(std::span<const uint8_t> b) {
    if (b.size() < 2 || b[0] != 'P' || (b[1] != '5' && b[1] != '6')) return {};
    size_t i = 2;
    int64_t fields[3] = {0, 0, 0};  // width, height, maxval
    for (int64_t& f : fields) {
        while (i < b.size() && (std::isspace(b[i]) || b[i] == '#')) {
            if (b[i] == '#')
                while (i < b.size() && b[i] != '\n') ++i;
            else
                ++i;
        }
        if (i >= b.size() || !std::isdigit(b[i])) return {};  // not a header we understand: stb_image decides
        while (i < b.size() && std::isdigit(b[i]) && f < (int64_t(1) << 40)) f = f * 10 + (b[i++] - '0');
    }
    ++i;  // the single whitespace after maxval
    const int64_t need = fields[0] * fields[1] * (b[1] == '6' ? 3 : 1) * (fields[2] > 255 ? 2 : 1);
    if (int64_t(b.size()) - int64_t(i) < need)
        return fail("the file ends before its pixels do (" +
                    std::to_string(std::max<int64_t>(0, int64_t(b.size()) - int64_t(i))) + " of " +
                    std::to_string(need) + " bytes)");
    return {};
}

Status check_size(int64_t w, int64_t h) {
    if (w > limits::kMaxImageSide || h > limits::kMaxImageSide)
        return fail("the image is " + size_text(w, h) + " pixels; each side may be at most " +
                    std::to_string(limits::kMaxImageSide));
    if (w * h > limits::kMaxImagePixels)
        return fail("the image is " + size_text(w, h) + " = " + std::to_string(w * h) +
                    " pixels, over the limit of 100 megapixels");
    return {};
}

}  // namespace

Result<ImageInfo> probe_image(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return fail("the file is empty, not an image");
    if (bytes.size() > size_t(INT_MAX)) return fail("the file is too large to be read as an image");
    int w = 0, h = 0, c = 0;
    if (!stbi_info_from_memory(bytes.data(), int(bytes.size()), &w, &h, &c)) {
        const std::string reason = stb_reason();
        int64_t pw = 0, ph = 0;
        if (png_header_size(bytes, pw, ph))
            if (auto s = check_size(pw, ph); !s) return Error{s.error()};
        return fail("not an image stb_image can read" + reason);
    }
    if (w <= 0 || h <= 0) return fail("the image header gives an empty size " + size_text(w, h));
    if (auto s = check_size(w, h); !s) return Error{s.error()};
    return ImageInfo{w, h, c};
}

Result<Image> decode_image(std::span<const uint8_t> bytes) {
    auto info = probe_image(bytes);
    if (!info) return Error{info.error()};
    if (auto s = check_pnm_length(bytes); !s) return Error{s.error()};
    int w = 0, h = 0, c = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> data(
        stbi_load_from_memory(bytes.data(), int(bytes.size()), &w, &h, &c, 0), stbi_image_free);
    if (!data) {
        const std::string reason = stb_reason();
        return fail("the image could not be decoded" +
                    (reason.empty() ? std::string(" (the file may be damaged or cut short)") : reason));
    }
    // The header was checked, but the decoder has the last word on the size; hold it to the same limits.
    if (w != info->width || h != info->height || c < 1 || c > 4)
        return fail("the image decoded to " + size_text(w, h) + " instead of the header's " +
                    size_text(info->width, info->height));
    Image image;
    image.width = w;
    image.height = h;
    image.channels = c >= 3 ? 3 : 1;  // alpha dropped
    const size_t pixels = size_t(w) * size_t(h);
    image.pixels.resize(pixels * size_t(image.channels));
    const stbi_uc* src = data.get();
    for (size_t i = 0; i < pixels; ++i)
        for (int k = 0; k < image.channels; ++k) image.pixels[i * image.channels + k] = src[i * c + k];
    return image;
}

Result<Image> load_image(const std::string& path) {
    auto bytes = read_file(path, kMaxImageFileBytes);
    if (!bytes) return Error{bytes.error()};
    auto image = decode_image(*bytes);
    if (!image) return fail(path + ": " + image.error());
    return image;
}

Result<Tensor> image_to_tensor(const Image& image, ColorMode mode) {
    const int64_t c = (mode == ColorMode::Grey) ? 1 : image.channels;
    auto t = Tensor::try_filled({c, image.height, image.width});
    if (!t)
        return fail("the image " + size_text(image.width, image.height) +
                    " is too large to filter: " + t.error());
    const int64_t plane = image.width * image.height;
    const uint8_t* px = image.pixels.data();
    float* out = t->data.data();
    if (image.channels == 1 || mode == ColorMode::Color) {
        for (int64_t i = 0; i < plane; ++i)
            for (int64_t k = 0; k < c; ++k) out[k * plane + i] = float(px[i * image.channels + k]);
    } else {
        for (int64_t i = 0; i < plane; ++i)
            out[i] =
                0.299f * float(px[3 * i]) + 0.587f * float(px[3 * i + 1]) + 0.114f * float(px[3 * i + 2]);
    }
    return t;
}

Image shrink_to_fit(const Image& image, int64_t max_side, int64_t& factor) {
    factor = 1;
    while ((image.width + factor - 1) / factor > max_side || (image.height + factor - 1) / factor > max_side)
        ++factor;
    if (factor == 1) return image;
    Image out;
    out.width = (image.width + factor - 1) / factor;
    out.height = (image.height + factor - 1) / factor;
    out.channels = image.channels;
    out.pixels.resize(size_t(out.width * out.height * out.channels));
    const int64_t c = image.channels;
    for (int64_t y = 0; y < out.height; ++y)
        for (int64_t x = 0; x < out.width; ++x)
            for (int64_t k = 0; k < c; ++k) {
                int64_t sum = 0, count = 0;
                for (int64_t sy = y * factor; sy < std::min(image.height, (y + 1) * factor); ++sy)
                    for (int64_t sx = x * factor; sx < std::min(image.width, (x + 1) * factor); ++sx, ++count)
                        sum += image.pixels[size_t((sy * image.width + sx) * c + k)];
                out.pixels[size_t((y * out.width + x) * c + k)] = uint8_t((sum + count / 2) / count);
            }
    return out;
}

Result<std::vector<uint8_t>> encode_png(const Image& image) {
    if (image.width < 1 || image.height < 1 || (image.channels != 1 && image.channels != 3) ||
        image.pixels.size() != size_t(image.width * image.height * image.channels))
        return fail("cannot encode an empty or malformed " + size_text(image.width, image.height) + " image");
    if (image.width * image.channels > INT_MAX || image.height > INT_MAX)
        return fail("the image is too large to encode as PNG");
    std::vector<uint8_t> png;
    auto append = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<uint8_t>*>(context);
        const auto* bytes = static_cast<const uint8_t*>(data);
        out->insert(out->end(), bytes, bytes + size);
    };
    const int stride = int(image.width * image.channels);
    if (!stbi_write_png_to_func(append, &png, int(image.width), int(image.height), image.channels,
                                image.pixels.data(), stride))
        return fail("PNG encoding failed");
    return png;
}

Status save_png(const std::string& path, const Image& image) {
    auto png = encode_png(image);
    if (!png) return Error{png.error()};
    return write_file_atomic(path, *png);
}

}  // namespace convscope
