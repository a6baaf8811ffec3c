package org.jdnn.cuda;

import org.jdnn.golden.GoldenSuite;
import org.jdnn.spi.Backend;

/** PyTorch's golden files through the real {@link CudaBackend} on an {@link EmulatedGpu}. */
class EmulatedCudaGoldenTest extends GoldenSuite {
  static final CudaBackend BACKEND = new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true);

  @Override
  protected Backend backend() {
    return BACKEND;
  }
}
