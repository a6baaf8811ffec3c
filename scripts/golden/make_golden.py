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


# ---- the op set, part A: convolution variants, pooling variants, padding, upsampling ----

def conv_module_case(seed, rank, n, cin, cout, size, kernel, stride=1, padding=0, dilation=1, groups=1,
                     bias=True, padding_mode="zeros"):
    """Through torch.nn.ConvNd (padding may be 'same'/'valid', padding_mode any of the four)."""
    torch.manual_seed(seed)
    cls = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}[rank]
    m = cls(cin, cout, kernel, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=bias,
            padding_mode=padding_mode)
    x = leaf(torch.randn(n, cin, *size))
    y = m(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors = {"input": x, "weight": m.weight}
    if bias:
        tensors["bias"] = m.bias
    tensors.update({"output": y, "grad_output": dy, "grad_input": x.grad, "grad_weight": m.weight.grad})
    if bias:
        tensors["grad_bias"] = m.bias.grad
    rep = lambda v: ",".join(str(e) for e in (v if isinstance(v, (tuple, list)) else (v,) * rank))
    params = {"rank": rank, "kernel_size": rep(kernel), "stride": rep(stride),
              "padding": padding if isinstance(padding, str) else rep(padding), "dilation": rep(dilation),
              "groups": groups, "bias": str(bias).lower(), "padding_mode": padding_mode}
    return "conv_module", params, tensors


def conv_transpose_case(seed, rank, n, cin, cout, size, kernel, stride=1, padding=0, output_padding=0,
                        dilation=1, groups=1, bias=True):
    torch.manual_seed(seed)
    f = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[rank]
    x = leaf(torch.randn(n, cin, *size))
    w = leaf(torch.randn(cin, cout // groups, *((kernel,) * rank)) * 0.5)
    b = leaf(torch.randn(cout)) if bias else None
    y = f(x, w, b, stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors = {"input": x, "weight": w}
    if bias:
        tensors["bias"] = b
    tensors.update({"output": y, "grad_output": dy, "grad_input": x.grad, "grad_weight": w.grad})
    if bias:
        tensors["grad_bias"] = b.grad
    rep = lambda v: ",".join(str(v) for _ in range(rank))
    params = {"stride": rep(stride), "padding": rep(padding), "output_padding": rep(output_padding),
              "dilation": rep(dilation), "groups": groups, "bias": str(bias).lower()}
    return "conv_transpose", params, tensors


def pool_nd_case(seed, kind, rank, n, c, size, kernel, stride, padding=0, dilation=1, ceil_mode=False,
                 count_include_pad=True):
    torch.manual_seed(seed)
    x = leaf(torch.randn(n, c, *size))
    if kind == "max":
        f = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
        y, idx = f(x, kernel, stride, padding, dilation, ceil_mode=ceil_mode, return_indices=True)
    else:
        f = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[rank]
        y = f(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    dy = torch.randn_like(y)
    y.backward(dy)
    rep = lambda v: ",".join(str(v) for _ in range(rank))
    params = {"kind": kind, "kernel_size": rep(kernel), "stride": rep(stride), "padding": rep(padding),
              "dilation": rep(dilation), "ceil_mode": str(ceil_mode).lower(),
              "count_include_pad": str(count_include_pad).lower()}
    tensors = {"input": x, "output": y, "grad_output": dy, "grad_input": x.grad}
    if kind == "max":
        tensors["indices"] = idx
    return "pool_nd", params, tensors


def max_unpool_case(seed, rank, n, c, size, kernel, stride, padding=0, output_size=None):
    """max_poolNd with indices, then max_unpoolNd of (pooled * 2) back; gradient through both."""
    torch.manual_seed(seed)
    pool = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
    unpool = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}[rank]
    x = leaf(torch.randn(n, c, *size))
    p, idx = pool(x, kernel, stride, padding, return_indices=True)
    # PyTorch flags unpooling as nondeterministic (duplicate indices race on a GPU); these windows
    # do not overlap, so every index is written once.
    torch.use_deterministic_algorithms(False)
    y = unpool(p * 2, idx, kernel, stride, padding, output_size=output_size)
    torch.use_deterministic_algorithms(True)
    dy = torch.randn_like(y)
    y.backward(dy)
    rep = lambda v: ",".join(str(v) for _ in range(rank))
    params = {"kernel_size": rep(kernel), "stride": rep(stride), "padding": rep(padding),
              "output_size": ",".join(str(v) for v in y.shape[2:])}
    return "max_unpool", params, {"input": x, "indices": idx, "output": y, "grad_output": dy, "grad_input": x.grad}


def adaptive_pool_case(seed, kind, n, c, size, out):
    torch.manual_seed(seed)
    rank = len(size)
    x = leaf(torch.randn(n, c, *size))
    f = {("avg", 1): F.adaptive_avg_pool1d, ("avg", 2): F.adaptive_avg_pool2d, ("avg", 3): F.adaptive_avg_pool3d,
         ("max", 1): F.adaptive_max_pool1d, ("max", 2): F.adaptive_max_pool2d, ("max", 3): F.adaptive_max_pool3d}
    y = f[(kind, rank)](x, out)
    dy = torch.randn_like(y)
    y.backward(dy)
    return "adaptive_pool", {"kind": kind, "output_size": ",".join(str(v) for v in out)}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def interpolate_case(seed, n, c, size, out, mode, align_corners=None):
    torch.manual_seed(seed)
    x = leaf(torch.randn(n, c, *size))
    y = F.interpolate(x, size=tuple(out), mode=mode, align_corners=align_corners)
    dy = torch.randn_like(y)
    y.backward(dy)
    return "interpolate", {"mode": mode, "align_corners": str(bool(align_corners)).lower(),
                           "size": ",".join(str(v) for v in out)}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def pad_case(seed, shape, pads, mode, value=0.0):
    torch.manual_seed(seed)
    x = leaf(torch.randn(*shape))
    y = F.pad(x, pads, mode=mode, value=value) if mode == "constant" else F.pad(x, pads, mode=mode)
    dy = torch.randn_like(y)
    y.backward(dy)
    return "pad", {"pads": ",".join(str(p) for p in pads), "mode": mode, "value": repr(value)}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def amax_case(seed, shape, dims):
    """amax with exact ties (values on a coarse grid): ties share the gradient evenly."""
    torch.manual_seed(seed)
    x = leaf(torch.randint(0, 4, shape).float())
    y = torch.amax(x, dim=dims)
    dy = torch.randn_like(y)
    y.backward(dy)
    return "amax", {"dims": ",".join(str(d) for d in dims)}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


def var_case(seed, shape, dims, unbiased):
    torch.manual_seed(seed)
    x = leaf(torch.randn(*shape))
    y = torch.var(x, dim=dims, unbiased=unbiased)
    dy = torch.randn_like(y)
    y.backward(dy)
    return "var", {"dims": ",".join(str(d) for d in dims), "unbiased": str(unbiased).lower()}, {
        "input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


CASES_OPS_A = {
    "conv1d_reflect_stride2": ("Conv1d k5 s2 p2 reflect",
                               lambda: conv_module_case(701, 1, 2, 3, 4, (11,), 5, stride=2, padding=2,
                                                        padding_mode="reflect")),
    "conv2d_replicate": ("Conv2d 3x3 padding 1 replicate",
                         lambda: conv_module_case(702, 2, 2, 2, 3, (6, 7), 3, padding=1, padding_mode="replicate")),
    "conv2d_circular": ("Conv2d 3x3 padding (2,1) circular",
                        lambda: conv_module_case(703, 2, 1, 2, 3, (5, 6), 3, padding=(2, 1), padding_mode="circular")),
    "conv2d_same_even_kernel": ("Conv2d 4x4 padding='same' dilation 1 (asymmetric)",
                                lambda: conv_module_case(704, 2, 2, 2, 3, (7, 6), 4, padding="same")),
    "conv2d_same_reflect_dilated": ("Conv2d 3x3 padding='same' dilation 2 reflect",
                                    lambda: conv_module_case(705, 2, 1, 3, 2, (8, 8), 3, padding="same", dilation=2,
                                                             padding_mode="reflect")),
    "conv3d_groups": ("Conv3d 3x3x3 padding 1 stride 2 groups 2",
                      lambda: conv_module_case(706, 3, 2, 4, 4, (5, 6, 5), 3, stride=2, padding=1, groups=2)),
    "conv1d_valid_nobias": ("Conv1d k3 padding='valid' no bias",
                            lambda: conv_module_case(707, 1, 3, 2, 5, (9,), 3, padding="valid", bias=False)),
    "conv_transpose2d_s2": ("conv_transpose2d k2 s2 (U-Net up-convolution)",
                            lambda: conv_transpose_case(711, 2, 2, 4, 3, (3, 4), 2, stride=2)),
    "conv_transpose2d_outpad": ("conv_transpose2d k3 s2 p1 output_padding 1",
                                lambda: conv_transpose_case(712, 2, 1, 3, 2, (4, 3), 3, stride=2, padding=1,
                                                            output_padding=1)),
    "conv_transpose2d_groups_dil": ("conv_transpose2d k3 groups 2 dilation 2 padding 1, no bias",
                                    lambda: conv_transpose_case(713, 2, 2, 4, 6, (4, 4), 3, padding=1, dilation=2,
                                                                groups=2, bias=False)),
    "conv_transpose1d": ("conv_transpose1d k4 s3 p1 output_padding 2",
                         lambda: conv_transpose_case(714, 1, 2, 3, 2, (5,), 4, stride=3, padding=1, output_padding=2)),
    "conv_transpose3d": ("conv_transpose3d k2 s2",
                         lambda: conv_transpose_case(715, 3, 1, 2, 3, (2, 3, 2), 2, stride=2)),
    "max_pool1d_ceil": ("max_pool1d k3 s2 p1 ceil, with indices",
                        lambda: pool_nd_case(721, "max", 1, 2, 3, (12,), 3, 2, padding=1, ceil_mode=True)),
    "max_pool3d": ("max_pool3d k2 s2, with indices",
                   lambda: pool_nd_case(722, "max", 3, 1, 2, (4, 5, 4), 2, 2)),
    "max_pool2d_indices_dilated": ("max_pool2d k3 s2 p1 dilation 2, with indices",
                                   lambda: pool_nd_case(723, "max", 2, 2, 2, (9, 9), 3, 2, padding=1, dilation=2)),
    "avg_pool1d_exclude": ("avg_pool1d k3 s2 p1 count_include_pad False",
                           lambda: pool_nd_case(724, "avg", 1, 2, 3, (10,), 3, 2, padding=1,
                                                count_include_pad=False)),
    "avg_pool3d_ceil": ("avg_pool3d k2 s2 p1 ceil",
                        lambda: pool_nd_case(725, "avg", 3, 1, 2, (5, 4, 5), 2, 2, padding=1, ceil_mode=True)),
    "max_unpool2d": ("max_pool2d k2 s2 then max_unpool2d",
                     lambda: max_unpool_case(731, 2, 2, 3, (6, 6), 2, 2)),
    "max_unpool2d_output_size": ("max_pool2d k2 s2 on 7x7 then max_unpool2d to 7x7",
                                 lambda: max_unpool_case(732, 2, 1, 2, (7, 7), 2, 2, output_size=(7, 7))),
    "max_unpool1d": ("max_pool1d k3 s3 then max_unpool1d",
                     lambda: max_unpool_case(733, 1, 2, 2, (9,), 3, 3)),
    "max_unpool3d": ("max_pool3d k2 s2 then max_unpool3d",
                     lambda: max_unpool_case(734, 3, 1, 2, (4, 4, 4), 2, 2)),
    "adaptive_avg2d_uneven": ("adaptive_avg_pool2d 10x7 -> 3x4",
                              lambda: adaptive_pool_case(741, "avg", 2, 3, (10, 7), (3, 4))),
    "adaptive_max2d_uneven": ("adaptive_max_pool2d 10x7 -> 3x4",
                              lambda: adaptive_pool_case(742, "max", 2, 3, (10, 7), (3, 4))),
    "adaptive_avg2d_global": ("adaptive_avg_pool2d 7x7 -> 1x1 (ResNet's avgpool)",
                              lambda: adaptive_pool_case(743, "avg", 2, 4, (7, 7), (1, 1))),
    "adaptive_avg1d_upscale": ("adaptive_avg_pool1d 5 -> 7",
                               lambda: adaptive_pool_case(744, "avg", 1, 2, (5,), (7,))),
    "adaptive_max3d": ("adaptive_max_pool3d (5, 6, 7) -> (2, 3, 3)",
                       lambda: adaptive_pool_case(745, "max", 1, 2, (5, 6, 7), (2, 3, 3))),
    "nearest2d_x2": ("nearest 4x5 -> 8x10", lambda: interpolate_case(751, 2, 2, (4, 5), (8, 10), "nearest")),
    "nearest2d_odd": ("nearest 5x5 -> 3x7", lambda: interpolate_case(752, 1, 2, (5, 5), (3, 7), "nearest")),
    "nearest3d": ("nearest (2,3,3) -> (4,3,6)", lambda: interpolate_case(753, 1, 1, (2, 3, 3), (4, 3, 6), "nearest")),
    "bilinear_x2": ("bilinear 4x5 -> 8x10 align_corners False",
                    lambda: interpolate_case(754, 2, 2, (4, 5), (8, 10), "bilinear", False)),
    "bilinear_align": ("bilinear 4x5 -> 7x13 align_corners True",
                       lambda: interpolate_case(755, 1, 2, (4, 5), (7, 13), "bilinear", True)),
    "bilinear_down": ("bilinear 6x6 -> 4x3 align_corners False",
                      lambda: interpolate_case(756, 1, 2, (6, 6), (4, 3), "bilinear", False)),
    "linear1d": ("linear 5 -> 12 align_corners False", lambda: interpolate_case(757, 2, 2, (5,), (12,), "linear", False)),
    "trilinear_align": ("trilinear (2,3,4) -> (4,5,8) align_corners True",
                        lambda: interpolate_case(758, 1, 1, (2, 3, 4), (4, 5, 8), "trilinear", True)),
    "pad_reflect_2d": ("reflect (1, 2, 2, 0) on (2, 2, 4, 5)",
                       lambda: pad_case(761, (2, 2, 4, 5), (1, 2, 2, 0), "reflect")),
    "pad_replicate_3d": ("replicate (1, 0, 2, 1, 0, 2) on (1, 2, 3, 3, 3)",
                         lambda: pad_case(762, (1, 2, 3, 3, 3), (1, 0, 2, 1, 0, 2), "replicate")),
    "pad_circular_1d": ("circular (3, 2) on (2, 2, 4)", lambda: pad_case(763, (2, 2, 4), (3, 2), "circular")),
    "pad_constant_2d": ("constant 0.5 (2, 1, 0, 3) on (1, 3, 3, 4)",
                        lambda: pad_case(764, (1, 3, 3, 4), (2, 1, 0, 3), "constant", 0.5)),
    "amax_ties": ("amax over dims (1, 2) of small integers, with ties", lambda: amax_case(771, (3, 4, 5), (1, 2))),
    "var_unbiased": ("var over dim 1, unbiased", lambda: var_case(772, (4, 6, 3), (1,), True)),
    "var_biased": ("var over dims (0, 2), biased", lambda: var_case(773, (4, 6, 3), (0, 2), False)),
}
CASES.update(CASES_OPS_A)
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
