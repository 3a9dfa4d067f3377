// BMP and TGA through stb_image, compiled here from Debian's libstb-dev header with only those two formats
// (STBI_ONLY_BMP, STBI_ONLY_TGA) and every function static, so this copy is instrumented with the rest of
// convscope_core in the fuzz build and cannot clash with the libstb that the app and tests link. The other
// formats of that snapshot (v2.27) are left out on purpose: its PIC decoder crashes on a truncated file and
// its HDR decoder loops forever on a zero-length run (core/io/image.cpp refuses both by their magic number).
//
// stb_image reads zeros past the end of a file and keeps going, so a truncated BMP or TGA used to decode
// as a picture with a black band. Here the file is fed through stb_image's callback interface, whose reads
// tell us exactly when the decoder asked for a byte the file does not have; that is an error. A cheaper
// lower bound on the size, from the header, refuses most truncated files before any pixel is allocated.
#include "core/io/image_codecs.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/support/limits.hpp"

namespace convscope::codecs::stb {
namespace {

// The most stb_image may allocate at once: a 65,536 × 1,526 RGBA image is 400 MB; the header checks keep
// real requests below this, so it only stops a decoder bug from asking for more.
constexpr size_t kMaxAllocation = size_t(1) << 30;

void* checked_malloc(size_t n) {
    return n > kMaxAllocation ? nullptr : std::malloc(n);
}
[[maybe_unused]] void* checked_realloc(void* p, size_t n) {
    return n > kMaxAllocation ? nullptr : std::realloc(p, n);
}

}  // namespace
}  // namespace convscope::codecs::stb

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 65536
#define STBI_MALLOC(n) convscope::codecs::stb::checked_malloc(n)
#define STBI_REALLOC(p, n) convscope::codecs::stb::checked_realloc(p, n)
#define STBI_FREE(p) std::free(p)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-function"
#pragma clang diagnostic ignored "-Wunused-parameter"
#pragma clang diagnostic ignored "-Wsign-compare"
#pragma clang diagnostic ignored "-Wunused-but-set-variable"
#pragma clang diagnostic ignored "-Wimplicit-fallthrough"
#pragma clang diagnostic ignored "-Wmissing-field-initializers"
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wtype-limits"
#endif
#include <stb_image.h>
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif

namespace convscope::codecs {
namespace {

// The file behind stb_image's callbacks. `past_end` is set when the decoder asks for a byte beyond the
// file: a refill of stb_image's own buffer when nothing is left, or a direct read or skip that comes up
// short.
struct Source {
    std::span<const uint8_t> bytes;
    size_t pos = 0;
    bool past_end = false;
    const stbi__context* context = nullptr;
};

int read_callback(void* user, char* out, int n) {
    auto* s = static_cast<Source*>(user);
    const size_t left = s->bytes.size() - s->pos;
    const size_t want = size_t(n > 0 ? n : 0);
    const size_t count = want < left ? want : left;
    // stb_image refills its 128-byte buffer speculatively: a short refill is normal, an empty one means the
    // decoder needed a byte that is not there. Any other read asks for exactly what it needs.
    const bool refill = s->context && out == reinterpret_cast<const char*>(s->context->buffer_start);
    if (refill ? count == 0 : count < want) s->past_end = true;
    std::memcpy(out, s->bytes.data() + s->pos, count);
    s->pos += count;
    return int(count);
}

void skip_callback(void* user, int n) {
    auto* s = static_cast<Source*>(user);
    const size_t left = s->bytes.size() - s->pos;
    const size_t want = size_t(n > 0 ? n : 0);
    if (want > left) s->past_end = true;
    s->pos += want < left ? want : left;
}

int eof_callback(void* user) {
    auto* s = static_cast<Source*>(user);
    return s->pos >= s->bytes.size();
}

uint32_t le16(std::span<const uint8_t> b, size_t i) {
    return uint32_t(b[i]) | (uint32_t(b[i + 1]) << 8);
}
uint32_t le32(std::span<const uint8_t> b, size_t i) {
    return le16(b, i) | (le16(b, i + 2) << 16);
}

// What the header says, read by hand: the size, and the fewest bytes a complete file can have (0 where the
// header does not tell).
struct Header {
    int64_t width = 0, height = 0;
    int channels = 3;
    int64_t min_bytes = 0;
};

Result<Header> bmp_header(std::span<const uint8_t> b) {
    if (b.size() < 30) return truncated_error(int64_t(b.size()), 30);
    Header h;
    const int64_t offset = le32(b, 10), hsz = le32(b, 14);
    int64_t bpp = 0, compression = 0;
    if (hsz == 12) {
        h.width = le16(b, 18);
        h.height = le16(b, 20);
        bpp = le16(b, 24);
    } else {
        if (b.size() < 34) return truncated_error(int64_t(b.size()), 34);
        h.width = int32_t(le32(b, 18));
        h.height = int32_t(le32(b, 22));  // negative: rows stored top-down
        if (h.height < 0) h.height = -h.height;
        bpp = le16(b, 28);
        compression = le32(b, 30);
    }
    if (auto s = check_image_size(h.width, h.height); !s) return s.err();
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return fail<ErrCode::bmp_bpp>(bpp);
    // Only uncompressed rows (0) and bit fields (3) are read. stb_image checks this on a signed int, so a
    // value of 2^31 or more slipped through and it decoded megapixels of nothing (a fuzz finding).
    if (compression != 0 && compression != 3) return fail<ErrCode::bmp_compression>(compression);
    const int64_t row = (h.width * bpp + 31) / 32 * 4;  // rows are padded to 4 bytes
    h.min_bytes = offset + row * h.height;
    return h;
}

Result<Header> tga_header(std::span<const uint8_t> b) {
    if (b.size() < 18) return truncated_error(int64_t(b.size()), 18);
    Header h;
    h.width = le16(b, 12);
    h.height = le16(b, 14);
    if (auto s = check_image_size(h.width, h.height); !s) return s.err();
    const int64_t id_length = b[0], type = b[2], bpp = b[16];
    const int64_t palette = b[1] == 1 ? int64_t(le16(b, 5)) * ((b[7] + 7) / 8) : 0;
    const int64_t pixel_bytes = (bpp + 7) / 8, pixels = h.width * h.height;
    // Uncompressed: every pixel. Run-length coded: at best one packet (a count byte and one pixel) per 128.
    const int64_t data = type >= 8 ? (pixels + 127) / 128 * (1 + pixel_bytes) : pixels * pixel_bytes;
    h.min_bytes = 18 + id_length + palette + data;
    // Grey (types 3 and 11) is one channel unless it carries alpha, which is dropped.
    h.channels = (type == 3 || type == 11) ? 1 : 3;
    return h;
}

Result<Header> header_of(std::span<const uint8_t> b, StbFormat format) {
    return format == StbFormat::Bmp ? bmp_header(b) : tga_header(b);
}

const char* format_name(StbFormat format) {
    return format == StbFormat::Bmp ? "BMP" : "TGA";
}

}  // namespace

bool looks_like_tga(std::span<const uint8_t> bytes) {
    if (bytes.size() < 18 || bytes.size() > size_t(INT32_MAX)) return false;
    stbi__context s;
    stbi__start_mem(&s, bytes.data(), int(bytes.size()));
    return stbi__tga_test(&s) != 0;
}

Result<ImageInfo> stb_info(std::span<const uint8_t> bytes, StbFormat format) {
    auto h = header_of(bytes, format);
    if (!h) return h.err();
    return ImageInfo{h->width, h->height, h->channels};
}

Result<Image> stb_decode(std::span<const uint8_t> bytes, StbFormat format) {
    auto h = header_of(bytes, format);
    if (!h) return h.err();
    if (int64_t(bytes.size()) < h->min_bytes) return truncated_error(int64_t(bytes.size()), h->min_bytes);

    Source src{bytes};
    stbi__context s;
    src.context = &s;
    stbi_io_callbacks callbacks{read_callback, skip_callback, eof_callback};
    stbi__start_callbacks(&s, &callbacks, &src);
    stbi__result_info ri;
    std::memset(&ri, 0, sizeof ri);
    ri.bits_per_channel = 8;
    ri.channel_order = STBI_ORDER_RGB;
    int w = 0, hgt = 0, c = 0;
    void* raw = format == StbFormat::Bmp ? stbi__bmp_load(&s, &w, &hgt, &c, 0, &ri)
                                         : stbi__tga_load(&s, &w, &hgt, &c, 0, &ri);
    std::unique_ptr<uint8_t, void (*)(void*)> data(static_cast<uint8_t*>(raw), std::free);
    if (src.past_end) return fail<ErrCode::image_past_end>(bytes.size());
    if (!data) {
        // The decoder's own reason (English, from the library) is an argument of ours.
        const char* why = stbi_failure_reason();
        return why && *why ? fail<ErrCode::image_cannot_decode>(format_name(format), why)
                           : fail<ErrCode::image_cannot_decode_plain>(format_name(format));
    }
    if (ri.bits_per_channel != 8 || w != h->width || hgt != h->height || c < 1 || c > 4)
        return fail<ErrCode::image_unexpected_layout>(format_name(format));
    Image image;
    image.width = w;
    image.height = hgt;
    image.channels = c >= 3 ? 3 : 1;  // alpha dropped
    const size_t pixels = size_t(w) * size_t(hgt);
    image.pixels.resize(pixels * size_t(image.channels));
    for (size_t i = 0; i < pixels; ++i)
        for (int k = 0; k < image.channels; ++k) image.pixels[i * image.channels + k] = data.get()[i * c + k];
    return image;
}

}  // namespace convscope::codecs
