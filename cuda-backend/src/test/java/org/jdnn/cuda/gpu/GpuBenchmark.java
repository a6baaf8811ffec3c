package org.jdnn.cuda.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdnn.autograd.NoGrad;
import org.jdnn.cuda.CudaBackend;
import org.jdnn.cuda.CudaBackendProvider;
import org.jdnn.models.LeNet;
import org.jdnn.nn.CrossEntropyLoss;
import org.jdnn.nn.Module;
import org.jdnn.optim.SGD;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * LeNet-5 training-step and inference throughput on the GPU, next to PyTorch on the same GPU in
 * the same invocation ({@code scripts/gpu/lenet5_torch_cuda.py}): the same model, SGD step,
 * batch and F32 with the same TF32 setting. A stub until the larger models exist: LeNet-5 is far
 * too small to load an H100, so the figure measures per-op overhead more than the GPU.
 *
 * <p>{@code java -cp 'LIB/*' org.jdnn.cuda.gpu.GpuBenchmark OUT_DIR [--python python3] [--tf32 on|off]
 * [--batch-size 64] [--steps 200]}; writes {@code OUT_DIR/gpu-benchmark-lenet5.json}.
 */
public final class GpuBenchmark {
  private GpuBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : ".");
    String python = "python3";
    boolean tf32 = true;
    int batch = 64;
    int inferBatch = 256;
    int steps = 200;
    int warmup = 50;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--python": python = args[i + 1]; break;
        case "--tf32": tf32 = args[i + 1].equals("on"); break;
        case "--batch-size": batch = Integer.parseInt(args[i + 1]); break;
        case "--steps": steps = Integer.parseInt(args[i + 1]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    CudaBackend be = CudaBackendProvider.open(0, tf32);
    System.out.println("jdnn GPU benchmark, LeNet-5: " + be.description());
    double train = train(be, batch, steps, warmup);
    double infer = infer(be, inferBatch, Math.max(1, steps / 4), Math.max(1, warmup / 4));
    String torch = torch(python, batch, inferBatch, steps, warmup, tf32);
    System.out.printf(Locale.ROOT, "%-28s %14s%n", "LeNet-5 (images/s)", "jdnn");
    System.out.printf(Locale.ROOT, "%-28s %14.0f%n", "train step, batch " + batch, train);
    System.out.printf(Locale.ROOT, "%-28s %14.0f%n", "inference, batch " + inferBatch, infer);
    System.out.println("PyTorch on the same GPU: " + torch);
    System.out.println("memory: " + be.memoryStats());
    System.out.println("convolution algorithms: " + be.convolutionAlgorithms());
    String json = String.format(Locale.ROOT, "{\"benchmark\": \"lenet5-gpu\", \"date\": \"%s\", \"device\": \"%s\", "
        + "\"tf32\": %s, \"batch_size\": %d, \"infer_batch_size\": %d, \"steps\": %d, "
        + "\"jdnn_train_images_per_sec\": %.1f, \"jdnn_infer_images_per_sec\": %.1f, \"pytorch\": %s}%n",
        LocalDate.now(), be.description().replace("\"", "'"), tf32, batch, inferBatch, steps, train, infer,
        torch.startsWith("{") ? torch : "\"" + torch.replace("\"", "'") + "\"");
    Files.createDirectories(out);
    Files.writeString(out.resolve("gpu-benchmark-lenet5.json"), json);
    System.out.print(json);
  }

  static double train(CudaBackend be, int batch, int steps, int warmup) {
    Generator.manualSeed(0);
    Module net = new LeNet(28, 10).to(be);
    SGD opt = SGD.withMomentum(net.parameters(), 0.05, 0.9, false, 0);
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Tensor x = Tensor.randn(Shape.of(batch, 1, 28, 28), 0, 1, 1, DType.F32, be);
    long[] labels = new long[batch];
    for (int i = 0; i < batch; i++) labels[i] = i % 10;
    Tensor y = Tensor.fromArray(labels, batch, DType.I64, new int[] {batch}, be);
    Runnable step = () -> {
      try (Scope s = Scope.open()) {
        Tensor l = loss.forward(net.forward(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        l.item(); // synchronises, as PyTorch's loss.item() does
      }
    };
    return (double) batch * steps / timed(step, warmup, steps);
  }

  static double infer(CudaBackend be, int batch, int steps, int warmup) {
    Generator.manualSeed(0);
    Module net = new LeNet(28, 10).to(be).eval();
    Tensor x = Tensor.randn(Shape.of(batch, 1, 28, 28), 0, 1, 2, DType.F32, be);
    Runnable step = () -> {
      try (Scope s = Scope.open(); NoGrad ng = NoGrad.enter()) {
        net.forward(x).argmax(1).toLongArray();
      }
    };
    return (double) batch * steps / timed(step, warmup, steps);
  }

  static double timed(Runnable step, int warmup, int steps) {
    for (int i = 0; i < warmup; i++) step.run();
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** PyTorch's figures as the script's JSON line, or why there are none. */
  static String torch(String python, int batch, int inferBatch, int steps, int warmup, boolean tf32) {
    Path script = Path.of("scripts/gpu/lenet5_torch_cuda.py");
    if (!Files.isRegularFile(script)) return "not run: " + script.toAbsolutePath() + " not found (run from the repository root)";
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--batch-size", "" + batch,
        "--infer-batch-size", "" + inferBatch, "--steps", "" + steps, "--warmup", "" + warmup, "--tf32",
        tf32 ? "on" : "off"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) return "not run: " + String.join(" ", cmd) + " failed: " + o;
      return o.substring(o.lastIndexOf('\n') + 1);
    } catch (IOException | InterruptedException e) {
      return "not run: " + e.getMessage();
    }
  }
}
