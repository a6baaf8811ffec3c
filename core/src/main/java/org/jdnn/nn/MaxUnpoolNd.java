package org.jdnn.nn;

import org.jdnn.ops.Pooling;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;
import org.jdnn.util.ShapeException;

/**
 * Base of the max unpooling layers ({@code torch.nn.MaxUnpool1d/2d/3d}): puts each value back at
 * the index its max pooling recorded, zeros elsewhere. Default output size per axis:
 * {@code (in - 1)*stride - 2*padding + kernel}.
 */
public abstract class MaxUnpoolNd extends Module {
  protected final int[] kernelSize;
  protected final int[] stride;
  protected final int[] padding;

  protected MaxUnpoolNd(int rank, int kernelSize, int stride, int padding) {
    String name = getClass().getSimpleName();
    Check.arg(kernelSize > 0 && stride > 0 && padding >= 0,
        "%s: kernel_size and stride must be positive, padding >= 0; received %s, %s, %s", name, kernelSize, stride, padding);
    this.kernelSize = PoolNd.repeat(kernelSize, rank);
    this.stride = PoolNd.repeat(stride, rank);
    this.padding = PoolNd.repeat(padding, rank);
  }

  /** Unpools {@code x} with the {@code indices} of the max pooling that produced it. */
  public Tensor forward(Tensor x, Tensor indices) {
    int[] size = new int[kernelSize.length];
    for (int i = 0; i < size.length; i++) {
      if (x.rank() != size.length + 2) throw new ShapeException(getClass().getSimpleName() + ": input must have rank "
          + (size.length + 2) + "; received shape " + x.shape()).inLayer(describe());
      size[i] = (x.dim(2 + i) - 1) * stride[i] - 2 * padding[i] + kernelSize[i];
    }
    return forward(x, indices, size);
  }

  /** Unpools to an explicit spatial output size (for pooling that dropped a border). */
  public Tensor forward(Tensor x, Tensor indices, int[] outputSize) {
    try {
      return reportForward(x, Pooling.maxUnpool(x, indices, outputSize));
    } catch (ShapeException e) {
      throw e.inLayer(describe());
    }
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    throw new IllegalArgumentException(describe() + " needs the pooling indices: call forward(x, indices)");
  }

  @Override
  protected String extraRepr() {
    return "kernel_size=" + ConvNd.tuple(kernelSize) + ", stride=" + ConvNd.tuple(stride) + ", padding="
        + ConvNd.tuple(padding);
  }
}
