package org.jdnn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdnn.conformance.Tolerance;
import org.jdnn.io.Safetensors;
import org.jdnn.nn.Functional;
import org.jdnn.nn.Conv1d;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Conv3d;
import org.jdnn.nn.ConvNd;
import org.jdnn.nn.Linear;
import org.jdnn.ops.Convolution;
import org.jdnn.ops.Movement;
import org.jdnn.ops.Pooling;
import org.jdnn.ops.Reductions;
import org.jdnn.ops.Upsampling;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Capability;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward results and gradients of jdnn's public API compared with values PyTorch computed
 * offline, for any backend. The files are safetensors under {@code golden/} on the class path
 * (from {@code core/src/test/resources}), written by {@code scripts/golden/make_golden.py}; each
 * holds one case's inputs, PyTorch's outputs, a random upstream gradient for non-scalar outputs,
 * PyTorch's gradients, and in its metadata the operation and its parameters, which this suite
 * reads rather than repeats.
 *
 * <p>Tensor names in a file: {@code input}, {@code weight}, {@code bias}, {@code target},
 * {@code output}, {@code grad_output} and {@code grad_input}, {@code grad_weight},
 * {@code grad_bias}.
 */
public abstract class GoldenSuite {
  /** The format the files declare; bumped by the script when their layout changes. */
  static final String FORMAT = "jdnn-golden";
  static final String VERSION = "1";

  /**
   * PyTorch and jdnn both compute in F32 but sum in different orders (PyTorch's CPU convolution
   * through oneDNN, jdnn through im2col and GEMM): 1e-5 of each element plus 1e-5 of the tensor's
   * RMS, as the conformance suite allows for F32 sums.
   */
  static final Tolerance TOLERANCE =
      Tolerance.scaled(1e-5, "F32 in PyTorch and in jdnn, different summation orders");

  /** The backend under test; called once per test. */
  protected abstract Backend backend();

  @TempDir
  Path tmp;

  private Backend be;
  private Scope scope;

  @BeforeEach
  void openScope() {
    be = backend();
    scope = Scope.open();
  }

  @AfterEach
  void closeScope() {
    scope.close();
  }

  /** The files listed in {@code golden/index.txt}. */
  static Stream<String> goldenFiles() {
    try (InputStream in = GoldenSuite.class.getResourceAsStream("/golden/index.txt")) {
      assertNotNull(in, "golden/index.txt is not on the class path (core's test resources)");
      List<String> names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
      return names.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyOperationHasGoldenFiles() throws IOException {
    Map<String, Integer> perOp = new LinkedHashMap<>();
    for (String f : goldenFiles().toList()) perOp.merge(read(f).metadata.get("op"), 1, Integer::sum);
    for (String op : List.of("conv2d", "max_pool2d", "avg_pool2d", "linear", "cross_entropy", "log_softmax",
        "softmax", "conv_module", "conv_transpose", "pool_nd", "max_unpool", "adaptive_pool", "interpolate", "pad",
        "amax", "var")) {
      assertTrue(perOp.getOrDefault(op, 0) > 0, "no golden file for " + op + "; found " + perOp);
    }
  }

  /**
   * One dynamic test per golden file whose operation the backend implements; the files of
   * capability groups it declares missing are listed by {@link #casesOfMissingCapabilities}.
   */
  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> matchesPyTorch() throws IOException {
    java.util.Set<Capability> has = be.capabilities();
    List<org.junit.jupiter.api.DynamicTest> tests = new java.util.ArrayList<>();
    for (String file : goldenFiles().toList()) {
      if (!has.containsAll(requirements(read(file).metadata))) continue;
      tests.add(org.junit.jupiter.api.DynamicTest.dynamicTest(file, () -> {
        try (Scope s = Scope.open()) {
          check(file);
        }
      }));
    }
    return tests.stream();
  }

  /** For each capability group the backend lacks: its golden files, printed, and the absence confirmed. */
  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> casesOfMissingCapabilities() throws IOException {
    java.util.Set<Capability> has = be.capabilities();
    Map<Capability, List<String>> missing = new java.util.TreeMap<>();
    for (String file : goldenFiles().toList()) {
      for (Capability g : requirements(read(file).metadata)) {
        if (!has.contains(g)) missing.computeIfAbsent(g, x -> new java.util.ArrayList<>()).add(file);
      }
    }
    return missing.entrySet().stream().map(e -> org.junit.jupiter.api.DynamicTest.dynamicTest(
        "backend " + be.description() + " lacks " + e.getKey() + ": " + e.getValue().size() + " golden cases not run",
        () -> {
          System.out.println("[golden] backend " + be.description() + " lacks " + e.getKey() + "; not run: "
              + e.getValue());
          assertTrue(!be.capabilities().contains(e.getKey()));
        }));
  }

  /** The capability groups a golden case needs beyond CORE, from its metadata. */
  static java.util.Set<Capability> requirements(Map<String, String> meta) {
    java.util.Set<Capability> need = java.util.EnumSet.of(Capability.CORE);
    String op = meta.get("op");
    switch (op) {
      case "pool_nd":
        if ("max".equals(meta.get("kind"))) need.add(Capability.UNPOOLING); // the indices are compared too
        break;
      case "max_unpool": need.add(Capability.UNPOOLING); break;
      case "adaptive_pool": need.add(Capability.ADAPTIVE_POOLING); break;
      case "interpolate": need.add(Capability.UPSAMPLING); break;
      case "pad": need.add(Capability.PADDING); break;
      case "batch_norm": need.add(Capability.BATCH_NORM); break;
      case "lrn": need.add(Capability.LRN); break;
      case "activation": {
        String kind = meta.get("kind");
        if (!List.of("relu", "sigmoid", "tanh").contains(kind)) need.add(Capability.EXTENDED_ACTIVATIONS);
        break;
      }
      case "conv_module": {
        boolean padded = !"zeros".equals(meta.get("padding_mode"));
        if ("same".equals(meta.get("padding"))) { // odd total padding puts the extra element after: a pad
          int[] k = ints(meta, "kernel_size");
          int[] d = ints(meta, "dilation");
          for (int i = 0; i < k.length; i++) padded |= d[i] * (k[i] - 1) % 2 != 0;
        }
        if (padded) need.add(Capability.PADDING);
        break;
      }
      default:
        break;
    }
    return need;
  }

  private void check(String file) throws IOException {
    Safetensors.Contents c = read(file);
    Map<String, String> meta = c.metadata;
    assertEquals(FORMAT, meta.get("format"), file + ": not a jdnn golden file");
    assertEquals(VERSION, meta.get("version"), file + ": golden format version (regenerate or update GoldenSuite)");
    String what = file + " (" + meta.get("op") + ", " + meta.get("description") + ", torch "
        + meta.get("torch_version") + ")";
    Case k = new Case(what, c.tensors);
    if (normLossOp(k, meta)) return; // normalisation, activations, losses, init: at the end of this class
    switch (meta.get("op")) {
      case "conv2d": conv2d(k, meta); break;
      case "max_pool2d": pool(k, meta, Mode.MAX); break;
      case "avg_pool2d":
        pool(k, meta, bool(meta, "count_include_pad") ? Mode.AVG_INCLUDE_PAD : Mode.AVG_EXCLUDE_PAD);
        break;
      case "linear": linear(k, meta); break;
      case "cross_entropy": crossEntropy(k, meta); break;
      case "log_softmax": softmax(k, meta, true); break;
      case "softmax": softmax(k, meta, false); break;
      case "conv_module": convModule(k, meta); break;
      case "conv_transpose": convTranspose(k, meta); break;
      case "pool_nd": poolNd(k, meta); break;
      case "max_unpool": maxUnpool(k, meta); break;
      case "adaptive_pool": adaptivePool(k, meta); break;
      case "interpolate": interpolate(k, meta); break;
      case "pad": pad(k, meta); break;
      case "amax": amax(k, meta); break;
      case "var": var(k, meta); break;
      default: throw new AssertionError(what + ": unknown op " + meta.get("op"));
    }
  }

  // ------------------------------------------------------------------------------------------

  private void conv2d(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    Tensor w = k.leaf("weight");
    Tensor b = bool(meta, "bias") ? k.leaf("bias") : null;
    Tensor y = Convolution.conv(x, w, b, ints(meta, "stride"), ints(meta, "padding"), ints(meta, "dilation"),
        Integer.parseInt(meta.get("groups")));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
    k.compare("grad_weight", w.grad());
    if (b != null) k.compare("grad_bias", b.grad());
  }

  private void pool(Case k, Map<String, String> meta, Mode mode) {
    Tensor x = k.leaf("input");
    int[] dilation = mode == Mode.MAX ? ints(meta, "dilation") : new int[] {1, 1};
    Tensor y = Pooling.pool(mode, x, ints(meta, "kernel_size"), ints(meta, "stride"), ints(meta, "padding"),
        dilation, bool(meta, "ceil_mode"));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  /** Through the {@link Linear} layer, its weights loaded as a PyTorch state dict would be. */
  private void linear(Case k, Map<String, String> meta) {
    Tensor w = k.get("weight");
    boolean hasBias = bool(meta, "bias");
    Linear layer = new Linear(w.dim(1), w.dim(0), hasBias);
    layer.to(be);
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("weight", w);
    if (hasBias) state.put("bias", k.get("bias"));
    layer.loadStateDict(state, true);
    Tensor x = k.leaf("input");
    Tensor y = layer.forward(x);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
    k.compare("grad_weight", layer.weight().grad());
    if (hasBias) k.compare("grad_bias", layer.bias().grad());
  }

  private void crossEntropy(Case k, Map<String, String> meta) {
    assertEquals("mean", meta.get("reduction"), k.what + ": jdnn's cross entropy is the mean");
    Tensor logits = k.leaf("input");
    Tensor loss = Functional.crossEntropy(logits, k.get("target"));
    k.compare("output", loss);
    loss.backward();
    k.compare("grad_input", logits.grad());
  }

  private void softmax(Case k, Map<String, String> meta, boolean log) {
    Tensor x = k.leaf("input");
    int dim = Integer.parseInt(meta.get("dim"));
    Tensor y = log ? x.logSoftmax(dim) : x.softmax(dim);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  // ---- the op set, part A ----

  /** Through the Conv1d/2d/3d layers with the file's weights: padding modes, 'same', 'valid'. */
  private void convModule(Case k, Map<String, String> meta) {
    Tensor w = k.get("weight");
    int rank = Integer.parseInt(meta.get("rank"));
    int in = w.dim(1) * Integer.parseInt(meta.get("groups"));
    ConvNd.Builder<?, ?> b = rank == 1 ? Conv1d.builder(in, w.dim(0), 1) : rank == 2 ? Conv2d.builder(in, w.dim(0), 1)
        : Conv3d.builder(in, w.dim(0), 1);
    b.kernel(ints(meta, "kernel_size")).stride(ints(meta, "stride")).dilation(ints(meta, "dilation"))
        .groups(Integer.parseInt(meta.get("groups"))).bias(bool(meta, "bias")).paddingMode(meta.get("padding_mode"));
    String padding = meta.get("padding");
    if (padding.equals("same") || padding.equals("valid")) b.padding(padding); else b.padding(ints(meta, "padding"));
    ConvNd layer = b.build();
    layer.to(be);
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("weight", w);
    if (bool(meta, "bias")) state.put("bias", k.get("bias"));
    layer.loadStateDict(state, true);
    Tensor x = k.leaf("input");
    Tensor y = layer.forward(x);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
    k.compare("grad_weight", layer.weight().grad());
    if (bool(meta, "bias")) k.compare("grad_bias", layer.bias().grad());
  }

  private void convTranspose(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    Tensor w = k.leaf("weight");
    Tensor b = bool(meta, "bias") ? k.leaf("bias") : null;
    Tensor y = Convolution.convTranspose(x, w, b, ints(meta, "stride"), ints(meta, "padding"),
        ints(meta, "output_padding"), ints(meta, "dilation"), Integer.parseInt(meta.get("groups")));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
    k.compare("grad_weight", w.grad());
    if (b != null) k.compare("grad_bias", b.grad());
  }

  private void poolNd(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    boolean max = meta.get("kind").equals("max");
    Mode mode = max ? Mode.MAX : bool(meta, "count_include_pad") ? Mode.AVG_INCLUDE_PAD : Mode.AVG_EXCLUDE_PAD;
    Tensor y;
    if (max) {
      Pooling.WithIndices p = Pooling.maxPoolWithIndices(x, ints(meta, "kernel_size"), ints(meta, "stride"),
          ints(meta, "padding"), ints(meta, "dilation"), bool(meta, "ceil_mode"));
      y = p.values();
      Tolerance.EXACT.assertClose(k.what + ": indices vs PyTorch", p.indices().shape(),
          k.get("indices").toDoubleArray(), p.indices().toDoubleArray());
    } else {
      y = Pooling.pool(mode, x, ints(meta, "kernel_size"), ints(meta, "stride"), ints(meta, "padding"),
          ints(meta, "dilation"), bool(meta, "ceil_mode"));
    }
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void maxUnpool(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    int[] kernel = ints(meta, "kernel_size");
    Pooling.WithIndices p = Pooling.maxPoolWithIndices(x, kernel, ints(meta, "stride"), ints(meta, "padding"),
        ones(kernel.length), false);
    Tolerance.EXACT.assertClose(k.what + ": indices vs PyTorch", p.indices().shape(), k.get("indices").toDoubleArray(),
        p.indices().toDoubleArray());
    Tensor y = Pooling.maxUnpool(p.values().mul(2.0), p.indices(), ints(meta, "output_size"));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void adaptivePool(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    Tensor y = Pooling.adaptivePool(meta.get("kind").equals("max"), x, ints(meta, "output_size"));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void interpolate(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    UpsampleMode mode = meta.get("mode").equals("nearest") ? UpsampleMode.NEAREST : UpsampleMode.LINEAR;
    Tensor y = Upsampling.interpolate(x, ints(meta, "size"), mode, bool(meta, "align_corners"));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void pad(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    PadMode mode = PadMode.valueOf(meta.get("mode").toUpperCase(java.util.Locale.ROOT));
    Tensor y = Movement.pad(x, ints(meta, "pads"), mode, Double.parseDouble(meta.get("value")));
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void amax(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    Tensor y = x.max(ints(meta, "dims"), false);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void var(Case k, Map<String, String> meta) {
    Tensor x = k.leaf("input");
    Tensor y = Reductions.var(x, ints(meta, "dims"), bool(meta, "unbiased"), false);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private static int[] ones(int n) {
    int[] a = new int[n];
    Arrays.fill(a, 1);
    return a;
  }

  // ------------------------------------------------------------------------------------------

  /** One file's tensors, on the backend under test. */
  private static final class Case {
    final String what;
    final Map<String, Tensor> tensors;

    Case(String what, Map<String, Tensor> tensors) {
      this.what = what;
      this.tensors = tensors;
    }

    Tensor get(String name) {
      Tensor t = tensors.get(name);
      assertNotNull(t, what + ": no tensor '" + name + "' in the file; it has " + tensors.keySet());
      return t;
    }

    /** A leaf that requires grad, holding the file's tensor. */
    Tensor leaf(String name) {
      return get(name).requiresGrad(true);
    }

    /** Compares jdnn's {@code actual} with PyTorch's tensor {@code name}. */
    void compare(String name, Tensor actual) {
      Tensor expected = get(name);
      assertNotNull(actual, what + ": jdnn computed no " + name);
      assertEquals(expected.shape(), actual.shape(), what + ": shape of " + name);
      TOLERANCE.assertClose(what + ": " + name + " vs PyTorch", expected.shape(), expected.toDoubleArray(),
          actual.toDoubleArray());
    }
  }

  /** Reads a golden file from the class path onto the backend under test. */
  private Safetensors.Contents read(String file) throws IOException {
    Path local = tmp.resolve(file);
    try (InputStream in = GoldenSuite.class.getResourceAsStream("/golden/" + file)) {
      assertNotNull(in, "golden/" + file + " is listed in index.txt but not on the class path");
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING); // it may sit inside a jar
    }
    return Safetensors.read(local, be);
  }

  private static boolean bool(Map<String, String> meta, String key) {
    String v = meta.get(key);
    assertTrue("true".equals(v) || "false".equals(v), "metadata " + key + " must be true or false; found " + v);
    return Boolean.parseBoolean(v);
  }

  /** {@code "2,1"} to {@code {2, 1}}. */
  private static int[] ints(Map<String, String> meta, String key) {
    String v = meta.get(key);
    assertNotNull(v, "metadata has no " + key + "; it has " + meta.keySet());
    return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  // ==========================================================================================
  // Normalisation, activations, losses and init (scripts/golden/norm_loss_cases.py): ops
  // batch_norm, lrn, activation, loss, orthogonal, each run through the public layer or loss class.

  /** Runs a case of these ops; false for any other op. */
  private boolean normLossOp(Case k, Map<String, String> meta) {
    switch (meta.get("op")) {
      case "batch_norm": batchNormLayer(k, meta); return true;
      case "lrn": lrnLayer(k, meta); return true;
      case "activation": activationLayer(k, meta); return true;
      case "loss": lossClass(k, meta); return true;
      case "orthogonal": orthogonal(k, meta); return true;
      default: return false;
    }
  }

  @Test
  void everyNormalisationActivationAndLossHasGoldenFiles() throws IOException {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String f : goldenFiles().toList()) {
      Map<String, String> meta = read(f).metadata;
      seen.add(meta.get("op"));
      if (meta.containsKey("kind")) seen.add("activation " + meta.get("kind"));
      if (meta.containsKey("loss")) seen.add("loss " + meta.get("loss"));
      if (meta.containsKey("dims")) seen.add("batch_norm " + meta.get("dims") + "d");
    }
    List<String> wanted = new java.util.ArrayList<>(List.of("batch_norm 1d", "batch_norm 2d", "batch_norm 3d", "lrn",
        "orthogonal", "loss cross_entropy", "loss nll_loss", "loss binary_cross_entropy",
        "loss binary_cross_entropy_with_logits", "loss mse_loss", "loss l1_loss", "loss smooth_l1_loss", "loss dice"));
    for (org.jdnn.spi.Activation.Kind kind : org.jdnn.spi.Activation.Kind.values()) {
      wanted.add("activation " + kind.name().toLowerCase(java.util.Locale.ROOT));
    }
    for (String w : wanted) assertTrue(seen.contains(w), "no golden file for " + w + "; found " + seen);
  }

  /** A BatchNorm{1,2,3}d loaded with PyTorch's state, one step (two for momentum None). */
  private void batchNormLayer(Case k, Map<String, String> meta) {
    boolean affine = bool(meta, "affine");
    boolean track = bool(meta, "track_running_stats");
    String momentum = meta.get("momentum");
    org.jdnn.nn.BatchNormNd.Options options = org.jdnn.nn.BatchNormNd.options()
        .eps(Double.parseDouble(meta.get("eps"))).momentum("none".equals(momentum) ? null : Double.valueOf(momentum))
        .affine(affine).trackRunningStats(track);
    int channels = k.get("input").dim(1);
    org.jdnn.nn.BatchNormNd layer;
    switch (meta.get("dims")) {
      case "1": layer = new org.jdnn.nn.BatchNorm1d(channels, options); break;
      case "2": layer = new org.jdnn.nn.BatchNorm2d(channels, options); break;
      default: layer = new org.jdnn.nn.BatchNorm3d(channels, options);
    }
    layer.to(be);
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (String key : List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked")) {
      if (k.tensors.containsKey(key)) state.put(key, k.get(key));
    }
    layer.loadStateDict(state, true);
    if (bool(meta, "training")) layer.train();
    else layer.eval();
    Tensor x = k.leaf("input");
    if ("2".equals(meta.get("steps"))) {
      try (org.jdnn.autograd.NoGrad ignored = org.jdnn.autograd.NoGrad.enter()) {
        layer.forward(x);
      }
      x = k.leaf("input_2");
    }
    Tensor y = layer.forward(x);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
    if (affine) {
      k.compare("grad_weight", layer.weight().grad());
      k.compare("grad_bias", layer.bias().grad());
    }
    if (track) {
      k.compare("running_mean_after", layer.runningMean());
      k.compare("running_var_after", layer.runningVar());
      k.compare("num_batches_tracked_after", layer.numBatchesTracked());
    }
  }

  private void lrnLayer(Case k, Map<String, String> meta) {
    org.jdnn.nn.LocalResponseNorm layer = new org.jdnn.nn.LocalResponseNorm(Integer.parseInt(meta.get("size")),
        Double.parseDouble(meta.get("alpha")), Double.parseDouble(meta.get("beta")), Double.parseDouble(meta.get("k")));
    Tensor x = k.leaf("input");
    Tensor y = layer.forward(x);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  private void activationLayer(Case k, Map<String, String> meta) {
    java.util.function.ToDoubleFunction<String> p = key -> Double.parseDouble(meta.get(key));
    org.jdnn.nn.Module layer;
    switch (meta.get("kind")) {
      case "relu": layer = new org.jdnn.nn.ReLU(); break;
      case "relu6": layer = new org.jdnn.nn.ReLU6(); break;
      case "leaky_relu": layer = new org.jdnn.nn.LeakyReLU(p.applyAsDouble("negative_slope")); break;
      case "elu": layer = new org.jdnn.nn.ELU(p.applyAsDouble("alpha")); break;
      case "selu": layer = new org.jdnn.nn.SELU(); break;
      case "sigmoid": layer = new org.jdnn.nn.Sigmoid(); break;
      case "tanh": layer = new org.jdnn.nn.Tanh(); break;
      case "softplus":
        layer = new org.jdnn.nn.Softplus(p.applyAsDouble("beta"), p.applyAsDouble("threshold"));
        break;
      case "softsign": layer = new org.jdnn.nn.Softsign(); break;
      case "hardtanh": layer = new org.jdnn.nn.Hardtanh(p.applyAsDouble("min_val"), p.applyAsDouble("max_val")); break;
      case "gelu": layer = new org.jdnn.nn.GELU(); break;
      default: throw new AssertionError(k.what + ": unknown activation " + meta.get("kind"));
    }
    Tensor x = k.leaf("input");
    Tensor y = layer.forward(x);
    k.compare("output", y);
    y.backward(k.get("grad_output"));
    k.compare("grad_input", x.grad());
  }

  /** Through the loss classes, built from the file's options. */
  private void lossClass(Case k, Map<String, String> meta) {
    org.jdnn.ops.Reduction reduction = org.jdnn.ops.Reduction.valueOf(meta.get("reduction").toUpperCase(
        java.util.Locale.ROOT));
    Tensor weight = k.tensors.get("weight");
    long ignoreIndex = Long.parseLong(meta.get("ignore_index"));
    org.jdnn.nn.Loss loss;
    switch (meta.get("loss")) {
      case "cross_entropy":
        loss = org.jdnn.nn.CrossEntropyLoss.builder().weight(weight).ignoreIndex(ignoreIndex)
            .labelSmoothing(Double.parseDouble(meta.get("label_smoothing"))).reduction(reduction).build();
        break;
      case "nll_loss": loss = new org.jdnn.nn.NLLLoss(weight, ignoreIndex, reduction); break;
      case "binary_cross_entropy": loss = new org.jdnn.nn.BCELoss(weight, reduction); break;
      case "binary_cross_entropy_with_logits":
        loss = new org.jdnn.nn.BCEWithLogitsLoss(weight, k.tensors.get("pos_weight"), reduction);
        break;
      case "mse_loss": loss = new org.jdnn.nn.MSELoss(reduction); break;
      case "l1_loss": loss = new org.jdnn.nn.L1Loss(reduction); break;
      case "smooth_l1_loss":
        loss = new org.jdnn.nn.SmoothL1Loss(Double.parseDouble(meta.get("beta")), reduction);
        break;
      case "dice":
        loss = org.jdnn.nn.DiceLoss.builder()
            .mode(org.jdnn.ops.Losses.DiceMode.valueOf(meta.get("dice_mode").toUpperCase(java.util.Locale.ROOT)))
            .fromLogits(bool(meta, "from_logits")).smooth(Double.parseDouble(meta.get("smooth"))).reduction(reduction)
            .build();
        break;
      default: throw new AssertionError(k.what + ": unknown loss " + meta.get("loss"));
    }
    Tensor x = k.leaf("input");
    boolean targetGrad = k.tensors.containsKey("grad_target");
    Tensor target = targetGrad ? k.leaf("target") : k.get("target");
    Tensor y = loss.forward(x, target);
    k.compare("output", y);
    if (k.tensors.containsKey("grad_output")) y.backward(k.get("grad_output"));
    else y.backward();
    k.compare("grad_input", x.grad());
    if (targetGrad) k.compare("grad_target", target.grad());
  }

  /**
   * Init.orthogonal's deterministic step on the normal matrix torch.nn.init.orthogonal_ drew. torch
   * computed its QR in F32 (LAPACK sgeqrf) and jdnn in double: agreement to 1e-5 relative shows the
   * same factor and the same sign rule.
   */
  private void orthogonal(Case k, Map<String, String> meta) {
    Tensor normal = k.get("input");
    double[] q = org.jdnn.nn.Init.orthogonalMatrix(normal.toDoubleArray(), normal.dim(0), normal.dim(1));
    double gain = Double.parseDouble(meta.get("gain"));
    for (int i = 0; i < q.length; i++) q[i] *= gain;
    Tensor expected = k.get("output");
    TOLERANCE.assertClose(k.what + ": orthogonal vs PyTorch", expected.shape(), expected.toDoubleArray(), q);
  }
}
