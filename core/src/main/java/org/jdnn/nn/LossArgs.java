package org.jdnn.nn;

import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Helpers shared by the loss classes for their optional weight tensors and arguments. */
final class LossArgs {
  private LossArgs() {}

  /**
   * A loss's weight tensor on the input's backend and in its dtype (the loss keeps the tensor it
   * was built with, usually F32 on the CPU); null stays null.
   */
  static Tensor like(Tensor weight, Tensor input) {
    if (weight == null) return null;
    return weight.to(input.backend()).to(input.dtype());
  }

  static Tensor floatingOrNull(String loss, String arg, Tensor t) {
    Check.arg(t == null || t.dtype().isFloating(), "%s: %s must be floating point; received %s", loss, arg,
        t == null ? null : t.dtype());
    return t;
  }

  static Reduction notNull(String loss, Reduction r) {
    Check.arg(r != null, "%s: reduction must be MEAN, SUM or NONE; received null", loss);
    return r;
  }
}
