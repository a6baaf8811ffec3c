package org.jdnn.cpu;

import org.jdnn.spi.Activation;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.Capability;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.HostStorage;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.Storage;
import org.jdnn.spi.UnaryOp;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Device;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.SpecialFunctions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reference implementation of every SPI primitive: direct loops over the definitions, double
 * accumulation, written to be read, not to be fast. The fast CPU backend and the CUDA backend are
 * tested against it. It works on any dtype through {@link Buf}, which is also what makes gradient
 * checks in F64 possible.
 *
 * <p>Convolution and pooling are written once, for 3 spatial axes; 1-d and 2-d problems are the
 * same problem with leading spatial sizes of 1.
 */
public class NaiveBackend implements Backend {
  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public String description() {
    return "cpu-naive (reference loops)";
  }

  // ------------------------------------------------------------------ element access

  /** Reads and writes a tensor's elements as doubles, whatever its dtype. */
  abstract static class Buf {
    final int offset;

    Buf(int offset) {
      this.offset = offset;
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** Exact integer access (I64 beyond 2^53 must not round-trip through double). */
    long getLong(int i) {
      return (long) get(i);
    }

    void setLong(int i, long v) {
      set(i, v);
    }
  }

  static Buf buf(Tensor t) {
    HostStorage s = (HostStorage) t.storage();
    int o = (int) t.offset();
    switch (t.dtype()) {
      case F32: {
        float[] a = s.floats();
        return new Buf(o) {
          double get(int i) { return a[offset + i]; }
          void set(int i, double v) { a[offset + i] = (float) v; }
        };
      }
      case F64: {
        double[] a = s.doubles();
        return new Buf(o) {
          double get(int i) { return a[offset + i]; }
          void set(int i, double v) { a[offset + i] = v; }
        };
      }
      case I32: {
        int[] a = s.ints();
        return new Buf(o) {
          double get(int i) { return a[offset + i]; }
          void set(int i, double v) { a[offset + i] = (int) v; }
          long getLong(int i) { return a[offset + i]; }
          void setLong(int i, long v) { a[offset + i] = (int) v; }
        };
      }
      case I64: {
        long[] a = s.longs();
        return new Buf(o) {
          double get(int i) { return a[offset + i]; }
          void set(int i, double v) { a[offset + i] = (long) v; }
          long getLong(int i) { return a[offset + i]; }
          void setLong(int i, long v) { a[offset + i] = v; }
        };
      }
      case U8: {
        byte[] a = s.bytes();
        return new Buf(o) {
          double get(int i) { return a[offset + i] & 0xff; }
          void set(int i, double v) { a[offset + i] = (byte) (long) v; }
          long getLong(int i) { return a[offset + i] & 0xff; }
          void setLong(int i, long v) { a[offset + i] = (byte) v; }
        };
      }
      default:
        throw new AssertionError(t.dtype());
    }
  }

  static int n(Tensor t) {
    return (int) t.numel();
  }

  // ------------------------------------------------------------------ memory

  @Override
  public Storage allocate(DType dtype, long length) {
    return new HostStorage(dtype, length);
  }

  @Override
  public void copyFromHost(Object src, int srcOffset, Tensor dst) {
    HostStorage s = (HostStorage) dst.storage();
    System.arraycopy(src, srcOffset, s.array(), (int) dst.offset(), n(dst));
  }

  @Override
  public void copyToHost(Tensor src, Object dst, int dstOffset) {
    HostStorage s = (HostStorage) src.storage();
    System.arraycopy(s.array(), (int) src.offset(), dst, dstOffset, n(src));
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    Buf a = buf(src);
    Buf b = buf(dst);
    boolean integral = !src.dtype().isFloating() && !dst.dtype().isFloating();
    for (int i = 0; i < n(dst); i++) {
      if (integral) b.setLong(i, a.getLong(i));
      else b.set(i, a.get(i));
    }
  }

  @Override
  public void fill(Tensor dst, double value) {
    Buf b = buf(dst);
    for (int i = 0; i < n(dst); i++) b.set(i, value);
  }

  @Override
  public void randomUniform(Tensor dst, double low, double high, long seed) {
    Buf b = buf(dst);
    for (int i = 0; i < n(dst); i++) b.set(i, low + (high - low) * Generator.uniform(seed, i));
  }

  @Override
  public void randomNormal(Tensor dst, double mean, double std, long seed) {
    Buf b = buf(dst);
    for (int i = 0; i < n(dst); i++) b.set(i, mean + std * Generator.normal(seed, i));
  }

  @Override
  public void randomBernoulli(Tensor dst, double p, long seed) {
    Buf b = buf(dst);
    for (int i = 0; i < n(dst); i++) b.set(i, Generator.uniform(seed, i) < p ? 1 : 0);
  }

  // ------------------------------------------------------------------ gemm

  @Override
  public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
    Buf A = buf(a);
    Buf B = buf(b);
    Buf C = buf(c);
    int batch = c.rank() == 3 ? c.dim(0) : 1;
    int m = c.dim(-2);
    int n = c.dim(-1);
    int k = transA ? a.dim(-2) : a.dim(-1);
    int aStride = a.rank() == 3 ? m * k : 0; // a rank-2 operand is shared by every batch entry
    int bStride = b.rank() == 3 ? k * n : 0;
    for (int p = 0; p < batch; p++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double acc = 0;
          for (int q = 0; q < k; q++) {
            double av = A.get(p * aStride + (transA ? q * m + i : i * k + q));
            double bv = B.get(p * bStride + (transB ? j * k + q : q * n + j));
            acc += av * bv;
          }
          int ci = p * m * n + i * n + j;
          C.set(ci, alpha * acc + (beta == 0 ? 0 : beta * C.get(ci)));
        }
      }
    }
  }

  // ------------------------------------------------------------------ convolution

  /** A 1-, 2- or 3-d size padded on the left to 3 axes with {@code fill}. */
  static int[] to3(int[] a, int fill) {
    int[] r = {fill, fill, fill};
    System.arraycopy(a, 0, r, 3 - a.length, a.length);
    return r;
  }

  /** Visits every (output position, kernel tap) pair of a convolution with in-bounds input. */
  private interface ConvVisitor {
    void visit(int n, int oc, int ic, int outIndex, int inIndex, int wIndex);
  }

  private static void forEachTap(ConvGeometry g, ConvVisitor v) {
    int[] in = to3(g.inSize, 1);
    int[] out = to3(g.outSize, 1);
    int[] k = to3(g.kernel, 1);
    int[] s = to3(g.stride, 1);
    int[] p = to3(g.padding, 0);
    int[] d = to3(g.dilation, 1);
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    for (int n = 0; n < g.batch; n++) {
      for (int oc = 0; oc < g.outChannels; oc++) {
        int grp = oc / coutG;
        for (int od = 0; od < out[0]; od++) {
          for (int oh = 0; oh < out[1]; oh++) {
            for (int ow = 0; ow < out[2]; ow++) {
              int outIndex = (((n * g.outChannels + oc) * out[0] + od) * out[1] + oh) * out[2] + ow;
              for (int icg = 0; icg < cinG; icg++) {
                int ic = grp * cinG + icg;
                for (int kd = 0; kd < k[0]; kd++) {
                  int id = od * s[0] - p[0] + kd * d[0];
                  if (id < 0 || id >= in[0]) continue;
                  for (int kh = 0; kh < k[1]; kh++) {
                    int ih = oh * s[1] - p[1] + kh * d[1];
                    if (ih < 0 || ih >= in[1]) continue;
                    for (int kw = 0; kw < k[2]; kw++) {
                      int iw = ow * s[2] - p[2] + kw * d[2];
                      if (iw < 0 || iw >= in[2]) continue;
                      int inIndex = (((n * g.inChannels + ic) * in[0] + id) * in[1] + ih) * in[2] + iw;
                      int wIndex = (((oc * cinG + icg) * k[0] + kd) * k[1] + kh) * k[2] + kw;
                      v.visit(n, oc, ic, outIndex, inIndex, wIndex);
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void convForward(ConvGeometry g, Tensor x, Tensor w, Tensor y) {
    Buf X = buf(x);
    Buf W = buf(w);
    double[] acc = new double[n(y)];
    forEachTap(g, (n, oc, ic, o, i, k) -> acc[o] += X.get(i) * W.get(k));
    store(acc, y);
  }

  @Override
  public void convBackwardData(ConvGeometry g, Tensor w, Tensor dy, Tensor dx) {
    Buf W = buf(w);
    Buf DY = buf(dy);
    double[] acc = new double[n(dx)];
    forEachTap(g, (n, oc, ic, o, i, k) -> acc[i] += DY.get(o) * W.get(k));
    store(acc, dx);
  }

  @Override
  public void convBackwardFilter(ConvGeometry g, Tensor x, Tensor dy, Tensor dw) {
    Buf X = buf(x);
    Buf DY = buf(dy);
    double[] acc = new double[n(dw)];
    forEachTap(g, (n, oc, ic, o, i, k) -> acc[k] += DY.get(o) * X.get(i));
    store(acc, dw);
  }

  private static void store(double[] values, Tensor t) {
    Buf b = buf(t);
    for (int i = 0; i < values.length; i++) b.set(i, values[i]);
  }

  // ------------------------------------------------------------------ pooling

  /** One pooling window: its in-bounds input indices (in scan order) and its divisor. */
  private interface WindowVisitor {
    void visit(int outIndex, int[] inIndices, int count, int divisor);
  }

  private static void forEachWindow(PoolGeometry g, WindowVisitor v) {
    int[] in = to3(g.inSize, 1);
    int[] out = to3(g.outSize, 1);
    int[] k = to3(g.kernel, 1);
    int[] s = to3(g.stride, 1);
    int[] p = to3(g.padding, 0);
    int[] d = to3(g.dilation, 1);
    int[] idx = new int[k[0] * k[1] * k[2]];
    int plane = in[0] * in[1] * in[2];
    for (int nc = 0; nc < g.batch * g.channels; nc++) {
      for (int od = 0; od < out[0]; od++) {
        for (int oh = 0; oh < out[1]; oh++) {
          for (int ow = 0; ow < out[2]; ow++) {
            int outIndex = ((nc * out[0] + od) * out[1] + oh) * out[2] + ow;
            int[] start = {od * s[0] - p[0], oh * s[1] - p[1], ow * s[2] - p[2]};
            // PyTorch's divisor with padding counted: the window clipped to the padded input.
            int padded = 1;
            for (int a = 0; a < 3; a++) {
              int end = Math.min(start[a] + (k[a] - 1) * d[a] + 1, in[a] + p[a]);
              padded *= end - start[a];
            }
            int count = 0;
            for (int kd = 0; kd < k[0]; kd++) {
              int id = start[0] + kd * d[0];
              if (id < 0 || id >= in[0]) continue;
              for (int kh = 0; kh < k[1]; kh++) {
                int ih = start[1] + kh * d[1];
                if (ih < 0 || ih >= in[1]) continue;
                for (int kw = 0; kw < k[2]; kw++) {
                  int iw = start[2] + kw * d[2];
                  if (iw < 0 || iw >= in[2]) continue;
                  idx[count++] = nc * plane + (id * in[1] + ih) * in[2] + iw;
                }
              }
            }
            int divisor = g.mode == PoolGeometry.Mode.AVG_INCLUDE_PAD ? padded : count;
            v.visit(outIndex, idx, count, divisor);
          }
        }
      }
    }
  }

  /** Position in {@code idx} of the window's first maximum (NaN counts as the maximum, as in PyTorch). */
  private static int argmaxOf(Buf x, int[] idx, int count) {
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < count; j++) {
      double v = x.get(idx[j]);
      if (v > bestValue || Double.isNaN(v)) {
        best = j;
        bestValue = v;
        if (Double.isNaN(v)) break;
      }
    }
    return best;
  }

  @Override
  public void pool(PoolGeometry g, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    forEachWindow(g, (o, idx, count, divisor) -> {
      if (g.mode == PoolGeometry.Mode.MAX) {
        Y.set(o, count == 0 ? Double.NEGATIVE_INFINITY : X.get(idx[argmaxOf(X, idx, count)]));
      } else {
        double sum = 0;
        for (int j = 0; j < count; j++) sum += X.get(idx[j]);
        Y.set(o, sum / divisor);
      }
    });
  }

  @Override
  public void poolBackward(PoolGeometry g, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    Buf X = buf(x);
    Buf DY = buf(dy);
    double[] acc = new double[n(dx)];
    forEachWindow(g, (o, idx, count, divisor) -> {
      if (count == 0) return;
      if (g.mode == PoolGeometry.Mode.MAX) {
        acc[idx[argmaxOf(X, idx, count)]] += DY.get(o);
      } else {
        for (int j = 0; j < count; j++) acc[idx[j]] += DY.get(o) / divisor;
      }
    });
    store(acc, dx);
  }

  // ------------------------------------------------------------------ activations, softmax

  /** The activation's value at x, by PyTorch's definition. */
  static double activate(Activation a, double x) {
    switch (a.kind()) {
      case RELU: return x > 0 || Double.isNaN(x) ? x : 0; // NaN propagates, as in PyTorch
      case RELU6:
      case HARDTANH: {
        double lo = a.kind() == Activation.Kind.RELU6 ? 0 : a.alpha();
        return Double.isNaN(x) ? x : Math.min(Math.max(x, lo), a.beta());
      }
      case LEAKY_RELU: return x > 0 ? x : a.alpha() * x;
      case ELU: return x > 0 ? x : a.alpha() * Math.expm1(x);
      case SELU: return a.beta() * (x > 0 ? x : a.alpha() * Math.expm1(x));
      case SIGMOID: return 1 / (1 + Math.exp(-x));
      case TANH: return Math.tanh(x);
      case SOFTPLUS: return a.alpha() * x > a.beta() ? x : Math.log1p(Math.exp(a.alpha() * x)) / a.alpha();
      case SOFTSIGN: return x / (1 + Math.abs(x));
      case GELU: return x * SpecialFunctions.normalCdf(x);
      default: throw new AssertionError(a);
    }
  }

  /** {@code dy/dx} from the input {@code x} and output {@code y}, as PyTorch's backward formulas. */
  static double derivative(Activation a, double x, double y) {
    switch (a.kind()) {
      case RELU: return x > 0 ? 1 : 0;
      case RELU6: return x > 0 && x < a.beta() ? 1 : 0;
      case HARDTANH: return x > a.alpha() && x < a.beta() ? 1 : 0;
      case LEAKY_RELU: return x > 0 ? 1 : a.alpha();
      case ELU: return x > 0 ? 1 : a.alpha() * Math.exp(x);
      case SELU: return a.beta() * (x > 0 ? 1 : a.alpha() * Math.exp(x));
      case SIGMOID: return y * (1 - y);
      case TANH: return 1 - y * y;
      case SOFTPLUS: {
        double z = a.alpha() * x;
        return z > a.beta() ? 1 : 1 / (1 + Math.exp(-z));
      }
      case SOFTSIGN: {
        double d = 1 + Math.abs(x);
        return 1 / (d * d);
      }
      case GELU: return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
      default: throw new AssertionError(a);
    }
  }

  @Override
  public void activation(Activation a, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    for (int i = 0; i < n(x); i++) Y.set(i, activate(a, X.get(i)));
  }

  @Override
  public void activationBackward(Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    Buf X = buf(x);
    Buf Y = buf(y);
    Buf DY = buf(dy);
    Buf DX = buf(dx);
    for (int i = 0; i < n(x); i++) DX.set(i, DY.get(i) * derivative(a, X.get(i), Y.get(i)));
  }

  @Override
  public void softmax(boolean log, int axis, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    Shape s = x.shape();
    int outer = (int) s.numel(0, axis);
    int len = s.dim(axis);
    int inner = (int) s.numel(axis + 1, s.rank());
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * len * inner + in;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) max = Math.max(max, X.get(base + j * inner));
        double sum = 0;
        for (int j = 0; j < len; j++) sum += Math.exp(X.get(base + j * inner) - max);
        for (int j = 0; j < len; j++) {
          double shifted = X.get(base + j * inner) - max;
          Y.set(base + j * inner, log ? shifted - Math.log(sum) : Math.exp(shifted) / sum);
        }
      }
    }
  }

  @Override
  public void softmaxBackward(boolean log, int axis, Tensor y, Tensor dy, Tensor dx) {
    Buf Y = buf(y);
    Buf DY = buf(dy);
    Buf DX = buf(dx);
    Shape s = y.shape();
    int outer = (int) s.numel(0, axis);
    int len = s.dim(axis);
    int inner = (int) s.numel(axis + 1, s.rank());
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * len * inner + in;
        double dot = 0; // softmax: sum(dy * y); log-softmax: sum(dy)
        for (int j = 0; j < len; j++) {
          int i = base + j * inner;
          dot += log ? DY.get(i) : DY.get(i) * Y.get(i);
        }
        for (int j = 0; j < len; j++) {
          int i = base + j * inner;
          DX.set(i, log ? DY.get(i) - Math.exp(Y.get(i)) * dot : Y.get(i) * (DY.get(i) - dot));
        }
      }
    }
  }

  // ------------------------------------------------------------------ element-wise, reductions

  static double unaryOp(UnaryOp op, double x) {
    switch (op) {
      case NEG: return -x;
      case EXP: return Math.exp(x);
      case LOG: return Math.log(x);
      case SQRT: return Math.sqrt(x);
      case ABS: return Math.abs(x);
      case SIGN: return Math.signum(x);
      case SQUARE: return x * x;
      case RECIPROCAL: return 1 / x;
      default: throw new AssertionError(op);
    }
  }

  static double binaryOp(BinaryOp op, double a, double b) {
    switch (op) {
      case ADD: return a + b;
      case SUB: return a - b;
      case MUL: return a * b;
      case DIV: return a / b;
      case MAX: return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
      case MIN: return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
      case POW: return Math.pow(a, b);
      case EQ: return a == b ? 1 : 0; // IEEE: NaN equals nothing
      case NE: return a != b ? 1 : 0;
      case LT: return a < b ? 1 : 0;
      case LE: return a <= b ? 1 : 0;
      case GT: return a > b ? 1 : 0;
      case GE: return a >= b ? 1 : 0;
      default: throw new AssertionError(op);
    }
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    for (int i = 0; i < n(x); i++) Y.set(i, unaryOp(op, X.get(i)));
  }

  /**
   * Index into an operand of shape {@code s} for the flat index {@code flat} of the broadcast
   * output shape {@code out}: axes of size 1 (or missing on the left) contribute nothing.
   */
  static int broadcastIndex(int flat, Shape out, Shape s) {
    int index = 0;
    int stride = 1;
    int lead = out.rank() - s.rank();
    for (int a = out.rank() - 1; a >= 0; a--) {
      int coord = flat % out.dim(a);
      flat /= out.dim(a);
      if (a < lead) continue;
      int size = s.dim(a - lead);
      if (size != 1) index += coord * stride;
      stride *= size;
    }
    return index;
  }

  /**
   * Sees {@code full} as {@code (outer, mid, inner)} such that {@code part} (broadcastable to it)
   * varies exactly along the mid axes and is constant along the others; returns
   * {@code {outer, mid, inner}}, or null when part's varying axes are not one contiguous run.
   * A part that is constant everywhere gives {@code {1, 1, numel}}.
   */
  static int[] middleRun(Shape full, Shape part) {
    int rank = full.rank();
    int lead = rank - part.rank();
    if (lead < 0) return null;
    int lo = -1;
    int hi = -1;
    for (int a = 0; a < rank; a++) {
      int ps = a < lead ? 1 : part.dim(a - lead);
      if (ps != 1) {
        if (ps != full.dim(a)) return null;
        if (lo < 0) lo = a;
        hi = a + 1;
      }
    }
    if (lo < 0) return new int[] {1, 1, (int) full.numel()};
    for (int a = lo; a < hi; a++) {
      int ps = a < lead ? 1 : part.dim(a - lead);
      if (ps != full.dim(a)) return null; // a broadcast axis inside the run
    }
    return new int[] {(int) full.numel(0, lo), (int) full.numel(lo, hi), (int) full.numel(hi, rank)};
  }

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    Buf A = buf(a);
    Buf B = buf(b);
    Buf O = buf(out);
    Shape s = out.shape();
    for (int i = 0; i < n(out); i++) {
      O.set(i, binaryOp(op, A.get(broadcastIndex(i, s, a.shape())), B.get(broadcastIndex(i, s, b.shape()))));
    }
  }

  @Override
  public void binaryScalar(BinaryOp op, Tensor a, double s, Tensor out) {
    Buf A = buf(a);
    Buf O = buf(out);
    for (int i = 0; i < n(a); i++) O.set(i, binaryOp(op, A.get(i), s));
  }

  @Override
  public void reduce(ReduceOp op, Tensor x, int[] axes, Tensor out) {
    Buf X = buf(x);
    double[] acc = new double[n(out)];
    if (op == ReduceOp.MAX) java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
    Shape s = x.shape();
    Shape os = out.shape();
    for (int i = 0; i < n(x); i++) {
      int o = broadcastIndex(i, s, os); // reduced axes have size 1 in out
      double v = X.get(i);
      acc[o] = op == ReduceOp.MAX ? (Double.isNaN(v) || v > acc[o] ? v : acc[o]) : acc[o] + v;
    }
    if (op == ReduceOp.MEAN) {
      double count = (double) x.numel() / out.numel();
      for (int o = 0; o < acc.length; o++) acc[o] /= count;
    }
    store(acc, out);
  }

  @Override
  public void argmax(Tensor x, int axis, Tensor out) {
    Buf X = buf(x);
    Buf O = buf(out);
    Shape s = x.shape();
    int outer = (int) s.numel(0, axis);
    int len = s.dim(axis);
    int inner = (int) s.numel(axis + 1, s.rank());
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int best = 0;
        double bestValue = X.get(o * len * inner + in);
        for (int j = 1; j < len && !Double.isNaN(bestValue); j++) {
          double v = X.get((o * len + j) * inner + in);
          if (v > bestValue || Double.isNaN(v)) {
            best = j;
            bestValue = v;
          }
        }
        O.setLong(o * inner + in, best);
      }
    }
  }

  @Override
  public void oneHot(Tensor labels, Tensor out) {
    Buf L = buf(labels);
    Buf O = buf(out);
    int classes = out.dim(-1);
    for (int i = 0; i < n(labels); i++) {
      long label = L.getLong(i);
      for (int c = 0; c < classes; c++) O.set(i * classes + c, label == c ? 1 : 0);
    }
  }

  // ------------------------------------------------------------------ data movement

  /** The coordinates of flat index {@code flat} in {@code shape} (row-major). */
  static int[] coords(int flat, Shape shape, int[] out) {
    for (int a = shape.rank() - 1; a >= 0; a--) {
      out[a] = flat % shape.dim(a);
      flat /= shape.dim(a);
    }
    return out;
  }

  @Override
  public void permute(Tensor x, int[] axes, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    long[] xStrides = x.shape().strides();
    int[] c = new int[y.rank()];
    for (int i = 0; i < n(y); i++) {
      coords(i, y.shape(), c);
      long src = 0;
      for (int a = 0; a < c.length; a++) src += c[a] * xStrides[axes[a]]; // y axis a is x axis axes[a]
      Y.set(i, X.get((int) src));
    }
  }

  @Override
  public void narrow(Tensor x, int axis, int start, Tensor y) {
    copyWindow(x, y, axis, start, true);
  }

  @Override
  public void narrowAssign(Tensor src, int axis, int start, Tensor dst) {
    copyWindow(src, dst, axis, start, false);
  }

  /** Copies between the window {@code [start, start + len)} of {@code big} along {@code axis} and all of {@code small}. */
  private static void copyWindow(Tensor from, Tensor to, int axis, int start, boolean fromIsBig) {
    Tensor big = fromIsBig ? from : to;
    Tensor small = fromIsBig ? to : from;
    Buf B = buf(big);
    Buf S = buf(small);
    int outer = (int) big.shape().numel(0, axis);
    int inner = (int) big.shape().numel(axis + 1, big.rank());
    int bigLen = big.dim(axis);
    int len = small.dim(axis);
    boolean integral = !from.dtype().isFloating() && !to.dtype().isFloating();
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < len; j++) {
        for (int i = 0; i < inner; i++) {
          int bi = (o * bigLen + start + j) * inner + i;
          int si = (o * len + j) * inner + i;
          if (fromIsBig) {
            if (integral) S.setLong(si, B.getLong(bi)); else S.set(si, B.get(bi));
          } else {
            if (integral) B.setLong(bi, S.getLong(si)); else B.set(bi, S.get(si));
          }
        }
      }
    }
  }

  @Override
  public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
    Buf C = buf(cond);
    Buf A = buf(a);
    Buf B = buf(b);
    Buf O = buf(out);
    Shape s = out.shape();
    for (int i = 0; i < n(out); i++) {
      boolean take = C.get(broadcastIndex(i, s, cond.shape())) != 0;
      O.set(i, take ? A.get(broadcastIndex(i, s, a.shape())) : B.get(broadcastIndex(i, s, b.shape())));
    }
  }

  // ------------------------------------------------------------------ padding

  /** The input coordinate an output coordinate {@code i - before} reads, or -1 for the constant. */
  static int padSource(PadMode mode, int i, int size) {
    if (i >= 0 && i < size) return i;
    switch (mode) {
      case CONSTANT: return -1;
      case REFLECT: return i < 0 ? -i : 2 * (size - 1) - i;
      case REPLICATE: return i < 0 ? 0 : size - 1;
      case CIRCULAR: return ((i % size) + size) % size;
      default: throw new AssertionError(mode);
    }
  }

  /** For each output element of a pad, the flat input index it copies, or -1 for the constant. */
  private static int[] padMap(PadMode mode, int[] before, Shape in, Shape out) {
    int rank = in.rank();
    int k = before.length;
    int[] map = new int[(int) out.numel()];
    int[] c = new int[rank];
    long[] inStrides = in.strides();
    for (int i = 0; i < map.length; i++) {
      coords(i, out, c);
      long src = 0;
      for (int a = 0; a < rank; a++) {
        int ci = c[a];
        if (a >= rank - k) {
          ci = padSource(mode, ci - before[a - (rank - k)], in.dim(a));
          if (ci < 0) {
            src = -1;
            break;
          }
        }
        src += ci * inStrides[a];
      }
      map[i] = (int) src;
    }
    return map;
  }

  @Override
  public void pad(PadMode mode, int[] before, int[] after, double value, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    int[] map = padMap(mode, before, x.shape(), y.shape());
    for (int i = 0; i < map.length; i++) Y.set(i, map[i] < 0 ? value : X.get(map[i]));
  }

  @Override
  public void padBackward(PadMode mode, int[] before, int[] after, Tensor dy, Tensor dx) {
    Buf DY = buf(dy);
    double[] acc = new double[n(dx)];
    int[] map = padMap(mode, before, dx.shape(), dy.shape());
    for (int i = 0; i < map.length; i++) if (map[i] >= 0) acc[map[i]] += DY.get(i);
    store(acc, dx);
  }

  // ------------------------------------------------------------------ unpooling

  @Override
  public void maxPoolWithIndices(PoolGeometry g, Tensor x, Tensor y, Tensor indices) {
    Buf X = buf(x);
    Buf Y = buf(y);
    Buf I = buf(indices);
    int plane = g.inVolume();
    forEachWindow(g, (o, idx, count, divisor) -> {
      int at = idx[argmaxOf(X, idx, count)];
      Y.set(o, X.get(at));
      I.setLong(o, at % plane);
    });
  }

  @Override
  public void unpool(Tensor x, Tensor indices, Tensor y) {
    Buf X = buf(x);
    Buf I = buf(indices);
    Buf Y = buf(y);
    int planes = x.dim(0) * x.dim(1);
    int inPlane = n(x) / planes;
    int outPlane = n(y) / planes;
    for (int i = 0; i < n(y); i++) Y.set(i, 0);
    for (int i = 0; i < n(x); i++) Y.set((i / inPlane) * outPlane + (int) I.getLong(i), X.get(i));
  }

  @Override
  public void unpoolBackward(Tensor dy, Tensor indices, Tensor dx) {
    Buf DY = buf(dy);
    Buf I = buf(indices);
    Buf DX = buf(dx);
    int planes = dx.dim(0) * dx.dim(1);
    int inPlane = n(dx) / planes;
    int outPlane = n(dy) / planes;
    for (int i = 0; i < n(dx); i++) DX.set(i, DY.get((i / inPlane) * outPlane + (int) I.getLong(i)));
  }

  // ------------------------------------------------------------------ adaptive pooling

  /** Visits each adaptive window: output index and its in-bounds input indices. */
  private static void forEachAdaptiveWindow(Shape in, Shape out, WindowVisitor v) {
    int sr = in.rank() - 2;
    int[] is = to3(java.util.Arrays.copyOfRange(in.toArray(), 2, in.rank()), 1);
    int[] os = to3(java.util.Arrays.copyOfRange(out.toArray(), 2, out.rank()), 1);
    int plane = is[0] * is[1] * is[2];
    int planes = in.dim(0) * in.dim(1);
    int[] idx = new int[plane];
    for (int nc = 0; nc < planes; nc++) {
      for (int od = 0; od < os[0]; od++) {
        for (int oh = 0; oh < os[1]; oh++) {
          for (int ow = 0; ow < os[2]; ow++) {
            int o = ((nc * os[0] + od) * os[1] + oh) * os[2] + ow;
            int count = 0;
            for (int id = adaptiveStart(od, is[0], os[0]); id < adaptiveEnd(od, is[0], os[0]); id++) {
              for (int ih = adaptiveStart(oh, is[1], os[1]); ih < adaptiveEnd(oh, is[1], os[1]); ih++) {
                for (int iw = adaptiveStart(ow, is[2], os[2]); iw < adaptiveEnd(ow, is[2], os[2]); iw++) {
                  idx[count++] = nc * plane + (id * is[1] + ih) * is[2] + iw;
                }
              }
            }
            v.visit(o, idx, count, count);
          }
        }
      }
    }
    assert sr >= 1;
  }

  /** PyTorch's adaptive window: {@code [floor(o * in / out), ceil((o + 1) * in / out))}. */
  static int adaptiveStart(int o, int in, int out) {
    return (int) ((long) o * in / out);
  }

  static int adaptiveEnd(int o, int in, int out) {
    return (int) (((long) (o + 1) * in + out - 1) / out);
  }

  @Override
  public void adaptivePool(boolean max, Tensor x, Tensor y) {
    Buf X = buf(x);
    Buf Y = buf(y);
    forEachAdaptiveWindow(x.shape(), y.shape(), (o, idx, count, divisor) -> {
      if (max) {
        Y.set(o, X.get(idx[argmaxOf(X, idx, count)]));
      } else {
        double sum = 0;
        for (int j = 0; j < count; j++) sum += X.get(idx[j]);
        Y.set(o, sum / count);
      }
    });
  }

  @Override
  public void adaptivePoolBackward(boolean max, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    Buf X = buf(x);
    Buf DY = buf(dy);
    double[] acc = new double[n(dx)];
    forEachAdaptiveWindow(x.shape(), y.shape(), (o, idx, count, divisor) -> {
      if (max) {
        acc[idx[argmaxOf(X, idx, count)]] += DY.get(o);
      } else {
        for (int j = 0; j < count; j++) acc[idx[j]] += DY.get(o) / count;
      }
    });
    store(acc, dx);
  }

  // ------------------------------------------------------------------ upsampling

  /**
   * For one axis, each output index's two source indices and weights (PyTorch's
   * {@code area_pixel_compute_source_index}, computed in float as PyTorch does for F32).
   * Nearest uses only {@code i0} with weight 1.
   */
  static final class AxisInterp {
    final int[] i0;
    final int[] i1;
    final float[] w0;
    final float[] w1;

    AxisInterp(UpsampleMode mode, boolean alignCorners, int in, int out) {
      i0 = new int[out];
      i1 = new int[out];
      w0 = new float[out];
      w1 = new float[out];
      if (mode == UpsampleMode.NEAREST) {
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
          i0[o] = i1[o] = Math.min((int) Math.floor(o * scale), in - 1);
          w0[o] = 1;
        }
        return;
      }
      float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) in / out;
      for (int o = 0; o < out; o++) {
        float src = alignCorners ? scale * o : Math.max(scale * (o + 0.5f) - 0.5f, 0f);
        int lo = (int) src;
        i0[o] = lo;
        i1[o] = lo + (lo < in - 1 ? 1 : 0);
        w1[o] = src - lo;
        w0[o] = 1f - w1[o];
      }
    }
  }

  /** Visits, for each output element, its (up to 8) source elements and weights. */
  private interface InterpVisitor {
    void visit(int out, int in, double weight);
  }

  private static void forEachInterp(UpsampleMode mode, boolean alignCorners, Shape in, Shape out, InterpVisitor v) {
    int[] is = to3(java.util.Arrays.copyOfRange(in.toArray(), 2, in.rank()), 1);
    int[] os = to3(java.util.Arrays.copyOfRange(out.toArray(), 2, out.rank()), 1);
    AxisInterp[] ax = new AxisInterp[3];
    for (int a = 0; a < 3; a++) ax[a] = new AxisInterp(mode, alignCorners, is[a], os[a]);
    int inPlane = is[0] * is[1] * is[2];
    int outPlane = os[0] * os[1] * os[2];
    int planes = in.dim(0) * in.dim(1);
    int taps = mode == UpsampleMode.NEAREST ? 1 : 2;
    for (int nc = 0; nc < planes; nc++) {
      for (int od = 0; od < os[0]; od++) {
        for (int oh = 0; oh < os[1]; oh++) {
          for (int ow = 0; ow < os[2]; ow++) {
            int o = nc * outPlane + (od * os[1] + oh) * os[2] + ow;
            for (int td = 0; td < taps; td++) {
              int id = td == 0 ? ax[0].i0[od] : ax[0].i1[od];
              double wd = td == 0 ? ax[0].w0[od] : ax[0].w1[od];
              for (int th = 0; th < taps; th++) {
                int ih = th == 0 ? ax[1].i0[oh] : ax[1].i1[oh];
                double wh = th == 0 ? ax[1].w0[oh] : ax[1].w1[oh];
                for (int tw = 0; tw < taps; tw++) {
                  int iw = tw == 0 ? ax[2].i0[ow] : ax[2].i1[ow];
                  double ww = tw == 0 ? ax[2].w0[ow] : ax[2].w1[ow];
                  v.visit(o, nc * inPlane + (id * is[1] + ih) * is[2] + iw, wd * wh * ww);
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void upsample(UpsampleMode mode, boolean alignCorners, Tensor x, Tensor y) {
    Buf X = buf(x);
    double[] acc = new double[n(y)];
    forEachInterp(mode, alignCorners, x.shape(), y.shape(), (o, i, w) -> acc[o] += w * X.get(i));
    store(acc, y);
  }

  @Override
  public void upsampleBackward(UpsampleMode mode, boolean alignCorners, Tensor dy, Tensor dx) {
    Buf DY = buf(dy);
    double[] acc = new double[n(dx)];
    forEachInterp(mode, alignCorners, dx.shape(), dy.shape(), (o, i, w) -> acc[i] += w * DY.get(o));
    store(acc, dx);
  }


  // ------------------------------------------------------------------ capabilities, normalisation
  // (batch norm and LRN: the loops are in NaiveNormalization)

  /** Every group this reference implements; extend the one expression when a group is added. */
  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.CORE, Capability.EXTENDED_ACTIVATIONS, Capability.DATA_MOVEMENT, Capability.PADDING,
        Capability.UNPOOLING, Capability.ADAPTIVE_POOLING, Capability.UPSAMPLING, Capability.BATCH_NORM,
        Capability.LRN);
  }

  @Override
  public void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    NaiveNormalization.batchNormTraining(x, weight, bias, eps, y, batchMean, batchInvStd);
  }

  @Override
  public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    NaiveNormalization.batchNormInference(x, weight, bias, runningMean, runningVar, eps, y);
  }

  @Override
  public void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    NaiveNormalization.batchNormBackward(x, weight, dy, batchMean, batchInvStd, dx, dWeight, dBias);
  }

  @Override
  public void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    NaiveNormalization.lrn(size, alpha, beta, k, x, y);
  }

  @Override
  public void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    NaiveNormalization.lrnBackward(size, alpha, beta, k, x, y, dy, dx);
  }
}
