// PNG: decoding through Debian's libpng 1.6 (the header's size is checked before any pixel is allocated; a
// file that ends early is an error, never a picture with zeros), and encoding with zlib on every thread
// (libpng would compress on one; see [SECTION] Encoding).
//
// libpng reports errors by calling our error function, which must not return: it longjmps back to the
// setjmp in the function that called libpng (decode_into). Those functions keep no local
// object that changes after the setjmp: what they change lives in the caller's PngContext and Image, whose
// values a longjmp cannot make indeterminate, and only libpng's C frames lie between setjmp and longjmp.
#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <utility>

#include "core/io/image_codecs.hpp"
#include "core/support/limits.hpp"
#include "core/support/thread_pool.hpp"

namespace convscope::codecs {
namespace {

// What libpng's callbacks share with the function that called libpng.
struct PngContext {
    const uint8_t* data = nullptr;  // reading: the file
    size_t size = 0;
    size_t pos = 0;
    bool truncated = false;        // the decoder asked for bytes past the end
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

// [SECTION] Encoding
// The file is written here, its image data compressed with zlib in bands of rows on every thread (libpng
// compresses on one). A PNG's image data is one zlib stream: a 2-byte header, deflate data, the Adler-32 of
// the filtered rows. Deflate data may be made in pieces: each band is compressed on its own, primed with the
// previous band's last 32 KiB as its dictionary (so matches still reach back across the cut, as pigz does),
// and ends on a byte boundary with a sync flush; the last band finishes the stream. The bands depend on the
// image's size alone, so the file is the same with any number of threads. Rows use the Up filter (each byte
// minus the one above it) and zlib's run-length strategy (Z_RLE: matches only of the byte before, then
// Huffman codes). A filtered photo's Up differences are small, noisy numbers that longer matches barely find:
// on a box5-filtered 12 MP photo Z_RLE made a file 10% smaller than level 2's LZ77 in 0.8× its time, and runs
// still take flat areas and edge maps down to a few bytes per row (README, Image files).

constexpr int kZlibLevel = 2;  // with Z_RLE only level 0 (no compression) would differ
constexpr int kZlibStrategy = Z_RLE;
constexpr size_t kBandBytes = size_t(1) << 20;  // filtered bytes per band (about)
constexpr size_t kWindow = size_t(1) << 15;     // deflate's window, the most a dictionary can help

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}

// Appends the chunk `type` with `data` (length, type, data, CRC-32 of type and data).
void put_chunk(std::vector<uint8_t>& out, const char (&type)[5], const uint8_t* data, size_t size) {
    put_u32(out, uint32_t(size));
    const size_t at = out.size();
    out.insert(out.end(), type, type + 4);
    if (size) out.insert(out.end(), data, data + size);
    put_u32(out, uint32_t(crc32(0L, out.data() + at, uInt(out.size() - at))));
}

// One band of rows [y0, y1): its filtered bytes, their Adler-32, and their deflate data.
struct Band {
    int64_t y0 = 0, y1 = 0;
    std::vector<uint8_t> filtered, compressed;
    uint32_t adler = 1;
    bool failed = false;
};

// The Up-filtered bytes of rows [y0, y1): per row the filter type (2), then each byte minus the byte above
// (0 above the first row).
void filter_rows(const Image& image, int64_t y0, int64_t y1, std::vector<uint8_t>& out) {
    const size_t stride = size_t(image.width) * size_t(image.channels);
    out.resize(size_t(y1 - y0) * (stride + 1));
    uint8_t* d = out.data();
    for (int64_t y = y0; y < y1; ++y) {
        const uint8_t* row = image.pixels.data() + size_t(y) * stride;
        *d++ = 2;
        if (y == 0) {
            std::memcpy(d, row, stride);
        } else {
            const uint8_t* above = row - stride;
            for (size_t x = 0; x < stride; ++x) d[x] = uint8_t(row[x] - above[x]);
        }
        d += stride;
    }
}

// Compresses band b (raw deflate), primed with the end of the band before it; the last band finishes.
void deflate_band(Band& b, const Band* before, bool last) {
    z_stream z{};
    if (deflateInit2(&z, kZlibLevel, Z_DEFLATED, -15, 8, kZlibStrategy) != Z_OK) {
        b.failed = true;
        return;
    }
    if (before && !before->filtered.empty()) {
        const size_t n = std::min(kWindow, before->filtered.size());
        deflateSetDictionary(&z, before->filtered.data() + before->filtered.size() - n, uInt(n));
    }
    b.compressed.resize(deflateBound(&z, uLong(b.filtered.size())) + 16);
    z.next_in = b.filtered.data();
    z.avail_in = uInt(b.filtered.size());
    z.next_out = b.compressed.data();
    z.avail_out = uInt(b.compressed.size());
    const int r = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    b.failed = last ? r != Z_STREAM_END : (r != Z_OK || z.avail_in != 0);
    b.compressed.resize(b.compressed.size() - z.avail_out);
    b.adler = uint32_t(adler32(1L, b.filtered.data(), uInt(b.filtered.size())));
    deflateEnd(&z);
}

Result<std::vector<uint8_t>> encode(const Image& image) {
    const size_t stride = size_t(image.width) * size_t(image.channels);
    const int64_t rows_per_band = std::max<int64_t>(1, int64_t(kBandBytes / (stride + 1)));
    std::vector<Band> bands(size_t((image.height + rows_per_band - 1) / rows_per_band));
    for (size_t k = 0; k < bands.size(); ++k) {
        bands[k].y0 = int64_t(k) * rows_per_band;
        bands[k].y1 = std::min(image.height, bands[k].y0 + rows_per_band);
    }
    // Filtering first, everywhere, so that each band's dictionary (the band before it) is ready.
    ThreadPool::global().parallel_for(int64_t(bands.size()), [&](int64_t k) {
        filter_rows(image, bands[size_t(k)].y0, bands[size_t(k)].y1, bands[size_t(k)].filtered);
    });
    ThreadPool::global().parallel_for(int64_t(bands.size()), [&](int64_t k) {
        deflate_band(bands[size_t(k)], k ? &bands[size_t(k) - 1] : nullptr, size_t(k) + 1 == bands.size());
    });
    uint32_t adler = 1;
    for (const Band& b : bands) {
        if (b.failed) return fail<ErrCode::png_encoder_oom>();  // zlib fails only for want of memory here
        adler = uint32_t(adler32_combine(adler, b.adler, z_off_t(b.filtered.size())));
    }

    std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13] = {};
    for (int i = 0; i < 4; ++i) {
        ihdr[i] = uint8_t(uint32_t(image.width) >> (24 - 8 * i));
        ihdr[4 + i] = uint8_t(uint32_t(image.height) >> (24 - 8 * i));
    }
    ihdr[8] = 8;                            // bits per sample
    ihdr[9] = image.channels == 1 ? 0 : 2;  // grey or RGB; compression, filter method, interlace: 0
    put_chunk(out, "IHDR", ihdr, sizeof ihdr);
    // One IDAT per band: the zlib header before the first band's data, the Adler-32 after the last's.
    for (size_t k = 0; k < bands.size(); ++k) {
        std::vector<uint8_t>& data = bands[k].compressed;
        if (k == 0) data.insert(data.begin(), {0x78, 0x5e});  // deflate, 32 KiB window, "fast" levels
        if (k + 1 == bands.size()) put_u32(data, adler);
        put_chunk(out, "IDAT", data.data(), data.size());
    }
    put_chunk(out, "IEND", nullptr, 0);
    return out;
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
    return encode(image);
}

}  // namespace convscope::codecs
