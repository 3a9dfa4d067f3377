// GIF through Debian's giflib (its low-level API, so only the first frame is read and nothing is allocated
// for the frames after it). The first frame is drawn as stb_image drew it: on black, pixels outside the
// frame's rectangle take the background colour when its index is above 0, transparent pixels stay black.
// A file that ends before the frame's last pixel is an error.
#include <gif_lib.h>

#include <algorithm>
#include <cstring>

#include "core/io/image_codecs.hpp"

namespace convscope::codecs {
namespace {

struct GifSource {
    std::span<const uint8_t> bytes;
    size_t pos = 0;
    bool truncated = false;  // giflib asked for bytes past the end
};

int read_bytes(GifFileType* gif, GifByteType* out, int n) {
    auto* src = static_cast<GifSource*>(gif->UserData);
    const size_t left = src->bytes.size() - src->pos;
    const size_t count = std::min(left, size_t(std::max(n, 0)));
    if (count < size_t(std::max(n, 0))) src->truncated = true;
    std::memcpy(out, src->bytes.data() + src->pos, count);
    src->pos += count;
    return int(count);
}

// Closes the decoder however the function returns.
struct GifCloser {
    GifFileType* gif;
    ~GifCloser() {
        int err = 0;
        if (gif) DGifCloseFile(gif, &err);
    }
};

// The logical screen's size, read from the header before giflib is called.
Result<ImageInfo> read_screen(std::span<const uint8_t> b) {
    if (b.size() < 13) return truncated_error(int64_t(b.size()), 13);
    if (std::memcmp(b.data(), "GIF87a", 6) != 0 && std::memcmp(b.data(), "GIF89a", 6) != 0)
        return fail<ErrCode::gif_not_gif>();
    const int64_t w = b[6] | (b[7] << 8), h = b[8] | (b[9] << 8);
    return ImageInfo{w, h, 3};
}

// giflib's own message (English, from the library) is an argument of ours.
Error gif_failure(const GifSource& src, int code) {
    if (src.truncated || code == D_GIF_ERR_READ_FAILED) return truncated_data_error(src.bytes.size());
    if (code == D_GIF_ERR_EOF_TOO_SOON) return fail<ErrCode::gif_ends_early>();
    const char* why = GifErrorString(code);
    return why ? fail<ErrCode::image_data_damaged>("GIF", why)
               : fail<ErrCode::image_data_damaged>("GIF", word<ErrCode::w_unknown_error>());
}

}  // namespace

Result<ImageInfo> gif_info(std::span<const uint8_t> bytes) {
    return read_screen(bytes);
}

Result<Image> gif_decode(std::span<const uint8_t> bytes) {
    auto screen = read_screen(bytes);
    if (!screen) return screen.err();
    if (auto s = check_image_size(screen->width, screen->height); !s) return s.err();
    GifSource src{bytes};
    int err = 0;
    GifCloser closer{DGifOpen(&src, read_bytes, &err)};
    GifFileType* gif = closer.gif;
    if (!gif) return gif_failure(src, err);

    int transparent = -1;  // from the graphic control extension before the frame
    for (;;) {
        GifRecordType type = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR) return gif_failure(src, gif->Error);
        if (type == TERMINATE_RECORD_TYPE) return fail<ErrCode::gif_no_image>();
        if (type == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return gif_failure(src, gif->Error);
            // block[0] is the block's length: flags, delay (2 bytes), transparent index.
            if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] == 4)
                transparent = (block[1] & 0x01) ? block[4] : -1;
            while (block)
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return gif_failure(src, gif->Error);
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) return fail<ErrCode::gif_unknown_record>();
        break;
    }
    if (DGifGetImageDesc(gif) == GIF_ERROR) return gif_failure(src, gif->Error);
    const GifImageDesc& desc = gif->Image;
    if (desc.Left < 0 || desc.Top < 0 || desc.Width < 0 || desc.Height < 0 ||
        desc.Left + desc.Width > gif->SWidth || desc.Top + desc.Height > gif->SHeight)
        return fail<ErrCode::gif_frame_outside>(desc.Width, desc.Height, desc.Left, desc.Top, gif->SWidth,
                                                gif->SHeight);
    const ColorMapObject* map = desc.ColorMap ? desc.ColorMap : gif->SColorMap;
    if (!map) return fail<ErrCode::gif_no_colour_table>();

    Image image;
    image.width = gif->SWidth;
    image.height = gif->SHeight;
    image.channels = 3;
    image.pixels.assign(size_t(image.width) * size_t(image.height) * 3, 0);
    // Pixels outside the frame: the global background colour when its index is above 0 (stb_image's rule).
    const int bg = gif->SBackGroundColor;
    if (bg > 0 && gif->SColorMap && bg < gif->SColorMap->ColorCount) {
        const GifColorType c = gif->SColorMap->Colors[bg];
        for (int64_t y = 0; y < image.height; ++y)
            for (int64_t x = 0; x < image.width; ++x) {
                if (y >= desc.Top && y < desc.Top + desc.Height && x >= desc.Left &&
                    x < desc.Left + desc.Width)
                    continue;
                uint8_t* p = image.pixels.data() + (y * image.width + x) * 3;
                p[0] = c.Red;
                p[1] = c.Green;
                p[2] = c.Blue;
            }
    }
    if (desc.Width == 0 || desc.Height == 0) return image;

    // Rows in file order; an interlaced frame stores rows 0, 8, 16, …, then 4, 12, …, then 2, 6, …, then the
    // odd rows.
    std::vector<int> order;
    order.reserve(size_t(desc.Height));
    if (desc.Interlace) {
        static constexpr int kStart[4] = {0, 4, 2, 1}, kStep[4] = {8, 8, 4, 2};
        for (int pass = 0; pass < 4; ++pass)
            for (int y = kStart[pass]; y < desc.Height; y += kStep[pass]) order.push_back(y);
    } else {
        for (int y = 0; y < desc.Height; ++y) order.push_back(y);
    }
    std::vector<GifPixelType> line(size_t(desc.Width));
    for (int y : order) {
        if (DGifGetLine(gif, line.data(), desc.Width) == GIF_ERROR) return gif_failure(src, gif->Error);
        uint8_t* row = image.pixels.data() + ((int64_t(desc.Top) + y) * image.width + desc.Left) * 3;
        for (int x = 0; x < desc.Width; ++x) {
            const int index = line[size_t(x)];
            if (index == transparent || index >= map->ColorCount) continue;  // stays black
            const GifColorType c = map->Colors[index];
            row[x * 3] = c.Red;
            row[x * 3 + 1] = c.Green;
            row[x * 3 + 2] = c.Blue;
        }
    }
    return image;
}

}  // namespace convscope::codecs
