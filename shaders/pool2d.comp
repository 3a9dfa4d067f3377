#version 430
// Max and average pooling, PyTorch's nn.MaxPool2d / nn.AvgPool2d, one input plane (n, c) per z of the grid.
//
// The host prepends, after the #version line:
//   TILED     1: the plane's tile is staged in shared memory; 0: read straight from the buffer.
//   IS_MAX    1: max pooling (padding is −∞, NaN propagates); 0: average pooling.
//   TILE_CAP  floats of shared memory for the tile.
// Work item (lx, ly) of a WG_X × WG_Y group computes column ox0 + lx and rows oy0 + ly + i·WG_Y (i < ITEMS_Y).

#define WG_X 16
#define WG_Y 8
#define ITEMS_Y 4

layout(local_size_x = WG_X, local_size_y = WG_Y, local_size_z = 1) in;

layout(std430, binding = 0) readonly buffer InputBuffer { float x_data[]; };
layout(std430, binding = 3) writeonly buffer OutputBuffer { float y_data[]; };

uniform ivec4 u_size;      // H, W, OH, OW
uniform ivec4 u_kernel;    // kh, kw, dh, dw
uniform ivec4 u_geom;      // sh, sw, ph, pw
uniform ivec4 u_tile;      // tile_h, tile_w, count_include_pad, first plane of this dispatch
uniform ivec2 u_shift;     // element offset where the bound input / output ranges start
uniform ivec3 u_group_offset;  // added to gl_WorkGroupID when a grid is split into several dispatches

#if TILED
shared float s_tile[TILE_CAP];
#endif

float outside_value() {
#if IS_MAX
    return uintBitsToFloat(0xff800000u);  // −∞: never chosen
#else
    return 0.0;
#endif
}

void main() {
    const ivec3 group_id = ivec3(gl_WorkGroupID) + u_group_offset;
    const int lx = int(gl_LocalInvocationID.x), ly = int(gl_LocalInvocationID.y);
    const int H = u_size.x, W = u_size.y, OH = u_size.z, OW = u_size.w;
    const int kh = u_kernel.x, kw = u_kernel.y, dh = u_kernel.z, dw = u_kernel.w;
    const int sh = u_geom.x, sw = u_geom.y, ph = u_geom.z, pw = u_geom.w;
    const int plane_index = u_tile.w + group_id.z;
    const int plane = plane_index * H * W - u_shift.x;

    const int ox0 = group_id.x * WG_X, oy0 = group_id.y * (WG_Y * ITEMS_Y);
    const int ox = ox0 + lx;
    const int iy0 = oy0 * sh - ph, ix0 = ox0 * sw - pw;  // tile origin in padded coordinates

#if TILED
    const int tile_h = u_tile.x, tile_w = u_tile.y;
    for (int t = int(gl_LocalInvocationIndex); t < tile_h * tile_w; t += WG_X * WG_Y) {
        const int iy = iy0 + t / tile_w, ix = ix0 + t % tile_w;
        const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        s_tile[t] = inside ? x_data[plane + iy * W + ix] : outside_value();
    }
    barrier();
#endif

    if (ox >= OW) return;
    for (int i = 0; i < ITEMS_Y; ++i) {
        const int oy = oy0 + ly + i * WG_Y;
        if (oy >= OH) break;
        const int ty0 = (ly + i * WG_Y) * sh, tx0 = lx * sw;  // window origin within the tile
        float result;
#if IS_MAX
        float best = outside_value();
        for (int ky = 0; ky < kh; ++ky) {
            for (int kx = 0; kx < kw; ++kx) {
#if TILED
                const float v = s_tile[(ty0 + ky * dh) * tile_w + tx0 + kx * dw];
#else
                const int iy = iy0 + ty0 + ky * dh, ix = ix0 + tx0 + kx * dw;
                const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
                const float v = inside ? x_data[plane + iy * W + ix] : outside_value();
#endif
                // The reference's rule: a NaN, once chosen, stays.
                if (!isnan(best) && (v > best || isnan(v))) best = v;
            }
        }
        result = best;
#else
        // The window clipped to the padded input; the divisor counts padding only with count_include_pad.
        const int y0 = iy0 + ty0, x0 = ix0 + tx0;
        const int y1 = min(y0 + kh, H + ph), x1 = min(x0 + kw, W + pw);
        const int real_h = max(min(y1, H) - max(y0, 0), 0), real_w = max(min(x1, W) - max(x0, 0), 0);
        float sum = 0.0;
        for (int ky = 0; ky < y1 - y0; ++ky) {
            for (int kx = 0; kx < x1 - x0; ++kx) {
#if TILED
                sum += s_tile[(ty0 + ky) * tile_w + tx0 + kx];
#else
                const int iy = y0 + ky, ix = x0 + kx;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) sum += x_data[plane + iy * W + ix];
#endif
            }
        }
        const int divisor = u_tile.z != 0 ? (y1 - y0) * (x1 - x0) : real_h * real_w;
        result = real_h * real_w == 0 ? 0.0 : sum / float(divisor);
#endif
        y_data[plane_index * OH * OW + oy * OW + ox - u_shift.y] = result;
    }
}
