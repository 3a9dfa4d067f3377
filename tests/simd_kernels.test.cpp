// The simd kernel tables (core/engine/simd/kernels.hpp) called directly, entry by entry, on every instruction
// set this CPU runs and on the 16-lane emulated "scalar16" build (tests/support/kernels_scalar16.cpp), which
// gives every machine AVX-512's shape (16 lanes, unroll 4, 6 rows) and so its 2-vector leftovers. Each entry
// runs at vector counts just below, at and above its unroll (and twice it), over kernel widths with and
// without a compiled-in case, against a plain loop written from the entry's contract in kernels.hpp. Output
// rows are pre-filled with NaN and carry a NaN guard past the end: an element never written, or one written
// beyond nvec vectors, shows. Data are small integers (and ±0, ±inf, NaN for max pooling), so every sum is
// exact and the answers must be bit-identical.
//
// A new instruction set in supported_isas() fails "every isa has a table here" until table_of() names it; a
// new KernelTable entry fails to compile (the static_assert below) until it has a checker in kEntries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/simd/kernels.hpp"
#include "core/engine/simd/simd.hpp"

namespace convscope::simd {
const KernelTable& kernels_scalar16();  // tests/support/kernels_scalar16.cpp
}  // namespace convscope::simd

using namespace convscope::simd;

namespace {

// The entries of KernelTable this file checks: name, lanes, unroll, rows_a, channels_b, unroll_b, vectors_c,
// pixels_c, then eight kernels.
struct CheckedEntries {
    const char* name;
    int lanes, unroll, rows_a, channels_b, unroll_b, vectors_c, pixels_c;
    void (*kernels[8])();
};
static_assert(sizeof(KernelTable) == sizeof(CheckedEntries),
              "KernelTable changed: give each new entry a checker in kEntries below");

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();
constexpr int64_t kGuard = 40;  // NaN floats after each output row's nvec·lanes, which must stay NaN

// The table of an instruction set named by supported_isas(); null for a name this file does not know.
const KernelTable* table_of(std::string_view isa) {
    if (isa == "scalar") return &kernels_scalar();
#if defined(__x86_64__) || defined(_M_X64)
    if (isa == "avx512") return &kernels_avx512();
    if (isa == "avx2") return &kernels_avx2();
    if (isa == "sse4.1") return &kernels_sse41();
#elif defined(__aarch64__)
    if (isa == "neon") return &kernels_neon();
#endif
    return nullptr;
}

// Every table this machine can run: each supported instruction set, then scalar16.
std::vector<const KernelTable*> tables() {
    std::vector<const KernelTable*> v;
    for (std::string_view isa : supported_isas())
        if (const KernelTable* t = table_of(isa)) v.push_back(t);
    v.push_back(&kernels_scalar16());
    return v;
}

// Vector counts around each unroll u (the table's, conv_b's, and conv_c's columns): 0, 1, 2, 3, u − 1, u,
// u + 1, 2u − 1, 2u, 2u + 1, 2u + 2, 3u + 3.
std::vector<int64_t> vector_counts(const KernelTable& t) {
    std::vector<int64_t> v;
    for (const int64_t u : {int64_t(t.unroll), int64_t(t.unroll_b), int64_t(t.pixels_c)})
        for (int64_t n : {int64_t(0), int64_t(1), int64_t(2), int64_t(3), u - 1, u, u + 1, 2 * u - 1, 2 * u,
                          2 * u + 1, 2 * u + 2, 3 * u + 3})
            if (n >= 0 && std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
    std::sort(v.begin(), v.end());
    return v;
}

// Equal as bits, except that any NaN matches any NaN (−0 and +0 differ).
bool same_value(float e, float a) {
    if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
    return std::memcmp(&e, &a, sizeof e) == 0;
}

// The value as a failure shows it, −0 included.
std::string value_text(float v) {
    if (v == 0 && std::signbit(v)) return "-0";
    std::ostringstream os;
    os << v;
    return os.str();
}

// An output row of `n` floats plus the guard, all NaN.
std::vector<float> output_row(int64_t n) {
    return std::vector<float>(size_t(n + kGuard), kNaN);
}

// "" when row[0 … n) equals expected and the guard is untouched; else "row R, column J: expected E, got A".
std::string check_row(const std::vector<float>& expected, const std::vector<float>& row, int64_t n,
                      const std::string& row_name) {
    for (int64_t j = 0; j < n + kGuard; ++j) {
        const float e = j < n ? expected[size_t(j)] : kNaN, a = row[size_t(j)];
        if (!same_value(e, a))
            return row_name + ", column " + std::to_string(j) + (j >= n ? " (past nvec·lanes)" : "") +
                   ": expected " + value_text(e) + ", got " + value_text(a);
    }
    return "";
}

// Input rows of small integers in [−3, 3], `len` floats each.
std::vector<std::vector<float>> int_rows(int64_t count, int64_t len, std::mt19937& rng) {
    std::uniform_int_distribution<int> d(-3, 3);
    std::vector<std::vector<float>> rows(static_cast<size_t>(count),
                                         std::vector<float>(static_cast<size_t>(len)));
    for (auto& r : rows)
        for (float& v : r) v = float(d(rng));
    return rows;
}

// `count` output rows of `n` floats plus the guard, all NaN, and their pointers.
struct OutputRows {
    std::vector<std::vector<float>> rows;
    std::vector<float*> ptr;
    OutputRows(int64_t count, int64_t n) {
        for (int64_t i = 0; i < count; ++i) rows.push_back(output_row(n));
        for (auto& r : rows) ptr.push_back(r.data());
    }
};

std::vector<const float*> pointers(const std::vector<std::vector<float>>& rows) {
    std::vector<const float*> p;
    for (const auto& r : rows) p.push_back(r.data());
    return p;
}

// Tap offsets: off[kx] = shift + kx·dilation.
std::vector<int64_t> offsets(int64_t kw, int64_t dilation, int64_t shift) {
    std::vector<int64_t> off(static_cast<size_t>(kw));
    for (int64_t kx = 0; kx < kw; ++kx) off[size_t(kx)] = shift + kx * dilation;
    return off;
}

const int64_t kKernelWidths[] = {1, 2, 3, 5, 7, 4};  // 3, 5, 7 are compiled-in cases; the others loop
const int64_t kKernelHeights[] = {1, 2, 3};

// [SECTION] One checker per entry: "" when the entry meets its contract for nvec vectors, else where not.

// conv_a: rows_a output rows of one channel; the value under tap (ci, ky, kx) for output row r, lane j is
// rows[ci·T + r + ky][off[kx] + j], T = rows_a + kh − 1.
std::string check_conv_a(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    for (int64_t cin : {1, 2})
        for (int64_t kh : kKernelHeights)
            for (int64_t kw : kKernelWidths)
                for (bool bias : {false, true}) {
                    const int64_t R = t.rows_a, T = R + kh - 1, n = nvec * t.lanes, dil = kw % 2 ? 1 : 2;
                    const auto off = offsets(kw, dil, 1);
                    const auto in = int_rows(cin * T, off.back() + n + 1, rng);
                    const auto w = int_rows(1, cin * kh * kw, rng)[0];
                    const float b = 2.0f;
                    OutputRows out(R, n);
                    const auto rows = pointers(in);
                    ConvRowsArgs a;
                    a.rows = rows.data(), a.off = off.data(), a.weights = w.data(),
                    a.bias = bias ? &b : nullptr;
                    a.out = out.ptr.data(), a.cin = cin, a.kh = kh, a.kw = kw, a.nvec = nvec;
                    t.conv_a(a);
                    for (int64_t r = 0; r < R; ++r) {
                        std::vector<float> expected(static_cast<size_t>(n));
                        for (int64_t j = 0; j < n; ++j) {
                            float sum = 0;
                            for (int64_t ci = 0; ci < cin; ++ci)
                                for (int64_t ky = 0; ky < kh; ++ky)
                                    for (int64_t kx = 0; kx < kw; ++kx)
                                        sum += in[size_t(ci * T + r + ky)][size_t(off[size_t(kx)] + j)] *
                                               w[size_t((ci * kh + ky) * kw + kx)];
                            expected[size_t(j)] = bias ? sum + b : sum;
                        }
                        const std::string m =
                            check_row(expected, out.rows[size_t(r)], n, "output row " + std::to_string(r));
                        if (!m.empty())
                            return "cin " + std::to_string(cin) + ", kh " + std::to_string(kh) + ", kw " +
                                   std::to_string(kw) + (bias ? ", bias" : "") + ": " + m;
                    }
                }
    return "";
}

// conv_b: one output row of ocb channels; channel o's weight (ci, ky, kx) is w[o·ksize + (ci·kh + ky)·kw +
// kx] (PyTorch's layout), handed to the kernel packed by pack_weights_b; its input rows[ci·kh + ky][off[kx] +
// j], its bias bias[o]. Up to 2·channels_b + 1 channels: whole groups, and every width of a narrower last
// group.
std::string check_conv_b(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    for (int ocb = 1; ocb <= 2 * t.channels_b + 1; ++ocb)
        for (int64_t cin : {1, 2})
            for (int64_t kh : kKernelHeights)
                for (int64_t kw : kKernelWidths)
                    for (bool bias : {false, true}) {
                        const int64_t n = nvec * t.lanes, dil = kw % 2 ? 1 : 2;
                        const int64_t ksize = cin * kh * kw;
                        const auto off = offsets(kw, dil, 2);
                        const auto in = int_rows(cin * kh, off.back() + n + 1, rng);
                        const auto w = int_rows(1, ocb * ksize, rng)[0];
                        std::vector<float> packed(w.size());
                        pack_weights_b(w.data(), ocb, ksize, t.channels_b, packed.data());
                        const auto b = int_rows(1, ocb, rng)[0];
                        OutputRows out(ocb, n);
                        const auto rows = pointers(in);
                        ConvRowsArgs a;
                        a.rows = rows.data(), a.off = off.data(), a.weights = packed.data();
                        a.bias = bias ? b.data() : nullptr, a.out = out.ptr.data();
                        a.cin = cin, a.kh = kh, a.kw = kw, a.nvec = nvec, a.ocb = ocb;
                        t.conv_b(a);
                        for (int o = 0; o < ocb; ++o) {
                            std::vector<float> expected(static_cast<size_t>(n));
                            for (int64_t j = 0; j < n; ++j) {
                                float sum = 0;
                                for (int64_t ci = 0; ci < cin; ++ci)
                                    for (int64_t ky = 0; ky < kh; ++ky)
                                        for (int64_t kx = 0; kx < kw; ++kx)
                                            sum += in[size_t(ci * kh + ky)][size_t(off[size_t(kx)] + j)] *
                                                   w[size_t(o * ksize + (ci * kh + ky) * kw + kx)];
                                expected[size_t(j)] = bias ? sum + b[size_t(o)] : sum;
                            }
                            const std::string m = check_row(expected, out.rows[size_t(o)], n,
                                                            "output channel " + std::to_string(o));
                            if (!m.empty())
                                return "ocb " + std::to_string(ocb) + ", cin " + std::to_string(cin) +
                                       ", kh " + std::to_string(kh) + ", kw " + std::to_string(kw) +
                                       (bias ? ", bias" : "") + ": " + m;
                        }
                    }
    return "";
}

// conv_c: one output row of ocb channels, `width` columns (the count the runner calls nvec); channel o's
// weight (r, kx) is w[o·ksize + r·kw + kx], handed to the kernel packed by pack_weights_b with
// lanes·vectors_c channels a group; its input rows[r][x·kStrideC + kx·dw], each row exactly as long as the
// last column reads (a read past it shows under the sanitizers). 1 to 2·vectors_c + 1 vectors of channels:
// whole groups, and every width of a narrower last group.
std::string check_conv_c(const KernelTable& t, int64_t width, std::mt19937& rng) {
    for (int vectors = 1; vectors <= 2 * t.vectors_c + 1; ++vectors)
        for (int64_t taps : {1, 3, 6})
            for (int64_t kw : kKernelWidths)
                for (bool bias : {false, true}) {
                    const int64_t sw = kStrideC;
                    const int64_t ocb = int64_t(vectors) * t.lanes, dw = kw % 2 ? 1 : 2;
                    const int64_t ksize = taps * kw;
                    const int64_t len = width > 0 ? (width - 1) * sw + (kw - 1) * dw + 1 : 1;
                    const auto in = int_rows(taps, len, rng);
                    const auto w = int_rows(1, ocb * ksize, rng)[0];
                    std::vector<float> packed(w.size());
                    pack_weights_b(w.data(), ocb, ksize, t.lanes * t.vectors_c, packed.data());
                    const auto b = int_rows(1, ocb, rng)[0];
                    OutputRows out(ocb, width);
                    const auto rows = pointers(in);
                    ConvPixelsArgs a;
                    a.rows = rows.data(), a.weights = packed.data();
                    a.bias = bias ? b.data() : nullptr, a.out = out.ptr.data();
                    a.taps = taps, a.kw = kw, a.dw = dw, a.width = width, a.ocb = ocb;
                    t.conv_c(a);
                    for (int64_t o = 0; o < ocb; ++o) {
                        std::vector<float> expected(static_cast<size_t>(width));
                        for (int64_t x = 0; x < width; ++x) {
                            float sum = 0;
                            for (int64_t r = 0; r < taps; ++r)
                                for (int64_t kx = 0; kx < kw; ++kx)
                                    sum += in[size_t(r)][size_t(x * sw + kx * dw)] *
                                           w[size_t(o * ksize + r * kw + kx)];
                            expected[size_t(x)] = bias ? sum + b[size_t(o)] : sum;
                        }
                        const std::string m = check_row(expected, out.rows[size_t(o)], width,
                                                        "output channel " + std::to_string(o));
                        if (!m.empty())
                            return "ocb " + std::to_string(ocb) + ", taps " + std::to_string(taps) + ", kw " +
                                   std::to_string(kw) + (bias ? ", bias" : "") + ": " + m;
                    }
                }
    return "";
}

// Pooling input: small integers with ±0, ±inf and NaN mixed in.
std::vector<std::vector<float>> pool_rows(int64_t count, int64_t len, std::mt19937& rng) {
    auto rows = int_rows(count, len, rng);
    std::uniform_int_distribution<int> pick(0, 19);
    for (auto& r : rows)
        for (float& v : r) switch (pick(rng)) {
                case 0:
                    v = kNaN;
                    break;
                case 1:
                    v = -kInf;
                    break;
                case 2:
                    v = kInf;
                    break;
                case 3:
                    v = -0.0f;
                    break;
                case 4:
                    v = 0.0f;
                    break;
                default:
                    break;
            }
    return rows;
}

// pool_max: the first maximum in row-major order over rows[ky][off[kx] + j]; a NaN wins and stays.
std::string check_pool_max(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    for (int64_t kh : kKernelHeights)
        for (int64_t kw : kKernelWidths) {
            const int64_t n = nvec * t.lanes, dil = kw % 2 ? 1 : 2;
            const auto off = offsets(kw, dil, 0);
            const auto in = pool_rows(kh, off.back() + n + 1, rng);
            auto out = output_row(n);
            const auto rows = pointers(in);
            PoolRowArgs a;
            a.rows = rows.data(), a.off = off.data(), a.out = out.data(), a.kh = kh, a.kw = kw, a.nvec = nvec;
            t.pool_max(a);
            std::vector<float> expected(static_cast<size_t>(n));
            for (int64_t j = 0; j < n; ++j) {
                float best = -kInf;
                for (int64_t ky = 0; ky < kh; ++ky)
                    for (int64_t kx = 0; kx < kw; ++kx) {
                        const float x = in[size_t(ky)][size_t(off[size_t(kx)] + j)];
                        if (!std::isnan(best) && (x > best || std::isnan(x))) best = x;
                    }
                expected[size_t(j)] = best;
            }
            const std::string m = check_row(expected, out, n, "output");
            if (!m.empty()) return "kh " + std::to_string(kh) + ", kw " + std::to_string(kw) + ": " + m;
        }
    return "";
}

// pool_avg: the row-major sum over the window divided by divisor[j].
std::string check_pool_avg(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    for (int64_t kh : kKernelHeights)
        for (int64_t kw : kKernelWidths) {
            const int64_t n = nvec * t.lanes, dil = kw % 2 ? 1 : 2;
            const auto off = offsets(kw, dil, 1);
            const auto in = int_rows(kh, off.back() + n + 1, rng);
            std::vector<float> divisor(static_cast<size_t>(n));
            std::uniform_int_distribution<int> d(1, 9);
            for (float& v : divisor) v = float(d(rng));
            auto out = output_row(n);
            const auto rows = pointers(in);
            PoolRowArgs a;
            a.rows = rows.data(), a.off = off.data(), a.divisor = divisor.data(), a.out = out.data();
            a.kh = kh, a.kw = kw, a.nvec = nvec;
            t.pool_avg(a);
            std::vector<float> expected(static_cast<size_t>(n));
            for (int64_t j = 0; j < n; ++j) {
                float sum = 0;
                for (int64_t ky = 0; ky < kh; ++ky)
                    for (int64_t kx = 0; kx < kw; ++kx) sum += in[size_t(ky)][size_t(off[size_t(kx)] + j)];
                expected[size_t(j)] = sum / divisor[size_t(j)];
            }
            const std::string m = check_row(expected, out, n, "output");
            if (!m.empty()) return "kh " + std::to_string(kh) + ", kw " + std::to_string(kw) + ": " + m;
        }
    return "";
}

// build_strip: dst[run.dst + i] = row[run.src + i·step], or the fill where src < 0. Here nvec sets the run
// lengths: nvec·lanes − 1, nvec·lanes and nvec·lanes + 1 for a fill run and runs of step 1, 2 and 3.
std::string check_build_strip(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    const int64_t L = t.lanes;
    for (int64_t delta : {-1, 0, 1}) {
        const int32_t len = int32_t(std::max<int64_t>(0, nvec * L + delta));
        const auto row = int_rows(1, 4 * len + 16, rng)[0];
        std::vector<StripRun> runs;
        int32_t at = 0;
        runs.push_back({at, len, -1, 1}), at += len;  // fill (padding)
        runs.push_back({at, len, 3, 1}), at += len;   // contiguous
        runs.push_back({at, len, 1, 2}), at += len;   // stride 2 (the usual pooling)
        runs.push_back({at, len, 2, 3}), at += len;   // stride 3
        runs.push_back({at, 1, -1, 1}), at += 1;      // a one-element border
        const float fill = -7.0f;
        auto dst = output_row(at);
        t.build_strip(row.data(), runs.data(), int64_t(runs.size()), fill, dst.data());
        std::vector<float> expected(static_cast<size_t>(at));
        for (const StripRun& r : runs)
            for (int32_t i = 0; i < r.len; ++i)
                expected[size_t(r.dst + i)] = r.src < 0 ? fill : row[size_t(r.src + i * r.step)];
        const std::string m = check_row(expected, dst, at, "strip");
        if (!m.empty()) return "runs of " + std::to_string(len) + ": " + m;
    }
    return "";
}

// Winograd's Bᵀ and Aᵀ (kernels.hpp), for the plain loops below.
const float kWinoBt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
const float kWinoAt[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

// wino_input: V_ξ[t] = (Bᵀ d B)[i][j], ξ = 4i + j, of the tile d[a][b] = rows[a][2t + b]; planes `stride`
// apart, each checked with the guard past its nvec·lanes tiles.
std::string check_wino_input(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    const int64_t n = nvec * t.lanes, stride = n + kGuard;
    const auto in = int_rows(4, 2 * n + 2, rng);
    std::vector<float> out(static_cast<size_t>(16 * stride), kNaN);
    WinoInputArgs a;
    for (int i = 0; i < 4; ++i) a.rows[i] = in[size_t(i)].data();
    a.out = out.data(), a.stride = stride, a.nvec = nvec;
    t.wino_input(a);
    for (int x = 0; x < 16; ++x) {
        std::vector<float> expected(static_cast<size_t>(n)),
            plane(out.begin() + x * stride, out.begin() + (x + 1) * stride);
        for (int64_t j = 0; j < n; ++j) {
            float v = 0;
            for (int r = 0; r < 4; ++r)
                for (int c = 0; c < 4; ++c)
                    v += kWinoBt[x / 4][r] * in[size_t(r)][size_t(2 * j + c)] * kWinoBt[x % 4][c];
            expected[size_t(j)] = v;
        }
        const std::string m = check_row(expected, plane, n, "plane " + std::to_string(x));
        if (!m.empty()) return m;
    }
    return "";
}

// wino_output: output row r, column 2t + c is (Aᵀ M A)[r][c] of M[i][j] = in[(4i + j)·stride + t], plus the
// bias, for the columns below `width` (2·nvec·lanes and narrower), the second row only where its pointer is
// given; true exactly when an input value is infinite or NaN.
std::string check_wino_output(const KernelTable& t, int64_t nvec, std::mt19937& rng) {
    const int64_t n = nvec * t.lanes;
    for (int64_t width : {2 * n, 2 * n - 1, 2 * n - t.lanes - 1})
        for (bool bias : {false, true})
            for (bool second : {true, false})
                for (int special = 0; special < 3; ++special) {  // none, one infinity, one NaN
                    if (width < 0 || (special && n == 0)) continue;
                    auto in = int_rows(1, 16 * n, rng)[0];
                    if (special) in[size_t(rng() % in.size())] = special == 1 ? kInf : kNaN;
                    const float b = -2.0f;
                    OutputRows out(2, width);
                    WinoOutputArgs a;
                    a.in = in.data(), a.stride = n, a.out[0] = out.ptr[0],
                    a.out[1] = second ? out.ptr[1] : nullptr;
                    a.bias = bias ? &b : nullptr, a.width = width, a.nvec = nvec;
                    const bool flagged = t.wino_output(a);
                    const std::string what = "width " + std::to_string(width) + (bias ? ", bias" : "") +
                                             (second ? "" : ", one row") +
                                             (special == 1   ? ", an infinity"
                                              : special == 2 ? ", a NaN"
                                                             : "");
                    if (flagged != (special != 0)) return what + ": returned " + (flagged ? "true" : "false");
                    if (special) continue;
                    for (int r = 0; r < 2; ++r) {
                        if (r == 1 && !second) {
                            if (!check_row({}, out.rows[1], 0, "").empty()) return what + ": row 1 written";
                            continue;
                        }
                        std::vector<float> expected(static_cast<size_t>(width));
                        for (int64_t col = 0; col < width; ++col) {
                            float v = bias ? b : 0.0f;
                            for (int i = 0; i < 4; ++i)
                                for (int j = 0; j < 4; ++j)
                                    v += kWinoAt[r][i] * in[size_t((4 * i + j) * n + col / 2)] *
                                         kWinoAt[col % 2][j];
                            expected[size_t(col)] = v;
                        }
                        const std::string m = check_row(expected, out.rows[size_t(r)], width,
                                                        "output row " + std::to_string(r));
                        if (!m.empty()) return what + ": " + m;
                    }
                }
    return "";
}

struct Entry {
    const char* name;
    std::string (*check)(const KernelTable&, int64_t nvec, std::mt19937&);
};
const Entry kEntries[] = {
    {"conv_a", check_conv_a},         {"conv_b", check_conv_b},           {"conv_c", check_conv_c},
    {"pool_max", check_pool_max},     {"pool_avg", check_pool_avg},       {"build_strip", check_build_strip},
    {"wino_input", check_wino_input}, {"wino_output", check_wino_output},
};

// Runs one entry of every table at every vector count; reports the first failure of each table.
void check_entry(const Entry& e) {
    for (const KernelTable* t : tables()) {
        std::mt19937 rng(12345);
        for (int64_t nvec : vector_counts(*t)) {
            INFO("table " << t->name << " (lanes " << t->lanes << ", unroll " << t->unroll << ", rows_a "
                          << t->rows_a << ", channels_b " << t->channels_b << ", unroll_b " << t->unroll_b
                          << ", vectors_c " << t->vectors_c << ", pixels_c " << t->pixels_c << "), " << e.name
                          << ", nvec " << nvec);
            const std::string m = e.check(*t, nvec, rng);
            CHECK(m == "");
            if (!m.empty()) break;
        }
    }
}

}  // namespace

TEST_CASE("simd kernel tables: every isa this CPU runs has a table here, and scalar16 has AVX-512's shape") {
    for (std::string_view isa : supported_isas()) {
        INFO("isa " << isa << " (add it to table_of in tests/simd_kernels.test.cpp)");
        const KernelTable* t = table_of(isa);
        REQUIRE(t != nullptr);
        CHECK(t->name == isa);
    }
    for (const KernelTable* t : tables()) {
        INFO("table " << t->name);
        CHECK(t->lanes >= 1);
        CHECK(t->unroll >= 1);
        CHECK((t->rows_a >= 1 && t->rows_a <= kMaxRowsA));
        CHECK((t->channels_b >= 1 && t->channels_b <= kMaxChannelsB));
        CHECK(t->unroll_b >= 1);
        CHECK(t->vectors_c >= 1);
        CHECK(t->pixels_c >= 1);
        CHECK(t->conv_a);
        CHECK(t->conv_b);
        CHECK(t->conv_c);
        CHECK(t->pool_max);
        CHECK(t->pool_avg);
        CHECK(t->build_strip);
        CHECK(t->wino_input);
        CHECK(t->wino_output);
    }
    const KernelTable& s16 = kernels_scalar16();
    CHECK(std::string_view(s16.name) == "scalar16");
    CHECK(s16.lanes == 16);
    CHECK(s16.unroll > 2);    // so the 2-vector leftovers run
    CHECK(s16.unroll_b > 2);  // conv_b's too
}

TEST_CASE("simd kernel table: conv_a at widths below, at and above the unroll, on every table") {
    check_entry(kEntries[0]);
}

TEST_CASE(
    "simd kernel table: conv_b at widths below, at and above the unroll, 1 to 2·channels_b + 1 channels") {
    check_entry(kEntries[1]);
}

TEST_CASE(
    "simd kernel table: conv_c at widths below, at and above its columns, 1 to 2·vectors_c + 1 channel "
    "vectors") {
    check_entry(kEntries[2]);
}

TEST_CASE("simd kernel table: pool_max at widths below, at and above the unroll, NaN and signed zeros") {
    check_entry(kEntries[3]);
}

TEST_CASE("simd kernel table: pool_avg at widths below, at and above the unroll, a divisor per column") {
    check_entry(kEntries[4]);
}

TEST_CASE("simd kernel table: build_strip runs just below, at and above whole vectors, steps 1, 2, 3") {
    check_entry(kEntries[5]);
}

TEST_CASE("simd kernel table: wino_input at tile vectors below, at and above the unrolls, 16 planes") {
    check_entry(kEntries[6]);
}

TEST_CASE(
    "simd kernel table: wino_output at tile vectors below, at and above the unrolls, partial widths, one "
    "row, inf and NaN flagged") {
    check_entry(kEntries[7]);
}

TEST_CASE("simd kernel table: every entry has a test case above") {
    // kEntries lists what KernelTable holds (the static_assert ties the two); each entry's test case exists.
    std::vector<std::string> names;
    for (const Catch::TestCase& tc : Catch::getRegistryHub().getTestCaseRegistry().getAllTests())
        names.push_back(tc.name);
    for (const Entry& e : kEntries) {
        INFO("entry " << e.name);
        CHECK(std::count_if(names.begin(), names.end(), [&](const std::string& n) {
                  return n.rfind(std::string("simd kernel table: ") + e.name + " ", 0) == 0;
              }) == 1);
    }
}
