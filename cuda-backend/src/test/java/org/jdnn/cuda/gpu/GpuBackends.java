package org.jdnn.cuda.gpu;

import static org.junit.jupiter.api.Assertions.fail;

import org.jdnn.cuda.CudaBackend;
import org.jdnn.cuda.CudaBackendProvider;
import org.jdnn.spi.BackendProvider;

/**
 * The CUDA backend the GPU suite tests: device 0, TF32 off (the reference computes in F32/F64 and
 * TF32 keeps 10 mantissa bits, far outside the suite's tolerances). On a machine without a usable
 * GPU every GPU test fails with the probe's reason: it never passes, and it never skips.
 */
public final class GpuBackends {
  private static CudaBackend cuda;

  private GpuBackends() {}

  public static synchronized CudaBackend cuda() {
    if (cuda == null) {
      BackendProvider.Availability a = new CudaBackendProvider().probe();
      if (!a.available) fail("the GPU suite needs a usable CUDA device; " + a.reason);
      cuda = CudaBackendProvider.open(0, false);
    }
    return cuda;
  }
}
