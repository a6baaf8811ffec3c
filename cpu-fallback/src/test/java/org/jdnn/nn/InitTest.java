package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.nn.Init.FanMode;
import org.jdnn.nn.Init.Nonlinearity;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

/**
 * The initialisers against the definitions of {@code torch.nn.init}: gains exactly, bounds and
 * standard deviations on large tensors (5% for the standard deviation of 60,000 draws is many
 * standard errors), orthogonality to double precision.
 */
class InitTest {
  @Test
  void gainsArePyTorchs() {
    assertEquals(1, Init.calculateGain(Nonlinearity.LINEAR));
    assertEquals(1, Init.calculateGain(Nonlinearity.CONV2D));
    assertEquals(1, Init.calculateGain(Nonlinearity.SIGMOID));
    assertEquals(5.0 / 3, Init.calculateGain(Nonlinearity.TANH));
    assertEquals(Math.sqrt(2), Init.calculateGain(Nonlinearity.RELU));
    assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain(Nonlinearity.LEAKY_RELU));
    assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain(Nonlinearity.LEAKY_RELU, 0.2));
    assertEquals(0.75, Init.calculateGain(Nonlinearity.SELU));
  }

  static double[] stats(Tensor t) {
    double[] v = t.toDoubleArray();
    double max = 0;
    double sum = 0;
    double sq = 0;
    for (double x : v) {
      max = Math.max(max, Math.abs(x));
      sum += x;
      sq += x * x;
    }
    return new double[] {max, sum / v.length, Math.sqrt(sq / v.length)};
  }

  /** A conv weight (out 300, in 50, 2x2): fan_in 200, fan_out 1200. */
  static Tensor weight() {
    return Tensor.zeros(Shape.of(300, 50, 2, 2), DType.F32, org.jdnn.spi.Backends.cpu());
  }

  @Test
  void xavierUsesBothFans() {
    Generator.manualSeed(1);
    double a = 1.5 * Math.sqrt(6.0 / (200 + 1200));
    double[] u = stats(Init.xavierUniform(weight(), 1.5));
    assertTrue(u[0] <= a && u[0] > 0.99 * a, "U(-a, a), max " + u[0] + " a " + a);
    assertEquals(a / Math.sqrt(3), u[2], 0.05 * a / Math.sqrt(3));
    double std = 2 * Math.sqrt(2.0 / 1400);
    assertEquals(std, stats(Init.xavierNormal(weight(), 2))[2], 0.05 * std);
  }

  @Test
  void kaimingModesAndNonlinearities() {
    Generator.manualSeed(2);
    double b = Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(200);
    double[] u = stats(Init.kaimingUniform(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU));
    assertTrue(u[0] <= b && u[0] > 0.99 * b, "fan_in relu bound " + b + ", max " + u[0]);
    double stdOut = Math.sqrt(2 / 1.04) / Math.sqrt(1200);
    assertEquals(stdOut, stats(Init.kaimingNormal(weight(), 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU))[2],
        0.05 * stdOut);
    double stdLinear = 1 / Math.sqrt(200);
    assertEquals(stdLinear, stats(Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.LINEAR))[2],
        0.05 * stdLinear);
    // The two-argument form stays PyTorch's kaiming_uniform_(w, a) (fan_in, leaky_relu).
    Generator.manualSeed(3);
    float[] legacy = Init.kaimingUniform(weight(), Math.sqrt(5)).toFloatArray();
    Generator.manualSeed(3);
    float[] general = Init.kaimingUniform(weight(), Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU)
        .toFloatArray();
    assertArrayEquals(legacy, general);
  }

  @Test
  void constantOnesZeros() {
    assertArrayEquals(new float[] {0.25f, 0.25f}, Init.constant(Tensor.zeros(2), 0.25).toFloatArray());
    assertArrayEquals(new float[] {1, 1}, Init.ones(Tensor.zeros(2)).toFloatArray());
    assertArrayEquals(new float[] {0, 0}, Init.zeros(Tensor.ones(2)).toFloatArray());
  }

  /** Rows (wide) or columns (tall) orthonormal, times the gain. */
  @Test
  void orthogonalIsOrthogonal() {
    Generator.manualSeed(4);
    for (int[] dims : new int[][] {{7, 4}, {4, 7}, {6, 6}, {8, 3, 2, 2}}) {
      Tensor t = Tensor.zeros(Shape.of(dims), DType.F64, org.jdnn.spi.Backends.cpu());
      double gain = 2;
      double[] q = Init.orthogonal(t, gain).toDoubleArray();
      int rows = dims[0];
      int cols = q.length / rows;
      boolean wide = rows < cols;
      int n = wide ? rows : cols;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int k = 0; k < (wide ? cols : rows); k++) {
            dot += wide ? q[i * cols + k] * q[j * cols + k] : q[k * cols + i] * q[k * cols + j];
          }
          assertEquals(i == j ? gain * gain : 0, dot, 1e-12, java.util.Arrays.toString(dims) + " Q^T Q at " + i + ","
              + j);
        }
      }
    }
    assertThrows(ShapeException.class, () -> Init.orthogonal(Tensor.zeros(5), 1));
  }

  @Test
  void orthogonalFixesSignsSoRHasAPositiveDiagonal() {
    // A = [[2, 0], [0, -3]]: Q R with R's diagonal positive is Q = diag(1, -1), R = diag(2, 3).
    assertArrayEquals(new double[] {1, 0, 0, -1}, Init.orthogonalMatrix(new double[] {2, 0, 0, -3}, 2, 2), 1e-15);
    // Upper triangular with a positive diagonal: Q = I.
    assertArrayEquals(new double[] {1, 0, 0, 1}, Init.orthogonalMatrix(new double[] {1, 5, 0, 2}, 2, 2), 1e-15);
  }
}
