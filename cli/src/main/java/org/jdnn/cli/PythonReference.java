package org.jdnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the benchmark's Python reference scripts (shipped in the jar under bench/) and reads its JSON line. */
final class PythonReference {
  private PythonReference() {}

  /**
   * Runs {@code python bench/<script> args...} with {@code env} added to the environment and
   * returns the JSON object on the last line of its output.
   *
   * @param hint what to install when it fails, for the message
   */
  static JsonNode run(String python, String script, List<String> args, Map<String, String> env, String hint)
      throws IOException {
    Path file = Files.createTempFile("jdnn-" + script.replace(".py", ""), ".py");
    try {
      try (InputStream in = PythonReference.class.getResourceAsStream("/bench/" + script)) {
        if (in == null) throw new IOException("the reference script is missing from the jar (bench/" + script + ")");
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> cmd = new ArrayList<>(List.of(python, file.toString()));
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      // The references run as their libraries configure themselves: an inherited
      // OPENBLAS_CORETYPE=Haswell (set on some of our machines) pins OpenBLAS to its AVX2 kernels
      // on an AVX-512 CPU and halves it, which would flatter jdnn. Thread counts are set below.
      pb.environment().keySet().removeIf(k -> k.startsWith("OPENBLAS_") || k.startsWith("GOTO") || k.startsWith("OMP_")
          || k.startsWith("MKL_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        throw new IOException(python + " " + script + " failed (" + hint + "): " + last);
      }
      return new ObjectMapper().readTree(output.substring(output.lastIndexOf('\n') + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + script, e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("error=2")) {
        throw new IOException(python + " not found (" + hint + ", or pass --python)");
      }
      throw e;
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
