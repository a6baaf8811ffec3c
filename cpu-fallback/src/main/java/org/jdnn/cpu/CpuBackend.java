package org.jdnn.cpu;

import java.util.Arrays;
import org.jdnn.cpu.gemm.GemmKernel;
import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.cpu.gemm.PackedSgemm;
import org.jdnn.spi.Activation;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.HostStorage;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * The working CPU backend: F32 hot paths on plain arrays (convolution by im2col + GEMM, direct
 * pooling, element-wise loops), split over {@link CpuThreads}. Everything else, F64 in particular,
 * runs the inherited {@link NaiveBackend} reference loops. Every fast path is tested against the
 * reference.
 */
public final class CpuBackend extends NaiveBackend {
  private static final int GRAIN = 1 << 15; // elements per chunk below which splitting does not pay

  private final CpuThreads threads = CpuThreads.get();
  private final PackedSgemm gemm;

  /** The backend with the GEMM kernel chosen for this JVM ({@link GemmKernels}). */
  public CpuBackend() {
    this(Sgemm.preferred());
  }

  /** The backend on a given GEMM (tests force each kernel this way). */
  CpuBackend(PackedSgemm gemm) {
    this.gemm = gemm;
  }

  @Override
  public String description() {
    return "cpu (" + threads.threads() + " threads, pure Java)";
  }

  /** The GEMM micro-kernel this backend runs. */
  public GemmKernel gemmKernel() {
    return gemm.kernel();
  }

  private static boolean f32(Tensor... ts) {
    for (Tensor t : ts) if (t.dtype() != DType.F32) return false;
    return true;
  }

  private static float[] f(Tensor t) {
    return ((HostStorage) t.storage()).floats();
  }

  private static int off(Tensor t) {
    return (int) t.offset();
  }

  // ------------------------------------------------------------------ memory

  @Override
  public void copy(Tensor src, Tensor dst) {
    if (src.dtype() == dst.dtype()) {
      System.arraycopy(((HostStorage) src.storage()).array(), off(src), ((HostStorage) dst.storage()).array(),
          off(dst), n(dst));
    } else {
      super.copy(src, dst);
    }
  }

  @Override
  public void fill(Tensor dst, double value) {
    if (!f32(dst)) {
      super.fill(dst, value);
      return;
    }
    Arrays.fill(f(dst), off(dst), off(dst) + n(dst), (float) value);
  }

  // ------------------------------------------------------------------ gemm

  @Override
  public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
    if (!f32(a, b, c)) {
      super.gemm(transA, transB, alpha, a, b, beta, c);
      return;
    }
    int batch = c.rank() == 3 ? c.dim(0) : 1;
    int m = c.dim(-2);
    int n = c.dim(-1);
    int k = transA ? a.dim(-2) : a.dim(-1);
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    int aStride = a.rank() == 3 ? m * k : 0;
    int bStride = b.rank() == 3 ? k * n : 0;
    float[] A = f(a);
    float[] B = f(b);
    float[] C = f(c);
    float al = (float) alpha;
    float be = (float) beta;
    if (batch >= threads.threads()) { // whole products per thread
      threads.forRange(batch, 1, (p0, p1) -> {
        for (int p = p0; p < p1; p++) {
          gemm.serial(transA, transB, m, n, k, al, A, off(a) + p * aStride, lda, B, off(b) + p * bStride, ldb,
              be, C, off(c) + p * m * n, n);
        }
      });
    } else { // each product split over the threads
      for (int p = 0; p < batch; p++) {
        gemm.gemm(transA, transB, m, n, k, al, A, off(a) + p * aStride, lda, B, off(b) + p * bStride, ldb,
            be, C, off(c) + p * m * n, n);
      }
    }
  }

  // ------------------------------------------------------------------ convolution

  @Override
  public void convForward(ConvGeometry g, Tensor x, Tensor w, Tensor y) {
    if (!f32(x, w, y)) {
      super.convForward(g, x, w, y);
      return;
    }
    Im2col u = new Im2col(g);
    float[] X = f(x);
    float[] W = f(w);
    float[] Y = f(y);
    if (ImplicitConv.applies(g) && !u.isIdentity()) {
      ImplicitConv.forward(gemm, threads, g, X, off(x), W, off(w), Y, off(y));
      return;
    }
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int rows = cinG * u.taps; // GEMM depth per group
    boolean split = g.batch >= threads.threads();
    overSamples(g.batch, split, (n0, n1) -> {
      float[] col = u.isIdentity() ? null : Sgemm.scratch(1, g.inChannels * u.taps * u.outVolume);
      for (int n = n0; n < n1; n++) {
        int xOff = off(x) + n * g.inChannels * u.inVolume;
        float[] src = col;
        int srcOff = 0;
        if (col == null) { // 1x1, stride 1, no padding: the input is the column matrix
          src = X;
          srcOff = xOff;
        } else {
          u.unfold(X, xOff, col);
        }
        for (int gi = 0; gi < g.groups; gi++) {
          // y_g (coutG x P) = W_g (coutG x rows) @ col_g (rows x P)
          mm(!split, false, false, coutG, u.outVolume, rows, W, off(w) + gi * coutG * rows,
              src, srcOff + gi * rows * u.outVolume, 0f, Y, off(y) + (n * g.outChannels + gi * coutG) * u.outVolume);
        }
      }
    });
  }

  @Override
  public void convBackwardData(ConvGeometry g, Tensor w, Tensor dy, Tensor dx) {
    if (!f32(w, dy, dx)) {
      super.convBackwardData(g, w, dy, dx);
      return;
    }
    Im2col u = new Im2col(g);
    float[] W = f(w);
    float[] DY = f(dy);
    float[] DX = f(dx);
    if (ImplicitConv.applies(g) && !u.isIdentity()) {
      ImplicitConv.backwardData(gemm, threads, g, W, off(w), DY, off(dy), DX, off(dx));
      return;
    }
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int rows = cinG * u.taps;
    boolean split = g.batch >= threads.threads();
    overSamples(g.batch, split, (n0, n1) -> {
      boolean direct = u.isIdentity();
      float[] col = direct ? null : Sgemm.scratch(1, g.inChannels * u.taps * u.outVolume);
      for (int n = n0; n < n1; n++) {
        int dxOff = off(dx) + n * g.inChannels * u.inVolume;
        float[] dst = direct ? DX : col;
        int dstOff = direct ? dxOff : 0;
        for (int gi = 0; gi < g.groups; gi++) {
          // col_g (rows x P) = W_g^T (rows x coutG) @ dy_g (coutG x P)
          mm(!split, true, false, rows, u.outVolume, coutG, W, off(w) + gi * coutG * rows,
              DY, off(dy) + (n * g.outChannels + gi * coutG) * u.outVolume, 0f, dst, dstOff + gi * rows * u.outVolume);
        }
        if (!direct) {
          Arrays.fill(DX, dxOff, dxOff + g.inChannels * u.inVolume, 0f);
          u.fold(col, DX, dxOff);
        }
      }
    });
  }

  @Override
  public void convBackwardFilter(ConvGeometry g, Tensor x, Tensor dy, Tensor dw) {
    if (!f32(x, dy, dw)) {
      super.convBackwardFilter(g, x, dy, dw);
      return;
    }
    Im2col u = new Im2col(g);
    float[] X = f(x);
    float[] DY = f(dy);
    if (ImplicitConv.applies(g) && !u.isIdentity()) {
      ImplicitConv.backwardFilter(gemm, threads, g, X, off(x), DY, off(dy), f(dw), off(dw));
      return;
    }
    int cinG = g.inChannels / g.groups;
    int coutG = g.outChannels / g.groups;
    int rows = cinG * u.taps;
    int wSize = n(dw);
    boolean split = g.batch >= threads.threads();
    int chunks = split ? threads.threads() : 1;
    float[][] partial = new float[chunks][];
    // Each chunk of samples sums into its own buffer; buffers are added in chunk order, so the
    // result depends on the thread count only, never on timing.
    threads.forChunks(chunks, c -> {
      float[] acc = chunks == 1 ? f(dw) : new float[wSize];
      int accOff = chunks == 1 ? off(dw) : 0;
      float[] col = u.isIdentity() ? null : Sgemm.scratch(1, g.inChannels * u.taps * u.outVolume);
      int n0 = CpuThreads.from(g.batch, chunks, c);
      int n1 = CpuThreads.from(g.batch, chunks, c + 1);
      for (int n = n0; n < n1; n++) {
        int xOff = off(x) + n * g.inChannels * u.inVolume;
        float[] src = col;
        int srcOff = 0;
        if (col == null) {
          src = X;
          srcOff = xOff;
        } else {
          u.unfold(X, xOff, col);
        }
        for (int gi = 0; gi < g.groups; gi++) {
          // dW_g (coutG x rows) += dy_g (coutG x P) @ col_g^T (P x rows)
          mm(!split, false, true, coutG, rows, u.outVolume, DY, off(dy) + (n * g.outChannels + gi * coutG) * u.outVolume,
              src, srcOff + gi * rows * u.outVolume, n == n0 ? 0f : 1f, acc, accOff + gi * coutG * rows);
        }
      }
      partial[c] = acc;
    });
    if (chunks == 1) return;
    float[] DW = f(dw);
    int o = off(dw);
    System.arraycopy(partial[0], 0, DW, o, wSize);
    for (int c = 1; c < chunks; c++) {
      float[] p = partial[c];
      for (int i = 0; i < wSize; i++) DW[o + i] += p[i];
    }
  }

  /** Samples {@code [0, batch)}: split over the threads, or all on this one (whose GEMMs then split). */
  private void overSamples(int batch, boolean split, CpuThreads.IntRangeBody body) {
    if (split) threads.forRange(batch, 1, body);
    else body.run(0, batch);
  }

  /** A contiguous product {@code C = op(A) op(B) + beta C}; over the threads when {@code parallel}. */
  private void mm(boolean parallel, boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    if (parallel) gemm.gemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, n);
    else gemm.serial(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, n);
  }

  // ------------------------------------------------------------------ pooling

  @Override
  public void pool(PoolGeometry g, Tensor x, Tensor y) {
    if (!f32(x, y)) {
      super.pool(g, x, y);
      return;
    }
    float[] X = f(x);
    float[] Y = f(y);
    if (MaxPool2d.applies(g)) {
      MaxPool2d mp = new MaxPool2d(g);
      threads.forRange(g.batch * g.channels, 4, (c0, c1) -> {
        for (int c = c0; c < c1; c++) mp.forward(gemm.kernel(), X, off(x) + c * mp.inPlane, Y, off(y) + c * mp.outPlane);
      });
      return;
    }
    Pool2 p = new Pool2(g);
    threads.forRange(g.batch * g.channels, 4, (c0, c1) -> {
      for (int c = c0; c < c1; c++) p.forward(X, off(x) + c * p.inPlane, Y, off(y) + c * p.outPlane);
    });
  }

  @Override
  public void poolBackward(PoolGeometry g, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    if (!f32(x, y, dy, dx)) {
      super.poolBackward(g, x, y, dy, dx);
      return;
    }
    float[] X = f(x);
    float[] DY = f(dy);
    float[] DX = f(dx);
    if (MaxPool2d.applies(g)) {
      MaxPool2d mp = new MaxPool2d(g);
      float[] Y = f(y);
      threads.forRange(g.batch * g.channels, 4, (c0, c1) -> {
        for (int c = c0; c < c1; c++) {
          int dxOff = off(dx) + c * mp.inPlane;
          Arrays.fill(DX, dxOff, dxOff + mp.inPlane, 0f);
          mp.backward(gemm.kernel(), X, off(x) + c * mp.inPlane, Y, off(y) + c * mp.outPlane, DY, off(dy) + c * mp.outPlane,
              DX, dxOff);
        }
      });
      return;
    }
    Pool2 p = new Pool2(g);
    threads.forRange(g.batch * g.channels, 4, (c0, c1) -> {
      for (int c = c0; c < c1; c++) {
        int dxOff = off(dx) + c * p.inPlane;
        Arrays.fill(DX, dxOff, dxOff + p.inPlane, 0f);
        p.backward(X, off(x) + c * p.inPlane, DY, off(dy) + c * p.outPlane, DX, dxOff);
      }
    });
  }

  /** Pooling of one (sample, channel) plane on float arrays, 3 spatial axes canonical. */
  private static final class Pool2 {
    final PoolGeometry.Mode mode;
    final int[] in;
    final int[] out;
    final int[] k;
    final int[] s;
    final int[] p;
    final int[] d;
    final int inPlane;
    final int outPlane;

    Pool2(PoolGeometry g) {
      mode = g.mode;
      in = to3(g.inSize, 1);
      out = to3(g.outSize, 1);
      k = to3(g.kernel, 1);
      s = to3(g.stride, 1);
      p = to3(g.padding, 0);
      d = to3(g.dilation, 1);
      inPlane = in[0] * in[1] * in[2];
      outPlane = out[0] * out[1] * out[2];
    }

    /** Pools one plane of x into one plane of y. */
    void forward(float[] x, int xOff, float[] y, int yOff) {
      int o = yOff;
      for (int od = 0; od < out[0]; od++) {
        for (int oh = 0; oh < out[1]; oh++) {
          for (int ow = 0; ow < out[2]; ow++) {
            if (mode == PoolGeometry.Mode.MAX) {
              int at = argmax(x, xOff, od, oh, ow);
              y[o++] = at < 0 ? Float.NEGATIVE_INFINITY : x[at];
            } else {
              y[o++] = (float) (windowSum(x, xOff, od, oh, ow) / divisor(od, oh, ow));
            }
          }
        }
      }
    }

    void backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
      int o = dyOff;
      for (int od = 0; od < out[0]; od++) {
        for (int oh = 0; oh < out[1]; oh++) {
          for (int ow = 0; ow < out[2]; ow++) {
            float g = dy[o++];
            if (mode == PoolGeometry.Mode.MAX) {
              int at = argmax(x, xOff, od, oh, ow);
              if (at >= 0) dx[dxOff + (at - xOff)] += g;
            } else {
              float share = (float) (g / divisor(od, oh, ow));
              int d0 = od * s[0] - p[0];
              int h0 = oh * s[1] - p[1];
              int w0 = ow * s[2] - p[2];
              for (int id = Math.max(0, d0); id < Math.min(in[0], d0 + k[0]); id++) {
                for (int ih = Math.max(0, h0); ih < Math.min(in[1], h0 + k[1]); ih++) {
                  int row = dxOff + (id * in[1] + ih) * in[2];
                  for (int iw = Math.max(0, w0); iw < Math.min(in[2], w0 + k[2]); iw++) dx[row + iw] += share;
                }
              }
            }
          }
        }
      }
    }

    /** Absolute index of the window's first maximum in x, -1 for an empty window. */
    private int argmax(float[] x, int xOff, int od, int oh, int ow) {
      int best = -1;
      float bestValue = Float.NEGATIVE_INFINITY;
      for (int kd = 0; kd < k[0]; kd++) {
        int id = od * s[0] - p[0] + kd * d[0];
        if (id < 0 || id >= in[0]) continue;
        for (int kh = 0; kh < k[1]; kh++) {
          int ih = oh * s[1] - p[1] + kh * d[1];
          if (ih < 0 || ih >= in[1]) continue;
          int row = xOff + (id * in[1] + ih) * in[2];
          for (int kw = 0; kw < k[2]; kw++) {
            int iw = ow * s[2] - p[2] + kw * d[2];
            if (iw < 0 || iw >= in[2]) continue;
            float v = x[row + iw];
            if (best < 0 || v > bestValue || Float.isNaN(v)) {
              best = row + iw;
              bestValue = v;
              if (Float.isNaN(v)) return best;
            }
          }
        }
      }
      return best;
    }

    private double windowSum(float[] x, int xOff, int od, int oh, int ow) {
      double sum = 0;
      int d0 = od * s[0] - p[0];
      int h0 = oh * s[1] - p[1];
      int w0 = ow * s[2] - p[2];
      for (int id = Math.max(0, d0); id < Math.min(in[0], d0 + k[0]); id++) {
        for (int ih = Math.max(0, h0); ih < Math.min(in[1], h0 + k[1]); ih++) {
          int row = xOff + (id * in[1] + ih) * in[2];
          for (int iw = Math.max(0, w0); iw < Math.min(in[2], w0 + k[2]); iw++) sum += x[row + iw];
        }
      }
      return sum;
    }

    // As the reference: with padding counted, the window clipped to the padded input.
    private int divisor(int od, int oh, int ow) {
      int[] o = {od, oh, ow};
      int padded = 1;
      int inside = 1;
      for (int a = 0; a < 3; a++) {
        int start = o[a] * s[a] - p[a];
        padded *= Math.min(start + k[a], in[a] + p[a]) - start;
        inside *= Math.min(start + k[a], in[a]) - Math.max(start, 0);
      }
      return mode == PoolGeometry.Mode.AVG_INCLUDE_PAD ? padded : inside;
    }
  }

  // ------------------------------------------------------------------ activations, softmax

  @Override
  public void activation(Activation a, Tensor x, Tensor y) {
    if (!f32(x, y)) {
      super.activation(a, x, y);
      return;
    }
    float[] X = f(x);
    float[] Y = f(y);
    int xo = off(x);
    int yo = off(y);
    threads.forRange(n(x), GRAIN, (i0, i1) -> {
      switch (a.kind()) {
        case RELU:
          gemm.kernel().relu(X, xo + i0, Y, yo + i0, i1 - i0);
          break;
        case SIGMOID:
          for (int i = i0; i < i1; i++) Y[yo + i] = (float) (1 / (1 + Math.exp(-X[xo + i])));
          break;
        case TANH:
          for (int i = i0; i < i1; i++) Y[yo + i] = (float) Math.tanh(X[xo + i]);
          break;
        default: // the reference formula, element by element
          for (int i = i0; i < i1; i++) Y[yo + i] = (float) activate(a, X[xo + i]);
      }
    });
  }

  @Override
  public void activationBackward(Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    if (!f32(x, y, dy, dx)) {
      super.activationBackward(a, x, y, dy, dx);
      return;
    }
    float[] X = f(x);
    float[] Y = f(y);
    float[] DY = f(dy);
    float[] DX = f(dx);
    int xo = off(x);
    int yo = off(y);
    int go = off(dy);
    int dxo = off(dx);
    threads.forRange(n(x), GRAIN, (i0, i1) -> {
      switch (a.kind()) {
        case RELU:
          gemm.kernel().reluBackward(X, xo + i0, DY, go + i0, DX, dxo + i0, i1 - i0);
          break;
        case SIGMOID:
          for (int i = i0; i < i1; i++) DX[dxo + i] = DY[go + i] * Y[yo + i] * (1 - Y[yo + i]);
          break;
        case TANH:
          for (int i = i0; i < i1; i++) DX[dxo + i] = DY[go + i] * (1 - Y[yo + i] * Y[yo + i]);
          break;
        default:
          for (int i = i0; i < i1; i++) DX[dxo + i] = (float) (DY[go + i] * derivative(a, X[xo + i], Y[yo + i]));
      }
    });
  }

  @Override
  public void softmax(boolean log, int axis, Tensor x, Tensor y) {
    if (!f32(x, y) || x.shape().numel(axis + 1, x.rank()) != 1) {
      super.softmax(log, axis, x, y); // the last-axis case is the hot one
      return;
    }
    float[] X = f(x);
    float[] Y = f(y);
    int len = x.dim(axis);
    int rows = n(x) / Math.max(1, len);
    threads.forRange(rows, Math.max(1, GRAIN / Math.max(1, len)), (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int xb = off(x) + r * len;
        int yb = off(y) + r * len;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) max = Math.max(max, X[xb + j]);
        double sum = 0;
        for (int j = 0; j < len; j++) sum += Math.exp(X[xb + j] - max);
        double logSum = Math.log(sum);
        for (int j = 0; j < len; j++) {
          double shifted = X[xb + j] - max;
          Y[yb + j] = (float) (log ? shifted - logSum : Math.exp(shifted) / sum);
        }
      }
    });
  }

  // ------------------------------------------------------------------ element-wise, reductions

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor y) {
    if (!f32(x, y)) {
      super.unary(op, x, y);
      return;
    }
    float[] X = f(x);
    float[] Y = f(y);
    int xo = off(x);
    int yo = off(y);
    threads.forRange(n(x), GRAIN, (i0, i1) -> {
      switch (op) {
        case NEG:
          for (int i = i0; i < i1; i++) Y[yo + i] = -X[xo + i];
          break;
        case SQUARE:
          for (int i = i0; i < i1; i++) Y[yo + i] = X[xo + i] * X[xo + i];
          break;
        default:
          for (int i = i0; i < i1; i++) Y[yo + i] = (float) unaryOp(op, X[xo + i]);
      }
    });
  }

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    if (!f32(a, b, out)) {
      super.binary(op, a, b, out);
      return;
    }
    Shape os = out.shape();
    float[] A = f(a);
    float[] B = f(b);
    float[] O = f(out);
    int ao = off(a);
    int bo = off(b);
    int oo = off(out);
    if (a.shape().equals(os) && b.shape().equals(os)) {
      threads.forRange(n(out), GRAIN, (i0, i1) -> combine(op, A, ao + i0, B, bo + i0, O, oo + i0, i1 - i0));
      return;
    }
    // Broadcasting seen as (outer, mid, inner): a has the full shape and b varies along the mid
    // part only (a scalar, a per-channel bias (1, C, 1, 1), a row vector (F)...).
    int[] split = middleRun(os, b.shape());
    if (!a.shape().equals(os) || split == null) {
      super.binary(op, a, b, out);
      return;
    }
    int outer = split[0];
    int mid = split[1];
    int inner = split[2];
    if (inner == 1) {
      threads.forRange(outer, Math.max(1, GRAIN / Math.max(1, mid)), (r0, r1) -> {
        for (int r = r0; r < r1; r++) combine(op, A, ao + r * mid, B, bo, O, oo + r * mid, mid);
      });
    } else {
      threads.forRange(outer * mid, Math.max(1, GRAIN / inner), (r0, r1) -> {
        for (int r = r0; r < r1; r++) fillOp(op, A, ao + r * inner, B[bo + r % mid], O, oo + r * inner, inner);
      });
    }
  }

  private static void combine(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
    switch (op) {
      case ADD: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; break;
      case SUB: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; break;
      case MUL: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; break;
      case DIV: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; break;
      default: for (int i = 0; i < n; i++) o[oo + i] = (float) binaryOp(op, a[ao + i], b[bo + i]);
    }
  }

  private void fillOp(BinaryOp op, float[] a, int ao, float s, float[] o, int oo, int n) {
    switch (op) {
      case ADD: gemm.kernel().addScalar(a, ao, s, o, oo, n); break; // the bias add: vectorised
      // (C2 leaves this two-array loop scalar)
      case SUB: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - s; break;
      case MUL: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * s; break;
      case DIV: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / s; break;
      default: for (int i = 0; i < n; i++) o[oo + i] = (float) binaryOp(op, a[ao + i], s);
    }
  }

  @Override
  public void binaryScalar(BinaryOp op, Tensor a, double s, Tensor out) {
    if (!f32(a, out)) {
      super.binaryScalar(op, a, s, out);
      return;
    }
    float[] A = f(a);
    float[] O = f(out);
    int ao = off(a);
    int oo = off(out);
    float fs = (float) s;
    if (op == BinaryOp.POW || op == BinaryOp.DIV) { // keep the double formula of the reference
      threads.forRange(n(a), GRAIN, (i0, i1) -> {
        for (int i = i0; i < i1; i++) O[oo + i] = (float) binaryOp(op, A[ao + i], s);
      });
      return;
    }
    threads.forRange(n(a), GRAIN, (i0, i1) -> fillOp(op, A, ao + i0, fs, O, oo + i0, i1 - i0));
  }

  /**
   * The double sum of {@code n} floats in four independent running sums: one chain of double
   * adds waits out the add's latency on every element (a bias gradient over LeNet's C1 output
   * took a quarter of a millisecond). Fixed order, so still deterministic.
   */
  private static double sum(float[] x, int from, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += x[from + i];
      s1 += x[from + i + 1];
      s2 += x[from + i + 2];
      s3 += x[from + i + 3];
    }
    for (; i < n; i++) s0 += x[from + i];
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void reduce(ReduceOp op, Tensor x, int[] axes, Tensor out) {
    int[] split = f32(x, out) ? middleRun(x.shape(), out.shape()) : null;
    if (split == null) {
      super.reduce(op, x, axes, out);
      return;
    }
    // x seen as (outer, mid, inner) with out of shape (mid): reduce over outer and inner.
    int outer = split[0];
    int mid = split[1];
    int inner = split[2];
    float[] X = f(x);
    float[] O = f(out);
    int xo = off(x);
    int oo = off(out);
    double count = (double) outer * inner;
    threads.forRange(mid, 1, (m0, m1) -> {
      for (int m = m0; m < m1; m++) {
        double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (int o = 0; o < outer; o++) {
          int base = xo + (o * mid + m) * inner;
          if (op == ReduceOp.MAX) {
            for (int i = 0; i < inner; i++) {
              float v = X[base + i];
              if (v > acc || Float.isNaN(v)) acc = v;
            }
          } else {
            acc += sum(X, base, inner);
          }
        }
        O[oo + m] = (float) (op == ReduceOp.MEAN ? acc / count : acc);
      }
    });
  }

  // ------------------------------------------------------------------ data movement (F32 fast paths)

  @Override
  public void permute(Tensor x, int[] axes, Tensor y) {
    if (!f32(x, y)) {
      super.permute(x, axes, y);
      return;
    }
    CpuMovement.permute(f(x), off(x), x.shape(), axes, f(y), off(y));
  }

  @Override
  public void narrow(Tensor x, int axis, int start, Tensor y) {
    if (!f32(x, y)) {
      super.narrow(x, axis, start, y);
      return;
    }
    CpuMovement.window(f(x), off(x), x.shape(), axis, start, y.dim(axis), f(y), off(y), true);
  }

  @Override
  public void narrowAssign(Tensor src, int axis, int start, Tensor dst) {
    if (!f32(src, dst)) {
      super.narrowAssign(src, axis, start, dst);
      return;
    }
    CpuMovement.window(f(dst), off(dst), dst.shape(), axis, start, src.dim(axis), f(src), off(src), false);
  }


  // ------------------------------------------------------------------ normalisation
  // (F32 loops in CpuNormalization; other dtypes run the reference. The capabilities are the
  // reference's, inherited: every group falls back to it where there is no fast path.)

  @Override
  public void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    if (!f32(x, weight, bias, y, batchMean, batchInvStd)) {
      super.batchNormTraining(x, weight, bias, eps, y, batchMean, batchInvStd);
      return;
    }
    CpuNormalization.batchNormTraining(x, weight, bias, eps, y, batchMean, batchInvStd);
  }

  @Override
  public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    if (!f32(x, weight, bias, runningMean, runningVar, y)) {
      super.batchNormInference(x, weight, bias, runningMean, runningVar, eps, y);
      return;
    }
    CpuNormalization.batchNormInference(x, weight, bias, runningMean, runningVar, eps, y);
  }

  @Override
  public void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    if (!f32(x, weight, dy, batchMean, batchInvStd, dx, dWeight, dBias)) {
      super.batchNormBackward(x, weight, dy, batchMean, batchInvStd, dx, dWeight, dBias);
      return;
    }
    CpuNormalization.batchNormBackward(x, weight, dy, batchMean, batchInvStd, dx, dWeight, dBias);
  }

  @Override
  public void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    if (!f32(x, y)) {
      super.lrn(size, alpha, beta, k, x, y);
      return;
    }
    CpuNormalization.lrn(size, alpha, beta, k, x, y);
  }

  @Override
  public void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    if (!f32(x, y, dy, dx)) {
      super.lrnBackward(size, alpha, beta, k, x, y, dy, dx);
      return;
    }
    CpuNormalization.lrnBackward(size, alpha, beta, k, x, y, dy, dx);
  }
}
