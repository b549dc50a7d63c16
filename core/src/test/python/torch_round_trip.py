"""PyTorch's side of TorchRoundTripTest (core/src/test/java/dev/soma/io/TorchRoundTripTest.java).

    python3 torch_round_trip.py save DIR   builds two PyTorch models holding every layer type Soma's
                                           model files support, trains their BatchNorm statistics a
                                           little, and writes DIR/image.safetensors and
                                           DIR/tokens.safetensors (state_dict() with the Soma spec in
                                           the metadata) and DIR/io.safetensors (inputs, outputs)
    python3 torch_round_trip.py both DIR   save, then "saved" on stdout, then load once a line
                                           arrives on stdin (one start of torch instead of two)
    python3 torch_round_trip.py load DIR   reads DIR/image-soma.safetensors and
                                           DIR/tokens-soma.safetensors (written by Soma), loads each
                                           into the same PyTorch model with strict=True and writes
                                           their outputs on the same inputs to DIR/torch-out.safetensors

Files are written with safetensors.torch.save_file when the package is installed, else by the few
lines below that write the same format (8-byte header length, JSON header, little-endian data).
"""
import json
import struct
import sys

import torch
import torch.nn as nn

TYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
         torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
DTYPES = {name: dtype for dtype, name in TYPES.items()}

LAYERS = {"linear": nn.Linear, "conv2d": nn.Conv2d, "conv1d": nn.Conv1d, "conv_transpose2d": nn.ConvTranspose2d,
          "maxpool2d": nn.MaxPool2d, "avgpool2d": nn.AvgPool2d, "adaptive_avgpool2d": nn.AdaptiveAvgPool2d,
          "batchnorm1d": nn.BatchNorm1d, "batchnorm2d": nn.BatchNorm2d, "layernorm": nn.LayerNorm,
          "embedding": nn.Embedding, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "gelu": nn.GELU,
          "identity": nn.Identity, "leaky_relu": nn.LeakyReLU, "softplus": nn.Softplus, "softmax": nn.Softmax,
          "log_softmax": nn.LogSoftmax, "dropout": nn.Dropout, "dropout2d": nn.Dropout2d, "flatten": nn.Flatten,
          "unflatten": nn.Unflatten}

IMAGE = {"format": "soma-model/1", "input": [3, 8, 8], "layers": [
    {"type": "conv2d", "in_channels": 3, "out_channels": 6, "kernel_size": [3, 2], "stride": [1, 2],
     "padding": [1, 0]},                                                           # [6, 8, 4]
    {"type": "batchnorm2d", "num_features": 6},
    {"type": "relu"},
    {"type": "conv2d", "in_channels": 6, "out_channels": 6, "kernel_size": 3, "padding": 1, "groups": 3},
    {"type": "maxpool2d", "kernel_size": 2},                                       # [6, 4, 2]
    {"type": "conv_transpose2d", "in_channels": 6, "out_channels": 4, "kernel_size": 2, "stride": 2},  # [4, 8, 4]
    {"type": "conv2d", "in_channels": 4, "out_channels": 4, "kernel_size": 3, "padding": "same", "groups": 4},
    {"type": "avgpool2d", "kernel_size": 2},                                       # [4, 4, 2]
    {"type": "adaptive_avgpool2d", "output_size": [2, 1]},                         # [4, 2, 1]
    {"type": "dropout2d", "p": 0.3},
    {"type": "leaky_relu", "negative_slope": 0.1},
    {"type": "flatten"},                                                           # [8]
    {"type": "batchnorm1d", "num_features": 8},
    {"type": "linear", "in_features": 8, "out_features": 12},
    {"type": "gelu"},
    {"type": "unflatten", "dim": 1, "unflattened_size": [3, 4]},                   # [3, 4]
    {"type": "conv1d", "in_channels": 3, "out_channels": 5, "kernel_size": 2, "padding": 1},  # [5, 5]
    {"type": "layernorm", "normalized_shape": 5},
    {"type": "tanh"},
    {"type": "flatten"},                                                           # [25]
    {"type": "dropout", "p": 0.2},
    {"type": "linear", "in_features": 25, "out_features": 4, "bias": False},
    {"type": "softplus", "beta": 2, "threshold": 1},
    {"type": "sigmoid"},
    {"type": "identity"},
    {"type": "log_softmax", "dim": 1},
    {"type": "softmax", "dim": -1}]}

TOKENS = {"format": "soma-model/1", "input": [6], "layers": [
    {"type": "embedding", "num_embeddings": 10, "embedding_dim": 4, "padding_idx": 0},  # [6, 4]
    {"type": "layernorm", "normalized_shape": [6, 4], "elementwise_affine": True},
    {"type": "flatten"},
    {"type": "linear", "in_features": 24, "out_features": 3}]}


def build(spec):
    pair = lambda v: tuple(v) if isinstance(v, list) else v
    layers = []
    for layer in spec["layers"]:
        fields = dict(layer)
        layers.append(LAYERS[fields.pop("type")](**{k: pair(v) for k, v in fields.items()}))
    return nn.Sequential(*layers)


def save(tensors, path, metadata=None):
    tensors = {name: t.detach().contiguous() for name, t in tensors.items()}
    try:
        from safetensors.torch import save_file
        save_file(tensors, path, metadata)
        return
    except ImportError:
        pass
    header, offset, data = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        raw = t.numpy().tobytes() if t.dtype != torch.bool else bytes(t.to(torch.uint8).numpy().tobytes())
        header[name] = {"dtype": TYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        data.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(data))


def load(path):
    raw = open(path, "rb").read()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        buffer = bytearray(raw[8 + size + start:8 + size + end])
        tensors[name] = torch.frombuffer(buffer, dtype=dtype).reshape(info["shape"]).clone() if buffer \
            else torch.zeros(info["shape"], dtype=dtype)
    return tensors, metadata, {name: info["dtype"] for name, info in header.items()}


def main(mode, folder):
    torch.manual_seed(17)
    image, tokens = build(IMAGE), build(TOKENS)
    x_image = torch.rand(5, 3, 8, 8)
    x_tokens = torch.tensor([[0, 3, 9, 3, 1, 2], [7, 0, 0, 8, 5, 4], [1, 1, 1, 1, 1, 9]])
    if mode in ("save", "both"):
        with torch.no_grad():
            for _ in range(3):  # BatchNorm's running statistics and num_batches_tracked move off their defaults
                image.train()(torch.randn(4, 3, 8, 8) * 2 + 0.5)
        image.eval()
        tokens.eval()
        with torch.no_grad():
            y_image, y_tokens = image(x_image), tokens(x_tokens)
        save(image.state_dict(), folder + "/image.safetensors", {"soma.spec": json.dumps(IMAGE)})
        save(tokens.state_dict(), folder + "/tokens.safetensors", {"soma.spec": json.dumps(TOKENS)})
        save({"x_image": x_image, "y_image": y_image, "x_tokens": x_tokens, "y_tokens": y_tokens},
             folder + "/io.safetensors")
    if mode == "both":
        print("saved", flush=True)
        sys.stdin.readline()
    if mode in ("load", "both"):
        outputs = {}
        for name, model, x in (("image", image, x_image), ("tokens", tokens, x_tokens)):
            state, _, dtypes = load(folder + "/" + name + "-soma.safetensors")
            for key, dtype in dtypes.items():
                if key.endswith("num_batches_tracked"):
                    assert dtype == "I64", (key, dtype)
            model.load_state_dict(state, strict=True)
            for key, value in model.state_dict().items():
                assert value.dtype == state[key].dtype, (key, value.dtype, state[key].dtype)
            with torch.no_grad():
                outputs["y_" + name] = model.eval()(x)
        save(outputs, folder + "/torch-out.safetensors")
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
