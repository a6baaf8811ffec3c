package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.jdnn.spi.Activation;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each activation layer applies its function with PyTorch's defaults and prints as PyTorch; the
 * values against PyTorch itself are in the golden files, the gradients in GradCheckTest.
 */
class ActivationLayersTest {
  static final float[] X = {-3, -1.5f, -0.25f, 0, 0.5f, 2, 7};

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of(new ReLU6(), "ReLU6()", new double[] {0, 0, 0, 0, 0.5, 2, 6}),
        Arguments.of(new LeakyReLU(), "LeakyReLU(negative_slope=0.01)",
            new double[] {-0.03, -0.015, -0.0025, 0, 0.5, 2, 7}),
        Arguments.of(new LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)",
            new double[] {-0.6, -0.3, -0.05, 0, 0.5, 2, 7}),
        Arguments.of(new ELU(), "ELU(alpha=1.0)", map(v -> v > 0 ? v : Math.expm1(v))),
        Arguments.of(new ELU(0.5), "ELU(alpha=0.5)", map(v -> v > 0 ? v : 0.5 * Math.expm1(v))),
        Arguments.of(new SELU(), "SELU()",
            map(v -> 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)))),
        Arguments.of(new Softplus(), "Softplus(beta=1.0, threshold=20.0)", map(v -> Math.log1p(Math.exp(v)))),
        Arguments.of(new Softplus(2, 5), "Softplus(beta=2.0, threshold=5.0)",
            map(v -> 2 * v > 5 ? v : Math.log1p(Math.exp(2 * v)) / 2)),
        Arguments.of(new Softsign(), "Softsign()", map(v -> v / (1 + Math.abs(v)))),
        Arguments.of(new Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)", new double[] {-1, -1, -0.25, 0, 0.5, 1, 1}),
        Arguments.of(new Hardtanh(-0.5, 2), "Hardtanh(min_val=-0.5, max_val=2.0)",
            new double[] {-0.5, -0.5, -0.25, 0, 0.5, 2, 2}),
        // x Phi(x) from torch.nn.functional.gelu in float64
        Arguments.of(new GELU(), "GELU()", new double[] {-0.00404969409489031, -0.10021080190328704,
            -0.10032341857926907, 0.0, 0.34573123063700656, 1.9544997361036416, 6.999999999991041}));
  }

  interface D2D {
    double apply(double v);
  }

  static double[] map(D2D f) {
    double[] out = new double[X.length];
    for (int i = 0; i < X.length; i++) out[i] = f.apply(X[i]);
    return out;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("layers")
  void appliesItsFunction(Module layer, String repr, double[] expected) {
    assertEquals(repr, layer.toString());
    float[] y = layer.forward(Tensor.of(X, X.length)).toFloatArray();
    for (int i = 0; i < X.length; i++) {
      assertEquals(expected[i], y[i], 1e-6 * Math.max(1, Math.abs(expected[i])), repr + " at x = " + X[i]);
    }
  }

  @Test
  void layersCarryTheirDescriptors() {
    assertEquals(Activation.leakyRelu(0.01), new LeakyReLU().activation());
    assertEquals(Activation.softplus(1, 20), new Softplus().activation());
    assertEquals(Activation.hardtanh(-1, 1), new Hardtanh().activation());
    assertEquals(Activation.elu(1), new ELU().activation());
  }

  @Test
  void hardtanhNeedsMaxAboveMin() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Hardtanh(1, 1));
    assertEquals("Hardtanh: max_val must be greater than min_val; received min_val=1.0, max_val=1.0", e.getMessage());
  }

  @Test
  void softmaxLayersWorkAlongTheirAxis() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals("Softmax(dim=1)", new Softmax(1).toString());
    assertArrayEquals(x.softmax(0).toFloatArray(), new Softmax(0).forward(x).toFloatArray());
    assertArrayEquals(x.logSoftmax(-1).toFloatArray(), new LogSoftmax(-1).forward(x).toFloatArray());
    float[] s = new Softmax(1).forward(x).toFloatArray();
    assertEquals(1, s[0] + s[1] + s[2], 1e-6, "a row sums to 1");
  }

  @Test
  void functionalFormsMatchTheLayers() {
    Tensor x = Tensor.of(X, X.length);
    for (Object[] pair : List.of(
        new Object[] {Functional.leakyRelu(x, 0.2), new LeakyReLU(0.2)},
        new Object[] {Functional.elu(x, 0.5), new ELU(0.5)},
        new Object[] {Functional.softplus(x, 2, 5), new Softplus(2, 5)},
        new Object[] {Functional.hardtanh(x, -0.5, 2), new Hardtanh(-0.5, 2)},
        new Object[] {Functional.relu6(x), new ReLU6()},
        new Object[] {Functional.selu(x), new SELU()},
        new Object[] {Functional.softsign(x), new Softsign()},
        new Object[] {Functional.gelu(x), new GELU()})) {
      assertArrayEquals(((Module) pair[1]).forward(x).toFloatArray(), ((Tensor) pair[0]).toFloatArray(),
          pair[1].toString());
    }
  }
}
