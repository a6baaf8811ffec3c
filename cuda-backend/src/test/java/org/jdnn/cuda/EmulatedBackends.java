package org.jdnn.cuda;

/** The emulated CUDA backend for tests outside this package (the constructor is package-private). */
public final class EmulatedBackends {
  private static CudaBackend cudnn;

  private EmulatedBackends() {}

  /** The default configuration (cuDNN's stand-in where the backend uses cuDNN) on an {@link EmulatedGpu}. */
  public static synchronized CudaBackend cudnn() {
    if (cudnn == null) cudnn = new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true);
    return cudnn;
  }
}
