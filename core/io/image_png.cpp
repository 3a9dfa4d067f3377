// PNG through Debian's libpng 1.6: decoding (the header's size is checked before any pixel is allocated; a
// file that ends early is an error, never a picture with zeros) and encoding.
//
// libpng reports errors by calling our error function, which must not return: it longjmps back to the
// setjmp in the function that called libpng (decode_into, encode_into). Those functions keep no local
// object that changes after the setjmp: what they change lives in the caller's PngContext and Image, whose
// values a longjmp cannot make indeterminate, and only libpng's C frames lie between setjmp and longjmp.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <utility>

#include "core/io/image_codecs.hpp"
#include "core/support/limits.hpp"

namespace convscope::codecs {
namespace {

// What libpng's callbacks share with the function that called libpng.
struct PngContext {
    const uint8_t* data = nullptr;  // reading: the file
    size_t size = 0;
    size_t pos = 0;
    bool truncated = false;        // the decoder asked for bytes past the end
    std::vector<uint8_t> out;      // writing: the encoded bytes
    std::vector<uint8_t> scratch;  // reading: rows with alpha, before it is dropped
    std::vector<png_bytep> rows;
    char message[256] = {};
    std::jmp_buf jump;
};

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
    auto* c = static_cast<PngContext*>(png_get_error_ptr(png));
    std::snprintf(c->message, sizeof c->message, "%s", message ? message : "unknown error");
    std::longjmp(c->jump, 1);
}

// Warnings (an unknown chunk, a bad CRC on an ancillary chunk the decoder then skips) do not change the
// pixels; truncation and damaged image data arrive as errors.
void on_warning(png_structp, png_const_charp) {}

void read_bytes(png_structp png, png_bytep out, size_t n) {
    auto* c = static_cast<PngContext*>(png_get_io_ptr(png));
    if (c->size - c->pos < n) {
        c->truncated = true;
        png_error(png, "the file ends early");
    }
    std::memcpy(out, c->data + c->pos, n);
    c->pos += n;
}

void write_bytes(png_structp png, png_bytep data, size_t n) {
    auto* c = static_cast<PngContext*>(png_get_io_ptr(png));
    c->out.insert(c->out.end(), data, data + n);
}

void flush_bytes(png_structp) {}

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

uint32_t be32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// The IHDR chunk read by hand (its CRC unchecked), so that an absurd size is refused with our own message
// before libpng sees the file.
Result<ImageInfo> read_ihdr(std::span<const uint8_t> b) {
    if (b.size() < 33 || std::memcmp(b.data(), kSignature, 8) != 0 || be32(b.data() + 8) != 13 ||
        std::memcmp(b.data() + 12, "IHDR", 4) != 0)
        return b.size() < 33 ? truncated_error(int64_t(b.size()), 33) : fail<ErrCode::png_no_ihdr>();
    const int64_t w = be32(b.data() + 16), h = be32(b.data() + 20);
    if (auto s = check_image_size(w, h); !s) return s.err();
    int channels = 0;
    switch (b[25]) {
        case 0:
            channels = 1;
            break;  // grey
        case 2:
            channels = 3;
            break;  // RGB
        case 3:
            channels = 3;
            break;  // palette
        case 4:
            channels = 2;
            break;  // grey + alpha
        case 6:
            channels = 4;
            break;  // RGBA
        default:
            return fail<ErrCode::png_colour_type>(b[25]);
    }
    return ImageInfo{w, h, channels};
}

// libpng's own message (English, from the library) is an argument of ours.
Error png_failure(const PngContext& c, size_t size) {
    if (c.truncated) return truncated_data_error(size);
    return fail<ErrCode::image_data_damaged>("PNG", std::string(c.message));
}

// Decodes into `image` (already holding the header's size).
Status decode_into(PngContext& c, Image& image) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
    if (!png) return fail<ErrCode::png_decoder_oom>();
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        return fail<ErrCode::png_decoder_oom>();
    }
    std::vector<uint8_t>& scratch = c.scratch;
    std::vector<png_bytep>& rows = c.rows;
    if (setjmp(c.jump)) {
        png_destroy_read_struct(&png, &info, nullptr);
        return png_failure(c, c.size);
    }
    png_set_read_fn(png, &c, read_bytes);
    png_set_user_limits(png, uint32_t(limits::kMaxImageSide), uint32_t(limits::kMaxImageSide));
    png_set_chunk_malloc_max(png, 8 << 20);  // ancillary chunks (text, ICC profiles) up to 8 MiB
    png_set_benign_errors(png, 1);           // e.g. extra compressed data after the image: a warning
    png_read_info(png, info);

    const uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (int64_t(w) != image.width || int64_t(h) != image.height) {
        png_destroy_read_struct(&png, &info, nullptr);
        return fail<ErrCode::png_size_changed>();
    }
    const int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    // The same 8-bit pixels stb_image gave: 16-bit samples keep their high byte, palettes and low-depth
    // grey expand to 8 bits, and gAMA/sRGB are not applied.
    if (depth == 16) png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const int channels = png_get_channels(png, info);
    const size_t rowbytes = png_get_rowbytes(png, info);
    if (channels < 1 || channels > 4 || rowbytes != size_t(w) * size_t(channels)) {
        png_destroy_read_struct(&png, &info, nullptr);
        return fail<ErrCode::image_unexpected_layout>("PNG");
    }
    image.channels = channels >= 3 ? 3 : 1;
    image.pixels.resize(size_t(w) * size_t(h) * size_t(image.channels));
    rows.resize(h);
    if (channels == image.channels) {
        for (uint32_t y = 0; y < h; ++y) rows[y] = image.pixels.data() + size_t(y) * rowbytes;
        png_read_image(png, rows.data());
    } else {
        // Alpha to drop. One row at a time unless the file is interlaced (every pass revisits every row).
        const bool interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
        scratch.resize(interlaced ? size_t(h) * rowbytes : rowbytes);
        const auto drop_alpha = [&](const uint8_t* src, uint32_t y) {
            uint8_t* dst = image.pixels.data() + size_t(y) * size_t(w) * size_t(image.channels);
            for (uint32_t x = 0; x < w; ++x)
                for (int k = 0; k < image.channels; ++k)
                    dst[size_t(x) * image.channels + k] = src[x * channels + k];
        };
        if (interlaced) {
            for (uint32_t y = 0; y < h; ++y) rows[y] = scratch.data() + size_t(y) * rowbytes;
            png_read_image(png, rows.data());
            for (uint32_t y = 0; y < h; ++y) drop_alpha(rows[y], y);
        } else {
            for (uint32_t y = 0; y < h; ++y) {
                png_read_row(png, scratch.data(), nullptr);
                drop_alpha(scratch.data(), y);
            }
        }
    }
    // The chunks after the image, up to IEND: a file cut after its pixel data is still cut short.
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return {};
}

// Encodes `image` into c.out.
Status encode_into(PngContext& c, const Image& image) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
    if (!png) return fail<ErrCode::png_encoder_oom>();
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return fail<ErrCode::png_encoder_oom>();
    }
    if (setjmp(c.jump)) {
        png_destroy_write_struct(&png, &info);
        return fail<ErrCode::png_encode_failed>(std::string(c.message));
    }
    png_set_write_fn(png, &c, write_bytes, flush_bytes);
    png_set_IHDR(png, info, uint32_t(image.width), uint32_t(image.height), 8,
                 image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    // zlib level 2 with the Up filter alone: on a 12-megapixel photo filtered with box5 it encodes in about a
    // fifth of the CPU time stb_image_write took, into a file a quarter smaller (README, PNG writing).
    png_set_compression_level(png, 2);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_write_info(png, info);
    const size_t stride = size_t(image.width) * size_t(image.channels);
    c.rows.resize(size_t(image.height));
    for (size_t y = 0; y < c.rows.size(); ++y)
        c.rows[y] = const_cast<png_bytep>(image.pixels.data() + y * stride);  // libpng only reads them
    png_write_image(png, c.rows.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return {};
}

}  // namespace

Result<ImageInfo> png_info(std::span<const uint8_t> bytes) {
    return read_ihdr(bytes);
}

Result<Image> png_decode(std::span<const uint8_t> bytes) {
    auto header = read_ihdr(bytes);
    if (!header) return header.err();
    // Deflate packs at most 258 bytes into 2 bits (1032:1), so a file too short to hold the image's filtered
    // rows even at that ratio is cut short: refused before the pixels are allocated.
    const int samples = bytes[25] == 3 ? 1 : header->channels, depth = bytes[24];
    const int64_t raw = header->height * (1 + (header->width * samples * depth + 7) / 8);
    if (int64_t(bytes.size()) * 1032 + 1024 < raw)
        return fail<ErrCode::png_data_short>(bytes.size(), header->width, header->height);
    PngContext c;
    c.data = bytes.data();
    c.size = bytes.size();
    Image image;
    image.width = header->width;
    image.height = header->height;
    if (auto s = decode_into(c, image); !s) return s.err();
    return image;
}

Result<std::vector<uint8_t>> png_encode(const Image& image) {
    PngContext c;
    if (auto s = encode_into(c, image); !s) return s.err();
    return std::move(c.out);
}

}  // namespace convscope::codecs
