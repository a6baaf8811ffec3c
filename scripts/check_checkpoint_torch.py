#!/usr/bin/env python3
"""Loads a jdnn LeNet-5 checkpoint into PyTorch and measures its Fashion-MNIST test accuracy.

Shows that jdnn's safetensors checkpoints are PyTorch state dicts: same keys, shapes and values.
Usage: /usr/bin/python3 scripts/check_checkpoint_torch.py runs/lenet5/lenet5.safetensors [data dir]
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "U8": np.uint8}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        begin, end = v["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(),
                                        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    return np.frombuffer(raw[4 + 4 * rank:], dtype=np.uint8).reshape(dims)


def main():
    weights = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    model = LeNet5()
    model.load_state_dict(read_safetensors(weights), strict=True)
    model.eval()
    x = torch.from_numpy(read_idx(data + "/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    x = ((x - 0.2860) / 0.3530).unsqueeze(1)
    y = torch.from_numpy(read_idx(data + "/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    with torch.no_grad():
        logits = model(x)
    acc = (logits.argmax(1) == y).float().mean().item()
    loss = nn.functional.cross_entropy(logits, y).item()
    print(json.dumps({"test_accuracy": acc, "test_loss": loss, "images": len(y)}))


if __name__ == "__main__":
    main()
