package org.jdnn.cpu;

import org.jdnn.golden.GoldenSuite;
import org.jdnn.spi.Backend;

/** The PyTorch golden files on the fast CPU backend. */
class CpuGoldenTest extends GoldenSuite {
  @Override
  protected Backend backend() {
    return new CpuBackend();
  }
}
