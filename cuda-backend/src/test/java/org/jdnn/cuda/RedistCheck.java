package org.jdnn.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;

/**
 * Checks, without a GPU, that the {@code org.bytedeco:cuda:...:linux-x86_64-redist} jar on the
 * class path is found and extracted by the loader, and that its libcublas.so.12 and libcudnn.so.9
 * satisfy the JCuda 12.6 JNI libraries: both JNI libraries load, and cuDNN answers its version
 * (a call that needs no device). Run by {@code scripts/cuda/check-redist.sh}; not part of the
 * build (the jar is 2 GB).
 */
public final class RedistCheck {
  private RedistCheck() {}

  public static void main(String[] args) {
    LoadReport r = NativeLibraries.ensureLoaded();
    System.out.print(r.describe());
    JCublas2.setExceptionsEnabled(false);
    System.out.println("JCublas2 JNI library: loaded (its " + CublasForwarder.jcublasImports().size()
        + " libcublas.so.12 imports bound)");
    JCudnn.setExceptionsEnabled(false);
    System.out.println("JCudnn JNI library: loaded; cudnnGetVersion() = " + JCudnn.cudnnGetVersion());
    System.out.println("probe: " + new CudaBackendProvider().probe());
  }
}
