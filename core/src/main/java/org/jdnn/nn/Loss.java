package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** A training criterion: a scalar from a prediction and a target. */
public interface Loss {
  Tensor forward(Tensor input, Tensor target);
}
