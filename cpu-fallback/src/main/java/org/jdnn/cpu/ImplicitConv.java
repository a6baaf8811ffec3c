package org.jdnn.cpu;

import org.jdnn.cpu.gemm.GemmKernel;
import org.jdnn.cpu.gemm.PackedSgemm;
import org.jdnn.spi.ConvGeometry;

/**
 * Stride-1 convolution as a GEMM whose B operand is never built: the sample is copied once into a
 * zero-padded buffer, and row {@code (c, kd, kh, kw)} of the im2col matrix is then that buffer
 * read from offset {@code c*Vp + kd*dil*Hp*Wp + kh*dil*Wp + kw*dil} on, one flat run. The GEMM's
 * packing reads those rows in place ({@link org.jdnn.cpu.gemm.PackedSgemm} with row offsets), so
 * im2col's copy and its per-row overhead are gone; the price is that the output is computed on
 * the padded width ({@code Wp} columns per row, the last {@code Wp - OW} of them garbage) and
 * compacted afterwards. With LeNet's small planes (im2col rows of 10 to 28 floats) im2col was the
 * largest item of the step's profile; this removes it.
 *
 * <p>Layouts, 3 spatial axes canonical (1-d and 2-d have leading sizes of 1): a padded plane is
 * {@code Dp x Hp x Wp}; a flat output row holds {@code L = (OD-1) Hp Wp + (OH-1) Wp + OW}
 * values, the valid output {@code (od, oh, ow)} at {@code od Hp Wp + oh Wp + ow}.
 */
final class ImplicitConv {
  final int[] in;
  final int[] out;
  final int[] k;
  final int[] p;
  final int[] d;
  final int taps;
  final int inVolume;
  final int outVolume;
  /** Padded input plane and its size. */
  final int dp, hp, wp, paddedVolume;
  /** Length of a flat output row. */
  final int flat;
  /** Offset of each im2col row (c, tap) in the padded buffer of {@code channels} planes. */
  final int[] rows;
  final boolean padded;

  /** Whether the geometry is one this path computes: stride 1 on every axis. */
  static boolean applies(ConvGeometry g) {
    for (int s : g.stride) if (s != 1) return false;
    return true;
  }

  /**
   * @param channels planes per sample in the image convolved (input channels of one group)
   */
  ImplicitConv(int channels, int[] inSize, int[] outSize, int[] kernel, int[] padding, int[] dilation) {
    in = NaiveBackend.to3(inSize, 1);
    out = NaiveBackend.to3(outSize, 1);
    k = NaiveBackend.to3(kernel, 1);
    p = NaiveBackend.to3(padding, 0);
    d = NaiveBackend.to3(dilation, 1);
    taps = k[0] * k[1] * k[2];
    inVolume = in[0] * in[1] * in[2];
    outVolume = out[0] * out[1] * out[2];
    dp = in[0] + 2 * p[0];
    hp = in[1] + 2 * p[1];
    wp = in[2] + 2 * p[2];
    paddedVolume = dp * hp * wp;
    flat = (out[0] - 1) * hp * wp + (out[1] - 1) * wp + out[2];
    padded = p[0] + p[1] + p[2] > 0;
    rows = new int[channels * taps];
    int r = 0;
    for (int c = 0; c < channels; c++) {
      for (int kd = 0; kd < k[0]; kd++) {
        for (int kh = 0; kh < k[1]; kh++) {
          for (int kw = 0; kw < k[2]; kw++) {
            rows[r++] = c * paddedVolume + (kd * d[0] * hp + kh * d[1]) * wp + kw * d[2];
          }
        }
      }
    }
  }

  /** The forward geometry of one group of {@code g}. */
  static ImplicitConv forward(ConvGeometry g) {
    return new ImplicitConv(g.inChannels / g.groups, g.inSize, g.outSize, g.kernel, g.padding, g.dilation);
  }

  /** Copies {@code channels} planes from {@code x[xOff]} into {@code dst} with zero borders. */
  void pad(float[] x, int xOff, int channels, float[] dst) {
    java.util.Arrays.fill(dst, 0, channels * paddedVolume, 0f);
    for (int c = 0; c < channels; c++) {
      for (int id = 0; id < in[0]; id++) {
        for (int ih = 0; ih < in[1]; ih++) {
          System.arraycopy(x, xOff + ((c * in[0] + id) * in[1] + ih) * in[2], dst,
              c * paddedVolume + ((id + p[0]) * hp + ih + p[1]) * wp + p[2], in[2]);
        }
      }
    }
  }

  /** Valid outputs of {@code channels} flat rows (row stride {@code flat}) into dense planes at {@code y[yOff]}. */
  void compact(float[] src, int channels, float[] y, int yOff) {
    for (int c = 0; c < channels; c++) {
      for (int od = 0; od < out[0]; od++) {
        for (int oh = 0; oh < out[1]; oh++) {
          System.arraycopy(src, c * flat + (od * hp + oh) * wp, y, yOff + ((c * out[0] + od) * out[1] + oh) * out[2],
              out[2]);
        }
      }
    }
  }

  /** Dense planes at {@code y[yOff]} into flat rows (row stride {@code flat}) with zeros in the gaps. */
  void expand(float[] y, int yOff, int channels, float[] dst) {
    java.util.Arrays.fill(dst, 0, channels * flat, 0f);
    for (int c = 0; c < channels; c++) {
      for (int od = 0; od < out[0]; od++) {
        for (int oh = 0; oh < out[1]; oh++) {
          System.arraycopy(y, yOff + ((c * out[0] + od) * out[1] + oh) * out[2], dst, c * flat + (od * hp + oh) * wp,
              out[2]);
        }
      }
    }
  }

  // ---------------------------------------------------------------- the three convolutions

  /**
   * {@code y = conv(x, w)}: per sample and group, {@code Y_g (coutG x flat) = W_g (coutG x cinG
   * taps) @ B}, B's rows being shifted runs of the padded sample. Samples are split over the
   * threads, or, when fewer than the threads, each GEMM is.
   */
  static void forward(PackedSgemm gemm, CpuThreads threads, ConvGeometry g, float[] x, int xo, float[] w, int wo,
      float[] y, int yo) {
    ImplicitConv u = forward(g);
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int depth = cinG * u.taps;
    boolean split = g.batch >= threads.threads();
    CpuThreads.IntRangeBody body = (n0, n1) -> {
      float[] buf = u.padded ? Sgemm.scratch(1, g.inChannels * u.paddedVolume) : null;
      float[] out = Sgemm.scratch(2, coutG * u.flat);
      for (int n = n0; n < n1; n++) {
        int xn = xo + n * g.inChannels * u.inVolume;
        if (u.padded) u.pad(x, xn, g.inChannels, buf);
        float[] src = u.padded ? buf : x;
        int srcOff = u.padded ? 0 : xn;
        for (int gi = 0; gi < g.groups; gi++) {
          mm(gemm, !split, coutG, u.flat, depth, w, wo + gi * coutG * depth, depth, src,
              srcOff + gi * cinG * u.paddedVolume, u.rows, 0f, out, u.flat);
          u.compact(out, coutG, y, yo + (n * g.outChannels + gi * coutG) * u.outVolume);
        }
      }
    };
    if (split) threads.forRange(g.batch, 1, body);
    else body.run(0, g.batch);
  }

  /**
   * {@code dx = conv_transpose(dy, w)}: per group, {@code col (cinG taps x flat) = W_g^T @ dy_g},
   * dy expanded to the flat layout (zeros in the garbage columns), then folded back: row
   * {@code (c, tap)} of col is added as one contiguous run into the padded dx at that row's offset,
   * i.e. im2col's fold, but in runs of a whole flat row rather than of one output row. The
   * samples of a thread go through one GEMM (their flat rows side by side), so the kernel sees a
   * wide product even when C_out (the depth) is small. (Computing dx as the forward convolution
   * of dy, padded by k-1, with the flipped kernel costs 2.5x the multiply-adds on LeNet's C3: most
   * of the padded dy is zeros.)
   */
  static void backwardData(PackedSgemm gemm, CpuThreads threads, ConvGeometry g, float[] w, int wo, float[] dy,
      int dyo, float[] dx, int dxo) {
    ImplicitConv u = forward(g);
    GemmKernel kernel = gemm.kernel();
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int depth = cinG * u.taps;
    int perSample = g.outChannels * u.flat + depth * u.flat;
    int perPass = Math.max(1, STAGING / perSample);
    int chunks = Math.min(threads.threads(), g.batch);
    boolean split = chunks > 1;
    threads.forChunks(split ? chunks : 1, c -> {
      int n0 = split ? CpuThreads.from(g.batch, chunks, c) : 0;
      int n1 = split ? CpuThreads.from(g.batch, chunks, c + 1) : g.batch;
      int most = Math.min(perPass, n1 - n0);
      float[] dys = Sgemm.scratch(2, g.outChannels * most * u.flat); // [C_out][sample][flat]
      float[] col = Sgemm.scratch(3, depth * most * u.flat); // [cinG taps][sample][flat]
      float[] pad = Sgemm.scratch(1, g.inChannels * u.paddedVolume);
      for (int s0 = n0; s0 < n1; s0 += most) {
        int nb = Math.min(most, n1 - s0);
        int ld = nb * u.flat;
        java.util.Arrays.fill(dys, 0, g.outChannels * ld, 0f);
        for (int co = 0; co < g.outChannels; co++) {
          for (int q = 0; q < nb; q++) {
            int src = dyo + ((s0 + q) * g.outChannels + co) * u.outVolume;
            for (int od = 0; od < u.out[0]; od++) {
              for (int oh = 0; oh < u.out[1]; oh++) {
                System.arraycopy(dy, src + (od * u.out[1] + oh) * u.out[2], dys, co * ld + q * u.flat + (od * u.hp + oh) * u.wp,
                    u.out[2]);
              }
            }
          }
        }
        for (int gi = 0; gi < g.groups; gi++) {
          // col (depth x nb flat) = W_g^T (depth x coutG) @ dys_g (coutG x nb flat)
          if (split) {
            gemm.serial(true, false, depth, ld, coutG, 1f, w, wo + gi * coutG * depth, depth, dys, gi * coutG * ld, ld, 0f,
                col, 0, ld);
          } else {
            gemm.gemm(true, false, depth, ld, coutG, 1f, w, wo + gi * coutG * depth, depth, dys, gi * coutG * ld, ld, 0f,
                col, 0, ld);
          }
          for (int q = 0; q < nb; q++) {
            java.util.Arrays.fill(pad, 0, cinG * u.paddedVolume, 0f);
            for (int r = 0; r < depth; r++) kernel.addTo(col, r * ld + q * u.flat, pad, u.rows[r], u.flat);
            int dst = dxo + ((s0 + q) * g.inChannels + gi * cinG) * u.inVolume;
            for (int ci = 0; ci < cinG; ci++) { // the padded dx's interior
              for (int id = 0; id < u.in[0]; id++) {
                for (int ih = 0; ih < u.in[1]; ih++) {
                  System.arraycopy(pad, ci * u.paddedVolume + ((id + u.p[0]) * u.hp + ih + u.p[1]) * u.wp + u.p[2], dx,
                      dst + ((ci * u.in[0] + id) * u.in[1] + ih) * u.in[2], u.in[2]);
                }
              }
            }
          }
        }
      }
    });
  }

  /**
   * {@code dw = sum_n dy_n @ B_n^T}: dy expanded to the flat layout (zeros in the garbage
   * columns, so they add nothing), B's rows read in place as in the forward. Each chunk of
   * samples sums into its own buffer and the buffers are added in chunk order: the result depends
   * on the thread count only.
   */
  static void backwardFilter(PackedSgemm gemm, CpuThreads threads, ConvGeometry g, float[] x, int xo, float[] dy,
      int dyo, float[] dw, int dwo) {
    if (gemm.kernel().hasDotRows()) {
      backwardFilterDots(gemm.kernel(), threads, g, x, xo, dy, dyo, dw, dwo);
      return;
    }
    ImplicitConv u = forward(g);
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int depth = cinG * u.taps;
    int wSize = g.outChannels * depth;
    boolean split = g.batch >= threads.threads();
    int chunks = split ? threads.threads() : 1;
    float[][] partial = new float[chunks][];
    threads.forChunks(chunks, c -> {
      float[] acc = chunks == 1 ? dw : new float[wSize];
      int accOff = chunks == 1 ? dwo : 0;
      float[] buf = u.padded ? Sgemm.scratch(1, g.inChannels * u.paddedVolume) : null;
      float[] dyFlat = Sgemm.scratch(2, coutG * u.flat);
      int n0 = CpuThreads.from(g.batch, chunks, c);
      int n1 = CpuThreads.from(g.batch, chunks, c + 1);
      for (int n = n0; n < n1; n++) {
        int xn = xo + n * g.inChannels * u.inVolume;
        if (u.padded) u.pad(x, xn, g.inChannels, buf);
        float[] src = u.padded ? buf : x;
        int srcOff = u.padded ? 0 : xn;
        for (int gi = 0; gi < g.groups; gi++) {
          u.expand(dy, dyo + (n * g.outChannels + gi * coutG) * u.outVolume, coutG, dyFlat);
          // dW_g (coutG x depth) += dyFlat (coutG x flat) @ B^T, B^T's column j being row j of B
          if (split) {
            gemm.serial(false, true, coutG, depth, u.flat, 1f, dyFlat, 0, u.flat, src, srcOff + gi * cinG * u.paddedVolume,
                0, u.rows, n == n0 ? 0f : 1f, acc, accOff + gi * coutG * depth, depth);
          } else {
            gemm.gemm(false, true, coutG, depth, u.flat, 1f, dyFlat, 0, u.flat, src, srcOff + gi * cinG * u.paddedVolume,
                0, u.rows, n == n0 ? 0f : 1f, acc, accOff + gi * coutG * depth, depth);
          }
        }
      }
      partial[c] = acc;
    });
    if (chunks == 1) return;
    System.arraycopy(partial[0], 0, dw, dwo, wSize);
    for (int c = 1; c < chunks; c++) {
      float[] p = partial[c];
      for (int i = 0; i < wSize; i++) dw[dwo + i] += p[i];
    }
  }

  /** Floats of per-thread staging for the batched filter gradient: 2M (8 MiB) bounds the samples per pass. */
  private static final int STAGING = 1 << 21;

  /**
   * The filter gradient as dot products over all the samples of a thread at once
   * ({@link GemmKernel#dotRows}): the samples are staged padded (each plane followed by a little
   * zero slack) and dy expanded to the flat layout with each row rounded up to whole vectors, so
   * every dot runs in whole vectors and each of the 4x4 blocks of sums is reduced once, not once
   * per sample. LeNet's C3 has flat rows of 136 floats: per-sample reductions and vector tails
   * cost as much as the FMAs.
   *
   * <p>Like the GEMM path, this multiplies the garbage columns of the flat layout (zeros in dy)
   * by whatever input they overlap, so an infinite or NaN input can reach more filter-gradient
   * entries than in the reference, which only pairs it with real outputs.
   */
  private static void backwardFilterDots(GemmKernel kernel, CpuThreads threads, ConvGeometry g, float[] x, int xo,
      float[] dy, int dyo, float[] dw, int dwo) {
    ImplicitConv u = forward(g);
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int depth = cinG * u.taps;
    int wSize = g.outChannels * depth;
    int row = (u.flat + kernel.step - 1) / kernel.step * kernel.step; // a flat row in whole vectors
    int plane = u.paddedVolume + row - u.flat; // room for the last tap's overrun
    int[] rows = new int[u.rows.length];
    for (int r = 0; r < rows.length; r++) rows[r] = u.rows[r] / u.paddedVolume * plane + u.rows[r] % u.paddedVolume;
    int xSample = g.inChannels * plane;
    int dySample = g.outChannels * row;
    int perPass = Math.max(1, STAGING / (xSample + dySample));
    int chunks = Math.min(threads.threads(), g.batch);
    float[][] partial = new float[chunks][];
    threads.forChunks(chunks, c -> {
      float[] acc = chunks == 1 ? dw : new float[wSize];
      int accOff = chunks == 1 ? dwo : 0;
      int n0 = CpuThreads.from(g.batch, chunks, c);
      int n1 = CpuThreads.from(g.batch, chunks, c + 1);
      int most = Math.min(perPass, n1 - n0);
      float[] xs = Sgemm.scratch(1, most * xSample);
      float[] dys = Sgemm.scratch(2, most * dySample);
      for (int s0 = n0; s0 < n1; s0 += most) {
        int nb = Math.min(most, n1 - s0);
        java.util.Arrays.fill(xs, 0, nb * xSample, 0f);
        java.util.Arrays.fill(dys, 0, nb * dySample, 0f);
        for (int q = 0; q < nb; q++) {
          int n = s0 + q;
          for (int ci = 0; ci < g.inChannels; ci++) { // pad into planes of the staging stride
            for (int id = 0; id < u.in[0]; id++) {
              for (int ih = 0; ih < u.in[1]; ih++) {
                System.arraycopy(x, xo + (((n * g.inChannels + ci) * u.in[0] + id) * u.in[1] + ih) * u.in[2], xs,
                    q * xSample + ci * plane + ((id + u.p[0]) * u.hp + ih + u.p[1]) * u.wp + u.p[2], u.in[2]);
              }
            }
          }
          for (int co = 0; co < g.outChannels; co++) { // dy into flat rows
            for (int od = 0; od < u.out[0]; od++) {
              for (int oh = 0; oh < u.out[1]; oh++) {
                System.arraycopy(dy, dyo + (((n * g.outChannels + co) * u.out[0] + od) * u.out[1] + oh) * u.out[2], dys,
                    q * dySample + co * row + (od * u.hp + oh) * u.wp, u.out[2]);
              }
            }
          }
        }
        for (int gi = 0; gi < g.groups; gi++) {
          kernel.dotRows(coutG, depth, row, nb, dys, gi * coutG * row, row, dySample, xs, gi * cinG * plane, rows,
              xSample, s0 == n0 ? 0f : 1f, acc, accOff + gi * coutG * depth, depth);
        }
      }
      partial[c] = acc;
    });
    if (chunks == 1) return;
    System.arraycopy(partial[0], 0, dw, dwo, wSize);
    for (int c = 1; c < chunks; c++) {
      float[] p = partial[c];
      for (int i = 0; i < wSize; i++) dw[dwo + i] += p[i];
    }
  }

  /** C (m x n, dense) = A (m x depth) @ B, B's rows at {@code bOff + rows[r]}; over the threads when {@code parallel}. */
  private static void mm(PackedSgemm gemm, boolean parallel, int m, int n, int depth, float[] a, int aOff,
      int lda, float[] b, int bOff, int[] rows, float beta, float[] c, int ldc) {
    if (parallel) gemm.gemm(false, false, m, n, depth, 1f, a, aOff, lda, b, bOff, 0, rows, beta, c, 0, ldc);
    else gemm.serial(false, false, m, n, depth, 1f, a, aOff, lda, b, bOff, 0, rows, beta, c, 0, ldc);
  }
}
