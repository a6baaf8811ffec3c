package org.jdnn.cpu;

import org.jdnn.spi.ConvGeometry;

/**
 * Unfolds one sample's input into the column matrix of a convolution, and folds it back. Rows are
 * {@code (input channel, kernel tap)}, columns are output positions, so that the convolution of a
 * group is one GEMM: {@code y_g = W_g (C_out/g x C_in/g*K) @ col_g (C_in/g*K x OUT)}. Written for 3
 * spatial axes; 1-d and 2-d geometries have leading sizes of 1.
 */
final class Im2col {
  final int channels;
  final int[] in;
  final int[] out;
  final int[] k;
  final int[] s;
  final int[] p;
  final int[] d;
  final int taps;
  final int inVolume;
  final int outVolume;

  Im2col(ConvGeometry g) {
    channels = g.inChannels;
    in = NaiveBackend.to3(g.inSize, 1);
    out = NaiveBackend.to3(g.outSize, 1);
    k = NaiveBackend.to3(g.kernel, 1);
    s = NaiveBackend.to3(g.stride, 1);
    p = NaiveBackend.to3(g.padding, 0);
    d = NaiveBackend.to3(g.dilation, 1);
    taps = k[0] * k[1] * k[2];
    inVolume = in[0] * in[1] * in[2];
    outVolume = out[0] * out[1] * out[2];
  }

  /** True when the column matrix is the input itself (1x1 kernel, stride 1, no padding). */
  boolean isIdentity() {
    return taps == 1 && s[0] == 1 && s[1] == 1 && s[2] == 1 && p[0] == 0 && p[1] == 0 && p[2] == 0;
  }

  /** Output columns {@code [lo, hi)} whose input column {@code ow*s + iw0} lies inside the row. */
  private int lo(int iw0) {
    return iw0 >= 0 ? 0 : Math.min(out[2], (-iw0 + s[2] - 1) / s[2]);
  }

  private int hi(int iw0) {
    int last = in[2] - 1 - iw0; // largest ow*s allowed
    return last < 0 ? 0 : Math.min(out[2], last / s[2] + 1);
  }

  /** Fills {@code col} ({@code channels*taps x outVolume}) from the sample at {@code x[xOff]}. */
  void unfold(float[] x, int xOff, float[] col) {
    for (int c = 0; c < channels; c++) {
      for (int kd = 0; kd < k[0]; kd++) {
        for (int kh = 0; kh < k[1]; kh++) {
          for (int kw = 0; kw < k[2]; kw++) {
            int row = ((c * k[0] + kd) * k[1] + kh) * k[2] + kw;
            int dst = row * outVolume;
            // The columns of one output row that read inside the input: zeros left and right of them.
            int iw0 = -p[2] + kw * d[2];
            int lo = lo(iw0);
            int hi = Math.max(lo, hi(iw0));
            for (int od = 0; od < out[0]; od++) {
              int id = od * s[0] - p[0] + kd * d[0];
              for (int oh = 0; oh < out[1]; oh++) {
                int ih = oh * s[1] - p[1] + kh * d[1];
                int o = dst + (od * out[1] + oh) * out[2];
                if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1]) {
                  java.util.Arrays.fill(col, o, o + out[2], 0f);
                  continue;
                }
                int src = xOff + (c * in[0] + id) * in[1] * in[2] + ih * in[2] + iw0;
                for (int j = 0; j < lo; j++) col[o + j] = 0f; // a pad or two: too short for Arrays.fill
                if (s[2] == 1) {
                  System.arraycopy(x, src + lo, col, o + lo, hi - lo);
                } else {
                  for (int ow = lo; ow < hi; ow++) col[o + ow] = x[src + ow * s[2]];
                }
                for (int j = hi; j < out[2]; j++) col[o + j] = 0f;
              }
            }
          }
        }
      }
    }
  }

  /** Adds {@code col} back into the sample at {@code dx[dxOff]} (which the caller has zeroed). */
  void fold(float[] col, float[] dx, int dxOff) {
    for (int c = 0; c < channels; c++) {
      for (int kd = 0; kd < k[0]; kd++) {
        for (int kh = 0; kh < k[1]; kh++) {
          for (int kw = 0; kw < k[2]; kw++) {
            int row = ((c * k[0] + kd) * k[1] + kh) * k[2] + kw;
            int src = row * outVolume;
            int iw0 = -p[2] + kw * d[2];
            int lo = lo(iw0);
            int hi = Math.max(lo, hi(iw0));
            for (int od = 0; od < out[0]; od++) {
              int id = od * s[0] - p[0] + kd * d[0];
              if (id < 0 || id >= in[0]) continue;
              for (int oh = 0; oh < out[1]; oh++) {
                int ih = oh * s[1] - p[1] + kh * d[1];
                if (ih < 0 || ih >= in[1]) continue;
                int o = src + (od * out[1] + oh) * out[2];
                int dst = dxOff + (c * in[0] + id) * in[1] * in[2] + ih * in[2] + iw0;
                if (s[2] == 1) addRow(col, o, dx, dst, lo, hi);
                else for (int ow = lo; ow < hi; ow++) dx[dst + ow * s[2]] += col[o + ow];
              }
            }
          }
        }
      }
    }
  }

  // A loop of its own so that C2 vectorises it.
  private static void addRow(float[] src, int so, float[] dst, int dOff, int lo, int hi) {
    for (int j = lo; j < hi; j++) dst[dOff + j] += src[so + j];
  }
}
