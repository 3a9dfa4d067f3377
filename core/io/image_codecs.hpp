// Internal to core/image*.cpp: one decoder per family of formats. core/io/image.cpp reads the magic number
// and hands the bytes to the one decoder that owns that format; each decoder reads its header, holds it to
// the limits (check_image_size) before allocating, and refuses a file that ends before its pixels do.
//
//   PNG   libpng (Debian's libpng16)          image_png.cpp   (also the PNG encoder)
//   JPEG  libjpeg-turbo (libjpeg62-turbo)     image_jpeg.cpp
//   GIF   giflib                              image_gif.cpp   (the first frame)
//   BMP, TGA  stb_image compiled in with only these two formats    image_stb.cpp
//   PNM   binary P5/P6, read here                                 image.cpp
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/io/image.hpp"
#include "core/support/result.hpp"

namespace convscope::codecs {

// The limits every decoder applies to a header's size before it allocates: limits::kMaxImageSide a side and
// limits::kMaxImagePixels in all; an empty size is an error too.
Status check_image_size(int64_t width, int64_t height);

// "the file ends before its pixels do (have of need bytes)", worded once for every decoder.
Error truncated_error(int64_t have, int64_t need);
// "the file ends before its image data does (size bytes)": a decoder asked for bytes past the end.
Error truncated_data_error(size_t size);

// Each pair reads the header only (…_info) or decodes the whole image (…_decode). Decoders return 1 channel
// for grey and 3 for colour (alpha is dropped), like the public decode_image.
Result<ImageInfo> png_info(std::span<const uint8_t> bytes);
Result<Image> png_decode(std::span<const uint8_t> bytes);
// PNG bytes for an 8-bit grey or RGB image (zlib level 2 with the Up filter: see image_png.cpp).
Result<std::vector<uint8_t>> png_encode(const Image& image);

Result<ImageInfo> jpeg_info(std::span<const uint8_t> bytes);
Result<Image> jpeg_decode(std::span<const uint8_t> bytes);

Result<ImageInfo> gif_info(std::span<const uint8_t> bytes);
Result<Image> gif_decode(std::span<const uint8_t> bytes);

enum class StbFormat { Bmp, Tga };
// True when stb_image's own test says the bytes are a TGA file (TGA has no magic number).
bool looks_like_tga(std::span<const uint8_t> bytes);
Result<ImageInfo> stb_info(std::span<const uint8_t> bytes, StbFormat format);
Result<Image> stb_decode(std::span<const uint8_t> bytes, StbFormat format);

}  // namespace convscope::codecs
