#version 430
// ConvTranspose2d, PyTorch's nn.ConvTranspose2d, gathered: out[n, o, oy, ox] = bias[o] + Σ_c Σ x[n, c, iy, ix]
// · w[c, o, ky, kx] over every input cell and weight with oy = iy·sh − ph + ky·dh (and the same for x).
// One work item per output element; the grid's z covers the images × output channels of one dispatch.
// Per input channel the terms are summed in the reference's order (input row, then column ascending) into a
// channel sum, and the channel sums into the total, as the reference's scatter loop does.
//
// The host prepends nothing. Work item (lx, ly) of a WG_X × WG_Y group computes (oy0 + ly, ox0 + lx).

#define WG_X 16
#define WG_Y 8

layout(local_size_x = WG_X, local_size_y = WG_Y, local_size_z = 1) in;

layout(std430, binding = 0) readonly buffer InputBuffer { float x_data[]; };
layout(std430, binding = 1) readonly buffer WeightBuffer { float w_data[]; };
layout(std430, binding = 2) readonly buffer BiasBuffer { float b_data[]; };
layout(std430, binding = 3) buffer OutputBuffer { float y_data[]; };

uniform ivec4 u_in;        // n_count (images in this dispatch), C, H, W
uniform ivec4 u_out;       // O, OH, OW, groups
uniform ivec4 u_kernel;    // kh, kw, dh, dw
uniform ivec4 u_geom;      // sh, sw, ph, pw
uniform ivec4 u_channels;  // ci0, ci_count (input channels of this pass, within the group), accumulate, add_bias
uniform ivec4 u_shift;     // element offset where the bound input / output ranges start; n0; o0
uniform ivec4 u_count;     // output channels in this dispatch, 0, 0, 0
uniform ivec3 u_group_offset;  // added to gl_WorkGroupID when a grid is split into several dispatches

int gcd(int a, int b) {
    while (b != 0) {
        const int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// The largest k < kernel whose tap lands on output o: (o + pad − k·dil) a multiple of stride. Taps that land
// are `step` apart (step = stride / gcd(stride, dil)); −1 when none does.
int last_tap(int o, int pad, int kernel, int stride, int dil, int step) {
    for (int k = 0; k < min(kernel, step); ++k) {
        const int t = o + pad - k * dil;
        if (t < 0) return -1;  // t only falls as k grows (GLSL leaves % of a negative number undefined)
        if (t % stride == 0) return k + (kernel - 1 - k) / step * step;
    }
    return -1;
}

void main() {
    const ivec3 group_id = ivec3(gl_WorkGroupID) + u_group_offset;
    const int ox = group_id.x * WG_X + int(gl_LocalInvocationID.x);
    const int oy = group_id.y * WG_Y + int(gl_LocalInvocationID.y);
    const int C = u_in.y, H = u_in.z, W = u_in.w;
    const int O = u_out.x, OH = u_out.y, OW = u_out.z, groups = u_out.w;
    const int kh = u_kernel.x, kw = u_kernel.y, dh = u_kernel.z, dw = u_kernel.w;
    const int sh = u_geom.x, sw = u_geom.y, ph = u_geom.z, pw = u_geom.w;
    const int cpg = C / groups, opg = O / groups;
    if (ox >= OW || oy >= OH) return;
    const int o_count = u_count.x;
    const int n = u_shift.z + group_id.z / o_count;
    const int o = u_shift.w + group_id.z % o_count;
    if (n - u_shift.z >= u_in.x) return;
    const int group = o / opg, oo = o % opg;

    const int at = ((n * O + o) * OH + oy) * OW + ox - u_shift.y;
    // A later pass adds its channels to the sums of the earlier ones.
    float total = u_channels.z != 0 ? y_data[at] : 0.0;
    // Which kernel rows and columns land here depends on the position only: found once, for every channel.
    const int step_y = sh / gcd(sh, dh), step_x = sw / gcd(sw, dw);
    const int ky_last = last_tap(oy, ph, kh, sh, dh, step_y);
    const int kx_last = last_tap(ox, pw, kw, sw, dw, step_x);
    for (int ci = u_channels.x; ci < u_channels.x + u_channels.y; ++ci) {
        const int c = group * cpg + ci;
        const int plane = (n * C + c) * H * W - u_shift.x;
        const int kernel = (c * opg + oo) * kh * kw;
        float sum = 0.0;
        // Kernel rows and columns descending: input rows and columns ascending, the reference's order.
        for (int ky = ky_last; ky >= 0; ky -= step_y) {
            const int ty = oy + ph - ky * dh;  // = iy·sh, a multiple of sh here
            if (ty < 0 || ty / sh >= H) continue;
            const int row = plane + (ty / sh) * W;
            for (int kx = kx_last; kx >= 0; kx -= step_x) {
                const int tx = ox + pw - kx * dw;
                if (tx < 0 || tx / sw >= W) continue;
                sum += x_data[row + tx / sw] * w_data[kernel + ky * kw + kx];
            }
        }
        total += sum;
    }
    if (u_channels.w != 0) total += b_data[o];
    y_data[at] = total;
}
