package org.jdnn.cuda;

import org.jdnn.spi.PoolGeometry;

/**
 * How one pooling is computed: by cuDNN where its semantics are exactly the reference's, else by
 * jdnn's own kernel ({@code pool_forward_*}, {@code pool_backward_*}).
 *
 * <p>cuDNN's pooling matches {@code NaiveBackend} only when there is no dilation (cuDNN has none)
 * and every window lies inside the padded input, i.e. the output size is the floor formula: in
 * ceil mode PyTorch adds windows that hang over the padded edge, whose include-pad divisor is the
 * clipped window, while cuDNN divides by the whole window. Max-pooling backward always uses jdnn's
 * kernel, because the SPI routes each gradient to the first maximum of its window (ties included),
 * which cuDNN does not promise.
 *
 * @param cudnnForward whether {@code cudnnPoolingForward} computes the forward
 * @param cudnnBackward whether {@code cudnnPoolingBackward} computes the backward
 * @param why why cuDNN is not used, or null
 * @param xDims, yDims cuDNN tensors (4-d, or 5-d for 3 spatial axes)
 * @param window, padding, stride cuDNN's pooling descriptor (2 or 3 axes)
 * @param kernelParams the {@code Pool} struct of the kernels: mode, N*C, then in, out, kernel,
 *     stride, padding, dilation padded to 3 axes on the left
 */
public record PoolPlan(boolean cudnnForward, boolean cudnnBackward, String why, int cudnnMode, int[] xDims,
    int[] yDims, int[] window, int[] padding, int[] stride, int[] kernelParams) {

  /** cudnnPoolingMode_t values. */
  static final int CUDNN_POOLING_MAX = 0;
  static final int CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING = 1;
  static final int CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING = 2;

  public static PoolPlan of(PoolGeometry g) {
    int sr = g.spatialRank();
    String why = null;
    for (int i = 0; i < sr && why == null; i++) {
      if (g.dilation[i] != 1) why = "dilation (cuDNN pooling has none)";
      int floor = (g.inSize[i] + 2 * g.padding[i] - g.kernel[i]) / g.stride[i] + 1;
      if (why == null && g.outSize[i] != floor) why = "ceil mode adds a window past the padded input";
    }
    int cr = Math.max(2, sr);
    int lead = cr - sr;
    int[] x = new int[cr + 2];
    int[] y = new int[cr + 2];
    int[] win = new int[cr];
    int[] pad = new int[cr];
    int[] str = new int[cr];
    x[0] = y[0] = g.batch;
    x[1] = y[1] = g.channels;
    for (int i = 0; i < cr; i++) {
      boolean real = i >= lead;
      int a = i - lead;
      x[2 + i] = real ? g.inSize[a] : 1;
      y[2 + i] = real ? g.outSize[a] : 1;
      win[i] = real ? g.kernel[a] : 1;
      pad[i] = real ? g.padding[a] : 0;
      str[i] = real ? g.stride[a] : 1;
    }
    int mode;
    switch (g.mode) {
      case MAX: mode = CUDNN_POOLING_MAX; break;
      case AVG_INCLUDE_PAD: mode = CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING; break;
      default: mode = CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
    }
    boolean fwd = why == null;
    boolean bwd = fwd && g.mode != PoolGeometry.Mode.MAX;
    return new PoolPlan(fwd, bwd, fwd ? null : why, mode, x, y, win, pad, str, kernelParams(g));
  }

  static int[] kernelParams(PoolGeometry g) {
    int[] p = new int[20];
    p[0] = g.mode.ordinal();
    p[1] = Math.multiplyExact(g.batch, g.channels);
    put(p, 2, g.inSize, 1);
    put(p, 5, g.outSize, 1);
    put(p, 8, g.kernel, 1);
    put(p, 11, g.stride, 1);
    put(p, 14, g.padding, 0);
    put(p, 17, g.dilation, 1);
    return p;
  }

  private static void put(int[] p, int at, int[] v, int fill) {
    for (int i = 0; i < 3; i++) p[at + i] = fill;
    System.arraycopy(v, 0, p, at + 3 - v.length, v.length);
  }
}
