package org.jdnn.nn;

import java.util.Locale;
import org.jdnn.ops.Upsampling;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Resizes the spatial axes, as {@code torch.nn.Upsample}: to a fixed {@code size} or by a
 * {@code scaleFactor} (output {@code floor(in * scale)}); modes {@code nearest}, {@code linear},
 * {@code bilinear}, {@code trilinear} (the linear modes by input rank), with or without
 * {@code alignCorners}.
 *
 * <pre>{@code
 * Upsample up = Upsample.scale(2, "bilinear", false);   // FCN/U-Net decoders
 * }</pre>
 */
public final class Upsample extends Module {
  private final int[] size;
  private final double scale;
  private final UpsampleMode mode;
  private final boolean alignCorners;
  private final String modeName;

  private Upsample(int[] size, double scale, String mode, boolean alignCorners) {
    String m = mode.toLowerCase(Locale.ROOT);
    Check.arg(m.equals("nearest") || m.equals("linear") || m.equals("bilinear") || m.equals("trilinear"),
        "Upsample: mode must be nearest, linear, bilinear or trilinear; received '%s'", mode);
    this.mode = m.equals("nearest") ? UpsampleMode.NEAREST : UpsampleMode.LINEAR;
    Check.arg(this.mode == UpsampleMode.LINEAR || !alignCorners, "Upsample: align_corners applies to linear modes only");
    this.modeName = m;
    this.size = size;
    this.scale = scale;
    this.alignCorners = alignCorners;
  }

  /** Resizes to a fixed spatial size (one value per spatial axis). */
  public static Upsample size(int[] size, String mode, boolean alignCorners) {
    return new Upsample(size.clone(), 0, mode, alignCorners);
  }

  /** Resizes by a factor on every spatial axis. */
  public static Upsample scale(double factor, String mode, boolean alignCorners) {
    Check.arg(factor > 0, "Upsample: scale_factor must be positive; received %s", factor);
    return new Upsample(null, factor, mode, alignCorners);
  }

  /** True for the (bi/tri)linear modes, whose outputs each read two inputs per axis. */
  public boolean isLinear() {
    return mode == UpsampleMode.LINEAR;
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    int sr = x.rank() - 2;
    int expected = modeName.equals("linear") ? 1 : modeName.equals("bilinear") ? 2 : modeName.equals("trilinear") ? 3 : sr;
    if (expected != sr) {
      throw new org.jdnn.util.ShapeException("upsample: mode " + modeName + " needs input of rank " + (expected + 2)
          + "; received shape " + x.shape());
    }
    int[] out = size;
    if (out == null) {
      double[] s = new double[sr];
      java.util.Arrays.fill(s, scale);
      out = Upsampling.scaledSize(x.shape(), s);
    }
    return Upsampling.interpolate(x, out, mode, alignCorners);
  }

  @Override
  protected String extraRepr() {
    return (size != null ? "size=" + ConvNd.tuple(size) : "scale_factor=" + scale) + ", mode='" + modeName + "'"
        + (alignCorners ? ", align_corners=True" : "");
  }
}
