package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

/**
 * Dropout draws differ from PyTorch's generator, so instead of golden files these tests pin the
 * definition: the kept fraction, the 1/(1-p) scale, whole channels for Dropout2d/3d, eval identity,
 * seeding, and a backward that is the mask.
 */
class DropoutTest {
  static Tensor ones(int... dims) {
    return Tensor.ones(dims);
  }

  @Test
  void keepsAbout1MinusPAndScalesByItsInverse() {
    Generator.manualSeed(11);
    double p = 0.3;
    int n = 200_000;
    float[] y = new Dropout(p).forward(ones(n)).toFloatArray();
    int kept = 0;
    for (float v : y) {
      if (v != 0) {
        kept++;
        assertEquals((float) (1 / (1 - p)), v, "a kept element is scaled by 1/(1-p)");
      }
    }
    double se = Math.sqrt(p * (1 - p) / n);
    assertEquals(1 - p, (double) kept / n, 5 * se, "kept fraction within 5 standard errors");
  }

  @Test
  void channelDropoutZeroesWholeMaps() {
    Generator.manualSeed(12);
    for (Module m : new Module[] {new Dropout2d(0.5), new Dropout3d(0.5)}) {
      int[] dims = m instanceof Dropout2d ? new int[] {4, 16, 3, 5} : new int[] {4, 16, 2, 3, 5};
      float[] y = m.forward(ones(dims)).toFloatArray();
      int map = y.length / (4 * 16);
      int zeroMaps = 0;
      for (int c = 0; c < 4 * 16; c++) {
        float first = y[c * map];
        for (int i = 1; i < map; i++) assertEquals(first, y[c * map + i], m + ": map " + c + " is not uniform");
        assertTrue(first == 0 || first == 2, m + ": map value " + first);
        if (first == 0) zeroMaps++;
      }
      assertTrue(zeroMaps > 10 && zeroMaps < 54, m + ": " + zeroMaps + " of 64 maps dropped at p = 0.5");
    }
  }

  @Test
  void evalAndPZeroAreTheIdentityAndPOneGivesZeros() {
    Tensor x = Tensor.randn(3, 4);
    Dropout d = new Dropout(0.9);
    d.eval();
    assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray());
    assertArrayEquals(x.toFloatArray(), new Dropout(0).forward(x).toFloatArray());
    assertArrayEquals(new float[12], new Dropout(1).forward(x).toFloatArray(), 0f, "p = 1: zeros (signed)");
    Dropout2d d2 = new Dropout2d(0.5);
    d2.eval();
    Tensor maps = Tensor.randn(2, 3, 4, 4);
    assertArrayEquals(maps.toFloatArray(), d2.forward(maps).toFloatArray());
  }

  @Test
  void masksAreReproducibleUnderManualSeed() {
    Tensor x = Tensor.randn(64);
    Generator.manualSeed(42);
    float[] a = new Dropout(0.5).forward(x).toFloatArray();
    Generator.manualSeed(42);
    float[] b = new Dropout(0.5).forward(x).toFloatArray();
    float[] c = new Dropout(0.5).forward(x).toFloatArray();
    assertArrayEquals(a, b, "same seed, same mask");
    assertFalse(Arrays.equals(a, c), "the next draw differs");
  }

  @Test
  void theGradientIsTheScaledMask() {
    Generator.manualSeed(3);
    Tensor x = Tensor.ones(6, 8).requiresGrad(true);
    Tensor y = new Dropout(0.25).forward(x);
    y.sum().backward();
    assertArrayEquals(y.toFloatArray(), x.grad().toFloatArray(), "with x = 1, y is the mask and so is dL/dx");
    Tensor z = Tensor.ones(2, 3, 2, 2).requiresGrad(true);
    new Dropout(1).forward(z).sum().backward();
    assertArrayEquals(new float[24], z.grad().toFloatArray(), 0f, "p = 1: no gradient gets through");
  }

  @Test
  void probabilityOutsideZeroOneNamesTheLayerAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    assertEquals("Dropout: dropout probability p must be in [0, 1]; received 1.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Dropout2d(-0.1));
    assertEquals("Dropout2d: dropout probability p must be in [0, 1]; received -0.1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Dropout3d(Double.NaN));
  }

  @Test
  void channelDropoutChecksTheRank() {
    ShapeException e = assertThrows(ShapeException.class, () -> new Dropout2d(0.5).forward(Tensor.zeros(2, 3, 4)));
    assertTrue(e.getMessage().contains("dropout2d: input must have shape (N, C, H, W), rank 4; received shape "
        + "[2, 3, 4]") && e.getMessage().contains("Dropout2d"), e.getMessage());
  }

  @Test
  void printsAsPyTorch() {
    assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
    assertEquals("Dropout2d(p=0.2, inplace=False)", new Dropout2d(0.2).toString());
  }
}
