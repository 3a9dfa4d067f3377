#include "core/io/image.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/io/fileio.hpp"
#include "core/io/image_codecs.hpp"
#include "core/support/limits.hpp"

namespace convscope {

namespace codecs {

Status check_image_size(int64_t w, int64_t h) {
    const std::string size = std::to_string(w) + "×" + std::to_string(h);
    if (w <= 0 || h <= 0) return fail<ErrCode::image_empty_size>(size);
    if (w > limits::kMaxImageSide || h > limits::kMaxImageSide)
        return fail<ErrCode::image_side_over_limit>(size, limits::kMaxImageSide);
    if (w * h > limits::kMaxImagePixels) return fail<ErrCode::image_pixels_over_limit>(size, w * h);
    return {};
}

Error truncated_error(int64_t have, int64_t need) {
    return fail<ErrCode::image_truncated>(std::max<int64_t>(0, have), need);
}

Error truncated_data_error(size_t size) {
    return fail<ErrCode::image_truncated_data>(size);
}

}  // namespace codecs

namespace {

using codecs::check_image_size;

std::string size_text(int64_t w, int64_t h) {
    return std::to_string(w) + "×" + std::to_string(h);
}

enum class Format { Png, Jpeg, Gif, Bmp, Tga, Pnm };

bool starts_with(std::span<const uint8_t> b, std::string_view magic, size_t at = 0) {
    return b.size() >= at + magic.size() && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

// The formats stb_image would have tried and a few common others, named so the refusal says what the file
// is. None of them is decoded: the PIC and HDR decoders of Debian's stb_image crash or hang on hostile
// files (README, Bad input), and PSD is rarely what a student means to open.
std::optional<Error> refused_format(std::span<const uint8_t> b) {
    if (starts_with(b, "\x53\x80\xF6\x34")) return word<ErrCode::w_fmt_pic>();
    if (starts_with(b, "#?RADIANCE") || starts_with(b, "#?RGBE")) return word<ErrCode::w_fmt_hdr>();
    if (starts_with(b, "8BPS")) return word<ErrCode::w_fmt_psd>();
    if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)))
        return word<ErrCode::w_fmt_tiff>();
    if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) return word<ErrCode::w_fmt_webp>();
    if (starts_with(b, "ftypheic", 4) || starts_with(b, "ftypheix", 4) || starts_with(b, "ftypmif1", 4) ||
        starts_with(b, "ftypavif", 4))
        return word<ErrCode::w_fmt_heif>();
    if (starts_with(b, "qoif")) return word<ErrCode::w_fmt_qoi>();
    if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '4' && std::isspace(b[2]))
        return word<ErrCode::w_fmt_text_pnm>();
    return std::nullopt;
}

// Which decoder owns the bytes, by magic number (TGA, which has none, by stb_image's header test); an
// error for everything else.
Result<Format> format_of(std::span<const uint8_t> b) {
    if (b.empty()) return fail<ErrCode::image_file_empty>();
    if (b.size() > size_t(INT_MAX)) return fail<ErrCode::image_file_too_large>();
    if (starts_with(b, "\x89PNG\r\n\x1a\n")) return Format::Png;
    if (starts_with(b, "\xFF\xD8\xFF")) return Format::Jpeg;
    if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return Format::Gif;
    if (starts_with(b, "BM")) return Format::Bmp;
    if (starts_with(b, "P5") || starts_with(b, "P6")) return Format::Pnm;
    if (auto name = refused_format(b))
        return fail<ErrCode::image_format_refused>(std::move(*name), word<ErrCode::w_formats_read>());
    if (codecs::looks_like_tga(b)) return Format::Tga;
    return fail<ErrCode::image_not_readable>(word<ErrCode::w_formats_read>());
}

// [SECTION] PNM: binary P5 (grey) and P6 (RGB), 8 or 16 bits a sample, read here.

struct PnmHeader {
    int64_t width = 0, height = 0, maxval = 0;
    int channels = 1;
    size_t data = 0;  // offset of the first pixel byte
};

// The header as stb_image parsed it (whitespace and '#' comments between the fields, one whitespace byte
// after maxval), but with every number bounded before it can overflow.
Result<PnmHeader> pnm_header(std::span<const uint8_t> b) {
    PnmHeader h;
    h.channels = b[1] == '6' ? 3 : 1;
    size_t i = 2;
    int64_t* fields[3] = {&h.width, &h.height, &h.maxval};
    for (int64_t* f : fields) {
        while (i < b.size() && (std::isspace(b[i]) || b[i] == '#')) {
            if (b[i] == '#')
                while (i < b.size() && b[i] != '\n' && b[i] != '\r') ++i;
            else
                ++i;
        }
        if (i >= b.size()) return fail<ErrCode::pnm_header_ends>();
        if (!std::isdigit(b[i])) return fail<ErrCode::pnm_number_expected>();
        while (i < b.size() && std::isdigit(b[i])) {
            *f = *f * 10 + (b[i++] - '0');
            if (*f > int64_t(1) << 32) return fail<ErrCode::pnm_number_over>();
        }
    }
    h.data = i + 1;  // the single whitespace byte after maxval
    if (auto s = check_image_size(h.width, h.height); !s) return s.err();
    if (h.maxval < 1 || h.maxval > 65535) return fail<ErrCode::pnm_maxval>(h.maxval);
    return h;
}

Result<Image> pnm_decode(std::span<const uint8_t> b) {
    auto h = pnm_header(b);
    if (!h) return h.err();
    const int64_t sample_bytes = h->maxval > 255 ? 2 : 1;
    const int64_t samples = h->width * h->height * h->channels;
    const int64_t have = int64_t(b.size()) - int64_t(h->data);
    if (have < samples * sample_bytes) return codecs::truncated_error(have, samples * sample_bytes);
    Image image;
    image.width = h->width;
    image.height = h->height;
    image.channels = h->channels;
    image.pixels.resize(size_t(samples));
    const uint8_t* src = b.data() + h->data;
    // 16-bit samples are big-endian; the high byte is the 8-bit value (as libpng's strip_16 does).
    for (int64_t k = 0; k < samples; ++k) image.pixels[size_t(k)] = src[k * sample_bytes];
    return image;
}

}  // namespace

Result<ImageInfo> probe_image(std::span<const uint8_t> bytes) {
    auto format = format_of(bytes);
    if (!format) return format.err();
    Result<ImageInfo> info = ImageInfo{};
    switch (*format) {
        case Format::Png:
            info = codecs::png_info(bytes);
            break;
        case Format::Jpeg:
            info = codecs::jpeg_info(bytes);
            break;
        case Format::Gif:
            info = codecs::gif_info(bytes);
            break;
        case Format::Bmp:
            info = codecs::stb_info(bytes, codecs::StbFormat::Bmp);
            break;
        case Format::Tga:
            info = codecs::stb_info(bytes, codecs::StbFormat::Tga);
            break;
        case Format::Pnm: {
            auto h = pnm_header(bytes);
            if (!h) return h.err();
            info = ImageInfo{h->width, h->height, h->channels};
            break;
        }
    }
    if (!info) return info;
    if (auto s = check_image_size(info->width, info->height); !s) return s.err();
    return info;
}

Result<Image> decode_image(std::span<const uint8_t> bytes) {
    auto format = format_of(bytes);
    if (!format) return format.err();
    Result<Image> image = Image{};
    switch (*format) {
        case Format::Png:
            image = codecs::png_decode(bytes);
            break;
        case Format::Jpeg:
            image = codecs::jpeg_decode(bytes);
            break;
        case Format::Gif:
            image = codecs::gif_decode(bytes);
            break;
        case Format::Bmp:
            image = codecs::stb_decode(bytes, codecs::StbFormat::Bmp);
            break;
        case Format::Tga:
            image = codecs::stb_decode(bytes, codecs::StbFormat::Tga);
            break;
        case Format::Pnm:
            image = pnm_decode(bytes);
            break;
    }
    if (!image) return image;
    // Every decoder checked its header; hold what it produced to the same limits and shape.
    if (auto s = check_image_size(image->width, image->height); !s) return s.err();
    if ((image->channels != 1 && image->channels != 3) ||
        image->pixels.size() != size_t(image->width * image->height * image->channels))
        return fail<ErrCode::image_decoded_malformed>(size_text(image->width, image->height));
    return image;
}

Result<Image> load_image(const std::string& path) {
    auto bytes = read_file(path, kMaxImageFileBytes);
    if (!bytes) return bytes.err();
    auto image = decode_image(*bytes);
    if (!image) return fail<ErrCode::path_colon>(path, image.err());
    return image;
}

Result<Tensor> image_to_tensor(const Image& image, ColorMode mode) {
    const int64_t c = (mode == ColorMode::Grey) ? 1 : image.channels;
    auto t = Tensor::try_filled({c, image.height, image.width});
    if (!t) return fail<ErrCode::image_too_large_to_filter>(size_text(image.width, image.height), t.err());
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
        return fail<ErrCode::image_encode_malformed>(size_text(image.width, image.height));
    if (image.width > INT32_MAX || image.height > INT32_MAX) return fail<ErrCode::image_encode_too_large>();
    return codecs::png_encode(image);
}

Status save_png(const std::string& path, const Image& image) {
    auto png = encode_png(image);
    if (!png) return png.err();
    return write_file_atomic(path, *png);
}

}  // namespace convscope
