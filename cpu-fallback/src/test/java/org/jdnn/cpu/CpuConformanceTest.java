package org.jdnn.cpu;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.spi.Backend;

/**
 * The conformance suite for the fast CPU backend against the naive reference, at the process's
 * thread count ({@code -Djdnn.cpu.threads}, by default every core). Other thread counts are
 * covered by {@link CpuThreadCountTest}.
 */
class CpuConformanceTest extends BackendConformanceSuite {
  @Override
  protected Backend backend() {
    return new CpuBackend();
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }
}
