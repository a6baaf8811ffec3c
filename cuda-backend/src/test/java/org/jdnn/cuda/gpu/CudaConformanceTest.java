package org.jdnn.cuda.gpu;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.spi.Backend;

/** The whole conformance suite on the GPU against the naive CPU reference (TF32 off). */
class CudaConformanceTest extends BackendConformanceSuite {
  @Override
  protected Backend backend() {
    return GpuBackends.cuda();
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }
}
