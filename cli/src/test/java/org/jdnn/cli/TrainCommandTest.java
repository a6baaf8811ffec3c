package org.jdnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdnn.io.Safetensors;
import org.jdnn.models.LeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: real Fashion-MNIST, real errors. */
class TrainCommandTest {
  @TempDir
  Path dir;

  /** Exit code, standard output and standard error of one invocation. */
  record Run(int code, String out, String err) {}

  static Run jdnn(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void trainsLeNet5OnRealFashionMnistWellAboveChance() throws IOException {
    Path out = dir.resolve("run");
    Run r = jdnn("train", "lenet5", "--epochs", "1", "--train-limit", "12000", "--test-limit", "2000",
        "--out", out.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("61,706 parameters"), r.out());
    JsonNode info = new ObjectMapper().readTree(out.resolve("lenet5.json").toFile());
    double accuracy = info.get("test_accuracy").asDouble();
    // chance is 10%; 12,000 images for one epoch reach about 78%
    assertTrue(accuracy > 0.70, "test accuracy " + accuracy + "\n" + r.out());
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    JsonNode epoch = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals("epoch", epoch.get("type").asText());
    assertEquals(accuracy, epoch.get("test_accuracy").asDouble(), 1e-12);
    // the checkpoint is a complete safetensors state dict that loads strictly into a new model
    LeNet fresh = LeNet.lenet5();
    fresh.loadStateDict(Safetensors.read(out.resolve("lenet5.safetensors")).tensors, true);
    try (var files = Files.list(out)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
  }

  @Test
  void badArgumentsAreOneLineErrorsWithExitCode2() {
    Run r = jdnn("train", "lenet5", "--batch-size", "-5");
    assertEquals(2, r.code());
    assertEquals("jdnn train: --batch-size must be a positive integer; received -5 (see jdnn train --help)",
        r.err().trim());
    r = jdnn("train", "resnet1000");
    assertEquals(2, r.code());
    assertTrue(r.err().trim().startsWith("jdnn train: unknown model 'resnet1000'; available: lenet5"), r.err());
    assertEquals(1, r.err().trim().lines().count());
    r = jdnn("train", "lenet5", "--epochs", "many");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'many' is not an int"), r.err());
  }

  @Test
  void missingOrCorruptDataAreOneLineErrorsWithExitCode1() throws IOException {
    Run r = jdnn("train", "lenet5", "--data", dir.resolve("nowhere").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().trim().lines().count(), r.err());
    assertTrue(r.err().contains("nowhere: data directory does not exist")
        && r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
    assertFalse(r.err().contains("Exception"), "no stack trace or class names: " + r.err());

    Files.write(dir.resolve("train-images-idx3-ubyte"), "not an idx file".getBytes());
    r = jdnn("train", "lenet5", "--data", dir.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("train-images-idx3-ubyte: not an IDX file"), r.err());
    assertEquals(1, r.err().trim().lines().count(), r.err());
  }

  @Test
  void versionAndDevices() {
    Run r = jdnn("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("jdnn "), r.out());
    r = jdnn("devices");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("cpu   available") && r.out().contains("auto  -> cpu"), r.out());
    // which GEMM kernel runs, and why: the Vector API one here, since the test runner adds the module
    assertTrue(r.out().contains("GEMM kernel: Vector API"), r.out());
  }

  /**
   * A CUDA device that cannot be used is a one-line error with the probe's reason, exit code 1:
   * on a machine without a driver (CI) any CUDA device; on a GPU machine one that does not exist.
   */
  @Test
  void unusableCudaDeviceFailsCleanly() {
    boolean driver = Files.exists(Path.of("/dev/nvidiactl"));
    Run r = jdnn("train", "lenet5", "--device", driver ? "cuda:99" : "cuda", "--epochs", "1");
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
    String expected = driver ? "jdnn train: error: device cuda:99 is not usable: device cuda:99 does not exist"
        : "jdnn train: error: device cuda:0 is not usable: cudaGetDeviceCount returned 35 (cudaErrorInsufficientDriver)";
    assertTrue(r.err().startsWith(expected), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void summaryPrintsTheLayerTable() {
    Run r = jdnn("summary", "lenet5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("features.3 (Conv2d)") && r.out().contains("total params 61,706")
        && r.out().contains("MACs per image 416,520"), r.out());
    r = jdnn("summary", "lenet5", "--input", "1x32x32");
    assertEquals(1, r.code(), "LeNet-5's classifier expects 16x5x5 features; 32x32 input without padding change gives 6x6");
    assertTrue(r.err().contains("in_features=400"), r.err());
    r = jdnn("summary", "lenet5", "--input", "1xtwox3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--input must look like 3x224x224"), r.err());
  }
}
