package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.tensor.Tensor;

/**
 * Softmax cross-entropy averaged over the batch, as {@code torch.nn.CrossEntropyLoss()}: input
 * logits {@code (N, C)}, target class indices {@code (N)} (I64, I32 or U8) in {@code [0, C)}.
 */
public final class CrossEntropyLoss implements Loss {
  @Override
  public Tensor forward(Tensor logits, Tensor target) {
    return Losses.crossEntropy(logits, target);
  }
}
