// Runs one kernel of jdnn_kernels.cu on the host (see emu.h). Reads from stdin:
//   KERNEL_NAME
//   I n i1 ... in      integer arguments (ints and struct fields, in the kernel's order)
//   D n d1 ... dn      double arguments
//   A n v1 ... vn      each input array, in the kernel's order (as many as the kernel reads)
//   O n                the output's element count
// and prints the output, one value per line (floating point in C's %a, NaN and Infinity spelled
// as Java parses them).
#include "emu.h"
#include "../../main/cuda/jdnn_kernels.cu"

#include <cstdio>
#include <cstring>
#include <type_traits>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

static std::vector<long long> ints;
static std::vector<double> dbls;
static std::vector<std::vector<std::string>> arrays;
static long long outCount;

static void fail(const std::string &m) {
  std::fprintf(stderr, "emu: %s\n", m.c_str());
  std::exit(2);
}

static void readInput() {
  std::string tag;
  long long n;
  while (std::cin >> tag >> n) {
    if (tag == "I") {
      for (long long i = 0; i < n; i++) { std::string s; std::cin >> s; ints.push_back(std::strtoll(s.c_str(), 0, 10)); }
    } else if (tag == "D") {
      for (long long i = 0; i < n; i++) { std::string s; std::cin >> s; dbls.push_back(std::strtod(s.c_str(), 0)); }
    } else if (tag == "A") {
      std::vector<std::string> a((size_t) n);
      for (long long i = 0; i < n; i++) std::cin >> a[(size_t) i];
      arrays.push_back(a);
    } else if (tag == "O") {
      outCount = n;
    } else {
      fail("unknown tag " + tag);
    }
  }
}

template <class T> static T parse(const std::string &s) {
  if (std::is_floating_point<T>::value) return (T) std::strtod(s.c_str(), 0);
  return (T) std::strtoll(s.c_str(), 0, 10);
}

template <class T> static std::vector<T> arr(size_t k) {
  if (k >= arrays.size()) fail("missing input array " + std::to_string(k));
  std::vector<T> v(arrays[k].size());
  for (size_t i = 0; i < v.size(); i++) v[i] = parse<T>(arrays[k][i]);
  return v;
}

static void print(double v) {
  if (std::isnan(v)) std::printf("NaN\n");
  else if (std::isinf(v)) std::printf(v > 0 ? "Infinity\n" : "-Infinity\n");
  else std::printf("%a\n", v);
}
static void print(float v) { print((double) v); }
static void print(int v) { std::printf("%d\n", v); }
static void print(long long v) { std::printf("%lld\n", v); }
static void print(unsigned char v) { std::printf("%d\n", (int) v); }

template <class T> static void printAll(const std::vector<T> &v) {
  for (const T &x : v) print(x);
}

static long long L(size_t i) {
  if (i >= ints.size()) fail("missing integer argument " + std::to_string(i));
  return ints[i];
}
static double Dv(size_t i) {
  if (i >= dbls.size()) fail("missing double argument " + std::to_string(i));
  return dbls[i];
}



#define CONVERT_CASE(sn, S, dn, D) \
  if (k == "convert_" #sn "_" #dn) { std::vector<S> x = arr<S>(0); std::vector<D> y(x.size()); \
    convert_##sn##_##dn(x.data(), y.data(), (i64) x.size()); printAll(y); return 0; }
#define CONVERT_FROM_CASES(sn, S) CONVERT_CASE(sn, S, f32, float) CONVERT_CASE(sn, S, f64, double) \
  CONVERT_CASE(sn, S, i32, int) CONVERT_CASE(sn, S, i64, long long) CONVERT_CASE(sn, S, u8, unsigned char)

#define FLOAT_CASES(tn, T) \
  if (k == "rand_uniform_" #tn || k == "rand_normal_" #tn) { std::vector<T> y((size_t) outCount); \
    if (k[5] == 'u') rand_uniform_##tn(y.data(), outCount, (u64) L(0), Dv(0), Dv(1)); \
    else rand_normal_##tn(y.data(), outCount, (u64) L(0), Dv(0), Dv(1)); printAll(y); return 0; } \
  if (k == "rand_bernoulli_" #tn) { std::vector<T> y((size_t) outCount); \
    rand_bernoulli_##tn(y.data(), outCount, (u64) L(0), Dv(0)); printAll(y); return 0; } \
  if (k == "unary_" #tn) { std::vector<T> x = arr<T>(0); std::vector<T> y(x.size()); \
    unary_##tn((int) L(0), x.data(), y.data(), (i64) x.size()); printAll(y); return 0; } \
  if (k == "scalar_" #tn) { std::vector<T> x = arr<T>(0); std::vector<T> y(x.size()); \
    scalar_##tn((int) L(0), x.data(), y.data(), (i64) x.size(), Dv(0)); printAll(y); return 0; } \
  if (k == "binary_" #tn) { std::vector<T> a = arr<T>(0), b = arr<T>(1); std::vector<T> y((size_t) outCount); \
    Bcast p; std::vector<long long> s(ints.begin() + 1, ints.end()); \
    if (s.size() != sizeof(Bcast) / 8) fail("Bcast needs 25 longs"); std::memcpy(&p, s.data(), sizeof p); \
    binary_##tn((int) L(0), a.data(), b.data(), y.data(), outCount, p); printAll(y); return 0; } \
  if (k == "reduce_" #tn) { std::vector<T> x = arr<T>(0); std::vector<T> y((size_t) outCount); \
    Red p; std::vector<long long> s(ints.begin() + 1, ints.end()); \
    if (s.size() != sizeof(Red) / 8) fail("Red needs 36 longs"); std::memcpy(&p, s.data(), sizeof p); \
    reduce_##tn((int) L(0), x.data(), y.data(), p); printAll(y); return 0; } \
  if (k == "argmax_" #tn) { std::vector<T> x = arr<T>(0); std::vector<long long> y((size_t) outCount); \
    argmax_##tn(x.data(), y.data(), L(0), L(1), L(2)); printAll(y); return 0; } \
  if (k == "pool_forward_" #tn || k == "pool_backward_" #tn) { Pool g; std::vector<int> s(ints.begin(), ints.end()); \
    if (s.size() != sizeof(Pool) / 4) fail("Pool needs 20 ints"); std::memcpy(&g, s.data(), sizeof g); \
    std::vector<T> x = arr<T>(0); std::vector<T> y((size_t) outCount); \
    if (k[5] == 'f') pool_forward_##tn(g, x.data(), y.data()); \
    else { std::vector<T> dy = arr<T>(1); pool_backward_##tn(g, x.data(), dy.data(), y.data()); } \
    printAll(y); return 0; } \
  if (k == "act_forward_" #tn) { std::vector<T> x = arr<T>(0); std::vector<T> y(x.size()); \
    act_forward_##tn((int) L(0), Dv(0), Dv(1), x.data(), y.data(), (i64) x.size()); printAll(y); return 0; } \
  if (k == "act_backward_" #tn) { std::vector<T> x = arr<T>(0), y = arr<T>(1), dy = arr<T>(2); \
    std::vector<T> dx(x.size()); act_backward_##tn((int) L(0), Dv(0), Dv(1), x.data(), y.data(), dy.data(), dx.data(), \
    (i64) x.size()); printAll(dx); return 0; }

#define ONE_HOT_CASE(ln, Lt, tn, T) \
  if (k == "one_hot_" #ln "_" #tn) { std::vector<Lt> l = arr<Lt>(0); std::vector<T> y(l.size() * (size_t) L(0)); \
    one_hot_##ln##_##tn(l.data(), y.data(), (i64) l.size(), L(0)); printAll(y); return 0; }

#define FILL_CASE(bn, T) \
  if (k == "fill_" #bn) { std::vector<T> y((size_t) outCount); fill_##bn(y.data(), outCount, (T) L(0)); \
    for (T v : y) std::printf("%llu\n", (unsigned long long) v); return 0; }

#include <cstring>

int main() {
  std::string k;
  std::cin >> k;
  readInput();
  CONVERT_FROM_CASES(f32, float)
  CONVERT_FROM_CASES(f64, double)
  CONVERT_FROM_CASES(i32, int)
  CONVERT_FROM_CASES(i64, long long)
  CONVERT_FROM_CASES(u8, unsigned char)
  FLOAT_CASES(f32, float)
  FLOAT_CASES(f64, double)
  ONE_HOT_CASE(i32, int, f32, float)
  ONE_HOT_CASE(i64, long long, f32, float)
  ONE_HOT_CASE(u8, unsigned char, f32, float)
  ONE_HOT_CASE(i32, int, f64, double)
  ONE_HOT_CASE(i64, long long, f64, double)
  ONE_HOT_CASE(u8, unsigned char, f64, double)
  FILL_CASE(b8, unsigned char)
  FILL_CASE(b32, unsigned int)
  FILL_CASE(b64, unsigned long long)
  fail("unknown kernel " + k);
}
