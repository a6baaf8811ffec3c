package org.jdnn.data;

import org.jdnn.tensor.Tensor;

/** One mini-batch: inputs {@code x (B, C, H, W)} F32 and labels {@code y (B)} I64. */
public final class Batch implements AutoCloseable {
  private final Tensor x;
  private final Tensor y;

  public Batch(Tensor x, Tensor y) {
    this.x = x;
    this.y = y;
  }

  public Tensor x() {
    return x;
  }

  public Tensor y() {
    return y;
  }

  public int size() {
    return x.dim(0);
  }

  @Override
  public void close() {
    x.close();
    y.close();
  }
}
