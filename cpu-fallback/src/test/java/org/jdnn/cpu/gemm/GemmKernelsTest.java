package org.jdnn.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the micro-kernel is chosen. */
class GemmKernelsTest {
  /** The test runner adds jdk.incubator.vector (surefire argLine), as ./jdnn does: tests run the kernel users get. */
  @Test
  void thisJvmHasTheVectorModuleAndPrefersTheVectorKernel() {
    assertNull(GemmKernels.vectorUnavailable(), "surefire's argLine should add --add-modules jdk.incubator.vector");
    assertEquals("VectorKernel", GemmKernels.preferred().getClass().getSimpleName(), GemmKernels.describe());
    assertTrue(GemmKernels.describe().startsWith("Vector API"), GemmKernels.describe());
  }

  @Test
  void eachChoiceCanBeForced() {
    assertEquals(JavaKernel.class, GemmKernels.choose("java").kernel().getClass());
    assertEquals("VectorKernel", GemmKernels.choose("vector").kernel().getClass().getSimpleName());
    assertEquals("VectorKernel", GemmKernels.choose("auto").kernel().getClass().getSimpleName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmKernels.choose("fast"));
    assertTrue(e.getMessage().contains("received 'fast'"), e.getMessage());
  }

  @Test
  void tileGeometryFitsTheLayoutContract() {
    for (GemmKernel k : PackedSgemmTest.kernels()) {
      assertEquals(0, k.nr % k.step, k.name());
      assertTrue(k.mr >= 1 && k.nr >= k.step, k.name());
    }
  }
}
