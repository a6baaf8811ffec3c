#!/usr/bin/env python3
"""PyTorch-CPU reference for `jdnn benchmark lenet5`.

Runs the same LeNet-5 (modern form, 28x28 input, padding 2 on C1), the same SGD step
(lr 0.05, momentum 0.9, cross-entropy, batch 64 by default) and batched inference as jdnn's
benchmark, on random data, with the thread count given, and prints one JSON object.
Run with Debian's PyTorch: /usr/bin/python3 lenet5_torch.py --threads 2
"""
import argparse
import json
import resource
import time

import torch
from torch import nn


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def timed(fn, warmup, steps, repeats=5):
    """Seconds for `steps` calls: the fastest of `repeats` windows after the warm-up (as jdnn's)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--infer-batch-size", type=int, default=256)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=30)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(a.batch_size, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch_size,))

    def train_step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    train_s = timed(train_step, a.warmup, a.steps)

    xi = torch.randn(a.infer_batch_size, 1, 28, 28)

    def infer_step():
        with torch.no_grad():
            return model(xi).argmax(1)

    model.eval()
    infer_steps = max(1, a.steps // 4)
    infer_s = timed(infer_step, max(1, a.warmup // 4), infer_steps)

    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_images_per_sec": a.steps * a.batch_size / train_s,
        "infer_images_per_sec": infer_steps * a.infer_batch_size / infer_s,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
