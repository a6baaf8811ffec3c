#!/usr/bin/env python3
"""OpenBLAS reference for `jdnn benchmark sgemm`: float32 C = A @ B through numpy.

The thread count must be fixed before numpy loads OpenBLAS, so the caller sets
OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS); this script reports what BLAS numpy uses.
Usage: OPENBLAS_NUM_THREADS=2 /usr/bin/python3 sgemm_numpy.py --seconds 0.3 1024x1024x1024 4096x4096x512
Each shape is MxNxK; prints one JSON object: {"blas": ..., "gflops": {"MxNxK": value, ...}}.
"""
import argparse
import json
import os
import time

import numpy as np


def blas_library():
    """The BLAS shared object numpy's process actually mapped (Debian switches it by alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")}
        return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "unknown"
    except OSError:
        return "unknown"


def gflops(m, n, k, seconds, reps):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)  # warm-up: thread start, page faults
    best = 0.0
    for _ in range(reps):
        start = time.perf_counter()
        it = 0
        while True:
            np.matmul(a, b, out=c)
            it += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, 2.0 * m * n * k * it / elapsed / 1e9)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=0.3, help="length of one timed repetition")
    p.add_argument("--reps", type=int, default=5, help="repetitions; the best is reported")
    p.add_argument("shapes", nargs="+")
    a = p.parse_args()
    out = {}
    for s in a.shapes:
        m, n, k = (int(v) for v in s.split("x"))
        out[s] = gflops(m, n, k, a.seconds, a.reps)
    print(json.dumps({"numpy": np.__version__, "blas": blas_library(),
                      "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"), "gflops": out}))


if __name__ == "__main__":
    main()
