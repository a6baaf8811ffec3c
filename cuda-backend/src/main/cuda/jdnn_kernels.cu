// jdnn's own CUDA kernels: everything the SPI needs that cuDNN and cuBLAS do not provide, or do
// not provide with the reference semantics of org.jdnn.cpu.NaiveBackend (the definition every
// backend is tested against). Compiled ahead of time to PTX by scripts/cuda/build-ptx.sh and
// shipped as the resource org/jdnn/cuda/jdnn_kernels.ptx; org.jdnn.cuda.Kernels lists the entry
// points and their parameters, and a unit test checks the two agree.
//
// Conventions: n and indices are 64-bit; 1-d kernels use grid-stride loops, so any grid size is
// correct. F32 results are computed in double and rounded once, as the reference does. The file is
// compiled with -fmad=false so that double arithmetic rounds exactly as Java's does (the random
// number formulas are bit-for-bit those of org.jdnn.tensor.Generator).

#include <stdint.h>

typedef long long i64;
typedef unsigned long long u64;
typedef unsigned char u8;

#define MAXR 8

#define GRID_STRIDE(i, n) for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
                               i += (i64) blockDim.x * gridDim.x)

// ------------------------------------------------------------------ conversions (Backend.copy)

// Java's casts: float to integer truncates toward zero and saturates (NaN gives 0), as PTX's
// cvt.rzi does; to U8 through long, (byte) (long) v; integers narrow by dropping high bits;
// integers widen to F32 through double, as NaiveBackend's Buf.get/set do.
template <class D> struct Conv;
template <> struct Conv<float> {
  __device__ static float from(float v) { return v; }
  __device__ static float from(double v) { return (float) v; }
  __device__ static float from(int v) { return (float) (double) v; }
  __device__ static float from(i64 v) { return (float) (double) v; }
  __device__ static float from(u8 v) { return (float) v; }
};
template <> struct Conv<double> {
  __device__ static double from(float v) { return (double) v; }
  __device__ static double from(double v) { return v; }
  __device__ static double from(int v) { return (double) v; }
  __device__ static double from(i64 v) { return (double) v; }
  __device__ static double from(u8 v) { return (double) v; }
};
template <> struct Conv<int> {
  __device__ static int from(float v) { return (int) (double) v; }
  __device__ static int from(double v) { return (int) v; }
  __device__ static int from(int v) { return v; }
  __device__ static int from(i64 v) { return (int) v; }
  __device__ static int from(u8 v) { return (int) v; }
};
template <> struct Conv<i64> {
  __device__ static i64 from(float v) { return (i64) (double) v; }
  __device__ static i64 from(double v) { return (i64) v; }
  __device__ static i64 from(int v) { return (i64) v; }
  __device__ static i64 from(i64 v) { return v; }
  __device__ static i64 from(u8 v) { return (i64) v; }
};
template <> struct Conv<u8> {
  __device__ static u8 from(float v) { return (u8) (i64) (double) v; }
  __device__ static u8 from(double v) { return (u8) (i64) v; }
  __device__ static u8 from(int v) { return (u8) v; }
  __device__ static u8 from(i64 v) { return (u8) v; }
  __device__ static u8 from(u8 v) { return v; }
};

template <class S, class D>
__device__ void convert(const S *x, D *y, i64 n) {
  GRID_STRIDE(i, n) y[i] = Conv<D>::from(x[i]);
}

#define CONVERT(sn, S, dn, D) \
  extern "C" __global__ void convert_##sn##_##dn(const S *x, D *y, i64 n) { convert<S, D>(x, y, n); }
#define CONVERT_FROM(sn, S) \
  CONVERT(sn, S, f32, float) CONVERT(sn, S, f64, double) CONVERT(sn, S, i32, int) \
  CONVERT(sn, S, i64, i64) CONVERT(sn, S, u8, u8)
CONVERT_FROM(f32, float)
CONVERT_FROM(f64, double)
CONVERT_FROM(i32, int)
CONVERT_FROM(i64, i64)
CONVERT_FROM(u8, u8)

// ------------------------------------------------------------------ fill (bit patterns from Java)

extern "C" __global__ void fill_b8(u8 *y, i64 n, u8 v) { GRID_STRIDE(i, n) y[i] = v; }
extern "C" __global__ void fill_b32(unsigned int *y, i64 n, unsigned int v) { GRID_STRIDE(i, n) y[i] = v; }
extern "C" __global__ void fill_b64(u64 *y, i64 n, u64 v) { GRID_STRIDE(i, n) y[i] = v; }

// ------------------------------------------------------------------ random (org.jdnn.tensor.Generator)

__device__ __forceinline__ u64 mix(u64 z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Generator.uniform: (mix(seed + mix(index + 0x632BE59BD9B4E019)) >>> 11) * 2^-53
__device__ __forceinline__ double uniform01(u64 seed, u64 index) {
  return (double) (mix(seed + mix(index + 0x632BE59BD9B4E019ULL)) >> 11) * 0x1.0p-53;
}

// Generator.normal: Box-Muller on uniforms 2i and 2i+1.
__device__ __forceinline__ double normal01(u64 seed, u64 index) {
  double u1 = uniform01(seed, 2 * index);
  double u2 = uniform01(seed, 2 * index + 1);
  return sqrt(-2 * log1p(-u1)) * cos(2 * 3.141592653589793 * u2);
}

template <class T>
__device__ void rand_uniform(T *y, i64 n, u64 seed, double low, double high) {
  GRID_STRIDE(i, n) y[i] = (T) (low + (high - low) * uniform01(seed, (u64) i));
}
template <class T>
__device__ void rand_normal(T *y, i64 n, u64 seed, double mean, double std) {
  GRID_STRIDE(i, n) y[i] = (T) (mean + std * normal01(seed, (u64) i));
}
template <class T>
__device__ void rand_bernoulli(T *y, i64 n, u64 seed, double p) {
  GRID_STRIDE(i, n) y[i] = uniform01(seed, (u64) i) < p ? (T) 1 : (T) 0;
}

#define RANDOM(tn, T) \
  extern "C" __global__ void rand_uniform_##tn(T *y, i64 n, u64 seed, double a, double b) { \
    rand_uniform<T>(y, n, seed, a, b); } \
  extern "C" __global__ void rand_normal_##tn(T *y, i64 n, u64 seed, double a, double b) { \
    rand_normal<T>(y, n, seed, a, b); } \
  extern "C" __global__ void rand_bernoulli_##tn(T *y, i64 n, u64 seed, double p) { \
    rand_bernoulli<T>(y, n, seed, p); }
RANDOM(f32, float)
RANDOM(f64, double)

// ------------------------------------------------------------------ element-wise

// UnaryOp, in enum order: NEG EXP LOG SQRT ABS SIGN SQUARE RECIPROCAL
__device__ __forceinline__ double unary_op(int op, double x) {
  switch (op) {
    case 0: return -x;
    case 1: return exp(x);
    case 2: return log(x);
    case 3: return sqrt(x);
    case 4: return fabs(x);
    case 5: return x > 0 ? 1.0 : x < 0 ? -1.0 : x;  // Math.signum: keeps 0, -0 and NaN
    case 6: return x * x;
    default: return 1 / x;
  }
}

// BinaryOp, in enum order: ADD SUB MUL DIV MAX MIN POW EQ NE LT LE GT GE; MAX and MIN propagate
// NaN as Java's Math does; comparisons give 1 or 0 with IEEE semantics (NaN equals nothing).
__device__ __forceinline__ double binary_op(int op, double a, double b) {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return isnan(a) || isnan(b) ? nan("") : fmax(a, b);
    case 5: return isnan(a) || isnan(b) ? nan("") : fmin(a, b);
    case 6: return pow(a, b);
    case 7: return a == b ? 1.0 : 0.0;
    case 8: return a != b ? 1.0 : 0.0;
    case 9: return a < b ? 1.0 : 0.0;
    case 10: return a <= b ? 1.0 : 0.0;
    case 11: return a > b ? 1.0 : 0.0;
    default: return a >= b ? 1.0 : 0.0;
  }
}

template <class T>
__device__ void unary(int op, const T *x, T *y, i64 n) {
  GRID_STRIDE(i, n) y[i] = (T) unary_op(op, (double) x[i]);
}

// Also on integer tensors (BatchNorm's I64 num_batches_tracked counter is one): computed in
// double and cast back as the reference's Buf does (Java's casts, see Conv).
template <class T>
__device__ void scalar(int op, const T *x, T *y, i64 n, double s) {
  GRID_STRIDE(i, n) y[i] = Conv<T>::from(binary_op(op, (double) x[i], s));
}

// Broadcasting: the output's (collapsed) shape and each operand's element stride per axis, 0
// where the operand is broadcast. Planned in Java by org.jdnn.cuda.BroadcastPlan.
struct Bcast {
  i64 rank;
  i64 shape[MAXR];
  i64 sa[MAXR];
  i64 sb[MAXR];
};

template <class T>
__device__ void binary(int op, const T *a, const T *b, T *y, i64 n, Bcast p) {
  GRID_STRIDE(i, n) {
    i64 rem = i, ia = 0, ib = 0;
    for (int d = (int) p.rank - 1; d >= 0; d--) {
      i64 c = rem % p.shape[d];
      rem /= p.shape[d];
      ia += c * p.sa[d];
      ib += c * p.sb[d];
    }
    y[i] = (T) binary_op(op, (double) a[ia], (double) b[ib]);
  }
}

#define ELEMENTWISE(tn, T) \
  extern "C" __global__ void unary_##tn(int op, const T *x, T *y, i64 n) { unary<T>(op, x, y, n); } \
  extern "C" __global__ void scalar_##tn(int op, const T *x, T *y, i64 n, double s) { scalar<T>(op, x, y, n, s); } \
  extern "C" __global__ void binary_##tn(int op, const T *a, const T *b, T *y, i64 n, Bcast p) { \
    binary<T>(op, a, b, y, n, p); }
ELEMENTWISE(f32, float)
ELEMENTWISE(f64, double)

#define SCALAR_INTEGER(tn, T) \
  extern "C" __global__ void scalar_##tn(int op, const T *x, T *y, i64 n, double s) { scalar<T>(op, x, y, n, s); }
SCALAR_INTEGER(i32, int)
SCALAR_INTEGER(i64, i64)
SCALAR_INTEGER(u8, u8)

// ------------------------------------------------------------------ activations (reference formulas)

// Every activation of the SPI by NaiveBackend's formulas, in double; the CORE ones (ReLU, sigmoid,
// tanh) also by cuDNN unless jdnn.cuda.activations=jdnn. kind: Activation.Kind order, RELU RELU6
// LEAKY_RELU ELU SELU SIGMOID TANH SOFTPLUS SOFTSIGN HARDTANH GELU; alpha and beta as the SPI's
// descriptor stores them. ReLU keeps NaN, so do ReLU6 and hardtanh; derivatives at the kinks are
// PyTorch's (0 at ReLU's 0 and at the ends of the clamps); backward multiplies dy by the
// derivative exactly as the reference does (so 0 * inf is NaN). GELU is exact: x * Phi(x) with
// Phi from erf, written as the reference writes it.
#define ACT_RELU 0
#define ACT_RELU6 1
#define ACT_LEAKY_RELU 2
#define ACT_ELU 3
#define ACT_SELU 4
#define ACT_SIGMOID 5
#define ACT_TANH 6
#define ACT_SOFTPLUS 7
#define ACT_SOFTSIGN 8
#define ACT_HARDTANH 9
#define ACT_GELU 10

__device__ __forceinline__ double normal_cdf(double x) { return 0.5 * (1 + erf(x / sqrt(2.0))); }

__device__ __forceinline__ double normal_pdf(double x) {
  return exp(-0.5 * x * x) / sqrt(2 * 3.141592653589793);
}

__device__ __forceinline__ double act(int kind, double alpha, double beta, double x) {
  switch (kind) {
    case ACT_RELU: return x > 0 || isnan(x) ? x : 0.0;
    case ACT_RELU6:
    case ACT_HARDTANH: {
      double lo = kind == ACT_RELU6 ? 0.0 : alpha;
      if (isnan(x)) return x;
      double v = x < lo ? lo : x;
      return v > beta ? beta : v;
    }
    case ACT_LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ACT_ELU: return x > 0 ? x : alpha * expm1(x);
    case ACT_SELU: return beta * (x > 0 ? x : alpha * expm1(x));
    case ACT_SIGMOID: return 1 / (1 + exp(-x));
    case ACT_TANH: return tanh(x);
    case ACT_SOFTPLUS: return alpha * x > beta ? x : log1p(exp(alpha * x)) / alpha;
    case ACT_SOFTSIGN: return x / (1 + fabs(x));
    default: return x * normal_cdf(x);  // ACT_GELU
  }
}

__device__ __forceinline__ double act_derivative(int kind, double alpha, double beta, double x, double y) {
  switch (kind) {
    case ACT_RELU: return x > 0 ? 1.0 : 0.0;
    case ACT_RELU6: return x > 0 && x < beta ? 1.0 : 0.0;
    case ACT_HARDTANH: return x > alpha && x < beta ? 1.0 : 0.0;
    case ACT_LEAKY_RELU: return x > 0 ? 1.0 : alpha;
    case ACT_ELU: return x > 0 ? 1.0 : alpha * exp(x);
    case ACT_SELU: return beta * (x > 0 ? 1.0 : alpha * exp(x));
    case ACT_SIGMOID: return y * (1 - y);
    case ACT_TANH: return 1 - y * y;
    case ACT_SOFTPLUS: {
      double z = alpha * x;
      return z > beta ? 1.0 : 1 / (1 + exp(-z));
    }
    case ACT_SOFTSIGN: {
      double d = 1 + fabs(x);
      return 1 / (d * d);
    }
    default: return normal_cdf(x) + x * normal_pdf(x);  // ACT_GELU
  }
}

template <class T>
__device__ void act_forward(int kind, double alpha, double beta, const T *x, T *y, i64 n) {
  GRID_STRIDE(i, n) y[i] = (T) act(kind, alpha, beta, (double) x[i]);
}

template <class T>
__device__ void act_backward(int kind, double alpha, double beta, const T *x, const T *y, const T *dy, T *dx,
                             i64 n) {
  GRID_STRIDE(i, n) {
    dx[i] = (T) ((double) dy[i] * act_derivative(kind, alpha, beta, (double) x[i], (double) y[i]));
  }
}

#define ACTIVATIONS(tn, T) \
  extern "C" __global__ void act_forward_##tn(int kind, double alpha, double beta, const T *x, T *y, i64 n) { \
    act_forward<T>(kind, alpha, beta, x, y, n); } \
  extern "C" __global__ void act_backward_##tn(int kind, double alpha, double beta, const T *x, const T *y, \
                                               const T *dy, T *dx, i64 n) { \
    act_backward<T>(kind, alpha, beta, x, y, dy, dx, n); }
ACTIVATIONS(f32, float)
ACTIVATIONS(f64, double)

// ------------------------------------------------------------------ reductions

// Output element o has "kept" coordinates; its inputs run over the "reduced" coordinates. Both
// lists give sizes and input strides (planned by org.jdnn.cuda.ReducePlan). One block per output;
// each thread sums a strided share in double, then a tree in shared memory. Deterministic.
struct Red {
  i64 keptRank;
  i64 kept[MAXR];
  i64 keptStride[MAXR];
  i64 redRank;
  i64 red[MAXR];
  i64 redStride[MAXR];
  i64 redCount;
  i64 outCount;
};

#define RED_THREADS 256

__device__ __forceinline__ double max_nan(double a, double b) {
  return isnan(a) ? a : (isnan(b) || b > a) ? b : a;
}

// op: 0 SUM, 1 MEAN, 2 MAX (ReduceOp order)
template <class T>
__device__ void reduce(int op, const T *x, T *y, Red p) {
  __shared__ double part[RED_THREADS];
  for (i64 o = blockIdx.x; o < p.outCount; o += gridDim.x) {
    i64 rem = o, base = 0;
    for (int d = (int) p.keptRank - 1; d >= 0; d--) {
      base += (rem % p.kept[d]) * p.keptStride[d];
      rem /= p.kept[d];
    }
    double acc = op == 2 ? -INFINITY : 0.0;
    for (i64 r = threadIdx.x; r < p.redCount; r += blockDim.x) {
      i64 rr = r, off = base;
      for (int d = (int) p.redRank - 1; d >= 0; d--) {
        off += (rr % p.red[d]) * p.redStride[d];
        rr /= p.red[d];
      }
      double v = (double) x[off];
      acc = op == 2 ? max_nan(acc, v) : acc + v;
    }
    part[threadIdx.x] = acc;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) {
        double a = part[threadIdx.x], b = part[threadIdx.x + s];
        part[threadIdx.x] = op == 2 ? max_nan(a, b) : a + b;
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      double r = part[0];
      if (op == 1) r /= (double) p.redCount;
      y[o] = (T) r;
    }
    __syncthreads();
  }
}

// argmax along an axis of a tensor seen as (outer, len, inner): the first maximum; NaN counts as
// the maximum, and the first NaN wins.
template <class T>
__device__ void argmax(const T *x, i64 *y, i64 outer, i64 len, i64 inner) {
  GRID_STRIDE(i, outer * inner) {
    i64 o = i / inner, in = i % inner;
    const T *row = x + o * len * inner + in;
    i64 best = 0;
    double bv = (double) row[0];
    for (i64 j = 1; j < len && !isnan(bv); j++) {
      double v = (double) row[j * inner];
      if (v > bv || isnan(v)) {
        best = j;
        bv = v;
      }
    }
    y[i] = best;
  }
}

#define REDUCTIONS(tn, T) \
  extern "C" __global__ void reduce_##tn(int op, const T *x, T *y, Red p) { reduce<T>(op, x, y, p); } \
  extern "C" __global__ void argmax_##tn(const T *x, i64 *y, i64 outer, i64 len, i64 inner) { \
    argmax<T>(x, y, outer, len, inner); }
REDUCTIONS(f32, float)
REDUCTIONS(f64, double)

// ------------------------------------------------------------------ one-hot

template <class L, class T>
__device__ void one_hot(const L *labels, T *y, i64 n, i64 classes) {
  GRID_STRIDE(i, n * classes) {
    i64 label = (i64) labels[i / classes];
    y[i] = label == i % classes ? (T) 1 : (T) 0;
  }
}

#define ONE_HOT(ln, L, tn, T) \
  extern "C" __global__ void one_hot_##ln##_##tn(const L *labels, T *y, i64 n, i64 classes) { \
    one_hot<L, T>(labels, y, n, classes); }
ONE_HOT(i32, int, f32, float)
ONE_HOT(i64, i64, f32, float)
ONE_HOT(u8, u8, f32, float)
ONE_HOT(i32, int, f64, double)
ONE_HOT(i64, i64, f64, double)
ONE_HOT(u8, u8, f64, double)

// ------------------------------------------------------------------ pooling (reference semantics)

// A pooling problem padded to 3 spatial axes (leading sizes 1), as NaiveBackend sees it.
// mode: 0 MAX, 1 AVG_INCLUDE_PAD, 2 AVG_EXCLUDE_PAD (PoolGeometry.Mode order).
struct Pool {
  int mode;
  int nc;
  int in[3];
  int out[3];
  int k[3];
  int s[3];
  int p[3];
  int d[3];
};

// The window of output (od, oh, ow) in plane nc: first maximum (NaN wins) or sum, and divisor.
template <class T>
__device__ void window(const Pool &g, const T *x, i64 nc, int od, int oh, int ow, i64 *argIdx, double *value,
                       int *divisor) {
  int start[3] = {od * g.s[0] - g.p[0], oh * g.s[1] - g.p[1], ow * g.s[2] - g.p[2]};
  int padded = 1;
  for (int a = 0; a < 3; a++) {
    int end = min(start[a] + (g.k[a] - 1) * g.d[a] + 1, g.in[a] + g.p[a]);
    padded *= end - start[a];
  }
  i64 plane = (i64) g.in[0] * g.in[1] * g.in[2];
  int count = 0;
  double best = -INFINITY, sum = 0;
  i64 bestIdx = -1, firstIdx = -1;
  bool done = false;
  for (int kd = 0; kd < g.k[0] && !done; kd++) {
    int id = start[0] + kd * g.d[0];
    if (id < 0 || id >= g.in[0]) continue;
    for (int kh = 0; kh < g.k[1] && !done; kh++) {
      int ih = start[1] + kh * g.d[1];
      if (ih < 0 || ih >= g.in[1]) continue;
      for (int kw = 0; kw < g.k[2]; kw++) {
        int iw = start[2] + kw * g.d[2];
        if (iw < 0 || iw >= g.in[2]) continue;
        i64 idx = nc * plane + ((i64) id * g.in[1] + ih) * g.in[2] + iw;
        double v = (double) x[idx];
        count++;
        if (g.mode == 0) {
          if (firstIdx < 0) firstIdx = idx;
          if (v > best || isnan(v)) {
            best = v;
            bestIdx = idx;
            if (isnan(v)) { done = true; break; }
          }
        } else {
          sum += v;
        }
      }
    }
  }
  if (bestIdx < 0) bestIdx = firstIdx;  // every value -infinity: the first one, as the reference
  *argIdx = bestIdx;
  *value = g.mode == 0 ? (count == 0 ? -INFINITY : (double) x[bestIdx]) : sum;
  *divisor = g.mode == 1 ? padded : count;
}

template <class T>
__device__ void pool_forward(Pool g, const T *x, T *y) {
  i64 total = (i64) g.nc * g.out[0] * g.out[1] * g.out[2];
  GRID_STRIDE(i, total) {
    i64 r = i;
    int ow = (int) (r % g.out[2]); r /= g.out[2];
    int oh = (int) (r % g.out[1]); r /= g.out[1];
    int od = (int) (r % g.out[0]); r /= g.out[0];
    i64 arg;
    double v;
    int div;
    window<T>(g, x, r, od, oh, ow, &arg, &v, &div);
    y[i] = (T) (g.mode == 0 ? v : v / div);
  }
}

// dx gathered per input element over the windows that contain it: no atomics, deterministic.
template <class T>
__device__ void pool_backward(Pool g, const T *x, const T *dy, T *dx) {
  i64 total = (i64) g.nc * g.in[0] * g.in[1] * g.in[2];
  GRID_STRIDE(i, total) {
    i64 r = i;
    int iw = (int) (r % g.in[2]); r /= g.in[2];
    int ih = (int) (r % g.in[1]); r /= g.in[1];
    int id = (int) (r % g.in[0]); r /= g.in[0];
    i64 nc = r;
    i64 outPlane = (i64) g.out[0] * g.out[1] * g.out[2];
    double acc = 0;
    for (int kd = 0; kd < g.k[0]; kd++) {
      int td = id + g.p[0] - kd * g.d[0];
      if (td < 0 || td % g.s[0] != 0 || td / g.s[0] >= g.out[0]) continue;
      int od = td / g.s[0];
      for (int kh = 0; kh < g.k[1]; kh++) {
        int th = ih + g.p[1] - kh * g.d[1];
        if (th < 0 || th % g.s[1] != 0 || th / g.s[1] >= g.out[1]) continue;
        int oh = th / g.s[1];
        for (int kw = 0; kw < g.k[2]; kw++) {
          int tw = iw + g.p[2] - kw * g.d[2];
          if (tw < 0 || tw % g.s[2] != 0 || tw / g.s[2] >= g.out[2]) continue;
          int ow = tw / g.s[2];
          i64 o = nc * outPlane + ((i64) od * g.out[1] + oh) * g.out[2] + ow;
          i64 arg;
          double v;
          int div;
          window<T>(g, x, nc, od, oh, ow, &arg, &v, &div);
          if (g.mode == 0) {
            if (arg == i) acc += (double) dy[o];
          } else if (div > 0) {
            acc += (double) dy[o] / div;
          }
        }
      }
    }
    dx[i] = (T) acc;
  }
}

#define POOLING(tn, T) \
  extern "C" __global__ void pool_forward_##tn(Pool g, const T *x, T *y) { pool_forward<T>(g, x, y); } \
  extern "C" __global__ void pool_backward_##tn(Pool g, const T *x, const T *dy, T *dx) { \
    pool_backward<T>(g, x, dy, dx); }
POOLING(f32, float)
POOLING(f64, double)

// ------------------------------------------------------------------ data movement (Capability.DATA_MOVEMENT)

// Copies move bit patterns, so one kernel per element width serves every dtype: b8 (U8), b32 (F32,
// I32) and b64 (F64, I64). Each output element is written by exactly one thread.
typedef unsigned int u32;

// permute: the output's (merged) shape and, per output axis, the input's element stride. Planned
// in Java by org.jdnn.cuda.PermutePlan.
struct Perm {
  i64 rank;
  i64 shape[MAXR];
  i64 stride[MAXR];
};

template <class T>
__device__ void permute(const T *x, T *y, i64 n, Perm p) {
  GRID_STRIDE(i, n) {
    i64 rem = i, src = 0;
    for (int d = (int) p.rank - 1; d >= 0; d--) {
      src += (rem % p.shape[d]) * p.stride[d];
      rem /= p.shape[d];
    }
    y[i] = x[src];
  }
}

// A window of a tensor seen as (outer, len, inner): dst[o, dstStart + j, :] = src[o, srcStart + j, :]
// for j < len. narrow: src is the big tensor; narrowAssign: dst is, and the rest of it is kept.
template <class T>
__device__ void copy_window(const T *src, T *dst, i64 outer, i64 len, i64 inner, i64 srcLen, i64 srcStart,
                            i64 dstLen, i64 dstStart) {
  GRID_STRIDE(i, outer * len * inner) {
    i64 in = i % inner, r = i / inner;
    i64 j = r % len, o = r / len;
    dst[(o * dstLen + dstStart + j) * inner + in] = src[(o * srcLen + srcStart + j) * inner + in];
  }
}

// where: y = cond != 0 ? a : b under broadcasting of all three (cond is operand 0, a 1, b 2).
// The unselected operand is never read, so a NaN in it cannot leak. condKind: 0 U8, 1 I32, 2 I64,
// 3 F32, 4 F64; a floating cond is nonzero unless it is +-0 (NaN counts as nonzero), as the
// reference's cond != 0.
struct Bcast3 {
  i64 rank;
  i64 shape[MAXR];
  i64 s0[MAXR];
  i64 s1[MAXR];
  i64 s2[MAXR];
};

__device__ __forceinline__ bool nonzero(int kind, const void *cond, i64 i) {
  switch (kind) {
    case 0: return ((const u8 *) cond)[i] != 0;
    case 1: return ((const int *) cond)[i] != 0;
    case 2: return ((const i64 *) cond)[i] != 0;
    case 3: return ((const float *) cond)[i] != 0;
    default: return ((const double *) cond)[i] != 0;
  }
}

template <class T>
__device__ void where(int condKind, const void *cond, const T *a, const T *b, T *y, i64 n, Bcast3 p) {
  GRID_STRIDE(i, n) {
    i64 rem = i, ic = 0, ia = 0, ib = 0;
    for (int d = (int) p.rank - 1; d >= 0; d--) {
      i64 c = rem % p.shape[d];
      rem /= p.shape[d];
      ic += c * p.s0[d];
      ia += c * p.s1[d];
      ib += c * p.s2[d];
    }
    y[i] = nonzero(condKind, cond, ic) ? a[ia] : b[ib];
  }
}

#define MOVEMENT(bn, T) \
  extern "C" __global__ void permute_##bn(const T *x, T *y, i64 n, Perm p) { permute<T>(x, y, n, p); } \
  extern "C" __global__ void window_##bn(const T *src, T *dst, i64 outer, i64 len, i64 inner, i64 srcLen, \
                                         i64 srcStart, i64 dstLen, i64 dstStart) { \
    copy_window<T>(src, dst, outer, len, inner, srcLen, srcStart, dstLen, dstStart); } \
  extern "C" __global__ void where_##bn(int condKind, const void *cond, const T *a, const T *b, T *y, i64 n, \
                                        Bcast3 p) { \
    where<T>(condKind, cond, a, b, y, n, p); }
MOVEMENT(b8, u8)
MOVEMENT(b32, u32)
MOVEMENT(b64, u64)

// ------------------------------------------------------------------ padding (Capability.PADDING)

// pad of the last k axes of a tensor seen as (outer, in[0], ..., in[k-1]); planned in Java by
// org.jdnn.cuda.PadPlan, which also checks what each mode needs (reflect: pad < size; circular:
// pad <= size; replicate and circular: size > 0). mode: PadMode order, CONSTANT REFLECT REPLICATE
// CIRCULAR.
struct Pad {
  i64 k;
  i64 outer;
  i64 in[MAXR];
  i64 out[MAXR];
  i64 before[MAXR];
  i64 after[MAXR];
};

// The input coordinate that output coordinate u (relative to the input's start) copies, or -1 for
// the constant: NaiveBackend.padSource.
__device__ __forceinline__ i64 pad_source(int mode, i64 u, i64 size) {
  if (u >= 0 && u < size) return u;
  switch (mode) {
    case 0: return -1;
    case 1: return u < 0 ? -u : 2 * (size - 1) - u;
    case 2: return u < 0 ? 0 : size - 1;
    default: return ((u % size) + size) % size;
  }
}

// Forward, one thread per output element; value is the constant's bit pattern in T.
template <class T>
__device__ void pad_forward(int mode, const T *x, T *y, i64 n, T value, Pad p) {
  GRID_STRIDE(i, n) {
    i64 rem = i, src = 0, stride = 1;
    bool constant = false;
    for (int a = (int) p.k - 1; a >= 0; a--) {
      i64 c = pad_source(mode, rem % p.out[a] - p.before[a], p.in[a]);
      rem /= p.out[a];
      if (c < 0) constant = true;
      src += c * stride;
      stride *= p.in[a];
    }
    y[i] = constant ? value : x[rem * stride + src];
  }
}

// The output coordinates (relative to the input's start, u = o - before) whose source along one
// axis is c, in increasing order: an optional point p0, the range [lo, hi), an optional point p1.
// These are all of them given the checks above: reflect mirrors once (-c in front, 2(size-1) - c
// behind), circular wraps at most once (c - size, c + size), replicate's edges own the whole pad.
struct PadSources {
  i64 p0, lo, hi, p1;
  bool has0, has1;
};

__device__ __forceinline__ PadSources pad_sources(int mode, i64 c, i64 size, i64 before, i64 after) {
  PadSources s = {0, c, c + 1, 0, false, false};
  switch (mode) {
    case 1:  // REFLECT
      s.has0 = c >= 1 && c <= before;
      s.p0 = -c;
      s.p1 = 2 * (size - 1) - c;
      s.has1 = c <= size - 2 && s.p1 < size + after;
      break;
    case 2:  // REPLICATE
      if (c == 0) s.lo = -before;
      if (c == size - 1) s.hi = size + after;
      break;
    case 3:  // CIRCULAR
      s.p0 = c - size;
      s.has0 = s.p0 >= -before;
      s.p1 = c + size;
      s.has1 = s.p1 < size + after;
      break;
    default:  // CONSTANT: the copy only
      break;
  }
  return s;
}

__device__ __forceinline__ i64 pad_count(const PadSources &s) {
  return (s.has0 ? 1 : 0) + (s.hi - s.lo) + (s.has1 ? 1 : 0);
}

__device__ __forceinline__ i64 pad_nth(const PadSources &s, i64 j) {
  if (s.has0) {
    if (j == 0) return s.p0;
    j--;
  }
  return j < s.hi - s.lo ? s.lo + j : s.p1;
}

// Backward as a gather, one thread per input element: the sum of dy over every output element
// that copied it, visited in increasing output order (the reference's order), in double. No
// atomics: deterministic.
template <class T>
__device__ void pad_backward(int mode, const T *dy, T *dx, i64 n, Pad p) {
  GRID_STRIDE(i, n) {
    PadSources s[MAXR];
    i64 cnt[MAXR], idx[MAXR];
    i64 rem = i, total = 1;
    for (int a = (int) p.k - 1; a >= 0; a--) {
      i64 c = rem % p.in[a];
      rem /= p.in[a];
      s[a] = pad_sources(mode, c, p.in[a], p.before[a], p.after[a]);
      cnt[a] = pad_count(s[a]);
      idx[a] = 0;
      total *= cnt[a];
    }
    double acc = 0;
    for (i64 t = 0; t < total; t++) {
      i64 o = rem;  // the outer index, then the output coordinates, row-major
      for (int a = 0; a < (int) p.k; a++) o = o * p.out[a] + pad_nth(s[a], idx[a]) + p.before[a];
      acc += (double) dy[o];
      for (int a = (int) p.k - 1; a >= 0; a--) {  // odometer: the last axis fastest
        if (++idx[a] < cnt[a]) break;
        idx[a] = 0;
      }
    }
    dx[i] = (T) acc;
  }
}

#define PADDING_COPY(bn, T) \
  extern "C" __global__ void pad_##bn(int mode, const T *x, T *y, i64 n, u64 value, Pad p) { \
    pad_forward<T>(mode, x, y, n, (T) value, p); }
PADDING_COPY(b8, u8)
PADDING_COPY(b32, u32)
PADDING_COPY(b64, u64)

#define PADDING(tn, T) \
  extern "C" __global__ void pad_backward_##tn(int mode, const T *dy, T *dx, i64 n, Pad p) { \
    pad_backward<T>(mode, dy, dx, n, p); }
PADDING(f32, float)
PADDING(f64, double)

// ------------------------------------------------------------------ unpooling (Capability.UNPOOLING)

// Max pooling that also writes, per output, the index of its window's first maximum within the
// (n, c) plane of the input (PyTorch's return_indices): the same window scan as pool_forward.
template <class T>
__device__ void pool_indices(Pool g, const T *x, T *y, i64 *indices) {
  i64 total = (i64) g.nc * g.out[0] * g.out[1] * g.out[2];
  i64 plane = (i64) g.in[0] * g.in[1] * g.in[2];
  GRID_STRIDE(i, total) {
    i64 r = i;
    int ow = (int) (r % g.out[2]); r /= g.out[2];
    int oh = (int) (r % g.out[1]); r /= g.out[1];
    int od = (int) (r % g.out[0]); r /= g.out[0];
    i64 arg;
    double v;
    int div;
    window<T>(g, x, r, od, oh, ow, &arg, &v, &div);
    y[i] = (T) v;
    indices[i] = arg - r * plane;
  }
}

#define UNPOOL_INDICES(tn, T) \
  extern "C" __global__ void pool_indices_##tn(Pool g, const T *x, T *y, i64 *indices) { \
    pool_indices<T>(g, x, y, indices); }
UNPOOL_INDICES(f32, float)
UNPOOL_INDICES(f64, double)

// unpool: y is zero but y[p].flat[indices[p, i]] = x[p, i] in each of the `planes` planes. When
// several inputs name the same output the reference's last write wins, i.e. the largest i; so the
// scatter runs in two passes, deterministic for any thread order: the largest i per output by an
// integer atomicMax into `winner` (filled with -1 first), then each input writes only where it
// won. Indices outside [0, outPlane) are skipped (core checks them before the call).
extern "C" __global__ void unpool_winner(const i64 *indices, int *winner, i64 planes, i64 inPlane, i64 outPlane) {
  GRID_STRIDE(i, planes * inPlane) {
    i64 t = indices[i];
    if (t >= 0 && t < outPlane) atomicMax(&winner[(i / inPlane) * outPlane + t], (int) (i % inPlane));
  }
}

template <class T>
__device__ void unpool_scatter(const T *x, const i64 *indices, const int *winner, T *y, i64 planes, i64 inPlane,
                               i64 outPlane) {
  GRID_STRIDE(i, planes * inPlane) {
    i64 t = indices[i];
    if (t < 0 || t >= outPlane) continue;
    i64 at = (i / inPlane) * outPlane + t;
    if (winner[at] == (int) (i % inPlane)) y[at] = x[i];
  }
}

// unpool's gradient, a gather: dx[p, i] = dy[p].flat[indices[p, i]] (zero for an index outside).
template <class T>
__device__ void unpool_backward(const T *dy, const i64 *indices, T *dx, i64 planes, i64 inPlane, i64 outPlane) {
  GRID_STRIDE(i, planes * inPlane) {
    i64 t = indices[i];
    dx[i] = t >= 0 && t < outPlane ? dy[(i / inPlane) * outPlane + t] : (T) 0;
  }
}

#define UNPOOL(bn, T) \
  extern "C" __global__ void unpool_scatter_##bn(const T *x, const i64 *indices, const int *winner, T *y, \
                                                 i64 planes, i64 inPlane, i64 outPlane) { \
    unpool_scatter<T>(x, indices, winner, y, planes, inPlane, outPlane); } \
  extern "C" __global__ void unpool_backward_##bn(const T *dy, const i64 *indices, T *dx, i64 planes, \
                                                  i64 inPlane, i64 outPlane) { \
    unpool_backward<T>(dy, indices, dx, planes, inPlane, outPlane); }
UNPOOL(b8, u8)
UNPOOL(b32, u32)
UNPOOL(b64, u64)

// ------------------------------------------------------------------ adaptive pooling and upsampling

// (N, C, *in) to (N, C, *out) with 1 to 3 spatial axes, padded to 3 on the left with size 1;
// planned in Java by org.jdnn.cuda.SpatialPlan. planes = N * C.
struct Spatial {
  i64 planes;
  i64 in[3];
  i64 out[3];
};

__device__ __forceinline__ void spatial_coords(i64 i, const i64 *size, i64 *c) {
  c[2] = i % size[2]; i /= size[2];
  c[1] = i % size[1]; i /= size[1];
  c[0] = i % size[0];
}

// PyTorch's adaptive window along one axis: [floor(o * in / out), ceil((o + 1) * in / out)).
__device__ __forceinline__ i64 adaptive_start(i64 o, i64 in, i64 out) { return o * in / out; }
__device__ __forceinline__ i64 adaptive_end(i64 o, i64 in, i64 out) { return ((o + 1) * in + out - 1) / out; }

// Output o's window in plane nc: the flat index of its first maximum (NaN wins; all -infinity: the
// first element), or its sum and element count.
template <class T>
__device__ void adaptive_window(const Spatial &p, const T *x, i64 nc, const i64 *o, bool max, i64 *arg, double *sum,
                                i64 *count) {
  i64 s[3], e[3];
  for (int a = 0; a < 3; a++) {
    s[a] = adaptive_start(o[a], p.in[a], p.out[a]);
    e[a] = adaptive_end(o[a], p.in[a], p.out[a]);
  }
  i64 base = nc * p.in[0] * p.in[1] * p.in[2];
  double best = -INFINITY, acc = 0;
  i64 bestIdx = -1, first = -1;
  bool done = false;
  for (i64 d = s[0]; d < e[0] && !done; d++) {
    for (i64 h = s[1]; h < e[1] && !done; h++) {
      for (i64 w = s[2]; w < e[2]; w++) {
        i64 idx = base + (d * p.in[1] + h) * p.in[2] + w;
        double v = (double) x[idx];
        if (max) {
          if (first < 0) first = idx;
          if (v > best || isnan(v)) {
            best = v;
            bestIdx = idx;
            if (isnan(v)) { done = true; break; }
          }
        } else {
          acc += v;
        }
      }
    }
  }
  *arg = bestIdx < 0 ? first : bestIdx;
  *sum = acc;
  *count = (e[0] - s[0]) * (e[1] - s[1]) * (e[2] - s[2]);
}

template <class T>
__device__ void adaptive_forward(int max, const T *x, T *y, Spatial p) {
  i64 outVol = p.out[0] * p.out[1] * p.out[2];
  GRID_STRIDE(i, p.planes * outVol) {
    i64 o[3], arg, count;
    double sum;
    spatial_coords(i % outVol, p.out, o);
    adaptive_window<T>(p, x, i / outVol, o, max != 0, &arg, &sum, &count);
    y[i] = max ? x[arg] : (T) (sum / (double) count);
  }
}

// Max pooling's backward needs each output's argmax: computed once here, read by the gather.
template <class T>
__device__ void adaptive_argmax(const T *x, i64 *arg, Spatial p) {
  i64 outVol = p.out[0] * p.out[1] * p.out[2];
  GRID_STRIDE(i, p.planes * outVol) {
    i64 o[3], count;
    double sum;
    spatial_coords(i % outVol, p.out, o);
    adaptive_window<T>(p, x, i / outVol, o, true, &arg[i], &sum, &count);
  }
}

// Backward as a gather, one thread per input element, over the outputs whose windows hold it
// (a contiguous range per axis), in increasing output order as the reference adds them: max
// takes dy where the element is the output's argmax, average dy / the window's count. No atomics.
template <class T>
__device__ void adaptive_backward(int max, const i64 *arg, const T *dy, T *dx, Spatial p) {
  i64 inVol = p.in[0] * p.in[1] * p.in[2];
  i64 outVol = p.out[0] * p.out[1] * p.out[2];
  GRID_STRIDE(i, p.planes * inVol) {
    i64 c[3], lo[3], hi[3];
    i64 nc = i / inVol;
    spatial_coords(i % inVol, p.in, c);
    for (int a = 0; a < 3; a++) {
      lo[a] = c[a] * p.out[a] / p.in[a];  // the first o with end(o) > c
      hi[a] = min(((c[a] + 1) * p.out[a] + p.in[a] - 1) / p.in[a], p.out[a]);  // past the last o with start(o) <= c
    }
    double acc = 0;
    for (i64 od = lo[0]; od < hi[0]; od++) {
      for (i64 oh = lo[1]; oh < hi[1]; oh++) {
        for (i64 ow = lo[2]; ow < hi[2]; ow++) {
          i64 o[3] = {od, oh, ow};
          i64 count = 1;
          bool inside = true;
          for (int a = 0; a < 3; a++) {
            i64 s = adaptive_start(o[a], p.in[a], p.out[a]), e = adaptive_end(o[a], p.in[a], p.out[a]);
            inside = inside && s <= c[a] && c[a] < e;
            count *= e - s;
          }
          if (!inside) continue;
          i64 at = nc * outVol + (od * p.out[1] + oh) * p.out[2] + ow;
          if (max) {
            if (arg[at] == i) acc += (double) dy[at];
          } else {
            acc += (double) dy[at] / (double) count;
          }
        }
      }
    }
    dx[i] = (T) acc;
  }
}

// Upsampling: per axis, output o reads input i0 with weight w0 and i1 with w1, computed in float
// exactly as NaiveBackend.AxisInterp (PyTorch's area_pixel_compute_source_index for F32; -fmad=false
// keeps each product and sum rounded as Java rounds it). NEAREST: floor(o * in/out), one tap.
struct Taps {
  i64 i0, i1;
  float w0, w1;
};

__device__ __forceinline__ Taps axis_taps(int nearest, int align, i64 in, i64 out, i64 o) {
  Taps t;
  if (nearest) {
    float scale = (float) in / (float) out;
    t.i0 = t.i1 = min((i64) floorf((float) o * scale), in - 1);
    t.w0 = 1.0f;
    t.w1 = 0.0f;
    return t;
  }
  float scale = align ? (out > 1 ? (float) (in - 1) / (float) (out - 1) : 0.0f) : (float) in / (float) out;
  float src = align ? scale * (float) o : fmaxf(scale * ((float) o + 0.5f) - 0.5f, 0.0f);
  i64 lo = (i64) src;
  t.i0 = lo;
  t.i1 = lo + (lo < in - 1 ? 1 : 0);
  t.w1 = src - (float) lo;
  t.w0 = 1.0f - t.w1;
  return t;
}

template <class T>
__device__ void upsample_forward(int nearest, int align, const T *x, T *y, Spatial p) {
  i64 outVol = p.out[0] * p.out[1] * p.out[2];
  int taps = nearest ? 1 : 2;
  GRID_STRIDE(i, p.planes * outVol) {
    i64 o[3];
    spatial_coords(i % outVol, p.out, o);
    Taps t[3];
    for (int a = 0; a < 3; a++) t[a] = axis_taps(nearest, align, p.in[a], p.out[a], o[a]);
    const T *plane = x + (i / outVol) * p.in[0] * p.in[1] * p.in[2];
    double acc = 0;
    for (int td = 0; td < taps; td++) {
      i64 id = td == 0 ? t[0].i0 : t[0].i1;
      double wd = td == 0 ? t[0].w0 : t[0].w1;
      for (int th = 0; th < taps; th++) {
        i64 ih = th == 0 ? t[1].i0 : t[1].i1;
        double wh = th == 0 ? t[1].w0 : t[1].w1;
        for (int tw = 0; tw < taps; tw++) {
          i64 iw = tw == 0 ? t[2].i0 : t[2].i1;
          double ww = tw == 0 ? t[2].w0 : t[2].w1;
          acc += wd * wh * ww * (double) plane[(id * p.in[1] + ih) * p.in[2] + iw];
        }
      }
    }
    y[i] = (T) acc;
  }
}

// The first output o along an axis whose first tap i0(o) is >= target; i0 is non-decreasing in o
// (each step of axis_taps is monotone), so a binary search finds it.
__device__ __forceinline__ i64 first_tap_at_least(int nearest, int align, i64 in, i64 out, i64 target) {
  i64 lo = 0, hi = out;
  while (lo < hi) {
    i64 mid = (lo + hi) / 2;
    if (axis_taps(nearest, align, in, out, mid).i0 < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Backward as a gather, one thread per input element: the outputs that read it have i0 = c (or
// i0 = c - 1 and i1 = c for linear), a contiguous range per axis; their weights are the forward's,
// added in the reference's order (outputs increasing, then taps). No atomics.
template <class T>
__device__ void upsample_backward(int nearest, int align, const T *dy, T *dx, Spatial p) {
  i64 inVol = p.in[0] * p.in[1] * p.in[2];
  i64 outVol = p.out[0] * p.out[1] * p.out[2];
  int taps = nearest ? 1 : 2;
  GRID_STRIDE(i, p.planes * inVol) {
    i64 c[3], lo[3];
    spatial_coords(i % inVol, p.in, c);
    for (int a = 0; a < 3; a++) lo[a] = first_tap_at_least(nearest, align, p.in[a], p.out[a], nearest ? c[a] : c[a] - 1);
    const T *plane = dy + (i / inVol) * outVol;
    double acc = 0;
    for (i64 od = lo[0]; od < p.out[0]; od++) {
      Taps td = axis_taps(nearest, align, p.in[0], p.out[0], od);
      if (td.i0 > c[0]) break;
      for (i64 oh = lo[1]; oh < p.out[1]; oh++) {
        Taps th = axis_taps(nearest, align, p.in[1], p.out[1], oh);
        if (th.i0 > c[1]) break;
        for (i64 ow = lo[2]; ow < p.out[2]; ow++) {
          Taps tw = axis_taps(nearest, align, p.in[2], p.out[2], ow);
          if (tw.i0 > c[2]) break;
          double g = (double) plane[(od * p.out[1] + oh) * p.out[2] + ow];
          for (int a = 0; a < taps; a++) {
            if ((a == 0 ? td.i0 : td.i1) != c[0]) continue;
            double wd = a == 0 ? td.w0 : td.w1;
            for (int b = 0; b < taps; b++) {
              if ((b == 0 ? th.i0 : th.i1) != c[1]) continue;
              double wh = b == 0 ? th.w0 : th.w1;
              for (int e = 0; e < taps; e++) {
                if ((e == 0 ? tw.i0 : tw.i1) != c[2]) continue;
                double ww = e == 0 ? tw.w0 : tw.w1;
                acc += wd * wh * ww * g;
              }
            }
          }
        }
      }
    }
    dx[i] = (T) acc;
  }
}

#define SPATIAL(tn, T) \
  extern "C" __global__ void adaptive_forward_##tn(int max, const T *x, T *y, Spatial p) { \
    adaptive_forward<T>(max, x, y, p); } \
  extern "C" __global__ void adaptive_argmax_##tn(const T *x, i64 *arg, Spatial p) { adaptive_argmax<T>(x, arg, p); } \
  extern "C" __global__ void adaptive_backward_##tn(int max, const i64 *arg, const T *dy, T *dx, Spatial p) { \
    adaptive_backward<T>(max, arg, dy, dx, p); } \
  extern "C" __global__ void upsample_forward_##tn(int nearest, int align, const T *x, T *y, Spatial p) { \
    upsample_forward<T>(nearest, align, x, y, p); } \
  extern "C" __global__ void upsample_backward_##tn(int nearest, int align, const T *dy, T *dx, Spatial p) { \
    upsample_backward<T>(nearest, align, dy, dx, p); }
SPATIAL(f32, float)
SPATIAL(f64, double)

// ------------------------------------------------------------------ normalisation (Capability.BATCH_NORM, LRN)

// The alternative to cuDNN's batch norm and LRN (jdnn.cuda.normalization=jdnn, and whatever
// org.jdnn.cuda.BatchNormPlan / LrnPlan do not give cuDNN): NaiveNormalization's formulas in
// double. A tensor (N, C, *) is seen as (N, C, S); element (n, c, s) is at (n*C + c)*S + s.

// The sum of v over the block's threads, returned to every thread (blockDim a power of two, at
// most RED_THREADS). A fixed tree: deterministic.
__device__ __forceinline__ double block_sum(double *part, double v) {
  part[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
    __syncthreads();
  }
  double r = part[0];
  __syncthreads();  // part is reused by the next call
  return r;
}

// Training: one block per channel. The mean and the biased variance as two passes (as the
// reference), invStd = 1/sqrt(var + eps), then y = (x - mean) * invStd * weight + bias.
template <class T>
__device__ void bn_training(const T *x, const T *w, const T *b, T *y, T *mean, T *invStd, i64 N, i64 C, i64 S,
                            double eps) {
  __shared__ double part[RED_THREADS];
  i64 M = N * S;
  for (i64 c = blockIdx.x; c < C; c += gridDim.x) {
    double acc = 0;
    for (i64 m = threadIdx.x; m < M; m += blockDim.x) acc += (double) x[((m / S) * C + c) * S + m % S];
    double mu = block_sum(part, acc) / (double) M;
    acc = 0;
    for (i64 m = threadIdx.x; m < M; m += blockDim.x) {
      double d = (double) x[((m / S) * C + c) * S + m % S] - mu;
      acc += d * d;
    }
    double inv = 1 / sqrt(block_sum(part, acc) / (double) M + eps);
    if (threadIdx.x == 0) {
      mean[c] = (T) mu;
      invStd[c] = (T) inv;
    }
    double wc = (double) w[c], bc = (double) b[c];
    for (i64 m = threadIdx.x; m < M; m += blockDim.x) {
      i64 at = ((m / S) * C + c) * S + m % S;
      y[at] = (T) (((double) x[at] - mu) * inv * wc + bc);
    }
  }
}

// Inference with the running statistics, one thread per element.
template <class T>
__device__ void bn_inference(const T *x, const T *w, const T *b, const T *runningMean, const T *runningVar, T *y,
                             i64 N, i64 C, i64 S, double eps) {
  GRID_STRIDE(i, N * C * S) {
    i64 c = (i / S) % C;
    double inv = 1 / sqrt((double) runningVar[c] + eps);
    y[i] = (T) (((double) x[i] - (double) runningMean[c]) * inv * (double) w[c] + (double) b[c]);
  }
}

// Backward from the saved statistics, one block per channel: dBias = sum dy, dWeight = sum dy *
// xhat, dx = weight * invStd * (dy - dBias/M - xhat * dWeight/M).
template <class T>
__device__ void bn_backward(const T *x, const T *w, const T *dy, const T *mean, const T *invStd, T *dx, T *dw, T *db,
                            i64 N, i64 C, i64 S) {
  __shared__ double part[RED_THREADS];
  i64 M = N * S;
  for (i64 c = blockIdx.x; c < C; c += gridDim.x) {
    double mu = (double) mean[c], inv = (double) invStd[c];
    double a1 = 0, a2 = 0;
    for (i64 m = threadIdx.x; m < M; m += blockDim.x) {
      i64 at = ((m / S) * C + c) * S + m % S;
      double g = (double) dy[at];
      a1 += g;
      a2 += g * ((double) x[at] - mu) * inv;
    }
    double sumDy = block_sum(part, a1);
    double sumDyXhat = block_sum(part, a2);
    if (threadIdx.x == 0) {
      db[c] = (T) sumDy;
      dw[c] = (T) sumDyXhat;
    }
    double scale = (double) w[c] * inv;
    for (i64 m = threadIdx.x; m < M; m += blockDim.x) {
      i64 at = ((m / S) * C + c) * S + m % S;
      double xhat = ((double) x[at] - mu) * inv;
      dx[at] = (T) (scale * ((double) dy[at] - sumDy / (double) M - xhat * sumDyXhat / (double) M));
    }
  }
}

// LRN across channels as torch.nn.LocalResponseNorm: d = k + alpha/size * sum of x^2 over the
// channels c - size/2 .. c + (size-1)/2 that exist, y = x * d^-beta.
template <class T>
__device__ __forceinline__ double lrn_den(const T *x, i64 n, i64 c, i64 s, i64 C, i64 S, int size, double alpha,
                                          double k) {
  double sum = 0;
  i64 hi = min(C - 1, c + (size - 1) / 2);
  for (i64 w = max((i64) 0, c - size / 2); w <= hi; w++) {
    double v = (double) x[(n * C + w) * S + s];
    sum += v * v;
  }
  return k + alpha / size * sum;
}

template <class T>
__device__ void lrn_forward(int size, double alpha, double beta, double k, const T *x, T *y, i64 N, i64 C, i64 S) {
  GRID_STRIDE(i, N * C * S) {
    i64 s = i % S, c = (i / S) % C, n = i / (S * C);
    y[i] = (T) ((double) x[i] * pow(lrn_den(x, n, c, s, C, S, size, alpha, k), -beta));
  }
}

// dx_j = dy_j d_j^-beta - 2 alpha beta / size * x_j * sum_c dy_c y_c / d_c over the channels c
// whose window holds j (j - (size-1)/2 .. j + size/2); a gather, one thread per element.
template <class T>
__device__ void lrn_backward(int size, double alpha, double beta, double k, const T *x, const T *y, const T *dy,
                             T *dx, i64 N, i64 C, i64 S) {
  GRID_STRIDE(i, N * C * S) {
    i64 s = i % S, j = (i / S) % C, n = i / (S * C);
    double cross = 0;
    i64 hi = min(C - 1, j + size / 2);
    for (i64 c = max((i64) 0, j - (size - 1) / 2); c <= hi; c++) {
      i64 ac = (n * C + c) * S + s;
      cross += (double) dy[ac] * (double) y[ac] / lrn_den(x, n, c, s, C, S, size, alpha, k);
    }
    double d = lrn_den(x, n, j, s, C, S, size, alpha, k);
    dx[i] = (T) ((double) dy[i] * pow(d, -beta) - 2 * alpha * beta / size * (double) x[i] * cross);
  }
}

#define NORMALIZATION(tn, T) \
  extern "C" __global__ void bn_training_##tn(const T *x, const T *w, const T *b, T *y, T *mean, T *invStd, i64 N, \
                                              i64 C, i64 S, double eps) { \
    bn_training<T>(x, w, b, y, mean, invStd, N, C, S, eps); } \
  extern "C" __global__ void bn_inference_##tn(const T *x, const T *w, const T *b, const T *rm, const T *rv, T *y, \
                                               i64 N, i64 C, i64 S, double eps) { \
    bn_inference<T>(x, w, b, rm, rv, y, N, C, S, eps); } \
  extern "C" __global__ void bn_backward_##tn(const T *x, const T *w, const T *dy, const T *mean, const T *invStd, \
                                              T *dx, T *dw, T *db, i64 N, i64 C, i64 S) { \
    bn_backward<T>(x, w, dy, mean, invStd, dx, dw, db, N, C, S); } \
  extern "C" __global__ void lrn_forward_##tn(int size, double alpha, double beta, double k, const T *x, T *y, \
                                              i64 N, i64 C, i64 S) { \
    lrn_forward<T>(size, alpha, beta, k, x, y, N, C, S); } \
  extern "C" __global__ void lrn_backward_##tn(int size, double alpha, double beta, double k, const T *x, \
                                               const T *y, const T *dy, T *dx, i64 N, i64 C, i64 S) { \
    lrn_backward<T>(size, alpha, beta, k, x, y, dy, dx, N, C, S); }
NORMALIZATION(f32, float)
NORMALIZATION(f64, double)
