// [SECTION] The reference backend (untraced loops over reference.hpp's element functions)
// [SECTION] Traces (the same element functions with a recording tracer)
#include "core/engine/reference.hpp"

#include <algorithm>

#include "core/engine/backend.hpp"
#include "core/engine/planned_backend.hpp"
#include "core/engine/trace.hpp"
#include "core/engine/transpose.hpp"
#include "core/support/limits.hpp"

namespace convscope {
namespace {

// [SECTION] The reference backend

struct NullPoolTracer {
    void term(int64_t, int64_t, int64_t, int64_t, bool, int64_t, int64_t, float, bool, float) {}
    void divisor(float) {}
};

class ReferenceBackend final : public PlannedBackend {
public:
    std::string_view name() const override { return "reference"; }
    bool concurrent() const override { return true; }
    Status available() override { return {}; }

protected:
    Result<Tensor> run_conv2d(const ConvPlan& P, const Tensor& input, const Tensor& weight,
                              const Tensor* bias, const Conv2dParams&) override {
        Tensor out = Tensor::filled(P.output_shape());
        ref::NullTracer tracer;
        float* dst = out.data.data();
        for (int64_t n = 0; n < P.n; ++n)
            for (int64_t o = 0; o < P.o; ++o)
                for (int64_t oy = 0; oy < P.oh; ++oy)
                    for (int64_t ox = 0; ox < P.ow; ++ox)
                        *dst++ =
                            ref::conv2d_element(P, input.data.data(), weight.data.data(),
                                                bias ? bias->data.data() : nullptr, n, o, oy, ox, tracer);
        return out;
    }

    Result<Tensor> run_pool2d(const PoolPlan& P, const Tensor& input, const Pool2dParams&) override {
        Tensor out = Tensor::filled(P.output_shape());
        NullPoolTracer tracer;
        float* dst = out.data.data();
        for (int64_t nc = 0; nc < P.n * P.c; ++nc) {
            const float* plane = input.data.data() + nc * P.h * P.w;
            for (int64_t oy = 0; oy < P.oh; ++oy)
                for (int64_t ox = 0; ox < P.ow; ++ox)
                    *dst++ = P.op == Op::MaxPool ? ref::max_pool_element(P, plane, oy, ox, tracer)
                                                 : ref::avg_pool_element(P, plane, oy, ox, tracer);
        }
        return out;
    }

    // The textbook scatter loop: every input cell stamps value × kernel onto the output. Each input channel
    // stamps into its own plane, which is then added to the total (the per-channel sums a trace shows).
    Result<Tensor> run_conv_transpose2d(const ConvTransposePlan& P, const Tensor& input, const Tensor& weight,
                                        const Tensor* bias, const ConvTranspose2dParams&) override {
        auto out = Tensor::try_filled(P.output_shape());
        if (!out) return out.err();
        const int64_t cpg = P.c_per_group(), opg = P.o_per_group(), plane_size = P.oh * P.ow;
        std::vector<float> channel(static_cast<size_t>(plane_size));
        for (int64_t n = 0; n < P.n; ++n) {
            for (int64_t o = 0; o < P.o; ++o) {
                const int64_t group = o / opg, oo = o % opg;
                float* total = out->data.data() + (n * P.o + o) * plane_size;
                for (int64_t ci = 0; ci < cpg; ++ci) {
                    const int64_t c = group * cpg + ci;
                    const float* plane = input.data.data() + (n * P.c + c) * P.h * P.w;
                    const float* kernel = weight.data.data() + (c * opg + oo) * P.kh * P.kw;
                    std::fill(channel.begin(), channel.end(), 0.0f);
                    for (int64_t iy = 0; iy < P.h; ++iy)
                        for (int64_t ix = 0; ix < P.w; ++ix) {
                            const float x = plane[iy * P.w + ix];
                            for (int64_t ky = 0; ky < P.kh; ++ky) {
                                const int64_t oy = iy * P.sh - P.ph + ky * P.dh;
                                if (oy < 0 || oy >= P.oh) continue;
                                for (int64_t kx = 0; kx < P.kw; ++kx) {
                                    const int64_t ox = ix * P.sw - P.pw + kx * P.dw;
                                    if (ox < 0 || ox >= P.ow) continue;
                                    channel[size_t(oy * P.ow + ox)] += x * kernel[ky * P.kw + kx];
                                }
                            }
                        }
                    for (int64_t e = 0; e < plane_size; ++e) total[e] += channel[size_t(e)];
                }
                if (bias)
                    for (int64_t e = 0; e < plane_size; ++e) total[e] += bias->data[size_t(o)];
            }
        }
        return std::move(*out);
    }
};

// [SECTION] Traces

struct ConvRecorder {
    Trace& t;
    void term(int64_t c, int64_t ky, int64_t kx, int64_t iy, int64_t ix, bool pad, int64_t sy, int64_t sx,
              float x, float w, float acc) {
        if (int64_t(t.terms.size()) >= limits::kMaxTraceTerms) {
            t.truncated = true;
            return;
        }
        t.terms.push_back(TraceTerm{c, ky, kx, iy, ix, pad, sy, sx, x, w, acc});
    }
    void channel(int64_t c, float sum) {
        t.channels.push_back(c);
        t.channel_sums.push_back(sum);
    }
};

struct PoolRecorder {
    Trace& t;
    void term(int64_t ky, int64_t kx, int64_t iy, int64_t ix, bool pad, int64_t sy, int64_t sx, float x,
              bool chosen, float acc) {
        if (int64_t(t.terms.size()) >= limits::kMaxTraceTerms) {
            t.truncated = true;
            return;
        }
        if (chosen) t.argmax = int64_t(t.terms.size());
        t.terms.push_back(TraceTerm{t.o, ky, kx, iy, ix, pad, sy, sx, x, 1.0f, acc});
    }
    void divisor(float d) { t.divisor = d; }
};

Status check_index(Error what, int64_t v, int64_t n) {
    if (v < 0 || v >= n) return fail<ErrCode::index_outside>(std::move(what), v, n - 1);
    return {};
}

// Refuses an output element (n, o, oy, ox) outside an output of `count_n` × `count_o` × oh × ow; `o_word`
// names the second index (output channel for convolutions, channel for pools).
Status check_output_position(Error o_word, int64_t n, int64_t o, int64_t oy, int64_t ox, int64_t count_n,
                             int64_t count_o, int64_t oh, int64_t ow) {
    for (auto s :
         {check_index(word<ErrCode::w_batch>(), n, count_n), check_index(std::move(o_word), o, count_o),
          check_index(word<ErrCode::w_row>(), oy, oh), check_index(word<ErrCode::w_column>(), ox, ow)})
        if (!s) return s;
    return {};
}

// A trace of output element (n, o, oy, ox) before its terms: the kind, the position and channel o's bias.
Trace begin_trace(Op kind, int64_t n, int64_t o, int64_t oy, int64_t ox, const Tensor* bias) {
    Trace t;
    t.kind = kind;
    t.n = n, t.o = o, t.oy = oy, t.ox = ox;
    t.has_bias = bias != nullptr;
    t.bias = bias ? bias->data[size_t(o)] : 0.0f;
    return t;
}

// The trace of a convolution's (or transposed convolution's) output element (n, o, oy, ox): the plan's error,
// or the position checked, the header with channel o's bias, and `element(plan, recorder)`'s terms and
// result.
template <class Plan, class Element>
Result<Trace> trace_weighted(const Result<Plan>& plan, Op kind, int64_t n, int64_t o, int64_t oy, int64_t ox,
                             const Tensor* bias, Element&& element) {
    if (!plan) return plan.err();
    const Plan& P = *plan;
    if (auto s = check_output_position(word<ErrCode::w_output_channel>(), n, o, oy, ox, P.n, P.o, P.oh, P.ow);
        !s)
        return s.err();
    Trace t = begin_trace(kind, n, o, oy, ox, bias);
    ConvRecorder rec{t};
    t.result = element(P, rec);
    return t;
}

}  // namespace

Backend& reference_backend() {
    static ReferenceBackend backend;
    return backend;
}

Result<Trace> trace_conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                           const Conv2dParams& p, int64_t n, int64_t o, int64_t oy, int64_t ox) {
    if (p.flip && weight.rank() == 4) {
        // The trace of the rotated kernel: ky/kx and w name the rotated kernel, the one the stepper shows.
        Conv2dParams unflipped = p;
        unflipped.flip = false;
        return trace_conv2d(input, rotate_kernel_180(weight), bias, unflipped, n, o, oy, ox);
    }
    return trace_weighted(plan_conv2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, p), Op::Conv,
                          n, o, oy, ox, bias, [&](const ConvPlan& P, ConvRecorder& rec) {
                              return ref::conv2d_element(P, input.data.data(), weight.data.data(),
                                                         bias ? bias->data.data() : nullptr, n, o, oy, ox,
                                                         rec);
                          });
}

Result<Trace> trace_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                     const ConvTranspose2dParams& p, int64_t n, int64_t o, int64_t oy,
                                     int64_t ox) {
    return trace_weighted(
        plan_conv_transpose2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, p), Op::ConvTranspose,
        n, o, oy, ox, bias, [&](const ConvTransposePlan& P, ConvRecorder& rec) {
            return ref::conv_transpose2d_element(P, input.data.data(), weight.data.data(),
                                                 bias ? bias->data.data() : nullptr, n, o, oy, ox, rec);
        });
}

Result<Trace> trace_pool2d(const Tensor& input, const Pool2dParams& p, int64_t n, int64_t c, int64_t oy,
                           int64_t ox) {
    auto plan = plan_pool2d(input.shape, p);
    if (!plan) return plan.err();
    const PoolPlan& P = *plan;
    if (auto s = check_output_position(word<ErrCode::w_channel>(), n, c, oy, ox, P.n, P.c, P.oh, P.ow); !s)
        return s.err();
    Trace t = begin_trace(P.op == Op::MaxPool ? Op::MaxPool : Op::AvgPool, n, c, oy, ox, nullptr);
    t.channels = {c};
    PoolRecorder rec{t};
    const float* plane = input.data.data() + (n * P.c + c) * P.h * P.w;
    t.result = P.op == Op::MaxPool ? ref::max_pool_element(P, plane, oy, ox, rec)
                                   : ref::avg_pool_element(P, plane, oy, ox, rec);
    return t;
}

}  // namespace convscope
