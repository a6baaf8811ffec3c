package org.jdnn.nn;

import java.util.Arrays;
import org.jdnn.ops.Pooling;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/** Base of the max and average pooling layers: window, stride (default = window), padding. */
public abstract class PoolNd extends Module {
  protected final PoolGeometry.Mode mode;
  protected final int[] kernelSize;
  protected final int[] stride;
  protected final int[] padding;
  protected final int[] dilation;
  protected final boolean ceilMode;

  protected PoolNd(PoolGeometry.Mode mode, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    this.mode = mode;
    this.kernelSize = kernelSize.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
    this.dilation = dilation.clone();
    this.ceilMode = ceilMode;
    for (int v : kernelSize) org.jdnn.util.Check.arg(v > 0, "%s: kernel_size must be positive; received %s",
        getClass().getSimpleName(), kernelSize);
    for (int v : stride) org.jdnn.util.Check.arg(v > 0, "%s: stride must be positive; received %s",
        getClass().getSimpleName(), stride);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return Pooling.pool(mode, x, kernelSize, stride, padding, dilation, ceilMode);
  }

  /** The validated geometry for an input shape. */
  public PoolGeometry geometry(Shape input) {
    return PoolGeometry.of(mode, input, kernelSize, stride, padding, dilation, ceilMode);
  }

  static int[] repeat(int value, int rank) {
    int[] a = new int[rank];
    Arrays.fill(a, value);
    return a;
  }

  @Override
  protected String extraRepr() {
    return "kernel_size=" + ConvNd.tuple(kernelSize) + ", stride=" + ConvNd.tuple(stride) + ", padding="
        + ConvNd.tuple(padding) + (ceilMode ? ", ceil_mode=True" : "")
        + (mode == PoolGeometry.Mode.AVG_EXCLUDE_PAD ? ", count_include_pad=False" : "");
  }
}
