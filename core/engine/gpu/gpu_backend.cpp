// [SECTION] GPU resources (limits, buffers that skip unchanged uploads, dispatch helpers)
// [SECTION] The backend's state on the GL thread
// [SECTION] conv2d
// [SECTION] pool2d
// [SECTION] conv_transpose2d
// [SECTION] GpuBackend (marshalling to the GL thread)
#include "core/engine/gpu/gpu_backend.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

#include "core/engine/geometry.hpp"
#include "core/engine/gpu/gl_context.hpp"
#include "core/engine/gpu/gl_thread.hpp"
#include "core/engine/gpu/shader_program.hpp"

namespace convscope::gpu {
namespace {

// [SECTION] GPU resources

// The work group shape of shaders/conv2d.comp and shaders/pool2d.comp (WG_X, WG_Y, ITEMS_Y there).
constexpr int64_t kWgX = 16, kWgY = 8, kItemsY = 4;
constexpr int64_t kRowsPerGroup = kWgY * kItemsY;
// Output channels one conv2d work item computes at most (they share every input read).
constexpr int64_t kMaxOcPerItem = 4;
// Above this many elements, buffers keep no host copy to compare against and always upload.
constexpr size_t kMaxShadowElements = size_t(1) << 26;

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string mib(int64_t bytes) {
    return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

// What this GL implementation allows, queried once per context.
struct Limits {
    int64_t max_storage_block = 0;   // bytes one bound storage-buffer range may span
    int64_t storage_alignment = 16;  // offset alignment of bound ranges, bytes
    int64_t tile_floats = 0;         // floats of shared memory a work group may use
    int64_t max_groups[3] = {65535, 65535, 65535};
    bool software = false;  // a CPU rasterizer (llvmpipe, softpipe, SwiftShader)
};

Limits query_limits() {
    Limits l;
    GLint64 block = 0;
    glGetInteger64v(GL_MAX_SHADER_STORAGE_BLOCK_SIZE, &block);
    l.max_storage_block = std::min<int64_t>(block, INT_MAX);  // the shaders index with 32-bit ints
    GLint v = 0;
    glGetIntegerv(GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT, &v);
    l.storage_alignment = std::max(v, 4);
    glGetIntegerv(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE, &v);
    l.tile_floats = std::min<int64_t>(v / 4, 8192);
    for (GLuint i = 0; i < 3; ++i) {
        glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_COUNT, i, &v);
        l.max_groups[i] = std::max(v, 1);
    }
    const GLubyte* r = glGetString(GL_RENDERER);
    const std::string renderer = r ? reinterpret_cast<const char*>(r) : "";
    for (const char* cpu : {"llvmpipe", "softpipe", "SwiftShader", "Software Rasterizer"})
        if (renderer.find(cpu) != std::string::npos) l.software = true;
    return l;
}

// Mesa's software renderers (llvmpipe) end any shader loop after 65,535 iterations, counted over the nested
// loops of one invocation, and leave the sum short without a word (measured: a 256×256 all-ones kernel summed
// to 65,027). There a pass therefore sums at most this many taps per output element: conv2d splits its input
// channels into passes that add up; a single channel (or pooling window) over the budget is refused.
constexpr int64_t kSoftwareTapBudget = 32768;

Status check_software_taps(const Limits& L, int64_t kh, int64_t kw) {
    if (!L.software || kh * kw <= kSoftwareTapBudget) return {};
    return fail<ErrCode::gpu_software_taps>(kh, kw, kh * kw, kSoftwareTapBudget);
}

// `what` names the step: an operation's name (conv2d) or a word of the catalogue.
Status gl_status(ErrorArg what) {
    GLenum first = glGetError();
    if (first == GL_NO_ERROR) return {};
    while (glGetError() != GL_NO_ERROR) {
    }
    if (first == GL_OUT_OF_MEMORY) return fail<ErrCode::gpu_out_of_memory>(std::move(what));
    char code[16];
    std::snprintf(code, sizeof code, "0x%04X", first);
    return fail<ErrCode::gpu_gl_error>(std::move(what), code);
}

// A storage buffer that grows as needed and remembers what it holds, so unchanged data is not uploaded again.
class Buffer {
public:
    Buffer() = default;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    // The GL context must be current.
    ~Buffer() {
        if (m_id) glDeleteBuffers(1, &m_id);
    }

    GLuint id() const { return m_id; }

    // Makes room for `bytes`; growing discards the contents.
    Status reserve(int64_t bytes) {
        bytes = std::max<int64_t>(bytes, 16);
        if (m_id && bytes <= m_capacity) return {};
        if (!m_id) glGenBuffers(1, &m_id);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        glBufferData(GL_SHADER_STORAGE_BUFFER, GLsizeiptr(bytes), nullptr, GL_DYNAMIC_DRAW);
        m_shadow.clear();
        m_holds_shadow = false;
        if (auto s = gl_status(to_error_arg(word<ErrCode::w_allocating_buffer>())); !s) {
            m_capacity = 0;
            return fail<ErrCode::gpu_alloc_failed>(mib(bytes), s.err());
        }
        m_capacity = bytes;
        return {};
    }

    // Uploads `count` floats unless the buffer already holds exactly them; true when it uploaded.
    Result<bool> upload(const float* data, size_t count) {
        if (m_holds_shadow && m_shadow.size() == count && std::memcmp(m_shadow.data(), data, count * 4) == 0)
            return false;
        if (auto s = reserve(int64_t(count) * 4); !s) return s.err();
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, GLsizeiptr(count * 4), data);
        m_holds_shadow = count <= kMaxShadowElements;
        if (m_holds_shadow)
            m_shadow.assign(data, data + count);
        else
            m_shadow.clear();
        return true;
    }

private:
    GLuint m_id = 0;
    int64_t m_capacity = 0;
    std::vector<float> m_shadow;  // what the buffer holds, when known
    bool m_holds_shadow = false;
};

// Binds elements [first, first + count) of `buffer` to `binding`, starting at an aligned offset; returns the
// element where the bound range starts, which the shader subtracts from its indices.
int64_t bind_range(GLuint binding, GLuint buffer, int64_t first, int64_t count, const Limits& l) {
    const int64_t start = first * 4 / l.storage_alignment * l.storage_alignment;
    const int64_t end = std::max(first + count, int64_t(1)) * 4;
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, binding, buffer, GLintptr(start), GLsizeiptr(end - start));
    return start / 4;
}

// Dispatches a gx × gy × gz grid, split where it exceeds the implementation's work group counts (the shader
// adds u_group_offset).
int dispatch_grid(GLuint program, int64_t gx, int64_t gy, int64_t gz, const Limits& l) {
    const GLint offset = glGetUniformLocation(program, "u_group_offset");
    int dispatches = 0;
    for (int64_t z = 0; z < gz; z += l.max_groups[2])
        for (int64_t y = 0; y < gy; y += l.max_groups[1])
            for (int64_t x = 0; x < gx; x += l.max_groups[0]) {
                glProgramUniform3i(program, offset, GLint(x), GLint(y), GLint(z));
                glDispatchCompute(GLuint(std::min(gx - x, l.max_groups[0])),
                                  GLuint(std::min(gy - y, l.max_groups[1])),
                                  GLuint(std::min(gz - z, l.max_groups[2])));
                ++dispatches;
            }
    return dispatches;
}

void set4(GLuint program, const char* name, int64_t a, int64_t b, int64_t c, int64_t d) {
    glProgramUniform4i(program, glGetUniformLocation(program, name), GLint(a), GLint(b), GLint(c), GLint(d));
}

// The shaders index with 32-bit ints; the farthest coordinate a work group may compute must fit.
Status check_int32(int64_t out, int64_t stride, int64_t kernel, int64_t dilation, int64_t pad, int64_t in) {
    const int64_t farthest =
        (ceil_div(out, kRowsPerGroup) * kRowsPerGroup + kWgX) * stride + (kernel - 1) * dilation + pad + in;
    if (farthest > INT_MAX / 2) return fail<ErrCode::gpu_indices_32bit>();
    return {};
}

// A stride only matters where there is a second output; a dilation only where the kernel has a second tap.
// Neutralizing them keeps the shaders' arithmetic small for absurd but valid values.
int64_t effective_stride(int64_t out, int64_t stride) {
    return out > 1 ? stride : 1;
}
int64_t effective_dilation(int64_t kernel, int64_t dilation) {
    return kernel > 1 ? dilation : 1;
}

// Elements one bound range may span, leaving room for the alignment of its start.
int64_t range_elements(const Limits& l) {
    return (l.max_storage_block - l.storage_alignment) / 4;
}

// [SECTION] The backend's state on the GL thread

struct GlState {
    explicit GlState(const std::string& shader_dir) : programs(shader_dir) {}
    ProgramCache programs;
    Buffer input, weight, bias, output;
    Limits limits;
};

// Uploads what changed of a weighted problem (input, weight, bias; without a bias a 16-byte buffer is still
// bound, never read) and reserves `out_numel` floats of output; records the upload in `t`. True when anything
// was uploaded (so a previous output cannot be reused).
Result<bool> upload_problem(GlState& S, const Tensor& input, const Tensor& weight, const Tensor* bias,
                            int64_t out_numel, Timings& t) {
    const auto t_upload = Clock::now();
    auto up_in = S.input.upload(input.data.data(), input.data.size());
    if (!up_in) return up_in.err();
    auto up_w = S.weight.upload(weight.data.data(), weight.data.size());
    if (!up_w) return up_w.err();
    bool up_b = false;
    if (bias) {
        auto r = S.bias.upload(bias->data.data(), bias->data.size());
        if (!r) return r.err();
        up_b = *r;
    } else if (auto s = S.bias.reserve(16); !s) {
        return s.err();
    }
    if (auto s = S.output.reserve(out_numel * 4); !s) return s.err();
    const bool uploaded = *up_in || *up_w || up_b;
    if (uploaded) glFinish();  // so that the upload is timed apart from the dispatch
    t.upload_ms = ms_since(t_upload);
    t.uploaded_input = *up_in;
    t.uploaded_weight = *up_w;
    return uploaded;
}

}  // namespace

struct GpuBackend::Impl {
    Options options;
    std::mutex thread_mutex;
    std::unique_ptr<GlThread> thread;  // started on first use

    // Touched only on the GL thread:
    std::optional<ExternalContext> fallback;
    std::unique_ptr<GlContext> context;
    std::unique_ptr<GlState> state;  // destroyed before the context
    std::optional<Status> probe;     // the last attempt to make a context
    Timings timings;
    // The last output and what it was computed from (op and plan); empty when it cannot be reused.
    std::vector<int64_t> last_key;
    Tensor last_output;

    GlThread& gl() {
        std::lock_guard lock(thread_mutex);
        if (!thread) thread = std::make_unique<GlThread>();
        return *thread;
    }

    // On the GL thread: a current context and its state, or why not.
    Status ensure_context() {
        if (probe) return *probe;
        auto ctx = GlContext::create(options.use_egl, fallback ? &*fallback : nullptr);
        if (!ctx) {
            probe = Status(ctx.err());
            return *probe;
        }
        context = std::move(*ctx);
        state = std::make_unique<GlState>(options.shader_dir);
        state->limits = query_limits();
        if (options.storage_limit_bytes > 0)
            state->limits.max_storage_block =
                std::min(state->limits.max_storage_block, options.storage_limit_bytes);
        probe = Status();
        return *probe;
    }

    void shutdown() {
        state.reset();
        context.reset();
    }

    // Whether a work group's tile goes through shared memory (see Tiling).
    bool use_tiles(int64_t tile_h, int64_t tile_w, const Limits& l) const {
        if (tile_h * tile_w > l.tile_floats || options.tiling == Tiling::Never) return false;
        return options.tiling == Tiling::Always || !l.software;
    }

    Result<Tensor> conv2d(const ConvPlan& P, const Tensor& input, const Tensor& weight, const Tensor* bias);
    Result<Tensor> pool2d(const PoolPlan& P, const Tensor& input);
    Result<Tensor> conv_transpose2d(const ConvTransposePlan& P, const Tensor& input, const Tensor& weight,
                                    const Tensor* bias);
    Result<Tensor> read_back(const Shape& shape, std::vector<int64_t> key, Timings& t);

    // The previous output again when `key` matches it and no data changed (nothing was uploaded). Otherwise
    // forgets it: this call is about to overwrite the output buffer.
    std::optional<Tensor> reuse(const std::vector<int64_t>& key, bool uploaded, Timings& t) {
        if (options.reuse_output && !uploaded && !last_key.empty() && key == last_key) {
            const auto t_copy = Clock::now();
            Tensor out = last_output;
            t.readback_ms = ms_since(t_copy);
            t.reused_output = true;
            timings = t;
            return out;
        }
        last_key.clear();
        last_output = Tensor();
        return std::nullopt;
    }
};

// [SECTION] conv2d

Result<Tensor> GpuBackend::Impl::conv2d(const ConvPlan& P, const Tensor& input, const Tensor& weight,
                                        const Tensor* bias) {
    GlState& S = *state;
    const Limits& L = S.limits;
    Timings t;
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    const int64_t sh = effective_stride(P.oh, P.sh), sw = effective_stride(P.ow, P.sw);
    const int64_t dh = effective_dilation(P.kh, P.dh), dw = effective_dilation(P.kw, P.dw);
    if (auto s = check_int32(P.oh, sh, P.kh, dh, P.pad_top, P.h); !s) return s.err();
    if (auto s = check_int32(P.ow, sw, P.kw, dw, P.pad_left, P.w); !s) return s.err();
    if (auto s = check_software_taps(L, P.kh, P.kw); !s) return s.err();
    // Input channels one pass may sum (all of a group's, except on a software renderer; see above).
    const int64_t ci_budget = L.software ? std::max<int64_t>(1, kSoftwareTapBudget / (P.kh * P.kw)) : cpg;
    if (weight.numel() * 4 > L.max_storage_block)
        return fail<ErrCode::gpu_weight_over_block>(mib(weight.numel() * 4), mib(L.max_storage_block));

    // The input tile a work group reads; staged in shared memory when it fits.
    const int64_t tile_h = (kRowsPerGroup - 1) * sh + (P.kh - 1) * dh + 1;
    const int64_t tile_w = (kWgX - 1) * sw + (P.kw - 1) * dw + 1;
    const bool tiled = use_tiles(tile_h, tile_w, L);
    const int64_t oc = std::min(kMaxOcPerItem, opg);
    auto program = S.programs.get(
        "conv2d.comp", {{"TILED", tiled ? 1 : 0}, {"OC_PER_ITEM", oc}, {"TILE_CAP", L.tile_floats}});
    if (!program) return program.err();
    const GLuint prog = *program;

    // Upload what changed.
    const int64_t out_numel = P.n * P.o * P.oh * P.ow;
    auto uploaded = upload_problem(S, input, weight, bias, out_numel, t);
    if (!uploaded) return uploaded.err();
    std::vector<int64_t> key = {
        0,          P.n,        P.c,  P.h,  P.w,       P.o,          P.kh,       P.kw,        P.groups,
        P.sh,       P.sw,       P.dh, P.dw, P.pad_top, P.pad_bottom, P.pad_left, P.pad_right, int64_t(P.mode),
        P.has_bias, P.unbatched};
    if (auto out = reuse(key, *uploaded, t)) return std::move(*out);

    const auto t_dispatch = Clock::now();
    glUseProgram(prog);
    set4(prog, "u_in", P.n, P.c, P.h, P.w);
    set4(prog, "u_out", P.o, P.oh, P.ow, P.groups);
    set4(prog, "u_kernel", P.kh, P.kw, dh, dw);
    set4(prog, "u_geom", sh, sw, P.pad_top, P.pad_left);
    set4(prog, "u_tile", tile_h, tile_w, int(P.mode), P.has_bias ? 1 : 0);
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, 1, S.weight.id(), 0,
                      std::max<int64_t>(weight.numel(), 1) * 4);
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, 2, S.bias.id(), 0, bias ? bias->numel() * 4 : 16);
    const int64_t gx = ceil_div(P.ow, kWgX), gy = ceil_div(P.oh, kRowsPerGroup);
    const int64_t plane_in = P.h * P.w, plane_out = P.oh * P.ow;

    // One pass: images [n0, n0 + n_count) × groups [g0, g0 + g_count), input channels [ci0, ci0 + ci_count)
    // and output channels [o0, o_end) of each group.
    auto pass = [&](int64_t n0, int64_t n_count, int64_t g0, int64_t g_count, int64_t ci0, int64_t ci_count,
                    int64_t o0, int64_t o_end, bool accumulate, bool add_bias) {
        const int64_t in_first = (n0 * P.c + g0 * cpg + ci0) * plane_in;
        const int64_t in_last =
            ((n0 + n_count - 1) * P.c + (g0 + g_count - 1) * cpg + ci0 + ci_count) * plane_in;
        const int64_t out_first = (n0 * P.o + g0 * opg + o0) * plane_out;
        const int64_t out_last = ((n0 + n_count - 1) * P.o + (g0 + g_count - 1) * opg + o_end) * plane_out;
        const int64_t in_shift = bind_range(0, S.input.id(), in_first, in_last - in_first, L);
        const int64_t out_shift = bind_range(3, S.output.id(), out_first, out_last - out_first, L);
        const int64_t o_blocks = ceil_div(o_end - o0, oc);
        set4(prog, "u_range", n0, g0, g_count, o_blocks);
        set4(prog, "u_channels", ci0, ci_count, o0, o_end);
        set4(prog, "u_shift", in_shift, out_shift, accumulate ? 1 : 0, add_bias ? 1 : 0);
        t.dispatches += dispatch_grid(prog, gx, gy, n_count * g_count * o_blocks, L);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);  // a later pass may add to these outputs
    };

    const int64_t range = range_elements(L);
    if (input.numel() <= range && out_numel <= range && cpg <= ci_budget) {
        pass(0, P.n, 0, P.groups, 0, cpg, 0, opg, false, true);
    } else {
        // Larger than one bound range: one image and group at a time, input and output channels in chunks; a
        // later input chunk adds to the outputs of the earlier ones.
        const int64_t ci_chunk = range / plane_in, o_chunk_raw = range / plane_out;
        if (ci_chunk < 1 || o_chunk_raw < 1)
            return fail<ErrCode::gpu_plane_over_block>(ci_chunk < 1 ? P.h : P.oh, ci_chunk < 1 ? P.w : P.ow,
                                                       mib(L.max_storage_block));
        const int64_t o_chunk = o_chunk_raw >= oc ? o_chunk_raw / oc * oc : o_chunk_raw;
        const int64_t ci_step = std::min(ci_chunk, ci_budget);
        for (int64_t n = 0; n < P.n; ++n)
            for (int64_t g = 0; g < P.groups; ++g)
                for (int64_t o0 = 0; o0 < opg; o0 += o_chunk)
                    for (int64_t ci0 = 0; ci0 < cpg; ci0 += ci_step) {
                        const int64_t count = std::min(ci_step, cpg - ci0);
                        pass(n, 1, g, 1, ci0, count, o0, std::min(o0 + o_chunk, opg), ci0 > 0,
                             ci0 + count == cpg);
                    }
    }
    glFinish();
    t.dispatch_ms = ms_since(t_dispatch);
    t.tiled = tiled;
    if (auto s = gl_status("conv2d"); !s) return s.err();
    return read_back(P.output_shape(), std::move(key), t);
}

Result<Tensor> GpuBackend::Impl::read_back(const Shape& shape, std::vector<int64_t> key, Timings& t) {
    const auto t_read = Clock::now();
    auto out = Tensor::try_filled(shape);
    if (!out) return out;
    glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
    glBindBuffer(GL_SHADER_STORAGE_BUFFER, state->output.id());
    glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, GLsizeiptr(out->data.size() * 4), out->data.data());
    if (auto s = gl_status(to_error_arg(word<ErrCode::w_reading_output>())); !s) return s.err();
    t.readback_ms = ms_since(t_read);
    timings = t;
    if (options.reuse_output && out->data.size() <= kMaxShadowElements) {
        last_key = std::move(key);
        last_output = *out;
    }
    return out;
}

// [SECTION] pool2d

Result<Tensor> GpuBackend::Impl::pool2d(const PoolPlan& P, const Tensor& input) {
    GlState& S = *state;
    const Limits& L = S.limits;
    Timings t;
    const int64_t sh = effective_stride(P.oh, P.sh), sw = effective_stride(P.ow, P.sw);
    const int64_t dh = effective_dilation(P.kh, P.dh), dw = effective_dilation(P.kw, P.dw);
    if (auto s = check_int32(P.oh, sh, P.kh, dh, P.ph, P.h); !s) return s.err();
    if (auto s = check_int32(P.ow, sw, P.kw, dw, P.pw, P.w); !s) return s.err();
    if (auto s = check_software_taps(L, P.kh, P.kw); !s) return s.err();
    const int64_t tile_h = (kRowsPerGroup - 1) * sh + (P.kh - 1) * dh + 1;
    const int64_t tile_w = (kWgX - 1) * sw + (P.kw - 1) * dw + 1;
    const bool tiled = use_tiles(tile_h, tile_w, L);
    auto program = S.programs.get(
        "pool2d.comp",
        {{"TILED", tiled ? 1 : 0}, {"IS_MAX", P.op == Op::MaxPool}, {"TILE_CAP", L.tile_floats}});
    if (!program) return program.err();
    const GLuint prog = *program;

    const auto t_upload = Clock::now();
    auto up_in = S.input.upload(input.data.data(), input.data.size());
    if (!up_in) return up_in.err();
    const int64_t planes = P.n * P.c, plane_in = P.h * P.w, plane_out = P.oh * P.ow;
    if (auto s = S.output.reserve(planes * plane_out * 4); !s) return s.err();
    if (*up_in) glFinish();
    t.upload_ms = ms_since(t_upload);
    t.uploaded_input = *up_in;
    std::vector<int64_t> key = {
        1,    P.n,  P.c,  P.h,  P.w,         int64_t(P.op),       P.kh,       P.kw, P.sh, P.sw,
        P.ph, P.pw, P.dh, P.dw, P.ceil_mode, P.count_include_pad, P.unbatched};
    if (auto out = reuse(key, *up_in, t)) return std::move(*out);

    const auto t_dispatch = Clock::now();
    glUseProgram(prog);
    set4(prog, "u_size", P.h, P.w, P.oh, P.ow);
    set4(prog, "u_kernel", P.kh, P.kw, dh, dw);
    set4(prog, "u_geom", sh, sw, P.ph, P.pw);
    const GLint tile_loc = glGetUniformLocation(prog, "u_tile"),
                shift_loc = glGetUniformLocation(prog, "u_shift");
    const int64_t range = range_elements(L);
    const int64_t chunk = std::min(range / plane_in, range / plane_out);
    if (chunk < 1) return fail<ErrCode::gpu_plane_over_block>(P.h, P.w, mib(L.max_storage_block));
    for (int64_t p0 = 0; p0 < planes; p0 += chunk) {
        const int64_t count = std::min(chunk, planes - p0);
        const int64_t in_shift = bind_range(0, S.input.id(), p0 * plane_in, count * plane_in, L);
        const int64_t out_shift = bind_range(3, S.output.id(), p0 * plane_out, count * plane_out, L);
        glProgramUniform4i(prog, tile_loc, GLint(tile_h), GLint(tile_w), P.count_include_pad ? 1 : 0,
                           GLint(p0));
        glProgramUniform2i(prog, shift_loc, GLint(in_shift), GLint(out_shift));
        t.dispatches += dispatch_grid(prog, ceil_div(P.ow, kWgX), ceil_div(P.oh, kRowsPerGroup), count, L);
    }
    glFinish();
    t.dispatch_ms = ms_since(t_dispatch);
    t.tiled = tiled;
    if (auto s = gl_status("pool2d"); !s) return s.err();
    return read_back(P.output_shape(), std::move(key), t);
}

// [SECTION] conv_transpose2d

Result<Tensor> GpuBackend::Impl::conv_transpose2d(const ConvTransposePlan& P, const Tensor& input,
                                                  const Tensor& weight, const Tensor* bias) {
    GlState& S = *state;
    const Limits& L = S.limits;
    Timings t;
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group();
    // A stride only matters where the input has a second cell, a dilation where the kernel has a second tap.
    const int64_t sh = P.h > 1 ? P.sh : 1, sw = P.w > 1 ? P.sw : 1;
    const int64_t dh = effective_dilation(P.kh, P.dh), dw = effective_dilation(P.kw, P.dw);
    // The shader's index arithmetic (oy + ph − ky·dh, iy·sh) in 32-bit ints.
    for (int64_t v : {P.oh + P.ph, P.ow + P.pw, (P.kh - 1) * dh, (P.kw - 1) * dw, P.h * sh, P.w * sw})
        if (v > INT_MAX / 2) return fail<ErrCode::gpu_indices_32bit>();
    if (auto s = check_software_taps(L, P.kh, P.kw); !s) return s.err();
    // A channel costs the shader kh row iterations plus kw column iterations per row that lands: at most
    // kh·(kw + 1) of llvmpipe's loop budget.
    const int64_t ci_budget =
        L.software ? std::max<int64_t>(1, kSoftwareTapBudget / (P.kh * (P.kw + 1))) : cpg;
    if (weight.numel() * 4 > L.max_storage_block)
        return fail<ErrCode::gpu_weight_over_block>(mib(weight.numel() * 4), mib(L.max_storage_block));
    auto program = S.programs.get("conv_transpose2d.comp", {});
    if (!program) return program.err();
    const GLuint prog = *program;

    // Upload what changed.
    const int64_t out_numel = P.n * P.o * P.oh * P.ow;
    auto uploaded = upload_problem(S, input, weight, bias, out_numel, t);
    if (!uploaded) return uploaded.err();
    std::vector<int64_t> key = {2,    P.n,  P.c,  P.h,   P.w,   P.o,  P.kh, P.kw,       P.groups,   P.sh,
                                P.sw, P.ph, P.pw, P.oph, P.opw, P.dh, P.dw, P.has_bias, P.unbatched};
    if (auto out = reuse(key, *uploaded, t)) return std::move(*out);

    const auto t_dispatch = Clock::now();
    glUseProgram(prog);
    set4(prog, "u_out", P.o, P.oh, P.ow, P.groups);
    set4(prog, "u_kernel", P.kh, P.kw, dh, dw);
    set4(prog, "u_geom", sh, sw, P.ph, P.pw);
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, 1, S.weight.id(), 0,
                      std::max<int64_t>(weight.numel(), 1) * 4);
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, 2, S.bias.id(), 0, bias ? bias->numel() * 4 : 16);
    const int64_t gx = ceil_div(P.ow, kWgX), gy = ceil_div(P.oh, kWgY);
    const int64_t plane_in = P.h * P.w, plane_out = P.oh * P.ow;

    // One pass per chunk of input channels: images [n0, n0 + n_count), output channels [o0, o0 + o_count).
    auto passes = [&](int64_t n0, int64_t n_count, int64_t o0, int64_t o_count, int64_t in_first,
                      int64_t in_count, int64_t out_first, int64_t out_count) {
        const int64_t in_shift = bind_range(0, S.input.id(), in_first, in_count, L);
        const int64_t out_shift = bind_range(3, S.output.id(), out_first, out_count, L);
        set4(prog, "u_in", n_count, P.c, P.h, P.w);
        set4(prog, "u_shift", in_shift, out_shift, n0, o0);
        set4(prog, "u_count", o_count, 0, 0, 0);
        for (int64_t ci0 = 0; ci0 < cpg; ci0 += ci_budget) {
            const int64_t count = std::min(ci_budget, cpg - ci0);
            set4(prog, "u_channels", ci0, count, ci0 > 0 ? 1 : 0, ci0 + count == cpg && bias ? 1 : 0);
            t.dispatches += dispatch_grid(prog, gx, gy, n_count * o_count, L);
            glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);  // the next pass adds to these outputs
        }
    };
    const int64_t range = range_elements(L);
    if (input.numel() <= range && out_numel <= range) {
        passes(0, P.n, 0, P.o, 0, input.numel(), 0, out_numel);
    } else {
        // One image and group at a time: its input channels and output channels each in one bound range.
        if (cpg * plane_in > range || opg * plane_out > range)
            return fail<ErrCode::gpu_group_over_block>(
                cpg * plane_in > range ? word<ErrCode::w_input>() : word<ErrCode::w_output>(),
                mib(L.max_storage_block));
        for (int64_t n = 0; n < P.n; ++n)
            for (int64_t g = 0; g < P.groups; ++g)
                passes(n, 1, g * opg, opg, (n * P.c + g * cpg) * plane_in, cpg * plane_in,
                       (n * P.o + g * opg) * plane_out, opg * plane_out);
    }
    glFinish();
    t.dispatch_ms = ms_since(t_dispatch);
    if (auto s = gl_status("conv_transpose2d"); !s) return s.err();
    return read_back(P.output_shape(), std::move(key), t);
}

// [SECTION] GpuBackend

GpuBackend::GpuBackend(Options options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
}

GpuBackend::~GpuBackend() {
    if (m_impl->thread) m_impl->thread->run([this] { m_impl->shutdown(); });
    m_impl->thread.reset();
}

std::string_view GpuBackend::name() const {
    return "gpu";
}

Status GpuBackend::available() {
    if (m_impl->options.disabled) return *m_impl->options.disabled;
    return m_impl->gl().run([this] { return m_impl->ensure_context(); });
}

Result<Tensor> GpuBackend::run_conv2d(const ConvPlan& plan, const Tensor& input, const Tensor& weight,
                                      const Tensor* bias, const Conv2dParams&) {
    if (auto s = available(); !s) return fail<ErrCode::gpu_unavailable>(s.err());
    return m_impl->gl().run([&]() -> Result<Tensor> { return m_impl->conv2d(plan, input, weight, bias); });
}

Result<Tensor> GpuBackend::run_pool2d(const PoolPlan& plan, const Tensor& input, const Pool2dParams&) {
    if (auto s = available(); !s) return fail<ErrCode::gpu_unavailable>(s.err());
    return m_impl->gl().run([&]() -> Result<Tensor> { return m_impl->pool2d(plan, input); });
}

Result<Tensor> GpuBackend::run_conv_transpose2d(const ConvTransposePlan& plan, const Tensor& input,
                                                const Tensor& weight, const Tensor* bias,
                                                const ConvTranspose2dParams&) {
    if (auto s = available(); !s) return fail<ErrCode::gpu_unavailable>(s.err());
    return m_impl->gl().run(
        [&]() -> Result<Tensor> { return m_impl->conv_transpose2d(plan, input, weight, bias); });
}

void GpuBackend::set_fallback_context(ExternalContext context) {
    m_impl->gl().run([&] {
        m_impl->fallback = std::move(context);
        if (m_impl->probe && !*m_impl->probe) m_impl->probe.reset();  // try again with the fallback
    });
}

std::string GpuBackend::renderer() {
    if (!available()) return "";
    return m_impl->gl().run([this] { return m_impl->context->description(); });
}

Timings GpuBackend::last_timings() {
    return m_impl->gl().run([this] { return m_impl->timings; });
}

Status GpuBackend::check_shader(std::string_view file_name, std::string_view source) {
    if (auto s = available(); !s) return s;
    return m_impl->gl().run([&]() -> Status {
        auto program = compile_compute_program(file_name, source, {});
        if (!program) return program.err();
        glDeleteProgram(*program);
        return {};
    });
}

GpuBackend& default_backend() {
    // Never destroyed: its GL thread waits idle until the process ends, and tearing down a context while the
    // driver's own exit handlers run is a known way to crash at exit.
    static GpuBackend* backend = [] {
        Options options;
        if (const char* d = std::getenv("CONVSCOPE_GPU_DISABLE"); d && *d && std::strcmp(d, "0") != 0)
            options.disabled = fail<ErrCode::gpu_disabled_env>(d);
        if (const char* dir = std::getenv("CONVSCOPE_SHADER_DIR"); dir && *dir) options.shader_dir = dir;
        return new GpuBackend(std::move(options));
    }();
    return *backend;
}

void set_fallback_context(ExternalContext context) {
    default_backend().set_fallback_context(std::move(context));
}

}  // namespace convscope::gpu

namespace convscope {

// Registered in core/engine/backend.cpp.
Backend& gpu_backend() {
    return gpu::default_backend();
}

std::string gpu_renderer() {
    return gpu::default_backend().renderer();
}

}  // namespace convscope
