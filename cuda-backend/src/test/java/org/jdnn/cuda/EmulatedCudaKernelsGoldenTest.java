package org.jdnn.cuda;

import org.jdnn.golden.GoldenSuite;
import org.jdnn.spi.Backend;

/** PyTorch's golden files through the emulated {@link CudaBackend} with jdnn's activation and normalization kernels. */
class EmulatedCudaKernelsGoldenTest extends GoldenSuite {
  @Override
  protected Backend backend() {
    return EmulatedCudaKernelsConformanceTest.BACKEND;
  }
}
