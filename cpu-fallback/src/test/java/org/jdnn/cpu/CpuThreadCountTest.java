package org.jdnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU backend at several thread counts. {@link CpuThreads} is configured once per process
 * ({@code -Djdnn.cpu.threads}), so counts other than this JVM's run {@link ThreadCountProbe} in a
 * child JVM with the same class path (about a second each).
 */
class CpuThreadCountTest {

  @Test
  void agreesWithTheReferenceAndIsDeterministicAtThisProcessThreadCount() {
    List<String> failures = ThreadCountProbe.check();
    assertTrue(failures.isEmpty(), "at " + CpuThreads.get().threads() + " threads:\n" + String.join("\n", failures));
  }

  @ParameterizedTest(name = "jdnn.cpu.threads={0}")
  @ValueSource(ints = {1, 3})
  void agreesWithTheReferenceAndIsDeterministicAt(int threads) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "-Djdnn.cpu.threads=" + threads));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) { // the same GEMM kernel as here
      cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ThreadCountProbe.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes(); // the probe prints little: no risk of blocking
    boolean finished = p.waitFor(120, TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly();
    String text = new String(output, StandardCharsets.UTF_8);
    assertTrue(finished, "the probe at " + threads + " threads did not finish in 120 s:\n" + text);
    assertEquals(0, p.exitValue(), "the probe at " + threads + " threads failed:\n" + text);
    assertTrue(text.contains("threads=" + threads + " "), "the child JVM did not run with " + threads
        + " threads:\n" + text);
    String kernel = org.jdnn.cpu.gemm.GemmKernels.preferred().name();
    assertTrue(text.contains("gemm=" + kernel), "the child JVM did not run the GEMM kernel " + kernel + ":\n" + text);
  }
}
