package org.jdnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.conformance.Tolerance;
import org.jdnn.cpu.gemm.GemmKernel;
import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.cpu.gemm.PackedSgemm;
import org.jdnn.spi.Activation;
import org.jdnn.spi.Backend;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU backend's fast paths with each GEMM kernel forced, against the naive reference, on the
 * cases the conformance suite's tables reach only partly: 2x2 max pooling across the vector width
 * (row lengths that are and are not multiples of it) with ties and NaN, ReLU on lengths around
 * the vector width, and LeNet-sized stride-1 convolutions with batches larger than the thread
 * count, which take the batched filter-gradient path.
 */
class FastPathsTest {
  private static final Tolerance SUMS = Tolerance.scaled(1e-5, "F32 sums in any order (as the conformance suite)");

  static Stream<Arguments> kernels() {
    return Stream.of(Arguments.of(GemmKernels.vector()), Arguments.of(GemmKernels.plainJava()));
  }

  private static Tensor tensor(Backend be, Shape s, float[] v) {
    return Tensor.fromArray(v, v.length, DType.F32, s.toArray(), be);
  }

  /** Small integers (ties everywhere) with a few NaNs. */
  private static float[] tiesAndNaN(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = r.nextInt(50) == 0 ? Float.NaN : r.nextInt(3);
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void maxPool2x2MatchesTheReferenceWithTiesAndNaN(GemmKernel kernel) {
    Backend fast = new CpuBackend(new PackedSgemm(kernel));
    Backend naive = new NaiveBackend();
    for (int[] hw : new int[][] {{2, 2}, {4, 34}, {7, 65}, {9, 64}, {28, 28}, {10, 10}, {3, 96}}) {
      PoolGeometry g = PoolGeometry.of(PoolGeometry.Mode.MAX, Shape.of(2, 3, hw[0], hw[1]), new int[] {2, 2},
          new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
      float[] x = tiesAndNaN(Math.toIntExact(g.inputShape().numel()), hw[0] * 100L + hw[1]);
      float[] dy = tiesAndNaN(Math.toIntExact(g.outputShape().numel()), 7);
      float[][] results = new float[2][];
      float[][] grads = new float[2][];
      int i = 0;
      for (Backend be : List.of(fast, naive)) {
        Tensor xt = tensor(be, g.inputShape(), x);
        Tensor y = Tensor.empty(g.outputShape(), DType.F32, be);
        be.pool(g, xt, y);
        Tensor dx = Tensor.empty(g.inputShape(), DType.F32, be);
        be.poolBackward(g, xt, y, tensor(be, g.outputShape(), dy), dx);
        results[i] = y.toFloatArray();
        grads[i++] = dx.toFloatArray();
      }
      assertArrayEquals(results[1], results[0], "forward " + g);
      assertArrayEquals(grads[1], grads[0], "backward " + g);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void reluAroundTheVectorWidth(GemmKernel kernel) {
    Backend fast = new CpuBackend(new PackedSgemm(kernel));
    Backend naive = new NaiveBackend();
    for (int n : new int[] {1, 7, 13, 16, 17, 65}) {
      float[] x = tiesAndNaN(n, n);
      for (int j = 0; j < n; j += 3) x[j] = -x[j];
      float[] dy = tiesAndNaN(n, 3 * n);
      float[][] out = new float[2][];
      float[][] grad = new float[2][];
      int i = 0;
      for (Backend be : List.of(fast, naive)) {
        Tensor xt = tensor(be, Shape.of(n), x);
        Tensor y = Tensor.empty(Shape.of(n), DType.F32, be);
        be.activation(Activation.RELU, xt, y);
        Tensor dx = Tensor.empty(Shape.of(n), DType.F32, be);
        be.activationBackward(Activation.RELU, xt, y, tensor(be, Shape.of(n), dy), dx);
        out[i] = y.toFloatArray();
        grad[i++] = dx.toFloatArray();
      }
      assertArrayEquals(out[1], out[0], "relu n=" + n);
      assertArrayEquals(grad[1], grad[0], "relu backward n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void leNetConvolutionsWithLargeBatches(GemmKernel kernel) {
    Backend fast = new CpuBackend(new PackedSgemm(kernel));
    Backend naive = new NaiveBackend();
    for (int[] c : new int[][] {{9, 1, 6, 28, 2}, {9, 6, 16, 14, 0}, {5, 3, 7, 13, 1}}) { // N, C_in, C_out, size, pad
      ConvGeometry g = ConvGeometry.of(Shape.of(c[0], c[1], c[3], c[3]), Shape.of(c[2], c[1], 5, 5),
          new int[] {1, 1}, new int[] {c[4], c[4]}, new int[] {1, 1}, 1);
      Random r = new Random(c[1] * 31L + c[2]);
      float[] x = new float[Math.toIntExact(g.inputShape().numel())];
      float[] w = new float[Math.toIntExact(g.weightShape().numel())];
      float[] dy = new float[Math.toIntExact(g.outputShape().numel())];
      for (float[] a : new float[][] {x, w, dy}) for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
      double[][] got = new double[3][];
      double[][] want = new double[3][];
      for (Backend be : List.of(fast, naive)) {
        Tensor y = Tensor.empty(g.outputShape(), DType.F32, be);
        be.convForward(g, tensor(be, g.inputShape(), x), tensor(be, g.weightShape(), w), y);
        Tensor dx = Tensor.empty(g.inputShape(), DType.F32, be);
        be.convBackwardData(g, tensor(be, g.weightShape(), w), tensor(be, g.outputShape(), dy), dx);
        Tensor dw = Tensor.empty(g.weightShape(), DType.F32, be);
        be.convBackwardFilter(g, tensor(be, g.inputShape(), x), tensor(be, g.outputShape(), dy), dw);
        double[][] into = be == fast ? got : want;
        into[0] = y.toDoubleArray();
        into[1] = dx.toDoubleArray();
        into[2] = dw.toDoubleArray();
      }
      SUMS.assertClose("forward " + g, g.outputShape(), want[0], got[0]);
      SUMS.assertClose("backward-data " + g, g.inputShape(), want[1], got[1]);
      SUMS.assertClose("backward-filter " + g, g.weightShape(), want[2], got[2]);
    }
  }
}
