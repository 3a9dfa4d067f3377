// [SECTION] Instruction-set dispatch
// [SECTION] Scratch budget
// [SECTION] conv2d
// [SECTION] pool2d
// [SECTION] The Backend
//
// How a problem runs: the output is cut into tasks (rows of one image and channel group) that the persistent
// thread pool shares out; the split does not depend on the thread count, and every output element is computed
// by exactly one kernel call, so the answer is the same with any number of threads. Within a task, each
// output row is cut into segments of a few hundred columns. For every input row a segment needs, the kernel
// gets a pointer: straight into the input where the segment's taps stay inside it (stride 1), otherwise into
// a small copy of just that segment's padded columns, split by stride phase so strided taps become contiguous
// too.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>

#include "core/engine/backend.hpp"
#include "core/engine/planned_backend.hpp"
#include "core/engine/simd/conv_transpose.hpp"
#include "core/engine/simd/kernels.hpp"
#include "core/engine/simd/rows.hpp"
#include "core/engine/simd/simd.hpp"
#include "core/engine/simd/winograd.hpp"
#include "core/support/thread_pool.hpp"

namespace convscope {
namespace simd {
namespace {

// [SECTION] Instruction-set dispatch

std::vector<const KernelTable*> supported_tables() {
    std::vector<const KernelTable*> v;
#if defined(CONVSCOPE_SIMD_X86)
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
        v.push_back(&kernels_avx512());
    if (avx2) v.push_back(&kernels_avx2());
    if (__builtin_cpu_supports("sse4.1")) v.push_back(&kernels_sse41());
#elif defined(CONVSCOPE_SIMD_NEON)
    v.push_back(&kernels_neon());
#endif
    v.push_back(&kernels_scalar());
    return v;
}

std::atomic<const KernelTable*> g_table{nullptr};
std::atomic<int> g_max_threads{0};

const KernelTable& table() {
    const KernelTable* t = g_table.load(std::memory_order_acquire);
    if (!t) {
        t = supported_tables().front();
        g_table.store(t, std::memory_order_release);
    }
    return *t;
}

// Problems smaller than this many multiply-adds run on the calling thread: waking workers would cost more.
constexpr double kParallelWork = 1 << 17;
// Weights packed on every thread from this many floats on.
constexpr int64_t kParallelPack = 1 << 14;

int threads_for(double work) {
    return work < kParallelWork ? 1 : g_max_threads.load();
}

// Each thread's scratch (rows.hpp).
thread_local Scratch t_scratch;

// [SECTION] Scratch budget

// Most bytes of per-thread scratch a problem may take. The strips grow with kernel rows × phases (up to
// kw when the stride is wide), so a huge strided window (max pool 1024 on 8192×1024) would take gigabytes;
// such a problem runs on the reference loops instead, whose memory is the input and output only.
constexpr double kScratchBudgetBytes = 32.0 * 1024 * 1024;

// The per-thread scratch make_columns and the tasks would allocate for a problem: the copied strips
// (`max_rows` of them) and the column tables of the segments that read strips.
double scratch_bytes(int64_t lanes, int64_t ow, int64_t sw, int64_t dw, int64_t kw, int64_t max_rows,
                     bool copy_all) {
    std::vector<int64_t> phases;
    for (int64_t kx = 0; kx < kw; ++kx) phases.push_back((kx * dw) % sw);
    std::sort(phases.begin(), phases.end());
    const double nphase = double(std::unique(phases.begin(), phases.end()) - phases.begin());
    const double seg = double(std::max<int64_t>(16, 64 / lanes) * lanes);
    const double strip_total = (seg + double((kw - 1) * dw / sw)) * nphase;
    const double strip_segments = sw == 1 && !copy_all ? 4.0 : std::ceil(double(ow) / seg);
    return 4.0 * strip_total * double(max_rows) + 16.0 * strip_total * strip_segments;
}

// conv_a reuses input loads across kernel rows (needs consecutive rows); conv_b across output channels, which
// pays from 4 channels a group on.
bool uses_conv_a(const ConvPlan& P) {
    return P.sh == 1 && P.dh == 1 && P.o_per_group() < 4;
}

// conv_b reads cin × kh rows for each block of columns. Straight from the input, rows of different channels
// lie a plane apart, a power of two for power-of-two images (64 KB for 128×128), so they fall in the same L1
// and L2 sets and evict each other; copied strips lie one after the other and do not. The copies cost one
// pass over a task's rows against the cin·kh·channels multiply-adds each row feeds (16→16 k3 on 256²: 4.4
// → 2.2 ms on the 2-core AVX2 machine).
bool conv_copies_all(const ConvPlan& P) {
    return !uses_conv_a(P) && P.c_per_group() * P.kh >= 16;
}

// Output rows per conv_b and conv_c task. Those tasks hold every channel of a group, so a small layer
// (128→128 s2 on 56²: 28 rows) would make only a few tasks, which two threads share unevenly (7 tasks: 4
// against 3); such layers take fewer rows per task.
int64_t rows_per_channel_task(const ConvPlan& P) {
    int64_t block = 4;
    while (block > 1 && P.n * P.groups * ceil_div(P.oh, block) < 16) block /= 2;
    return block;
}

// The padded input rows a conv_c task holds: every channel's rows for `rows_per_channel_task` output rows.
int64_t conv_c_span(const ConvPlan& P) {
    return (rows_per_channel_task(P) - 1) * P.sh + (P.kh - 1) * P.dh + 1;
}

// conv_c (vectors over output channels, whole padded rows) for stride-2 layers whose channels fill at least
// one whole group of its vectors: conv_b would copy their strips split by stride phase. On the Zen 4 VM
// (AVX-512, one thread, fastest of 30 runs each) 128→128 k3 s2 on 56² took 2.34 ms against conv_b's 2.69 and
// the stem 2.32 against 2.36; at stride 1 conv_c was no faster (64→64 k3 on 128²: 11.8 against 11.6 ms). Its
// copied rows must fit the scratch budget.
bool uses_conv_c(const ConvPlan& P) {
    const KernelTable& K = table();
    const int64_t opg = P.o_per_group();
    if (P.sw != kStrideC || opg % K.lanes != 0 || opg < K.vectors_c * K.lanes) return false;
    const double padded_w = double(P.w + P.pad_left + P.pad_right);
    return 4.0 * double(P.c_per_group()) * double(conv_c_span(P)) * padded_w <= kScratchBudgetBytes;
}

// [SECTION] Winograd F(2×2, 3×3) (winograd.hpp)

bool uses_winograd(const ConvPlan& P) {
    return wino_applies(P, table().lanes);
}

// Each thread's Winograd scratch: V and M of one chunk, four padded rows, pointer tables (rows of zeros
// are t_scratch's fill row).
struct WinoScratch {
    std::vector<float> v, m, rows;
    std::vector<const float*> in;
    std::vector<float*> out;
};
thread_local WinoScratch t_wino;

bool conv2d_fits(const ConvPlan& P) {
    if (uses_conv_c(P)) return true;
    const KernelTable& K = table();
    // The most strips a task copies: conv_a cin × (rows_a + kh − 1), conv_b cin × at most 4·kh.
    const int64_t rows = P.c_per_group() * std::max<int64_t>(K.rows_a + P.kh - 1, 4 * P.kh);
    return scratch_bytes(K.lanes, P.ow, P.sw, P.dw, P.kw, rows, conv_copies_all(P)) <= kScratchBudgetBytes;
}

bool pool2d_fits(const PoolPlan& P) {
    const KernelTable& K = table();
    return scratch_bytes(K.lanes, P.ow, P.sw, P.dw, P.kw, 8 * P.kh, false) <= kScratchBudgetBytes;
}

// [SECTION] conv2d

// How many channels ahead conv_b's tasks prefetch the input rows they copy (RowFetcher::prefetch).
constexpr int64_t kPrefetchChannels = 4;

void conv2d_run(const ConvPlan& P, const float* input, const float* weight, const float* bias, float* out) {
    const KernelTable& K = table();
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    const int64_t padded_h = P.h + P.pad_top + P.pad_bottom, padded_w = P.w + P.pad_left + P.pad_right;
    const bool use_a = uses_conv_a(P), use_c = uses_conv_c(P), copy_all = conv_copies_all(P);
    const bool use_w = !use_a && !use_c && uses_winograd(P);
    auto cols_source = [&](int64_t pc) -> int64_t {
        if (pc < 0 || pc >= padded_w) return -1;
        const auto s = source_index(pc - P.pad_left, P.w, P.mode);
        return s ? *s : -1;
    };
    const Columns cols = use_c ? whole_row_columns(P.ow, padded_w, P.pad_left, P.w, cols_source)
                               : make_columns(K.lanes, use_a ? K.unroll : K.unroll_b, P.ow, P.sw, P.dw, P.kw,
                                              P.pad_left, P.w, copy_all, cols_source);
    // Called for every row a kernel call reads: rows inside the input take no call.
    auto row_source = [&](int64_t py) -> int64_t {
        const int64_t iy = py - P.pad_top;
        if (iy >= 0 && iy < P.h) return iy;
        if (py < 0 || py >= padded_h) return -1;
        const auto s = source_index(iy, P.h, P.mode);
        return s ? *s : -1;
    };
    const int64_t ksize = cpg * P.kh * P.kw;
    const int64_t block = use_a ? 4 * K.rows_a : rows_per_channel_task(P);
    const int64_t row_blocks = ceil_div(P.oh, block);
    const int64_t tasks = P.n * (use_a ? P.o : P.groups) * row_blocks;
    const double work = double(P.n) * double(P.o) * double(P.oh) * double(P.ow) * double(ksize);

    // rows_a output rows at a time, across the whole row width, then down: input rows stream in order and
    // stay in cache for the next rows.
    auto task_a = [&](int64_t task) {
        Scratch& s = t_scratch;
        const int64_t rb = task % row_blocks, o = (task / row_blocks) % P.o, n = task / row_blocks / P.o;
        const int64_t g = o / opg;
        const int64_t oy0 = rb * block, oy1 = std::min(P.oh, oy0 + block);
        const int64_t T = K.rows_a + P.kh - 1;
        const float* planes = input + (n * P.c + g * cpg) * P.h * P.w;
        ConvRowsArgs args;
        args.off = cols.off.data();
        args.weights = weight + o * ksize;
        args.bias = bias ? bias + o : nullptr;
        args.cin = cpg, args.kh = P.kh, args.kw = P.kw;
        s.rows.resize(size_t(cpg * T));
        s.temp.resize(size_t(K.rows_a * cols.seg));
        prepare_fill(s, cols.strip_total, 0.0f);
        // rows_a output rows of one segment, their input rows from `fetch`.
        auto run = [&](const Segment& seg, auto& fetch, int64_t r0) {
            for (int64_t ci = 0; ci < cpg; ++ci)
                for (int64_t t = 0; t < T; ++t)
                    s.rows[size_t(ci * T + t)] = fetch.get(ci, planes + ci * P.h * P.w, r0 + t);
            OutRows rows(s, K.rows_a, seg.valid, seg.partial(cols.lanes), cols.seg);
            for (int r = 0; r < K.rows_a; ++r) {
                const int64_t oy = r0 + r;
                rows.set(r, oy < oy1 ? out + ((n * P.o + o) * P.oh + oy) * P.ow + seg.ox0 : nullptr);
            }
            args.nvec = seg.nvec;
            args.rows = s.rows.data();
            args.out = rows.ptr();
            K.conv_a(args);
            rows.copy_back();
        };
        // A row of one copied segment (narrow layers: depthwise 32 on 112²) keeps one fetcher for the whole
        // task, so that an input row two blocks of rows_a output rows share is copied once, not twice.
        const int64_t span = ceil_div(oy1 - oy0, K.rows_a) * K.rows_a + P.kh - 1;
        if (cols.segments.size() == 1 &&
            4.0 * double(cpg * span) * double(cols.segments[0].strip_floats) <= kScratchBudgetBytes) {
            RowFetcher fetch(K, cols, cols.segments[0], row_source, 0.0f, cpg, oy0, span, cpg * span, s);
            for (int64_t r0 = oy0; r0 < oy1; r0 += K.rows_a) run(cols.segments[0], fetch, r0);
            return;
        }
        for (int64_t r0 = oy0; r0 < oy1; r0 += K.rows_a) {
            for (const Segment& seg : cols.segments) {
                RowFetcher fetch(K, cols, seg, row_source, 0.0f, cpg, r0, T, cpg * T, s);
                run(seg, fetch, r0);
            }
        }
    };

    // conv_b's and conv_c's weights, packed once per call (pack_weights_b), a group of channels per task:
    // 128→128 k3 has 147 K floats to transpose, 7% of its one-thread profile, which the calling thread alone
    // would add to the wall time. Every float is written, so the buffer starts uninitialized (a vector's
    // zeroing was another 3%).
    const int64_t pack_width = use_c ? K.vectors_c * K.lanes : K.channels_b;
    const int64_t packs_per_group = ceil_div(opg, pack_width);
    // Winograd packs them only for a task that falls back to conv_b (an infinity in the input), once.
    std::unique_ptr<float[]> packed(use_a ? nullptr : new float[size_t(P.o * ksize)]);
    auto pack = [&](int64_t i) {
        const int64_t c = (i / packs_per_group) * opg + (i % packs_per_group) * pack_width;
        pack_weights_b(weight + c * ksize, std::min(pack_width, opg - (i % packs_per_group) * pack_width),
                       ksize, int(pack_width), packed.get() + c * ksize);
    };
    if (!use_a && !use_w)
        ThreadPool::global().parallel_for(P.groups * packs_per_group, pack,
                                          P.o * ksize >= kParallelPack ? threads_for(work) : 1);
    std::once_flag packed_once;
    // Output channels per conv_b call: a whole number of the table's groups, so that their packed weights
    // (a few dozen filters, ~140 KB for 64 channels of 3×3×64) stay in L2 while every block of columns of the
    // row passes.
    const int64_t chunk = std::min<int64_t>(opg, 10 * K.channels_b);
    // What conv_b's and conv_c's task `task` computes: image n, group g, output rows oy0 … oy1 − 1, which
    // read padded rows first … first + span − 1.
    struct ChannelTask {
        int64_t n, g, oy0, oy1, first, span;
    };
    // Output rows oy0 … oy1 − 1 as a task (also the rows a Winograd task computes again directly).
    auto channel_rows = [&](int64_t n, int64_t g, int64_t oy0, int64_t oy1) {
        const int64_t first = oy0 * P.sh;
        return ChannelTask{n, g, oy0, oy1, first, (oy1 - 1) * P.sh + (P.kh - 1) * P.dh + 1 - first};
    };
    auto channel_task = [&](int64_t task) {
        const int64_t oy0 = task % row_blocks * block;
        return channel_rows(task / row_blocks / P.groups, (task / row_blocks) % P.groups, oy0,
                            std::min(P.oh, oy0 + block));
    };
    // conv_b: output rows oy0 … oy1 − 1 of every channel of image n, group g.
    auto rows_b = [&](const ChannelTask& task) {
        if (use_w)
            std::call_once(packed_once, [&] {
                for (int64_t i = 0; i < P.groups * packs_per_group; ++i) pack(i);
            });
        Scratch& s = t_scratch;
        const auto [n, g, oy0, oy1, first, span] = task;
        const float* planes = input + (n * P.c + g * cpg) * P.h * P.w;
        ConvRowsArgs args;
        args.off = cols.off.data();
        args.cin = cpg, args.kh = P.kh, args.kw = P.kw;
        s.rows.resize(size_t(cpg * P.kh));
        s.temp.resize(size_t(chunk * cols.seg));
        prepare_fill(s, cols.strip_total, 0.0f);
        for (const Segment& seg : cols.segments) {
            RowFetcher fetch(K, cols, seg, row_source, 0.0f, cpg, first, span,
                             cpg * std::min(span, (oy1 - oy0) * P.kh), s);
            const bool partial = seg.partial(cols.lanes);
            args.nvec = seg.nvec;
            for (int64_t oy = oy0; oy < oy1; ++oy) {
                for (int64_t ci = 0; ci < cpg; ++ci) {
                    if (ci + kPrefetchChannels < cpg)
                        for (int64_t ky = 0; ky < P.kh; ++ky)
                            fetch.prefetch(planes + (ci + kPrefetchChannels) * P.h * P.w,
                                           oy * P.sh + ky * P.dh);
                    for (int64_t ky = 0; ky < P.kh; ++ky)
                        s.rows[size_t(ci * P.kh + ky)] =
                            fetch.get(ci, planes + ci * P.h * P.w, oy * P.sh + ky * P.dh);
                }
                args.rows = s.rows.data();
                for (int64_t o0 = 0; o0 < opg; o0 += chunk) {
                    const int64_t count = std::min(chunk, opg - o0), o = g * opg + o0;
                    OutRows rows(s, count, seg.valid, partial, cols.seg);
                    for (int64_t k = 0; k < count; ++k)
                        rows.set(k, out + ((n * P.o + o + k) * P.oh + oy) * P.ow + seg.ox0);
                    args.ocb = int(count);
                    args.weights = packed.get() + o * ksize;
                    args.bias = bias ? bias + o : nullptr;
                    args.out = rows.ptr();
                    K.conv_b(args);
                    rows.copy_back();
                }
            }
        }
    };

    auto task_b = [&](int64_t task) { rows_b(channel_task(task)); };

    // Winograd: tile row r of image n, group g (winograd.hpp).
    const WinoLayout wl = use_w ? wino_layout(P, K.lanes) : WinoLayout{};
    const float* wino_w = use_w ? wino_weights(P, weight, K.channels_b, threads_for(work)) : nullptr;
    // Each chunk's padded-row copy: its input columns as runs, or its offset where they lie inside the row.
    const int64_t row_floats = 2 * wl.chunk + 2;
    std::vector<std::vector<StripRun>> wino_runs(size_t(wl.chunks));
    std::vector<int64_t> wino_direct(size_t(wl.chunks), -1);
    for (int64_t c = 0; c < wl.chunks; ++c) {
        std::vector<int32_t> map(static_cast<size_t>(row_floats));
        for (int64_t m = 0; m < row_floats; ++m) map[size_t(m)] = int32_t(cols_source(2 * c * wl.chunk + m));
        bool inside = map[0] >= 0;
        for (int64_t m = 1; m < row_floats && inside; ++m) inside = map[size_t(m)] == map[0] + m;
        if (inside)
            wino_direct[size_t(c)] = map[0];
        else
            wino_runs[size_t(c)] = strip_runs(map);
    }
    const int64_t tile_rows = ceil_div(P.oh, 2);
    auto task_w = [&](int64_t task) {
        WinoScratch& s = t_wino;
        const int64_t r = task % tile_rows, g = (task / tile_rows) % P.groups,
                      n = task / tile_rows / P.groups;
        const float* planes = input + (n * P.c + g * cpg) * P.h * P.w;
        const int64_t tc = wl.chunk;
        s.v.resize(size_t(16 * cpg * tc));
        s.m.resize(size_t(16 * opg * tc));
        s.rows.resize(size_t(4 * row_floats));
        prepare_fill(t_scratch, row_floats, 0.0f);
        const float* zeros = t_scratch.fill_row.data();
        s.in.resize(size_t(16 * cpg));
        s.out.resize(size_t(16 * opg));
        int64_t src_row[4];
        for (int i = 0; i < 4; ++i) src_row[i] = row_source(2 * r + i);
        bool bad = false;
        for (int64_t c = 0; c < wl.chunks; ++c) {
            const int64_t tiles = wl.tiles_in(c), nvec = ceil_div(tiles, K.lanes), stride_v = nvec * K.lanes;
            WinoInputArgs in;
            in.nvec = nvec, in.stride = cpg * stride_v;
            // The input columns the chunk reads (the padded ones come from near the edges).
            const int64_t col0 = std::clamp<int64_t>(2 * c * tc - P.pad_left, 0, P.w),
                          col1 = std::clamp<int64_t>(2 * c * tc + row_floats - P.pad_left, 0, P.w);
            for (int64_t ci = 0; ci < cpg; ++ci) {
                // The rows come from memory or L3 (each is read by two tasks, often on different cores):
                // fetched a few channels ahead, they are in cache when copied (64→64 on 128², one thread: the
                // copies took 16% of the products' time, now 11%).
                if (ci + kPrefetchChannels < cpg)
                    for (int i = 0; i < 4; ++i) {
                        if (src_row[i] < 0) continue;
                        prefetch_columns(planes + ((ci + kPrefetchChannels) * P.h + src_row[i]) * P.w, col0,
                                         col1);
                    }
                for (int i = 0; i < 4; ++i) {
                    const float* row = src_row[i] < 0 ? nullptr : planes + (ci * P.h + src_row[i]) * P.w;
                    if (!row) {
                        in.rows[i] = zeros;
                    } else if (wino_direct[size_t(c)] >= 0) {
                        in.rows[i] = row + wino_direct[size_t(c)];
                    } else {
                        float* dst = s.rows.data() + i * row_floats;
                        const auto& runs = wino_runs[size_t(c)];
                        K.build_strip(row, runs.data(), int64_t(runs.size()), 0.0f, dst);
                        in.rows[i] = dst;
                    }
                }
                in.out = s.v.data() + ci * stride_v;
                K.wino_input(in);
            }
            for (int64_t x = 0; x < 16; ++x) {
                for (int64_t ci = 0; ci < cpg; ++ci)
                    s.in[size_t(x * cpg + ci)] = s.v.data() + (x * cpg + ci) * stride_v;
                for (int64_t o = 0; o < opg; ++o)
                    s.out[size_t(x * opg + o)] = s.m.data() + (x * opg + o) * stride_v;
            }
            static constexpr int64_t kOneTap[1] = {0};
            ConvRowsArgs mm;
            mm.off = kOneTap;
            mm.cin = cpg, mm.kh = 1, mm.kw = 1, mm.nvec = nvec;
            for (int64_t x = 0; x < 16; ++x) {
                mm.rows = s.in.data() + x * cpg;
                for (int64_t o0 = 0; o0 < opg; o0 += chunk) {
                    mm.ocb = int(std::min(chunk, opg - o0));
                    mm.weights = wino_w + ((g * 16 + x) * opg + o0) * cpg;
                    mm.out = s.out.data() + x * opg + o0;
                    K.conv_b(mm);
                }
            }
            WinoOutputArgs oa;
            oa.stride = opg * stride_v, oa.nvec = nvec;
            oa.width = std::min(P.ow - 2 * c * tc, 2 * tiles);
            for (int64_t o = 0; o < opg; ++o) {
                const int64_t oc = g * opg + o;
                float* row = out + ((n * P.o + oc) * P.oh + 2 * r) * P.ow + 2 * c * tc;
                oa.in = s.m.data() + o * stride_v;
                oa.out[0] = row;
                oa.out[1] = 2 * r + 1 < P.oh ? row + P.ow : nullptr;
                oa.bias = bias ? bias + oc : nullptr;
                bad |= K.wino_output(oa);
            }
        }
        if (bad) rows_b(channel_rows(n, g, 2 * r, std::min(P.oh, 2 * r + 2)));
    };

    // conv_c: each task copies the padded input rows it reads once (or points into the input where no column
    // is padded), then computes each output row for every channel of the group in one kernel call.
    auto task_c = [&](int64_t task) {
        Scratch& s = t_scratch;
        const auto [n, g, oy0, oy1, first, span] = channel_task(task);
        const float* planes = input + (n * P.c + g * cpg) * P.h * P.w;
        prepare_fill(s, cols.strip_total, 0.0f);
        RowFetcher fetch(K, cols, cols.segments[0], row_source, 0.0f, cpg, first, span, cpg * span, s);
        s.rows.resize(size_t(cpg * P.kh));
        s.out.resize(size_t(opg));
        ConvPixelsArgs args;
        args.taps = cpg * P.kh, args.kw = P.kw, args.dw = P.dw, args.width = P.ow;
        args.ocb = opg;
        args.weights = packed.get() + g * opg * ksize;
        args.bias = bias ? bias + g * opg : nullptr;
        for (int64_t oy = oy0; oy < oy1; ++oy) {
            for (int64_t ci = 0; ci < cpg; ++ci)
                for (int64_t ky = 0; ky < P.kh; ++ky)
                    s.rows[size_t(ci * P.kh + ky)] =
                        fetch.get(ci, planes + ci * P.h * P.w, oy * P.sh + ky * P.dh);
            for (int64_t k = 0; k < opg; ++k)
                s.out[size_t(k)] = out + ((n * P.o + g * opg + k) * P.oh + oy) * P.ow;
            args.rows = s.rows.data();
            args.out = s.out.data();
            K.conv_c(args);
        }
    };

    if (use_a)
        ThreadPool::global().parallel_for(tasks, task_a, threads_for(work));
    else if (use_c)
        ThreadPool::global().parallel_for(tasks, task_c, threads_for(work));
    else if (use_w)
        ThreadPool::global().parallel_for(P.n * P.groups * tile_rows, task_w, threads_for(work));
    else
        ThreadPool::global().parallel_for(tasks, task_b, threads_for(work));
    if (use_w) wino_weights_trim();
}

// [SECTION] pool2d

void pool2d_run(const PoolPlan& P, const float* input, float* out) {
    const KernelTable& K = table();
    const bool is_max = P.op == Op::MaxPool;
    const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
    const Columns cols =
        make_columns(K.lanes, K.unroll, P.ow, P.sw, P.dw, P.kw, P.pw, P.w, false, [&](int64_t pc) -> int64_t {
            const int64_t ix = pc - P.pw;
            return ix >= 0 && ix < P.w ? ix : -1;
        });
    auto row_source = [&](int64_t py) -> int64_t {
        const int64_t iy = py - P.ph;
        return iy >= 0 && iy < P.h ? iy : -1;
    };
    // Average pooling's divisor, PyTorch's rule: the window clipped to the padded input, counting padding or
    // not.
    auto extent = [](int64_t o, int64_t s, int64_t p, int64_t k, int64_t n, bool real) {
        const int64_t a = o * s - p, b = std::min(a + k, n + p);
        return real ? std::max<int64_t>(0, std::min(b, n) - std::max<int64_t>(a, 0)) : b - a;
    };
    // Per output column: the window's width in the padded input, and in the real input.
    std::vector<float> col_pad, col_real;
    if (!is_max) {
        for (int64_t x = 0; x < P.ow; ++x) {
            col_pad.push_back(float(extent(x, P.sw, P.pw, P.kw, P.w, false)));
            col_real.push_back(float(extent(x, P.sw, P.pw, P.kw, P.w, true)));
        }
    }
    const int64_t block = 8;
    const int64_t row_blocks = ceil_div(P.oh, block);
    const int64_t tasks = P.n * P.c * row_blocks;
    const double work = double(P.n * P.c) * double(P.oh * P.ow) * double(P.kh * P.kw);

    auto task = [&](int64_t t) {
        Scratch& s = t_scratch;
        const int64_t rb = t % row_blocks, nc = t / row_blocks;
        const int64_t oy0 = rb * block, oy1 = std::min(P.oh, oy0 + block);
        const int64_t first = oy0 * P.sh, span = (oy1 - 1) * P.sh + (P.kh - 1) * P.dh + 1 - first;
        const float* plane = input + nc * P.h * P.w;
        PoolRowArgs args;
        args.off = cols.off.data();
        args.kh = P.kh, args.kw = P.kw;
        s.rows.resize(size_t(P.kh));
        s.temp.resize(size_t(cols.seg));
        s.divisor.resize(size_t(cols.seg));
        prepare_fill(s, cols.strip_total, fill);
        for (const Segment& seg : cols.segments) {
            RowFetcher fetch(K, cols, seg, row_source, fill, 1, first, span,
                             std::min(span, (oy1 - oy0) * P.kh), s);
            const bool partial = seg.partial(cols.lanes);
            const int64_t x0 = seg.ox0, valid = seg.valid;
            args.nvec = seg.nvec;
            for (int64_t oy = oy0; oy < oy1; ++oy) {
                for (int64_t ky = 0; ky < P.kh; ++ky)
                    s.rows[size_t(ky)] = fetch.get(0, plane, oy * P.sh + ky * P.dh);
                if (!is_max) {
                    const float hp = float(extent(oy, P.sh, P.ph, P.kh, P.h, false));
                    const float hr = float(extent(oy, P.sh, P.ph, P.kh, P.h, true));
                    const float* cp = col_pad.data() + x0;
                    const float* cr = col_real.data() + x0;
                    float* d = s.divisor.data();
                    // Products of small whole numbers: exact, as the reference's integer count.
                    if (P.count_include_pad)
                        for (int64_t j = 0; j < valid; ++j) d[j] = hr * cr[j] > 0.0f ? hp * cp[j] : 1.0f;
                    else
                        for (int64_t j = 0; j < valid; ++j) d[j] = hr * cr[j] > 0.0f ? hr * cr[j] : 1.0f;
                    std::fill(d + valid, d + seg.nvec * cols.lanes, 1.0f);
                    args.divisor = s.divisor.data();
                }
                float* real = out + (nc * P.oh + oy) * P.ow + x0;
                args.rows = s.rows.data();
                args.out = partial ? s.temp.data() : real;
                if (is_max)
                    K.pool_max(args);
                else
                    K.pool_avg(args);
                if (partial) std::memcpy(real, s.temp.data(), size_t(valid) * sizeof(float));
            }
        }
    };
    ThreadPool::global().parallel_for(tasks, task, threads_for(work));
}

}  // namespace

void pack_weights_b(const float* weights, int64_t channels, int64_t ksize, int channels_b, float* dst) {
    // The g filters of a group are read in step, one tap each in turn: their g lines come in from memory
    // together (reading one filter's line to the end first was 3× slower, each miss waited on alone).
    for (int64_t c = 0; c < channels; c += channels_b) {
        const int64_t g = std::min<int64_t>(channels_b, channels - c);
        const float* src = weights + c * ksize;
        float* d = dst + c * ksize;
        for (int64_t k = 0; k < ksize; ++k)
            for (int64_t o = 0; o < g; ++o) d[k * g + o] = src[o * ksize + k];
    }
}

std::vector<std::string_view> supported_isas() {
    std::vector<std::string_view> names;
    for (const KernelTable* t : supported_tables()) names.push_back(t->name);
    return names;
}

std::string_view active_isa() {
    return table().name;
}

Status force_isa(std::string_view name) {
    const auto tables = supported_tables();
    if (name == "auto") {
        g_table.store(tables.front(), std::memory_order_release);
        return {};
    }
    std::string choices;
    for (const KernelTable* t : tables) {
        if (t->name == name) {
            g_table.store(t, std::memory_order_release);
            return {};
        }
        choices += (choices.empty() ? "" : ", ") + std::string(t->name);
    }
    return fail<ErrCode::isa_unavailable>(name, choices);
}

void set_max_threads(int n) {
    g_max_threads.store(std::max(n, 0));
}

void conv2d_into(const ConvPlan& plan, const float* input, const float* weight, const float* bias,
                 float* out) {
    conv2d_run(plan, input, weight, bias, out);
}

void pool2d_into(const PoolPlan& plan, const float* input, float* out) {
    pool2d_run(plan, input, out);
}

bool fits_scratch(const ConvPlan& plan) {
    return conv2d_fits(plan);
}

bool fits_scratch(const PoolPlan& plan) {
    return pool2d_fits(plan);
}

std::string_view conv2d_method(const ConvPlan& plan) {
    if (uses_conv_a(plan)) return "conv_a";
    if (uses_conv_c(plan)) return "conv_c";
    return uses_winograd(plan) ? "winograd" : "conv_b";
}

}  // namespace simd

// [SECTION] The Backend

namespace {

class SimdBackend final : public PlannedBackend {
public:
    std::string_view name() const override { return "simd"; }
    bool concurrent() const override { return true; }
    Status available() override { return {}; }

protected:
    Result<Tensor> run_conv2d(const ConvPlan& plan, const Tensor& input, const Tensor& weight,
                              const Tensor* bias, const Conv2dParams& params) override {
        if (!simd::fits_scratch(plan)) return reference_backend().conv2d(input, weight, bias, params);
        // NaN, not zero: an element the kernels forgot would show (the tests look for it).
        auto out = Tensor::try_filled(plan.output_shape(), std::numeric_limits<float>::quiet_NaN());
        if (!out) return out.err();
        simd::conv2d_into(plan, input.data.data(), weight.data.data(), bias ? bias->data.data() : nullptr,
                          out->data.data());
        return std::move(*out);
    }

    Result<Tensor> run_pool2d(const PoolPlan& plan, const Tensor& input,
                              const Pool2dParams& params) override {
        if (!simd::fits_scratch(plan)) return reference_backend().pool2d(input, params);
        auto out = Tensor::try_filled(plan.output_shape(), std::numeric_limits<float>::quiet_NaN());
        if (!out) return out.err();
        simd::pool2d_into(plan, input.data.data(), out->data.data());
        return std::move(*out);
    }

    Result<Tensor> run_conv_transpose2d(const ConvTransposePlan& plan, const Tensor& input,
                                        const Tensor& weight, const Tensor* bias,
                                        const ConvTranspose2dParams&) override {
        auto out = Tensor::try_filled(plan.output_shape(), std::numeric_limits<float>::quiet_NaN());
        if (!out) return out.err();
        simd::conv_transpose2d_into(plan, input.data.data(), weight.data.data(),
                                    bias ? bias->data.data() : nullptr, out->data.data(),
                                    simd::g_max_threads.load());
        return std::move(*out);
    }
};

}  // namespace

// The simd backend, registered by core/engine/backend.cpp; available on every CPU (scalar kernels at worst).
Backend& simd_backend() {
    static SimdBackend backend;
    return backend;
}

}  // namespace convscope
