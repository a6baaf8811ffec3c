package org.jdnn.cuda.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdnn.conformance.Tolerance;
import org.jdnn.cpu.CpuBackend;
import org.jdnn.models.AlexNet;
import org.jdnn.models.GoogLeNet;
import org.jdnn.models.LeNet;
import org.jdnn.models.LeNet5Classic;
import org.jdnn.models.ResNet;
import org.jdnn.models.UNet;
import org.jdnn.models.VGG;
import org.jdnn.nn.Module;
import org.jdnn.ops.Losses;
import org.jdnn.spi.Backend;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.train.AuxiliaryHeads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of the zoo takes a training step on the GPU (forward in training mode, dropout and
 * auxiliary heads included, cross-entropy, backward) from the same weights, batch and dropout
 * masks as on the CPU: the loss agrees, and every trainable parameter gets a finite gradient. The
 * models' own test (models' ModelTrainingStepTest) runs the
 * same list on the CPU; this shows that the GPU has every primitive each model needs (VGG-BN and
 * ResNet batch norm, U-Net narrow and concatenation, GoogLeNet concatenation and adaptive pooling,
 * the 2012 AlexNet LRN) and computes the same loss. Gradients are compared element by element only
 * for ResNet-18 ({@link ResNetParityTest}): at these small inputs batch norm normalises a handful of
 * values per channel, which makes gradient comparisons between two F32 implementations
 * ill-conditioned; here every trainable parameter must get a finite gradient, and the loss is
 * bounded by 1e-4 of itself plus 1e-4.
 */
public class ModelZooStepTest {
  static final Tolerance LOSS = Tolerance.of(1e-4, 1e-4, "a cross-entropy of F32 logits from two summation orders");

  /** The models and inputs of the models module's ModelTrainingStepTest. */
  public static Stream<Arguments> models() {
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
  void trainingStepMatchesTheCpu(String name, Shape input, Supplier<Module> build) {
    check(GpuBackends.cuda(), name, input, build);
  }

  /** One training step of {@code build()} on {@code gpu} and on the CPU; see the class comment. */
  public static void check(Backend gpu, String name, Shape input, Supplier<Module> build) {
    Backend cpu = new CpuBackend();
    Generator.manualSeed(11);
    Module onCpu = build.get();
    onCpu.to(cpu);
    Module onGpu = build.get();
    onGpu.loadStateDict(onCpu.stateDict(), true);
    onGpu.to(gpu);
    onCpu.train();
    onGpu.train();
    Tensor x = Tensor.randn(input, 0, 1, 12, DType.F32, cpu);
    try (Scope s = Scope.open()) {
      Generator.manualSeed(13); // the same dropout masks on both sides
      double lossCpu = step(onCpu, x, cpu);
      Generator.manualSeed(13);
      double lossGpu = step(onGpu, x.to(gpu), gpu);
      assertTrue(Double.isFinite(lossGpu), name + ": loss on the GPU " + lossGpu);
      LOSS.assertClose(name + ": loss, GPU vs CPU", Shape.scalar(), new double[] {lossCpu}, new double[] {lossGpu});
    }
    Map<String, Tensor> pc = onCpu.namedParameters();
    Map<String, Tensor> pg = onGpu.namedParameters();
    assertEquals(pc.keySet(), pg.keySet(), name);
    for (String k : pc.keySet()) {
      if (!pc.get(k).requiresGrad()) continue;
      Tensor gg = pg.get(k).grad();
      assertNotNull(gg, name + ": no gradient reached " + k + " on the GPU");
      for (float v : gg.toFloatArray()) assertTrue(Float.isFinite(v), name + ": non-finite gradient in " + k + " on the GPU");
    }
  }

  /** Forward (with auxiliary heads where the model has them), cross-entropy, backward; the loss. */
  private static double step(Module net, Tensor x, Backend be) {
    Tensor loss;
    if (net instanceof UNet) { // per-pixel classes
      Tensor logits = net.forward(x);
      int n = (int) (logits.numel() / logits.dim(1));
      long[] labels = new long[n];
      for (int i = 0; i < n; i++) labels[i] = i % logits.dim(1);
      int[] dims = {logits.dim(0), logits.dim(2), logits.dim(3)};
      Tensor target = Tensor.fromArray(labels, n, DType.I64, dims, be);
      loss = Losses.crossEntropy(logits, target, null, -100, 0, org.jdnn.ops.Reduction.MEAN);
    } else {
      long[] l = new long[x.dim(0)];
      for (int i = 0; i < l.length; i++) l[i] = (i * 7 + 1) % 10;
      Tensor labels = Tensor.fromArray(l, l.length, DType.I64, new int[] {l.length}, be);
      if (net instanceof AuxiliaryHeads) {
        AuxiliaryHeads.Heads heads = ((AuxiliaryHeads) net).forwardHeads(x);
        loss = Losses.crossEntropy(heads.main(), labels);
        for (Tensor aux : heads.aux()) loss = loss.add(Losses.crossEntropy(aux, labels).mul(0.3));
      } else {
        loss = Losses.crossEntropy(net.forward(x), labels);
      }
    }
    loss.backward();
    return loss.item();
  }
}
