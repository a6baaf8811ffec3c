package org.jdnn.nn;

import org.jdnn.spi.Activation;

/** {@code x >= 0 ? x : negativeSlope * x}, as {@code torch.nn.LeakyReLU} (default slope 0.01); any shape. */
public final class LeakyReLU extends ActivationLayer {
  private final double negativeSlope;

  public LeakyReLU() {
    this(0.01);
  }

  public LeakyReLU(double negativeSlope) {
    super(Activation.leakyRelu(negativeSlope));
    this.negativeSlope = negativeSlope;
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + negativeSlope;
  }
}
