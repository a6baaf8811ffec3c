package org.jdnn.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CUDA libraries are looked for, in order, each directory with the reason it is on the
 * list. A pure function of the configuration and the file system, so the order and the messages
 * are tested with fake directories.
 *
 * <ol>
 *   <li>{@code jdnn.cuda.libraryPath} / {@code JDNN_CUDA_LIBRARY_PATH}, in the order given;</li>
 *   <li>the folder the {@code org.bytedeco:cuda} redist jar was extracted to, when it is on the class path;</li>
 *   <li>{@code LD_LIBRARY_PATH};</li>
 *   <li>{@code CUDA_HOME} and {@code CUDA_PATH}: {@code lib64}, {@code lib}, {@code targets/x86_64-linux/lib};</li>
 *   <li>{@code /usr/local/cuda} and then {@code /usr/local/cuda-*} (newest version first), same subfolders;</li>
 *   <li>the distribution's library folders ({@code /usr/lib/x86_64-linux-gnu}, {@code /usr/lib64}, {@code /usr/lib},
 *       {@code /usr/local/nvidia/lib64}, ...);</li>
 *   <li>{@code nvidia/<package>/lib} in Python site-packages: of {@code VIRTUAL_ENV}, {@code CONDA_PREFIX},
 *       {@code ~/.local}, {@code /usr/local/lib}, {@code /usr/lib}, {@code /opt/<name>/.venv} and
 *       {@code /opt/conda} (where pip puts cuDNN and cuBLAS wheels).</li>
 * </ol>
 * Steps 3 to 7 are skipped with {@code jdnn.cuda.systemSearch=false}.
 */
public final class LibrarySearch {
  /** One directory to search and why it is searched. */
  public record Dir(Path path, String origin) {
    @Override
    public String toString() {
      return path + " (" + origin + ")";
    }
  }

  /** A library file found: where, and the directory entry it came from. */
  public record Found(Path file, Dir dir) {}

  private final List<Dir> dirs;

  private LibrarySearch(List<Dir> dirs) {
    this.dirs = dirs;
  }

  public List<Dir> dirs() {
    return dirs;
  }

  /**
   * The search list for {@code config}, with {@code root} prefixed to the fixed system locations
   * (the real root {@code /} in production, a temporary folder in tests). {@code extra} directories
   * (the extracted redist jar) come right after the configured ones.
   */
  public static LibrarySearch of(CudaConfig config, Path root, List<Dir> extra) {
    Map<Path, Dir> out = new LinkedHashMap<>();
    for (Path p : config.libraryPath) add(out, p, "jdnn.cuda.libraryPath");
    for (Dir d : extra) add(out, d.path(), d.origin());
    if (config.systemSearch) {
      for (Path p : CudaConfig.paths(config.env.getOrDefault("LD_LIBRARY_PATH", ""))) add(out, p, "LD_LIBRARY_PATH");
      for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
        String v = config.env.get(var);
        if (v != null && !v.isBlank()) cudaTree(out, Path.of(v), var);
      }
      Path local = root.resolve("usr/local");
      cudaTree(out, local.resolve("cuda"), "/usr/local/cuda");
      for (Path p : versionedCudaDirs(local)) cudaTree(out, p, "CUDA toolkit " + p.getFileName());
      for (String s : new String[] {"usr/local/nvidia/lib64", "usr/local/nvidia/lib", "usr/lib/x86_64-linux-gnu",
          "usr/lib64", "usr/lib", "lib/x86_64-linux-gnu", "usr/lib/wsl/lib"}) {
        add(out, root.resolve(s), "system library folder");
      }
      for (Path site : sitePackages(config, root)) {
        for (Path lib : nvidiaLibDirs(site.resolve("nvidia"))) add(out, lib, "pip package in " + site);
      }
    }
    List<Dir> list = new ArrayList<>();
    for (Dir d : out.values()) if (Files.isDirectory(d.path())) list.add(d);
    return new LibrarySearch(list);
  }

  /** The first file named {@code soname} in the search order, or null. */
  public Found find(String soname) {
    for (Dir d : dirs) {
      Path f = d.path().resolve(soname);
      if (Files.isRegularFile(f)) return new Found(f, d);
    }
    return null;
  }

  /** {@code soname} in {@code preferred}'s directory if it is there, else the first anywhere. */
  public Found findNear(String soname, Found preferred) {
    if (preferred != null) {
      Path f = preferred.dir().path().resolve(soname);
      if (Files.isRegularFile(f)) return new Found(f, preferred.dir());
    }
    return find(soname);
  }

  private static void add(Map<Path, Dir> out, Path p, String origin) {
    Path n = p.toAbsolutePath().normalize();
    out.putIfAbsent(n, new Dir(n, origin));
  }

  private static void cudaTree(Map<Path, Dir> out, Path home, String origin) {
    for (String sub : new String[] {"lib64", "lib", "targets/x86_64-linux/lib"}) add(out, home.resolve(sub), origin);
  }

  /** {@code /usr/local/cuda-12.6}, {@code cuda-13.0}, ... newest first. */
  static List<Path> versionedCudaDirs(Path local) {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(local, "cuda-*")) {
      for (Path p : ds) if (Files.isDirectory(p)) found.add(p);
    } catch (IOException e) {
      return found;
    }
    found.sort(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString().substring(5))).reversed());
    return found;
  }

  /** "12.6" to a sortable key (major * 1000 + minor); unparsable names sort first. */
  static long versionKey(String v) {
    String[] parts = v.split("\\.");
    long key = 0;
    for (int i = 0; i < 2; i++) {
      long x = 0;
      if (i < parts.length) {
        try {
          x = Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
      key = key * 1000 + x;
    }
    return key;
  }

  /** Python site-packages folders that may hold pip's {@code nvidia/...} wheels. */
  static List<Path> sitePackages(CudaConfig config, Path root) {
    List<Path> prefixes = new ArrayList<>();
    for (String var : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
      String v = config.env.get(var);
      if (v != null && !v.isBlank()) prefixes.add(Path.of(v));
    }
    prefixes.add(config.home.resolve(".local"));
    prefixes.add(root.resolve("usr/local"));
    prefixes.add(root.resolve("usr"));
    prefixes.add(root.resolve("opt/conda"));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("opt"))) {
      List<Path> venvs = new ArrayList<>();
      for (Path p : ds) if (Files.isDirectory(p.resolve(".venv"))) venvs.add(p.resolve(".venv"));
      venvs.sort(null);
      prefixes.addAll(venvs);
    } catch (IOException e) {
      // no /opt
    }
    List<Path> sites = new ArrayList<>();
    for (Path prefix : prefixes) {
      for (String lib : new String[] {"lib", "lib64"}) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(prefix.resolve(lib), "python3*")) {
          List<Path> pythons = new ArrayList<>();
          for (Path p : ds) pythons.add(p);
          pythons.sort(Comparator.reverseOrder());
          for (Path py : pythons) {
            for (String kind : new String[] {"site-packages", "dist-packages"}) {
              if (Files.isDirectory(py.resolve(kind))) sites.add(py.resolve(kind));
            }
          }
        } catch (IOException e) {
          // no such prefix
        }
      }
    }
    return sites;
  }

  /** {@code nvidia/<package>/lib} folders (cudnn, cublas, cu13, ...), sorted by name. */
  static List<Path> nvidiaLibDirs(Path nvidia) {
    if (!Files.isDirectory(nvidia)) return List.of();
    try (Stream<Path> s = Files.list(nvidia)) {
      return s.map(p -> p.resolve("lib")).filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
