package org.jdnn.cuda.gpu;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.cuda.CudaBackend;
import org.jdnn.cuda.CudaBackendProvider;
import org.jdnn.spi.Backend;

/**
 * The whole conformance suite on the GPU with jdnn's kernels in place of cuDNN wherever the
 * backend can choose (ReLU/sigmoid/tanh: jdnn.cuda.activations=jdnn; batch norm and LRN:
 * jdnn.cuda.normalization=jdnn), TF32 off: the fallbacks a user switches to if cuDNN misbehaves
 * are checked on the GPU too, not only on the emulated one.
 */
class CudaKernelsConformanceTest extends BackendConformanceSuite {
  private static CudaBackend kernels;

  @Override
  protected Backend backend() {
    synchronized (CudaKernelsConformanceTest.class) {
      if (kernels == null) {
        GpuBackends.cuda(); // fails with the probe's reason where there is no usable GPU
        kernels = CudaBackendProvider.open(0, false, false, false);
      }
      return kernels;
    }
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }
}
