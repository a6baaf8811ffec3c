#!/usr/bin/env python3
"""PyTorch-on-GPU reference for org.jdnn.cuda.gpu.GpuBenchmark.

The same LeNet-5 (modern form, 28x28 input, padding 2 on C1), SGD step (lr 0.05, momentum 0.9,
cross-entropy) and batched inference as jdnn's benchmark, on random data, F32 with TF32 set as
asked, on cuda:0. Each timed training step ends with loss.item(), as jdnn's does, so both sides
synchronise once per step. Prints one JSON object.
"""
import argparse
import json
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


def timed(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        fn()
    torch.cuda.synchronize()
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--infer-batch-size", type=int, default=256)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--tf32", choices=["on", "off"], default="on")
    a = p.parse_args()

    tf32 = a.tf32 == "on"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    torch.backends.cudnn.benchmark = False
    dev = torch.device("cuda:0")
    torch.manual_seed(0)
    model = lenet5().to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(a.batch_size, 1, 28, 28, device=dev)
    y = torch.randint(0, 10, (a.batch_size,), device=dev)

    def train_step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    train_s = timed(train_step, a.warmup, a.steps)

    xi = torch.randn(a.infer_batch_size, 1, 28, 28, device=dev)

    def infer_step():
        with torch.no_grad():
            return model(xi).argmax(1).cpu()

    model.eval()
    infer_steps = max(1, a.steps // 4)
    infer_s = timed(infer_step, max(1, a.warmup // 4), infer_steps)

    print(json.dumps({
        "torch_version": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(),
        "device": torch.cuda.get_device_name(0),
        "tf32": tf32,
        "train_images_per_sec": a.steps * a.batch_size / train_s,
        "infer_images_per_sec": infer_steps * a.infer_batch_size / infer_s,
    }))


if __name__ == "__main__":
    main()
