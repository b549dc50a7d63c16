"""Writes PyTorch's values and gradients for Soma's layers and losses, for LayerParityTest.

Run with Debian's PyTorch (python3-torch, 1.13) from the repository root:

    /usr/bin/python3 core/src/test/python/layer_fixtures.py

It writes core/src/test/resources/dev/soma/parity/layers.json. Each case holds a layer's spec as a
Soma model file writes it (or a loss and its arguments), its input, its parameters, its output, a
gradient for the output and the gradients PyTorch's autograd gives the input and every parameter.
Inputs and parameters are drawn in float32 and computed in float64, so Soma (float32) sees exactly
the same numbers and the reference carries no float32 rounding of its own. Shapes are tiny so the
file stays small.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "dev", "soma", "parity", "layers.json")
torch.manual_seed(17)


def tensor(t):
    t = t.detach()
    # 9 significant digits: exact for the float32 inputs, 1e-9 relative for the float64 results
    return {"shape": list(t.shape), "data": [float("%.9g" % v) for v in t.reshape(-1).tolist()]}


def randn(*shape):
    return torch.randn(tuple(shape), dtype=torch.float32).double()


def layer(name, spec, module, x, differentiable=True, randomize=True):
    """A layer case: the module's parameters redrawn (so that no gradient is trivially 1 or 0)."""
    module = module.double()
    if randomize:
        with torch.no_grad():
            for p in module.parameters():
                p.copy_(randn(*p.shape))
    module.eval()
    x = x.clone().requires_grad_(differentiable)
    out = module(x if differentiable else x.long())
    grad_output = randn(*out.shape)
    out.backward(grad_output)
    grads = {name: tensor(p.grad) for name, p in module.named_parameters()}
    if differentiable:
        grads["input"] = tensor(x.grad)
    return {"name": name, "spec": spec, "input": tensor(x),
            "params": {k: tensor(v) for k, v in module.state_dict().items()},
            "output": tensor(out), "grad_output": tensor(grad_output), "grads": grads}


def loss(name, kind, args, x, target, fn, dtype=torch.float64):
    x = x.to(dtype).clone().requires_grad_(True)
    out = fn(x, target)
    grad_output = randn(*out.shape).to(dtype)
    out.backward(grad_output)
    return {"name": name, "loss": kind, "args": args, "input": tensor(x), "target": tensor(target),
            "output": tensor(out), "grad_output": tensor(grad_output), "grads": {"input": tensor(x.grad)}}


def conv2d_spec(i, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True):
    return {"type": "conv2d", "in_channels": i, "out_channels": o, "kernel_size": k, "stride": stride,
            "padding": padding, "dilation": dilation, "groups": groups, "bias": bias}


def conv2d(i, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True):
    tup = lambda v: tuple(v) if isinstance(v, list) else v
    return nn.Conv2d(i, o, tup(k), tup(stride), tup(padding), tup(dilation), groups, bias)


cases = []

# Conv2d: non-square kernels, strides, paddings, "same", groups, depthwise, dilation.
for name, args, shape in [
        ("conv2d 2x3 kernel, stride (2, 1), padding (1, 2)", dict(i=2, o=3, k=[2, 3], stride=[2, 1], padding=[1, 2]),
         (2, 2, 5, 6)),
        ("conv2d padding same, even kernel", dict(i=2, o=2, k=[2, 4], padding="same"), (1, 2, 4, 5)),
        ("conv2d padding same, dilation 2", dict(i=1, o=2, k=3, padding="same", dilation=2), (1, 1, 5, 5)),
        ("conv2d padding valid", dict(i=1, o=1, k=2, padding="valid"), (1, 1, 3, 3)),
        ("conv2d groups 2", dict(i=4, o=6, k=3, padding=1, groups=2), (2, 4, 4, 4)),
        ("conv2d depthwise", dict(i=3, o=3, k=3, stride=2, groups=3, bias=False), (1, 3, 5, 5)),
        ("conv2d depthwise multiplier 2, dilation (2, 1)", dict(i=2, o=4, k=[3, 2], dilation=[2, 1], groups=2),
         (1, 2, 6, 4)),
]:
    cases.append(layer(name, conv2d_spec(**args), conv2d(**args), randn(*shape)))

cases.append(layer("layer_norm last dim", {"type": "layernorm", "normalized_shape": [4], "eps": 1e-5,
                                           "elementwise_affine": True},
                   nn.LayerNorm(4), randn(3, 4)))
cases.append(layer("layer_norm last two dims, eps 0.1", {"type": "layernorm", "normalized_shape": [2, 3],
                                                        "eps": 0.1, "elementwise_affine": True},
                   nn.LayerNorm([2, 3], eps=0.1), randn(2, 2, 3)))
cases.append(layer("layer_norm without affine", {"type": "layernorm", "normalized_shape": [5],
                                                 "eps": 1e-5, "elementwise_affine": False},
                   nn.LayerNorm(5, elementwise_affine=False), randn(2, 5)))
cases.append(layer("embedding", {"type": "embedding", "num_embeddings": 5, "embedding_dim": 3},
                   nn.Embedding(5, 3), torch.tensor([[0, 4, 2], [2, 2, 1]], dtype=torch.float64),
                   differentiable=False))


def padded_embedding():
    m = nn.Embedding(4, 2, padding_idx=1).double()
    with torch.no_grad():
        m.weight.copy_(randn(4, 2))
    return m


emb = padded_embedding()
case = layer("embedding padding_idx", {"type": "embedding", "num_embeddings": 4, "embedding_dim": 2,
                                       "padding_idx": 1}, emb, torch.tensor([1.0, 3.0, 1.0, 0.0]),
             differentiable=False, randomize=False)
cases.append(case)
cases.append(layer("softplus", {"type": "softplus", "beta": 1.0, "threshold": 20.0}, nn.Softplus(),
                   randn(2, 5) * 3))
cases.append(layer("softplus beta 2, threshold 1", {"type": "softplus", "beta": 2.0, "threshold": 1.0},
                   nn.Softplus(beta=2.0, threshold=1.0), randn(3, 4)))
cases.append(layer("dropout2d in eval", {"type": "dropout2d", "p": 0.5}, nn.Dropout2d(0.5), randn(1, 2, 2, 2)))
cases.append(layer("unflatten", {"type": "unflatten", "dim": 1, "unflattened_size": [2, 3]},
                   nn.Unflatten(1, (2, 3)), randn(2, 6)))
cases.append(layer("adaptive_avg_pool2d 5x7 to (2, 3)", {"type": "adaptive_avgpool2d", "output_size": [2, 3]},
                   nn.AdaptiveAvgPool2d((2, 3)), randn(1, 2, 5, 7)))
cases.append(layer("adaptive_avg_pool2d to 1", {"type": "adaptive_avgpool2d", "output_size": 1},
                   nn.AdaptiveAvgPool2d(1), randn(2, 3, 3, 4)))
cases.append(layer("conv1d", {"type": "conv1d", "in_channels": 2, "out_channels": 3, "kernel_size": 3,
                              "stride": 2, "padding": 1, "dilation": 1, "groups": 1, "bias": True},
                   nn.Conv1d(2, 3, 3, stride=2, padding=1), randn(2, 2, 7)))
cases.append(layer("conv1d same, dilation 2, groups 2", {"type": "conv1d", "in_channels": 2, "out_channels": 4,
                                                         "kernel_size": 2, "stride": 1, "padding": "same",
                                                         "dilation": 2, "groups": 2, "bias": False},
                   nn.Conv1d(2, 4, 2, padding="same", dilation=2, groups=2, bias=False), randn(1, 2, 5)))
for name, kw, shape in [
        ("conv_transpose2d", dict(in_channels=2, out_channels=3, kernel_size=3), (1, 2, 3, 3)),
        ("conv_transpose2d stride 2, padding 1, output_padding 1",
         dict(in_channels=2, out_channels=2, kernel_size=3, stride=2, padding=1, output_padding=1), (2, 2, 3, 2)),
        ("conv_transpose2d (2, 3) kernel, stride (1, 2), groups 2, dilation 2",
         dict(in_channels=4, out_channels=2, kernel_size=[2, 3], stride=[1, 2], groups=2, dilation=2, bias=False),
         (1, 4, 2, 3)),
        ("conv_transpose2d padding 2 larger than the kernel's reach",
         dict(in_channels=1, out_channels=1, kernel_size=2, padding=2), (1, 1, 5, 4)),
]:
    spec = {"type": "conv_transpose2d", "in_channels": kw["in_channels"], "out_channels": kw["out_channels"],
            "kernel_size": kw["kernel_size"], "stride": kw.get("stride", 1), "padding": kw.get("padding", 0),
            "output_padding": kw.get("output_padding", 0), "groups": kw.get("groups", 1),
            "bias": kw.get("bias", True), "dilation": kw.get("dilation", 1)}
    tup = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
    cases.append(layer(name, spec, nn.ConvTranspose2d(**tup), randn(*shape)))

# Losses.
logits = randn(4, 3)
labels = torch.tensor([0, 2, 1, 2])
weight = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64)
for reduction in ["mean", "sum", "none"]:
    cases.append(loss("cross_entropy weight ignore_index " + reduction, "cross_entropy",
                      {"weight": weight.tolist(), "ignore_index": 1, "reduction": reduction},
                      logits, labels.double(),
                      lambda x, t: F.cross_entropy(x, t.long(), weight=weight, ignore_index=1, reduction=reduction)))
cases.append(loss("cross_entropy weight, label smoothing 0.2", "cross_entropy",
                  {"weight": weight.tolist(), "label_smoothing": 0.2, "reduction": "mean"}, logits, labels.double(),
                  lambda x, t: F.cross_entropy(x, t.long(), weight=weight, label_smoothing=0.2)))
images = randn(2, 3, 2, 2)
pixel_labels = torch.tensor([[[0, 1], [2, -100]], [[1, 1], [0, 2]]])
cases.append(loss("cross_entropy [N, C, H, W], default ignore_index", "cross_entropy", {"reduction": "mean"},
                  images, pixel_labels.double(), lambda x, t: F.cross_entropy(x, t.long())))
cases.append(loss("cross_entropy [N, C, H, W] none", "cross_entropy", {"reduction": "none"},
                  images, pixel_labels.double(), lambda x, t: F.cross_entropy(x, t.long(), reduction="none")))
log_probs = torch.log_softmax(randn(5, 3), 1)
nll_labels = torch.tensor([2, 0, 0, 1, 2])
cases.append(loss("nll weight ignore_index 0", "nll", {"weight": weight.tolist(), "ignore_index": 0,
                                                      "reduction": "mean"},
                  log_probs, nll_labels.double(),
                  lambda x, t: F.nll_loss(x, t.long(), weight=weight, ignore_index=0)))
seq = torch.log_softmax(randn(2, 3, 4), 1)
seq_labels = torch.tensor([[0, 1, 2, 2], [1, 0, 0, 2]])
cases.append(loss("nll [N, C, L] sum", "nll", {"reduction": "sum"}, seq, seq_labels.double(),
                  lambda x, t: F.nll_loss(x, t.long(), reduction="sum")))
pos_weight = torch.tensor([3.0, 0.5, 1.0], dtype=torch.float64)
targets01 = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.25]], dtype=torch.float64)
cases.append(loss("bce_with_logits pos_weight", "bce_with_logits", {"pos_weight": pos_weight.tolist(),
                                                                   "reduction": "mean"},
                  randn(2, 3) * 2, targets01,
                  lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=pos_weight)))
a, b = randn(3, 4), randn(3, 4)
b[0, 0] = a[0, 0]  # |d| = 0: the gradient of |d| there is 0
b[0, 1] = a[0, 1] + 0.5  # |d| = beta / 2 inside the quadratic part
for reduction in ["mean", "sum", "none"]:
    cases.append(loss("l1 " + reduction, "l1", {"reduction": reduction}, a, b,
                      lambda x, t: F.l1_loss(x, t, reduction=reduction)))
cases.append(loss("huber delta 1", "huber", {"delta": 1.0, "reduction": "mean"}, a * 2, b,
                  lambda x, t: F.huber_loss(x, t, delta=1.0)))
cases.append(loss("huber delta 0.5 sum", "huber", {"delta": 0.5, "reduction": "sum"}, a * 2, b,
                  lambda x, t: F.huber_loss(x, t, reduction="sum", delta=0.5)))
cases.append(loss("smooth_l1 beta 1", "smooth_l1", {"beta": 1.0, "reduction": "mean"}, a * 2, b,
                  lambda x, t: F.smooth_l1_loss(x, t, beta=1.0)))
cases.append(loss("smooth_l1 beta 2 none", "smooth_l1", {"beta": 2.0, "reduction": "none"}, a * 2, b,
                  lambda x, t: F.smooth_l1_loss(x, t, reduction="none", beta=2.0)))
q = torch.log_softmax(randn(3, 4), 1)
p = torch.softmax(randn(3, 4), 1)
p[1, 2] = 0.0  # target 0 contributes 0 (0·log 0 = 0)
for reduction in ["batchmean", "mean", "sum", "none"]:
    cases.append(loss("kl_div " + reduction, "kl_div", {"reduction": reduction, "log_target": False}, q, p,
                      lambda x, t: F.kl_div(x, t, reduction=reduction)))
log_p = torch.log_softmax(randn(3, 4), 1)
cases.append(loss("kl_div log_target batchmean", "kl_div", {"reduction": "batchmean", "log_target": True}, q, log_p,
                  lambda x, t: F.kl_div(x, t, reduction="batchmean", log_target=True)))
# BCELoss at probabilities exactly 0 and 1, in float32 as Soma computes: PyTorch's backward is
# (p − y) / max(p·(1 − p), 1e-12), finite where the logarithm's slope is not.
probs = torch.tensor([0.0, 0.0, 1.0, 1.0, 0.3, 1e-7], dtype=torch.float32)
targets = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.6, 1.0], dtype=torch.float32)
cases.append(loss("bce at 0 and 1, float32", "bce", {"reduction": "sum"}, probs, targets,
                  lambda x, t: F.binary_cross_entropy(x, t, reduction="sum"), dtype=torch.float32))



def write(path, written):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"generator": "core/src/test/python/layer_fixtures.py", "torch": torch.__version__,
                   "cases": written}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(written)} cases, {os.path.getsize(path)} bytes -> {os.path.normpath(path)}")


write(OUT, cases)

# Pooling's options (ceil_mode, count_include_pad, divisor_override, per-axis sizes), return_indices and
# MaxUnpool2d, in a file of their own drawn from a generator of their own, so that layers.json stays as it was.
POOLING_OUT = os.path.join(os.path.dirname(OUT), "pooling.json")
torch.manual_seed(1702)
pooling = []


def pair(v):
    return tuple(v) if isinstance(v, list) else v


def from_spec(spec):
    """The PyTorch module of a spec as Soma writes it, built as docs/MODEL-FILES.md's loader builds it: so the
    field names are PyTorch's keyword arguments."""
    kind = {"maxpool2d": nn.MaxPool2d, "avgpool2d": nn.AvgPool2d}[spec["type"]]
    return kind(**{k: pair(v) for k, v in spec.items() if k != "type"})


def maxpool_spec(k, stride=None, padding=0, dilation=1, ceil_mode=False):
    return {"type": "maxpool2d", "kernel_size": k, "stride": k if stride is None else stride, "padding": padding,
            "dilation": dilation, "ceil_mode": ceil_mode}


def avgpool_spec(k, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    return {"type": "avgpool2d", "kernel_size": k, "stride": k if stride is None else stride, "padding": padding,
            "ceil_mode": ceil_mode, "count_include_pad": count_include_pad, "divisor_override": divisor_override}


for name, args, shape in [
        # H = 5, k 2, s 2, p 1: ceil gives 4 windows, the 4th would start at 6 = H + p, in the padding: dropped
        ("maxpool2d ceil_mode, last window starts in the padding", dict(k=2, stride=2, padding=1, ceil_mode=True),
         (1, 2, 5, 5)),
        ("maxpool2d ceil_mode, a partial last window", dict(k=2, ceil_mode=True), (2, 1, 5, 7)),
        ("maxpool2d stride 2 kernel 3, ceil_mode", dict(k=3, stride=2, ceil_mode=True), (1, 2, 6, 6)),
        ("maxpool2d stride 1 kernel 2", dict(k=2, stride=1), (1, 1, 4, 3)),
        ("maxpool2d (2, 3) kernel, stride (1, 2), padding (1, 1), dilation (2, 1), ceil_mode",
         dict(k=[2, 3], stride=[1, 2], padding=[1, 1], dilation=[2, 1], ceil_mode=True), (1, 2, 5, 6)),
        ("maxpool2d (3, 1) kernel, stride (2, 1), dilation 2", dict(k=[3, 1], stride=[2, 1], dilation=2),
         (2, 1, 7, 3)),
]:
    spec = maxpool_spec(**args)
    pooling.append(layer(name, spec, from_spec(spec), randn(*shape)))

for name, args, shape in [
        ("avgpool2d count_include_pad false, padding 1, stride 2", dict(k=3, stride=2, padding=1,
                                                                       count_include_pad=False), (1, 2, 5, 6)),
        ("avgpool2d ceil_mode, padding counted, windows cut at H + p", dict(k=3, stride=2, padding=1, ceil_mode=True),
         (1, 1, 6, 6)),
        ("avgpool2d ceil_mode, count_include_pad false", dict(k=3, stride=2, padding=1, ceil_mode=True,
                                                              count_include_pad=False), (2, 1, 6, 5)),
        ("avgpool2d ceil_mode, last window starts in the padding", dict(k=2, stride=2, padding=1, ceil_mode=True),
         (1, 1, 5, 5)),
        ("avgpool2d ceil_mode without padding", dict(k=2, ceil_mode=True), (1, 2, 3, 5)),
        ("avgpool2d divisor_override 3", dict(k=2, stride=1, padding=1, divisor_override=3), (1, 1, 3, 4)),
        ("avgpool2d (2, 3) kernel, stride (1, 2), padding (1, 0)", dict(k=[2, 3], stride=[1, 2], padding=[1, 0]),
         (1, 2, 4, 7)),
        ("avgpool2d (3, 2) kernel, stride (2, 3), padding (1, 1), ceil_mode, count_include_pad false",
         dict(k=[3, 2], stride=[2, 3], padding=[1, 1], ceil_mode=True, count_include_pad=False), (1, 1, 6, 7)),
]:
    spec = avgpool_spec(**args)
    pooling.append(layer(name, spec, from_spec(spec), randn(*shape)))


def unpool(name, pool_args, shape, output_size=None):
    """MaxPool2d with return_indices, then MaxUnpool2d of its values: both outputs, the indices, the gradients."""
    spec = maxpool_spec(**pool_args)
    k, s, p = pair(pool_args["k"]), pair(pool_args.get("stride", pool_args["k"])), pair(pool_args.get("padding", 0))
    x = randn(*shape).requires_grad_(True)
    values, indices = F.max_pool2d(x, k, s, p, pair(pool_args.get("dilation", 1)),
                                   ceil_mode=pool_args.get("ceil_mode", False), return_indices=True)
    unpooled = F.max_unpool2d(values, indices, k, s, p, output_size=output_size)
    grad_output = randn(*unpooled.shape)
    unpooled.backward(grad_output)
    return {"name": name, "unpool": {"pool": spec, "kernel_size": pool_args["k"],
                                     "stride": pool_args.get("stride", pool_args["k"]),
                                     "padding": pool_args.get("padding", 0), "output_size": output_size},
            "input": tensor(x), "values": tensor(values), "indices": tensor(indices.double()),
            "output": tensor(unpooled), "grad_output": tensor(grad_output), "grads": {"input": tensor(x.grad)}}


pooling.append(unpool("max_unpool2d of max_pool2d 2", dict(k=2), (2, 2, 4, 6)))
pooling.append(unpool("max_unpool2d, odd input: output_size given", dict(k=2), (1, 2, 5, 5), output_size=[5, 5]))
pooling.append(unpool("max_unpool2d of overlapping windows, kernel 3 stride 2 padding 1", dict(k=3, stride=2, padding=1),
                      (1, 1, 5, 6), output_size=[5, 6]))
pooling.append(unpool("max_unpool2d of (2, 3) windows, stride (2, 1), ceil_mode",
                      dict(k=[2, 3], stride=[2, 1], ceil_mode=True), (1, 1, 5, 5), output_size=[5, 5]))

# MaxUnpool2d on its own, with indices that repeat: PyTorch's CPU kernel writes in order, the later wins,
# and each input's gradient is the output gradient at its index.
values = randn(1, 2, 2, 2).requires_grad_(True)
indices = torch.tensor([[[[0, 5], [5, 15]], [[3, 3], [0, 8]]]])
unpooled = F.max_unpool2d(values, indices, 2, 2, output_size=[4, 4])
grad_output = randn(*unpooled.shape)
unpooled.backward(grad_output)
pooling.append({"name": "max_unpool2d, repeated indices", "unpool": {"kernel_size": 2, "stride": 2, "padding": 0,
                                                                     "output_size": [4, 4]},
                "values": tensor(values), "indices": tensor(indices.double()), "output": tensor(unpooled),
                "grad_output": tensor(grad_output), "grads": {"values": tensor(values.grad)}})

write(POOLING_OUT, pooling)
