#!/usr/bin/env python3
"""Writes the PyTorch golden files that jdnn's GoldenSuite compares against.

Each case is one small safetensors file in core/src/test/resources/golden/: the inputs PyTorch
drew from a fixed seed, its outputs, a fixed random upstream gradient for non-scalar outputs, and
the gradients PyTorch computed. The case's parameters (stride, padding, ...) are in the file's
__metadata__, so the Java side reads them instead of repeating them. index.txt lists the files.

safetensors is written by hand (Debian has no python3-safetensors): an 8-byte little-endian header
length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}} padded with
spaces to a multiple of 8, then the raw little-endian data.

Run with a Python that has torch (here /usr/bin/python3; see README.md in this directory):
    /usr/bin/python3 scripts/golden/make_golden.py
"""

import json
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

FORMAT = "jdnn-golden"
# Bump when the layout of the files (names, metadata keys) changes; GoldenSuite checks it.
FORMAT_VERSION = "1"

OUT_DIR = Path(__file__).resolve().parents[2] / "core" / "src" / "test" / "resources" / "golden"

DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8"), torch.int64: ("I64", "<i8")}


def write_safetensors(path, tensors, metadata):
    """tensors: ordered dict name -> torch.Tensor; metadata: dict str -> str."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        dtype, np_dtype = DTYPES[t.dtype]
        data = t.detach().contiguous().cpu().numpy().astype(np_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # keeps the data 8-byte aligned, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def ints(v):
    """A parameter as jdnn's metadata convention: comma-separated ints, one per spatial axis."""
    return ",".join(str(x) for x in (v if isinstance(v, (tuple, list)) else (v, v)))


def leaf(t):
    return t.clone().requires_grad_(True)


def conv2d_case(seed, n, cin, cout, size, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True):
    torch.manual_seed(seed)
    kh, kw = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    x = leaf(torch.randn(n, cin, *size))
    w = leaf(torch.randn(cout, cin // groups, kh, kw) * 0.5)
    b = leaf(torch.randn(cout)) if bias else None
    y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors = {"input": x, "weight": w}
    if bias:
        tensors["bias"] = b
    tensors.update({"output": y, "grad_output": dy, "grad_input": x.grad, "grad_weight": w.grad})
    if bias:
        tensors["grad_bias"] = b.grad
    params = {"stride": ints(stride), "padding": ints(padding), "dilation": ints(dilation), "groups": groups,
              "bias": str(bias).lower()}
    return "conv2d", params, tensors


def max_pool2d_case(seed, n, c, size, kernel, stride, padding=0, dilation=1, ceil_mode=False):
    torch.manual_seed(seed)
    x = leaf(torch.randn(n, c, *size))
    y = F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode=ceil_mode)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"kernel_size": ints(kernel), "stride": ints(stride), "padding": ints(padding),
              "dilation": ints(dilation), "ceil_mode": str(ceil_mode).lower()}
    return "max_pool2d", params, {"input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def avg_pool2d_case(seed, n, c, size, kernel, stride, padding=0, ceil_mode=False, count_include_pad=True):
    torch.manual_seed(seed)
    x = leaf(torch.randn(n, c, *size))
    y = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"kernel_size": ints(kernel), "stride": ints(stride), "padding": ints(padding),
              "ceil_mode": str(ceil_mode).lower(), "count_include_pad": str(count_include_pad).lower()}
    return "avg_pool2d", params, {"input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def linear_case(seed, in_shape, out_features, bias=True):
    torch.manual_seed(seed)
    x = leaf(torch.randn(*in_shape))
    w = leaf(torch.randn(out_features, in_shape[-1]) * 0.5)
    b = leaf(torch.randn(out_features)) if bias else None
    y = F.linear(x, w, b)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors = {"input": x, "weight": w}
    if bias:
        tensors["bias"] = b
    tensors.update({"output": y, "grad_output": dy, "grad_input": x.grad, "grad_weight": w.grad})
    if bias:
        tensors["grad_bias"] = b.grad
    return "linear", {"bias": str(bias).lower()}, tensors


def cross_entropy_case(seed, n, classes, scale=1.0):
    torch.manual_seed(seed)
    logits = leaf(torch.randn(n, classes) * scale)
    target = torch.randint(0, classes, (n,), dtype=torch.int64)
    loss = F.cross_entropy(logits, target, reduction="mean")
    loss.backward()  # a scalar: the upstream gradient is 1
    params = {"reduction": "mean"}
    return "cross_entropy", params, {"input": logits, "target": target, "output": loss, "grad_input": logits.grad}


def softmax_case(seed, log, shape, dim):
    torch.manual_seed(seed)
    x = leaf(torch.randn(*shape) * 2)
    y = F.log_softmax(x, dim) if log else F.softmax(x, dim)
    dy = torch.randn_like(y)
    y.backward(dy)
    return ("log_softmax" if log else "softmax"), {"dim": dim}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


CASES = {
    # name: (description, builder)
    "conv2d_3x3": ("3x3, stride 1, no padding, batch 2",
                   lambda: conv2d_case(101, 2, 3, 4, (7, 7), 3)),
    "conv2d_stride2_pad1_batch3": ("3x3, stride 2, padding 1, batch 3, odd non-square input",
                                   lambda: conv2d_case(102, 3, 3, 5, (9, 8), 3, stride=2, padding=1)),
    "conv2d_5x5_pad2_batch1": ("5x5, padding 2, batch 1",
                               lambda: conv2d_case(103, 1, 2, 3, (9, 9), 5, padding=2)),
    "conv2d_dilation2": ("3x3, dilation 2, padding 2",
                         lambda: conv2d_case(104, 2, 3, 4, (11, 11), 3, padding=2, dilation=2)),
    "conv2d_groups2": ("3x3, groups 2, padding 1",
                       lambda: conv2d_case(105, 2, 4, 6, (7, 7), 3, padding=1, groups=2)),
    "conv2d_depthwise_stride2": ("depthwise 3x3, stride 2, padding 1, batch 3",
                                 lambda: conv2d_case(106, 3, 5, 5, (9, 9), 3, stride=2, padding=1, groups=5)),
    "conv2d_1x1_nobias": ("1x1, no bias",
                          lambda: conv2d_case(107, 1, 7, 3, (5, 5), 1, bias=False)),
    "conv2d_rect_kernel": ("3x2 kernel, stride (2,1), padding (1,0), dilation (1,2)",
                           lambda: conv2d_case(108, 2, 3, 4, (9, 10), (3, 2), stride=(2, 1), padding=(1, 0),
                                               dilation=(1, 2))),
    "max_pool2d_2x2": ("2x2, stride 2",
                       lambda: max_pool2d_case(201, 2, 3, (8, 8), 2, 2)),
    "max_pool2d_3x3_s2_p1": ("3x3, stride 2, padding 1, odd size",
                             lambda: max_pool2d_case(202, 2, 3, (9, 9), 3, 2, padding=1)),
    "max_pool2d_ceil": ("3x3, stride 2, ceil mode",
                        lambda: max_pool2d_case(203, 1, 2, (10, 10), 3, 2, ceil_mode=True)),
    "max_pool2d_ceil_pad_drop": ("2x2, stride 2, padding 1, ceil mode: a last window starting in the padding is dropped",
                                 lambda: max_pool2d_case(204, 2, 2, (5, 5), 2, 2, padding=1, ceil_mode=True)),
    "max_pool2d_dilation2": ("3x3, stride 1, padding 1, dilation 2",
                             lambda: max_pool2d_case(205, 1, 3, (9, 9), 3, 1, padding=1, dilation=2)),
    "avg_pool2d_2x2": ("2x2, stride 2",
                       lambda: avg_pool2d_case(301, 2, 3, (8, 8), 2, 2)),
    "avg_pool2d_pad_include": ("3x3, stride 2, padding 1, count_include_pad True",
                               lambda: avg_pool2d_case(302, 2, 3, (9, 9), 3, 2, padding=1)),
    "avg_pool2d_pad_exclude": ("3x3, stride 2, padding 1, count_include_pad False",
                               lambda: avg_pool2d_case(303, 2, 3, (9, 9), 3, 2, padding=1,
                                                       count_include_pad=False)),
    "avg_pool2d_ceil_include": ("3x3, stride 2, padding 1, ceil mode, count_include_pad True",
                                lambda: avg_pool2d_case(304, 2, 2, (8, 8), 3, 2, padding=1, ceil_mode=True)),
    "avg_pool2d_ceil_exclude": ("3x3, stride 2, padding 1, ceil mode, count_include_pad False",
                                lambda: avg_pool2d_case(305, 2, 2, (8, 8), 3, 2, padding=1, ceil_mode=True,
                                                        count_include_pad=False)),
    "avg_pool2d_rect_exclude": ("3x3, stride 1, padding 1, count_include_pad False, 7x5 input",
                                lambda: avg_pool2d_case(306, 1, 3, (7, 5), 3, 1, padding=1,
                                                        count_include_pad=False)),
    "linear": ("(4, 6) -> 5 with bias",
               lambda: linear_case(401, (4, 6), 5)),
    "linear_rank3_nobias": ("(2, 3, 6) -> 4 without bias",
                            lambda: linear_case(402, (2, 3, 6), 4, bias=False)),
    "cross_entropy": ("(4, 7) logits, mean reduction",
                      lambda: cross_entropy_case(501, 4, 7)),
    "cross_entropy_large_logits": ("(16, 10) logits scaled by 5, mean reduction",
                                   lambda: cross_entropy_case(502, 16, 10, scale=5.0)),
    "cross_entropy_one_row": ("(1, 3) logits, mean reduction",
                              lambda: cross_entropy_case(503, 1, 3)),
    "log_softmax_dim1": ("(3, 5, 4) over dim 1",
                         lambda: softmax_case(601, True, (3, 5, 4), 1)),
    "log_softmax_last": ("(4, 7) over dim -1",
                         lambda: softmax_case(602, True, (4, 7), -1)),
    "softmax_dim1": ("(3, 5, 4) over dim 1",
                     lambda: softmax_case(603, False, (3, 5, 4), 1)),
    "softmax_last": ("(4, 7) over dim -1",
                     lambda: softmax_case(604, False, (4, 7), -1)),
}


# ---- Normalisation, activations, losses and init: their builders and cases live in
# norm_loss_cases.py (same layout); merged here so one run writes every file and index.txt.
from norm_loss_cases import CASES as NORM_LOSS_CASES  # noqa: E402  (after this module's CASES)

CASES.update(NORM_LOSS_CASES)


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("*.safetensors"):
        old.unlink()
    names = []
    total = 0
    for name, (description, build) in CASES.items():
        op, params, tensors = build()
        metadata = {"format": FORMAT, "version": FORMAT_VERSION, "torch_version": torch.__version__,
                    "case": name, "op": op, "description": description, "dtype": "F32"}
        metadata.update(params)
        path = OUT_DIR / (name + ".safetensors")
        write_safetensors(path, tensors, metadata)
        names.append(path.name)
        total += path.stat().st_size
    (OUT_DIR / "index.txt").write_text(
        "# Golden files written by scripts/golden/make_golden.py; one per line.\n" + "\n".join(names) + "\n")
    print(f"wrote {len(names)} files, {total} bytes, to {OUT_DIR} (torch {torch.__version__})")
    if total > 1 << 20:
        sys.exit("golden files exceed 1 MiB; shrink the cases")


if __name__ == "__main__":
    main()
