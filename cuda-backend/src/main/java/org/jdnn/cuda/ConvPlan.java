package org.jdnn.cuda;

import java.util.Arrays;
import org.jdnn.spi.ConvGeometry;

/**
 * A {@link ConvGeometry} as cuDNN's N-d descriptor arguments. cuDNN wants tensors of at least 4
 * dimensions and convolutions of at least 2 spatial axes, so a 1-d convolution becomes a 2-d one
 * with a leading spatial size of 1 (kernel 1, padding 0, stride 1, dilation 1 on that axis).
 * Packed NCHW strides; cross-correlation, as PyTorch.
 *
 * @param xDims input {@code (N, C_in, *spatial)}
 * @param wDims filter {@code (C_out, C_in/groups, *kernel)}
 * @param yDims output {@code (N, C_out, *out)}
 * @param pad, stride, dilation one per cuDNN spatial axis
 */
public record ConvPlan(int[] xDims, int[] wDims, int[] yDims, int[] pad, int[] stride, int[] dilation, int groups) {

  public static ConvPlan of(ConvGeometry g) {
    int sr = g.spatialRank();
    int cr = Math.max(2, sr);
    int lead = cr - sr;
    int[] x = new int[cr + 2];
    int[] w = new int[cr + 2];
    int[] y = new int[cr + 2];
    int[] pad = new int[cr];
    int[] stride = new int[cr];
    int[] dil = new int[cr];
    x[0] = g.batch;
    x[1] = g.inChannels;
    w[0] = g.outChannels;
    w[1] = g.inChannels / g.groups;
    y[0] = g.batch;
    y[1] = g.outChannels;
    for (int i = 0; i < cr; i++) {
      boolean real = i >= lead;
      int a = i - lead;
      x[2 + i] = real ? g.inSize[a] : 1;
      w[2 + i] = real ? g.kernel[a] : 1;
      y[2 + i] = real ? g.outSize[a] : 1;
      pad[i] = real ? g.padding[a] : 0;
      stride[i] = real ? g.stride[a] : 1;
      dil[i] = real ? g.dilation[a] : 1;
    }
    return new ConvPlan(x, w, y, pad, stride, dil, g.groups);
  }

  /** Spatial axes as cuDNN sees them (2 or 3). */
  public int convDims() {
    return pad.length;
  }

  /** Packed row-major strides of {@code dims}. */
  public static int[] packedStrides(int[] dims) {
    int[] s = new int[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = Math.toIntExact(acc);
      acc *= dims[i];
    }
    return s;
  }

  /** The algorithm-cache key: everything an algorithm choice depends on, except the data. */
  public String key(String dtype, boolean tf32) {
    return dtype + (tf32 ? "/tf32" : "/fp32") + " x" + Arrays.toString(xDims) + " w" + Arrays.toString(wDims)
        + " p" + Arrays.toString(pad) + " s" + Arrays.toString(stride) + " d" + Arrays.toString(dilation)
        + " g" + groups;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvPlan p && Arrays.equals(xDims, p.xDims) && Arrays.equals(wDims, p.wDims)
        && Arrays.equals(yDims, p.yDims) && Arrays.equals(pad, p.pad) && Arrays.equals(stride, p.stride)
        && Arrays.equals(dilation, p.dilation) && groups == p.groups;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(xDims) * 31 + Arrays.hashCode(wDims);
  }

  @Override
  public String toString() {
    return "ConvPlan{" + key("", false) + "}";
  }
}
