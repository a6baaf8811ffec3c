package org.jdnn.spi;

/** Interpolation of {@code upsample}: PyTorch's {@code nearest} and {@code linear}/{@code bilinear}/{@code trilinear}. */
public enum UpsampleMode { NEAREST, LINEAR }
