package org.jdnn.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdnn.cuda.LoadReport.Entry;
import org.jdnn.cuda.LoadReport.Status;

/**
 * Finds the NVIDIA libraries the JCuda bindings need and loads them by absolute path before the
 * bindings, so that the JNI libraries' {@code NEEDED} entries ({@code libcuda.so.1},
 * {@code libcublas.so.12}, {@code libcudnn.so.9}) are already satisfied and no search path has to
 * be set. Three set-ups are recognised, in this order of preference for cuBLAS:
 * <ol>
 *   <li>{@code libcublas.so.12} (a CUDA 12 install, pip's {@code nvidia-cublas-cu12}, or the
 *       {@code org.bytedeco:cuda} redist jar): loaded with its {@code libcublasLt.so.12};</li>
 *   <li>{@code libcublas.so.13} only (CUDA 13): loaded, then the {@link CublasForwarder} named
 *       {@code libcublas.so.12} on top.</li>
 * </ol>
 * cuDNN 9 ({@code libcudnn.so.9} and its {@code libcudnn_*.so.9} parts) is loaded from wherever
 * it is found first. {@link LibrarySearch} gives the folder order.
 *
 * <p>Loading happens once per process ({@link #ensureLoaded}); its {@link LoadReport} says what was
 * looked for, where it was found, the version, and for each failure why and what to install.
 */
public final class NativeLibraries {
  /** Loads one library; {@link System#load} in production, a recorder in tests. */
  public interface Linker {
    void load(Path file);
  }

  static final String DRIVER = "libcuda.so.1";
  static final String CUBLAS12 = "libcublas.so.12";
  static final String CUBLASLT12 = "libcublasLt.so.12";
  static final String CUBLAS13 = "libcublas.so.13";
  static final String CUBLASLT13 = "libcublasLt.so.13";
  static final String CUDNN = "libcudnn.so.9";
  /** cuDNN 9's parts, in dependency order (graph first); libcudnn.so.9 opens them on demand. */
  static final String[] CUDNN_PARTS = {"libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
      "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9",
      "libcudnn_cnn.so.9", "libcudnn_adv.so.9"};
  /** Parts jdnn's calls do not need: recurrent networks, runtime-compiled engines. */
  static final List<String> CUDNN_OPTIONAL = List.of("libcudnn_adv.so.9", "libcudnn_engines_runtime_compiled.so.9");

  static final String CUBLAS_REMEDY = "install cuBLAS for CUDA 12 (the CUDA 12 toolkit, or `pip install "
      + "nvidia-cublas-cu12`) or CUDA 13's libcublas.so.13 (forwarded), or add the Maven artifact "
      + "org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist; a folder outside the search list is named with "
      + "-Djdnn.cuda.libraryPath=DIR (docs/cuda.md)";
  static final String CUDNN_REMEDY = "install cuDNN 9 (`pip install nvidia-cudnn-cu12` or nvidia-cudnn-cu13, "
      + "NVIDIA's libcudnn9 packages, or the org.bytedeco:cuda redist jar) and, if its folder is not searched, "
      + "name it with -Djdnn.cuda.libraryPath=DIR (docs/cuda.md)";
  static final String DRIVER_REMEDY = "install the NVIDIA driver for CUDA 12 or newer (it provides libcuda.so.1)";

  private static LoadReport loaded;

  private NativeLibraries() {}

  /** Loads the libraries for this process once, with {@link CudaConfig#fromSystem()}; later calls return the same report. */
  public static synchronized LoadReport ensureLoaded() {
    if (loaded == null) {
      CudaConfig config = CudaConfig.fromSystem();
      List<LibrarySearch.Dir> extra = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      Redist.locate(config, extra, notes);
      LibrarySearch search = LibrarySearch.of(config, Path.of("/"), extra);
      loaded = load(config, search, p -> System.load(p.toString()));
      for (String n : notes) loaded.note(n);
    }
    return loaded;
  }

  /** The report of {@link #ensureLoaded}, or null before it ran. */
  public static synchronized LoadReport lastReport() {
    return loaded;
  }

  /** Finds and loads everything in {@code search}'s order through {@code linker}; never throws for a missing library. */
  public static LoadReport load(CudaConfig config, LibrarySearch search, Linker linker) {
    LoadReport r = new LoadReport(search.dirs());
    if (!isLinuxX64()) {
      r.add(new Entry("platform", System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
          Status.FAILED, null, null, "the jcuda natives on the class path are for linux-x86_64 only",
          "run on Linux x86-64"));
      return r;
    }
    // The driver: loaded by path when found, so a driver outside the linker's path still works;
    // otherwise the CUDA runtime asks the dynamic linker itself, and the probe reports its error.
    LibrarySearch.Found driver = search.find(DRIVER);
    if (driver != null) {
      r.add(loadOne("NVIDIA driver", DRIVER, driver, linker, DRIVER_REMEDY));
    } else {
      r.add(new Entry("NVIDIA driver", DRIVER, Status.DEFERRED, null, null,
          "not in the searched folders; left to the dynamic linker (the probe tells whether it is there)", null));
    }
    loadCublas(config, search, linker, r);
    loadCudnn(search, linker, r);
    return r;
  }

  private static void loadCublas(CudaConfig config, LibrarySearch search, Linker linker, LoadReport r) {
    LibrarySearch.Found cb12 = search.find(CUBLAS12);
    if (cb12 != null) {
      LibrarySearch.Found lt = search.findNear(CUBLASLT12, cb12);
      if (lt == null) {
        r.add(new Entry("cuBLASLt", CUBLASLT12, Status.NOT_FOUND, null, null,
            "libcublas.so.12 was found at " + cb12.file() + " but not the libcublasLt.so.12 it needs", CUBLAS_REMEDY));
        return;
      }
      Entry e = loadOne("cuBLASLt", CUBLASLT12, lt, linker, CUBLAS_REMEDY);
      r.add(e);
      if (e.ok()) r.add(loadOne("cuBLAS", CUBLAS12, cb12, linker, CUBLAS_REMEDY));
      return;
    }
    LibrarySearch.Found cb13 = search.find(CUBLAS13);
    if (cb13 == null) {
      r.add(new Entry("cuBLAS", CUBLAS12, Status.NOT_FOUND, null, null,
          "neither libcublas.so.12 nor libcublas.so.13 is in the " + search.dirs().size() + " searched folders",
          CUBLAS_REMEDY));
      return;
    }
    LibrarySearch.Found lt13 = search.findNear(CUBLASLT13, cb13);
    if (lt13 != null) {
      Entry e = loadOne("cuBLASLt", CUBLASLT13, lt13, linker, CUBLAS_REMEDY);
      r.add(e);
      if (!e.ok()) return;
    }
    Entry e13 = loadOne("cuBLAS 13", CUBLAS13, cb13, linker, CUBLAS_REMEDY);
    r.add(e13);
    if (!e13.ok()) return;
    Path fwd;
    String how;
    try {
      if (config.cublasForwarder != null) {
        fwd = config.cublasForwarder.toAbsolutePath();
        how = "prebuilt, from jdnn.cuda.cublasForwarder";
        if (!Files.isRegularFile(fwd)) throw new IOException("jdnn.cuda.cublasForwarder names " + fwd
            + ", which does not exist");
      } else {
        fwd = CublasForwarder.forJCublas().build(config.cacheDir, config.cc);
        how = "built with " + config.cc + " in " + config.cacheDir;
      }
    } catch (IOException | RuntimeException ex) {
      r.add(new Entry("cuBLAS", CUBLAS12, Status.FAILED, null, null,
          "only libcublas.so.13 is installed and the forwarding libcublas.so.12 could not be made: " + ex.getMessage(),
          "install gcc (or set jdnn.cuda.cc), pass a prebuilt one with -Djdnn.cuda.cublasForwarder=PATH, or "
              + CUBLAS_REMEDY));
      return;
    }
    try {
      linker.load(fwd);
      r.add(new Entry("cuBLAS", CUBLAS12, Status.FORWARDED, fwd.toString(), version(cb13.file()),
          "forwarding to " + cb13.file() + " (" + how + ")", CUBLAS_REMEDY));
    } catch (UnsatisfiedLinkError | RuntimeException ex) {
      r.add(new Entry("cuBLAS", CUBLAS12, Status.FAILED, fwd.toString(), null,
          "the forwarding library did not load: " + ex.getMessage(), CUBLAS_REMEDY));
    }
  }

  private static void loadCudnn(LibrarySearch search, Linker linker, LoadReport r) {
    LibrarySearch.Found main = search.find(CUDNN);
    if (main == null) {
      r.add(new Entry("cuDNN", CUDNN, Status.NOT_FOUND, null, null,
          "not in the " + search.dirs().size() + " searched folders", CUDNN_REMEDY));
      return;
    }
    for (String part : CUDNN_PARTS) {
      LibrarySearch.Found f = search.findNear(part, main);
      boolean optional = CUDNN_OPTIONAL.contains(part);
      if (f == null) {
        r.add(new Entry("cuDNN part", part, optional ? Status.ABSENT_OPTIONAL : Status.NOT_FOUND, null, null,
            optional ? "not needed by jdnn" : "libcudnn.so.9 is at " + main.file() + " but this part of cuDNN 9 is missing",
            CUDNN_REMEDY));
        if (!optional) return;
        continue;
      }
      Entry e = loadOne("cuDNN part", part, f, linker, CUDNN_REMEDY);
      if (!e.ok() && optional) {
        e = new Entry(e.role(), e.wanted(), Status.ABSENT_OPTIONAL, e.path(), e.version(),
            "did not load, not needed by jdnn: " + e.detail(), null);
      }
      r.add(e);
      if (!e.ok()) return;
    }
    r.add(loadOne("cuDNN", CUDNN, main, linker, CUDNN_REMEDY));
  }

  private static Entry loadOne(String role, String soname, LibrarySearch.Found f, Linker linker, String remedy) {
    try {
      linker.load(f.file());
      return new Entry(role, soname, Status.LOADED, f.file().toString(), version(f.file()),
          "from " + f.dir().origin(), remedy);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new Entry(role, soname, Status.FAILED, f.file().toString(), version(f.file()),
          "found but did not load: " + e.getMessage(), remedy);
    }
  }

  /**
   * The version in the real file name behind a soname link ({@code libcudnn.so.9 -> libcudnn.so.9.5.1}
   * gives {@code 9.5.1}); null when the file is not a link (pip wheels), where the runtime query
   * in the probe gives it.
   */
  static String version(Path file) {
    try {
      String real = file.toRealPath().getFileName().toString();
      int so = real.indexOf(".so.");
      if (so < 0) return null;
      String v = real.substring(so + 4);
      return v.contains(".") ? v : null;
    } catch (IOException e) {
      return null;
    }
  }

  static boolean isLinuxX64() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /**
   * The {@code org.bytedeco:cuda:...:linux-x86_64-redist} jar: NVIDIA's CUDA 12.6 and cuDNN 9.5
   * libraries as class-path resources under {@code org/bytedeco/cuda/linux-x86_64/}. When it is on
   * the class path, the libraries jdnn needs are extracted once to {@code jdnn.cuda.cacheDir} and
   * that folder is searched right after {@code jdnn.cuda.libraryPath}. JavaCPP's own cache
   * ({@code ~/.javacpp/cache}) is searched too, for applications that already use the JavaCPP presets.
   */
  static final class Redist {
    static final String PREFIX = "org/bytedeco/cuda/linux-x86_64/";
    /** What jdnn loads, from a CUDA 12 redist jar or (through the forwarder) a CUDA 13 one; absent names are skipped. */
    static final String[] NEEDED = {CUBLASLT12, CUBLAS12, CUBLASLT13, CUBLAS13, CUDNN, "libcudnn_graph.so.9",
        "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9",
        "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libnvrtc.so.12", "libnvrtc-builtins.so.12.6", "libnvrtc.so.13"};

    private Redist() {}

    static void locate(CudaConfig config, List<LibrarySearch.Dir> extra, List<String> notes) {
      URL marker = NativeLibraries.class.getClassLoader().getResource(PREFIX + CUDNN);
      if (marker != null) {
        String jar = marker.toString();
        int bang = jar.indexOf("!/");
        String jarName = bang > 0 ? jar.substring(jar.lastIndexOf('/', bang) + 1, bang) : "classes";
        Path dir = config.cacheDir.resolve("redist").resolve(jarName.replace(".jar", ""));
        try {
          extract(dir, notes);
          extra.add(new LibrarySearch.Dir(dir, "org.bytedeco:cuda redist jar " + jarName + ", extracted"));
        } catch (IOException e) {
          notes.add("the org.bytedeco:cuda redist jar is on the class path but could not be extracted to " + dir
              + ": " + e.getMessage());
        }
      }
      Path javacpp = config.home.resolve(".javacpp/cache");
      if (Files.isDirectory(javacpp)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(javacpp, "cuda-*linux-x86_64-redist*")) {
          for (Path p : ds) {
            Path lib = p.resolve(PREFIX);
            if (Files.isDirectory(lib)) extra.add(new LibrarySearch.Dir(lib, "JavaCPP cache of " + p.getFileName()));
          }
        } catch (IOException e) {
          // unreadable cache: nothing to add
        }
      }
    }

    private static void extract(Path dir, List<String> notes) throws IOException {
      Files.createDirectories(dir);
      ClassLoader cl = NativeLibraries.class.getClassLoader();
      int copied = 0;
      for (String name : NEEDED) {
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target)) continue;
        try (InputStream in = cl.getResourceAsStream(PREFIX + name)) {
          if (in == null) continue;
          Path tmp = Files.createTempFile(dir, name, ".part");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          copied++;
        }
      }
      if (copied > 0) notes.add("extracted " + copied + " libraries of the org.bytedeco:cuda redist jar to " + dir);
    }
  }
}
