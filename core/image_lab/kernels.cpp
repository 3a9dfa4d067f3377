#include "core/image_lab/kernels.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <numbers>

#include "core/engine/trace.hpp"
#include "core/io/fileio.hpp"

namespace convscope {
namespace {

constexpr PresetInfo kPresets[] = {
    {"identity", "Identity", false, false, 3},      {"box", "Box blur", true, false, 3},
    {"gaussian", "Gaussian blur", true, true, 5},   {"sharpen", "Sharpen", false, false, 3},
    {"laplacian", "Laplacian", false, false, 3},    {"log", "Laplacian of Gaussian", true, true, 5},
    {"sobel-x", "Sobel x", false, false, 3},        {"sobel-y", "Sobel y", false, false, 3},
    {"scharr-x", "Scharr x", false, false, 3},      {"scharr-y", "Scharr y", false, false, 3},
    {"prewitt-x", "Prewitt x", false, false, 3},    {"prewitt-y", "Prewitt y", false, false, 3},
    {"emboss", "Emboss", false, false, 3},          {"outline", "Outline", false, false, 3},
    {"motion-blur", "Motion blur", true, false, 9},
};

Kernel grid3(std::string_view name, std::array<double, 9> cells, double divisor = 1.0) {
    Kernel k;
    k.name = std::string(name);
    k.rows = k.cols = 3;
    k.cells.assign(cells.begin(), cells.end());
    k.divisor = divisor;
    return k;
}

Kernel square(std::string name, int64_t n) {
    Kernel k;
    k.name = std::move(name);
    k.rows = k.cols = n;
    k.cells.assign(size_t(n * n), 0.0);
    return k;
}

// Shortest text that reads back to the same double ("0.1", "-2", "1e-07").
std::string exact_number(double v) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

bool is_separator(char ch) {
    return ch == ' ' || ch == '\t' || ch == ',' || ch == ';';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// A finite number: "3", "-0.25", "+1e-3", or a fraction "1/16".
Result<double> parse_number(std::string_view token) {
    auto plain = [](std::string_view t) -> Result<double> {
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);
        double v = 0.0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
            return fail<ErrCode::not_a_number>();
        return v;
    };
    const size_t slash = token.find('/');
    if (slash == std::string_view::npos) {
        auto v = plain(token);
        if (!v) return fail<ErrCode::token_not_a_number>(token);
        return v;
    }
    auto num = plain(token.substr(0, slash));
    auto den = plain(token.substr(slash + 1));
    if (!num || !den) return fail<ErrCode::token_not_number_or_fraction>(token);
    if (*den == 0.0) return fail<ErrCode::token_divides_by_0>(token);
    return *num / *den;
}

std::vector<std::string_view> split_tokens(std::string_view line) {
    std::vector<std::string_view> tokens;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_separator(line[i])) ++i;
        size_t j = i;
        while (j < line.size() && !is_separator(line[j])) ++j;
        if (j > i) tokens.push_back(line.substr(i, j - i));
        i = j;
    }
    return tokens;
}

}  // namespace

double Kernel::weight_sum() const {
    double s = 0.0;
    for (double c : cells) s += c;
    return s / divisor;
}

Tensor Kernel::weight_tensor(int64_t channels) const {
    Tensor t = Tensor::filled({channels, 1, rows, cols});
    for (int64_t ch = 0; ch < channels; ++ch)
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) t.data[size_t((ch * rows + r) * cols + c)] = weight(r, c);
    return t;
}

Tensor Kernel::bias_tensor(int64_t channels) const {
    return Tensor::filled({channels}, float(offset));
}

std::span<const PresetInfo> kernel_presets() {
    return kPresets;
}

double default_sigma(int64_t size) {
    return 0.3 * ((double(size) - 1.0) * 0.5 - 1.0) + 0.8;
}

Result<Kernel> make_preset(std::string_view id, int64_t size, double sigma) {
    const PresetInfo* info = nullptr;
    for (const PresetInfo& p : kernel_presets())
        if (p.id == id) info = &p;
    if (!info) return fail<ErrCode::kernel_unknown>(id, kernel_names_help());
    if (!info->sized) {
        if (id == "identity") return grid3(id, {0, 0, 0, 0, 1, 0, 0, 0, 0});
        if (id == "sharpen") return grid3(id, {0, -1, 0, -1, 5, -1, 0, -1, 0});
        if (id == "laplacian") return grid3(id, {0, 1, 0, 1, -4, 1, 0, 1, 0});
        if (id == "sobel-x") return grid3(id, {-1, 0, 1, -2, 0, 2, -1, 0, 1});
        if (id == "sobel-y") return grid3(id, {-1, -2, -1, 0, 0, 0, 1, 2, 1});
        if (id == "scharr-x") return grid3(id, {-3, 0, 3, -10, 0, 10, -3, 0, 3});
        if (id == "scharr-y") return grid3(id, {-3, -10, -3, 0, 0, 0, 3, 10, 3});
        if (id == "prewitt-x") return grid3(id, {-1, 0, 1, -1, 0, 1, -1, 0, 1});
        if (id == "prewitt-y") return grid3(id, {-1, -1, -1, 0, 0, 0, 1, 1, 1});
        if (id == "emboss") return grid3(id, {-2, -1, 0, -1, 1, 1, 0, 1, 2});
        if (id == "outline") return grid3(id, {-1, -1, -1, -1, 8, -1, -1, -1, -1});
        return fail<ErrCode::preset_no_definition>(id);  // unreachable with the table above
    }
    const int64_t n = size > 0 ? size : info->default_size;
    if (size < 0 || n > kMaxImageKernelSide)
        return fail<ErrCode::kernel_size_outside>(size, kMaxImageKernelSide);
    if (info->has_sigma && !(sigma <= 0.0) && !std::isfinite(sigma)) return fail<ErrCode::sigma_finite>();
    const bool default_s = !(sigma > 0.0);
    const double s = default_s ? default_sigma(n) : sigma;
    std::string name = std::string(id) + std::to_string(n);
    if (info->has_sigma && !default_s) name += ":" + format_number(s);
    Kernel k = square(std::move(name), n);
    const double centre = double(n - 1) * 0.5;
    if (id == "box") {
        std::fill(k.cells.begin(), k.cells.end(), 1.0);
        k.divisor = double(n * n);
    } else if (id == "motion-blur") {
        // A horizontal streak: the middle row averages n pixels along x.
        for (int64_t c = 0; c < n; ++c) k.cells[size_t((n / 2) * n + c)] = 1.0;
        k.divisor = double(n);
    } else if (id == "gaussian") {
        double sum = 0.0;
        for (int64_t r = 0; r < n; ++r)
            for (int64_t c = 0; c < n; ++c) {
                const double y = double(r) - centre, x = double(c) - centre;
                sum += k.cells[size_t(r * n + c)] = std::exp(-(x * x + y * y) / (2.0 * s * s));
            }
        for (double& v : k.cells)
            v /= sum;  // the cells themselves sum to 1, as a Gaussian kernel is usually shown
    } else if (id == "log") {
        // σ²∇²G (scale-normalized, negative centre like the Laplacian), made to sum to exactly 0 so flat
        // regions give 0 whatever the truncation.
        double mean = 0.0;
        for (int64_t r = 0; r < n; ++r)
            for (int64_t c = 0; c < n; ++c) {
                const double y = double(r) - centre, x = double(c) - centre;
                const double q = (x * x + y * y) / (2.0 * s * s);
                mean += k.cells[size_t(r * n + c)] = -(1.0 - q) * std::exp(-q) / (std::numbers::pi * s * s);
            }
        mean /= double(n * n);
        for (double& v : k.cells) v -= mean;
    }
    return k;
}

Result<PresetName> parse_preset_name(std::string_view name) {
    for (const PresetInfo& p : kernel_presets())
        if (!p.sized && name == p.id) return PresetName{p.id, 0, 0.0};
    for (const PresetInfo& p : kernel_presets()) {
        if (!p.sized || !name.starts_with(p.id)) continue;
        std::string_view rest = name.substr(p.id.size());
        const size_t colon = rest.find(':');
        const std::string_view size_text = rest.substr(0, colon);
        int64_t size = 0;
        if (!size_text.empty()) {
            const auto [end, ec] =
                std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
            if (ec != std::errc() || end != size_text.data() + size_text.size()) continue;  // e.g. "logo"
            if (size < 1 || size > kMaxImageKernelSide)
                return fail<ErrCode::kernel_name_size>(name, kMaxImageKernelSide);
        }
        double sigma = 0.0;
        if (colon != std::string_view::npos) {
            if (!p.has_sigma) return fail<ErrCode::kernel_takes_no_sigma>(name);
            const std::string_view st = rest.substr(colon + 1);
            const auto [end, ec] = std::from_chars(st.data(), st.data() + st.size(), sigma);
            if (st.empty() || ec != std::errc() || end != st.data() + st.size() || !std::isfinite(sigma) ||
                sigma <= 0.0)
                return fail<ErrCode::kernel_sigma_positive>(name);
        }
        return PresetName{p.id, size, sigma};
    }
    return fail<ErrCode::kernel_unknown>(name, kernel_names_help());
}

Result<Kernel> kernel_from_name(std::string_view name) {
    auto p = parse_preset_name(name);
    if (!p) return p.err();
    return make_preset(p->id, p->size, p->sigma);
}

std::string kernel_names_help() {
    std::string s;
    for (const PresetInfo& p : kernel_presets()) {
        if (!s.empty()) s += ", ";
        s += p.id;
        if (p.sized) s += "N";
        if (p.has_sigma) s += "[:SIGMA]";
    }
    return s + " (N = 1–15, e.g. box3, gaussian5, gaussian5:1.4, log9, motion-blur9)";
}

Result<Kernel> parse_kernel_text(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark from some editors
    Kernel k;
    k.cells.clear();
    k.rows = k.cols = 0;
    int64_t first_row_line = 0, divisor_line = 0, offset_line = 0, line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        const char first = line.front();
        if ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')) {
            // "divisor 16", "offset: 128", "divisor = 9"; "inf" and "nan" land here too and are refused.
            size_t end = 0;
            while (end < line.size() && std::isalpha(static_cast<unsigned char>(line[end]))) ++end;
            std::string word(line.substr(0, end));
            for (char& ch : word) ch = char(std::tolower(static_cast<unsigned char>(ch)));
            if (word != "divisor" && word != "offset") {
                const std::string_view token = split_tokens(line).front();
                return fail<ErrCode::at_line>(line_no, fail<ErrCode::kernel_row_word>(token));
            }
            std::string_view rest = trim(line.substr(end));
            if (!rest.empty() && (rest.front() == ':' || rest.front() == '=')) rest = trim(rest.substr(1));
            const auto tokens = split_tokens(rest);
            if (tokens.size() != 1)
                return fail<ErrCode::at_line>(line_no, fail<ErrCode::kernel_word_one_number>(word, word));
            auto v = parse_number(tokens[0]);
            if (!v) return fail<ErrCode::at_line>(line_no, v.err());
            int64_t& seen = word == "divisor" ? divisor_line : offset_line;
            if (seen) return fail<ErrCode::at_line>(line_no, fail<ErrCode::kernel_second_word>(word, seen));
            seen = line_no;
            if (word == "divisor") {
                if (*v == 0.0) return fail<ErrCode::at_line>(line_no, fail<ErrCode::divisor_zero>());
                k.divisor = *v;
            } else {
                k.offset = *v;
            }
            continue;
        }
        const auto tokens = split_tokens(line);
        std::vector<double> row;
        for (std::string_view t : tokens) {
            auto v = parse_number(t);
            if (!v) return fail<ErrCode::at_line>(line_no, v.err());
            row.push_back(*v);
        }
        if (row.empty()) continue;  // only separators (",;"): no row at all, like a blank line
        if (int64_t(row.size()) > kMaxImageKernelSide)
            return fail<ErrCode::at_line>(
                line_no, fail<ErrCode::kernel_row_too_long>(row.size(), kMaxImageKernelSide));
        if (k.rows == 0) {
            k.cols = int64_t(row.size());
            first_row_line = line_no;
        } else if (int64_t(row.size()) != k.cols) {
            return fail<ErrCode::kernel_rows_differ>(line_no, row.size(), first_row_line, k.cols);
        }
        if (++k.rows > kMaxImageKernelSide)
            return fail<ErrCode::at_line>(line_no, fail<ErrCode::kernel_too_many_rows>(kMaxImageKernelSide));
        k.cells.insert(k.cells.end(), row.begin(), row.end());
    }
    if (k.rows == 0) return fail<ErrCode::kernel_no_rows>();
    return k;
}

std::string format_kernel_text(const Kernel& kernel) {
    std::string s = "# ConvScope kernel " + kernel.name + ", " + std::to_string(kernel.rows) + "×" +
                    std::to_string(kernel.cols) +
                    ": one row per line; weight = cell / divisor, bias = offset\n";
    for (int64_t r = 0; r < kernel.rows; ++r) {
        for (int64_t c = 0; c < kernel.cols; ++c) {
            if (c) s += ' ';
            s += exact_number(kernel.cells[size_t(r * kernel.cols + c)]);
        }
        s += '\n';
    }
    if (kernel.divisor != 1.0) s += "divisor " + exact_number(kernel.divisor) + "\n";
    if (kernel.offset != 0.0) s += "offset " + exact_number(kernel.offset) + "\n";
    return s;
}

Result<Kernel> read_kernel_file(const std::string& path) {
    auto bytes = read_file(path, 1 << 20);
    if (!bytes) return bytes.err();
    auto k = parse_kernel_text(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    if (!k) return fail<ErrCode::path_then>(path, k.err());
    k->name = std::filesystem::path(path).stem().string();
    return k;
}

Status write_kernel_file(const std::string& path, const Kernel& kernel) {
    const std::string text = format_kernel_text(kernel);
    return write_file_atomic(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

Status normalize_to_sum_one(Kernel& kernel) {
    double sum = 0.0;
    for (double c : kernel.cells) sum += c;
    if (std::fabs(sum) < 1e-12) return fail<ErrCode::cells_sum_zero>();
    kernel.divisor = sum;
    return {};
}

Status resize_kernel(Kernel& kernel, int64_t rows, int64_t cols) {
    if (rows < 1 || cols < 1 || rows > kMaxImageKernelSide || cols > kMaxImageKernelSide)
        return fail<ErrCode::kernel_resize_outside>(rows, cols);
    std::vector<double> cells(size_t(rows * cols), 0.0);
    const int64_t dr = (rows - kernel.rows) / 2, dc = (cols - kernel.cols) / 2;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            const int64_t sr = r - dr, sc = c - dc;
            if (sr >= 0 && sr < kernel.rows && sc >= 0 && sc < kernel.cols)
                cells[size_t(r * cols + c)] = kernel.cells[size_t(sr * kernel.cols + sc)];
        }
    kernel.rows = rows;
    kernel.cols = cols;
    kernel.cells = std::move(cells);
    return {};
}

}  // namespace convscope
