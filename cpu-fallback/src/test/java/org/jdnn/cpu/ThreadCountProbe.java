package org.jdnn.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.jdnn.conformance.Tolerance;
import org.jdnn.spi.Activation;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * The CPU backend's multi-threaded paths at whatever thread count this JVM runs with: each op is
 * sized so that {@link CpuThreads} splits it into several chunks, computed twice (the results must
 * be bit-for-bit identical: chunk boundaries depend only on the problem and the thread count) and
 * compared with {@link NaiveBackend}.
 *
 * <p>{@link CpuThreads} is a process-wide singleton fixed at first use, so other thread counts
 * need another JVM: {@link CpuThreadCountTest} runs {@link #main} with
 * {@code -Djdnn.cpu.threads=N}, and also calls {@link #check} in its own JVM.
 */
public final class ThreadCountProbe {
  private static final Tolerance SUMS = Tolerance.scaled(1e-5, "F32 sums in any order (as the conformance suite)");
  private static final Tolerance POINTWISE = Tolerance.of(1e-5, 1e-6, "point-wise F32 (as the conformance suite)");

  private ThreadCountProbe() {}

  /** Prints {@code threads=N}, one line per failure, and exits with status 1 if any op failed. */
  public static void main(String[] args) {
    List<String> failures = check();
    System.out.println("threads=" + CpuThreads.get().threads() + " ops=" + ops().size() + " gemm="
        + org.jdnn.cpu.gemm.GemmKernels.preferred().name());
    failures.forEach(f -> System.out.println("FAIL " + f));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** One op: name, and a computation on a backend from inputs already on that backend. */
  private record Op(String name, Shape[] inputs, Function<Args, Tensor> run, Tolerance tol) {}

  private record Args(Backend be, Tensor[] in) {}

  private static Tensor out(Args a, Shape s) {
    return Tensor.empty(s, DType.F32, a.be());
  }

  static List<Op> ops() {
    List<Op> ops = new ArrayList<>();
    Shape big = Shape.of(5, 5, 67, 71); // 118,925 elements: 3 chunks of the 32K-element grain
    ops.add(new Op("gemm 131x257x65 (rows split)", new Shape[] {Shape.of(131, 65), Shape.of(65, 257)}, a -> {
      Tensor c = out(a, Shape.of(131, 257));
      a.be().gemm(false, false, 1, a.in()[0], a.in()[1], 0, c);
      return c;
    }, SUMS));
    ops.add(new Op("gemm batch 5 A^T B^T", new Shape[] {Shape.of(5, 31, 33), Shape.of(5, 65, 31)}, a -> {
      Tensor c = out(a, Shape.of(5, 33, 65));
      a.be().gemm(true, true, 1, a.in()[0], a.in()[1], 0, c);
      return c;
    }, SUMS));
    for (int[] p : new int[][] {{1, 1, 1}, {2, 3, 3}}) { // stride, groups, padding
      ConvGeometry g = ConvGeometry.of(Shape.of(5, 6, 11, 9), Shape.of(9, 6 / p[1], 3, 3), new int[] {p[0], p[0]},
          new int[] {p[2], p[2]}, new int[] {1, 1}, p[1]);
      String name = "conv2d N=5 " + g;
      ops.add(new Op("forward " + name, new Shape[] {g.inputShape(), g.weightShape()}, a -> {
        Tensor y = out(a, g.outputShape());
        a.be().convForward(g, a.in()[0], a.in()[1], y);
        return y;
      }, SUMS));
      ops.add(new Op("backward-data " + name, new Shape[] {g.weightShape(), g.outputShape()}, a -> {
        Tensor dx = out(a, g.inputShape());
        a.be().convBackwardData(g, a.in()[0], a.in()[1], dx);
        return dx;
      }, SUMS));
      ops.add(new Op("backward-filter " + name, new Shape[] {g.inputShape(), g.outputShape()}, a -> {
        Tensor dw = out(a, g.weightShape());
        a.be().convBackwardFilter(g, a.in()[0], a.in()[1], dw);
        return dw;
      }, SUMS));
    }
    for (PoolGeometry.Mode mode : PoolGeometry.Mode.values()) {
      PoolGeometry g = PoolGeometry.of(mode, Shape.of(3, 5, 13, 13), new int[] {3, 3}, new int[] {2, 2},
          new int[] {1, 1}, new int[] {1, 1}, true);
      ops.add(new Op("pool " + g, new Shape[] {g.inputShape()}, a -> {
        Tensor y = out(a, g.outputShape());
        a.be().pool(g, a.in()[0], y);
        return y;
      }, SUMS));
      ops.add(new Op("pool backward " + g, new Shape[] {g.inputShape(), g.outputShape()}, a -> {
        Tensor y = out(a, g.outputShape());
        a.be().pool(g, a.in()[0], y);
        Tensor dx = out(a, g.inputShape());
        a.be().poolBackward(g, a.in()[0], y, a.in()[1], dx);
        return dx;
      }, SUMS));
    }
    ops.add(new Op("tanh " + big, new Shape[] {big}, a -> {
      Tensor y = out(a, big);
      a.be().activation(Activation.TANH, a.in()[0], y);
      return y;
    }, POINTWISE));
    ops.add(new Op("relu backward " + big, new Shape[] {big, big}, a -> {
      Tensor y = out(a, big);
      a.be().activation(Activation.RELU, a.in()[0], y);
      Tensor dx = out(a, big);
      a.be().activationBackward(Activation.RELU, a.in()[0], y, a.in()[1], dx);
      return dx;
    }, POINTWISE));
    ops.add(new Op("exp " + big, new Shape[] {big}, a -> {
      Tensor y = out(a, big);
      a.be().unary(UnaryOp.EXP, a.in()[0], y);
      return y;
    }, POINTWISE));
    for (Shape b : new Shape[] {big, Shape.of(1, 5, 1, 1), Shape.of(71), Shape.of(1)}) {
      ops.add(new Op("mul " + big + " by " + b, new Shape[] {big, b}, a -> {
        Tensor y = out(a, big);
        a.be().binary(BinaryOp.MUL, a.in()[0], a.in()[1], y);
        return y;
      }, POINTWISE));
    }
    ops.add(new Op("sub scalar " + big, new Shape[] {big}, a -> {
      Tensor y = out(a, big);
      a.be().binaryScalar(BinaryOp.SUB, a.in()[0], 0.1, y);
      return y;
    }, POINTWISE));
    ops.add(new Op("sum over (0, 2, 3) of " + big, new Shape[] {big}, a -> {
      Tensor y = out(a, Shape.of(1, 5, 1, 1));
      a.be().reduce(ReduceOp.SUM, a.in()[0], new int[] {0, 2, 3}, y);
      return y;
    }, SUMS));
    ops.add(new Op("max over axis 1 of [3, 65537]", new Shape[] {Shape.of(3, 65537)}, a -> {
      Tensor y = out(a, Shape.of(3, 1));
      a.be().reduce(ReduceOp.MAX, a.in()[0], new int[] {1}, y);
      return y;
    }, Tolerance.EXACT));
    ops.add(new Op("log_softmax [1031, 119] axis 1", new Shape[] {Shape.of(1031, 119)}, a -> {
      Tensor y = out(a, Shape.of(1031, 119));
      a.be().softmax(true, 1, a.in()[0], y);
      return y;
    }, SUMS));
    ops.addAll(normalizationOps());
    return ops;
  }

  /** Batch norm split over channels (and inference over rows), LRN over rows and channels. */
  private static List<Op> normalizationOps() {
    List<Op> ops = new ArrayList<>();
    Shape big = Shape.of(5, 5, 67, 71);
    Shape c = Shape.of(5);
    ops.add(new Op("batch_norm training " + big, new Shape[] {big, c, c}, a -> {
      Tensor y = out(a, big);
      a.be().batchNormTraining(a.in()[0], a.in()[1], a.in()[2], 1e-5, y, out(a, c), out(a, c));
      return y;
    }, SUMS));
    ops.add(new Op("batch_norm backward " + big, new Shape[] {big, c, big}, a -> {
      Tensor mean = out(a, c);
      Tensor invStd = out(a, c);
      a.be().batchNormTraining(a.in()[0], a.in()[1], a.in()[1], 1e-5, out(a, big), mean, invStd);
      Tensor dx = out(a, big);
      a.be().batchNormBackward(a.in()[0], a.in()[1], a.in()[2], mean, invStd, dx, out(a, c), out(a, c));
      return dx;
    }, SUMS));
    ops.add(new Op("batch_norm inference " + big, new Shape[] {big, c, c, c}, a -> {
      Tensor var = out(a, c);
      a.be().unary(UnaryOp.SQUARE, a.in()[3], var);
      Tensor y = out(a, big);
      a.be().batchNormInference(a.in()[0], a.in()[1], a.in()[2], a.in()[2], var, 1e-3, y);
      return y;
    }, SUMS));
    ops.add(new Op("lrn size 5 " + big, new Shape[] {big}, a -> {
      Tensor y = out(a, big);
      a.be().lrn(5, 1, 0.75, 1, a.in()[0], y);
      return y;
    }, POINTWISE));
    ops.add(new Op("lrn backward size 4 " + big, new Shape[] {big, big}, a -> {
      Tensor y = out(a, big);
      a.be().lrn(4, 1, 0.75, 1, a.in()[0], y);
      Tensor dx = out(a, big);
      a.be().lrnBackward(4, 1, 0.75, 1, a.in()[0], y, a.in()[1], dx);
      return dx;
    }, SUMS));
    return ops;
  }

  /** Runs every op; returns one message per failure (empty when all pass). */
  public static List<String> check() {
    Backend cpu = new CpuBackend();
    Backend naive = new NaiveBackend();
    List<String> failures = new ArrayList<>();
    long seed = 7;
    for (Op op : ops()) {
      Tensor[] onCpu = new Tensor[op.inputs().length];
      Tensor[] onNaive = new Tensor[op.inputs().length];
      for (int i = 0; i < onCpu.length; i++) {
        float[] v = normal(op.inputs()[i], seed++);
        onCpu[i] = Tensor.fromArray(v, v.length, DType.F32, op.inputs()[i].toArray(), cpu);
        onNaive[i] = Tensor.fromArray(v, v.length, DType.F32, op.inputs()[i].toArray(), naive);
      }
      float[] first = op.run().apply(new Args(cpu, onCpu)).toFloatArray();
      float[] second = op.run().apply(new Args(cpu, onCpu)).toFloatArray();
      if (!Arrays.equals(first, second)) {
        failures.add(op.name() + ": two runs at " + CpuThreads.get().threads() + " threads differ");
      }
      Tensor expected = op.run().apply(new Args(naive, onNaive));
      try {
        op.tol().assertClose(op.name() + " at " + CpuThreads.get().threads() + " threads vs reference",
            expected.shape(), expected.toDoubleArray(), widen(first));
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    return failures;
  }

  private static float[] normal(Shape s, long seed) {
    Random r = new Random(seed);
    float[] v = new float[Math.toIntExact(s.numel())];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  private static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }
}
