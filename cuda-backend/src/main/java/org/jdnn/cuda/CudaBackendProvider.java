package org.jdnn.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdnn.cuda.jni.CudaDevice;
import org.jdnn.cuda.jni.Probe;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BackendProvider;
import org.jdnn.tensor.Device;

/**
 * Registers the CUDA backend. {@link #probe()} loads the native libraries ({@link NativeLibraries})
 * and asks the CUDA runtime for a device; on a machine without a GPU, driver or library it returns
 * the reason in one line and the JVM carries on (the CPU backend takes over under
 * {@code --device auto}). {@link #doctor()} is the detailed report behind {@code jdnn devices --doctor}.
 */
public final class CudaBackendProvider implements BackendProvider {
  private static final Map<Integer, Probe.Result> PROBES = new ConcurrentHashMap<>();

  @Override
  public Device.Type type() {
    return Device.Type.CUDA;
  }

  @Override
  public Availability probe() {
    Probe.Result r = probe(0);
    return r.ok() ? Availability.yes(describe(0, r)) : Availability.no(reason(r));
  }

  @Override
  public Backend create(int index) {
    CudaConfig c = CudaConfig.fromSystem();
    return open(index, c.tf32, c.cudnnActivations, c.cudnnNormalization);
  }

  /**
   * A new backend on device {@code index} with TF32 math on or off, whatever {@code jdnn.cuda.tf32}
   * says (the GPU suite compares with the F32 reference, so it turns TF32 off).
   */
  public static CudaBackend open(int index, boolean tf32) {
    CudaConfig c = CudaConfig.fromSystem();
    return open(index, tf32, c.cudnnActivations, c.cudnnNormalization);
  }

  /** As {@link #open(int, boolean)}, choosing who computes ReLU, sigmoid and tanh (cuDNN or jdnn's kernels). */
  public static CudaBackend open(int index, boolean tf32, boolean cudnnActivations) {
    return open(index, tf32, cudnnActivations, CudaConfig.fromSystem().cudnnNormalization);
  }

  /**
   * As {@link #open(int, boolean, boolean)}, also choosing who computes batch norm and LRN (cuDNN
   * where its definitions allow, or always jdnn's kernels).
   */
  public static CudaBackend open(int index, boolean tf32, boolean cudnnActivations, boolean cudnnNormalization) {
    Probe.Result r = probe(index);
    if (!r.ok()) throw new IllegalStateException("device cuda:" + index + " is not usable: " + reason(r));
    CudaDevice gpu = CudaDevice.open(index, Kernels.ptx(), tf32, CudaConfig.fromSystem().deterministic);
    return new CudaBackend(index, gpu, describe(index, r) + (tf32 ? ", TF32 on" : ", TF32 off")
        + (cudnnActivations ? "" : ", jdnn activation kernels")
        + (cudnnNormalization ? "" : ", jdnn normalization kernels"), cudnnActivations, cudnnNormalization);
  }

  /** The probe of device {@code index}, run once per process; never throws. */
  static Probe.Result probe(int index) {
    return PROBES.computeIfAbsent(index, i -> {
      if (!NativeLibraries.isLinuxX64()) {
        return new Probe.Result("the JCuda natives on the class path are for linux-x86_64; this is "
            + System.getProperty("os.name") + "/" + System.getProperty("os.arch"), 0, 0, 0, null, 0, 0, 0, 0, 0);
      }
      try {
        NativeLibraries.ensureLoaded();
        return Probe.run(i);
      } catch (Throwable t) { // the probe must never take the process down
        return new Probe.Result("probing CUDA failed: " + Probe.rootMessage(t), 0, 0, 0, null, 0, 0, 0, 0, 0);
      }
    });
  }

  /** The probe's reason, with the loader's first problem when there is one. */
  static String reason(Probe.Result r) {
    LoadReport libs = NativeLibraries.lastReport();
    String why = r.reason();
    if (libs != null && !libs.ok()) why += "; also " + libs.shortSummary();
    return why + " (details: jdnn devices --doctor; docs/cuda.md)";
  }

  static String describe(int index, Probe.Result r) {
    LoadReport libs = NativeLibraries.lastReport();
    LoadReport.Entry cublas = libs == null ? null : libs.entry(NativeLibraries.CUBLAS12);
    return String.format("cuda:%d %s (compute %d.%d, %.0f GiB), driver CUDA %s, cuDNN %s, cuBLAS %s", index, r.name(),
        r.major(), r.minor(), r.memoryBytes() / (1024.0 * 1024 * 1024), cudaVersion(r.driverVersion()),
        cudnnVersion(r.cudnnVersion()), cublas == null ? "?" : cublas.status() == LoadReport.Status.FORWARDED
            ? "13 via the forwarding library" : cublas.version() != null ? cublas.version() : "12");
  }

  /** 12060 to "12.6". */
  static String cudaVersion(int v) {
    return v <= 0 ? "?" : (v / 1000) + "." + (v % 1000) / 10;
  }

  /** cuDNN 9's encoding (major*10000 + minor*100 + patch) to "9.5.1". */
  static String cudnnVersion(long v) {
    return v <= 0 ? "?" : (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
  }

  /** The detailed report: every library looked for, where it was found or why not, and the probe's findings. */
  public static String doctor() {
    Probe.Result r = probe(0);
    StringBuilder sb = new StringBuilder();
    sb.append("CUDA backend (jdnn-cuda-backend; settings and set-ups in docs/cuda.md)\n");
    LoadReport libs = NativeLibraries.lastReport();
    if (libs != null) sb.append(libs.describe());
    sb.append("runtime: CUDA runtime ").append(cudaVersion(r.runtimeVersion())).append(" (linked into JCuda), driver ")
        .append(r.driverVersion() > 0 ? "supports CUDA " + cudaVersion(r.driverVersion()) : "not found").append('\n');
    if (r.ok()) {
      sb.append("device:  ").append(describe(0, r)).append(", ").append(r.deviceCount()).append(" device(s)\n");
    } else {
      sb.append("result:  unavailable: ").append(reason(r)).append('\n');
    }
    return sb.toString();
  }
}
