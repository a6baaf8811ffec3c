package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdnn.autograd.NoGrad;
import org.jdnn.io.Safetensors;
import org.jdnn.nn.Module;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each family with torchvision's weights layout gives torchvision's output: the same formula
 * weights and input as scripts/models/torchvision_parity.py, the logits compared within 1e-4 of
 * their RMS (F32 in both; the deepest nets sum millions of products in another order).
 */
class ModelParityTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("alexnet", (Supplier<Module>) () -> AlexNet.alexnet(1000)),
        Arguments.of("vgg16", (Supplier<Module>) () -> VGG.vgg(16, false, 1000)),
        Arguments.of("vgg16_bn", (Supplier<Module>) () -> VGG.vgg(16, true, 1000)),
        Arguments.of("googlenet", (Supplier<Module>) () -> GoogLeNet.torchvision(false, 1000)),
        Arguments.of("resnet18", (Supplier<Module>) () -> ResNet.resnet(18, 1000)),
        Arguments.of("resnet34", (Supplier<Module>) () -> ResNet.resnet(34, 1000)),
        Arguments.of("resnet50", (Supplier<Module>) () -> ResNet.resnet(50, 1000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void matchesTorchvisionOutput(String name, Supplier<Module> build) throws IOException {
    Path file = tmp.resolve(name + ".parity.safetensors");
    try (InputStream in = ModelParityTest.class.getResourceAsStream("/torchvision/" + name + ".parity.safetensors")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    float[] expected = Safetensors.read(file).tensors.get("output").toFloatArray();
    Module net = build.get();
    FormulaWeights.fill(net);
    net.eval();
    float[] actual;
    try (Scope s = Scope.open(); NoGrad ng = NoGrad.enter()) {
      Tensor y = net.forward(FormulaWeights.input(Shape.of(2, 3, 224, 224)));
      assertEquals(Shape.of(2, 1000), y.shape());
      actual = y.toFloatArray();
    }
    double sq = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      sq += (double) expected[i] * expected[i];
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    double rms = Math.sqrt(sq / expected.length);
    System.out.printf("[parity] %s: largest difference %.3g = %.3g of the logits' RMS %.3g%n", name, worst, worst / rms, rms);
    // For the other direction: scripts/models/torchvision_parity.py --check-jdnn loads these in PyTorch.
    Path export = Path.of("target", "jdnn-export");
    Files.createDirectories(export);
    Safetensors.write(export.resolve(name + ".safetensors"), net.stateDict(), java.util.Map.of("format", "pt"));
    assertTrue(worst <= 1e-4 * rms, name + ": largest difference from torchvision " + worst + " exceeds 1e-4 of the logits' RMS "
        + rms);
  }
}
