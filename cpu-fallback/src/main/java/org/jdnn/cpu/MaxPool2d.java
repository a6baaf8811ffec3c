package org.jdnn.cpu;

import org.jdnn.cpu.gemm.GemmKernel;
import org.jdnn.spi.PoolGeometry;

/**
 * Max pooling of 2-d planes (any window, stride, padding, dilation, ceil mode), the fast path of
 * {@link CpuBackend}: instead of a window scan per output with bounds tests on every tap, it
 * sweeps each input row of a window across a whole output row, over the columns that lie inside
 * the input (computed once per tap). NaN wins, as in the reference; a window that only covers
 * padding gives -infinity.
 *
 * <p>2x2 windows of stride 2 (LeNet's, VGG's, most CNNs') go through
 * {@link GemmKernel#maxPool2x2}, vectorised by the Vector API kernel.
 *
 * <p>The backward routes each gradient to the window's first element equal to the forward output
 * (the first NaN where the output is NaN): the same element as the reference's first maximum.
 */
final class MaxPool2d {
  private final int h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw;
  final int inPlane;
  final int outPlane;

  /** Whether {@code g} is max pooling over 2-d planes (or 3-d ones of depth 1 with a window of depth 1). */
  static boolean applies(PoolGeometry g) {
    int r = g.spatialRank();
    return g.mode == PoolGeometry.Mode.MAX && (r == 2 || r == 1
        || r == 3 && g.inSize[0] == 1 && g.kernel[0] == 1 && g.padding[0] == 0);
  }

  MaxPool2d(PoolGeometry g) {
    int[] in = NaiveBackend.to3(g.inSize, 1);
    int[] out = NaiveBackend.to3(g.outSize, 1);
    int[] k = NaiveBackend.to3(g.kernel, 1);
    int[] s = NaiveBackend.to3(g.stride, 1);
    int[] p = NaiveBackend.to3(g.padding, 0);
    int[] d = NaiveBackend.to3(g.dilation, 1);
    h = in[1];
    w = in[2];
    oh = out[1];
    ow = out[2];
    kh = k[1];
    kw = k[2];
    sh = s[1];
    sw = s[2];
    ph = p[1];
    pw = p[2];
    dh = d[1];
    dw = d[2];
    inPlane = in[0] * h * w;
    outPlane = out[0] * oh * ow;
  }

  private int lo(int iw0) {
    return iw0 >= 0 ? 0 : Math.min(ow, (-iw0 + sw - 1) / sw);
  }

  private int hi(int iw0) {
    int last = w - 1 - iw0;
    return last < 0 ? 0 : Math.min(ow, last / sw + 1);
  }

  /** The common case: 2x2 windows, stride 2, no padding or dilation. */
  private boolean twoByTwo() {
    return kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1;
  }

  /** One plane of x into one plane of y. */
  void forward(GemmKernel kernel, float[] x, int xOff, float[] y, int yOff) {
    if (twoByTwo()) {
      for (int r = 0; r < oh; r++) kernel.maxPool2x2(x, xOff + 2 * r * w, xOff + (2 * r + 1) * w, y, yOff + r * ow, ow);
      return;
    }
    for (int r = 0; r < oh; r++) {
      int yr = yOff + r * ow;
      java.util.Arrays.fill(y, yr, yr + ow, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < kh; i++) {
        int ih = r * sh - ph + i * dh;
        if (ih < 0 || ih >= h) continue;
        int xr = xOff + ih * w;
        for (int j = 0; j < kw; j++) {
          int iw0 = -pw + j * dw;
          int hi = hi(iw0);
          // Math.max: NaN wins, as in the reference, and no branch to mispredict on random data.
          // (It also prefers +0 to -0, which equal each other: the backward's search is unaffected.)
          for (int c = lo(iw0); c < hi; c++) y[yr + c] = Math.max(y[yr + c], x[xr + c * sw + iw0]);
        }
      }
    }
  }

  /** Adds each output's gradient to its window's first maximum in {@code dx} (zeroed by the caller). */
  void backward(GemmKernel kernel, float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    if (twoByTwo()) {
      for (int r = 0; r < oh; r++) {
        kernel.maxPool2x2Backward(x, xOff + 2 * r * w, xOff + (2 * r + 1) * w, y, yOff + r * ow, dy, dyOff + r * ow, dx,
            dxOff + 2 * r * w, dxOff + (2 * r + 1) * w, ow);
      }
      return;
    }
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        int o = r * ow + c;
        route(x, xOff, r, c, y[yOff + o], dy[dyOff + o], dx, dxOff);
      }
    }
  }

  /**
   * Adds {@code g} at the window's first element equal to {@code max} (the first NaN when it is
   * NaN). Branch-free over the window: which element holds the maximum is random on real data,
   * and the search's branch mispredicted on most windows (JFR: a quarter of the step's pooling).
   */
  private void route(float[] x, int xOff, int r, int c, float max, float g, float[] dx, int dxOff) {
    boolean nan = max != max;
    int gBits = Float.floatToRawIntBits(g);
    int pending = -1; // all ones until the gradient has gone somewhere
    for (int i = 0; i < kh; i++) {
      int ih = r * sh - ph + i * dh;
      if (ih < 0 || ih >= h) continue;
      for (int j = 0; j < kw; j++) {
        int iw = c * sw - pw + j * dw;
        if (iw < 0 || iw >= w) continue;
        int at = ih * w + iw;
        float v = x[xOff + at];
        int hit = ((v == max) | (nan & v != v) ? -1 : 0) & pending;
        dx[dxOff + at] += Float.intBitsToFloat(gBits & hit);
        pending &= ~hit;
      }
    }
  }
}
