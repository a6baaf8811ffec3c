package org.jdnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdnn.autograd.NoGrad;
import org.jdnn.autograd.OpObserver;
import org.jdnn.spi.Backend;
import org.jdnn.ops.ReceptiveField;
import org.jdnn.ops.TracedOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * A model's per-layer table, as the papers print it: for each layer in execution order the output
 * shape, parameters (trainable and frozen), multiply-accumulates, activation memory, and the
 * receptive field and jump (effective stride) of its outputs on the input image; and totals.
 *
 * <p>Built by running one forward pass of a single image in evaluation mode with observers on
 * modules and ops, so it follows the real computation: branches, residual additions and
 * concatenations (the receptive field of a sum or concatenation is the largest of its inputs').
 *
 * <p>Conventions: MACs count convolutions, transposed convolutions and linear layers, the
 * convention of torchvision's published operation counts (ResNet-50 4.09 G). Memory is the F32
 * output of each layer, per image. A receptive field of {@code all} means every input pixel (after
 * a flatten or a linear layer).
 *
 * <pre>{@code
 * System.out.println(Summary.of(LeNet.lenet5(), Shape.of(1, 28, 28)));
 * }</pre>
 */
public final class Summary {
  /**
   * One layer's line. {@code outputShape} is per image (no batch axis); {@code rf} and {@code jump}
   * hold one value per spatial axis, rf null for "all".
   */
  public record Row(String name, String type, int depth, Shape outputShape, long params, long frozenParams,
      long macs, long activationBytes, int[] rf, double[] jump) {}

  private final Shape inputShape;
  private final List<Row> rows;
  private final long totalParams;
  private final long trainableParams;

  private Summary(Shape inputShape, List<Row> rows, long totalParams, long trainableParams) {
    this.inputShape = inputShape;
    this.rows = Collections.unmodifiableList(rows);
    this.totalParams = totalParams;
    this.trainableParams = trainableParams;
  }

  /** Traces {@code model} on one input of shape {@code (C, H, W)} (or any per-sample shape). */
  public static Summary of(Module model, Shape inputShape) {
    int[] dims = new int[inputShape.rank() + 1];
    dims[0] = 1;
    System.arraycopy(inputShape.toArray(), 0, dims, 1, inputShape.rank());
    Backend be = model.parameters().isEmpty() ? org.jdnn.spi.Backends.cpu() : model.parameters().get(0).backend();
    Tracer tracer = new Tracer(model);
    boolean wasTraining = model.isTraining();
    model.eval();
    try (Scope scope = Scope.open(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.zeros(Shape.of(dims), DType.F32, be);
      tracer.annotate(x, ReceptiveField.input(inputShape.rank() - 1));
      try (AutoCloseable m = Module.ForwardObserver.install(tracer); AutoCloseable o = OpObserver.install(tracer)) {
        model.forward(x);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    } finally {
      if (wasTraining) model.train();
    }
    long total = 0;
    long trainable = 0;
    for (Tensor p : model.parameters()) {
      total += p.numel();
      if (p.requiresGrad()) trainable += p.numel();
    }
    return new Summary(inputShape, tracer.rows, total, trainable);
  }

  public List<Row> rows() {
    return rows;
  }

  /** The row of the layer with qualified name {@code name} (first call), or null. */
  public Row row(String name) {
    for (Row r : rows) if (r.name().equals(name)) return r;
    return null;
  }

  public long totalParams() {
    return totalParams;
  }

  public long trainableParams() {
    return trainableParams;
  }

  public long frozenParams() {
    return totalParams - trainableParams;
  }

  /** Multiply-accumulates of one forward pass of one image. */
  public long totalMacs() {
    return rows.stream().mapToLong(Row::macs).sum();
  }

  /** Bytes of all layer outputs of one image (F32). */
  public long activationBytes() {
    return rows.stream().mapToLong(Row::activationBytes).sum();
  }

  /** The table, one line per layer, then the totals. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-34s %-18s %13s %15s %11s %9s %7s%n";
    sb.append(String.format(Locale.ROOT, fmt, "Layer (type)", "Output shape", "Params", "MACs", "Memory", "RF", "Jump"));
    sb.append("-".repeat(113)).append('\n');
    for (Row r : rows) {
      String name = "  ".repeat(Math.max(0, r.depth() - 1)) + r.name() + " (" + r.type() + ")";
      String params = String.format(Locale.ROOT, "%,d", r.params()) + (r.frozenParams() > 0 ? "*" : "");
      sb.append(String.format(Locale.ROOT, fmt, clip(name, 34), "[-1, " + r.outputShape().toString().substring(1), params,
          String.format(Locale.ROOT, "%,d", r.macs()), bytes(r.activationBytes()), rf(r.rf()), jump(r.jump())));
    }
    sb.append("-".repeat(113)).append('\n');
    sb.append(String.format(Locale.ROOT, "Input %s; total params %,d (trainable %,d, frozen %,d%s)%n", inputShape,
        totalParams, trainableParams, frozenParams(), frozenParams() > 0 ? ", marked *" : ""));
    sb.append(String.format(Locale.ROOT, "MACs per image %,d (%.2f G); activations per image %s; parameters %s (F32)%n",
        totalMacs(), totalMacs() / 1e9, bytes(activationBytes()), bytes(totalParams * 4)));
    return sb.toString();
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }

  static String bytes(long b) {
    if (b >= 1L << 20) return String.format(Locale.ROOT, "%.2f MiB", b / 1048576.0);
    if (b >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    return b + " B";
  }

  private static String rf(int[] rf) {
    if (rf == null) return "all";
    boolean same = true;
    for (int v : rf) same &= v == rf[0];
    if (same) return Integer.toString(rf[0]);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rf.length; i++) sb.append(i == 0 ? "" : "x").append(rf[i]);
    return sb.toString();
  }

  private static String jump(double[] j) {
    if (j == null) return "-";
    String s = j[0] == Math.rint(j[0]) ? Long.toString((long) j[0]) : String.format(Locale.ROOT, "%.2f", j[0]);
    for (double v : j) if (v != j[0]) return s + "...";
    return s;
  }

  /**
   * Follows receptive fields and multiply-accumulates through every op ({@link TracedOp}), and
   * makes a row of every leaf module (and every module with parameters of its own) as it returns:
   * the MACs of the ops since the previous row are the row's.
   */
  private static final class Tracer implements Module.ForwardObserver, OpObserver {
    private final Module root;
    private final Map<Tensor, ReceptiveField> fields = new IdentityHashMap<>();
    private final Set<Tensor> counted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Row> rows = new ArrayList<>();
    private long pendingMacs;

    Tracer(Module root) {
      this.root = root;
    }

    void annotate(Tensor t, ReceptiveField f) {
      fields.put(t, f);
    }

    @Override
    public void onOp(org.jdnn.autograd.Function fn, Tensor[] inputs, Tensor output) {
      ReceptiveField in = null;
      Tensor first = null;
      for (Tensor t : inputs) {
        ReceptiveField f = t == null ? null : fields.get(t);
        if (f == null) continue;
        if (first == null) first = t;
        in = ReceptiveField.widest(in, f); // a sum or concatenation sees what its widest input sees
      }
      if (fn instanceof TracedOp) {
        TracedOp op = (TracedOp) fn;
        pendingMacs += op.macs();
        if (in != null) in = op.receptiveField(in, first.shape(), output.shape());
      }
      if (in != null && !in.isAll() && in.rf().length != output.rank() - 2) in = ReceptiveField.ALL; // reshaped
      if (in != null) fields.put(output, in);
    }

    @Override
    public void onForward(Module m, Tensor x, Tensor y) {
      if (!m.children().isEmpty() && m.ownParameters().isEmpty()) return;
      long params = 0;
      long frozen = 0;
      for (Tensor p : m.ownParameters().values()) {
        if (!counted.add(p)) continue; // a shared layer's parameters count once
        params += p.numel();
        if (!p.requiresGrad()) frozen += p.numel();
      }
      String name = m == root ? "(root)" : m.path();
      int depth = m == root ? 0 : name.split("\\.").length;
      ReceptiveField f = fields.get(y);
      rows.add(new Row(name, m.getClass().getSimpleName(), depth, perImage(y.shape()), params, frozen, pendingMacs,
          y.numel() * 4, f == null ? null : f.rf(), f == null ? null : f.jump()));
      pendingMacs = 0;
    }

    private static Shape perImage(Shape s) {
      return s.rank() == 0 ? s : Shape.of(java.util.Arrays.copyOfRange(s.toArray(), 1, s.rank()));
    }
  }
}
