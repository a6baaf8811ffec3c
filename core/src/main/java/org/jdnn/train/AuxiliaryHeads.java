package org.jdnn.train;

import java.util.List;
import org.jdnn.tensor.Tensor;

/**
 * A classifier with auxiliary heads that add to the training loss (GoogLeNet's two side
 * classifiers, weighted 0.3 in the paper). {@link Trainer} trains on
 * {@code loss(main) + auxWeight * sum(loss(aux))} in training mode and uses the main logits alone
 * for accuracy and evaluation.
 */
public interface AuxiliaryHeads {
  /** Main and auxiliary logits of one forward pass; {@code aux} is empty in evaluation mode. */
  record Heads(Tensor main, List<Tensor> aux) {}

  Heads forwardHeads(Tensor x);

  /** The weight of each auxiliary loss (0.3 for GoogLeNet). */
  double auxLossWeight();
}
