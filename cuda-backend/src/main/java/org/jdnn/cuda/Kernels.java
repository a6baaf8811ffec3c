package org.jdnn.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdnn.tensor.DType;

/**
 * The entry points of jdnn's own kernels ({@code src/main/cuda/jdnn_kernels.cu}, shipped as the PTX
 * resource {@link #RESOURCE}) and the number of parameters each takes. The backend launches only
 * names from this table, and a unit test checks it against the PTX, so a kernel renamed or changed
 * in the .cu without regenerating the PTX fails on the CPU, not on the GPU.
 */
public final class Kernels {
  public static final String RESOURCE = "/org/jdnn/cuda/jdnn_kernels.ptx";

  /** Every entry point and its parameter count. */
  public static final Map<String, Integer> ENTRIES;

  static {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (DType s : DType.values()) for (DType d : DType.values()) m.put(convert(s, d), 3);
    m.put("fill_b8", 3);
    m.put("fill_b32", 3);
    m.put("fill_b64", 3);
    for (String b : new String[] {"b8", "b32", "b64"}) {
      m.put("permute_" + b, 4);
      m.put("window_" + b, 9);
      m.put("where_" + b, 7);
      m.put("pad_" + b, 6);
      m.put("unpool_scatter_" + b, 7);
      m.put("unpool_backward_" + b, 6);
    }
    m.put("unpool_winner", 5);
    for (String t : new String[] {"i32", "i64", "u8"}) m.put("scalar_" + t, 5);
    for (String t : new String[] {"f32", "f64"}) {
      m.put("rand_uniform_" + t, 5);
      m.put("rand_normal_" + t, 5);
      m.put("rand_bernoulli_" + t, 4);
      m.put("unary_" + t, 4);
      m.put("scalar_" + t, 5);
      m.put("binary_" + t, 6);
      m.put("reduce_" + t, 4);
      m.put("argmax_" + t, 5);
      m.put("pool_forward_" + t, 3);
      m.put("pool_backward_" + t, 4);
      m.put("act_forward_" + t, 6);
      m.put("act_backward_" + t, 8);
      m.put("pad_backward_" + t, 5);
      m.put("pool_indices_" + t, 4);
      m.put("adaptive_forward_" + t, 4);
      m.put("adaptive_argmax_" + t, 3);
      m.put("adaptive_backward_" + t, 5);
      m.put("upsample_forward_" + t, 5);
      m.put("upsample_backward_" + t, 5);
      m.put("bn_training_" + t, 10);
      m.put("bn_inference_" + t, 10);
      m.put("bn_backward_" + t, 11);
      m.put("lrn_forward_" + t, 9);
      m.put("lrn_backward_" + t, 11);
      for (String l : new String[] {"i32", "i64", "u8"}) m.put("one_hot_" + l + "_" + t, 4);
    }
    ENTRIES = java.util.Collections.unmodifiableMap(m);
  }

  private Kernels() {}

  /** The suffix of a dtype in kernel names: f32, f64, i32, i64, u8. */
  public static String suffix(DType t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  public static String convert(DType from, DType to) {
    return "convert_" + suffix(from) + "_" + suffix(to);
  }

  /**
   * The suffix of the copy kernels (which move bit patterns) for a dtype's element width: b8
   * (U8), b32 (F32, I32), b64 (F64, I64).
   */
  public static String width(DType t) {
    return "b" + 8 * t.bytes();
  }

  /** The F32/F64 variant of a floating-point kernel; other dtypes are not supported by it. */
  public static String floating(String base, DType t, String op) {
    if (t != DType.F32 && t != DType.F64) {
      throw new UnsupportedOperationException("cuda " + op + ": dtype " + t + " is not supported (F32 and F64 are)");
    }
    return base + "_" + suffix(t);
  }

  /** The PTX text of the kernels. */
  public static String ptx() {
    try (InputStream in = Kernels.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the kernel PTX " + RESOURCE + " is missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Entry names and parameter counts declared in PTX text ({@code .visible .entry name( .param ..., ... )}). */
  public static Map<String, Integer> parseEntries(String ptx) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)").matcher(ptx);
    while (m.find()) {
      String params = m.group(2);
      int count = 0;
      Matcher p = Pattern.compile("\\.param\\s").matcher(params);
      while (p.find()) count++;
      out.put(m.group(1), count);
    }
    return out;
  }

  /** The {@code .version} the PTX declares, e.g. "8.0". */
  public static String isaVersion(String ptx) {
    Matcher m = Pattern.compile("(?m)^\\.version\\s+(\\S+)").matcher(ptx);
    return m.find() ? m.group(1) : null;
  }

  /** Thread blocks for a grid-stride loop over {@code n} elements with {@code threads} per block. */
  public static int blocks(long n, int threads) {
    long b = (n + threads - 1) / threads;
    return (int) Math.max(1, Math.min(b, 1L << 20));
  }
}
