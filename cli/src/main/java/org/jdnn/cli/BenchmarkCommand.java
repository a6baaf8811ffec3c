package org.jdnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jdnn.autograd.NoGrad;
import org.jdnn.cpu.CpuThreads;
import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.models.LeNet;
import org.jdnn.nn.CrossEntropyLoss;
import org.jdnn.nn.Module;
import org.jdnn.optim.SGD;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jdnn benchmark}: the CPU backend against references measured in the same invocation, on
 * the same machine and thread count, reported as ratios (absolute figures differ from machine to
 * machine; the ratio is the figure to quote).
 *
 * <ul>
 *   <li>{@code sgemm}: GFLOP/s of the GEMM on 1024^3, 4096x4096x512 and ResNet-18's convolution
 *       products, against the FMA peak of a probe and OpenBLAS through numpy;
 *   <li>{@code lenet5}: LeNet-5 training-step (batch 64) and inference (batch 256) images/s
 *       against the same model and step in PyTorch-CPU;
 *   <li>{@code all}: both.
 * </ul>
 * Each runs on one thread and on all threads (or only at {@code --threads}). The thread pool is
 * fixed per JVM, so LeNet-5 at a count other than this JVM's runs in a child JVM with the same
 * options. Results go to a table and to JSON under {@code docs/benchmarks/}.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measure the CPU backend against OpenBLAS and PyTorch-CPU in the same run (sgemm, lenet5, all).")
final class BenchmarkCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> BENCHMARKS = List.of("sgemm", "lenet5", "all");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WHAT", description = "Benchmark to run: sgemm, lenet5 or all.")
  String what;

  @Option(names = "--threads", description = "Run at this CPU thread count only (default: 1 and all cores).")
  Integer threads;

  @Option(names = "--batch-size", description = "LeNet-5 training batch (default: ${DEFAULT-VALUE}).")
  int batchSize = 64;

  @Option(names = "--infer-batch-size", description = "LeNet-5 inference batch (default: ${DEFAULT-VALUE}).")
  int inferBatchSize = 256;

  @Option(names = "--steps", description = "LeNet-5 training steps per timed window; the fastest of 5 windows counts (default: ${DEFAULT-VALUE}).")
  int steps = 200;

  @Option(names = "--warmup", description = "LeNet-5 untimed steps first, for the JIT (default: ${DEFAULT-VALUE}).")
  int warmup = 50;

  @Option(names = "--seconds", description = "SGEMM: length of one timed repetition; the best of 5 counts (default: ${DEFAULT-VALUE}).")
  double seconds = 0.3;

  @Option(names = "--python", description = "Python with PyTorch and numpy for the references (default: ${DEFAULT-VALUE}); 'none' to skip.")
  String python = "/usr/bin/python3";

  @Option(names = "--json", paramLabel = "FILE",
      description = "Write the results as JSON here (default: docs/benchmarks/WHAT-DATE-javaN.json when docs/benchmarks exists).")
  Path json;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (!BENCHMARKS.contains(what)) {
      throw new CommandLine.ParameterException(cl, "unknown benchmark '" + what + "'; available: " + String.join(", ", BENCHMARKS));
    }
    if (batchSize <= 0 || inferBatchSize <= 0 || steps <= 0 || warmup < 0 || !(seconds > 0)) {
      throw new CommandLine.ParameterException(cl,
          "--batch-size, --infer-batch-size, --steps and --seconds must be positive, --warmup >= 0");
    }
    if (threads != null) CpuThreads.configure(threads);
    int poolThreads = CpuThreads.get().threads();
    List<Integer> counts = threads != null || poolThreads == 1 ? List.of(poolThreads) : List.of(1, poolThreads);
    PrintWriter out = cl.getOut();
    Backend be = Backends.cpu();
    out.printf("jdnn benchmark %s: %s, Java %s (%s), %s%n", what, cpuModel(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), be.description());
    out.println("GEMM kernel: " + GemmKernels.describe());
    out.flush();

    ObjectNode r = JSON.createObjectNode();
    r.put("benchmark", what);
    r.put("date", LocalDate.now().toString());
    r.put("cpu", cpuModel());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("java", System.getProperty("java.version"));
    r.put("java_vm", System.getProperty("java.vm.name"));
    r.put("backend", be.description());
    r.put("gemm_kernel", GemmKernels.describe());
    r.put("loadavg_start", loadAverage());
    ArrayNode countsJson = r.putArray("thread_counts");
    counts.forEach(countsJson::add);
    if (what.equals("sgemm") || what.equals("all")) {
      r.set("sgemm", new SgemmBenchmark(seconds, 5).run(counts, python, out, JSON));
    }
    if (what.equals("lenet5") || what.equals("all")) {
      ArrayNode runs = r.putObject("lenet5").putArray("runs");
      for (int t : counts) runs.add(t == poolThreads ? lenet(be, t) : lenetInChildJvm(t));
      printLenet(out, runs);
    }

    // Other processes on the same cores skew both sides unevenly; the load shows whether they ran.
    r.put("loadavg_end", loadAverage());
    out.printf("load average (1 min) at start %s, at end %s%n", r.get("loadavg_start").asText(),
        r.get("loadavg_end").asText());
    Path file = json;
    if (file == null && Files.isDirectory(Path.of("docs", "benchmarks"))) {
      file = Path.of("docs", "benchmarks", String.format(Locale.ROOT, "%s-%s-java%d.json", what, LocalDate.now(),
          Runtime.version().feature()));
    }
    if (file != null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      JSON.writeValue(file.toFile(), r);
      out.println("wrote " + file);
    }
    out.flush();
    return 0;
  }

  /** LeNet-5 at this JVM's thread count, with the PyTorch reference at the same count. */
  private ObjectNode lenet(Backend be, int t) {
    resetPeakHeap();
    double jTrain = trainThroughput(be);
    double jInfer = inferThroughput(be);
    long peakHeap = peakHeapBytes();
    ObjectNode r = JSON.createObjectNode();
    r.put("threads", t);
    r.put("batch_size", batchSize);
    r.put("infer_batch_size", inferBatchSize);
    r.put("steps", steps);
    r.put("jdnn_train_images_per_sec", jTrain);
    r.put("jdnn_infer_images_per_sec", jInfer);
    r.put("jdnn_peak_heap_mib", peakHeap / 1048576.0);
    if (python.equals("none")) return r;
    try {
      // Torch threads its ops itself (OpenMP); OpenBLAS's own pthreads pool then competes with
      // it for the same cores (Debian's libopenblas0-pthread): 2-5x slower steps were measured
      // that way. OPENBLAS_NUM_THREADS=1 is PyTorch's fastest configuration here, so the
      // reference is the strongest one.
      JsonNode torch = PythonReference.run(python, "lenet5_torch.py", List.of("--threads", Integer.toString(t),
          "--batch-size", Integer.toString(batchSize), "--infer-batch-size", Integer.toString(inferBatchSize),
          "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup)),
          Map.of("OPENBLAS_NUM_THREADS", "1"), "is PyTorch installed? `sudo apt-get install python3-torch`");
      r.set("pytorch", torch);
      r.put("train_ratio", jTrain / torch.get("train_images_per_sec").asDouble());
      r.put("infer_ratio", jInfer / torch.get("infer_images_per_sec").asDouble());
    } catch (IOException e) {
      r.put("pytorch_error", e.getMessage());
    }
    return r;
  }

  /** LeNet-5 at another thread count: this command again in a child JVM with this JVM's options. */
  private JsonNode lenetInChildJvm(int t) throws IOException, InterruptedException {
    Path tmp = Files.createTempFile("jdnn-bench-lenet5-" + t, ".json");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        // not a second flight recording into the same file, nor the parent's thread count
        if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-Djdnn.cpu.threads")) cmd.add(a);
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "benchmark", "lenet5",
          "--threads", Integer.toString(t), "--batch-size", Integer.toString(batchSize), "--infer-batch-size",
          Integer.toString(inferBatchSize), "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup),
          "--python", python, "--json", tmp.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("the LeNet-5 benchmark at " + t + " threads (child JVM) failed:\n" + output.trim());
      }
      return JSON.readTree(tmp.toFile()).get("lenet5").get("runs").get(0);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void printLenet(PrintWriter out, ArrayNode runs) {
    out.println();
    out.printf("%-34s %12s %12s %8s%n", "LeNet-5 (images/s)", "jdnn", "PyTorch-CPU", "ratio");
    for (JsonNode r : runs) {
      int t = r.get("threads").asInt();
      JsonNode torch = r.get("pytorch");
      String th = t + (t == 1 ? " thread" : " threads");
      row(out, "train step, batch " + r.get("batch_size").asInt() + ", " + th, r.get("jdnn_train_images_per_sec").asDouble(),
          torch == null ? Double.NaN : torch.get("train_images_per_sec").asDouble());
      row(out, "inference, batch " + r.get("infer_batch_size").asInt() + ", " + th,
          r.get("jdnn_infer_images_per_sec").asDouble(),
          torch == null ? Double.NaN : torch.get("infer_images_per_sec").asDouble());
      out.printf("%-34s %8.0f MiB %12s%n", "peak heap / peak RSS, " + th, r.get("jdnn_peak_heap_mib").asDouble(),
          torch == null ? "-" : String.format(Locale.ROOT, "%.0f MiB", torch.get("peak_rss_mib").asDouble()));
      if (r.has("pytorch_error")) out.println("PyTorch reference not run: " + r.get("pytorch_error").asText());
    }
    JsonNode first = runs.get(0).get("pytorch");
    if (first != null) out.println("PyTorch " + first.get("torch_version").asText() + " (OPENBLAS_NUM_THREADS=1, torch.set_num_threads as above)");
    out.flush();
  }

  private static void row(PrintWriter out, String name, double jdnn, double torch) {
    out.printf("%-34s %12.0f %12s %8s%n", name, jdnn, Double.isNaN(torch) ? "-" : String.format(Locale.ROOT, "%.0f", torch),
        Double.isNaN(torch) ? "-" : String.format(Locale.ROOT, "%.2fx", jdnn / torch));
  }

  /** Images per second of the full SGD step (forward, loss, backward, update) on random data. */
  private double trainThroughput(Backend be) {
    Generator.manualSeed(0);
    Module net = new LeNet(28, 10).to(be);
    SGD opt = SGD.withMomentum(net.parameters(), 0.05, 0.9, false, 0);
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Tensor x = Tensor.randn(Shape.of(batchSize, 1, 28, 28), 0, 1, 1, DType.F32, be);
    long[] labels = new long[batchSize];
    for (int i = 0; i < batchSize; i++) labels[i] = i % 10;
    Tensor y = Tensor.fromArray(labels, batchSize, DType.I64, new int[] {batchSize}, be);
    Runnable step = () -> {
      try (Scope s = Scope.open()) {
        Tensor l = loss.forward(net.forward(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        l.item();
      }
    };
    return batchSize * steps / timed(step, warmup, steps);
  }

  private double inferThroughput(Backend be) {
    Generator.manualSeed(0);
    Module net = new LeNet(28, 10).to(be).eval();
    Tensor x = Tensor.randn(Shape.of(inferBatchSize, 1, 28, 28), 0, 1, 2, DType.F32, be);
    int n = Math.max(1, steps / 4);
    Runnable step = () -> {
      try (Scope s = Scope.open(); NoGrad ng = NoGrad.enter()) {
        net.forward(x).argmax(1).toLongArray();
      }
    };
    return (double) inferBatchSize * n / timed(step, Math.max(1, warmup / 4), n);
  }

  /** Windows timed per measurement; the fastest counts (as in the PyTorch script). */
  static final int REPEATS = 5;

  /**
   * Seconds for {@code steps} steps: the fastest of {@link #REPEATS} windows after the warm-up.
   * This machine is shared (a VM), and a neighbour's burst lands in one window rather than in all.
   */
  private static double timed(Runnable step, int warmup, int steps) {
    for (int i = 0; i < warmup; i++) step.run();
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < REPEATS; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) step.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  private static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean p : heapPools()) p.resetPeakUsage();
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : heapPools()) sum += p.getPeakUsage().getUsed();
    return sum;
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  /** The 1-minute load average from /proc/loadavg, or "unknown". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The CPU model from /proc/cpuinfo, or the architecture elsewhere. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
