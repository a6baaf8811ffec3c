package org.jdnn.cuda.slow;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdnn.cuda.EmulatedBackends;
import org.jdnn.cuda.gpu.ModelZooStepTest;
import org.jdnn.nn.Module;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU suite's model-zoo training step ({@link ModelZooStepTest}: all 13 models at the sizes of
 * the models module's own test) on the emulated GPU. It takes minutes, because the emulation
 * computes cuDNN's convolutions with the reference's direct loops, so it is not part of
 * {@code mvn verify}: {@code mvn -Pemulated-zoo -pl core,cpu-fallback,models,cuda-backend verify}.
 */
class EmulatedModelZooTest {
  static Stream<Arguments> models() {
    return ModelZooStepTest.models();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("models")
  void trainingStepMatchesTheCpu(String name, Shape input, Supplier<Module> build) {
    ModelZooStepTest.check(EmulatedBackends.cudnn(), name, input, build);
  }
}
