// Host emulation of the CUDA constructs jdnn_kernels.cu uses, for KernelEmulationTest: every
// kernel runs as one block of one thread, which its grid-stride loops and its shared-memory tree
// (a tree over one element) handle correctly. This checks the kernels' arithmetic and indexing on
// the CPU; what only a GPU shows (PTX conversion rules for NaN and out-of-range floats, the CUDA
// math library's last bits, real concurrency) is left to the GPU suite.
#include <math.h>
#include <stdint.h>
#include <algorithm>
using std::max;
using std::min;

struct jdnn_emu_dim3 {
  unsigned x, y, z;
};
static jdnn_emu_dim3 threadIdx = {0, 0, 0}, blockIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
static inline void __syncthreads() {}
