"""Safetensors interop between Nabla and PyTorch, with a hand-written reader and writer (no safetensors package).

The format: an 8-byte little-endian header length N, N bytes of JSON
  {"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
padded with spaces to a multiple of 8, then the little-endian data buffer. The writer below follows the reference
implementation (huggingface/safetensors): tensors sorted by dtype alignment (F64 before F32), then by name; compact
JSON with __metadata__ first. Nabla writes the same bytes, which the C# tests check against format_check.safetensors.

  /usr/bin/python3 tools/safetensors_interop.py fixtures
      Writes into tests/Nabla.Tests/Fixtures/:
        torch_mlp.safetensors   the state_dict of nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)), seed 0
        torch_mlp.json          an input batch (5, 4) and torch's output (5, 3) for it
        format_check.safetensors fixed tensors (F32, F64, 0-d, empty) that the C# test rebuilds: same bytes expected

  /usr/bin/python3 tools/safetensors_interop.py forward WEIGHTS INPUT_JSON
      Reads WEIGHTS (a file written by Nabla) with the reader below, loads it into the same MLP architecture with
      load_state_dict(strict=True), and prints {"output": {"shape": [...], "data": [...]}} for the input batch in
      INPUT_JSON ({"shape": [...], "data": [...]}). Exits non-zero if the file or the names and shapes do not fit.
"""
import json
import os
import struct
import sys

import torch

FIXTURE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Nabla.Tests", "Fixtures")

# Element sizes and torch types; the reference's dtype enum order (by alignment) decides the writing order.
DTYPES = {"F64": (8, torch.float64), "F32": (4, torch.float32), "BF16": (2, torch.bfloat16), "F16": (2, torch.float16)}
TORCH_TO_NAME = {torch.float64: "F64", torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16"}
ALIGNMENT_RANK = {"F16": 0, "BF16": 1, "F32": 2, "F64": 3}


def mlp(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def save_safetensors(path, tensors, metadata=None):
    """Writes a dict name -> tensor (float32/float64) as the reference implementation does."""
    entries = sorted(tensors.items(), key=lambda kv: (-ALIGNMENT_RANK[TORCH_TO_NAME[kv[1].dtype]], kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode("utf-8"))}
    offset = 0
    blobs = []
    for name, t in entries:
        # contiguous() writes a strided tensor by value; '<' forces little-endian on any machine.
        array = t.detach().contiguous().numpy()
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": TORCH_TO_NAME[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def load_safetensors(path):
    """Reads a safetensors file into (dict name -> tensor, metadata), checking the layout as the reference does."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short for the header length")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f"{path}: header length {n} goes beyond the file ({len(raw)} bytes)")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None) or {}
    buffer = raw[8 + n:]
    tensors = {}
    covered = 0
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        size, dtype = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        if begin != covered or end - begin != count * size or end > len(buffer):
            raise ValueError(f"{path}: tensor {name!r} has bad data_offsets {info['data_offsets']}")
        covered = end
        flat = torch.frombuffer(bytearray(buffer[begin:end]), dtype=dtype) if count > 0 else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    if covered != len(buffer):
        raise ValueError(f"{path}: {len(buffer) - covered} bytes after the last tensor")
    return tensors, metadata


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write_fixtures():
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    model = mlp(0)
    save_safetensors(os.path.join(FIXTURE_DIR, "torch_mlp.safetensors"), model.state_dict(), {"format": "pt"})
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(5, 4, generator=gen)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(FIXTURE_DIR, "torch_mlp.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "input": tensor_json(x), "output": tensor_json(y)}, f, indent=1)
        f.write("\n")

    # Values exactly representable in both types, so the C# test can rebuild them bit for bit; 1/3 in float64
    # is computed the same way on both sides. Names cover the ordering rules (F64 first, then bytewise by name).
    format_check = {
        "weight": torch.tensor([[-1.5, -0.25, 0.0], [0.5, 3.0, 1024.125]], dtype=torch.float32),
        "bias": torch.tensor([0.75, -2.0, 6.5], dtype=torch.float32),
        "10.weight": torch.tensor([1.0], dtype=torch.float32),
        "empty": torch.zeros(0, 4, dtype=torch.float32),
        "scale": torch.tensor(1.0 / 3.0, dtype=torch.float64),
        "running_var": torch.tensor([0.1, 2.5], dtype=torch.float64),
    }
    save_safetensors(os.path.join(FIXTURE_DIR, "format_check.safetensors"), format_check, {"format": "pt"})


def forward(weights_path, input_path):
    tensors, _ = load_safetensors(weights_path)
    model = mlp(123)  # different initial weights: the output depends only on what was loaded
    model.load_state_dict(tensors, strict=True)
    with open(input_path) as f:
        spec = json.load(f)
    x = torch.tensor(spec["data"], dtype=torch.float32).reshape(spec["shape"])
    with torch.no_grad():
        y = model(x)
    print(json.dumps({"output": tensor_json(y)}))


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "fixtures":
        write_fixtures()
    elif len(sys.argv) == 4 and sys.argv[1] == "forward":
        forward(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
