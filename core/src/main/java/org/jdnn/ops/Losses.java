package org.jdnn.ops;

import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Loss functions composed from differentiable primitives. */
public final class Losses {
  private Losses() {}

  /**
   * Mean cross-entropy of {@code logits (N, C)} against integer class indices {@code target (N)}:
   * {@code -mean_n log_softmax(logits)[n, target[n]]}, as {@code torch.nn.functional.cross_entropy}.
   */
  public static Tensor crossEntropy(Tensor logits, Tensor target) {
    Check.shape(logits.rank() == 2,
        "cross_entropy: input must have shape (N, C); received %s", logits.shape());
    Check.shape(target.rank() == 1 && target.dim(0) == logits.dim(0),
        "cross_entropy: target must have shape [%s] (one class index per row of the input); received %s",
        logits.dim(0), target.shape());
    Tensor hot = oneHot(target, logits.dim(1), logits.dtype());
    Tensor logp = logits.logSoftmax(1);
    return logp.mul(hot).sum().mul(-1.0 / logits.dim(0));
  }

  /**
   * {@code (shape of labels, classes)} with a 1 at each label; every label must lie in
   * {@code [0, classes)}.
   */
  public static Tensor oneHot(Tensor labels, int classes, DType dtype) {
    Check.arg(labels.dtype() == DType.I64 || labels.dtype() == DType.I32 || labels.dtype() == DType.U8,
        "one_hot: labels must be integers (I64, I32 or U8); received %s", labels.dtype());
    Check.positive(classes, "one_hot: classes");
    long[] values = labels.toLongArray();
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      Check.arg(v >= 0 && v < classes,
          "target label %s at position %s is out of range [0, %s) for %s classes", v, i, classes, classes);
    }
    int[] dims = java.util.Arrays.copyOf(labels.shape().toArray(), labels.rank() + 1);
    dims[labels.rank()] = classes;
    Tensor out = Ops.empty(Shape.of(dims), dtype, labels.backend());
    labels.backend().oneHot(labels, out);
    return out;
  }
}
