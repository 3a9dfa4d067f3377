// Image kernels: the named presets (identity, box blur, Gaussian, sharpen, Laplacian, LoG, Sobel, Scharr,
// Prewitt, emboss, outline, motion blur), the custom kernel's text file (read with line-numbered errors, and
// written), and normalization. A kernel is the grid of cells the user edits plus a divisor and an offset: the
// convolution's weight is cell / divisor and its bias is the offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/tensor.hpp"
#include "core/support/result.hpp"

namespace convscope {

// Largest kernel side in the image lab (presets, the editor and kernel files).
inline constexpr int64_t kMaxImageKernelSide = 15;

struct Kernel {
    std::string name = "custom";  // a preset's name ("sobel-x", "gaussian5:1.1"), a file's name, or "custom"
    int64_t rows = 3;
    int64_t cols = 3;
    std::vector<double> cells =
        std::vector<double>(9, 0.0);  // rows × cols, row-major, as the user edits them
    double divisor = 1.0;             // every weight is cell / divisor (never 0)
    double offset = 0.0;              // added to every output value (the convolution's bias)

    // The weight at (r, c): cell / divisor, as float32.
    float weight(int64_t r, int64_t c) const { return float(cells[size_t(r * cols + c)] / divisor); }
    // Sum of the weights (cells / divisor).
    double weight_sum() const;
    // The depthwise weight tensor channels × 1 × rows × cols, every channel holding this kernel.
    Tensor weight_tensor(int64_t channels) const;
    // The bias tensor [channels] holding the offset.
    Tensor bias_tensor(int64_t channels) const;

    bool operator==(const Kernel&) const = default;
};

// A preset as the UI lists it.
struct PresetInfo {
    std::string_view id;     // "sobel-x"; with a size appended ("box3") for sized presets
    std::string_view label;  // English label, "Sobel x"
    bool sized = false;      // takes a size N (1–15), written after the id: "box5"
    bool has_sigma = false;  // takes σ, written after the size: "gaussian5:1.4"
    int default_size = 3;
};

// Every preset, in the order the UI lists them.
std::span<const PresetInfo> kernel_presets();

// The σ used when none is given: OpenCV's rule 0.3·((N − 1)/2 − 1) + 0.8 (N=3: 0.8, N=5: 1.1).
double default_sigma(int64_t size);

// The preset `id` ("box", "gaussian", "sobel-x", …) at `size` (0: the preset's default; ignored when unsized)
// and `sigma` (≤ 0: default_sigma). An error for an unknown id, a size outside 1–15, or σ that is not finite.
Result<Kernel> make_preset(std::string_view id, int64_t size = 0, double sigma = 0.0);

// A preset's command-line name taken apart: "gaussian5:1.4" → {gaussian, 5, 1.4}; size 0 and σ 0 where the
// name gives none (the defaults). Strict: "box5x" or "gaussian5:1.4e" are errors, as in kernel_from_name.
struct PresetName {
    std::string_view id;  // as in kernel_presets()
    int64_t size = 0;
    double sigma = 0.0;
};
Result<PresetName> parse_preset_name(std::string_view name);

// A preset from its command-line name: "identity", "box3", "gaussian5", "gaussian5:1.4", "log9", "sobel-x", …
// A sized id without a number ("box") takes its default size.
Result<Kernel> kernel_from_name(std::string_view name);

// The command-line names, for --help: "identity, boxN, gaussianN[:SIGMA], …".
std::string kernel_names_help();

// Parses the kernel text format: one row per line, numbers separated by spaces or commas, `#` starts a
// comment, blank lines are skipped; optional lines `divisor D` and `offset B`. Errors name the line: "line 3:
// 'x' is not a number", "line 4 has 2 numbers but line 1 has 3".
Result<Kernel> parse_kernel_text(std::string_view text);

// The kernel in the text format, readable back by parse_kernel_text to an equal kernel (name aside).
std::string format_kernel_text(const Kernel& kernel);

// Reads a kernel file; errors start with the path. The kernel is named after the file.
Result<Kernel> read_kernel_file(const std::string& path);

// Writes a kernel file atomically.
Status write_kernel_file(const std::string& path, const Kernel& kernel);

// Sets the divisor to the sum of the cells, so the weights sum to 1; an error when the cells sum to 0.
Status normalize_to_sum_one(Kernel& kernel);

// Resizes the grid to rows × cols (1–15), keeping the cells that still fit, centred; new cells are 0.
Status resize_kernel(Kernel& kernel, int64_t rows, int64_t cols);

}  // namespace convscope
