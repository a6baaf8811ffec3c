package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped PTX: present, loadable by CUDA 12 drivers, current with its source, and what the backend launches. */
class KernelsTest {
  static final Path SOURCE = Path.of("src/main/cuda/jdnn_kernels.cu");

  @Test
  void ptxDeclaresAnIsaEveryCuda12DriverLoads() {
    String ptx = Kernels.ptx();
    assertEquals("8.0", Kernels.isaVersion(ptx), "CUDA 12.0 drivers JIT PTX up to ISA 8.0 (scripts/cuda/build-ptx.sh)");
    assertTrue(ptx.contains(".target sm_75"), "the oldest target nvcc 13 builds for, JIT-compiled on newer GPUs");
    assertTrue(ptx.contains(".address_size 64"));
  }

  @Test
  void ptxEntriesAreExactlyTheKernelTable() {
    Map<String, Integer> inPtx = new TreeMap<>(Kernels.parseEntries(Kernels.ptx()));
    assertEquals(new TreeMap<>(Kernels.ENTRIES), inPtx,
        "entry points and parameter counts of jdnn_kernels.ptx vs Kernels.ENTRIES");
  }

  @Test
  void ptxWasGeneratedFromTheCurrentSource() throws Exception {
    assertTrue(Files.isRegularFile(SOURCE), SOURCE.toAbsolutePath() + " (tests run from the module folder)");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(SOURCE)));
    Matcher m = Pattern.compile("// source sha256: (\\w+)").matcher(Kernels.ptx());
    assertTrue(m.find(), "the PTX header names its source's hash");
    assertEquals(sha, m.group(1), "jdnn_kernels.cu changed since the PTX was built: run scripts/cuda/build-ptx.sh");
  }

  @Test
  void everyExternCKernelOfTheSourceIsInTheTable() throws IOException {
    String src = Files.readString(SOURCE);
    // Names built by the macros: count the macro uses instead of parsing templates.
    int converts = count(src, "(?m)^CONVERT_FROM\\(") * 5;
    assertEquals(25, converts, "CONVERT_FROM for each of the 5 dtypes");
    long inTable = Kernels.ENTRIES.keySet().stream().filter(k -> k.startsWith("convert_")).count();
    assertEquals(converts, inTable);
    assertEquals(6, count(src, "(?m)^ONE_HOT\\("));
    for (String macro : new String[] {"RANDOM", "ELEMENTWISE", "REDUCTIONS", "POOLING", "ACTIVATIONS", "PADDING",
        "UNPOOL_INDICES", "SPATIAL", "NORMALIZATION"}) {
      assertEquals(2, count(src, "(?m)^" + macro + "\\("), macro + " for f32 and f64");
    }
    for (String macro : new String[] {"MOVEMENT", "PADDING_COPY", "UNPOOL"}) {
      assertEquals(3, count(src, "(?m)^" + macro + "\\("), macro + " for b8, b32 and b64");
    }
    assertEquals(3, count(src, "(?m)^SCALAR_INTEGER\\("), "scalar ops on i32, i64 and u8");
  }

  @Test
  void parseEntriesReadsNamesAndParameterCounts() {
    String ptx = ".visible .entry k_one(\n\t.param .u64 k_one_param_0,\n\t.param .align 8 .b8 k_one_param_1[200]\n)\n"
        + ".visible .entry k_two(\n)\n";
    assertEquals(Map.of("k_one", 2, "k_two", 0), Kernels.parseEntries(ptx));
  }

  @Test
  void gridSizesCoverEveryElementAndStayBounded() {
    assertEquals(1, Kernels.blocks(0, 256));
    assertEquals(1, Kernels.blocks(256, 256));
    assertEquals(2, Kernels.blocks(257, 256));
    assertEquals(1 << 20, Kernels.blocks(1L << 40, 256), "grid-stride loops cover the rest");
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) n++;
    return n;
  }
}
