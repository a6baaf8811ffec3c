package org.jdnn.nn;

import org.jdnn.ops.Regularization;
import org.jdnn.tensor.Tensor;

/**
 * Channel-wise dropout of {@code (N, C, H, W)}, as {@code torch.nn.Dropout2d(p)} (default 0.5): one
 * draw per {@code (n, c)} zeroes a whole feature map, which suits correlated neighbouring pixels
 * (Tompson et al. 2015, https://arxiv.org/abs/1411.4280). See {@link DropoutNd}.
 */
public final class Dropout2d extends DropoutNd {
  public Dropout2d() {
    this(0.5);
  }

  public Dropout2d(double p) {
    super(p);
  }

  @Override
  protected Tensor drop(Tensor x, boolean training) {
    return Regularization.channelDropout(x, p, training, 2);
  }
}
