package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cuBLAS forwarding library, built with the machine's C compiler (CI machines have gcc) and
 * checked with readelf: it defines every import of the real JCublas JNI libraries under the
 * version node they ask for, and a call from the real libJCublas2 goes through it to a stand-in
 * {@code libcublas.so.13}.
 */
class CublasForwarderTest {
  @TempDir
  Path dir;

  static String run(Path workDir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** Undefined symbols of {@code lib} imported with {@code @version}. */
  static Set<String> imports(Path lib, String version) throws Exception {
    Set<String> s = new TreeSet<>();
    for (String line : run(lib.getParent(), "readelf", "--dyn-syms", "-W", lib.toString()).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 8 && f[6].equals("UND") && f[7].endsWith("@" + version)) s.add(f[7].substring(0, f[7].indexOf('@')));
    }
    return s;
  }

  /** Defined symbols of {@code lib} with default version {@code version} ({@code name@@version}). */
  static Set<String> definitions(Path lib, String version) throws Exception {
    Set<String> s = new TreeSet<>();
    for (String line : run(lib.getParent(), "readelf", "--dyn-syms", "-W", lib.toString()).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 8 && !f[6].equals("UND") && f[7].endsWith("@@" + version)) s.add(f[7].substring(0, f[7].indexOf('@')));
    }
    return s;
  }

  /** The JNI library extracted from the jcublas-natives jar on the test class path. */
  private Path jniLibrary(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/lib/" + name)) {
      assertNotNull(in, name + " is not on the class path (jcublas-natives linux-x86_64)");
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }

  @Test
  void theSymbolListIsExactlyWhatTheJniLibrariesImport() throws Exception {
    Set<String> expected = new TreeSet<>();
    expected.addAll(imports(jniLibrary("libJCublas2-12.6.0-linux-x86_64.so"), "libcublas.so.12"));
    expected.addAll(imports(jniLibrary("libJCublas-12.6.0-linux-x86_64.so"), "libcublas.so.12"));
    assertEquals(649, expected.size(), "jcublas-natives 12.6.0 imports 649 distinct cuBLAS functions");
    assertEquals(expected, new TreeSet<>(CublasForwarder.jcublasImports()),
        "cublas12-imports.txt is stale: run scripts/cuda/cublas-imports.sh");
  }

  @Test
  void theGeneratedSourcesHaveOneTrampolinePerSymbol() {
    CublasForwarder f = new CublasForwarder(List.of("cublasA", "cublasGetStatusName", "cublasC"), "libx.so.1",
        "libx.so.2");
    String asm = f.assembly();
    assertTrue(asm.contains("cublasA:\n\tjmp *jdnn_fwd_table+0(%rip)"), asm);
    assertTrue(asm.contains("cublasC:\n\tjmp *jdnn_fwd_table+16(%rip)"), asm);
    assertTrue(asm.contains(".section .note.GNU-stack"), "no executable stack");
    String c = f.cSource();
    assertTrue(c.contains("dlopen(\"libx.so.2\""), c);
    assertTrue(c.contains("returns_string[N] = {0,1,0,}"), "the string-returning function gets the string stub");
    assertTrue(c.contains("return 15;"), "missing functions answer CUBLAS_STATUS_NOT_SUPPORTED");
    assertEquals("libx.so.1 {\n  global:\n    cublasA;\n    cublasGetStatusName;\n    cublasC;\n  local: *;\n};\n",
        f.versionScript());
    assertThrows(IllegalArgumentException.class, () -> new CublasForwarder(List.of("bad name"), "a", "b"));
  }

  @Test
  void theBuiltLibraryDefinesEveryImportUnderTheOldVersionNode() throws Exception {
    Path lib = CublasForwarder.forJCublas().build(dir.resolve("cache"), "cc");
    assertEquals("libcublas.so.12", lib.getFileName().toString());
    String dyn = run(dir, "readelf", "-d", lib.toString());
    assertTrue(dyn.contains("Library soname: [libcublas.so.12]"), dyn);
    assertEquals(new TreeSet<>(CublasForwarder.jcublasImports()), definitions(lib, "libcublas.so.12"));
    String needs = run(dir, "readelf", "-V", lib.toString());
    assertTrue(needs.contains("Name: GLIBC_2.2.5") && !needs.contains("GLIBC_2.34"),
        "dlopen/dlsym bound to their original versions, so it loads on glibc older than the builder's:\n" + needs);
    Path again = CublasForwarder.forJCublas().build(dir.resolve("cache"), "cc");
    assertEquals(lib, again, "built once per cache folder");
  }

  @Test
  void aCallFromTheRealJCublas2LibraryReachesTheNewerLibrary() throws Exception {
    Path libs = Files.createDirectories(dir.resolve("cuda13"));
    Path src = dir.resolve("standin.c");
    Files.writeString(src, "int cublasCreate_v2(void **h) { *h = (void *) 0x5151; return 0; }\n"
        + "int cublasGetVersion_v2(void *h, int *v) { *v = h == (void *) 0x5151 ? 130001 : -1; return 0; }\n");
    run(dir, "cc", "-shared", "-fPIC", "-o", libs.resolve("libcublas.so.13").toString(), src.toString(),
        "-Wl,-soname,libcublas.so.13");
    Path empty = Files.writeString(dir.resolve("empty.c"), "int jdnn_lt_standin;\n");
    run(dir, "cc", "-shared", "-fPIC", "-o", libs.resolve("libcublasLt.so.13").toString(), empty.toString(),
        "-Wl,-soname,libcublasLt.so.13");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), ForwarderChild.class.getName(),
        libs.toString(), dir.resolve("cache").toString()));
    String out = run(dir, cmd.toArray(String[]::new));
    assertTrue(out.contains("cublas=FORWARDED " + dir.resolve("cache")), out);
    assertTrue(out.contains("create=0"), "cublasCreate went through to the stand-in:\n" + out);
    assertTrue(out.contains("version=0,130001"), "cublasGetVersion answered by libcublas.so.13:\n" + out);
    assertTrue(out.contains("setMathMode=15"), "a function libcublas.so.13 lacks answers NOT_SUPPORTED:\n" + out);
  }
}
