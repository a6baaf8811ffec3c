#!/usr/bin/env bash
# Runs ON the GPU machine, from the repository root, after scripts/gpu/run-suite.sh packed .gpu/:
#   bash scripts/gpu/on-gpu.sh OUT_DIR
# 1. what the machine has (driver, GPU, where libcudnn/libcublas are);
# 2. the GPU suite (org.jdnn.cuda.gpu.GpuSuite: conformance vs the CPU reference, PyTorch golden
#    files, LeNet-5 training parity, backend checks), TF32 off;
# 3. the LeNet-5 benchmark next to PyTorch on the same GPU.
# At most 8 files come back from OUT_DIR, so the JUnit XML reports are packed into one archive.
set -uo pipefail
out=${1:?usage: scripts/gpu/on-gpu.sh OUT_DIR}
mkdir -p "$out"
{
  date -u
  nvidia-smi
  echo "--- libraries on this machine"
  find /usr /opt /lib /lib64 -xdev \( -name 'libcudnn.so*' -o -name 'libcublas.so*' -o -name 'libcublasLt.so*' -o -name 'libcuda.so*' \) \
    2>/dev/null | sort | head -60
} > "$out/machine.txt" 2>&1
java=(.gpu/jre/bin/java -Xmx8g -Djava.io.tmpdir=/tmp -Djdnn.cuda.cublasForwarder=.gpu/native/libcublas.so.12
  -cp '.gpu/lib/*')
"${java[@]}" org.jdnn.cuda.gpu.GpuSuite /tmp/jdnn-gpu-reports 2>&1 | tee "$out/gpu-suite.log"
suite=${PIPESTATUS[0]}
tar -czf "$out/gpu-reports.tgz" -C /tmp jdnn-gpu-reports 2>/dev/null
"${java[@]}" org.jdnn.cuda.gpu.GpuBenchmark "$out" --tf32 on 2>&1 | tee "$out/gpu-benchmark.log"
echo "GPU suite exit code: $suite"
exit "$suite"
