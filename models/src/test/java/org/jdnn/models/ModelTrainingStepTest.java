package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdnn.nn.Module;
import org.jdnn.ops.Losses;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.train.AuxiliaryHeads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model runs a training step on the CPU at a small input: forward in training mode, a
 * cross-entropy loss (with auxiliary heads where the model has them), backward, and a finite
 * gradient for every trainable parameter.
 */
class ModelTrainingStepTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("lenet5", Shape.of(2, 1, 28, 28), (Supplier<Module>) LeNet::lenet5),
        Arguments.of("lenet5-classic", Shape.of(2, 1, 32, 32), (Supplier<Module>) LeNet5Classic::new),
        Arguments.of("alexnet", Shape.of(2, 3, 64, 64), (Supplier<Module>) () -> AlexNet.alexnet(10)),
        Arguments.of("alexnet-original", Shape.of(2, 3, 227, 227), (Supplier<Module>) () -> AlexNet.alexnetOriginal(10)),
        Arguments.of("vgg11", Shape.of(2, 3, 32, 32), (Supplier<Module>) () -> VGG.vgg(11, false, 10)),
        Arguments.of("vgg16-bn", Shape.of(2, 3, 32, 32), (Supplier<Module>) () -> VGG.vgg(16, true, 10)),
        Arguments.of("googlenet with aux", Shape.of(2, 3, 64, 64), (Supplier<Module>) () -> GoogLeNet.torchvision(true, 10)),
        Arguments.of("googlenet-paper", Shape.of(2, 3, 64, 64), (Supplier<Module>) () -> GoogLeNet.paper(false, 10)),
        Arguments.of("resnet18", Shape.of(2, 3, 64, 64), (Supplier<Module>) () -> ResNet.resnet(18, 10)),
        Arguments.of("resnet50 v1", Shape.of(2, 3, 64, 64), (Supplier<Module>) () -> ResNet.resnet(50, 10, 3, true, false)),
        Arguments.of("resnet18-small", Shape.of(2, 1, 28, 28), (Supplier<Module>) () -> ResNet.resnet(18, 10, 1, false, true)),
        Arguments.of("unet-padded", Shape.of(2, 1, 32, 32), (Supplier<Module>) () -> UNet.padded(1, 3, true)),
        Arguments.of("unet", Shape.of(1, 1, 188, 188), (Supplier<Module>) () -> UNet.original(1, 2)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("models")
  void trainingStep(String name, Shape input, Supplier<Module> build) {
    Generator.manualSeed(11);
    Module net = build.get();
    net.train();
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.randn(input.toArray());
      Tensor loss;
      if (net instanceof UNet) { // per-pixel classes
        Tensor logits = net.forward(x);
        int n = (int) (logits.numel() / logits.dim(1));
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = i % logits.dim(1);
        int[] dims = {logits.dim(0), logits.dim(2), logits.dim(3)};
        loss = Losses.crossEntropy(logits, Tensor.of(labels, dims), null, -100, 0, org.jdnn.ops.Reduction.MEAN);
      } else {
        Tensor labels = Tensor.of(new long[] {1, 7}, 2);
        if (net instanceof AuxiliaryHeads) {
          AuxiliaryHeads.Heads heads = ((AuxiliaryHeads) net).forwardHeads(x);
          assertEquals(name.contains("aux") ? 2 : 0, heads.aux().size(), name + ": auxiliary heads in training mode");
          loss = Losses.crossEntropy(heads.main(), labels);
          for (Tensor aux : heads.aux()) loss = loss.add(Losses.crossEntropy(aux, labels).mul(0.3));
        } else {
          Tensor logits = net.forward(x);
          assertEquals(Shape.of(2, 10), logits.shape(), name);
          loss = Losses.crossEntropy(logits, labels);
        }
      }
      assertTrue(Double.isFinite(loss.item()), name + ": loss " + loss.item());
      loss.backward();
    }
    for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
      if (!p.getValue().requiresGrad()) continue;
      Tensor g = p.getValue().grad();
      assertNotNull(g, name + ": no gradient reached " + p.getKey());
      for (float v : g.toFloatArray()) assertTrue(Float.isFinite(v), name + ": non-finite gradient in " + p.getKey());
    }
  }
}
