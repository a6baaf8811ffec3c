#!/usr/bin/env python3
"""Reference data for jdnn's model zoo: torchvision's state-dict layouts and outputs.

For each torchvision model this writes, into models/src/test/resources/torchvision/:
  <name>.keys.txt            every state_dict key with its shape ("key<TAB>d0,d1,...")
  <name>.parity.safetensors  the model's eval-mode output for a fixed batch, with weights and
                             input that jdnn regenerates from the same formula (below), so the
                             large weight files never need to be stored.

The formula: the values of a tensor named NAME are u(i) = uniform(seed(NAME), i) for element
index i, with uniform() jdnn's org.jdnn.tensor.Generator.uniform (SplitMix64 of the seed and the
index, 53 bits) and seed(NAME) the 64-bit FNV-1a hash of NAME's UTF-8 bytes. Then
  *.weight of rank >= 2 (conv, linear)   (2u - 1) * sqrt(6 / fan_in)   (He uniform)
  *.bias (conv, linear)                  (2u - 1) * 0.1
  batch norm weight                      0.2 + 0.4u   (residual sums stay bounded)
  batch norm bias, running_mean          (2u - 1) * 0.1
  batch norm running_var                 0.5 + u
  num_batches_tracked                    0
  the input "input"                      2u - 1
Run with Debian's PyTorch: /usr/bin/python3 scripts/models/torchvision_parity.py [names...]

The other direction, jdnn -> PyTorch: ModelParityTest writes each family's state dict as jdnn
saved it (models/target/jdnn-export/<name>.safetensors); then
    /usr/bin/python3 scripts/models/torchvision_parity.py --check-jdnn models/target/jdnn-export
loads each into torchvision with load_state_dict(strict=True), runs the same input and compares
with the stored reference output.

Converting a torchvision model (random init, or pretrained weights if they are in torch's cache)
for jdnn:  --export resnet50 resnet50.safetensors [--pretrained]
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision

OUT = Path(__file__).resolve().parents[2] / "models" / "src" / "test" / "resources" / "torchvision"
MASK = (1 << 64) - 1


def fnv1a64(name):
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & MASK
    return h


def mix(z):
    """SplitMix64's finaliser on uint64 numpy arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = z.astype(np.uint64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(seed, n):
    """jdnn's Generator.uniform(seed, i) for i in 0..n-1, as float64 in [0, 1)."""
    with np.errstate(over="ignore"):
        idx = np.arange(n, dtype=np.uint64)
        inner = mix(idx + np.uint64(0x632BE59BD9B4E019))
        outer = mix(np.uint64(seed) + inner)
    return (outer >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def value(name, shape, is_bn):
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniform(fnv1a64(name), n)
    leafname = name.rsplit(".", 1)[-1]
    if leafname == "num_batches_tracked":
        return np.zeros(shape, dtype=np.int64)
    if is_bn:
        if leafname == "weight":
            v = 0.2 + 0.4 * u
        elif leafname == "running_var":
            v = 0.5 + u
        else:
            v = (2 * u - 1) * 0.1
    elif leafname == "weight" and len(shape) >= 2:
        fan_in = n // shape[0]
        v = (2 * u - 1) * np.sqrt(6.0 / fan_in)
    else:
        v = (2 * u - 1) * 0.1
    return v.reshape(shape).astype(np.float32)


def fill(model):
    bn_prefixes = {name for name, m in model.named_modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)}
    state = {}
    for key, t in model.state_dict().items():
        prefix = key.rsplit(".", 1)[0]
        state[key] = torch.from_numpy(value(key, tuple(t.shape), prefix in bn_prefixes))
    model.load_state_dict(state, strict=True)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


MODELS = {
    "alexnet": lambda: torchvision.models.alexnet(),
    "vgg16": lambda: torchvision.models.vgg16(),
    "vgg16_bn": lambda: torchvision.models.vgg16_bn(),
    "googlenet": lambda: torchvision.models.googlenet(aux_logits=False, init_weights=False),
    "googlenet_aux": lambda: torchvision.models.googlenet(aux_logits=True, init_weights=False),
    "resnet18": lambda: torchvision.models.resnet18(),
    "resnet34": lambda: torchvision.models.resnet34(),
    "resnet50": lambda: torchvision.models.resnet50(),
}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    kinds = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4", "U8": "u1"}
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        b, e = v["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype=kinds[v["dtype"]]).reshape(v["shape"]).copy())
    return out


def formula_input():
    return torch.from_numpy((2 * uniform(fnv1a64("input"), 2 * 3 * 224 * 224) - 1).reshape(2, 3, 224, 224)
                            .astype(np.float32))


def check_jdnn(directory):
    """Loads jdnn-written state dicts into torchvision and compares outputs with the references."""
    failures = 0
    for name in MODELS:
        path = Path(directory) / f"{name}.safetensors"
        if not path.exists():
            continue
        model = MODELS[name]().eval()
        model.load_state_dict(read_safetensors(path), strict=True)
        with torch.no_grad():
            y = model(formula_input())
        ref = read_safetensors(OUT / f"{name}.parity.safetensors")["output"]
        worst = (y - ref).abs().max().item()
        rms = ref.pow(2).mean().sqrt().item()
        ok = worst <= 1e-4 * rms
        failures += not ok
        print(f"{name}: jdnn's checkpoint in torchvision: largest difference {worst:.3g} = {worst / rms:.3g} of RMS "
              f"{'ok' if ok else 'FAIL'}")
    sys.exit(1 if failures else 0)


def export(name, path, pretrained):
    model = MODELS[name]() if not pretrained else getattr(torchvision.models, name.replace("_aux", ""))(weights="DEFAULT")
    tensors = {k: v for k, v in model.state_dict().items()}
    header, blobs, offset = {"__metadata__": {"format": "pt", "source": f"torchvision {torchvision.__version__} {name}"}}, [], 0
    kinds = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}
    for k, t in tensors.items():
        dtype, np_dtype = kinds[t.dtype]
        data = t.contiguous().numpy().astype(np_dtype).tobytes()
        header[k] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))
    print(f"wrote {path}: {len(tensors)} tensors")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--check-jdnn":
        check_jdnn(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[1] == "--export":
        export(sys.argv[2], sys.argv[3], "--pretrained" in sys.argv)
        return
    torch.set_num_threads(2)
    OUT.mkdir(parents=True, exist_ok=True)
    names = sys.argv[1:] or list(MODELS)
    for name in names:
        model = MODELS[name]().eval()
        keys = [f"{k}\t{','.join(str(d) for d in t.shape)}" for k, t in model.state_dict().items()]
        (OUT / f"{name}.keys.txt").write_text(
            f"# torchvision {torchvision.__version__} {name}: state_dict keys and shapes (scripts/models/torchvision_parity.py)\n"
            + "\n".join(keys) + "\n")
        if name == "googlenet_aux":
            continue  # the auxiliary heads are training-only; the key list is what matters
        fill(model)
        x = formula_input()
        with torch.no_grad():
            y = model(x)
        params = sum(p.numel() for p in model.parameters())
        write_safetensors(OUT / f"{name}.parity.safetensors", {"output": y},
                          {"model": name, "torch_version": torch.__version__,
                           "torchvision_version": torchvision.__version__, "input_shape": "2,3,224,224",
                           "parameters": str(params), "formula": "scripts/models/torchvision_parity.py"})
        print(f"{name}: {params:,} parameters, {len(keys)} keys, output {tuple(y.shape)} "
              f"mean {y.mean():.4f} std {y.std():.4f}")


if __name__ == "__main__":
    main()
