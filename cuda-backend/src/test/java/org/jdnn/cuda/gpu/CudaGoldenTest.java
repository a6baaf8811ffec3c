package org.jdnn.cuda.gpu;

import org.jdnn.golden.GoldenSuite;
import org.jdnn.spi.Backend;

/** PyTorch's golden outputs and gradients, computed on the GPU through jdnn's public API. */
class CudaGoldenTest extends GoldenSuite {
  @Override
  protected Backend backend() {
    return GpuBackends.cuda();
  }
}
