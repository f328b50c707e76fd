#!/usr/bin/python3
"""Reference fixtures for recurrent networks (simple RNN, LSTM, GRU).

For every network below this script draws the parameters, one input sequence and one target from
a fixed seed, computes the output, the loss and the gradient of the loss with respect to every
parameter with PyTorch's own recurrent modules (torch.nn.RNN, torch.nn.LSTM, torch.nn.GRU, one
layer, batch_first) and autograd, and writes them as plain text into
processor/src/test/resources/fixtures/recurrent/ : <name>.double.txt computed entirely in float64
and <name>.float.txt computed entirely in float32 from the same values cast to float32. See the
README.md there for the file format and the parameter layout.

Run from the repository root:

    /usr/bin/python3 processor/src/test/python/recurrent_fixtures.py

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

SCRIPT = "processor/src/test/python/recurrent_fixtures.py"
OUT_DIR = os.path.join("processor", "src", "test", "resources", "fixtures", "recurrent")

DENSE_BIAS_STD = 0.1
# A relu pre-activation closer than this to 0 makes the fixture's gradient fragile.
RELU_MARGIN = 1e-6
# Seeds tried per network: base, base + 1, ... until every check passes.
SEED_ATTEMPTS = 100

# Gates per recurrent kind: the row blocks of each weight and bias, in PyTorch's order.
GATES = {"rnn": 1, "lstm": 4, "gru": 3}
GATE_NAMES = {"rnn": "", "lstm": "gates i, f, g, o", "gru": "gates r, z, n"}


# ---------------------------------------------------------------------------------------------
# Network declarations. Shapes are (T, F) for sequences, (n,) for flat vectors.

def rnn(units, activation="tanh", sequences=False):
    return {"kind": "rnn", "units": units, "activation": activation, "sequences": sequences}


def lstm(units, sequences=False):
    return {"kind": "lstm", "units": units, "activation": None, "sequences": sequences}


def gru(units, sequences=False):
    return {"kind": "gru", "units": units, "activation": None, "sequences": sequences}


def dense(units, activation):
    return {"kind": "dense", "units": units, "activation": activation}


def step_dense(units, activation):
    """Chainrule's @Dense(perStep = true): one torch Linear applied to every step."""
    return {"kind": "step_dense", "units": units, "activation": activation}


NETWORKS = [
    ("rnn_tanh_last", 1, (4, 3),
     [rnn(5), dense(2, "identity")], "mse"),
    ("rnn_relu_sequences", 2, (5, 2),
     [rnn(4, "relu", sequences=True), rnn(3), dense(3, "softmax")], "cross_entropy"),
    ("lstm_last", 3, (4, 3),
     [lstm(5), dense(2, "identity")], "mse"),
    ("lstm_sequences_dense", 4, (3, 4),
     [lstm(4, sequences=True), dense(2, "sigmoid")], "binary_cross_entropy"),
    ("gru_last_tanh", 5, (4, 3),
     [gru(5), dense(2, "tanh")], "mse"),
    ("gru_sequences_output", 6, (3, 2),
     [gru(3, sequences=True), gru(2, sequences=True)], "mse"),
    ("rnn_lstm_gru", 7, (4, 3),
     [rnn(4, sequences=True), lstm(3, sequences=True), gru(4), dense(3, "softmax")],
     "cross_entropy"),
    ("lstm_long", 8, (24, 2),
     [lstm(3), dense(1, "identity")], "mse"),
    ("gru_long", 9, (30, 1),
     [gru(3), dense(1, "identity")], "mse"),
    ("lstm_one_step_one_unit", 10, (1, 3),
     [lstm(1), dense(1, "identity")], "mse"),
    ("gru_one_step_one_unit", 11, (1, 2),
     [gru(1, sequences=True)], "mse"),
    ("rnn_relu_one_unit", 12, (6, 2),
     [rnn(1, "relu"), dense(2, "softmax")], "cross_entropy"),
    ("lstm_wide", 13, (3, 40),
     [lstm(40), dense(2, "identity")], "mse"),
    ("gru_tagger", 14, (5, 3),
     [gru(4, sequences=True), step_dense(3, "softmax")], "cross_entropy"),
    ("step_rnn_step", 15, (4, 3),
     [step_dense(4, "tanh"), rnn(3, sequences=True), step_dense(2, "identity")], "mse"),
]


# ---------------------------------------------------------------------------------------------
# Shapes and parameter blocks.

def plan(input_shape, layers):
    """Each layer's input shape, output shape and parameter blocks (role, shape, draw), in order."""
    shape = input_shape
    planned = []
    for layer in layers:
        kind = layer["kind"]
        if kind in GATES:
            assert len(shape) == 2, "a recurrent layer reads a sequence"
            steps, features = shape
            h = layer["units"]
            rows = GATES[kind] * h
            out = (steps, h) if layer["sequences"] else (h,)
            # PyTorch's own initialisation bound for all four blocks, biases included.
            bound = 1.0 / math.sqrt(h)
            blocks = [("weight_ih_l0", (rows, features), ("uniform", bound)),
                      ("weight_hh_l0", (rows, h), ("uniform", bound)),
                      ("bias_ih_l0", (rows,), ("uniform", bound)),
                      ("bias_hh_l0", (rows,), ("uniform", bound))]
        elif kind == "step_dense":
            assert len(shape) == 2, "a dense layer per step reads a sequence"
            steps, n = shape
            m = layer["units"]
            out = (steps, m)
            blocks = [("weight", (n, m), ("gauss", 1.0 / math.sqrt(n))),
                      ("bias", (m,), ("gauss", DENSE_BIAS_STD))]
        elif kind == "dense":
            n = math.prod(shape)
            m = layer["units"]
            out = (m,)
            # Input-major: the weight from input i to unit j sits at i * m + j.
            blocks = [("weight", (n, m), ("gauss", 1.0 / math.sqrt(n))),
                      ("bias", (m,), ("gauss", DENSE_BIAS_STD))]
        else:
            raise ValueError(kind)
        planned.append((layer, shape, out, blocks))
        shape = out
    return planned, shape


def describe(input_shape, planned, loss):
    parts = ["input %d steps x %d features" % input_shape]
    for layer, _, out, _ in planned:
        kind = layer["kind"]
        if kind in GATES:
            label = {"rnn": "simple rnn", "lstm": "lstm", "gru": "gru"}[kind]
            act = " " + layer["activation"] if kind == "rnn" else ""
            if layer["sequences"]:
                parts.append("%s %d%s sequences -> %dx%d" % (label, layer["units"], act, out[0], out[1]))
            else:
                parts.append("%s %d%s last state -> %d" % (label, layer["units"], act, out[0]))
        elif kind == "step_dense":
            parts.append("dense per step %d %s -> %dx%d" % (layer["units"], layer["activation"], out[0], out[1]))
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
        for _, shape, (law, scale) in blocks:
            count = math.prod(shape)
            if law == "uniform":
                params.extend(rng.uniform(-scale, scale) for _ in range(count))
            else:
                params.extend(rng.gauss(0.0, scale) for _ in range(count))
    x = [rng.gauss(0.0, 1.0) for _ in range(math.prod(input_shape))]
    y = draw_target(rng, loss, output_len)
    return params, x, y


# ---------------------------------------------------------------------------------------------
# Forward pass, loss and checks.





def module(layer, features, dtype):
    """PyTorch's module for a recurrent layer: one layer, batch first, both biases."""
    h = layer["units"]
    if layer["kind"] == "rnn":
        m = torch.nn.RNN(features, h, nonlinearity=layer["activation"], bias=True, batch_first=True)
    elif layer["kind"] == "lstm":
        m = torch.nn.LSTM(features, h, bias=True, batch_first=True)
    else:
        m = torch.nn.GRU(features, h, bias=True, batch_first=True)
    return m.to(dtype)


def check_relu(seq_in, seq_out, m, where):
    """No pre-activation of a relu simple RNN is near 0: recomputed from the module's own states."""
    with torch.no_grad():
        w_ih, w_hh, b_ih, b_hh = m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0, m.bias_hh_l0
        prev = torch.zeros(w_hh.shape[1], dtype=w_hh.dtype)
        for t in range(seq_in.shape[0]):
            pre = w_ih @ seq_in[t] + b_ih + w_hh @ prev + b_hh
            if bool((pre.abs() <= RELU_MARGIN).any()):
                raise FixtureCheck("%s: relu pre-activation within %g of 0 at step %d"
                                   % (where, RELU_MARGIN, t))
            prev = seq_out[t]


def run(planned, params, x, y, loss, dtype):
    """Forward pass and loss over leaves built from `params`; returns (output, loss, leaves)."""
    flat = torch.tensor(params, dtype=torch.float64).to(dtype)
    leaves = []
    offset = 0

    def take(shape):
        nonlocal offset
        count = math.prod(shape)
        block = flat[offset:offset + count].clone().reshape(shape)
        offset += count
        return block

    a = x
    last = None
    for index, (layer, in_shape, _, blocks) in enumerate(planned):
        kind = layer["kind"]
        where = "layer %d (%s)" % (index, kind)
        if kind in GATES:
            m = module(layer, in_shape[1], dtype)
            named = dict(m.named_parameters())
            assert list(named) == [role for role, _, _ in blocks], list(named)
            with torch.no_grad():
                for role, shape, _ in blocks:
                    assert tuple(named[role].shape) == shape, (role, named[role].shape, shape)
                    named[role].copy_(take(shape))
            leaves.extend(named[role] for role, _, _ in blocks)
            seq, _ = m(a.unsqueeze(0))  # 1 x T x H: every step's state
            seq = seq.squeeze(0)
            if layer["activation"] == "relu":
                check_relu(a.detach(), seq.detach(), m, where)
            a = seq if layer["sequences"] else seq[-1]
            last = (None, None)
        else:
            w = take(blocks[0][1]).requires_grad_(True)
            b = take(blocks[1][1]).requires_grad_(True)
            leaves.extend([w, b])
            # per step: the same weights on every row of a [T][F] sequence; else read flat
            z = F.linear(a if kind == "step_dense" else torch.flatten(a), w.t(), b)  # a [T][H] sequence is read flat, t*H + j
            act = layer["activation"]
            if act == "relu" and bool((z.detach().abs() <= RELU_MARGIN).any()):
                raise FixtureCheck("%s: relu pre-activation within %g of 0" % (where, RELU_MARGIN))
            last = (z, act)
            a = activate(z, act)
    assert offset == len(params)
    logits, act = last
    out = torch.flatten(a)
    if loss == "mse":
        value = torch.mean((out - y) ** 2)
    elif loss == "cross_entropy":
        assert act == "softmax"
        if logits.dim() == 2:  # a softmax per step: the mean over the steps of each step's cross-entropy
            value = -torch.sum(y.reshape(logits.shape) * torch.log_softmax(logits, dim=-1)) / logits.shape[0]
        else:
            value = -torch.sum(y * torch.log_softmax(logits, dim=-1))
    elif loss == "binary_cross_entropy":
        assert act == "sigmoid"
        value = F.binary_cross_entropy_with_logits(logits, y, reduction="mean")
    else:
        raise ValueError(loss)
    return out, value, leaves


def check_live(planned, leaves, steps):
    """Every block of a recurrent layer has a non-zero gradient somewhere (a relu layer whose
    units end at 0 would leave its whole gradient 0 and check nothing); the recurrent weights
    are exempt over one step, where they only ever meet the zero initial state."""
    it = iter(leaves)
    for index, (layer, _, _, blocks) in enumerate(planned):
        for role, _, _ in blocks:
            leaf = next(it)
            if layer["kind"] not in GATES or (role == "weight_hh_l0" and steps == 1):
                continue
            if not bool((leaf.grad != 0).any()):
                raise FixtureCheck("layer %d (%s): %s has an all-zero gradient"
                                   % (index, layer["kind"], role))


def compute(planned, params, x, y, loss, input_shape, dtype):
    xt = torch.tensor(x, dtype=torch.float64).to(dtype).reshape(input_shape)
    yt = torch.tensor(y, dtype=torch.float64).to(dtype)
    output, value, leaves = run(planned, params, xt, yt, loss, dtype)
    value.backward()
    for leaf in leaves:
        assert leaf.dtype == dtype and leaf.grad is not None and leaf.grad.dtype == dtype
    check_live(planned, leaves, input_shape[0])
    grad = torch.cat([leaf.grad.flatten() for leaf in leaves])
    param_values = torch.cat([leaf.detach().flatten() for leaf in leaves])
    return result(param_values, xt, yt, output, value, grad)



def main():
    fixture_files.generate(SCRIPT, OUT_DIR, NETWORKS, plan, describe, draw, compute, SEED_ATTEMPTS)


if __name__ == "__main__":
    main()
