package org.jdnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jdnn.autograd.NoGrad;
import org.jdnn.cpu.CpuThreads;
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
 * {@code jdnn benchmark lenet5}: LeNet-5 training-step and inference throughput, with the same
 * model, step and thread count run in PyTorch-CPU in the same invocation, reported as a ratio.
 * Absolute times differ from machine to machine; the ratio is the figure to quote.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measure training and inference throughput against PyTorch-CPU in the same run.")
final class BenchmarkCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WHAT", description = "Benchmark to run: lenet5.")
  String what;

  @Option(names = "--threads", description = "CPU threads for jdnn and PyTorch (default: all cores).")
  Integer threads;

  @Option(names = "--batch-size", description = "Training batch (default: ${DEFAULT-VALUE}).")
  int batchSize = 64;

  @Option(names = "--infer-batch-size", description = "Inference batch (default: ${DEFAULT-VALUE}).")
  int inferBatchSize = 256;

  @Option(names = "--steps", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
  int steps = 200;

  @Option(names = "--warmup", description = "Untimed steps first, for the JIT (default: ${DEFAULT-VALUE}).")
  int warmup = 50;

  @Option(names = "--python", description = "Python with PyTorch for the reference (default: ${DEFAULT-VALUE}); 'none' to skip.")
  String python = "/usr/bin/python3";

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (!what.equals("lenet5")) throw new CommandLine.ParameterException(cl, "unknown benchmark '" + what + "'; available: lenet5");
    if (batchSize <= 0 || inferBatchSize <= 0 || steps <= 0 || warmup < 0) {
      throw new CommandLine.ParameterException(cl, "--batch-size, --infer-batch-size and --steps must be positive, --warmup >= 0");
    }
    if (threads != null) CpuThreads.configure(threads);
    int t = CpuThreads.get().threads();
    PrintWriter out = cl.getOut();
    Backend be = Backends.cpu();
    out.printf("jdnn benchmark lenet5: %s, %s, Java %s, %d threads%n", cpuModel(), be.description(),
        System.getProperty("java.version"), t);

    resetPeakHeap();
    double jTrain = trainThroughput(be);
    double jInfer = inferThroughput(be);
    long peakHeap = peakHeapBytes();

    JsonNode torch = null;
    String torchError = null;
    if (!python.equals("none")) {
      try {
        torch = runTorch(t);
      } catch (IOException e) {
        torchError = e.getMessage();
      }
    }

    out.println();
    out.printf("%-28s %14s %14s %8s%n", "LeNet-5 (images/s)", "jdnn", "PyTorch-CPU", "ratio");
    row(out, "train step, batch " + batchSize, jTrain, torch == null ? Double.NaN : torch.get("train_images_per_sec").asDouble());
    row(out, "inference, batch " + inferBatchSize, jInfer, torch == null ? Double.NaN : torch.get("infer_images_per_sec").asDouble());
    out.printf("%-28s %11.0f MiB %10s%n", "peak heap / peak RSS", peakHeap / 1048576.0,
        torch == null ? "-" : String.format("%.0f MiB", torch.get("peak_rss_mib").asDouble()));
    if (torch != null) out.println("PyTorch " + torch.get("torch_version").asText() + ", " + torch.get("threads").asInt() + " threads");
    if (torchError != null) out.println("PyTorch reference not run: " + torchError);

    if (json != null) {
      ObjectNode r = JSON.createObjectNode();
      r.put("benchmark", "lenet5");
      r.put("date", LocalDate.now().toString());
      r.put("cpu", cpuModel());
      r.put("java", System.getProperty("java.version"));
      r.put("threads", t);
      r.put("backend", be.description());
      r.put("batch_size", batchSize);
      r.put("infer_batch_size", inferBatchSize);
      r.put("steps", steps);
      r.put("jdnn_train_images_per_sec", jTrain);
      r.put("jdnn_infer_images_per_sec", jInfer);
      r.put("jdnn_peak_heap_mib", peakHeap / 1048576.0);
      if (torch != null) {
        r.set("pytorch", torch);
        r.put("train_ratio", jTrain / torch.get("train_images_per_sec").asDouble());
        r.put("infer_ratio", jInfer / torch.get("infer_images_per_sec").asDouble());
      }
      Files.createDirectories(json.toAbsolutePath().getParent());
      JSON.writeValue(json.toFile(), r);
      out.println("wrote " + json);
    }
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, String name, double jdnn, double torch) {
    out.printf("%-28s %14.0f %14s %8s%n", name, jdnn, Double.isNaN(torch) ? "-" : String.format("%.0f", torch),
        Double.isNaN(torch) ? "-" : String.format("%.2fx", jdnn / torch));
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

  private static double timed(Runnable step, int warmup, int steps) {
    for (int i = 0; i < warmup; i++) step.run();
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private JsonNode runTorch(int threads) throws IOException, InterruptedException {
    Path script = Files.createTempFile("jdnn-lenet5-torch", ".py");
    try {
      try (InputStream in = BenchmarkCommand.class.getResourceAsStream("/bench/lenet5_torch.py")) {
        if (in == null) throw new IOException("the PyTorch script is missing from the jar (bench/lenet5_torch.py)");
        Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Process p = new ProcessBuilder(python, script.toString(), "--threads", Integer.toString(threads),
          "--batch-size", Integer.toString(batchSize), "--infer-batch-size", Integer.toString(inferBatchSize),
          "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        throw new IOException(python + " failed (is PyTorch installed? `sudo apt-get install python3-torch`): " + last);
      }
      return JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("error=2")) {
        throw new IOException(python + " not found; install python3-torch or pass --python");
      }
      throw e;
    } finally {
      Files.deleteIfExists(script);
    }
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
