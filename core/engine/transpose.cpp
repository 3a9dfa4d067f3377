#include "core/engine/transpose.hpp"

#include <algorithm>
#include <cassert>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"

namespace convscope {

Result<Tensor> unfold(const Tensor& input, Pair kernel, Pair stride, Pair padding, Pair dilation,
                      int64_t max_mult_adds) {
    if (kernel.h < 1 || kernel.w < 1)
        return fail<ErrCode::must_be_at_least_1>(word<ErrCode::w_kernel_size>(), to_string(kernel));
    if (input.rank() != 3 && input.rank() != 4)
        return fail<ErrCode::input_rank>(shape_to_string(input.shape));
    const int64_t c = input.shape[input.rank() == 4 ? 1 : 0];
    Conv2dParams cp;
    cp.stride = stride;
    cp.padding = Padding(padding);
    cp.dilation = dilation;
    cp.max_mult_adds = max_mult_adds;
    // The geometry of a one-output-channel conv2d: the same windows, and as many multiply-adds as elements.
    auto plan = plan_conv2d(input.shape, {1, c, kernel.h, kernel.w}, nullptr, cp);
    if (!plan) return plan.err();
    const ConvPlan& P = *plan;
    const int64_t rows = P.c * P.kh * P.kw, cols = P.oh * P.ow;
    auto out = Tensor::try_filled(P.unbatched ? Shape{rows, cols} : Shape{P.n, rows, cols});
    if (!out) return out.err();
    float* dst = out->data.data();
    for (int64_t n = 0; n < P.n; ++n)
        for (int64_t ch = 0; ch < P.c; ++ch) {
            const float* plane = input.data.data() + (n * P.c + ch) * P.h * P.w;
            for (int64_t ky = 0; ky < P.kh; ++ky)
                for (int64_t kx = 0; kx < P.kw; ++kx)
                    for (int64_t oy = 0; oy < P.oh; ++oy) {
                        const int64_t iy = oy * P.sh - P.pad_top + ky * P.dh;
                        for (int64_t ox = 0; ox < P.ow; ++ox) {
                            const int64_t ix = ox * P.sw - P.pad_left + kx * P.dw;
                            const bool inside = iy >= 0 && iy < P.h && ix >= 0 && ix < P.w;
                            *dst++ = inside ? plane[iy * P.w + ix] : 0.0f;
                        }
                    }
        }
    return std::move(*out);
}

Result<GatherForm> as_convolution(const Tensor& x, const Tensor& w, const ConvTranspose2dParams& p) {
    auto plan = plan_conv_transpose2d(x.shape, w.shape, nullptr, p);
    if (!plan) return plan.err();
    const ConvTransposePlan& P = *plan;
    GatherForm g;
    // Per axis: before = d(k − 1) − p, after = before + output_padding; the stuffed size (in − 1)·s + 1.
    g.pad_before = {P.dh * (P.kh - 1) - P.ph, P.dw * (P.kw - 1) - P.pw};
    g.pad_after = {g.pad_before.h + P.oph, g.pad_before.w + P.opw};
    // The gathered grid: its conv2d output (H' − d(k − 1)) is the plan's output size.
    const int64_t gh = P.oh + P.dh * (P.kh - 1), gw = P.ow + P.dw * (P.kw - 1);
    auto in = Tensor::try_filled(P.unbatched ? Shape{P.c, gh, gw} : Shape{P.n, P.c, gh, gw});
    if (!in) return in.err();
    for (int64_t nc = 0; nc < P.n * P.c; ++nc) {
        const float* src = x.data.data() + nc * P.h * P.w;
        float* dst = in->data.data() + nc * gh * gw;
        for (int64_t iy = 0; iy < P.h; ++iy) {
            const int64_t y = iy * P.sh + g.pad_before.h;
            if (y < 0 || y >= gh) continue;
            for (int64_t ix = 0; ix < P.w; ++ix) {
                const int64_t xx = ix * P.sw + g.pad_before.w;
                if (xx >= 0 && xx < gw) dst[y * gw + xx] = src[iy * P.w + ix];
            }
        }
    }
    g.input = std::move(*in);
    const int64_t cpg = P.c_per_group(), opg = P.o_per_group(), kk = P.kh * P.kw;
    g.weight = Tensor::filled({P.o, cpg, P.kh, P.kw});
    for (int64_t c = 0; c < P.c; ++c)
        for (int64_t oo = 0; oo < opg; ++oo) {
            const int64_t group = c / cpg, o = group * opg + oo, ci = c % cpg;
            const float* src = w.data.data() + (c * opg + oo) * kk;
            float* dst = g.weight.data.data() + (o * cpg + ci) * kk;
            for (int64_t k = 0; k < kk; ++k) dst[kk - 1 - k] = src[k];
        }
    g.params.stride = 1;
    g.params.padding = Padding(0);
    g.params.dilation = {P.dh, P.dw};
    g.params.groups = P.groups;
    g.params.max_mult_adds = p.max_mult_adds;
    return g;
}

Tensor rotate_kernel_180(const Tensor& weight) {
    assert(weight.rank() == 4);
    Tensor r = weight;
    const int64_t kk = weight.shape[2] * weight.shape[3];
    for (int64_t plane = 0; plane < weight.shape[0] * weight.shape[1]; ++plane)
        std::reverse(r.data.begin() + plane * kk, r.data.begin() + (plane + 1) * kk);
    return r;
}

Result<Tensor> conv2d_flipped(Backend& backend, const Tensor& input, const Tensor& weight, const Tensor* bias,
                              const Conv2dParams& params) {
    Conv2dParams unflipped = params;
    unflipped.flip = false;
    // A weight of another rank is refused by the backend's plan, with its usual message.
    if (weight.rank() != 4 || int64_t(weight.data.size()) != shape_numel(weight.shape))
        return backend.conv2d(input, weight, bias, unflipped);
    return backend.conv2d(input, rotate_kernel_180(weight), bias, unflipped);
}

}  // namespace convscope
