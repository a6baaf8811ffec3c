package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.io.Safetensors;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch-norm layers' state, modes and running statistics, with values worked by hand from
 * PyTorch's definitions (the golden files compare the same against PyTorch itself).
 */
class BatchNormLayerTest {
  /** torchvision's BasicBlock layout: conv1, bn1. */
  static final class Block extends Module {
    Block() {
      registerModule("conv1", Conv2d.builder(2, 3, 3).padding(1).bias(false).build());
      registerModule("bn1", new BatchNorm2d(3));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      return children().get("bn1").forward(children().get("conv1").forward(x));
    }
  }

  @Test
  void stateDictKeysAndDefaultsAreTorchvisions() {
    Block b = new Block();
    assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
        "bn1.num_batches_tracked"), List.copyOf(b.stateDict().keySet()));
    assertEquals(3 * 2 * 9 + 3 + 3, b.parameterCount(), "running statistics are buffers, not parameters");
    BatchNorm2d bn = (BatchNorm2d) b.children().get("bn1");
    assertArrayEquals(new float[] {1, 1, 1}, bn.weight().toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0}, bn.bias().toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toFloatArray());
    assertEquals(DType.I64, bn.numBatchesTracked().dtype());
    assertEquals(Shape.scalar(), bn.numBatchesTracked().shape());
    assertEquals(0, bn.numBatchesTracked().item());
  }

  @Test
  void affineAndTrackingCanBeOff() {
    assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
        List.copyOf(new BatchNorm1d(4, BatchNormNd.options().affine(false)).stateDict().keySet()));
    assertEquals(List.of("weight", "bias"),
        List.copyOf(new BatchNorm3d(4, BatchNormNd.options().trackRunningStats(false)).stateDict().keySet()));
    assertEquals(List.of(), List.copyOf(
        new BatchNorm2d(4, BatchNormNd.options().affine(false).trackRunningStats(false)).stateDict().keySet()));
  }

  @Test
  void printsAsPyTorch() {
    assertEquals("BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
        new BatchNorm2d(64).toString());
    assertEquals("BatchNorm1d(8, eps=0.001, momentum=None, affine=False, track_running_stats=False)",
        new BatchNorm1d(8, BatchNormNd.options().eps(1e-3).momentum(null).affine(false).trackRunningStats(false))
            .toString());
  }

  /** Channel 0 holds 1, 2, 3, 6 and channel 1 holds 10, 10, 10, 14 over (N=2, L=2). */
  static Tensor x() {
    return Tensor.of(new float[] {1, 2, 10, 10, 3, 6, 10, 14}, 2, 2, 2);
  }

  @Test
  void trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnesWithTheUnbiasedVariance() {
    BatchNorm1d bn = new BatchNorm1d(2);
    Tensor y = bn.forward(x());
    // channel 0: mean 3, biased var (4+1+0+9)/4 = 3.5, unbiased 14/3; channel 1: mean 11, var 3, unbiased 4
    double s0 = 1 / Math.sqrt(3.5 + 1e-5);
    double s1 = 1 / Math.sqrt(3 + 1e-5);
    assertClose(new double[] {-2 * s0, -s0, -s1, -s1, 0, 3 * s0, -s1, 3 * s1}, y.toDoubleArray(), 1e-6, "y");
    assertClose(new double[] {0.1 * 3, 0.1 * 11}, bn.runningMean().toDoubleArray(), 1e-6, "running_mean");
    assertClose(new double[] {0.9 + 0.1 * 14 / 3, 0.9 + 0.1 * 4}, bn.runningVar().toDoubleArray(), 1e-6,
        "running_var (unbiased batch variance)");
    assertEquals(1, bn.numBatchesTracked().item());
    bn.forward(x());
    assertClose(new double[] {0.19 * 3, 0.19 * 11}, bn.runningMean().toDoubleArray(), 1e-6, "running_mean, step 2");
    assertEquals(2, bn.numBatchesTracked().item());
  }

  @Test
  void momentumNullIsTheCumulativeAverage() {
    BatchNorm1d bn = new BatchNorm1d(2, BatchNormNd.options().momentum(null));
    bn.forward(x());
    assertClose(new double[] {3, 11}, bn.runningMean().toDoubleArray(), 1e-6, "after one batch: that batch");
    bn.forward(Tensor.of(new float[] {5, 5, 0, 2, 5, 5, 2, 4}, 2, 2, 2)); // means 5 and 2
    assertClose(new double[] {4, 6.5}, bn.runningMean().toDoubleArray(), 1e-6, "mean of the two batch means");
    assertClose(new double[] {(14.0 / 3 + 0) / 2, (4 + 8.0 / 3) / 2}, bn.runningVar().toDoubleArray(), 1e-6,
        "mean of the two unbiased variances");
    assertEquals(2, bn.numBatchesTracked().item());
  }

  @Test
  void evalUsesRunningStatisticsAndLeavesThemAlone() {
    BatchNorm1d bn = new BatchNorm1d(2);
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("weight", Tensor.of(new float[] {2, 1}, 2));
    state.put("bias", Tensor.of(new float[] {0.5f, -1}, 2));
    state.put("running_mean", Tensor.of(new float[] {1, 10}, 2));
    state.put("running_var", Tensor.of(new float[] {4, 0.25f}, 2));
    state.put("num_batches_tracked", Tensor.of(new long[] {7}));
    bn.loadStateDict(state, true);
    bn.eval();
    Tensor y = bn.forward(Tensor.of(new float[] {3, 11}, 1, 2)); // batch 1 is fine in eval
    assertClose(new double[] {2 * 2 / Math.sqrt(4 + 1e-5) + 0.5, 1 / Math.sqrt(0.25 + 1e-5) - 1}, y.toDoubleArray(),
        1e-6, "y");
    assertArrayEquals(new float[] {1, 10}, bn.runningMean().toFloatArray());
    assertEquals(7, bn.numBatchesTracked().item());
  }

  @Test
  void withoutTrackedStatisticsEvalUsesTheBatch() {
    BatchNorm1d bn = new BatchNorm1d(2, BatchNormNd.options().trackRunningStats(false));
    bn.eval();
    Tensor y = bn.forward(x());
    assertClose(bn.train().forward(x()).toDoubleArray(), y.toDoubleArray(), 0, "eval equals training");
    assertNull(bn.runningMean());
  }

  @Test
  void channelMismatchNamesTheLayerAndBothCounts() {
    Block b = new Block();
    ShapeException e = assertThrows(ShapeException.class,
        () -> b.children().get("bn1").forward(Tensor.zeros(2, 4, 5, 5)));
    assertTrue(e.getMessage().matches(".*BatchNorm2d: input must have num_features=3 channels at axis 1; "
        + "received shape \\[2, 4, 5, 5\\].*`bn1` \\(BatchNorm2d\\).*"), e.getMessage());
  }

  @Test
  void trainingOnOneValuePerChannelFailsAndIsNotCounted() {
    BatchNorm1d bn = new BatchNorm1d(4);
    ShapeException e = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(1, 4)));
    assertTrue(e.getMessage().contains("expected more than 1 value per channel when training; received input of "
        + "shape [1, 4]"), e.getMessage());
    assertTrue(e.getMessage().contains("(layer BatchNorm1d)"), e.getMessage());
    assertEquals(0, bn.numBatchesTracked().item(), "a rejected batch is not counted");
    assertEquals(Shape.of(1, 4, 2), bn.forward(Tensor.zeros(1, 4, 2)).shape(), "one sample with length 2 is fine");
    bn.eval();
    assertEquals(Shape.of(1, 4), bn.forward(Tensor.zeros(1, 4)).shape(), "eval needs no batch statistics");
  }

  @Test
  void eachDimensionalityChecksTheRank() {
    assertThrows(ShapeException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 4, 4)));
    assertThrows(ShapeException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)));
    ShapeException e = assertThrows(ShapeException.class, () -> new BatchNorm3d(3).forward(Tensor.zeros(2, 3, 4, 4)));
    assertTrue(
        e.getMessage().contains("BatchNorm3d: expected a 5-d input (N, C, D, H, W); received shape [2, 3, 4, 4]"),
        e.getMessage());
  }

  @Test
  void stateRoundTripsThroughSafetensorsWithTheI64Counter(@TempDir Path dir) throws Exception {
    BatchNorm2d a = new BatchNorm2d(3);
    a.forward(Tensor.randn(4, 3, 2, 2));
    Path file = dir.resolve("bn.safetensors");
    Safetensors.write(file, a.stateDict(), Map.of());
    BatchNorm2d b = new BatchNorm2d(3);
    b.loadStateDict(Safetensors.read(file, org.jdnn.spi.Backends.cpu()).tensors, true);
    assertArrayEquals(a.runningVar().toFloatArray(), b.runningVar().toFloatArray());
    assertEquals(1, b.numBatchesTracked().item());
  }

  @Test
  void localResponseNormPrintsAndChecksItsInput() {
    assertEquals("LocalResponseNorm(5, alpha=1.0E-4, beta=0.75, k=2.0)",
        new LocalResponseNorm(5, 1e-4, 0.75, 2).toString());
    ShapeException e = assertThrows(ShapeException.class, () -> new LocalResponseNorm(3).forward(Tensor.zeros(2, 4)));
    assertTrue(e.getMessage().contains("rank >= 3; received shape [2, 4]") && e.getMessage().contains(
        "LocalResponseNorm"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(0));
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
    }
  }
}
