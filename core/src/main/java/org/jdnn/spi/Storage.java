package org.jdnn.spi;

import java.util.concurrent.atomic.AtomicInteger;
import org.jdnn.tensor.DType;

/**
 * A backend's block of memory holding {@code length} elements of one dtype. Tensors and their views
 * share a storage through a reference count; the block is freed when the last one is closed.
 */
public abstract class Storage {
  private final DType dtype;
  private final long length;
  private final AtomicInteger refs = new AtomicInteger(1);

  protected Storage(DType dtype, long length) {
    this.dtype = dtype;
    this.length = length;
  }

  public final DType dtype() {
    return dtype;
  }

  /** Capacity in elements. */
  public final long length() {
    return length;
  }

  public final boolean isFreed() {
    return refs.get() <= 0;
  }

  /** Adds a reference (a new view). */
  public final void retain() {
    if (refs.getAndIncrement() <= 0) {
      refs.decrementAndGet();
      throw new IllegalStateException("storage already freed");
    }
  }

  /** Drops a reference; frees the memory when it was the last one. */
  public final void release() {
    if (refs.decrementAndGet() == 0) free();
  }

  /** Returns the memory to the backend. Called exactly once. */
  protected abstract void free();
}
