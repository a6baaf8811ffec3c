package org.jdnn.nn;

import org.jdnn.spi.Activation;
import org.jdnn.util.Check;

/** {@code clamp(x, min, max)}, as {@code torch.nn.Hardtanh} (defaults -1, 1); any shape. */
public final class Hardtanh extends ActivationLayer {
  private final double min;
  private final double max;

  public Hardtanh() {
    this(-1, 1);
  }

  public Hardtanh(double min, double max) {
    super(checked(min, max));
    this.min = min;
    this.max = max;
  }

  private static Activation checked(double min, double max) {
    Check.arg(max > min, "Hardtanh: max_val must be greater than min_val; received min_val=%s, max_val=%s", min, max);
    return Activation.hardtanh(min, max);
  }

  @Override
  protected String extraRepr() {
    return "min_val=" + min + ", max_val=" + max;
  }
}
