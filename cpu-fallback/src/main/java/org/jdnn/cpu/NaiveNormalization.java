package org.jdnn.cpu;

import org.jdnn.cpu.NaiveBackend.Buf;
import org.jdnn.tensor.Tensor;

/**
 * The reference loops of the normalisation primitives ({@code BATCH_NORM}, {@code LRN}) that
 * {@link NaiveBackend} delegates to: direct loops over the definitions, double accumulation, any
 * floating dtype. Kept beside {@code NaiveBackend} rather than inside it so each stays readable.
 *
 * <p>Every tensor {@code (N, C, *)} is seen as {@code (N, C, S)} with {@code S} the product of
 * the spatial sizes (1 for {@code (N, C)}); element {@code (n, c, s)} sits at {@code (n*C + c)*S + s}.
 */
final class NaiveNormalization {
  private NaiveNormalization() {}

  /** Spatial size S of an {@code (N, C, *)} tensor. */
  static int spatial(Tensor x) {
    return (int) (x.numel() / ((long) x.dim(0) * x.dim(1)));
  }

  // ------------------------------------------------------------------ batch norm

  /**
   * Per channel: the mean and the biased variance over (N, S), both as two passes in double, then
   * {@code y = (x - mean) * invStd * weight + bias}.
   */
  static void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    Buf X = NaiveBackend.buf(x);
    Buf W = NaiveBackend.buf(weight);
    Buf B = NaiveBackend.buf(bias);
    Buf Y = NaiveBackend.buf(y);
    Buf M = NaiveBackend.buf(batchMean);
    Buf I = NaiveBackend.buf(batchInvStd);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = spatial(x);
    double count = (double) n * s;
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += X.get((i * channels + c) * s + j);
      double mean = sum / count;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < s; j++) {
          double d = X.get((i * channels + c) * s + j) - mean;
          squares += d * d;
        }
      }
      double invStd = 1 / Math.sqrt(squares / count + eps);
      M.set(c, mean);
      I.set(c, invStd);
      double w = W.get(c);
      double b = B.get(c);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < s; j++) {
          int at = (i * channels + c) * s + j;
          Y.set(at, (X.get(at) - mean) * invStd * w + b);
        }
      }
    }
  }

  /** {@code y = (x - runningMean) / sqrt(runningVar + eps) * weight + bias}, per channel. */
  static void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    Buf X = NaiveBackend.buf(x);
    Buf W = NaiveBackend.buf(weight);
    Buf B = NaiveBackend.buf(bias);
    Buf RM = NaiveBackend.buf(runningMean);
    Buf RV = NaiveBackend.buf(runningVar);
    Buf Y = NaiveBackend.buf(y);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = spatial(x);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < channels; c++) {
        double invStd = 1 / Math.sqrt(RV.get(c) + eps);
        for (int j = 0; j < s; j++) {
          int at = (i * channels + c) * s + j;
          Y.set(at, (X.get(at) - RM.get(c)) * invStd * W.get(c) + B.get(c));
        }
      }
    }
  }

  /**
   * With {@code xhat = (x - mean) * invStd} and {@code M = N*S} values per channel:
   * {@code dBias = sum dy}, {@code dWeight = sum dy * xhat},
   * {@code dx = weight * invStd * (dy - dBias/M - xhat * dWeight/M)} (the batch statistics depend
   * on x, hence the two correction terms).
   */
  static void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    Buf X = NaiveBackend.buf(x);
    Buf W = NaiveBackend.buf(weight);
    Buf DY = NaiveBackend.buf(dy);
    Buf M = NaiveBackend.buf(batchMean);
    Buf I = NaiveBackend.buf(batchInvStd);
    Buf DX = NaiveBackend.buf(dx);
    Buf DW = NaiveBackend.buf(dWeight);
    Buf DB = NaiveBackend.buf(dBias);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = spatial(x);
    double count = (double) n * s;
    for (int c = 0; c < channels; c++) {
      double mean = M.get(c);
      double invStd = I.get(c);
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < s; j++) {
          int at = (i * channels + c) * s + j;
          sumDy += DY.get(at);
          sumDyXhat += DY.get(at) * (X.get(at) - mean) * invStd;
        }
      }
      DB.set(c, sumDy);
      DW.set(c, sumDyXhat);
      double scale = W.get(c) * invStd;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < s; j++) {
          int at = (i * channels + c) * s + j;
          double xhat = (X.get(at) - mean) * invStd;
          DX.set(at, scale * (DY.get(at) - sumDy / count - xhat * sumDyXhat / count));
        }
      }
    }
  }

  // ------------------------------------------------------------------ local response norm

  /**
   * The denominator {@code d = k + alpha/size * sum x_c'^2} at (n, c, s), the sum over the
   * channels {@code c - size/2 .. c + (size-1)/2} that exist (outside them PyTorch pads with zeros).
   */
  static double lrnDenominator(Buf x, int n, int c, int s, int channels, int spatial, int size, double alpha,
      double k) {
    double sum = 0;
    for (int w = Math.max(0, c - size / 2); w <= Math.min(channels - 1, c + (size - 1) / 2); w++) {
      double v = x.get((n * channels + w) * spatial + s);
      sum += v * v;
    }
    return k + alpha / size * sum;
  }

  /** {@code y = x / d^beta}. */
  static void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    Buf X = NaiveBackend.buf(x);
    Buf Y = NaiveBackend.buf(y);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = spatial(x);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < channels; c++) {
        for (int j = 0; j < s; j++) {
          double d = lrnDenominator(X, i, c, j, channels, s, size, alpha, k);
          int at = (i * channels + c) * s + j;
          Y.set(at, X.get(at) * Math.pow(d, -beta));
        }
      }
    }
  }

  /**
   * {@code dx_j = dy_j d_j^-beta - 2 alpha beta / size * x_j * sum_c dy_c y_c / d_c}, the sum over
   * the channels c whose window holds j: {@code j - (size-1)/2 .. j + size/2} (the window mirrored).
   */
  static void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    Buf X = NaiveBackend.buf(x);
    Buf Y = NaiveBackend.buf(y);
    Buf DY = NaiveBackend.buf(dy);
    Buf DX = NaiveBackend.buf(dx);
    int n = x.dim(0);
    int channels = x.dim(1);
    int s = spatial(x);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < channels; j++) {
        for (int p = 0; p < s; p++) {
          int at = (i * channels + j) * s + p;
          double cross = 0;
          for (int c = Math.max(0, j - (size - 1) / 2); c <= Math.min(channels - 1, j + size / 2); c++) {
            int ac = (i * channels + c) * s + p;
            cross += DY.get(ac) * Y.get(ac) / lrnDenominator(X, i, c, p, channels, s, size, alpha, k);
          }
          double d = lrnDenominator(X, i, j, p, channels, s, size, alpha, k);
          DX.set(at, DY.get(at) * Math.pow(d, -beta) - 2 * alpha * beta / size * X.get(at) * cross);
        }
      }
    }
  }
}
