"""What the reference-fixture scripts share: activations, the drawn targets, the checks' exception,
the file format, and the loop that tries seeds until a network's checks pass and writes its
float64 and float32 files. See the README.md beside each script's fixtures for the format."""

import math
import os
import sys

import torch


class FixtureCheck(Exception):
    """A drawn fixture that would check less than it should (a relu on its kink, a tie, ...)."""


def activate(z, name):
    if name == "relu":
        return torch.relu(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "identity":
        return z
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    raise ValueError(name)


def draw_target(rng, loss, count):
    """A target of `count` values for `loss`: a distribution, probabilities in (0, 1), or values."""
    if loss == "cross_entropy":
        raw = [rng.uniform(0.1, 1.0) for _ in range(count)]
        total = sum(raw)
        return [v / total for v in raw]
    if loss == "binary_cross_entropy":
        return [rng.uniform(0.05, 0.95) for _ in range(count)]
    return [rng.uniform(-0.9, 0.9) for _ in range(count)]


def result(param_values, xt, yt, output, value, grad):
    """The figures one file holds, refusing a non-finite gradient."""
    for g in grad.tolist():
        if not math.isfinite(g):
            raise FixtureCheck("non-finite gradient")
    return {
        "parameters": param_values.tolist(),
        "input": xt.flatten().tolist(),
        "target": yt.tolist(),
        "output": output.detach().flatten().tolist(),
        "loss": [value.item()],
        "gradient": grad.tolist(),
    }


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


def write(path, script, name, precision, seed, description, figures):
    lines = [
        "# %s, %s; written by %s with torch %s; seed %d"
        % (name, precision, script, torch.__version__, seed),
        "network: %s" % description,
    ]
    for key in ("parameters", "input", "target", "output", "loss", "gradient"):
        lines.append("%s: %s" % (key, fmt(figures[key])))
    with open(path, "w", encoding="ascii", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


def generate(script, out_dir, networks, plan, describe, draw, compute, seed_attempts):
    """For each (name, base seed, input shape, layers, loss): the first seed from the base whose
    float64 and float32 computations pass every check, written as <name>.double.txt and
    <name>.float.txt into out_dir (relative to the repository root)."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(0)  # any module's own initial values, all overwritten
    root = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.abspath(os.path.join(root, "..", "..", "..", ".."))
    out_dir = os.path.join(repo, out_dir)
    os.makedirs(out_dir, exist_ok=True)
    for name, base_seed, input_shape, layers, loss in networks:
        planned, out_shape = plan(input_shape, layers)
        output_len = math.prod(out_shape)
        description = describe(input_shape, planned, loss)
        results = None
        for seed in range(base_seed, base_seed + seed_attempts):
            params, x, y = draw(seed, planned, output_len, loss, input_shape)
            try:
                results = {
                    "double": compute(planned, params, x, y, loss, input_shape, torch.float64),
                    "float": compute(planned, params, x, y, loss, input_shape, torch.float32),
                }
            except FixtureCheck as failed:
                print("%s: seed %d rejected: %s" % (name, seed, failed), file=sys.stderr)
                continue
            break
        if results is None:
            raise SystemExit("%s: no seed passed the checks" % name)
        for precision, figures in results.items():
            assert len(figures["gradient"]) == len(figures["parameters"])
            assert len(figures["output"]) == output_len
            path = os.path.join(out_dir, "%s.%s.txt" % (name, precision))
            write(path, script, name, precision, seed, description, figures)
            print("%s: %d parameters, loss %r" % (path, len(figures["parameters"]), figures["loss"][0]))
