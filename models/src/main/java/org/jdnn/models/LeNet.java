package org.jdnn.models;

import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Flatten;
import org.jdnn.nn.Linear;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;

/**
 * LeNet-5 in its common modern form (after LeCun et al. 1998, "Gradient-based learning applied
 * to document recognition"): ReLU and max pooling instead of scaled tanh and trainable
 * subsampling, a full C3 instead of the partial connection table, a linear classifier instead of
 * the RBF layer. 61,706 parameters for 10 classes.
 *
 * <pre>
 *   features                          28x28 input (padding 2)   32x32 input (no padding)
 *     0 C1  conv 6@5x5               6x28x28                   6x28x28
 *     1     ReLU
 *     2 S2  max-pool 2x2             6x14x14
 *     3 C3  conv 16@5x5              16x10x10
 *     4     ReLU
 *     5 S4  max-pool 2x2             16x5x5
 *   classifier
 *     0     flatten                  400
 *     1 C5  linear 400-120, ReLU
 *     3 F6  linear 120-84, ReLU
 *     5     linear 84-10
 * </pre>
 */
public final class LeNet extends Module {
  /**
   * @param inputSize 28 (Fashion-MNIST; C1 pads by 2 so S4 is 5x5 as in the paper) or 32 (the
   *     paper's input; no padding)
   * @param classes number of outputs
   */
  public LeNet(int inputSize, int classes) {
    if (inputSize != 28 && inputSize != 32) {
      throw new IllegalArgumentException("LeNet-5 takes 28x28 or 32x32 input; received inputSize=" + inputSize);
    }
    int pad = inputSize == 28 ? 2 : 0;
    registerModule("features", new Sequential(
        Conv2d.builder(1, 6, 5).padding(pad).build(), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2)));
    registerModule("classifier", new Sequential(
        new Flatten(),
        new Linear(16 * 5 * 5, 120), new ReLU(),
        new Linear(120, 84), new ReLU(),
        new Linear(84, classes)));
  }

  /** LeNet-5 for 28x28 single-channel images and 10 classes (Fashion-MNIST, MNIST). */
  public static LeNet lenet5() {
    return new LeNet(28, 10);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    if (x.rank() != 4 || x.dim(1) != 1) {
      throw new org.jdnn.util.ShapeException("LeNet-5 expects input (N, 1, H, W); received shape " + x.shape());
    }
    return children().get("classifier").forward(children().get("features").forward(x));
  }
}
