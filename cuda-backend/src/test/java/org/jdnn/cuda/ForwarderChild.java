package org.jdnn.cuda;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * Run in a child JVM by {@link CublasForwarderTest}: loads a stand-in {@code libcublas.so.13}
 * through the real loader (which builds and loads the forwarding {@code libcublas.so.12}), then
 * calls the real JCublas2 JNI library of jcublas-natives 12.6.0, whose versioned imports must
 * bind to the forwarder. Prints {@code key=value} lines for the parent to check.
 */
public final class ForwarderChild {
  private ForwarderChild() {}

  public static void main(String[] args) {
    Path libs = Path.of(args[0]);
    Path cache = Path.of(args[1]);
    CudaConfig c = CudaConfig.of(Map.of("jdnn.cuda.libraryPath", libs.toString(), "jdnn.cuda.systemSearch", "false",
        "jdnn.cuda.cacheDir", cache.toString(), "user.home", cache.toString()), System.getenv());
    LoadReport r = NativeLibraries.load(c, LibrarySearch.of(c, Path.of("/"), List.of()),
        p -> System.load(p.toString()));
    LoadReport.Entry e = r.entry("libcublas.so.12");
    System.out.println("cublas=" + e.status() + " " + e.path());
    JCublas2.setExceptionsEnabled(false);
    cublasHandle h = new cublasHandle();
    System.out.println("create=" + JCublas2.cublasCreate(h));
    int[] v = {0};
    int st = JCublas2.cublasGetVersion(h, v);
    System.out.println("version=" + st + "," + v[0]);
    // Missing from the stand-in: the forwarder's stub answers CUBLAS_STATUS_NOT_SUPPORTED (15).
    System.out.println("setMathMode=" + JCublas2.cublasSetMathMode(h, 0));
  }
}
