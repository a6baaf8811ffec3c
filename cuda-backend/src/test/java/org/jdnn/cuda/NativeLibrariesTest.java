package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.cuda.LoadReport.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the loader looks, what it loads in which order, and what it says when something is missing. */
class NativeLibrariesTest {
  @TempDir
  Path root;

  /** Records loads; fails those whose file name is in {@code failing} with a dlopen-like message. */
  static final class RecordingLinker implements NativeLibraries.Linker {
    final List<Path> loaded = new ArrayList<>();
    final Map<String, String> failing = new HashMap<>();

    @Override
    public void load(Path file) {
      String name = file.getFileName().toString();
      if (failing.containsKey(name)) throw new UnsatisfiedLinkError(file + ": " + failing.get(name));
      loaded.add(file);
    }

    List<String> names() {
      return loaded.stream().map(p -> p.getFileName().toString()).toList();
    }
  }

  private Path touch(String relative) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0x7f, 'E', 'L', 'F'});
    return p;
  }

  private CudaConfig config(Map<String, String> props, Map<String, String> env) {
    Map<String, String> p = new HashMap<>(props);
    p.putIfAbsent("user.home", root.resolve("home").toString());
    return CudaConfig.of(p, env);
  }

  private LibrarySearch search(CudaConfig c) {
    return LibrarySearch.of(c, root, List.of());
  }

  private void cudnnIn(String dir) throws IOException {
    touch(dir + "/libcudnn.so.9");
    for (String part : NativeLibraries.CUDNN_PARTS) touch(dir + "/" + part);
  }

  @Test
  void searchOrderIsConfiguredThenEnvironmentThenToolkitThenSystemThenPip() throws IOException {
    Path configured = Files.createDirectories(root.resolve("mine/lib"));
    Path ld = Files.createDirectories(root.resolve("ld"));
    Path cudaHome = Files.createDirectories(root.resolve("opt/cuda-home/lib64"));
    Files.createDirectories(root.resolve("usr/local/cuda/lib64"));
    Files.createDirectories(root.resolve("usr/local/cuda-12.6/lib64"));
    Files.createDirectories(root.resolve("usr/local/cuda-13.0/targets/x86_64-linux/lib"));
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    Files.createDirectories(root.resolve("opt/torch/.venv/lib/python3.12/site-packages/nvidia/cudnn/lib"));
    Files.createDirectories(root.resolve("opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib"));
    Files.createDirectories(root.resolve("home/.local/lib/python3.11/site-packages/nvidia/cublas/lib"));
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", configured + ":" + root.resolve("missing")),
        Map.of("LD_LIBRARY_PATH", ld.toString(), "CUDA_HOME", root.resolve("opt/cuda-home").toString()));
    List<String> got = search(c).dirs().stream().map(d -> root.relativize(d.path()) + " <- " + d.origin()).toList();
    assertEquals(List.of(
        "mine/lib <- jdnn.cuda.libraryPath",
        "ld <- LD_LIBRARY_PATH",
        "opt/cuda-home/lib64 <- CUDA_HOME",
        "usr/local/cuda/lib64 <- /usr/local/cuda",
        "usr/local/cuda-13.0/targets/x86_64-linux/lib <- CUDA toolkit cuda-13.0",
        "usr/local/cuda-12.6/lib64 <- CUDA toolkit cuda-12.6",
        "usr/lib/x86_64-linux-gnu <- system library folder",
        "usr/lib <- system library folder",
        "home/.local/lib/python3.11/site-packages/nvidia/cublas/lib <- pip package in "
            + root.resolve("home/.local/lib/python3.11/site-packages"),
        "opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib <- pip package in "
            + root.resolve("opt/torch/.venv/lib/python3.12/site-packages"),
        "opt/torch/.venv/lib/python3.12/site-packages/nvidia/cudnn/lib <- pip package in "
            + root.resolve("opt/torch/.venv/lib/python3.12/site-packages")), got,
        "folders that do not exist are left out; newest toolkit first");
  }

  @Test
  void systemSearchCanBeTurnedOff() throws IOException {
    Path configured = Files.createDirectories(root.resolve("mine"));
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", configured.toString(), "jdnn.cuda.systemSearch", "false"),
        Map.of());
    assertEquals(List.of(configured), search(c).dirs().stream().map(LibrarySearch.Dir::path).toList());
  }

  @Test
  void cuda12AndCudnn9AreLoadedByPathInDependencyOrder() throws IOException {
    touch("usr/local/cuda/lib64/libcublasLt.so.12");
    Path cublas = touch("usr/local/cuda/lib64/libcublas.so.12.6.4.1");
    Files.createSymbolicLink(root.resolve("usr/local/cuda/lib64/libcublas.so.12"), cublas.getFileName());
    cudnnIn("usr/lib/x86_64-linux-gnu");
    touch("usr/lib/x86_64-linux-gnu/libcuda.so.1");
    RecordingLinker linker = new RecordingLinker();
    LoadReport r = NativeLibraries.load(config(Map.of(), Map.of()), search(config(Map.of(), Map.of())), linker);
    assertTrue(r.ok(), r.describe());
    assertEquals(List.of("libcuda.so.1", "libcublasLt.so.12", "libcublas.so.12", "libcudnn_graph.so.9",
        "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9",
        "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libcudnn.so.9"), linker.names());
    assertEquals("12.6.4.1", r.entry("libcublas.so.12").version(), "the version behind the soname link");
    assertNull(r.entry("libcudnn.so.9").version(), "a plain file (pip wheel) has no version in its name");
    assertTrue(r.summary().startsWith("loaded libcuda.so.1, libcublasLt.so.12, libcublas.so.12 12.6.4.1"), r.summary());
    assertTrue(r.describe().contains("libcublas.so.12        loaded " + root.resolve("usr/local/cuda/lib64/libcublas.so.12")
        + " (version 12.6.4.1): from /usr/local/cuda"), r.describe());
  }

  @Test
  void nothingInstalledNamesEachLibraryAndWhatToInstall() {
    RecordingLinker linker = new RecordingLinker();
    LoadReport r = NativeLibraries.load(config(Map.of(), Map.of()), search(config(Map.of(), Map.of())), linker);
    assertFalse(r.ok());
    assertTrue(linker.loaded.isEmpty());
    assertEquals(Status.DEFERRED, r.entry("libcuda.so.1").status(), "the driver is left to the dynamic linker");
    LoadReport.Entry cublas = r.entry("libcublas.so.12");
    assertEquals(Status.NOT_FOUND, cublas.status());
    assertTrue(cublas.detail().contains("neither libcublas.so.12 nor libcublas.so.13"), cublas.detail());
    assertTrue(cublas.remedy().contains("nvidia-cublas-cu12") && cublas.remedy().contains("jdnn.cuda.libraryPath")
        && cublas.remedy().contains("org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist"), cublas.remedy());
    LoadReport.Entry cudnn = r.entry("libcudnn.so.9");
    assertEquals(Status.NOT_FOUND, cudnn.status());
    assertTrue(cudnn.remedy().contains("cuDNN 9"), cudnn.remedy());
    assertTrue(r.summary().startsWith("cuBLAS (libcublas.so.12) not found: neither"), r.summary());
    assertTrue(r.describe().contains("(none of the candidate folders exists)"), r.describe());
  }

  @Test
  void aLibraryThatFailsToLoadReportsTheLinkersMessage() throws IOException {
    touch("lib/libcublasLt.so.12");
    touch("lib/libcublas.so.12");
    cudnnIn("lib");
    RecordingLinker linker = new RecordingLinker();
    linker.failing.put("libcudnn_ops.so.9", "undefined symbol: cudnnGraphVersionCheck");
    linker.failing.put("libcudnn_adv.so.9", "libz.so.1: cannot open shared object file");
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", root.resolve("lib").toString()), Map.of());
    LoadReport r = NativeLibraries.load(c, search(c), linker);
    assertFalse(r.ok());
    LoadReport.Entry ops = r.entry("libcudnn_ops.so.9");
    assertEquals(Status.FAILED, ops.status());
    assertTrue(ops.detail().contains("found but did not load") && ops.detail().contains("undefined symbol"),
        ops.detail());
    assertTrue(r.summary().contains("libcudnn_ops.so.9") && r.summary().contains("undefined symbol"), r.summary());
    assertFalse(linker.names().contains("libcudnn.so.9"), "cuDNN itself is not loaded after a required part failed");
  }

  @Test
  void anOptionalCudnnPartMayBeMissing() throws IOException {
    touch("lib/libcublasLt.so.12");
    touch("lib/libcublas.so.12");
    cudnnIn("lib");
    Files.delete(root.resolve("lib/libcudnn_adv.so.9"));
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", root.resolve("lib").toString()), Map.of());
    LoadReport r = NativeLibraries.load(c, search(c), new RecordingLinker());
    assertTrue(r.ok(), r.describe());
    assertEquals(Status.ABSENT_OPTIONAL, r.entry("libcudnn_adv.so.9").status());
  }

  @Test
  void cublas12WithoutItsLtIsReported() throws IOException {
    touch("lib/libcublas.so.12");
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", root.resolve("lib").toString()), Map.of());
    LoadReport r = NativeLibraries.load(c, search(c), new RecordingLinker());
    LoadReport.Entry lt = r.entry("libcublasLt.so.12");
    assertEquals(Status.NOT_FOUND, lt.status());
    assertTrue(lt.detail().contains("libcublas.so.12 was found at " + root.resolve("lib/libcublas.so.12")), lt.detail());
  }

  @Test
  void cuda13OnlyLoadsTheNewLibraryThenTheForwarder() throws IOException {
    touch("venv/nvidia/cu13/lib/libcublasLt.so.13");
    touch("venv/nvidia/cu13/lib/libcublas.so.13");
    Path prebuilt = touch("prebuilt/libcublas.so.12");
    CudaConfig c = config(Map.of("jdnn.cuda.libraryPath", root.resolve("venv/nvidia/cu13/lib").toString(),
        "jdnn.cuda.cublasForwarder", prebuilt.toString()), Map.of());
    RecordingLinker linker = new RecordingLinker();
    LoadReport r = NativeLibraries.load(c, search(c), linker);
    assertEquals(List.of("libcublasLt.so.13", "libcublas.so.13", "libcublas.so.12"), linker.names());
    assertEquals(prebuilt, linker.loaded.get(2), "the forwarder comes last, on top of libcublas.so.13");
    LoadReport.Entry e = r.entry("libcublas.so.12");
    assertEquals(Status.FORWARDED, e.status());
    assertTrue(e.detail().contains("forwarding to " + root.resolve("venv/nvidia/cu13/lib/libcublas.so.13"))
        && e.detail().contains("prebuilt, from jdnn.cuda.cublasForwarder"), e.detail());
  }

  @Test
  void aMissingPrebuiltForwarderOrCompilerIsExplained() throws IOException {
    touch("lib/libcublas.so.13");
    CudaConfig missing = config(Map.of("jdnn.cuda.libraryPath", root.resolve("lib").toString(),
        "jdnn.cuda.cublasForwarder", root.resolve("nowhere.so").toString()), Map.of());
    LoadReport r = NativeLibraries.load(missing, search(missing), new RecordingLinker());
    LoadReport.Entry e = r.entry("libcublas.so.12");
    assertEquals(Status.FAILED, e.status());
    assertTrue(e.detail().contains("jdnn.cuda.cublasForwarder names " + root.resolve("nowhere.so")), e.detail());

    CudaConfig noCc = config(Map.of("jdnn.cuda.libraryPath", root.resolve("lib").toString(),
        "jdnn.cuda.cc", "/no/such/compiler", "jdnn.cuda.cacheDir", root.resolve("cache").toString()), Map.of());
    r = NativeLibraries.load(noCc, search(noCc), new RecordingLinker());
    e = r.entry("libcublas.so.12");
    assertEquals(Status.FAILED, e.status());
    assertTrue(e.detail().contains("cannot run the C compiler '/no/such/compiler'"), e.detail());
    assertTrue(e.remedy().startsWith("install gcc"), e.remedy());
  }

  @Test
  void badSettingsAreRejectedWithTheirName() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> config(Map.of("jdnn.cuda.tf32", "maybe"), Map.of()));
    assertEquals("jdnn.cuda.tf32 must be true or false; received 'maybe'", e.getMessage());
    assertFalse(config(Map.of(), Map.of("JDNN_CUDA_TF32", "0")).tf32, "the variable works too");
    assertFalse(config(Map.of("jdnn.cuda.tf32", "false"), Map.of("JDNN_CUDA_TF32", "1")).tf32, "the property wins");
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> config(Map.of("jdnn.cuda.normalization", "miopen"), Map.of()));
    assertEquals("jdnn.cuda.normalization must be cudnn or jdnn; received 'miopen'", e.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(config(Map.of(), Map.of()).cudnnNormalization, "cuDNN by default");
    assertFalse(config(Map.of(), Map.of("JDNN_CUDA_NORMALIZATION", "jdnn")).cudnnNormalization);
  }
}
