// Host emulation of the CUDA constructs jdnn_kernels.cu uses.
//
// Called directly (KernelEmulationTest's emu_main.cpp), a kernel runs as one block of one thread,
// which its grid-stride loops and its shared-memory trees (a tree over one element) handle
// correctly. Through jdnn_emu_run (EmulatedGpu, via emu_jni.cpp), a kernel runs on a grid of
// several blocks, one block after the other, each block's threads as real threads: threadIdx and
// blockIdx are per thread, __shared__ arrays are shared by the block's threads, and __syncthreads
// is a barrier. That checks the kernels' index arithmetic for any grid, and the block-wide trees
// (reductions, batch norm) with more than one thread. What only a GPU shows (PTX conversion rules
// for NaN and out-of-range floats, the CUDA math library's last bits, warp scheduling) is left to
// the GPU suite.
#include <math.h>
#include <stdint.h>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
using std::max;
using std::min;

struct jdnn_emu_dim3 {
  unsigned x, y, z;
};
static thread_local jdnn_emu_dim3 threadIdx = {0, 0, 0}, blockIdx = {0, 0, 0};
static jdnn_emu_dim3 blockDim = {1, 1, 1}, gridDim = {1, 1, 1};

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

// A reusable barrier for the threads of the block that is running.
struct jdnn_emu_barrier {
  std::mutex m;
  std::condition_variable cv;
  unsigned count = 1, waiting = 0;
  unsigned long generation = 0;

  void wait() {
    std::unique_lock<std::mutex> lock(m);
    unsigned long gen = generation;
    if (++waiting == count) {
      waiting = 0;
      generation++;
      cv.notify_all();
    } else {
      cv.wait(lock, [&] { return gen != generation; });
    }
  }
};
static jdnn_emu_barrier jdnn_emu_block_barrier;

static inline void __syncthreads() {
  if (blockDim.x > 1) jdnn_emu_block_barrier.wait();
}

static std::mutex jdnn_emu_atomic_lock;

static inline int atomicMax(int *address, int value) {
  std::lock_guard<std::mutex> lock(jdnn_emu_atomic_lock);
  int old = *address;
  if (value > old) *address = value;
  return old;
}

// Runs f() as a grid of `blocks` blocks of `threads` threads: blocks in turn, threads together.
template <class F> static void jdnn_emu_run(unsigned blocks, unsigned threads, F f) {
  gridDim.x = blocks;
  blockDim.x = threads;
  jdnn_emu_block_barrier.count = threads;
  for (unsigned b = 0; b < blocks; b++) {
    if (threads == 1) {
      blockIdx.x = b;
      threadIdx.x = 0;
      f();
      continue;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; t++) {
      pool.emplace_back([&f, b, t] {
        blockIdx.x = b;
        threadIdx.x = t;
        f();
      });
    }
    for (std::thread &th : pool) th.join();
  }
  blockIdx.x = threadIdx.x = 0;
  gridDim.x = blockDim.x = 1;
  jdnn_emu_block_barrier.count = 1;
}
