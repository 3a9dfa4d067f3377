// Three more ways to see convolution's arithmetic: unfold (im2col, convolution as a matrix product), the
// gather form of a transposed convolution (a stride-1 conv2d over a zero-stuffed input with the rotated
// kernel), and the kernel rotated 180° (true convolution, Conv2dParams::flip).
#pragma once

#include <cstdint>

#include "core/support/limits.hpp"
#include "core/engine/params.hpp"
#include "core/support/result.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// torch.nn.functional.unfold: N×C×H×W → N × (C·kH·kW) × L, L = out_h·out_w windows in row-major order; an
// unbatched C×H×W gives (C·kH·kW) × L, as PyTorch 1.13 does. Row c·kH·kW + ky·kW + kx, column oy·out_w + ox
// holds the zero-padded input at (oy·sh − ph + ky·dh, ox·sw − pw + kx·dw). Conv2d is then
// W (O × C·kH·kW) × cols. Errors as plan_conv2d's; `max_mult_adds` bounds the elements written.
Result<Tensor> unfold(const Tensor& input, Pair kernel, Pair stride, Pair padding, Pair dilation,
                      int64_t max_mult_adds = limits::kMaxMultAdds);

// A transposed convolution as an ordinary one: conv2d(input, weight, bias, params) equals
// conv_transpose2d(x, w, bias, p) (the bias is unchanged).
struct GatherForm {
    // x with s − 1 zeros between cells and d·(k − 1) − p rows/columns of zeros around it (plus output_padding
    // more at the bottom/right), cropped where that number is negative; N×C×H'×W' (C×H'×W' when x was).
    Tensor input;
    // w rotated 180° with input and output channels swapped per group: O × C/groups × kH × kW.
    Tensor weight;
    // stride 1, padding 0 (it is in `input`), the transposed convolution's dilation and groups.
    Conv2dParams params;
    // The zeros added before (top, left) and after (bottom, right) the zero-stuffed input; negative: cropped.
    Pair pad_before{0}, pad_after{0};
};

// The gather form of conv_transpose2d(x, w, ·, p); errors as plan_conv_transpose2d's, or when the stuffed
// input exceeds the tensor limits.
Result<GatherForm> as_convolution(const Tensor& x, const Tensor& w, const ConvTranspose2dParams& p);

// The kernel rotated 180° (each kH×kW plane reversed in both axes): weight.flip(-1, -2). Rank 4 only.
Tensor rotate_kernel_180(const Tensor& weight);

}  // namespace convscope
