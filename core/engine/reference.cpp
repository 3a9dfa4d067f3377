// [SECTION] The reference backend (untraced loops over reference.hpp's element functions)
// [SECTION] Traces (the same element functions with a recording tracer)
#include "core/engine/reference.hpp"

#include <algorithm>

#include "core/engine/backend.hpp"
#include "core/support/limits.hpp"
#include "core/engine/trace.hpp"
#include "core/engine/transpose.hpp"

namespace convscope {
namespace {

// [SECTION] The reference backend

struct NullPoolTracer {
    void term(int64_t, int64_t, int64_t, int64_t, bool, int64_t, int64_t, float, bool, float) {}
    void divisor(float) {}
};

class ReferenceBackend final : public Backend {
public:
    std::string_view name() const override { return "reference"; }
    Status available() override { return {}; }

    Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                          const Conv2dParams& params) override {
        if (params.flip) return conv2d_flipped(*this, input, weight, bias, params);
        auto plan = plan_conv2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, params);
        if (!plan) return plan.err();
        const ConvPlan& P = *plan;
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

    Result<Tensor> pool2d(const Tensor& input, const Pool2dParams& params) override {
        auto plan = plan_pool2d(input.shape, params);
        if (!plan) return plan.err();
        const PoolPlan& P = *plan;
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
    Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                    const ConvTranspose2dParams& params) override {
        auto plan = plan_conv_transpose2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, params);
        if (!plan) return plan.err();
        const ConvTransposePlan& P = *plan;
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
    auto plan = plan_conv2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, p);
    if (!plan) return plan.err();
    const ConvPlan& P = *plan;
    for (auto s :
         {check_index(word<ErrCode::w_batch>(), n, P.n),
          check_index(word<ErrCode::w_output_channel>(), o, P.o),
          check_index(word<ErrCode::w_row>(), oy, P.oh), check_index(word<ErrCode::w_column>(), ox, P.ow)})
        if (!s) return s.err();
    Trace t;
    t.kind = Op::Conv;
    t.n = n, t.o = o, t.oy = oy, t.ox = ox;
    t.has_bias = bias != nullptr;
    t.bias = bias ? bias->data[size_t(o)] : 0.0f;
    ConvRecorder rec{t};
    t.result = ref::conv2d_element(P, input.data.data(), weight.data.data(),
                                   bias ? bias->data.data() : nullptr, n, o, oy, ox, rec);
    return t;
}

Result<Trace> trace_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                     const ConvTranspose2dParams& p, int64_t n, int64_t o, int64_t oy,
                                     int64_t ox) {
    auto plan = plan_conv_transpose2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, p);
    if (!plan) return plan.err();
    const ConvTransposePlan& P = *plan;
    for (auto s : {check_index(word<ErrCode::w_batch>(), n, P.n), check_index(word<ErrCode::w_output_channel>(), o, P.o),
                   check_index(word<ErrCode::w_row>(), oy, P.oh), check_index(word<ErrCode::w_column>(), ox, P.ow)})
        if (!s) return s.err();
    Trace t;
    t.kind = Op::ConvTranspose;
    t.n = n, t.o = o, t.oy = oy, t.ox = ox;
    t.has_bias = bias != nullptr;
    t.bias = bias ? bias->data[size_t(o)] : 0.0f;
    ConvRecorder rec{t};
    t.result = ref::conv_transpose2d_element(P, input.data.data(), weight.data.data(),
                                             bias ? bias->data.data() : nullptr, n, o, oy, ox, rec);
    return t;
}

Result<Trace> trace_pool2d(const Tensor& input, const Pool2dParams& p, int64_t n, int64_t c, int64_t oy,
                           int64_t ox) {
    auto plan = plan_pool2d(input.shape, p);
    if (!plan) return plan.err();
    const PoolPlan& P = *plan;
    for (auto s :
         {check_index(word<ErrCode::w_batch>(), n, P.n), check_index(word<ErrCode::w_channel>(), c, P.c),
          check_index(word<ErrCode::w_row>(), oy, P.oh), check_index(word<ErrCode::w_column>(), ox, P.ow)})
        if (!s) return s.err();
    Trace t;
    t.kind = P.op == Op::MaxPool ? Op::MaxPool : Op::AvgPool;
    t.n = n, t.o = c, t.oy = oy, t.ox = ox;
    t.channels = {c};
    PoolRecorder rec{t};
    const float* plane = input.data.data() + (n * P.c + c) * P.h * P.w;
    t.result = P.op == Op::MaxPool ? ref::max_pool_element(P, plane, oy, ox, rec)
                                   : ref::avg_pool_element(P, plane, oy, ox, rec);
    return t;
}

}  // namespace convscope
