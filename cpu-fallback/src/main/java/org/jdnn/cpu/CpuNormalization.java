package org.jdnn.cpu;

import org.jdnn.spi.HostStorage;
import org.jdnn.tensor.Tensor;

/**
 * F32 fast paths of the normalisation primitives for {@link CpuBackend}: plain loops over
 * contiguous rows of {@code (N, C, S)}, sums in double, work split over {@link CpuThreads} by
 * channel (batch norm) or by row (LRN). Each output element is computed by one thread in a fixed
 * order, so results do not depend on the thread count. Tested against {@link NaiveNormalization}
 * by the conformance suite.
 */
final class CpuNormalization {
  private static final int GRAIN = 1 << 15; // elements per chunk below which splitting does not pay

  private CpuNormalization() {}

  private static float[] f(Tensor t) {
    return ((HostStorage) t.storage()).floats();
  }

  private static int off(Tensor t) {
    return (int) t.offset();
  }

  /** Channels (or rows) per chunk so that a chunk holds at least GRAIN elements. */
  private static int grain(long perItem) {
    return (int) Math.max(1, GRAIN / Math.max(1, perItem));
  }

  // ------------------------------------------------------------------ batch norm

  static void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    float[] X = f(x);
    float[] W = f(weight);
    float[] B = f(bias);
    float[] Y = f(y);
    float[] M = f(batchMean);
    float[] I = f(batchInvStd);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = NaiveNormalization.spatial(x);
    double count = (double) n * s;
    CpuThreads.get().forRange(channels, grain((long) n * s), (c0, c1) -> {
      for (int c = c0; c < c1; c++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          int row = off(x) + (i * channels + c) * s;
          for (int j = 0; j < s; j++) sum += X[row + j];
        }
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < n; i++) {
          int row = off(x) + (i * channels + c) * s;
          for (int j = 0; j < s; j++) {
            double d = X[row + j] - mean;
            squares += d * d;
          }
        }
        double invStd = 1 / Math.sqrt(squares / count + eps);
        M[off(batchMean) + c] = (float) mean;
        I[off(batchInvStd) + c] = (float) invStd;
        // y = x * scale + shift, the two folded in double
        double scale = invStd * W[off(weight) + c];
        double shift = B[off(bias) + c] - mean * scale;
        for (int i = 0; i < n; i++) {
          int xr = off(x) + (i * channels + c) * s;
          int yr = off(y) + (i * channels + c) * s;
          for (int j = 0; j < s; j++) Y[yr + j] = (float) (X[xr + j] * scale + shift);
        }
      }
    });
  }

  static void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    float[] X = f(x);
    float[] W = f(weight);
    float[] B = f(bias);
    float[] RM = f(runningMean);
    float[] RV = f(runningVar);
    float[] Y = f(y);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = NaiveNormalization.spatial(x);
    CpuThreads.get().forRange(n * channels, grain(s), (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int c = r % channels;
        double scale = W[off(weight) + c] / Math.sqrt(RV[off(runningVar) + c] + eps);
        double shift = B[off(bias) + c] - RM[off(runningMean) + c] * scale;
        int xr = off(x) + r * s;
        int yr = off(y) + r * s;
        for (int j = 0; j < s; j++) Y[yr + j] = (float) (X[xr + j] * scale + shift);
      }
    });
  }

  static void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    float[] X = f(x);
    float[] W = f(weight);
    float[] DY = f(dy);
    float[] M = f(batchMean);
    float[] I = f(batchInvStd);
    float[] DX = f(dx);
    float[] DW = f(dWeight);
    float[] DB = f(dBias);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = NaiveNormalization.spatial(x);
    double count = (double) n * s;
    CpuThreads.get().forRange(channels, grain((long) n * s), (c0, c1) -> {
      for (int c = c0; c < c1; c++) {
        double mean = M[off(batchMean) + c];
        double invStd = I[off(batchInvStd) + c];
        double sumDy = 0;
        double sumDyX = 0; // sum dy * (x - mean); times invStd it is dWeight
        for (int i = 0; i < n; i++) {
          int xr = off(x) + (i * channels + c) * s;
          int gr = off(dy) + (i * channels + c) * s;
          for (int j = 0; j < s; j++) {
            double g = DY[gr + j];
            sumDy += g;
            sumDyX += g * (X[xr + j] - mean);
          }
        }
        double sumDyXhat = sumDyX * invStd;
        DB[off(dBias) + c] = (float) sumDy;
        DW[off(dWeight) + c] = (float) sumDyXhat;
        // dx = a * dy + b * x + e, expanded from w*invStd*(dy - sumDy/M - xhat*sumDyXhat/M)
        double a = W[off(weight) + c] * invStd;
        double b = -a * invStd * sumDyXhat / count;
        double e = -a * sumDy / count - b * mean;
        for (int i = 0; i < n; i++) {
          int xr = off(x) + (i * channels + c) * s;
          int gr = off(dy) + (i * channels + c) * s;
          int dr = off(dx) + (i * channels + c) * s;
          for (int j = 0; j < s; j++) DX[dr + j] = (float) (a * DY[gr + j] + b * X[xr + j] + e);
        }
      }
    });
  }

  // ------------------------------------------------------------------ local response norm

  /** {@code acc[j] = sum over the window of c of x^2} along one (n, c) row of S elements. */
  private static void windowSquares(float[] x, int xOff, int n, int c, int channels, int s, int size, double[] acc) {
    java.util.Arrays.fill(acc, 0, s, 0);
    for (int w = Math.max(0, c - size / 2); w <= Math.min(channels - 1, c + (size - 1) / 2); w++) {
      int row = xOff + (n * channels + w) * s;
      for (int j = 0; j < s; j++) acc[j] += (double) x[row + j] * x[row + j];
    }
  }

  static void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    float[] X = f(x);
    float[] Y = f(y);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = NaiveNormalization.spatial(x);
    double a = alpha / size;
    CpuThreads.get().forRange(n * channels, grain((long) s * size), (r0, r1) -> {
      double[] acc = new double[s];
      for (int r = r0; r < r1; r++) {
        windowSquares(X, off(x), r / channels, r % channels, channels, s, size, acc);
        int xr = off(x) + r * s;
        int yr = off(y) + r * s;
        for (int j = 0; j < s; j++) Y[yr + j] = (float) (X[xr + j] * Math.pow(k + a * acc[j], -beta));
      }
    });
  }

  /**
   * Sample by sample: first {@code ratio = dy * y / d} for every (c, s) of the sample, then each
   * row of dx from its own d and the ratios of the channels whose windows hold it.
   */
  static void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    float[] X = f(x);
    float[] Y = f(y);
    float[] DY = f(dy);
    float[] DX = f(dx);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = NaiveNormalization.spatial(x);
    double a = alpha / size;
    double[] ratio = new double[channels * s];
    CpuThreads threads = CpuThreads.get();
    for (int i = 0; i < n; i++) {
      int sample = i;
      threads.forRange(channels, grain((long) s * size), (c0, c1) -> {
        double[] acc = new double[s];
        for (int c = c0; c < c1; c++) {
          windowSquares(X, off(x), sample, c, channels, s, size, acc);
          int at = (sample * channels + c) * s;
          for (int j = 0; j < s; j++) {
            ratio[c * s + j] = (double) DY[off(dy) + at + j] * Y[off(y) + at + j] / (k + a * acc[j]);
          }
        }
      });
      threads.forRange(channels, grain((long) s * size), (c0, c1) -> {
        double[] acc = new double[s];
        double[] cross = new double[s];
        for (int c = c0; c < c1; c++) {
          windowSquares(X, off(x), sample, c, channels, s, size, acc);
          java.util.Arrays.fill(cross, 0);
          for (int w = Math.max(0, c - (size - 1) / 2); w <= Math.min(channels - 1, c + size / 2); w++) {
            for (int j = 0; j < s; j++) cross[j] += ratio[w * s + j];
          }
          int at = (sample * channels + c) * s;
          for (int j = 0; j < s; j++) {
            double xv = X[off(x) + at + j];
            DX[off(dx) + at + j] =
                (float) (DY[off(dy) + at + j] * Math.pow(k + a * acc[j], -beta) - 2 * a * beta * xv * cross[j]);
          }
        }
      });
    }
  }
}
