package org.jdnn.nn;

import org.jdnn.spi.Activation;

/**
 * {@code log(1 + exp(beta * x)) / beta}, reverting to {@code x} where {@code beta * x > threshold}
 * for numerical stability, as {@code torch.nn.Softplus} (defaults beta 1, threshold 20); any shape.
 */
public final class Softplus extends ActivationLayer {
  private final double beta;
  private final double threshold;

  public Softplus() {
    this(1, 20);
  }

  public Softplus(double beta, double threshold) {
    super(Activation.softplus(beta, threshold));
    this.beta = beta;
    this.threshold = threshold;
  }

  @Override
  protected String extraRepr() {
    return "beta=" + beta + ", threshold=" + threshold;
  }
}
