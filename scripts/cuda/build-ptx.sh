#!/usr/bin/env bash
# Regenerates the PTX of jdnn's own kernels from cuda-backend/src/main/cuda/*.cu into
# cuda-backend/src/main/resources/org/jdnn/cuda/*.ptx. The PTX is committed, so the Maven build
# and CI need no nvcc; run this after changing a .cu file, and commit both.
#
# Why the ISA version is rewritten: nvcc 13 writes `.version 9.0`, which only CUDA 13 drivers can
# JIT-compile (a driver JITs PTX up to the ISA of its CUDA version: 12.0 -> 8.0, ..., 12.9 -> 8.8).
# These kernels use nothing newer than PTX ISA 8.0 (plain loads/stores, integer and double
# arithmetic, shared memory, bar.sync), so the file declares `.version 8.0`, loadable by every
# CUDA 12 and 13 driver; ptxas checks each instruction against the declared version and the
# target below, so a kernel that needed more would fail here, not on a user's machine.
# Target sm_75 (Turing), the oldest architecture nvcc 13 supports; newer GPUs JIT it.
set -euo pipefail
cd "$(dirname "$0")/../.."
NVCC=${NVCC:-nvcc}
ISA=8.0
src=cuda-backend/src/main/cuda
out=cuda-backend/src/main/resources/org/jdnn/cuda
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  "$NVCC" -ptx -arch=compute_75 -fmad=false -O3 -o "$tmp/$name.ptx" "$cu"
  emitted=$(sed -n 's/^\.version \(.*\)/\1/p' "$tmp/$name.ptx")
  {
    echo "// Generated from cuda-backend/src/main/cuda/$name.cu by scripts/cuda/build-ptx.sh; do not edit."
    echo "// $("$NVCC" --version | tail -1); emitted .version $emitted, declared $ISA (see the script)."
    echo "// source sha256: $(sha256sum "$cu" | cut -d' ' -f1)"
    sed "s/^\.version .*/.version $ISA/" "$tmp/$name.ptx"
  } > "$out/$name.ptx"
  # Assemble for the oldest and a current target: proves the declared ISA covers every instruction.
  for sm in sm_75 sm_90; do
    ptxas -arch=$sm -o "$tmp/$name.$sm.cubin" "$out/$name.ptx"
  done
  echo "$out/$name.ptx: $(grep -c "^\.visible \.entry" "$out/$name.ptx") entries, .version $ISA (nvcc emitted $emitted), ptxas ok for sm_75 and sm_90"
done
