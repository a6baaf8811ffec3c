// JNI library for org.jdnn.cuda.EmulatedGpu: jdnn_kernels.cu compiled for the host (see emu.h),
// each kernel callable by name with a parameter buffer laid out as CUDA lays out kernel
// parameters (each argument at its natural alignment) on a grid of blocks x threads, plus raw
// memory helpers. Tests only.
#include "emu.h"
#include "../../main/cuda/jdnn_kernels.cu"

#include <jni.h>

#include <cstring>
#include <map>
#include <string>
#include <tuple>

template <class T> static T take(const char *buf, size_t &off) {
  off = (off + alignof(T) - 1) / alignof(T) * alignof(T);
  T v;
  std::memcpy(&v, buf + off, sizeof(T));
  off += sizeof(T);
  return v;
}

template <class... A> static void call(void (*f)(A...), const char *buf) {
  size_t off = 0;
  std::tuple<A...> args{take<A>(buf, off)...};  // braced lists evaluate left to right
  std::apply(f, args);
}

typedef void (*Launcher)(const char *);
#define K(name) {#name, [](const char *b) { call(name, b); }}
#define KT(base) K(base##_f32), K(base##_f64)
#define KB(base) K(base##_b8), K(base##_b32), K(base##_b64)
#define KCONV(s) K(convert_##s##_f32), K(convert_##s##_f64), K(convert_##s##_i32), K(convert_##s##_i64), K(convert_##s##_u8)

static const std::map<std::string, Launcher> &kernels() {
  static const std::map<std::string, Launcher> m = {
      KCONV(f32), KCONV(f64), KCONV(i32), KCONV(i64), KCONV(u8),
      K(fill_b8), K(fill_b32), K(fill_b64),
      KT(rand_uniform), KT(rand_normal), KT(rand_bernoulli),
      KT(unary), KT(scalar), KT(binary), KT(act_forward), KT(act_backward),
      KT(reduce), KT(argmax), KT(pool_forward), KT(pool_backward),
      KB(permute), KB(window), KB(where), KB(pad), KT(pad_backward),
      KT(pool_indices), K(unpool_winner), KB(unpool_scatter), KB(unpool_backward),
      KT(adaptive_forward), KT(adaptive_argmax), KT(adaptive_backward), KT(upsample_forward), KT(upsample_backward),
      K(scalar_i32), K(scalar_i64), K(scalar_u8),
      KT(bn_training), KT(bn_inference), KT(bn_backward), KT(lrn_forward), KT(lrn_backward),
      K(one_hot_i32_f32), K(one_hot_i64_f32), K(one_hot_u8_f32), K(one_hot_i32_f64), K(one_hot_i64_f64),
      K(one_hot_u8_f64)};
  return m;
}

extern "C" JNIEXPORT jboolean JNICALL Java_org_jdnn_cuda_EmulatedGpu_launch0(JNIEnv *env, jclass, jstring name,
                                                                            jbyteArray params, jint blocks,
                                                                            jint threads) {
  const char *n = env->GetStringUTFChars(name, nullptr);
  std::string k(n);
  env->ReleaseStringUTFChars(name, n);
  auto it = kernels().find(k);
  if (it == kernels().end()) return JNI_FALSE;
  jsize len = env->GetArrayLength(params);
  std::string buf((size_t) len + 64, '\0');
  env->GetByteArrayRegion(params, 0, len, reinterpret_cast<jbyte *>(&buf[0]));
  Launcher run = it->second;
  const char *args = buf.data();
  jdnn_emu_run((unsigned) blocks, (unsigned) threads, [run, args] { run(args); });
  return JNI_TRUE;
}

extern "C" JNIEXPORT jint JNICALL Java_org_jdnn_cuda_EmulatedGpu_kernelCount0(JNIEnv *, jclass) {
  return (jint) kernels().size();
}

extern "C" JNIEXPORT jlong JNICALL Java_org_jdnn_cuda_EmulatedGpu_address0(JNIEnv *env, jclass, jobject buffer) {
  return (jlong) env->GetDirectBufferAddress(buffer);
}
