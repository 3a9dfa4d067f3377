// Images: decoding PNG (libpng), JPEG (libjpeg-turbo), GIF (giflib, the first frame), BMP and TGA (stb_image
// compiled into core with only those two formats) and binary PPM/PGM, chosen by magic number; other formats
// (PIC, HDR, PSD, TIFF, WebP, …) are refused by name. The size limits are checked on the header before any
// pixel is decoded, and a file that ends before its pixels do is an error. Also: conversion to a float
// tensor (0–255), and PNG encoding (libpng) written atomically. core/io/image_codecs.hpp has the decoders.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/support/result.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// 8-bit pixels, interleaved, row-major: channels is 1 (grey) or 3 (RGB). Alpha is dropped on load.
struct Image {
    int64_t width = 0;
    int64_t height = 0;
    int channels = 0;
    std::vector<uint8_t> pixels;  // width × height × channels bytes

    bool operator==(const Image&) const = default;
};

// What an image file's header says, read without decoding pixels.
struct ImageInfo {
    int64_t width = 0;
    int64_t height = 0;
    int channels = 0;  // as stored: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
};

// Largest image file read from disk, in bytes (compressed data; the pixel limits apply after the header).
inline constexpr int64_t kMaxImageFileBytes = int64_t(1) << 30;

// Reads the header of an encoded image and checks limits::kMaxImagePixels / kMaxImageSide; decodes nothing.
Result<ImageInfo> probe_image(std::span<const uint8_t> bytes);

// Decodes an encoded image in memory (header limits are checked first); alpha is dropped, grey stays 1
// channel. Never reads past `bytes`, never hangs, and refuses a truncated file.
Result<Image> decode_image(std::span<const uint8_t> bytes);

// Reads and decodes an image file; errors name the file ("photo.txt: not an image ConvScope can read (…)").
Result<Image> load_image(const std::string& path);

// How an image becomes a tensor: one luminance channel, or its own channels (grey stays 1, RGB gives 3).
enum class ColorMode { Grey, Color };

// The image as a float C×H×W tensor with values 0–255. Grey from RGB is ITU-R BT.601 luma,
// 0.299 R + 0.587 G + 0.114 B (unrounded). Fails when the tensor would be over limits::kMaxTensorElements.
Result<Tensor> image_to_tensor(const Image& image, ColorMode mode);

// For display: the image shrunk by the smallest whole factor that brings both sides to ≤ max_side (each
// pixel of the result averages a factor × factor block, cut at the edges); factor 1 returns a copy.
Image shrink_to_fit(const Image& image, int64_t max_side, int64_t& factor);

// Encodes an image as PNG bytes in memory.
Result<std::vector<uint8_t>> encode_png(const Image& image);

// Encodes an image as PNG and writes it atomically (temporary file, then rename): a failure leaves `path` as
// it was.
Status save_png(const std::string& path, const Image& image);

}  // namespace convscope
