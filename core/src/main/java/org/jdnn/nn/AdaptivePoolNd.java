package org.jdnn.nn;

import org.jdnn.ops.Pooling;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Base of the adaptive pooling layers: pools any input to a fixed spatial output size, window
 * {@code i} of an axis covering {@code [floor(i*in/out), ceil((i+1)*in/out))}, as PyTorch. An
 * output size of 1 is global pooling (torchvision's {@code avgpool} in ResNet).
 */
public abstract class AdaptivePoolNd extends Module {
  private final boolean max;
  private final int[] outputSize;

  protected AdaptivePoolNd(boolean max, int rank, int[] outputSize) {
    this.max = max;
    this.outputSize = ConvNd.expand(getClass().getSimpleName(), "output_size", outputSize, rank);
    for (int s : this.outputSize) Check.arg(s > 0, "%s: output_size must be positive; received %s",
        getClass().getSimpleName(), outputSize);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return Pooling.adaptivePool(max, x, outputSize);
  }

  @Override
  protected String extraRepr() {
    return "output_size=" + (outputSize.length == 1 ? Integer.toString(outputSize[0]) : ConvNd.tuple(outputSize));
  }
}
