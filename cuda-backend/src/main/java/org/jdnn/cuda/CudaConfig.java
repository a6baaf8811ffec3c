package org.jdnn.cuda;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of the CUDA backend, read once from system properties and the environment (a
 * property wins over its variable). Tests build one from explicit maps.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>property</th><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code jdnn.cuda.libraryPath}</td><td>{@code JDNN_CUDA_LIBRARY_PATH}</td>
 *       <td>directories searched first for libcudnn/libcublas, separated by {@code :}</td></tr>
 *   <tr><td>{@code jdnn.cuda.systemSearch}</td><td>{@code JDNN_CUDA_SYSTEM_SEARCH}</td>
 *       <td>{@code false} searches only the configured directories (default true)</td></tr>
 *   <tr><td>{@code jdnn.cuda.tf32}</td><td>{@code JDNN_CUDA_TF32}</td>
 *       <td>TF32 tensor-core math for F32 GEMM and convolution where the GPU has it (default true)</td></tr>
 *   <tr><td>{@code jdnn.cuda.deterministic}</td><td>{@code JDNN_CUDA_DETERMINISTIC}</td>
 *       <td>prefer deterministic cuDNN convolution algorithms (default true)</td></tr>
 *   <tr><td>{@code jdnn.cuda.activations}</td><td>{@code JDNN_CUDA_ACTIVATIONS}</td>
 *       <td>{@code cudnn} (default) or {@code jdnn}: who computes ReLU, sigmoid and tanh</td></tr>
 *   <tr><td>{@code jdnn.cuda.normalization}</td><td>{@code JDNN_CUDA_NORMALIZATION}</td>
 *       <td>{@code cudnn} (default) or {@code jdnn}: who computes batch norm and LRN (cuDNN only where
 *       its definition is the reference's; see BatchNormPlan and LrnPlan)</td></tr>
 *   <tr><td>{@code jdnn.cuda.cublasForwarder}</td><td>{@code JDNN_CUDA_CUBLAS_FORWARDER}</td>
 *       <td>a prebuilt forwarding {@code libcublas.so.12} to use instead of building one</td></tr>
 *   <tr><td>{@code jdnn.cuda.cacheDir}</td><td>{@code JDNN_CUDA_CACHE_DIR}</td>
 *       <td>where the forwarding library is built (default {@code ~/.cache/jdnn/cuda})</td></tr>
 *   <tr><td>{@code jdnn.cuda.cc}</td><td>{@code JDNN_CUDA_CC} or {@code CC}</td>
 *       <td>the C compiler that builds the forwarding library (default {@code cc})</td></tr>
 * </table>
 */
public final class CudaConfig {
  public final List<Path> libraryPath;
  public final boolean systemSearch;
  public final boolean tf32;
  /** Deterministic cuDNN convolution algorithms first (reproducible), or cuDNN's ranking as is. */
  public final boolean deterministic;
  /** ReLU, sigmoid and tanh by cuDNN (true) or by jdnn's kernels with the reference formulas. */
  public final boolean cudnnActivations;
  /** Batch norm and LRN by cuDNN where its definitions allow (true) or always by jdnn's kernels. */
  public final boolean cudnnNormalization;
  public final Path cublasForwarder;
  public final Path cacheDir;
  public final String cc;
  /** The process environment as seen by the search (CUDA_HOME, LD_LIBRARY_PATH, VIRTUAL_ENV, ...). */
  public final Map<String, String> env;
  public final Path home;

  CudaConfig(Properties props, Map<String, String> env) {
    this.env = env;
    this.home = Path.of(props.getProperty("user.home", "/"));
    this.libraryPath = paths(get(props, env, "jdnn.cuda.libraryPath", "JDNN_CUDA_LIBRARY_PATH", ""));
    this.systemSearch = bool(get(props, env, "jdnn.cuda.systemSearch", "JDNN_CUDA_SYSTEM_SEARCH", "true"),
        "jdnn.cuda.systemSearch");
    this.tf32 = bool(get(props, env, "jdnn.cuda.tf32", "JDNN_CUDA_TF32", "true"), "jdnn.cuda.tf32");
    this.deterministic = bool(get(props, env, "jdnn.cuda.deterministic", "JDNN_CUDA_DETERMINISTIC", "true"),
        "jdnn.cuda.deterministic");
    String act = get(props, env, "jdnn.cuda.activations", "JDNN_CUDA_ACTIVATIONS", "cudnn");
    if (!act.equals("cudnn") && !act.equals("jdnn")) {
      throw new IllegalArgumentException("jdnn.cuda.activations must be cudnn or jdnn; received '" + act + "'");
    }
    this.cudnnActivations = act.equals("cudnn");
    String norm = get(props, env, "jdnn.cuda.normalization", "JDNN_CUDA_NORMALIZATION", "cudnn");
    if (!norm.equals("cudnn") && !norm.equals("jdnn")) {
      throw new IllegalArgumentException("jdnn.cuda.normalization must be cudnn or jdnn; received '" + norm + "'");
    }
    this.cudnnNormalization = norm.equals("cudnn");
    String fwd = get(props, env, "jdnn.cuda.cublasForwarder", "JDNN_CUDA_CUBLAS_FORWARDER", "");
    this.cublasForwarder = fwd.isEmpty() ? null : Path.of(fwd);
    String cache = get(props, env, "jdnn.cuda.cacheDir", "JDNN_CUDA_CACHE_DIR", "");
    this.cacheDir = cache.isEmpty() ? home.resolve(".cache/jdnn/cuda") : Path.of(cache);
    String ccEnv = env.getOrDefault("CC", "cc");
    this.cc = get(props, env, "jdnn.cuda.cc", "JDNN_CUDA_CC", ccEnv.isBlank() ? "cc" : ccEnv);
  }

  /** The settings of this process. */
  public static CudaConfig fromSystem() {
    return new CudaConfig(System.getProperties(), System.getenv());
  }

  /** For tests: explicit properties and environment. */
  public static CudaConfig of(Map<String, String> properties, Map<String, String> env) {
    Properties p = new Properties();
    p.putAll(properties);
    return new CudaConfig(p, env);
  }

  private static String get(Properties props, Map<String, String> env, String prop, String var, String dflt) {
    String v = props.getProperty(prop);
    if (v == null) v = env.get(var);
    return v == null ? dflt : v.trim();
  }

  private static boolean bool(String v, String name) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": case "on": return true;
      case "false": case "0": case "no": case "off": return false;
      default:
        throw new IllegalArgumentException(name + " must be true or false; received '" + v + "'");
    }
  }

  static List<Path> paths(String list) {
    List<Path> out = new ArrayList<>();
    for (String s : list.split(File.pathSeparator)) if (!s.isBlank()) out.add(Path.of(s.trim()));
    return out;
  }
}
