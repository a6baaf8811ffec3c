package org.jdnn.nn;

import org.jdnn.ops.Regularization;
import org.jdnn.tensor.Tensor;

/** Element-wise dropout, as {@code torch.nn.Dropout(p)} (default 0.5); any shape. See {@link DropoutNd}. */
public final class Dropout extends DropoutNd {
  public Dropout() {
    this(0.5);
  }

  public Dropout(double p) {
    super(p);
  }

  @Override
  protected Tensor drop(Tensor x, boolean training) {
    return Regularization.dropout(x, p, training);
  }
}
