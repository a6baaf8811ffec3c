package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jdnn.cuda.gpu.GpuSuite;
import org.junit.jupiter.api.Test;

/** The GPU runner names its classes (no package scan there); none may be forgotten. */
class GpuSuiteListTest {
  @Test
  void theRunnerListsEveryTestClassOfTheGpuPackage() throws IOException {
    Path dir = Path.of("src/test/java/org/jdnn/cuda/gpu");
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.java"))
          .forEach(n -> onDisk.add(n.substring(0, n.length() - 5)));
    }
    Set<String> listed = new TreeSet<>();
    for (Class<?> c : GpuSuite.CLASSES) listed.add(c.getSimpleName());
    assertEquals(onDisk, listed, "GpuSuite.CLASSES vs the *Test classes in " + dir);
  }
}
