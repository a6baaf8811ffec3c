package org.jdnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jdnn.cpu.CpuThreads;
import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.cpu.gemm.PackedSgemm;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.tensor.Shape;

/**
 * {@code jdnn benchmark sgemm}: GFLOP/s of the CPU backend's GEMM on square, flat and
 * convolution-shaped products, each read against two references measured in the same run: the
 * machine's F32 FMA peak (a register-only probe) and OpenBLAS through numpy at the same thread count.
 */
final class SgemmBenchmark {
  /** One product C (m x n) = A (m x k) B (k x n), and where it comes from. */
  record Gemm(String name, int m, int n, int k) {
    String dims() {
      return m + "x" + n + "x" + k;
    }
  }

  /**
   * ResNet-18's convolutions at 224 x 224 with distinct shapes (He et al. 2016, table 1, with
   * torchvision's stride-2 1x1 downsampling): name, input channels, output channels, kernel,
   * stride, input size. Each is one im2col GEMM per image: M = C_out, N = H_out W_out,
   * K = C_in k^2.
   */
  private static final Object[][] RESNET18 = {
      {"conv1 7x7/2", 3, 64, 7, 2, 224},
      {"layer1 3x3", 64, 64, 3, 1, 56},
      {"layer2.0.conv1 3x3/2", 64, 128, 3, 2, 56},
      {"layer2.0.downsample 1x1/2", 64, 128, 1, 2, 56},
      {"layer2 3x3", 128, 128, 3, 1, 28},
      {"layer3.0.conv1 3x3/2", 128, 256, 3, 2, 28},
      {"layer3.0.downsample 1x1/2", 128, 256, 1, 2, 28},
      {"layer3 3x3", 256, 256, 3, 1, 14},
      {"layer4.0.conv1 3x3/2", 256, 512, 3, 2, 14},
      {"layer4.0.downsample 1x1/2", 256, 512, 1, 2, 14},
      {"layer4 3x3", 512, 512, 3, 1, 7},
  };

  static List<Gemm> shapes() {
    List<Gemm> list = new ArrayList<>();
    list.add(new Gemm("square", 1024, 1024, 1024));
    list.add(new Gemm("flat", 4096, 4096, 512));
    for (Object[] r : RESNET18) {
      int cin = (int) r[1];
      int cout = (int) r[2];
      int k = (int) r[3];
      int s = (int) r[4];
      int in = (int) r[5];
      ConvGeometry g = ConvGeometry.of(Shape.of(1, cin, in, in), Shape.of(cout, cin, k, k), new int[] {s, s},
          new int[] {k / 2, k / 2}, new int[] {1, 1}, 1);
      list.add(new Gemm("resnet18 " + r[0], g.outChannels, g.outVolume(), cin * g.kernelVolume()));
    }
    return list;
  }

  /** Rounds of measurement per thread count (see run). */
  private static final int ROUNDS = 2;

  private final double seconds;
  private final int reps;

  SgemmBenchmark(double seconds, int reps) {
    this.seconds = seconds;
    this.reps = reps;
  }

  /** Runs every shape at each thread count; prints a table per count; returns the JSON record. */
  ObjectNode run(List<Integer> threadCounts, String python, PrintWriter out, ObjectMapper json) {
    ObjectNode result = json.createObjectNode();
    result.put("gemm_kernel", GemmKernels.describe());
    ArrayNode runs = result.putArray("runs");
    List<Gemm> shapes = shapes();
    PackedSgemm gemm = new PackedSgemm(GemmKernels.preferred());
    double onePeak = Double.NaN; // the probe on one thread, to tell whether the cores were shared
    for (int t : threadCounts) {
      // Two rounds, each side measured in both, the best kept per product: this machine is
      // shared, and a neighbour's burst of a few seconds otherwise lands on one side only.
      double peak = 0;
      double[] oursAll = new double[shapes.size()];
      double[] theirsAll = new double[shapes.size()];
      java.util.Arrays.fill(theirsAll, Double.NaN);
      JsonNode blas = null;
      String blasError = null;
      for (int round = 0; round < ROUNDS; round++) {
        peak = Math.max(peak, GemmKernels.fmaPeak(t, 0.5));
        if (!python.equals("none") && blasError == null) {
          try {
            blas = numpy(python, t, shapes);
            for (int i = 0; i < shapes.size(); i++) {
              double v = blas.get("gflops").get(shapes.get(i).dims()).asDouble();
              theirsAll[i] = Double.isNaN(theirsAll[i]) ? v : Math.max(theirsAll[i], v);
            }
          } catch (IOException e) {
            blasError = e.getMessage();
          }
        }
        for (int i = 0; i < shapes.size(); i++) oursAll[i] = Math.max(oursAll[i], measure(gemm, shapes.get(i), t));
      }
      if (peak == 0) peak = Double.NaN;
      if (t == 1) onePeak = peak;
      // The probe scales linearly on idle cores; well below that, another process had some.
      boolean contended = t > 1 && peak < 0.8 * t * onePeak;
      ObjectNode r = runs.addObject();
      r.put("threads", t);
      r.put("fma_peak_gflops", peak);
      r.put("cores_contended", contended);
      if (blas != null) {
        r.put("reference", "numpy " + blas.get("numpy").asText() + " on " + blas.get("blas").asText());
      }
      ArrayNode rows = r.putArray("products");
      out.println();
      out.printf(Locale.ROOT, "SGEMM, %d thread%s: FMA peak %.0f GFLOP/s (probe); reference %s%n", t, t == 1 ? "" : "s",
          peak, blas != null ? "OpenBLAS via numpy (" + shortBlas(blas.get("blas").asText()) + ")" : "not run: " + blasError);
      if (contended) {
        out.printf(Locale.ROOT, "WARNING: the FMA probe on %d threads reached only %.1fx its 1-thread figure: other "
            + "processes were using the cores, so this table is unreliable (rerun on a quiet machine)%n", t, peak / onePeak);
      }
      out.printf(Locale.ROOT, "%-36s %-16s %9s %9s %9s %9s%n", "product", "MxNxK", "jdnn", "OpenBLAS", "vs BLAS",
          "of peak");
      for (int i = 0; i < shapes.size(); i++) {
        Gemm g = shapes.get(i);
        double ours = oursAll[i];
        double theirs = theirsAll[i];
        ObjectNode row = rows.addObject();
        row.put("name", g.name());
        row.put("m", g.m());
        row.put("n", g.n());
        row.put("k", g.k());
        row.put("jdnn_gflops", ours);
        if (!Double.isNaN(theirs)) {
          row.put("openblas_gflops", theirs);
          row.put("ratio_to_openblas", ours / theirs);
        }
        if (!Double.isNaN(peak)) row.put("fraction_of_peak", ours / peak);
        out.printf(Locale.ROOT, "%-36s %-16s %9.1f %9s %9s %9s%n", g.name(), g.dims(), ours,
            Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.1f", theirs),
            Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2fx", ours / theirs),
            Double.isNaN(peak) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * ours / peak));
      }
      out.flush();
    }
    return result;
  }

  private static String shortBlas(String libs) {
    for (String l : libs.split(", ")) if (l.contains("openblas") && l.contains("libopenblas")) return l.substring(l.lastIndexOf('/') + 1);
    return libs;
  }

  /** Best GFLOP/s over {@code reps} timed runs of about {@code seconds} each, after a warm-up. */
  private double measure(PackedSgemm gemm, Gemm g, int threads) {
    Random r = new Random(0);
    float[] a = new float[g.m() * g.k()];
    float[] b = new float[g.k() * g.n()];
    float[] c = new float[g.m() * g.n()];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    Runnable once = threads == 1
        ? () -> gemm.serial(false, false, g.m(), g.n(), g.k(), 1f, a, 0, g.k(), b, 0, g.n(), 0f, c, 0, g.n())
        : () -> gemm.gemm(false, false, g.m(), g.n(), g.k(), 1f, a, 0, g.k(), b, 0, g.n(), 0f, c, 0, g.n());
    if (threads != 1 && threads != CpuThreads.get().threads()) {
      throw new IllegalStateException("the pool runs " + CpuThreads.get().threads() + " threads, not " + threads);
    }
    double flops = 2.0 * g.m() * g.n() * g.k();
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < 1e9 * Math.max(0.2, seconds)) once.run(); // JIT and first touch
    double best = 0;
    for (int rep = 0; rep < reps; rep++) {
      long start = System.nanoTime();
      int it = 0;
      double elapsed;
      do {
        once.run();
        it++;
        elapsed = (System.nanoTime() - start) / 1e9;
      } while (elapsed < seconds);
      best = Math.max(best, flops * it / elapsed / 1e9);
    }
    return best;
  }

  private JsonNode numpy(String python, int threads, List<Gemm> shapes) throws IOException {
    List<String> args = new ArrayList<>(List.of("--seconds", Double.toString(seconds), "--reps", Integer.toString(reps)));
    for (Gemm g : shapes) args.add(g.dims());
    return PythonReference.run(python, "sgemm_numpy.py", args, java.util.Map.of(
        "OPENBLAS_NUM_THREADS", Integer.toString(threads), "OMP_NUM_THREADS", Integer.toString(threads)),
        "is numpy with OpenBLAS installed? `sudo apt-get install python3-numpy libopenblas0-pthread`");
  }
}
