package org.jdnn.nn;

import org.jdnn.ops.Pooling;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.Tensor;

/** Base of the max pooling layers: adds the indices that {@link MaxUnpool2d} and friends consume. */
public abstract class MaxPoolNd extends PoolNd {
  protected MaxPoolNd(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    super(PoolGeometry.Mode.MAX, kernelSize, stride, padding, dilation, ceilMode);
  }

  /** The pooled values and the flat index (I64) of each maximum in its input plane, as {@code return_indices=True}. */
  public Pooling.WithIndices forwardWithIndices(Tensor x) {
    try {
      return Pooling.maxPoolWithIndices(x, kernelSize, stride, padding, dilation, ceilMode);
    } catch (org.jdnn.util.ShapeException e) {
      throw e.inLayer(describe());
    }
  }

  @Override
  protected String extraRepr() {
    return super.extraRepr() + (java.util.Arrays.stream(dilation).anyMatch(d -> d != 1)
        ? ", dilation=" + ConvNd.tuple(dilation) : "");
  }
}
