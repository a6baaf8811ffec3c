package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdnn.nn.Module;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameter counts against the published figures, and state-dict layouts against torchvision's. */
class ModelZooTest {
  static Stream<Arguments> parameterCounts() {
    return Stream.of(
        Arguments.of("LeNet-5 modern", 61_706L, (Supplier<Module>) LeNet::lenet5),
        Arguments.of("AlexNet torchvision", 61_100_840L, (Supplier<Module>) () -> AlexNet.alexnet(1000)),
        Arguments.of("AlexNet 2012 two-tower", 60_965_224L, (Supplier<Module>) () -> AlexNet.alexnetOriginal(1000)),
        Arguments.of("VGG-11", 132_863_336L, (Supplier<Module>) () -> VGG.vgg(11, false, 1000)),
        Arguments.of("VGG-11-BN", 132_868_840L, (Supplier<Module>) () -> VGG.vgg(11, true, 1000)),
        Arguments.of("VGG-13", 133_047_848L, (Supplier<Module>) () -> VGG.vgg(13, false, 1000)),
        Arguments.of("VGG-13-BN", 133_053_736L, (Supplier<Module>) () -> VGG.vgg(13, true, 1000)),
        Arguments.of("VGG-16", 138_357_544L, (Supplier<Module>) () -> VGG.vgg(16, false, 1000)),
        Arguments.of("VGG-16-BN", 138_365_992L, (Supplier<Module>) () -> VGG.vgg(16, true, 1000)),
        Arguments.of("VGG-19", 143_667_240L, (Supplier<Module>) () -> VGG.vgg(19, false, 1000)),
        Arguments.of("VGG-19-BN", 143_678_248L, (Supplier<Module>) () -> VGG.vgg(19, true, 1000)),
        Arguments.of("GoogLeNet torchvision", 6_624_904L, (Supplier<Module>) () -> GoogLeNet.torchvision(false, 1000)),
        Arguments.of("GoogLeNet torchvision + aux", 13_004_888L, (Supplier<Module>) () -> GoogLeNet.torchvision(true, 1000)),
        Arguments.of("GoogLeNet paper", 6_998_552L, (Supplier<Module>) () -> GoogLeNet.paper(false, 1000)),
        Arguments.of("GoogLeNet paper + aux", 13_378_280L, (Supplier<Module>) () -> GoogLeNet.paper(true, 1000)),
        Arguments.of("ResNet-18", 11_689_512L, (Supplier<Module>) () -> ResNet.resnet(18, 1000)),
        Arguments.of("ResNet-34", 21_797_672L, (Supplier<Module>) () -> ResNet.resnet(34, 1000)),
        Arguments.of("ResNet-50", 25_557_032L, (Supplier<Module>) () -> ResNet.resnet(50, 1000)),
        Arguments.of("ResNet-101", 44_549_160L, (Supplier<Module>) () -> ResNet.resnet(101, 1000)),
        Arguments.of("ResNet-152", 60_192_808L, (Supplier<Module>) () -> ResNet.resnet(152, 1000)),
        Arguments.of("U-Net 2015, 1 channel, 2 classes", 31_030_658L, (Supplier<Module>) () -> UNet.original(1, 2)));
  }

  @ParameterizedTest(name = "{0}: {1} parameters")
  @MethodSource("parameterCounts")
  void parameterCountIsThePublishedFigure(String name, long expected, Supplier<Module> build) {
    assertEquals(expected, build.get().parameterCount(), name);
  }

  @Test
  void lenet5ClassicHas60000TrainableParameters() {
    LeNet5Classic net = new LeNet5Classic();
    long trainable = net.parameters().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
    assertEquals(60_000, trainable, "C1 156 + S2 12 + C3 1,516 + S4 32 + C5 48,120 + F6 10,164");
    assertEquals(60_840, net.parameterCount(), "plus the 840 fixed RBF centres");
    assertEquals(1_516, net.stateDict().get("c3.weight").numel() + net.stateDict().get("c3.bias").numel());
    assertEquals(Shape.of(2, 10), net.forward(Tensor.zeros(2, 1, 32, 32)).shape());
  }

  static Stream<Arguments> torchvisionLayouts() {
    return Stream.of(
        Arguments.of("alexnet", (Supplier<Module>) () -> AlexNet.alexnet(1000)),
        Arguments.of("vgg16", (Supplier<Module>) () -> VGG.vgg(16, false, 1000)),
        Arguments.of("vgg16_bn", (Supplier<Module>) () -> VGG.vgg(16, true, 1000)),
        Arguments.of("googlenet", (Supplier<Module>) () -> GoogLeNet.torchvision(false, 1000)),
        Arguments.of("googlenet_aux", (Supplier<Module>) () -> GoogLeNet.torchvision(true, 1000)),
        Arguments.of("resnet18", (Supplier<Module>) () -> ResNet.resnet(18, 1000)),
        Arguments.of("resnet34", (Supplier<Module>) () -> ResNet.resnet(34, 1000)),
        Arguments.of("resnet50", (Supplier<Module>) () -> ResNet.resnet(50, 1000)));
  }

  /** Key for key and shape for shape, in order, as torchvision 0.14's state_dict(). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("torchvisionLayouts")
  void stateDictMatchesTorchvision(String name, Supplier<Module> build) throws IOException {
    List<String> expected = resourceLines("/torchvision/" + name + ".keys.txt");
    List<String> actual = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : build.get().stateDict().entrySet()) {
      int[] d = e.getValue().shape().toArray();
      StringBuilder sb = new StringBuilder(e.getKey()).append('\t');
      for (int i = 0; i < d.length; i++) sb.append(i == 0 ? "" : ",").append(d[i]);
      actual.add(sb.toString());
    }
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), name + ": entry " + i);
    }
    assertEquals(expected.size(), actual.size(), name + ": number of state-dict entries");
  }

  static List<String> resourceLines(String path) throws IOException {
    try (InputStream in = ModelZooTest.class.getResourceAsStream(path)) {
      assertNotNull(in, path + " is not on the class path");
      List<String> lines = new ArrayList<>();
      for (String l : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
        if (!l.startsWith("#") && !l.isBlank()) lines.add(l);
      }
      return lines;
    }
  }

  @Test
  void googLeNetAuxiliaryHeadsRunInTrainingOnly() {
    GoogLeNet net = GoogLeNet.torchvision(true, 10);
    Tensor x = Tensor.zeros(1, 3, 224, 224);
    net.train();
    GoogLeNet.Outputs train = net.forwardWithAux(x);
    assertEquals(Shape.of(1, 10), train.aux1().shape());
    assertEquals(Shape.of(1, 10), train.aux2().shape());
    net.eval();
    GoogLeNet.Outputs eval = net.forwardWithAux(x);
    assertNull(eval.aux1());
    assertEquals(Shape.of(1, 10), eval.logits().shape());
  }

  @Test
  void resNetSmallInputStemKeeps32PixelMaps() {
    ResNet net = ResNet.resnet(18, 10, 3, false, true);
    assertEquals(Shape.of(2, 10), net.forward(Tensor.zeros(2, 3, 32, 32)).shape());
    assertTrue(net.parameterCount() < 11_689_512, "3x3 stem and a 10-way head");
  }

  @Test
  void uNetShapes() {
    assertEquals(Shape.of(1, 3, 64, 48), UNet.padded(2, 3, true).forward(Tensor.zeros(1, 2, 64, 48)).shape());
  }
}
