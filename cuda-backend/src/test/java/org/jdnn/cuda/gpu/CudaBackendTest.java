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

  /**
   * The activation kernels give the reference's results, special values included: every kind
   * (the extended ones always run on them; ReLU, sigmoid and tanh with jdnn.cuda.activations=jdnn,
   * the fallback if cuDNN's handling of NaN or infinities differs).
   */
  @Test
  void activationKernelsMatchTheReference() {
    CudaBackend be = CudaBackendProvider.open(0, false, false);
    NaiveBackend ref = new NaiveBackend();
    double[] v = new double[1000];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < v.length; i++) v[i] = i % 7 == 0 ? 0 : 4 * r.nextGaussian();
    double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -3, 3, 100, -100};
    System.arraycopy(special, 0, v, 1, special.length);
    float[] fv = new float[v.length];
    float[] g = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      fv[i] = (float) v[i];
      g[i] = (float) r.nextGaussian();
    }
    Tolerance tol = Tolerance.of(1e-5, 1e-6, "transcendental function: F32 implementations allowed");
    for (org.jdnn.spi.Activation a : org.jdnn.spi.Activation.examples()) {
      try (Scope s = Scope.open()) {
        double[][] out = new double[2][];
        double[][] grad = new double[2][];
        int k = 0;
        for (org.jdnn.spi.Backend b : new org.jdnn.spi.Backend[] {ref, be}) {
          Tensor x = Tensor.fromArray(fv, fv.length, DType.F32, new int[] {fv.length}, b);
          Tensor dy = Tensor.fromArray(g, g.length, DType.F32, new int[] {g.length}, b);
          Tensor y = Tensor.zeros(Shape.of(fv.length), DType.F32, b);
          Tensor dx = Tensor.zeros(Shape.of(fv.length), DType.F32, b);
          b.activation(a, x, y);
          b.activationBackward(a, x, y, dy, dx);
          out[k] = y.toDoubleArray();
          grad[k++] = dx.toDoubleArray();
        }
        tol.assertClose(a + " forward, jdnn kernels vs reference", Shape.of(v.length), out[0], out[1]);
        tol.assertClose(a + " backward, jdnn kernels vs reference", Shape.of(v.length), grad[0], grad[1]);
      }
    }
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
