package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jdnn.nn.Summary;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The layer tables reproduce the literature: AlexNet's conv1 (Krizhevsky et al. 2012), VGG-16's
 * per-layer memory and parameters (as in CS231n's well-known breakdown), and torchvision's
 * published multiply-accumulate counts (ResNet-50 4.09 G, ResNet-18 1.81 G, GoogLeNet 1.50 G,
 * AlexNet 0.71 G, VGG-16 15.47 G), and U-Net's 150.4 G at 572x572 (Ronneberger et al. 2015).
 */
class ModelSummaryTest {
  private static void assertGmacs(double expected, Summary s, String what) {
    assertEquals(expected, Math.round(s.totalMacs() / 1e7) / 100.0, 0.0, what + ": " + s.totalMacs() + " MACs");
  }

  @Test
  void alexNetOriginalConv1() {
    Summary s = Summary.of(AlexNet.alexnetOriginal(1000), Shape.of(3, 227, 227));
    Summary.Row conv1 = s.row("features.0");
    assertEquals(Shape.of(96, 55, 55), conv1.outputShape());
    assertEquals(34_944, conv1.params());
    assertArrayEquals(new int[] {11, 11}, conv1.rf());
    assertArrayEquals(new int[] {195, 195}, s.row("features.14").rf(), "pool5 sees 195 pixels, stride 32");
    assertArrayEquals(new double[] {32, 32}, s.row("features.14").jump());
    assertEquals(60_965_224, s.totalParams());
  }

  @Test
  void alexNetTorchvision() {
    assertGmacs(0.71, Summary.of(AlexNet.alexnet(1000), Shape.of(3, 224, 224)), "AlexNet");
  }

  @Test
  void vgg16LayerTable() {
    Summary s = Summary.of(VGG.vgg(16, false, 1000), Shape.of(3, 224, 224));
    // conv1_1: 224x224x64 = 3.2M activations, 3x3x3x64 weights + 64 biases
    assertEquals(Shape.of(64, 224, 224), s.row("features.0").outputShape());
    assertEquals(224L * 224 * 64 * 4, s.row("features.0").activationBytes());
    assertEquals(1_792, s.row("features.0").params());
    // conv5_3: 14x14x512, 3x3x512x512 + 512
    assertEquals(Shape.of(512, 14, 14), s.row("features.28").outputShape());
    assertEquals(2_359_808, s.row("features.28").params());
    // fc6 holds most of the parameters: 7x7x512x4096 + 4096
    assertEquals(102_764_544, s.row("classifier.0").params());
    assertEquals(138_357_544, s.totalParams());
    assertGmacs(15.47, s, "VGG-16");
  }

  @Test
  void resNetAndGoogLeNetOperationCounts() {
    assertGmacs(4.09, Summary.of(ResNet.resnet(50, 1000), Shape.of(3, 224, 224)), "ResNet-50");
    assertGmacs(1.81, Summary.of(ResNet.resnet(18, 1000), Shape.of(3, 224, 224)), "ResNet-18");
    assertGmacs(1.50, Summary.of(GoogLeNet.torchvision(false, 1000), Shape.of(3, 224, 224)), "GoogLeNet");
  }

  @Test
  void uNetOriginalAt572() {
    Summary s = Summary.of(UNet.original(1, 2), Shape.of(1, 572, 572));
    assertEquals(Shape.of(2, 388, 388), s.row("head").outputShape(), "572 in, 388 out");
    assertEquals(Shape.of(1024, 28, 28), s.row("bottleneck.2").outputShape());
    assertEquals(150.4, Math.round(s.totalMacs() / 1e8) / 10.0, 0.0, s.totalMacs() + " MACs");
    assertEquals(31_030_658, s.totalParams());
  }
}
