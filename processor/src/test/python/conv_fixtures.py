#!/usr/bin/python3
"""Reference fixtures for convolution and pooling networks.

For every network below this script draws the parameters, one input sample and one target from a
fixed seed, computes the output, the loss and the gradient of the loss with respect to every
parameter with PyTorch's autograd, and writes them as plain text into
processor/src/test/resources/fixtures/conv/ : <name>.double.txt computed entirely in float64 and
<name>.float.txt computed entirely in float32 from the same values cast to float32. See the
README.md there for the file format and the parameter layout.

Run from the repository root:

    /usr/bin/python3 processor/src/test/python/conv_fixtures.py

The output is deterministic: running it again writes byte-identical files.
"""

import math
import os
import random
import sys

import torch
import torch.nn.functional as F

import fixture_files
from fixture_files import FixtureCheck, activate, draw_target, result

SCRIPT = "processor/src/test/python/conv_fixtures.py"
OUT_DIR = os.path.join("processor", "src", "test", "resources", "fixtures", "conv")

BIAS_STD = 0.1
# A relu pre-activation closer than this to 0 makes the fixture's gradient fragile.
RELU_MARGIN = 1e-6
# Seeds tried per network: base, base + 1, ... until every check passes.
SEED_ATTEMPTS = 100


# ---------------------------------------------------------------------------------------------
# Network declarations. Shapes are (C, H, W) for images, (n,) for flat vectors.

def conv(filters, kh, kw, activation, stride=1, pad=0, same=False):
    return {"kind": "conv", "filters": filters, "kh": kh, "kw": kw, "stride": stride,
            "pad": pad, "same": same, "activation": activation}


def maxpool(window, stride=None):
    return {"kind": "maxpool", "window": window, "stride": window if stride is None else stride}


def avgpool(window, stride=None):
    return {"kind": "avgpool", "window": window, "stride": window if stride is None else stride}


def gap():
    return {"kind": "gap"}


def dense(units, activation):
    return {"kind": "dense", "units": units, "activation": activation}


NETWORKS = [
    ("conv_basic", 1, (1, 6, 5),
     [conv(4, 3, 3, "relu"), dense(3, "softmax")], "cross_entropy"),
    ("conv_stride_pad", 2, (2, 7, 6),
     [conv(3, 3, 2, "tanh", stride=2, pad=1), maxpool(3, 1), dense(2, "identity")], "mse"),
    ("conv_same_avg", 3, (3, 5, 5),
     [conv(2, 4, 4, "sigmoid", same=True), avgpool(2), dense(1, "sigmoid")],
     "binary_cross_entropy"),
    ("conv_1x1_gap", 4, (3, 4, 4),
     [conv(5, 1, 1, "relu"), gap(), dense(3, "softmax")], "cross_entropy"),
    ("maxpool_overlap", 5, (2, 7, 7),
     [maxpool(3, 2), conv(2, 2, 2, "identity"), dense(2, "tanh")], "mse"),
    ("lenet5", 6, (1, 28, 28),
     [conv(6, 5, 5, "relu", pad=2), maxpool(2), conv(16, 5, 5, "relu"), maxpool(2),
      dense(120, "relu"), dense(84, "relu"), dense(10, "softmax")], "cross_entropy"),
]


# ---------------------------------------------------------------------------------------------
# Shapes and parameter blocks.

def same_padding(k):
    """(before, after) zeros for a stride-1 SAME axis of kernel k: the extra one after."""
    before = (k - 1) // 2
    return before, k - 1 - before


def plan(input_shape, layers):
    """Each layer's input shape, output shape and parameter block shapes, in order."""
    shape = input_shape
    planned = []
    for layer in layers:
        kind = layer["kind"]
        blocks = []
        if kind == "conv":
            c, h, w = shape
            kh, kw, s = layer["kh"], layer["kw"], layer["stride"]
            if layer["same"]:
                assert s == 1, "SAME padding is declared here for stride 1 only"
                top, bottom = same_padding(kh)
                left, right = same_padding(kw)
            else:
                top = bottom = left = right = layer["pad"]
            out = (layer["filters"],
                   (h + top + bottom - kh) // s + 1,
                   (w + left + right - kw) // s + 1)
            layer = dict(layer, padding=(left, right, top, bottom))
            blocks = [("weight", (layer["filters"], c, kh, kw), c * kh * kw),
                      ("bias", (layer["filters"],), None)]
        elif kind in ("maxpool", "avgpool"):
            c, h, w = shape
            k, s = layer["window"], layer["stride"]
            out = (c, (h - k) // s + 1, (w - k) // s + 1)
        elif kind == "gap":
            out = (shape[0],)
        elif kind == "dense":
            n = math.prod(shape)
            m = layer["units"]
            out = (m,)
            # Input-major: the weight from input i to unit j sits at i * m + j.
            blocks = [("weight", (n, m), n), ("bias", (m,), None)]
        else:
            raise ValueError(kind)
        planned.append((layer, shape, out, blocks))
        shape = out
    return planned, shape


def describe(input_shape, planned, loss):
    parts = ["input %s" % "x".join(map(str, input_shape))]
    for layer, _, out, _ in planned:
        kind = layer["kind"]
        dims = "x".join(map(str, out))
        if kind == "conv":
            if layer["same"]:
                left, right, top, bottom = layer["padding"]
                pad = "SAME (top %d bottom %d left %d right %d)" % (top, bottom, left, right)
            else:
                pad = "pad %d" % layer["pad"]
            parts.append("conv %d@%dx%d stride %d %s %s -> %s" % (
                layer["filters"], layer["kh"], layer["kw"], layer["stride"], pad,
                layer["activation"], dims))
        elif kind in ("maxpool", "avgpool"):
            parts.append("%s pool window %d stride %d -> %s" % (
                kind[:3], layer["window"], layer["stride"], dims))
        elif kind == "gap":
            parts.append("global avg pool -> %s" % dims)
        else:
            parts.append("dense %d %s" % (layer["units"], layer["activation"]))
    parts.append("loss %s" % loss)
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Drawing values (Python's own generator, in float64; independent of torch's generators).

def draw(seed, planned, output_len, loss, input_shape):
    rng = random.Random(seed)
    params = []
    for _, _, _, blocks in planned:
        for role, shape, fan_in in blocks:
            count = math.prod(shape)
            std = 1.0 / math.sqrt(fan_in) if role == "weight" else BIAS_STD
            params.extend(rng.gauss(0.0, std) for _ in range(count))
    x = [rng.gauss(0.0, 1.0) for _ in range(math.prod(input_shape))]
    y = draw_target(rng, loss, output_len)
    return params, x, y


# ---------------------------------------------------------------------------------------------
# Forward pass, loss and checks.



def check_pool_ties(a, k, s, after_relu, where):
    """No pooling window has two equal maxima, except all-zero windows of relu outputs: there
    every element's pre-activation is negative, so each choice gives the same (zero) gradient."""
    windows = a.detach().unfold(1, k, s).unfold(2, k, s)  # C x H' x W' x k x k
    windows = windows.reshape(-1, k * k)
    top2 = torch.topk(windows, 2, dim=1).values
    tied = top2[:, 0] == top2[:, 1]
    if after_relu:
        tied = tied & (top2[:, 0] != 0)
    if bool(tied.any()):
        raise FixtureCheck("%s: %d max pooling window(s) with two equal maxima"
                           % (where, int(tied.sum())))




def run(planned, leaves, x, y, loss):
    """Forward pass and loss; raises FixtureCheck when a check fails."""
    a = x
    image_activation = None  # activation of the layer that produced `a`, if any
    it = iter(leaves)
    z = None
    last = None
    for index, (layer, _, _, _) in enumerate(planned):
        kind = layer["kind"]
        where = "layer %d (%s)" % (index, kind)
        if kind == "conv":
            w, b = next(it), next(it)
            inp = a.unsqueeze(0)
            if layer["same"]:
                inp = F.pad(inp, layer["padding"])
                z = F.conv2d(inp, w, b, stride=layer["stride"])
            else:
                z = F.conv2d(inp, w, b, stride=layer["stride"], padding=layer["pad"])
            z = z.squeeze(0)
            act = layer["activation"]
        elif kind == "dense":
            w, b = next(it), next(it)
            flat = torch.flatten(a)  # CHW order
            z = F.linear(flat, w.t(), b)  # w is stored input-major: n x m
            act = layer["activation"]
        else:
            act = None
        if act is not None:
            if act == "relu":
                near = z.detach().abs() <= RELU_MARGIN
                if bool(near.any()):
                    raise FixtureCheck("%s: relu pre-activation within %g of 0"
                                       % (where, RELU_MARGIN))
            last = (z, act)
            a = activate(z, act)
            image_activation = act
            continue
        if kind == "maxpool":
            k, s = layer["window"], layer["stride"]
            check_pool_ties(a, k, s, image_activation == "relu", where)
            a = F.max_pool2d(a.unsqueeze(0), k, s).squeeze(0)
        elif kind == "avgpool":
            k, s = layer["window"], layer["stride"]
            a = F.avg_pool2d(a.unsqueeze(0), k, s).squeeze(0)
        elif kind == "gap":
            a = torch.flatten(F.adaptive_avg_pool2d(a.unsqueeze(0), 1))
        image_activation = None
    logits, act = last
    if loss == "mse":
        value = torch.mean((a - y) ** 2)
    elif loss == "cross_entropy":
        assert act == "softmax"
        value = -torch.sum(y * torch.log_softmax(logits, dim=-1))
    elif loss == "binary_cross_entropy":
        assert act == "sigmoid"
        value = F.binary_cross_entropy_with_logits(logits, y, reduction="mean")
    else:
        raise ValueError(loss)
    return a, value


def compute(planned, params, x, y, loss, input_shape, dtype):
    flat = torch.tensor(params, dtype=torch.float64).to(dtype)
    leaves = []
    offset = 0
    for _, _, _, blocks in planned:
        for _, shape, _ in blocks:
            count = math.prod(shape)
            leaves.append(flat[offset:offset + count].clone().reshape(shape).requires_grad_(True))
            offset += count
    assert offset == len(params)
    xt = torch.tensor(x, dtype=torch.float64).to(dtype).reshape(input_shape)
    yt = torch.tensor(y, dtype=torch.float64).to(dtype)
    output, value = run(planned, leaves, xt, yt, loss)
    value.backward()
    grad = torch.cat([leaf.grad.flatten() for leaf in leaves])
    param_values = torch.cat([leaf.detach().flatten() for leaf in leaves])
    return result(param_values, xt, yt, output, value, grad)



def main():
    fixture_files.generate(SCRIPT, OUT_DIR, NETWORKS, plan, describe, draw, compute, SEED_ATTEMPTS)


if __name__ == "__main__":
    main()
