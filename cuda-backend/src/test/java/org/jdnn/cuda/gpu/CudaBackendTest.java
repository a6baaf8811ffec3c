package org.jdnn.cuda.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.conformance.Tolerance;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.cuda.CudaBackend;
import org.jdnn.cuda.CudaBackendProvider;
import org.jdnn.cuda.DeviceAllocator;
import org.jdnn.spi.BinaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** What only the CUDA backend has: argument checks before native calls, the allocator, TF32. */
class CudaBackendTest {
  @Test
  void argumentsAreCheckedBeforeAnyNativeCall() {
    CudaBackend be = GpuBackends.cuda();
    try (Scope s = Scope.open()) {
      Tensor t = Tensor.zeros(Shape.of(4), DType.I64, be);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> be.copyFromHost(new float[4], 0, t));
      assertEquals("copyFromHost: a I64 tensor needs a long[]; received float[]", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> be.copyFromHost(new long[3], 0, t));
      assertThrows(IndexOutOfBoundsException.class, () -> be.copyToHost(t, new long[4], 1));
      Tensor onCpu = Tensor.zeros(Shape.of(2, 2), DType.F32, new NaiveBackend());
      Tensor g = Tensor.zeros(Shape.of(2, 2), DType.F32, be);
      e = assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, onCpu, g, 0, g));
      assertTrue(e.getMessage().startsWith("gemm: a must be a tensor on cuda:0; received one on cpu"), e.getMessage());
    }
  }

  @Test
  void freedTensorsGoBackToTheCacheNotTheDriver() {
    CudaBackend be = GpuBackends.cuda();
    DeviceAllocator.Stats before = be.memoryStats();
    try (Scope s = Scope.open()) {
      for (int i = 0; i < 10; i++) Tensor.zeros(Shape.of(1000, 1000), DType.F32, be);
    }
    DeviceAllocator.Stats mid = be.memoryStats();
    assertEquals(before.allocatedBytes(), mid.allocatedBytes(), "every tensor of the scope was released");
    try (Scope s = Scope.open()) {
      Tensor.zeros(Shape.of(1000, 1000), DType.F32, be);
    }
    DeviceAllocator.Stats after = be.memoryStats();
    assertEquals(mid.deviceMallocs(), after.deviceMallocs(), "served from the cache: " + after);
    assertTrue(after.cacheHits() > mid.cacheHits(), after.toString());
  }

  /** TF32 keeps 10 mantissa bits: products of O(1) values over k = 512 agree to about 1e-3 of the result's scale. */
  @Test
  void tf32GemmIsCloseToF32() {
    CudaBackend tf32 = CudaBackendProvider.open(0, true);
    CudaBackend f32 = GpuBackends.cuda();
    int n = 512;
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.randn(Shape.of(n, n), 0, 1, 1, DType.F32, f32);
      Tensor b = Tensor.randn(Shape.of(n, n), 0, 1, 2, DType.F32, f32);
      Tensor c1 = Tensor.zeros(Shape.of(n, n), DType.F32, f32);
      f32.gemm(false, false, 1, a, b, 0, c1);
      Tensor a2 = Tensor.randn(Shape.of(n, n), 0, 1, 1, DType.F32, tf32);
      Tensor b2 = Tensor.randn(Shape.of(n, n), 0, 1, 2, DType.F32, tf32);
      Tensor c2 = Tensor.zeros(Shape.of(n, n), DType.F32, tf32);
      tf32.gemm(false, false, 1, a2, b2, 0, c2);
      Tolerance.scaled(5e-3, "TF32: 10-bit mantissa inputs").assertClose("TF32 vs F32 gemm", Shape.of(n, n),
          c1.toDoubleArray(), c2.toDoubleArray());
      // and in place through the binary kernel, to exercise the F32 path after a TF32 product
      f32.binaryScalar(BinaryOp.MUL, c1, 2, c1);
    }
  }
}
