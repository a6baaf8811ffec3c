package org.jdnn.cuda;

import org.jdnn.spi.Storage;
import org.jdnn.tensor.DType;

/** Device memory of one tensor storage: a block from the backend's caching allocator. */
public final class CudaStorage extends Storage {
  final CudaBackend owner;
  final DeviceAllocator.Block block;
  private final DeviceAllocator allocator;

  CudaStorage(CudaBackend owner, DType dtype, long length, DeviceAllocator.Block block, DeviceAllocator allocator) {
    super(dtype, length);
    this.owner = owner;
    this.block = block;
    this.allocator = allocator;
  }

  @Override
  protected void free() {
    allocator.release(block);
  }
}
