package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Resizing of the spatial axes: nearest and (bi/tri)linear, as {@code torch.nn.functional.interpolate}. */
public final class Upsampling {
  private Upsampling() {}

  /**
   * Resizes {@code x (N, C, *in)} to spatial {@code size}. {@code alignCorners} applies to LINEAR
   * only (PyTorch rejects it for nearest).
   */
  public static Tensor interpolate(Tensor x, int[] size, UpsampleMode mode, boolean alignCorners) {
    int sr = size.length;
    String name = mode == UpsampleMode.NEAREST ? "upsample_nearest" + sr + "d"
        : sr == 1 ? "upsample_linear1d" : sr == 2 ? "upsample_bilinear2d" : "upsample_trilinear3d";
    Check.shape(sr >= 1 && sr <= 3 && x.rank() == sr + 2, "%s: input must have rank %s (N, C, *spatial); received %s",
        name, sr + 2, x.shape());
    Check.arg(mode == UpsampleMode.LINEAR || !alignCorners, "%s: align_corners applies to linear modes only", name);
    Ops.floating(name, "input", x);
    int[] dims = x.shape().toArray();
    for (int i = 0; i < sr; i++) {
      Check.shape(size[i] > 0 && x.dim(2 + i) > 0, "%s: sizes must be positive; input %s, output size %s", name, x.shape(), size);
      dims[2 + i] = size[i];
    }
    Tensor y = Ops.empty(Shape.of(dims), x.dtype(), x.backend());
    x.backend().upsample(mode, alignCorners, x, y);
    return new UpsampleFn(mode, alignCorners, x).attach(y);
  }

  /** The output size for an integer scale factor per axis: {@code floor(in * scale)}. */
  public static int[] scaledSize(Shape input, double[] scale) {
    int sr = scale.length;
    Check.shape(input.rank() == sr + 2, "upsample: input must have rank %s; received %s", sr + 2, input);
    int[] out = new int[sr];
    for (int i = 0; i < sr; i++) {
      Check.arg(scale[i] > 0, "upsample: scale_factor must be positive; received %s", java.util.Arrays.toString(scale));
      out[i] = (int) Math.floor(input.dim(2 + i) * scale[i]);
    }
    return out;
  }

  private static final class UpsampleFn extends Function implements TracedOp {
    private final UpsampleMode mode;
    private final boolean alignCorners;
    private final Shape inShape;

    UpsampleFn(UpsampleMode mode, boolean alignCorners, Tensor x) {
      super(x);
      this.mode = mode;
      this.alignCorners = alignCorners;
      this.inShape = x.shape();
    }

    /** Nearest reads one input per axis, linear two. */
    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      int[] a = TracedOp.spatial(inShape);
      int[] taps = new int[a.length];
      java.util.Arrays.fill(taps, mode == UpsampleMode.NEAREST ? 1 : 2);
      return in.resample(a, TracedOp.spatial(outShape), taps);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(inShape, dy.dtype(), dy.backend());
      dy.backend().upsampleBackward(mode, alignCorners, dy, dx);
      return new Tensor[] {dx};
    }
  }
}
