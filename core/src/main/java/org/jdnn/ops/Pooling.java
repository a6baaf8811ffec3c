package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;
import org.jdnn.tensor.Tensor;

/** Max and average pooling over 1 to 3 spatial axes. */
public final class Pooling {
  private Pooling() {}

  public static Tensor pool(PoolGeometry.Mode mode, Tensor x, int[] kernel, int[] stride, int[] padding,
      int[] dilation, boolean ceilMode) {
    PoolGeometry g = PoolGeometry.of(mode, x.shape(), kernel, stride, padding, dilation, ceilMode);
    Ops.floating(mode == PoolGeometry.Mode.MAX ? "max_pool" : "avg_pool", "input", x);
    Tensor y = Ops.empty(g.outputShape(), x.dtype(), x.backend());
    x.backend().pool(g, x, y);
    return new PoolFn(g, x, y).attach(y);
  }

  /** Max pooling's values and, per output element, the flat index of its maximum within the input plane. */
  public record WithIndices(Tensor values, Tensor indices) {}

  /** Max pooling that also returns indices (I64), as PyTorch's {@code return_indices=True}. */
  public static WithIndices maxPoolWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    PoolGeometry g = PoolGeometry.of(PoolGeometry.Mode.MAX, x.shape(), kernel, stride, padding, dilation, ceilMode);
    Ops.floating("max_pool", "input", x);
    Tensor y = Ops.empty(g.outputShape(), x.dtype(), x.backend());
    Tensor indices = Ops.empty(g.outputShape(), DType.I64, x.backend());
    x.backend().maxPoolWithIndices(g, x, y, indices);
    return new WithIndices(new PoolFn(g, x, y).attach(y), indices);
  }

  /**
   * Max unpooling ({@code torch.nn.functional.max_unpoolNd}): zeros of {@code outputSize} with each
   * value of {@code x (N, C, *in)} put back at its index. {@code outputSize} is the spatial size.
   */
  public static Tensor maxUnpool(Tensor x, Tensor indices, int[] outputSize) {
    int sr = outputSize.length;
    String name = "max_unpool" + sr + "d";
    Check.shape(sr >= 1 && sr <= 3 && x.rank() == sr + 2, "%s: input must have rank %s (N, C, *spatial); received %s",
        name, sr + 2, x.shape());
    Check.shape(indices.shape().equals(x.shape()), "%s: indices must have the input's shape %s; received %s",
        name, x.shape(), indices.shape());
    Check.arg(indices.dtype() == DType.I64, "%s: indices must be I64 (as max pooling returns them); received %s",
        name, indices.dtype());
    Ops.backendOf(name, x, indices);
    int[] dims = new int[sr + 2];
    dims[0] = x.dim(0);
    dims[1] = x.dim(1);
    long plane = 1;
    for (int i = 0; i < sr; i++) {
      Check.shape(outputSize[i] > 0, "%s: output size must be positive; received %s", name, outputSize);
      dims[2 + i] = outputSize[i];
      plane *= outputSize[i];
    }
    long[] idx = indices.toLongArray();
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= plane) {
        throw new org.jdnn.util.ShapeException(String.format(
            "%s: index %d at position %d is out of range for an output plane of %d elements (output size %s)",
            name, idx[i], i, plane, java.util.Arrays.toString(outputSize)));
      }
    }
    Tensor y = Ops.empty(Shape.of(dims), x.dtype(), x.backend());
    x.backend().unpool(x, indices, y);
    return new UnpoolFn(x, indices).attach(y);
  }

  /**
   * Adaptive average or max pooling to a spatial {@code outputSize}, as
   * {@code torch.nn.functional.adaptive_avg_poolNd}: window {@code i} of an axis covers
   * {@code [floor(i*in/out), ceil((i+1)*in/out))}.
   */
  public static Tensor adaptivePool(boolean max, Tensor x, int[] outputSize) {
    int sr = outputSize.length;
    String name = (max ? "adaptive_max_pool" : "adaptive_avg_pool") + sr + "d";
    Check.shape(sr >= 1 && sr <= 3 && x.rank() == sr + 2, "%s: input must have rank %s (N, C, *spatial); received %s",
        name, sr + 2, x.shape());
    Ops.floating(name, "input", x);
    int[] dims = x.shape().toArray();
    for (int i = 0; i < sr; i++) {
      Check.shape(outputSize[i] > 0, "%s: output size must be positive; received %s", name, outputSize);
      Check.shape(x.dim(2 + i) > 0, "%s: input spatial sizes must be positive; received %s", name, x.shape());
      dims[2 + i] = outputSize[i];
    }
    Tensor y = Ops.empty(Shape.of(dims), x.dtype(), x.backend());
    x.backend().adaptivePool(max, x, y);
    return new AdaptiveFn(max, x, y).attach(y);
  }

  /** Global average or max pooling: one value per channel, spatial axes kept with size 1. */
  public static Tensor globalPool(boolean max, Tensor x) {
    Check.shape(x.rank() >= 3 && x.rank() <= 5, "global pooling: input must be (N, C, *spatial) with 1 to 3 spatial axes; received %s",
        x.shape());
    int sr = x.rank() - 2;
    int[] kernel = java.util.Arrays.copyOfRange(x.shape().toArray(), 2, x.rank());
    int[] ones = new int[sr];
    java.util.Arrays.fill(ones, 1);
    return pool(max ? PoolGeometry.Mode.MAX : PoolGeometry.Mode.AVG_INCLUDE_PAD, x, kernel, ones, new int[sr], ones, false);
  }

  private static final class UnpoolFn extends Function {
    private final Tensor indices;

    UnpoolFn(Tensor x, Tensor indices) {
      super(x);
      this.indices = indices;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(indices.shape(), dy.dtype(), dy.backend());
      dy.backend().unpoolBackward(dy, indices, dx);
      return new Tensor[] {dx};
    }
  }

  private static final class AdaptiveFn extends Function implements TracedOp {
    private final boolean max;
    private final Tensor x;
    private final Tensor y;

    AdaptiveFn(boolean max, Tensor x, Tensor y) {
      super(x);
      this.max = max;
      this.x = x;
      this.y = y;
    }

    /** A window covers at most {@code ceil(in / out)} inputs. */
    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      int[] a = TracedOp.spatial(inShape);
      int[] b = TracedOp.spatial(outShape);
      int[] taps = new int[a.length];
      for (int i = 0; i < a.length; i++) taps[i] = (a[i] + b[i] - 1) / b[i];
      return in.resample(a, b, taps);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(x.shape(), x.dtype(), x.backend());
      x.backend().adaptivePoolBackward(max, x, y, dy, dx);
      return new Tensor[] {dx};
    }
  }

  private static final class PoolFn extends Function implements TracedOp {
    private final PoolGeometry g;
    private final Tensor x; // max pooling finds each window's argmax again in x
    private final Tensor y;

    PoolFn(PoolGeometry g, Tensor x, Tensor y) {
      super(x);
      this.g = g;
      this.x = x;
      this.y = y;
    }

    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      return in.window(TracedOp.span(g.kernel, g.dilation), g.stride);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(x.shape(), x.dtype(), x.backend());
      x.backend().poolBackward(g, x, y, dy, dx);
      return new Tensor[] {dx};
    }
  }
}
