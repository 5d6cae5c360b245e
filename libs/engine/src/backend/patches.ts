import type { ConvGeometry } from './conv-geometry.js';

// Patch copies between NHWC images and column matrices for convolution gradients. All arrays are flat
// Float32Array views, usually straight on the WASM heap, and row `k` of a column matrix stands for the
// filter tap (kh, kw, channel) with k = (kh * filterWidth + kw) * channels + channel, the same order as
// a [filterHeight, filterWidth, inChannels, outChannels] filter.

/** Returns the first output column whose tap `kw` falls inside the input. */
function firstValidColumn(g: ConvGeometry, kw: number): number {
  return Math.max(0, Math.ceil((g.padLeft - kw) / g.strideWidth));
}

/** Returns one past the last output column whose tap `kw` falls inside the input. */
function endValidColumn(g: ConvGeometry, kw: number): number {
  return Math.min(g.outWidth, Math.floor((g.inWidth - 1 + g.padLeft - kw) / g.strideWidth) + 1);
}

/**
 * Writes the patches of images [firstImage, endImage) of `x` into `col` as a [taps, positions] matrix,
 * where taps = filterHeight * filterWidth * inChannels and positions = images * outHeight * outWidth.
 * Taps that fall into the padding are written as zeros.
 */
export function im2colByTap(
  x: Float32Array,
  g: ConvGeometry,
  firstImage: number,
  endImage: number,
  col: Float32Array,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, padTop, padLeft } =
    g;
  const positions = (endImage - firstImage) * outHeight * outWidth;
  const imageSize = inHeight * inWidth * inChannels;
  const step = strideWidth * inChannels;

  for (let image = firstImage; image < endImage; image++) {
    const xBase = image * imageSize;
    const colBase = (image - firstImage) * outHeight * outWidth;
    for (let kh = 0; kh < g.filterHeight; kh++) {
      for (let kw = 0; kw < g.filterWidth; kw++) {
        const owStart = firstValidColumn(g, kw);
        const owEnd = Math.max(owStart, endValidColumn(g, kw));
        for (let channel = 0; channel < inChannels; channel++) {
          let dst = ((kh * g.filterWidth + kw) * inChannels + channel) * positions + colBase;
          for (let oh = 0; oh < outHeight; oh++, dst += outWidth) {
            const ih = oh * strideHeight - padTop + kh;
            if (ih < 0 || ih >= inHeight) {
              for (let ow = 0; ow < outWidth; ow++) col[dst + ow] = 0;
              continue;
            }
            for (let ow = 0; ow < owStart; ow++) col[dst + ow] = 0;
            let src = xBase + (ih * inWidth + owStart * strideWidth - padLeft + kw) * inChannels + channel;
            for (let ow = owStart; ow < owEnd; ow++, src += step) col[dst + ow] = x[src];
            for (let ow = owEnd; ow < outWidth; ow++) col[dst + ow] = 0;
          }
        }
      }
    }
  }
}

/**
 * Adds a [positions, taps] column matrix for images [firstImage, endImage) back into the NHWC image
 * tensor `dx` (the adjoint of im2col). `dx` contains the whole batch and must be zeroed by the caller.
 */
export function col2imAdd(
  col: Float32Array,
  g: ConvGeometry,
  firstImage: number,
  endImage: number,
  dx: Float32Array,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const taps = filterHeight * filterWidth * inChannels;
  let row = 0;

  for (let image = firstImage; image < endImage; image++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, row += taps) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const dst = ((image * inHeight + ih) * inWidth + iw) * inChannels;
            const src = row + (kh * filterWidth + kw) * inChannels;
            for (let channel = 0; channel < inChannels; channel++) dx[dst + channel] += col[src + channel];
          }
        }
      }
    }
  }
}

/** Writes the transpose of the [rows, cols] matrix `source` into `target` as [cols, rows]. */
export function transpose2d(source: Float32Array, rows: number, cols: number, target: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) target[c * rows + r] = source[base + c];
  }
}
