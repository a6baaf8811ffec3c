package org.jdnn.cuda.jni;

/** A CUDA, cuBLAS or cuDNN call returned an error: names the call, the status and its meaning. */
public final class CudaException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public CudaException(String message, int status) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
