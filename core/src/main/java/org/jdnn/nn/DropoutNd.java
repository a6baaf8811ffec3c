package org.jdnn.nn;

import org.jdnn.ops.Regularization;
import org.jdnn.tensor.Tensor;

/**
 * Base of {@link Dropout}, {@link Dropout2d} and {@link Dropout3d}, as PyTorch's {@code _DropoutNd}
 * (Srivastava et al. 2014): in training each element (or each channel's whole map) is zeroed with
 * probability {@code p} and the rest scaled by {@code 1/(1-p)}; in evaluation the layer is the
 * identity. Masks come from the default {@link org.jdnn.tensor.Generator}, so
 * {@code Generator.manualSeed} makes them reproducible; {@code p = 1} gives zeros.
 */
public abstract class DropoutNd extends Module {
  protected final double p;

  protected DropoutNd(double p) {
    Regularization.checkProbability(getClass().getSimpleName(), p);
    this.p = p;
  }

  /** The probability of dropping. */
  public double p() {
    return p;
  }

  /** Drops from x in training mode. */
  protected abstract Tensor drop(Tensor x, boolean training);

  @Override
  protected final Tensor forwardImpl(Tensor x) {
    return drop(x, isTraining());
  }

  @Override
  protected String extraRepr() {
    return "p=" + p + ", inplace=False";
  }
}
