package org.jdnn.cpu;

import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BackendProvider;
import org.jdnn.tensor.Device;

/** Registers the pure-Java CPU backend; it is available everywhere. */
public final class CpuBackendProvider implements BackendProvider {
  @Override
  public Device.Type type() {
    return Device.Type.CPU;
  }

  @Override
  public Availability probe() {
    return Availability.yes("pure-Java CPU backend, " + CpuThreads.get().threads() + " threads, GEMM kernel: "
        + GemmKernels.describe());
  }

  @Override
  public Backend create(int index) {
    if (index != 0) throw new IllegalArgumentException("the CPU has one device, cpu; received index " + index);
    return new CpuBackend();
  }
}
