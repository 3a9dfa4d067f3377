#version 430
// Conv2d, PyTorch's nn.Conv2d: out[n, o, oy, ox] = bias[o] + Σ_c Σ_ky Σ_kx x[n, c, iy, ix] · w[o, c, ky, kx].
//
// The host prepends, after the #version line:
//   TILED        1: each input channel's tile is staged in shared memory; 0: read straight from the buffer
//                (kernels whose tile does not fit).
//   OC_PER_ITEM  output channels each work item computes (they share every input read).
//   TILE_CAP     floats of shared memory for the tile.
// Work item (lx, ly) of a WG_X × WG_Y group computes columns ox0 + lx and rows oy0 + ly + i·WG_Y (i < ITEMS_Y),
// for OC_PER_ITEM output channels of one group. A dispatch covers n_count images × g_count groups × o blocks on z.

#define WG_X 16
#define WG_Y 8
#define ITEMS_Y 4

layout(local_size_x = WG_X, local_size_y = WG_Y, local_size_z = 1) in;

layout(std430, binding = 0) readonly buffer InputBuffer { float x_data[]; };
layout(std430, binding = 1) readonly buffer WeightBuffer { float w_data[]; };
layout(std430, binding = 2) readonly buffer BiasBuffer { float b_data[]; };
layout(std430, binding = 3) buffer OutputBuffer { float y_data[]; };

uniform ivec4 u_in;        // N, C, H, W of the whole input
uniform ivec4 u_out;       // O, OH, OW, groups
uniform ivec4 u_kernel;    // kh, kw, dh, dw
uniform ivec4 u_geom;      // sh, sw, pad_top, pad_left
uniform ivec4 u_tile;      // tile_h, tile_w (input extent one group's outputs read), padding mode, has_bias
uniform ivec4 u_range;     // n0, g0, g_count, o blocks per group in this dispatch
uniform ivec4 u_channels;  // ci0, ci_count (input channels of this pass, within the group), o0, o_end (within group)
uniform ivec4 u_shift;     // element offset where the bound input / output ranges start; accumulate; add_bias
uniform ivec3 u_group_offset;  // added to gl_WorkGroupID when a grid is split into several dispatches

#if TILED
shared float s_tile[TILE_CAP];
#endif

// The input coordinate a padded coordinate reads (PyTorch's padding modes), or -1 for zero padding.
int source_index(int i, int n) {
    if (i >= 0 && i < n) return i;
    int mode = u_tile.z;
    int r = -1;                                           // zeros
    if (mode == 1) r = i < 0 ? -i : 2 * (n - 1) - i;      // reflect (padding < n)
    if (mode == 2) r = i < 0 ? 0 : n - 1;                 // replicate
    if (mode == 3) r = (i + n) % n;                       // circular (padding ≤ n, so i + n ≥ 0)
    // Tiles reach past the last output's window; those reads feed nothing, but must stay in bounds.
    return r < n ? r : -1;
}

void main() {
    const ivec3 group_id = ivec3(gl_WorkGroupID) + u_group_offset;
    const int lx = int(gl_LocalInvocationID.x), ly = int(gl_LocalInvocationID.y);
    const int H = u_in.z, W = u_in.w, C = u_in.y;
    const int O = u_out.x, OH = u_out.y, OW = u_out.z, groups = u_out.w;
    const int kh = u_kernel.x, kw = u_kernel.y, dh = u_kernel.z, dw = u_kernel.w;
    const int sh = u_geom.x, sw = u_geom.y;
    const int cpg = C / groups, opg = O / groups;

    // Which image, group and block of output channels this work group computes.
    const int o_blocks = u_range.w;
    const int block = group_id.z % o_blocks;
    const int rest = group_id.z / o_blocks;
    const int g = u_range.y + rest % u_range.z;
    const int n = u_range.x + rest / u_range.z;
    const int o_rel0 = u_channels.z + block * OC_PER_ITEM;  // first output channel, within the group

    const int ox0 = group_id.x * WG_X, oy0 = group_id.y * (WG_Y * ITEMS_Y);
    const int ox = ox0 + lx;
    const int iy0 = oy0 * sh - u_geom.z, ix0 = ox0 * sw - u_geom.w;  // tile origin in padded coordinates

    float total[ITEMS_Y][OC_PER_ITEM];
    for (int i = 0; i < ITEMS_Y; ++i)
        for (int j = 0; j < OC_PER_ITEM; ++j) total[i][j] = 0.0;

    // Weight rows of this item's output channels; channels past the end repeat the last one (never written).
    int w_base[OC_PER_ITEM];
    for (int j = 0; j < OC_PER_ITEM; ++j) {
        const int o = g * opg + min(o_rel0 + j, u_channels.w - 1);
        w_base[j] = o * cpg * kh * kw;
    }

    for (int cc = 0; cc < u_channels.y; ++cc) {
        const int ci = u_channels.x + cc;  // input channel within the group
        const int plane = (n * C + g * cpg + ci) * H * W - u_shift.x;
        float sum[ITEMS_Y][OC_PER_ITEM];
        for (int i = 0; i < ITEMS_Y; ++i)
            for (int j = 0; j < OC_PER_ITEM; ++j) sum[i][j] = 0.0;

#if TILED
        // Stage this channel's tile (padding resolved once here, so the inner loop has no branches).
        barrier();
        const int tile_h = u_tile.x, tile_w = u_tile.y;
        for (int t = int(gl_LocalInvocationIndex); t < tile_h * tile_w; t += WG_X * WG_Y) {
            const int sy = source_index(iy0 + t / tile_w, H);
            const int sx = source_index(ix0 + t % tile_w, W);
            s_tile[t] = (sy >= 0 && sx >= 0) ? x_data[plane + sy * W + sx] : 0.0;
        }
        barrier();
        for (int ky = 0; ky < kh; ++ky) {
            for (int kx = 0; kx < kw; ++kx) {
                float w[OC_PER_ITEM];
                for (int j = 0; j < OC_PER_ITEM; ++j) w[j] = w_data[w_base[j] + (ci * kh + ky) * kw + kx];
                const int col = lx * sw + kx * dw;
                for (int i = 0; i < ITEMS_Y; ++i) {
                    const float v = s_tile[((ly + i * WG_Y) * sh + ky * dh) * tile_w + col];
                    for (int j = 0; j < OC_PER_ITEM; ++j) sum[i][j] += v * w[j];
                }
            }
        }
#else
        for (int ky = 0; ky < kh; ++ky) {
            int sy[ITEMS_Y];
            for (int i = 0; i < ITEMS_Y; ++i) sy[i] = source_index(iy0 + (ly + i * WG_Y) * sh + ky * dh, H);
            for (int kx = 0; kx < kw; ++kx) {
                float w[OC_PER_ITEM];
                for (int j = 0; j < OC_PER_ITEM; ++j) w[j] = w_data[w_base[j] + (ci * kh + ky) * kw + kx];
                const int sx = ox < OW ? source_index(ix0 + lx * sw + kx * dw, W) : -1;
                for (int i = 0; i < ITEMS_Y; ++i) {
                    const bool inside = sx >= 0 && sy[i] >= 0 && oy0 + ly + i * WG_Y < OH;
                    const float v = inside ? x_data[plane + sy[i] * W + sx] : 0.0;
                    for (int j = 0; j < OC_PER_ITEM; ++j) sum[i][j] += v * w[j];
                }
            }
        }
#endif
        // Per-channel sums, then the total: the reference's order of additions.
        for (int i = 0; i < ITEMS_Y; ++i)
            for (int j = 0; j < OC_PER_ITEM; ++j) total[i][j] += sum[i][j];
    }

    if (ox >= OW) return;
    for (int i = 0; i < ITEMS_Y; ++i) {
        const int oy = oy0 + ly + i * WG_Y;
        if (oy >= OH) break;
        for (int j = 0; j < OC_PER_ITEM; ++j) {
            const int o_rel = o_rel0 + j;
            if (o_rel >= u_channels.w) break;
            const int o = g * opg + o_rel;
            const int at = ((n * O + o) * OH + oy) * OW + ox - u_shift.y;
            float v = total[i][j];
            if (u_shift.z != 0) v = y_data[at] + v;  // a later pass over more input channels
            if (u_shift.w != 0 && u_tile.w != 0) v += b_data[o];
            y_data[at] = v;
        }
    }
}
