package org.jdnn.nn;

import org.jdnn.ops.Normalization;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Local response normalisation across channels, as {@code torch.nn.LocalResponseNorm} (the
 * cross-channel form of AlexNet, Krizhevsky et al. 2012):
 * {@code y_c = x_c / (k + alpha/size * sum_{c'} x_c'^2)^beta}, the sum over the channels
 * {@code c - size/2 .. c + (size-1)/2}, missing ones counting as zero.
 *
 * <p>Parameter meaning is PyTorch's: {@code alpha} is divided by {@code size}. The AlexNet paper's
 * {@code n=5, alpha=1e-4, beta=0.75, k=2} (alpha applied to the plain sum) is therefore
 * {@code new LocalResponseNorm(5, 5e-4, 0.75, 2)}; torchvision's historical AlexNet used
 * {@code LocalResponseNorm(5, 1e-4, 0.75, 2)}.
 *
 * <p>Shape: input {@code (N, C, *)} with at least one spatial axis; output as input.
 */
public final class LocalResponseNorm extends Module {
  private final int size;
  private final double alpha;
  private final double beta;
  private final double k;

  /** alpha 1e-4, beta 0.75, k 1 (PyTorch's defaults). */
  public LocalResponseNorm(int size) {
    this(size, 1e-4, 0.75, 1);
  }

  public LocalResponseNorm(int size, double alpha, double beta, double k) {
    Check.arg(size >= 1, "LocalResponseNorm: size must be >= 1; received %s", size);
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return Normalization.localResponseNorm(x, size, alpha, beta, k);
  }

  @Override
  protected String extraRepr() {
    return size + ", alpha=" + alpha + ", beta=" + beta + ", k=" + k;
  }
}
