// WebAssembly SIMD kernels for training on the tfjs wasm backend.
//
// The module imports the tfjs-backend-wasm memory (env.memory) and works on tensors in place: every
// pointer argument is a byte offset into that memory, usually a tensor's memoryOffset. The module has no
// data segment and must not use the C stack. build.mjs links it with a stack of size 0 at address 0, so
// a function that spills to the stack traps instead of overwriting tfjs data, and it rejects a build with
// a data segment. Scratch buffers are tensors that the TypeScript wrappers allocate and pass in.
//
// All arrays are row-major. NHWC images are [batch, height, width, channels]. Sums that run over many
// elements are accumulated in float32 vectors over short blocks and then added to float64 sums, so their
// rounding error stays close to that of the cpu backend, which sums in float64.
//
// Rebuild with `node libs/engine/src/backend/simd/build.mjs` after editing (needs clang and wasm-ld).

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// Rows summed in float32 before the partial sums are added to float64.
#define BLOCK_ROWS 16

static inline int min_int(int a, int b) { return a < b ? a : b; }
static inline int max_int(int a, int b) { return a > b ? a : b; }

// Adds the four lanes of `v` to sums[0..3].
static inline void add_to_f64(double *sums, v128_t v) {
  v128_t low = wasm_f64x2_promote_low_f32x4(v);
  v128_t high = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
  wasm_v128_store(sums, wasm_f64x2_add(wasm_v128_load(sums), low));
  wasm_v128_store(sums + 2, wasm_f64x2_add(wasm_v128_load(sums + 2), high));
}

static void fill_f32(float *target, int count, float value) {
  for (int i = 0; i < count; i++) target[i] = value;
}

static void fill_f64(double *target, int count) {
  for (int i = 0; i < count; i++) target[i] = 0;
}

// Sums x seen as [outer, reduced, inner] over the middle axis and writes out[outer, inner] = sum * factor.
// `sums` is scratch for `inner` doubles.
EXPORT(sum_middle_axis)
void sum_middle_axis(const float *x, int outer, int reduced, int inner, double factor, float *out,
                     double *sums) {
  for (int o = 0; o < outer; o++) {
    const float *base = x + o * reduced * inner;
    if (inner == 1) {
      double total = 0;
      int r = 0;
      for (; r + 4 * BLOCK_ROWS <= reduced; r += 4 * BLOCK_ROWS) {
        v128_t acc = wasm_f32x4_splat(0);
        for (int k = 0; k < 4 * BLOCK_ROWS; k += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(base + r + k));
        total += (double)wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
                 wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
      }
      for (; r < reduced; r++) total += base[r];
      out[o] = (float)(total * factor);
      continue;
    }
    fill_f64(sums, inner);
    for (int r0 = 0; r0 < reduced; r0 += BLOCK_ROWS) {
      const int r1 = min_int(reduced, r0 + BLOCK_ROWS);
      int i = 0;
      for (; i + 4 <= inner; i += 4) {
        v128_t acc = wasm_f32x4_splat(0);
        for (int r = r0; r < r1; r++) acc = wasm_f32x4_add(acc, wasm_v128_load(base + r * inner + i));
        add_to_f64(sums + i, acc);
      }
      for (; i < inner; i++) {
        float acc = 0;
        for (int r = r0; r < r1; r++) acc += base[r * inner + i];
        sums[i] += acc;
      }
    }
    for (int i = 0; i < inner; i++) out[o * inner + i] = (float)(sums[i] * factor);
  }
}

// Batch normalization with per-channel vectors for x seen as [rows, channels]:
// y = offset[c] + (x - mean[c]) * scale[c] / root[c], where root = sqrt(variance + epsilon). The
// parameters are doubles and the arithmetic is float64 with one rounding to float32, in the order of
// the cpu backend of tfjs 4.22, so both backends give the same bits. A ReLU after batch normalization
// routes gradients by the sign of its input, so rounding differences would otherwise send wasm and cpu
// training apart wherever an activation lies within rounding noise of 0.
EXPORT(batch_norm)
void batch_norm(const float *x, int rows, int channels, const double *mean, const double *scale,
                const double *root, const double *offset, float *y) {
  int c = 0;
  for (; c + 4 <= channels; c += 4) {
    const v128_t m0 = wasm_v128_load(mean + c), m1 = wasm_v128_load(mean + c + 2);
    const v128_t s0 = wasm_v128_load(scale + c), s1 = wasm_v128_load(scale + c + 2);
    const v128_t q0 = wasm_v128_load(root + c), q1 = wasm_v128_load(root + c + 2);
    const v128_t b0 = wasm_v128_load(offset + c), b1 = wasm_v128_load(offset + c + 2);
    for (int r = 0; r < rows; r++) {
      const int at = r * channels + c;
      const v128_t v = wasm_v128_load(x + at);
      const v128_t low = wasm_f64x2_promote_low_f32x4(v);
      const v128_t high = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
      const v128_t y0 = wasm_f64x2_add(b0, wasm_f64x2_div(wasm_f64x2_mul(wasm_f64x2_sub(low, m0), s0), q0));
      const v128_t y1 = wasm_f64x2_add(b1, wasm_f64x2_div(wasm_f64x2_mul(wasm_f64x2_sub(high, m1), s1), q1));
      const v128_t f0 = wasm_f32x4_demote_f64x2_zero(y0);
      const v128_t f1 = wasm_f32x4_demote_f64x2_zero(y1);
      wasm_v128_store(y + at, wasm_i32x4_shuffle(f0, f1, 0, 1, 4, 5));
    }
  }
  for (; c < channels; c++) {
    for (int r = 0; r < rows; r++) {
      const int at = r * channels + c;
      y[at] = (float)(offset[c] + ((double)x[at] - mean[c]) * scale[c] / root[c]);
    }
  }
}

// The batch-norm gradient pass for x and dy seen as [rows, channels]: writes dx = dy * dx_factor[c] and
// adds sum(dy) to sum_dy[c] and sum(dy * (x - mean[c])) to sum_dy_centered[c]. Both sums start at 0.
EXPORT(batch_norm_grad)
void batch_norm_grad(const float *x, const float *dy, int rows, int channels, const float *mean,
                     const float *dx_factor, float *dx, double *sum_dy, double *sum_dy_centered) {
  fill_f64(sum_dy, channels);
  fill_f64(sum_dy_centered, channels);
  for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const int r1 = min_int(rows, r0 + BLOCK_ROWS);
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      const v128_t m = wasm_v128_load(mean + c);
      const v128_t k = wasm_v128_load(dx_factor + c);
      v128_t acc_dy = wasm_f32x4_splat(0);
      v128_t acc_centered = wasm_f32x4_splat(0);
      for (int r = r0; r < r1; r++) {
        const int at = r * channels + c;
        const v128_t g = wasm_v128_load(dy + at);
        const v128_t centered = wasm_f32x4_sub(wasm_v128_load(x + at), m);
        acc_dy = wasm_f32x4_add(acc_dy, g);
        acc_centered = wasm_f32x4_add(acc_centered, wasm_f32x4_mul(g, centered));
        wasm_v128_store(dx + at, wasm_f32x4_mul(g, k));
      }
      add_to_f64(sum_dy + c, acc_dy);
      add_to_f64(sum_dy_centered + c, acc_centered);
    }
    for (; c < channels; c++) {
      float acc_dy = 0;
      float acc_centered = 0;
      for (int r = r0; r < r1; r++) {
        const int at = r * channels + c;
        acc_dy += dy[at];
        acc_centered += dy[at] * (x[at] - mean[c]);
        dx[at] = dy[at] * dx_factor[c];
      }
      sum_dy[c] += acc_dy;
      sum_dy_centered[c] += acc_centered;
    }
  }
}

// Geometry of a convolution as the convolution kernels take it: 12 ints in this order, stored in memory
// by the caller. For the depthwise kernels the channel multiplier is 1 and `channels` is both the input
// and output channel count. For im2col and col2im, `channels` is the input channel count.
typedef struct {
  int batch, in_height, in_width, channels, out_height, out_width;
  int filter_height, filter_width, stride_height, stride_width, pad_top, pad_left;
} Geometry;

// Rows of the padded image that the kernels build: image row i is padded row i + pad_top, and the padded
// image ends with the last row that a filter window reads.
static inline int padded_height(const Geometry *g) { return (g->out_height - 1) * g->stride_height + g->filter_height; }

// Columns of the padded image, like padded_height.
static inline int padded_width(const Geometry *g) { return (g->out_width - 1) * g->stride_width + g->filter_width; }

// Copies image `image` of x into the interior of `padded`. Padding cells keep the zeros they were given.
static void copy_into_padded(const float *x, const Geometry *g, int image, float *padded) {
  const int first_row = max_int(0, g->pad_top);
  const int width = padded_width(g);
  const int end_row = min_int(padded_height(g), g->pad_top + g->in_height);
  const int first_col = max_int(0, g->pad_left);
  const int end_col = min_int(width, g->pad_left + g->in_width);
  if (end_col <= first_col) return;
  const int run = (end_col - first_col) * g->channels;
  for (int row = first_row; row < end_row; row++) {
    const float *source =
        x + ((image * g->in_height + row - g->pad_top) * g->in_width + first_col - g->pad_left) * g->channels;
    float *target = padded + (row * width + first_col) * g->channels;
    __builtin_memcpy(target, source, run * sizeof(float));
  }
}

// Adds sum over ow of p[ow * step + c] * d[ow * channels + c] to acc[c] for every channel c.
static void accumulate_row_products(const float *p, const float *d, int count, int step, int channels,
                                    float *acc) {
  int c = 0;
  for (; c + 16 <= channels; c += 16) {
    v128_t a0 = wasm_v128_load(acc + c), a1 = wasm_v128_load(acc + c + 4);
    v128_t a2 = wasm_v128_load(acc + c + 8), a3 = wasm_v128_load(acc + c + 12);
    for (int ow = 0; ow < count; ow++) {
      const float *pp = p + ow * step + c;
      const float *dd = d + ow * channels + c;
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(pp), wasm_v128_load(dd)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(pp + 4), wasm_v128_load(dd + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wasm_v128_load(pp + 8), wasm_v128_load(dd + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wasm_v128_load(pp + 12), wasm_v128_load(dd + 12)));
    }
    wasm_v128_store(acc + c, a0);
    wasm_v128_store(acc + c + 4, a1);
    wasm_v128_store(acc + c + 8, a2);
    wasm_v128_store(acc + c + 12, a3);
  }
  for (; c + 4 <= channels; c += 4) {
    v128_t a = wasm_v128_load(acc + c);
    for (int ow = 0; ow < count; ow++) {
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(p + ow * step + c), wasm_v128_load(d + ow * channels + c)));
    }
    wasm_v128_store(acc + c, a);
  }
  for (; c < channels; c++) {
    float a = acc[c];
    for (int ow = 0; ow < count; ow++) a += p[ow * step + c] * d[ow * channels + c];
    acc[c] = a;
  }
}

// Filter gradient of a depthwise convolution with multiplier 1: sums[kh, kw, c] = sum over images and
// output positions of x[ih, iw, c] * dy[oh, ow, c]. `geometry_ints` contains the 12 ints of Geometry in
// order. Scratch: `padded` has padded_height * padded_width * channels floats and `acc` has
// filter_height * filter_width * channels floats. `sums` (the same count of doubles) is overwritten.
EXPORT(depthwise_filter_grad)
void depthwise_filter_grad(const float *x, const float *dy, const int *geometry_ints, float *padded, float *acc,
                           double *sums) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int height = padded_height(g);
  const int width = padded_width(g);
  const int C = g->channels;
  const int taps = g->filter_height * g->filter_width;
  fill_f32(padded, height * width * C, 0);
  fill_f64(sums, taps * C);

  for (int image = 0; image < g->batch; image++) {
    copy_into_padded(x, g, image, padded);
    fill_f32(acc, taps * C, 0);
    for (int oh = 0; oh < g->out_height; oh++) {
      const float *d = dy + (image * g->out_height + oh) * g->out_width * C;
      for (int kh = 0; kh < g->filter_height; kh++) {
        const float *row = padded + (oh * g->stride_height + kh) * width * C;
        for (int kw = 0; kw < g->filter_width; kw++) {
          accumulate_row_products(row + kw * C, d, g->out_width, g->stride_width * C, C,
                                  acc + (kh * g->filter_width + kw) * C);
        }
      }
    }
    int i = 0;
    for (; i + 4 <= taps * C; i += 4) add_to_f64(sums + i, wasm_v128_load(acc + i));
    for (; i < taps * C; i++) sums[i] += acc[i];
  }
}

// Input gradient of a depthwise convolution with multiplier 1: dx[ih, iw, c] = sum over taps of
// dy[oh, ow, c] * filter[kh, kw, c]. Each image is scattered into `padded` (scratch of padded_height *
// padded_width * channels floats) and its interior copied to dx.
EXPORT(depthwise_input_grad)
void depthwise_input_grad(const float *dy, const float *filter, const int *geometry_ints, float *padded,
                          float *dx) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int height = padded_height(g);
  const int width = padded_width(g);
  const int C = g->channels;
  const int step = g->stride_width * C;
  for (int image = 0; image < g->batch; image++) {
    fill_f32(padded, height * width * C, 0);
    for (int oh = 0; oh < g->out_height; oh++) {
      const float *d = dy + (image * g->out_height + oh) * g->out_width * C;
      for (int kh = 0; kh < g->filter_height; kh++) {
        float *row = padded + (oh * g->stride_height + kh) * width * C;
        for (int kw = 0; kw < g->filter_width; kw++) {
          const float *w = filter + (kh * g->filter_width + kw) * C;
          float *p = row + kw * C;
          int c = 0;
          for (; c + 4 <= C; c += 4) {
            const v128_t wv = wasm_v128_load(w + c);
            for (int ow = 0; ow < g->out_width; ow++) {
              float *target = p + ow * step + c;
              v128_t product = wasm_f32x4_mul(wasm_v128_load(d + ow * C + c), wv);
              wasm_v128_store(target, wasm_f32x4_add(wasm_v128_load(target), product));
            }
          }
          for (; c < C; c++) {
            for (int ow = 0; ow < g->out_width; ow++) p[ow * step + c] += d[ow * C + c] * w[c];
          }
        }
      }
    }
    for (int ih = 0; ih < g->in_height; ih++) {
      float *target = dx + (image * g->in_height + ih) * g->in_width * C;
      const int row = ih + g->pad_top;
      // Columns of the padded image that contain input columns [0, in_width). The rest got no gradient.
      const int first = min_int(g->in_width, max_int(0, -g->pad_left));
      const int end = row < height ? max_int(first, min_int(g->in_width, width - g->pad_left)) : first;
      fill_f32(target, first * C, 0);
      if (end > first) {
        __builtin_memcpy(target + first * C, padded + (row * width + first + g->pad_left) * C,
                         (end - first) * C * sizeof(float));
      }
      fill_f32(target + end * C, (g->in_width - end) * C, 0);
    }
  }
}

// Writes the patches of images [first_image, end_image) of x into col as a [taps, positions] matrix with
// taps = filter_height * filter_width * channels in (kh, kw, channel) order and positions = images *
// out_height * out_width. Taps in the padding are written as zeros. Geometry as for the depthwise
// kernels, with `channels` the input channels of the convolution.
//
// Each group of 4 tap rows is written front to back, so the stores form 4 sequential streams. The loads
// gather 4 output columns of 4 channels and transpose them in registers.
EXPORT(im2col_by_tap)
void im2col_by_tap(const float *x, const int *geometry_ints, int first_image, int end_image, float *col) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const int positions = (end_image - first_image) * g->out_height * g->out_width;
  const int step = g->stride_width * C;

  for (int kh = 0; kh < g->filter_height; kh++) {
    for (int kw = 0; kw < g->filter_width; kw++) {
      // Output columns [ow_start, ow_end) read input columns inside the image.
      const int shift = g->pad_left - kw;
      const int ow_start = min_int(g->out_width, shift > 0 ? (shift + g->stride_width - 1) / g->stride_width : 0);
      const int ow_end = max_int(ow_start, min_int(g->out_width, (g->in_width - 1 + shift) / g->stride_width + 1));
      float *tap_rows = col + (kh * g->filter_width + kw) * C * positions;

      for (int c0 = 0; c0 < C; c0 += 4) {
        const int lanes = min_int(4, C - c0);
        float *r0 = tap_rows + c0 * positions;
        int position = 0;
        for (int image = first_image; image < end_image; image++) {
          for (int oh = 0; oh < g->out_height; oh++, position += g->out_width) {
            const int ih = oh * g->stride_height - g->pad_top + kh;
            const int valid = ih >= 0 && ih < g->in_height;
            const int start = valid ? ow_start : g->out_width;
            const int end = valid ? ow_end : g->out_width;
            for (int lane = 0; lane < lanes; lane++) {
              float *row = r0 + lane * positions + position;
              for (int ow = 0; ow < start; ow++) row[ow] = 0;
              for (int ow = end; ow < g->out_width; ow++) row[ow] = 0;
            }
            if (!valid) continue;
            const float *source = x + ((image * g->in_height + ih) * g->in_width + start * g->stride_width - shift) * C + c0;
            int ow = start;
            if (lanes == 4) {
              for (; ow + 4 <= end; ow += 4) {
                const float *s = source + (ow - start) * step;
                const v128_t v0 = wasm_v128_load(s);
                const v128_t v1 = wasm_v128_load(s + step);
                const v128_t v2 = wasm_v128_load(s + 2 * step);
                const v128_t v3 = wasm_v128_load(s + 3 * step);
                const v128_t a = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5);
                const v128_t b = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5);
                const v128_t d = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7);
                const v128_t e = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
                float *t = r0 + position + ow;
                wasm_v128_store(t, wasm_i32x4_shuffle(a, b, 0, 1, 4, 5));
                wasm_v128_store(t + positions, wasm_i32x4_shuffle(a, b, 2, 3, 6, 7));
                wasm_v128_store(t + 2 * positions, wasm_i32x4_shuffle(d, e, 0, 1, 4, 5));
                wasm_v128_store(t + 3 * positions, wasm_i32x4_shuffle(d, e, 2, 3, 6, 7));
              }
            }
            for (; ow < end; ow++) {
              const float *s = source + (ow - start) * step;
              for (int lane = 0; lane < lanes; lane++) r0[lane * positions + position + ow] = s[lane];
            }
          }
        }
      }
    }
  }
}

// Adds a [positions, taps] column matrix for images [first_image, end_image) back into the NHWC image
// tensor dx (the adjoint of im2col). dx contains the whole batch and must be zeroed by the caller.
EXPORT(col2im_add)
void col2im_add(const float *col, const int *geometry_ints, int first_image, int end_image, float *dx) {
  const Geometry *g = (const Geometry *)geometry_ints;
    const int C = g->channels;
  const int taps = g->filter_height * g->filter_width * C;
  const float *row = col;
  for (int image = first_image; image < end_image; image++) {
    for (int oh = 0; oh < g->out_height; oh++) {
      for (int ow = 0; ow < g->out_width; ow++, row += taps) {
        for (int kh = 0; kh < g->filter_height; kh++) {
          const int ih = oh * g->stride_height - g->pad_top + kh;
          if (ih < 0 || ih >= g->in_height) continue;
          for (int kw = 0; kw < g->filter_width; kw++) {
            const int iw = ow * g->stride_width - g->pad_left + kw;
            if (iw < 0 || iw >= g->in_width) continue;
            float *target = dx + ((image * g->in_height + ih) * g->in_width + iw) * C;
            const float *source = row + (kh * g->filter_width + kw) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) {
              wasm_v128_store(target + c, wasm_f32x4_add(wasm_v128_load(target + c), wasm_v128_load(source + c)));
            }
            for (; c < C; c++) target[c] += source[c];
          }
        }
      }
    }
  }
}

// Forward depthwise convolution with multiplier 1: y[oh, ow, c] = sum over taps of x[oh * stride_height +
// kh - pad_top, ow * stride_width + kw - pad_left, c] * filter[kh, kw, c], with zeros outside x. Each
// image is copied into `padded` (scratch of padded_height * padded_width * channels floats) first.
EXPORT(depthwise_conv)
void depthwise_conv(const float *x, const float *filter, const int *geometry_ints, float *padded, float *y) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const int width = padded_width(g);
  fill_f32(padded, padded_height(g) * width * C, 0);
  for (int image = 0; image < g->batch; image++) {
    copy_into_padded(x, g, image, padded);
    float *out = y + image * g->out_height * g->out_width * C;
    for (int oh = 0; oh < g->out_height; oh++) {
      for (int ow = 0; ow < g->out_width; ow++, out += C) {
        const float *window = padded + (oh * g->stride_height * width + ow * g->stride_width) * C;
        int c = 0;
        for (; c + 16 <= C; c += 16) {
          v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
          for (int kh = 0; kh < g->filter_height; kh++) {
            const float *p = window + kh * width * C + c;
            const float *w = filter + kh * g->filter_width * C + c;
            for (int kw = 0; kw < g->filter_width; kw++, p += C, w += C) {
              a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(p), wasm_v128_load(w)));
              a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(p + 4), wasm_v128_load(w + 4)));
              a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wasm_v128_load(p + 8), wasm_v128_load(w + 8)));
              a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wasm_v128_load(p + 12), wasm_v128_load(w + 12)));
            }
          }
          wasm_v128_store(out + c, a0);
          wasm_v128_store(out + c + 4, a1);
          wasm_v128_store(out + c + 8, a2);
          wasm_v128_store(out + c + 12, a3);
        }
        for (; c + 4 <= C; c += 4) {
          v128_t a = wasm_f32x4_splat(0);
          for (int kh = 0; kh < g->filter_height; kh++) {
            const float *p = window + kh * width * C + c;
            const float *w = filter + kh * g->filter_width * C + c;
            for (int kw = 0; kw < g->filter_width; kw++, p += C, w += C) {
              a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(p), wasm_v128_load(w)));
            }
          }
          wasm_v128_store(out + c, a);
        }
        for (; c < C; c++) {
          float a = 0;
          for (int kh = 0; kh < g->filter_height; kh++) {
            for (int kw = 0; kw < g->filter_width; kw++) {
              a += window[(kh * width + kw) * C + c] * filter[(kh * g->filter_width + kw) * C + c];
            }
          }
          out[c] = a;
        }
      }
    }
  }
}

// Average-pooling gradient as tfjs 4.22 computes it: every window passes dy * multiplier to each input
// cell it covers, with multiplier = 1 / (filter_height * filter_width) even for windows that overlap the
// padding. Geometry as for the depthwise kernels. dx is overwritten.
EXPORT(avg_pool_grad)
void avg_pool_grad(const float *dy, const int *geometry_ints, float multiplier, float *dx) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const v128_t m = wasm_f32x4_splat(multiplier);
  fill_f32(dx, g->batch * g->in_height * g->in_width * C, 0);
  const float *d = dy;
  for (int image = 0; image < g->batch; image++) {
    float *image_dx = dx + image * g->in_height * g->in_width * C;
    for (int oh = 0; oh < g->out_height; oh++) {
      const int row_start = oh * g->stride_height - g->pad_top;
      const int first_row = max_int(0, row_start);
      const int end_row = min_int(g->in_height, row_start + g->filter_height);
      for (int ow = 0; ow < g->out_width; ow++, d += C) {
        const int col_start = ow * g->stride_width - g->pad_left;
        const int first_col = max_int(0, col_start);
        const int end_col = min_int(g->in_width, col_start + g->filter_width);
        for (int ih = first_row; ih < end_row; ih++) {
          for (int iw = first_col; iw < end_col; iw++) {
            float *target = image_dx + (ih * g->in_width + iw) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) {
              const v128_t v = wasm_f32x4_mul(wasm_v128_load(d + c), m);
              wasm_v128_store(target + c, wasm_f32x4_add(wasm_v128_load(target + c), v));
            }
            for (; c < C; c++) target[c] += d[c] * multiplier;
          }
        }
      }
    }
  }
}

// Writes the transpose of the [rows, cols] matrix `source` into `target` as [cols, rows], in 4x4 blocks
// transposed in registers.
EXPORT(transpose)
void transpose(const float *source, int rows, int cols, float *target) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *s = source + r * cols;
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v128_t v0 = wasm_v128_load(s + c);
      const v128_t v1 = wasm_v128_load(s + cols + c);
      const v128_t v2 = wasm_v128_load(s + 2 * cols + c);
      const v128_t v3 = wasm_v128_load(s + 3 * cols + c);
      const v128_t a = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5);
      const v128_t b = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5);
      const v128_t d = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7);
      const v128_t e = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
      float *t = target + c * rows + r;
      wasm_v128_store(t, wasm_i32x4_shuffle(a, b, 0, 1, 4, 5));
      wasm_v128_store(t + rows, wasm_i32x4_shuffle(a, b, 2, 3, 6, 7));
      wasm_v128_store(t + 2 * rows, wasm_i32x4_shuffle(d, e, 0, 1, 4, 5));
      wasm_v128_store(t + 3 * rows, wasm_i32x4_shuffle(d, e, 2, 3, 6, 7));
    }
    for (; c < cols; c++) {
      for (int k = 0; k < 4; k++) target[c * rows + r + k] = s[k * cols + c];
    }
  }
  for (; r < rows; r++) {
    for (int c = 0; c < cols; c++) target[c * rows + r] = source[r * cols + c];
  }
}

// Register tiles of the filter gradient: filter_grad_RxN adds sum over output positions (oh, ow) of
// p[oh * row_step + ow * col_step + r] * d[(oh * out_width + ow) * out_channels + c] to
// out[r * out_channels + c] for r < R and c < N. The accumulators are named variables because clang 14
// keeps arrays of them on the C stack, which this module must not use.
#define FILTER_GRAD_TILE(NAME, ROW_SETUP, BODY, ROW_FINISH)                                                   \
  static void NAME(const float *p, int row_step, int col_step, const float *d, int out_height, int out_width, \
                   int out_channels, float *out) {                                                           \
    ROW_SETUP                                                                                                 \
    for (int oh = 0; oh < out_height; oh++) {                                                                 \
      const float *pp = p + oh * row_step;                                                                    \
      const float *dd = d + oh * out_width * out_channels;                                                    \
      for (int ow = 0; ow < out_width; ow++, pp += col_step, dd += out_channels) {                            \
        BODY                                                                                                  \
      }                                                                                                       \
    }                                                                                                         \
    ROW_FINISH                                                                                                \
  }

#define LOAD2(r) v128_t a##r##0 = wasm_v128_load(out + r * out_channels), a##r##1 = wasm_v128_load(out + r * out_channels + 4);
#define STORE2(r) wasm_v128_store(out + r * out_channels, a##r##0); wasm_v128_store(out + r * out_channels + 4, a##r##1);
#define STEP2(r)                                                                       \
  {                                                                                    \
    const v128_t b = wasm_v128_load32_splat(pp + r);                                   \
    a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(b, d0));                          \
    a##r##1 = wasm_f32x4_add(a##r##1, wasm_f32x4_mul(b, d1));                          \
  }
#define LOAD1(r) v128_t a##r##0 = wasm_v128_load(out + r * out_channels);
#define STORE1(r) wasm_v128_store(out + r * out_channels, a##r##0);
#define STEP1(r) a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(wasm_v128_load32_splat(pp + r), d0));
#define D2 const v128_t d0 = wasm_v128_load(dd), d1 = wasm_v128_load(dd + 4);
#define D1 const v128_t d0 = wasm_v128_load(dd);

FILTER_GRAD_TILE(filter_grad_4x8, LOAD2(0) LOAD2(1) LOAD2(2) LOAD2(3), D2 STEP2(0) STEP2(1) STEP2(2) STEP2(3),
                 STORE2(0) STORE2(1) STORE2(2) STORE2(3))
FILTER_GRAD_TILE(filter_grad_3x8, LOAD2(0) LOAD2(1) LOAD2(2), D2 STEP2(0) STEP2(1) STEP2(2),
                 STORE2(0) STORE2(1) STORE2(2))
FILTER_GRAD_TILE(filter_grad_2x8, LOAD2(0) LOAD2(1), D2 STEP2(0) STEP2(1), STORE2(0) STORE2(1))
FILTER_GRAD_TILE(filter_grad_1x8, LOAD2(0), D2 STEP2(0), STORE2(0))
FILTER_GRAD_TILE(filter_grad_4x4, LOAD1(0) LOAD1(1) LOAD1(2) LOAD1(3), D1 STEP1(0) STEP1(1) STEP1(2) STEP1(3),
                 STORE1(0) STORE1(1) STORE1(2) STORE1(3))
FILTER_GRAD_TILE(filter_grad_1x4, LOAD1(0), D1 STEP1(0), STORE1(0))

typedef void (*FilterGradTile)(const float *, int, int, const float *, int, int, int, float *);

// Filter gradient of a regular convolution: dw[kh, kw, ci, co] = sum over images and output positions of
// x[oh * stride_height + kh - pad_top, ow * stride_width + kw - pad_left, ci] * dy[oh, ow, co], with
// zeros outside x. Geometry as for the depthwise kernels, with `channels` the input channels. Each image
// is copied into `padded` (scratch of padded_height * padded_width * channels floats), so that for one
// kh the taps (kw, ci) of a filter window are filter_width * channels consecutive floats. The sums are
// register tiles of 4 taps by 8 output channels that run over the positions of one image and are added
// to dw, which is overwritten.
EXPORT(conv_filter_grad)
void conv_filter_grad(const float *x, const float *dy, const int *geometry_ints, int out_channels, float *padded,
                      float *dw) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const int width = padded_width(g);
  const int window = g->filter_width * C;
  const int row_step = g->stride_height * width * C;
  const int col_step = g->stride_width * C;
  const int area = g->out_height * g->out_width;
  fill_f32(padded, padded_height(g) * width * C, 0);
  fill_f32(dw, g->filter_height * window * out_channels, 0);

  for (int image = 0; image < g->batch; image++) {
    copy_into_padded(x, g, image, padded);
    const float *d = dy + image * area * out_channels;
    for (int kh = 0; kh < g->filter_height; kh++) {
      const float *p_row = padded + kh * width * C;
      float *out_row = dw + kh * window * out_channels;
      for (int j = 0; j < window; j += 4) {
        const int rows = min_int(4, window - j);
        const float *p = p_row + j;
        float *out = out_row + j * out_channels;
        // Row tiles of 4 taps, with the 3, 2 or 1 taps left at the end of a window, then single rows
        // for the output channels left after the tiles of 8.
        const FilterGradTile tile8 = rows == 4 ? filter_grad_4x8 : rows == 3 ? filter_grad_3x8
                                   : rows == 2 ? filter_grad_2x8 : filter_grad_1x8;
        int c = 0;
        for (; c + 8 <= out_channels; c += 8) {
          tile8(p, row_step, col_step, d + c, g->out_height, g->out_width, out_channels, out + c);
        }
        for (; c + 4 <= out_channels; c += 4) {
          if (rows == 4) {
            filter_grad_4x4(p, row_step, col_step, d + c, g->out_height, g->out_width, out_channels, out + c);
          } else {
            for (int r = 0; r < rows; r++) {
              filter_grad_1x4(p + r, row_step, col_step, d + c, g->out_height, g->out_width, out_channels,
                              out + r * out_channels + c);
            }
          }
        }
        for (; c < out_channels; c++) {
          for (int r = 0; r < rows; r++) {
            float a = out[r * out_channels + c];
            for (int oh = 0; oh < g->out_height; oh++) {
              const float *pp = p + oh * row_step + r;
              const float *dd = d + oh * g->out_width * out_channels + c;
              for (int ow = 0; ow < g->out_width; ow++) a += pp[ow * col_step] * dd[ow * out_channels];
            }
            out[r * out_channels + c] = a;
          }
        }
      }
    }
  }
}

// Register tiles of the input gradient: input_grad_RxN computes, for r < R and c < N,
// sum over k < out_channels of d[r * out_channels + k] * w[k * w_stride + c] and adds it to
// t[r * t_step + c]. Named accumulators as for the filter-gradient tiles.
#define INPUT_GRAD_TILE(NAME, SETUP, BODY, FINISH)                                                            \
  static void NAME(const float *d, const float *w, int w_stride, int out_channels, float *t, int t_step) {   \
    SETUP                                                                                                     \
    for (int k = 0; k < out_channels; k++, w += w_stride) {                                                   \
      BODY                                                                                                    \
    }                                                                                                         \
    FINISH                                                                                                    \
  }

#define ZERO2(r) v128_t a##r##0 = wasm_f32x4_splat(0), a##r##1 = a##r##0;
#define ADD2(r)                                                                                \
  {                                                                                            \
    float *tt = t + r * t_step;                                                                \
    wasm_v128_store(tt, wasm_f32x4_add(wasm_v128_load(tt), a##r##0));                          \
    wasm_v128_store(tt + 4, wasm_f32x4_add(wasm_v128_load(tt + 4), a##r##1));                  \
  }
#define IG_STEP2(r)                                                                            \
  {                                                                                            \
    const v128_t b = wasm_v128_load32_splat(d + r * out_channels + k);                         \
    a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(b, w0));                                  \
    a##r##1 = wasm_f32x4_add(a##r##1, wasm_f32x4_mul(b, w1));                                  \
  }
#define ZERO1(r) v128_t a##r##0 = wasm_f32x4_splat(0);
#define ADD1(r)                                                                                \
  {                                                                                            \
    float *tt = t + r * t_step;                                                                \
    wasm_v128_store(tt, wasm_f32x4_add(wasm_v128_load(tt), a##r##0));                          \
  }
#define IG_STEP1(r) a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(wasm_v128_load32_splat(d + r * out_channels + k), w0));
#define W2 const v128_t w0 = wasm_v128_load(w), w1 = wasm_v128_load(w + 4);
#define W1 const v128_t w0 = wasm_v128_load(w);

INPUT_GRAD_TILE(input_grad_4x8, ZERO2(0) ZERO2(1) ZERO2(2) ZERO2(3), W2 IG_STEP2(0) IG_STEP2(1) IG_STEP2(2) IG_STEP2(3),
                ADD2(0) ADD2(1) ADD2(2) ADD2(3))
INPUT_GRAD_TILE(input_grad_3x8, ZERO2(0) ZERO2(1) ZERO2(2), W2 IG_STEP2(0) IG_STEP2(1) IG_STEP2(2),
                ADD2(0) ADD2(1) ADD2(2))
INPUT_GRAD_TILE(input_grad_2x8, ZERO2(0) ZERO2(1), W2 IG_STEP2(0) IG_STEP2(1), ADD2(0) ADD2(1))
INPUT_GRAD_TILE(input_grad_1x8, ZERO2(0), W2 IG_STEP2(0), ADD2(0))
INPUT_GRAD_TILE(input_grad_4x4, ZERO1(0) ZERO1(1) ZERO1(2) ZERO1(3), W1 IG_STEP1(0) IG_STEP1(1) IG_STEP1(2) IG_STEP1(3),
                ADD1(0) ADD1(1) ADD1(2) ADD1(3))
INPUT_GRAD_TILE(input_grad_1x4, ZERO1(0), W1 IG_STEP1(0), ADD1(0))

// Adds the gradient of `count` consecutive output positions (1 to 4) of one output row to `target`, the
// padded-image cell that the first position's tap (kh, kw) reads. `d` is the dy row of the first position
// and `w` the tap's [out_channels, channels] transposed filter.
static void input_grad_positions(const float *d, const float *w, int channels, int out_channels, float *target,
                                 int t_step, int count) {
  int c = 0;
  for (; c + 8 <= channels; c += 8) {
    switch (count) {
      case 4: input_grad_4x8(d, w + c, channels, out_channels, target + c, t_step); break;
      case 3: input_grad_3x8(d, w + c, channels, out_channels, target + c, t_step); break;
      case 2: input_grad_2x8(d, w + c, channels, out_channels, target + c, t_step); break;
      default: input_grad_1x8(d, w + c, channels, out_channels, target + c, t_step); break;
    }
  }
  for (; c + 4 <= channels; c += 4) {
    if (count == 4) {
      input_grad_4x4(d, w + c, channels, out_channels, target + c, t_step);
    } else {
      for (int r = 0; r < count; r++) {
        input_grad_1x4(d + r * out_channels, w + c, channels, out_channels, target + r * t_step + c, t_step);
      }
    }
  }
  for (; c < channels; c++) {
    for (int r = 0; r < count; r++) {
      float a = 0;
      for (int k = 0; k < out_channels; k++) a += d[r * out_channels + k] * w[k * channels + c];
      target[r * t_step + c] += a;
    }
  }
}

// Input gradient of a regular convolution: dx[ih, iw, ci] = sum over taps (kh, kw) and output channels co
// of dy[oh, ow, co] * filter[kh, kw, ci, co] where ih = oh * stride_height + kh - pad_top and iw likewise.
// Geometry as for the depthwise kernels, with `channels` the input channels. `filter_t` is scratch of
// filter_height * filter_width * out_channels * channels floats for the filter with its channel axes
// swapped. Each image is scattered into `padded` (scratch of padded_height * padded_width * channels
// floats) in register tiles of 4 output positions by 8 input channels, and its interior copied to dx.
EXPORT(conv_input_grad)
void conv_input_grad(const float *dy, const float *filter, const int *geometry_ints, int out_channels,
                     float *filter_t, float *padded, float *dx) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const int height = padded_height(g);
  const int width = padded_width(g);
  const int taps = g->filter_height * g->filter_width;
  for (int tap = 0; tap < taps; tap++) {
    transpose(filter + tap * C * out_channels, C, out_channels, filter_t + tap * C * out_channels);
  }
  const int t_step = g->stride_width * C;
  for (int image = 0; image < g->batch; image++) {
    fill_f32(padded, height * width * C, 0);
    for (int oh = 0; oh < g->out_height; oh++) {
      const float *d_row = dy + (image * g->out_height + oh) * g->out_width * out_channels;
      for (int ow = 0; ow < g->out_width; ow += 4) {
        const int count = min_int(4, g->out_width - ow);
        const float *d = d_row + ow * out_channels;
        for (int kh = 0; kh < g->filter_height; kh++) {
          float *row = padded + ((oh * g->stride_height + kh) * width + ow * g->stride_width) * C;
          for (int kw = 0; kw < g->filter_width; kw++) {
            const float *w = filter_t + (kh * g->filter_width + kw) * out_channels * C;
            input_grad_positions(d, w, C, out_channels, row + kw * C, t_step, count);
          }
        }
      }
    }
    for (int ih = 0; ih < g->in_height; ih++) {
      float *target = dx + (image * g->in_height + ih) * g->in_width * C;
      const int row = ih + g->pad_top;
      // Columns of the padded image that contain input columns [0, in_width). The rest got no gradient.
      const int first = min_int(g->in_width, max_int(0, -g->pad_left));
      const int end = row < height ? max_int(first, min_int(g->in_width, width - g->pad_left)) : first;
      fill_f32(target, first * C, 0);
      if (end > first) {
        __builtin_memcpy(target + first * C, padded + (row * width + first + g->pad_left) * C,
                         (end - first) * C * sizeof(float));
      }
      fill_f32(target + end * C, (g->in_width - end) * C, 0);
    }
  }
}

// Register tiles of the forward convolution: conv_RxN computes, for r < R positions and c < N output
// channels, bias[c] + sum over kh < kh_count and k < window of p[kh * p_row + r * p_step + k] *
// w[(kh * window + k) * out_channels + c], applies ReLU when `relu` is nonzero, and writes it to
// t[r * out_channels + c]. Named accumulators as for the filter-gradient tiles.
#define CONV_TILE(NAME, SETUP, BODY, FINISH)                                                                  \
  static void NAME(const float *p, int p_row, int kh_count, int window, int p_step, const float *w,          \
                   int out_channels, const float *bias, int relu, float *t) {                                \
    SETUP                                                                                                     \
    for (int kh = 0; kh < kh_count; kh++) {                                                                   \
      const float *d = p + kh * p_row;                                                                        \
      const float *ww = w + kh * window * out_channels;                                                      \
      for (int k = 0; k < window; k++, ww += out_channels) {                                                  \
        BODY                                                                                                  \
      }                                                                                                       \
    }                                                                                                         \
    const v128_t floor = relu ? wasm_f32x4_splat(0) : wasm_f32x4_splat(-__builtin_inff());                   \
    FINISH                                                                                                    \
  }

#define BIAS2(r) v128_t a##r##0 = wasm_v128_load(bias), a##r##1 = wasm_v128_load(bias + 4);
#define BIAS1(r) v128_t a##r##0 = wasm_v128_load(bias);
#define CV_W2 const v128_t w0 = wasm_v128_load(ww), w1 = wasm_v128_load(ww + 4);
#define CV_W1 const v128_t w0 = wasm_v128_load(ww);
#define CV_STEP2(r)                                                                            \
  {                                                                                            \
    const v128_t b = wasm_v128_load32_splat(d + r * p_step + k);                               \
    a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(b, w0));                                  \
    a##r##1 = wasm_f32x4_add(a##r##1, wasm_f32x4_mul(b, w1));                                  \
  }
#define CV_STEP1(r) a##r##0 = wasm_f32x4_add(a##r##0, wasm_f32x4_mul(wasm_v128_load32_splat(d + r * p_step + k), w0));
#define CV_OUT2(r)                                                                             \
  wasm_v128_store(t + r * out_channels, wasm_f32x4_pmax(a##r##0, floor));                      \
  wasm_v128_store(t + r * out_channels + 4, wasm_f32x4_pmax(a##r##1, floor));
#define CV_OUT1(r) wasm_v128_store(t + r * out_channels, wasm_f32x4_pmax(a##r##0, floor));

CONV_TILE(conv_4x8, BIAS2(0) BIAS2(1) BIAS2(2) BIAS2(3), CV_W2 CV_STEP2(0) CV_STEP2(1) CV_STEP2(2) CV_STEP2(3),
          CV_OUT2(0) CV_OUT2(1) CV_OUT2(2) CV_OUT2(3))
CONV_TILE(conv_1x8, BIAS2(0), CV_W2 CV_STEP2(0), CV_OUT2(0))
CONV_TILE(conv_4x4, BIAS1(0) BIAS1(1) BIAS1(2) BIAS1(3), CV_W1 CV_STEP1(0) CV_STEP1(1) CV_STEP1(2) CV_STEP1(3),
          CV_OUT1(0) CV_OUT1(1) CV_OUT1(2) CV_OUT1(3))
CONV_TILE(conv_1x4, BIAS1(0), CV_W1 CV_STEP1(0), CV_OUT1(0))

// Forward convolution with bias and optional ReLU: y[oh, ow, co] = bias[co] + sum over (kh, kw, ci) of
// x[oh * stride_height + kh - pad_top, ow * stride_width + kw - pad_left, ci] * filter[kh, kw, ci, co],
// with zeros outside x, then max(y, 0) when `relu` is nonzero. Geometry as for the depthwise kernels, with
// `channels` the input channels. Each image is copied into `padded` (scratch of padded_height *
// padded_width * channels floats), so that for one kh a filter window is filter_width * channels
// consecutive floats. The tiles span 4 output positions of a row by 8 output channels. pmax keeps y
// where it is NaN.
EXPORT(conv_forward)
void conv_forward(const float *x, const float *filter, const float *bias, const int *geometry_ints,
                  int out_channels, int relu, float *padded, float *y) {
  const Geometry *g = (const Geometry *)geometry_ints;
  const int C = g->channels;
  const int width = padded_width(g);
  const int window = g->filter_width * C;
  const int p_row = width * C;
  const int p_step = g->stride_width * C;
  fill_f32(padded, padded_height(g) * width * C, 0);
  for (int image = 0; image < g->batch; image++) {
    copy_into_padded(x, g, image, padded);
    for (int oh = 0; oh < g->out_height; oh++) {
      const float *p_base = padded + oh * g->stride_height * p_row;
      float *y_row = y + (image * g->out_height + oh) * g->out_width * out_channels;
      for (int ow = 0; ow < g->out_width; ow += 4) {
        const int count = min_int(4, g->out_width - ow);
        const float *p = p_base + ow * p_step;
        float *t = y_row + ow * out_channels;
        int c = 0;
        for (; c + 8 <= out_channels; c += 8) {
          if (count == 4) {
            conv_4x8(p, p_row, g->filter_height, window, p_step, filter + c, out_channels, bias + c, relu, t + c);
          } else {
            for (int r = 0; r < count; r++) {
              conv_1x8(p + r * p_step, p_row, g->filter_height, window, p_step, filter + c, out_channels, bias + c,
                       relu, t + r * out_channels + c);
            }
          }
        }
        for (; c + 4 <= out_channels; c += 4) {
          if (count == 4) {
            conv_4x4(p, p_row, g->filter_height, window, p_step, filter + c, out_channels, bias + c, relu, t + c);
          } else {
            for (int r = 0; r < count; r++) {
              conv_1x4(p + r * p_step, p_row, g->filter_height, window, p_step, filter + c, out_channels, bias + c,
                       relu, t + r * out_channels + c);
            }
          }
        }
        for (; c < out_channels; c++) {
          for (int r = 0; r < count; r++) {
            float a = bias[c];
            for (int kh = 0; kh < g->filter_height; kh++) {
              const float *d = p + r * p_step + kh * p_row;
              const float *ww = filter + kh * window * out_channels + c;
              for (int k = 0; k < window; k++) a += d[k] * ww[k * out_channels];
            }
            t[r * out_channels + c] = relu && a < 0 ? 0 : a;
          }
        }
      }
    }
  }
}

// ReLU gradient as tfjs 4.22 computes it, dy * step(x): dx = dy where x > 0, dy * NaN where x is NaN, and
// dy * 0 elsewhere, over `count` floats.
EXPORT(relu_grad)
void relu_grad(const float *x, const float *dy, int count, float *dx) {
  const v128_t zero = wasm_f32x4_splat(0);
  const v128_t one = wasm_f32x4_splat(1);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    v128_t step = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(v, zero));
    step = wasm_v128_bitselect(v, step, wasm_f32x4_ne(v, v));
    wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), step));
  }
  for (; i < count; i++) {
    const float v = x[i];
    float step = v > 0 ? 1.0f : 0.0f;
    if (v != v) step = v;
    dx[i] = dy[i] * step;
  }
}
