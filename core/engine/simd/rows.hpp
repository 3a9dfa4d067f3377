// The simd backend's row layout (simd_backend.cpp's conv2d and pool2d): how output columns map onto segments
// and input columns (Columns, make_columns, whole_row_columns), and how a task gets the row pointers its
// kernel calls read (RowFetcher: straight into the input, the fill row, or a padded strip copied on first
// use) and the output rows they write (OutRows). Nothing outside core/engine/simd includes it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/engine/simd/kernels.hpp"

namespace convscope::simd {

inline int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

// [SECTION] Column layout

// One run of output columns computed by one kernel call.
struct Segment {
    int64_t ox0 = 0;    // first output column
    int64_t valid = 0;  // output columns
    int64_t nvec = 0;   // vectors computed (the last may run past `valid`)
    // 0 when the segment reads the input directly; else the floats in its copied strips, described by `runs`.
    int64_t strip_floats = 0;
    std::vector<StripRun> runs;
    int64_t src_begin = 0, src_end = 0;  // the input columns the strips copy lie in [src_begin, src_end)

    bool direct() const { return strip_floats == 0; }
    bool partial(int64_t lanes) const { return nvec * lanes != valid; }
};

// How the output columns map onto input columns, shared by every row and task of a problem. With stride 1 the
// wide middle segments read the input directly; only narrow segments at the borders (and the last vector's
// leftovers) read copied strips. With a wider stride every segment reads strips split by stride phase.
struct Columns {
    int64_t lanes = 1;  // floats per vector
    int64_t seg = 1;    // most output columns in a segment, a multiple of lanes
    int64_t pad_left = 0, in_w = 1;
    std::vector<int64_t> phase;  // distinct (kx·dw) mod sw, in order of first use
    std::vector<int64_t> off;    // [kw]: where tap kx reads, relative to a row pointer
    int64_t strip_len = 0;       // floats per phase in a copied strip
    int64_t strip_total = 0;     // most floats in a copied strip (all phases)
    std::vector<Segment> segments;
};

// A strip's column map (dst[i] = row[map[i]], or the fill value where map[i] < 0) as runs of equal step.
std::vector<StripRun> strip_runs(const std::vector<int32_t>& map);

// `col_source(pc)`: the input column read at padded column pc, or −1 for the fill value.
template <class ColSource>
Columns make_columns(int64_t lanes, int64_t unroll, int64_t ow, int64_t sw, int64_t dw, int64_t kw,
                     int64_t pad_left, int64_t in_w, bool copy_all, ColSource col_source) {
    Columns c;
    c.lanes = lanes;
    // A segment never spans more than the output row (rounded up to whole vectors): narrow rows (strided CNN
    // layers, 28 to 112 columns) then copy strips of their own width, not of the widest segment, so a task's
    // strips stay in L1/L2 instead of being mostly fill.
    c.seg = std::min(std::max<int64_t>(16, 64 / lanes) * lanes,
                     ceil_div(std::max<int64_t>(ow, 1), lanes) * lanes);
    c.pad_left = pad_left, c.in_w = in_w;
    int64_t qmax = 0;
    std::vector<int64_t> q(static_cast<size_t>(kw)), slot(static_cast<size_t>(kw));
    for (int64_t kx = 0; kx < kw; ++kx) {
        const int64_t tap = kx * dw, p = tap % sw;
        q[size_t(kx)] = tap / sw;
        qmax = std::max(qmax, q[size_t(kx)]);
        auto it = std::find(c.phase.begin(), c.phase.end(), p);
        slot[size_t(kx)] = it - c.phase.begin();
        if (it == c.phase.end()) c.phase.push_back(p);
    }
    c.strip_len = c.seg + qmax;
    c.strip_total = c.strip_len * int64_t(c.phase.size());
    for (int64_t kx = 0; kx < kw; ++kx) c.off.push_back(slot[size_t(kx)] * c.strip_len + q[size_t(kx)]);

    // Cuts [from, to) into segments of at most c.seg columns.
    auto add = [&](int64_t from, int64_t to, bool direct) {
        for (int64_t x0 = from; x0 < to; x0 += c.seg) {
            Segment g;
            g.ox0 = x0;
            g.valid = std::min(c.seg, to - x0);
            g.nvec = ceil_div(g.valid, lanes);
            if (!direct) {
                // Stride 1 has one phase, so a strip only needs its own columns; otherwise the phase layout.
                const int64_t len = sw == 1 ? g.nvec * lanes + qmax : c.strip_len;
                g.strip_floats = len * int64_t(c.phase.size());
                // Input columns copied (−1: fill), compressed into runs of equal step.
                std::vector<int32_t> map(size_t(g.strip_floats));
                for (size_t k = 0; k < c.phase.size(); ++k)
                    for (int64_t m = 0; m < len; ++m)
                        map[size_t(int64_t(k) * len + m)] = int32_t(col_source((x0 + m) * sw + c.phase[k]));
                g.src_begin = in_w, g.src_end = 0;
                for (const int32_t src : map) {
                    if (src < 0) continue;
                    g.src_begin = std::min<int64_t>(g.src_begin, src);
                    g.src_end = std::max<int64_t>(g.src_end, src + 1);
                }
                g.runs = strip_runs(map);
            }
            c.segments.push_back(std::move(g));
        }
    };
    if (sw != 1 || copy_all) {
        add(0, ow, false);
        return c;
    }
    // Stride 1: output column x reads input columns x − pad_left … x − pad_left + (kw − 1)·dw. The direct
    // range holds whole register blocks whose every tap lies inside the input; the border segments are one
    // block wide or so, so that they too run on whole blocks.
    const int64_t block = lanes * unroll;
    const int64_t lo = std::min(ow, ceil_div(pad_left, block) * block);
    const int64_t end = std::min(ow, in_w + pad_left - (kw - 1) * dw);  // direct columns end before this
    const int64_t hi = end > lo ? lo + (end - lo) / block * block : lo;
    if (hi == lo) {  // no direct columns: copied segments as wide as they may be, so fewer kernel calls
        add(0, ow, false);
        return c;
    }
    add(0, lo, false);
    add(lo, hi, true);
    add(hi, ow, false);
    return c;
}

// conv_c's layout: one segment of every output column, whose rows are whole padded input rows (padded_w
// floats from padded column 0), read straight from the input where no column is padded.
template <class ColSource>
Columns whole_row_columns(int64_t ow, int64_t padded_w, int64_t pad_left, int64_t in_w,
                          ColSource col_source) {
    Columns c;
    c.pad_left = pad_left, c.in_w = in_w;
    c.strip_total = padded_w;
    Segment g;
    g.valid = ow;
    if (padded_w != in_w) {
        std::vector<int32_t> map(static_cast<size_t>(padded_w));
        for (int64_t pc = 0; pc < padded_w; ++pc) map[size_t(pc)] = int32_t(col_source(pc));
        g.strip_floats = padded_w;
        g.runs = strip_runs(map);
        g.src_begin = 0, g.src_end = in_w;
    }
    c.segments.push_back(std::move(g));
    return c;
}

// [SECTION] Row fetching

// Asks for the cache lines of row[begin … end) (16 floats a line), so a copy made soon after finds them.
inline void prefetch_columns(const float* row, int64_t begin, int64_t end) {
    if (end <= begin) return;
    for (int64_t x = begin; x < end; x += 16) __builtin_prefetch(row + x);
    __builtin_prefetch(row + end - 1);
}

// Per-thread scratch, grown as needed and kept between calls (simd_backend.cpp's t_scratch).
struct Scratch {
    std::vector<float> arena;         // copied strips
    std::vector<float> fill_row;      // the fill value, as long as the longest strip
    std::vector<float> temp;          // output rows of partial segments
    std::vector<float> divisor;       // avg pool divisors of one segment
    std::vector<const float*> cache;  // [channel][row − first row] → prepared row, or null
    std::vector<const float*> rows;   // pointer table handed to a kernel
    std::vector<float*> out;          // output rows handed to a kernel (OutRows)
    std::vector<float*> out_real;     // the output rows they stand for, or null (OutRows)
};

// Makes the per-thread fill row: at least `len` copies of `fill`.
inline void prepare_fill(Scratch& s, int64_t len, float fill) {
    if (int64_t(s.fill_row.size()) < len) s.fill_row.resize(size_t(len));
    std::fill(s.fill_row.begin(), s.fill_row.begin() + len, fill);
}

// Hands out row pointers for one segment: into the input, the fill row, or a strip copied on first use.
// `row_source(py)`: the input row read at padded row py, or −1 for the fill value. Rows are cached for
// padded rows first_row … first_row + row_count − 1 of `channels` channels; at most `max_strips` are copied.
// prepare_fill() must have run.
template <class RowSource>
class RowFetcher {
public:
    RowFetcher(const KernelTable& k, const Columns& cols, const Segment& seg, RowSource row_source,
               float fill, int64_t channels, int64_t first_row, int64_t row_count, int64_t max_strips,
               Scratch& s)
        : m_k(k),
          m_cols(cols),
          m_seg(seg),
          m_row_source(row_source),
          m_first_row(first_row),
          m_row_count(row_count),
          m_s(s),
          m_fill(fill) {
        m_direct_offset = seg.ox0 - cols.pad_left;
        if (!seg.direct()) {
            s.cache.assign(size_t(channels * row_count), nullptr);
            const size_t need = size_t(max_strips * seg.strip_floats);
            if (s.arena.size() < need) s.arena.resize(need);
        }
    }

    // The row pointer of padded row py of channel plane `plane` (channel index `ci` within the task).
    const float* get(int64_t ci, const float* plane, int64_t py) {
        const int64_t src = m_row_source(py);
        if (src < 0) return m_s.fill_row.data();
        const float* row = plane + src * m_cols.in_w;
        if (m_seg.direct()) return row + m_direct_offset;
        const float*& cached = m_s.cache[size_t(ci * m_row_count + (py - m_first_row))];
        if (cached) return cached;
        const int64_t len = m_seg.strip_floats;
        float* dst = m_s.arena.data() + m_used;
        m_used += len;
        m_k.build_strip(row, m_seg.runs.data(), int64_t(m_seg.runs.size()), m_fill, dst);
        cached = dst;
        return dst;
    }

    // Asks for the input a later get(ci, plane, py) will copy, so that it comes in from L3 while the strips
    // before it are built (a strip's source is a few cache lines a plane apart from the last one's, which no
    // hardware prefetcher foresees).
    void prefetch(const float* plane, int64_t py) const {
        if (m_seg.direct() || m_seg.src_end <= m_seg.src_begin) return;
        const int64_t src = m_row_source(py);
        if (src < 0) return;
        prefetch_columns(plane + src * m_cols.in_w, m_seg.src_begin, m_seg.src_end);
    }

private:
    const KernelTable& m_k;
    const Columns& m_cols;
    const Segment& m_seg;
    RowSource m_row_source;
    int64_t m_first_row, m_row_count;
    Scratch& m_s;
    float m_fill;
    int64_t m_direct_offset = 0;
    int64_t m_used = 0;
};

// Output row pointers for a kernel call, kept in the per-thread scratch: the real rows, or scratch rows (of
// `seg` floats each, in Scratch::temp) for a partial segment or rows past the end (null); copy_back() then
// writes the valid columns of the real rows.
class OutRows {
public:
    OutRows(Scratch& s, int64_t count, int64_t valid, bool partial, int64_t seg)
        : m_s(s), m_valid(valid), m_seg(seg), m_partial(partial) {
        s.out_real.resize(size_t(count));
        s.out.resize(size_t(count));
    }
    void set(int64_t i, float* row) {
        m_s.out_real[size_t(i)] = row;
        m_s.out[size_t(i)] = (row && !m_partial) ? row : m_s.temp.data() + i * m_seg;
    }
    float* const* ptr() const { return m_s.out.data(); }
    void copy_back() const {
        for (size_t i = 0; i < m_s.out.size(); ++i)
            if (float* real = m_s.out_real[i]; real && m_s.out[i] != real)
                std::memcpy(real, m_s.out[i], size_t(m_valid) * sizeof(float));
    }

private:
    Scratch& m_s;
    int64_t m_valid, m_seg;
    bool m_partial;
};

}  // namespace convscope::simd
