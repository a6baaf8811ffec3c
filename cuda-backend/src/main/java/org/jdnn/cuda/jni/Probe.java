package org.jdnn.cuda.jni;

import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaDeviceProp;
import jcuda.runtime.cudaError;

/**
 * Asks the CUDA runtime, cuBLAS and cuDNN whether device {@code index} can be used, without ever
 * letting a missing driver or library escape as anything but a reason string. The runtime is
 * linked into JCuda's own JNI library, so {@code cudaGetDeviceCount} answers even on a machine
 * without a driver (with error 35, cudaErrorInsufficientDriver); a JNI library whose dependency is
 * missing fails its class initialisation with a catchable {@link UnsatisfiedLinkError}.
 */
public final class Probe {
  /** What the probe learned; {@code reason} is null when the device is usable. */
  public record Result(String reason, int deviceCount, int runtimeVersion, int driverVersion, String name,
      long memoryBytes, int major, int minor, int multiprocessors, long cudnnVersion) {
    public boolean ok() {
      return reason == null;
    }
  }

  private Probe() {}

  public static Result run(int index) {
    int[] count = {0};
    int runtime = 0;
    int driver = 0;
    try {
      JCuda.setExceptionsEnabled(false);
      int[] v = {0};
      if (JCuda.cudaRuntimeGetVersion(v) == 0) runtime = v[0];
      if (JCuda.cudaDriverGetVersion(v) == 0) driver = v[0];
      int err = JCuda.cudaGetDeviceCount(count);
      if (err != 0) {
        return fail(explain(err), 0, runtime, driver);
      }
    } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: JCuda's JNI library did not load
      return fail("the JCuda runtime library did not load: " + rootMessage(t), 0, 0, 0);
    }
    if (count[0] == 0) return fail("the NVIDIA driver sees no CUDA device", 0, runtime, driver);
    if (index >= count[0]) {
      return fail("device cuda:" + index + " does not exist; this machine has " + count[0] + " (cuda:0"
          + (count[0] > 1 ? " to cuda:" + (count[0] - 1) : "") + ")", count[0], runtime, driver);
    }
    cudaDeviceProp prop = new cudaDeviceProp();
    int err = JCuda.cudaGetDeviceProperties(prop, index);
    if (err != 0) return fail("cudaGetDeviceProperties(" + index + ") failed: " + explain(err), count[0], runtime, driver);
    try {
      JCublas2.setExceptionsEnabled(false);
    } catch (Throwable t) {
      return fail("cuBLAS: the JCublas2 JNI library did not load: " + rootMessage(t), count[0], runtime, driver);
    }
    long cudnn;
    try {
      JCudnn.setExceptionsEnabled(false);
      cudnn = JCudnn.cudnnGetVersion();
    } catch (Throwable t) {
      return fail("cuDNN: the JCudnn JNI library did not load: " + rootMessage(t), count[0], runtime, driver);
    }
    if (cudnn < 90000) {
      return fail("cuDNN " + cudnn + " was loaded, but the JCudnn 12.6.0 JNI library needs cuDNN 9", count[0],
          runtime, driver);
    }
    return new Result(null, count[0], runtime, driver, prop.getName(), prop.totalGlobalMem, prop.major,
        prop.minor, prop.multiProcessorCount, cudnn);
  }

  private static Result fail(String reason, int count, int runtime, int driver) {
    return new Result(reason, count, runtime, driver, null, 0, 0, 0, 0, 0);
  }

  /** A runtime error code in words, with what usually causes it. */
  public static String explain(int err) {
    String name = cudaError.stringFor(err);
    String what;
    if (err == cudaError.cudaErrorInsufficientDriver) {
      what = "no NVIDIA driver, or one too old for the CUDA 12 runtime inside JCuda (libcuda.so.1 missing or too old)";
    } else if (err == cudaError.cudaErrorNoDevice) {
      what = "the driver is installed but sees no GPU";
    } else {
      what = "see the CUDA runtime documentation";
    }
    return "cudaGetDeviceCount returned " + err + " (" + name + "): " + what;
  }

  /** The innermost message of a chain: JCuda's loader wraps the dlopen error ("libcudnn.so.9: cannot open ..."). */
  public static String rootMessage(Throwable t) {
    Throwable best = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains(".so")) best = c;
      if (c.getCause() == c) break;
    }
    String m = best.getMessage() == null ? best.toString() : best.getMessage();
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }
}
