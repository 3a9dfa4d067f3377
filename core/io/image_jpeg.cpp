// JPEG through Debian's libjpeg-turbo (the libjpeg 6.2 API): the header's size is checked before
// decompression starts, and a file that ends early or whose entropy-coded data is damaged is an error (the
// library would otherwise fill the missing part with grey and only warn).
//
// libjpeg reports errors through error_exit, which must not return: ours longjmps back to the setjmp in
// decode_into. As in image_png.cpp, that function keeps no local object that changes after the setjmp
// (what changes lives in the caller's JpegContext and Image) and only libjpeg's C frames lie in between.
#include <cstdio>  // jpeglib.h needs FILE

#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>

#include "core/io/image_codecs.hpp"

namespace convscope::codecs {
namespace {

// A progressive JPEG may hold any number of scans, each re-reading the whole coefficient buffer; a hostile
// file with thousands of tiny scans takes minutes. libjpeg-turbo's own TurboJPEG API stops at 500 the same
// way (TJFLAG_LIMITSCANS).
constexpr int kMaxScans = 500;

struct JpegContext {
    jpeg_decompress_struct cinfo{};
    jpeg_error_mgr err{};
    jpeg_progress_mgr progress{};
    std::jmp_buf jump;
    bool truncated = false;
    bool damaged = false;
    bool too_many_scans = false;
    char message[JMSG_LENGTH_MAX] = {};
    std::vector<uint8_t> row;  // one decoded scanline before CMYK conversion
};

JpegContext& context_of(j_common_ptr cinfo) {
    return *static_cast<JpegContext*>(cinfo->client_data);
}

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
    JpegContext& c = context_of(cinfo);
    (*cinfo->err->format_message)(cinfo, c.message);
    std::longjmp(c.jump, 1);
}

// Warnings that mean the pixels are not the file's: the data ended (the library then invents an end of
// image) or the entropy-coded data is corrupt. These stop decoding; other warnings (extra bytes before a
// marker, an unknown JFIF revision) leave the picture intact and are ignored.
void on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    JpegContext& c = context_of(cinfo);
    const int code = cinfo->err->msg_code;
    if (code == JWRN_JPEG_EOF) {
        c.truncated = true;
    } else if (code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE || code == JWRN_MUST_RESYNC ||
               code == JWRN_NOT_SEQUENTIAL) {
        c.damaged = true;
    } else {
        return;
    }
    (*cinfo->err->format_message)(cinfo, c.message);
    std::longjmp(c.jump, 1);
}

void on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
        JpegContext& c = context_of(cinfo);
        c.too_many_scans = true;
        std::longjmp(c.jump, 1);
    }
}

// stb_image's rounding of c × k / 255, kept so that CMYK files decode as they did before.
uint8_t blinn_8x8(uint8_t x, uint8_t y) {
    const unsigned t = unsigned(x) * unsigned(y) + 128;
    return uint8_t((t + (t >> 8)) >> 8);
}

enum class Stop { Header, Pixels };

// Reads the header (and with Stop::Pixels the pixels) into `image`.
Status decode_into(JpegContext& c, std::span<const uint8_t> bytes, Image& image, Stop stop) {
    jpeg_decompress_struct& cinfo = c.cinfo;
    cinfo.err = jpeg_std_error(&c.err);
    cinfo.client_data = &c;
    c.err.error_exit = on_error_exit;
    c.err.emit_message = on_message;
    if (setjmp(c.jump)) {
        jpeg_destroy_decompress(&cinfo);
        // libjpeg's own message (English, from the library) is an argument of ours.
        if (c.truncated) return truncated_data_error(bytes.size());
        if (c.too_many_scans) return fail<ErrCode::jpeg_too_many_scans>(kMaxScans);
        if (c.damaged) return fail<ErrCode::image_data_damaged>("JPEG", std::string(c.message));
        return fail<ErrCode::image_cannot_decode>("JPEG", std::string(c.message));
    }
    jpeg_create_decompress(&cinfo);
    cinfo.client_data = &c;  // jpeg_create_decompress clears everything but err
    c.progress.progress_monitor = on_progress;
    cinfo.progress = &c.progress;
    cinfo.mem->max_memory_to_use = 640L << 20;  // a 100 MP progressive 4:4:4 file needs 600 MB
    jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    image.width = cinfo.image_width;
    image.height = cinfo.image_height;
    image.channels = cinfo.num_components == 1 ? 1 : 3;
    if (stop == Stop::Header) {
        jpeg_destroy_decompress(&cinfo);
        return {};
    }
    if (auto s = check_image_size(image.width, image.height); !s) {
        jpeg_destroy_decompress(&cinfo);
        return s.err();
    }
    const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = image.channels == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    const int out_channels = cinfo.output_components;
    if (int64_t(cinfo.output_width) != image.width || int64_t(cinfo.output_height) != image.height ||
        out_channels != (cmyk ? 4 : image.channels)) {
        jpeg_destroy_decompress(&cinfo);
        return fail<ErrCode::image_unexpected_layout>("JPEG");
    }
    const size_t stride = size_t(image.width) * size_t(image.channels);
    // Reserved, then grown a row at a time: a file whose data stops early touches only the rows it had.
    image.pixels.reserve(stride * size_t(image.height));
    if (cmyk) c.row.resize(size_t(image.width) * 4);
    while (cinfo.output_scanline < cinfo.output_height) {
        image.pixels.resize(size_t(cinfo.output_scanline + 1) * stride);
        uint8_t* dst = image.pixels.data() + size_t(cinfo.output_scanline) * stride;
        JSAMPROW row = cmyk ? c.row.data() : dst;
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
            jpeg_destroy_decompress(&cinfo);
            return fail<ErrCode::jpeg_stopped>();
        }
        if (cmyk)  // Adobe's inverted CMYK: each colour times black, as stb_image did
            for (int64_t x = 0; x < image.width; ++x) {
                const uint8_t* p = c.row.data() + x * 4;
                for (int k = 0; k < 3; ++k) dst[x * 3 + k] = blinn_8x8(p[k], p[3]);
            }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return {};
}

}  // namespace

Result<ImageInfo> jpeg_info(std::span<const uint8_t> bytes) {
    JpegContext c;
    Image image;
    if (auto s = decode_into(c, bytes, image, Stop::Header); !s) return s.err();
    return ImageInfo{image.width, image.height, image.channels};
}

Result<Image> jpeg_decode(std::span<const uint8_t> bytes) {
    JpegContext c;
    Image image;
    if (auto s = decode_into(c, bytes, image, Stop::Pixels); !s) return s.err();
    return image;
}

}  // namespace convscope::codecs
