#!/usr/bin/python3
"""PyTorch beside Chainrule, on the workloads that WorkloadExport writes.

    torch_peer.py --out RESULTS.json [--check-only] WORKLOAD_FILE... [-- JMH_TIMING_OPTIONS]

Each WORKLOAD_FILE (written by dev.chainrule.benchmarks.WorkloadExport) holds a network layer by
layer, Chainrule's seeded parameters, the inputs and what Chainrule computes from them. For each,
this script builds the same network in PyTorch (float32, one thread) with the same weights, checks
that it computes Chainrule's outputs and, for a training step, that one SGD step moves every
parameter as Chainrule's does, with the tolerances of dev.chainrule.benchmarks.Agreement, and
only then times it:

  predict       softmax(model(x)) for one sample, under torch.inference_mode()
  trainingStep  zero_grad(), cross_entropy(model(x), labels) (the batch's mean), backward(),
                torch.optim.SGD's step
  step          for a recurrent (LSTM) network's prediction workload, also one streaming step:
                nn.LSTM on one step with its (h, c) carried from the last call, then the dense
                softmax; checked first by 28 steps from a zero state giving Chainrule's outputs

Timing follows JMH's options, given after "--" as run-benchmarks.sh gives them to JMH (-wi, -i,
-w, -r; -f is ignored): warm-up iterations, then measurement iterations, each calling the
benchmark until its time is up and scoring the mean time per call. RESULTS.json is written in
JMH's JSON format, so ResultsReport reads it beside the JVM suites: the score's median over the
measurement iterations, and the 99.9% confidence half-width of their mean.

When this Python cannot import torch the script writes {"skipped": REASON} instead, prints REASON
and exits 0: the report then says in one line that the PyTorch peer did not run. A peer that
disagrees with Chainrule exits 1 before timing anything.
"""

import argparse
import json
import math
import platform
import statistics
import struct
import sys
import time

MAGIC = b"CHAINRULE-WORKLOAD 1"
BENCHMARK = "dev.chainrule.benchmarks.torch.TorchBenchmark."


class Disagreement(Exception):
    """PyTorch computes something other than Chainrule does."""


def read_workload(path):
    """The header (a dict) and the arrays (name -> list of floats) of one workload file."""
    with open(path, "rb") as f:
        data = f.read()
    first = data.index(b"\n")
    if data[:first] != MAGIC:
        raise ValueError(f"{path}: not a workload file (expected the line {MAGIC.decode()!r} first)")
    second = data.index(b"\n", first + 1)
    header = json.loads(data[first + 1:second].decode("utf-8"))
    arrays = {}
    offset = second + 1
    for name, count in header["arrays"]:
        arrays[name] = struct.unpack_from(f"<{count}f", data, offset)
        offset += 4 * count
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes after the arrays its header lists")
    return header, arrays


def activation_module(nn, name, where):
    modules = {"identity": None, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "elu": nn.ELU,
               "softplus": nn.Softplus}
    if name not in modules:
        raise ValueError(f"{where}: activation {name} is not built here")
    return modules[name]() if modules[name] else None


def build(torch, header, parameters):
    """The network of header["layers"] as a torch.nn.Sequential giving logits, holding `parameters`."""
    nn = torch.nn
    layers = header["layers"]
    modules = []
    shape = None  # the previous layer's output: [c, h, w] or [features]
    last = len(layers) - 1
    with torch.no_grad():
        for index, layer in enumerate(layers):
            kind = layer["kind"]
            where = f"{header['id']}: layer {layer['name']}"
            if kind == "input":
                if len(layer["output"]) in (2, 3):
                    modules.append(nn.Unflatten(1, tuple(layer["output"])))
            elif kind == "lstm":
                if len(shape) != 2 or index != 1:
                    raise ValueError(f"{where}: an LSTM is built here only as the first layer, over the input sequence")
                # Chainrule's layout is nn.LSTM's: weight_ih [4H][F], weight_hh [4H][H], both biases, gates i, f, g, o.
                lstm = last_state(torch, nn.LSTM(shape[1], layer["units"], batch_first=True))
                units, features = 4 * layer["units"], shape[1]
                lstm.lstm.weight_ih_l0.copy_(block(torch, parameters, layer["weights"]).reshape(units, features))
                lstm.lstm.weight_hh_l0.copy_(block(torch, parameters, layer["recurrentWeights"]).reshape(units, layer["units"]))
                lstm.lstm.bias_ih_l0.copy_(block(torch, parameters, layer["biases"]))
                lstm.lstm.bias_hh_l0.copy_(block(torch, parameters, layer["recurrentBiases"]))
                modules.append(lstm)
            elif kind == "conv2d":
                channels = shape[0]
                top, bottom, left, right = layer["pad"]
                if top == bottom and left == right:
                    padding = (top, left)
                else:
                    modules.append(nn.ZeroPad2d((left, right, top, bottom)))
                    padding = 0
                conv = nn.Conv2d(channels, layer["filters"], tuple(layer["kernel"]), tuple(layer["stride"]), padding)
                conv.weight.copy_(block(torch, parameters, layer["weights"]).reshape(conv.weight.shape))
                conv.bias.copy_(block(torch, parameters, layer["biases"]))
                modules.append(conv)
                act = activation_module(nn, layer["activation"], where)
                if act is not None:
                    modules.append(act)
            elif kind in ("maxpool2d", "avgpool2d"):
                pool = nn.MaxPool2d if kind == "maxpool2d" else nn.AvgPool2d
                modules.append(pool(tuple(layer["window"]), tuple(layer["stride"])))
            elif kind == "dense":
                if len(shape) == 3:
                    modules.append(nn.Flatten())
                if len(shape) == 2:
                    raise ValueError(f"{where}: a dense layer over a whole sequence is not built here")
                inputs = math.prod(shape)
                linear = nn.Linear(inputs, layer["units"])
                # Chainrule's dense weights are input-major [inputs][units]: Linear.weight transposed.
                linear.weight.copy_(block(torch, parameters, layer["weights"]).reshape(inputs, layer["units"]).t())
                linear.bias.copy_(block(torch, parameters, layer["biases"]))
                modules.append(linear)
                if index == last:
                    if layer["activation"] != "softmax":
                        raise ValueError(f"{where}: the output must be softmax (cross-entropy), not {layer['activation']}")
                else:
                    act = activation_module(nn, layer["activation"], where)
                    if act is not None:
                        modules.append(act)
            else:
                raise ValueError(f"{where}: layer kind {kind} is not built here")
            shape = layer["output"]
    if layers[last]["kind"] != "dense":
        raise ValueError(f"{header['id']}: the last layer must be a dense softmax")
    return nn.Sequential(*modules)


_LAST_STATE = []


def last_state(torch, lstm):
    """`lstm` (batch_first) as a module giving its last state h_T: Chainrule's many-to-one output."""
    if not _LAST_STATE:
        class LastState(torch.nn.Module):
            def __init__(self, lstm):
                super().__init__()
                self.lstm = lstm

            def forward(self, x):
                return self.lstm(x)[1][0][-1]

        _LAST_STATE.append(LastState)
    return _LAST_STATE[0](lstm)


def block(torch, parameters, offset_and_size):
    offset, size = offset_and_size
    return torch.tensor(parameters[offset:offset + size], dtype=torch.float32)


def parameters_of(torch, header, model):
    """The model's parameters read back into Chainrule's layout, as a flat float64 tensor."""
    count = len(header["_parameters"])
    flat = torch.zeros(count, dtype=torch.float64)
    by_layer = iter(m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) or hasattr(m, "lstm"))
    for layer in header["layers"]:
        if "weights" not in layer:
            continue
        module = next(by_layer)
        if layer["kind"] == "lstm":
            lstm = module.lstm
            for key, tensor in (("weights", lstm.weight_ih_l0), ("recurrentWeights", lstm.weight_hh_l0),
                                ("biases", lstm.bias_ih_l0), ("recurrentBiases", lstm.bias_hh_l0)):
                offset, size = layer[key]
                flat[offset:offset + size] = tensor.detach().reshape(-1).double()
            continue
        weight = module.weight.detach()
        if isinstance(module, torch.nn.Linear):
            weight = weight.t()
        offset, size = layer["weights"]
        flat[offset:offset + size] = weight.reshape(-1).double()
        offset, size = layer["biases"]
        flat[offset:offset + size] = module.bias.detach().double()
    return flat


def require_same_outputs(header, expected, actual):
    tolerance = header["outputTolerance"]
    if len(expected) != len(actual):
        raise Disagreement(f"PyTorch on {header['id']}: {len(actual)} outputs, Chainrule has {len(expected)}")
    worst = 0.0
    for k, (e, a) in enumerate(zip(expected, actual)):
        if not abs(e - a) <= tolerance:
            raise Disagreement(f"PyTorch computes a different function on {header['id']}: output {k} is {a}, "
                               f"Chainrule's is {e} (tolerance {tolerance})")
        worst = max(worst, abs(e - a))
    return worst


def float_ulp(x):
    """The spacing of 32-bit floats at |x|, as Java's Math.ulp(float)."""
    x = abs(struct.unpack("<f", struct.pack("<f", x))[0])
    if x == 0:
        return 1.4e-45
    exponent = max(math.frexp(x)[1] - 1, -126)
    return 2.0 ** (exponent - 23)


def require_same_step(torch, header, before, expected_after, actual_after):
    """Agreement.requireSameStep: every parameter moved as Chainrule's step moved it."""
    before = torch.tensor(before, dtype=torch.float64)
    expected = torch.tensor(expected_after, dtype=torch.float64) - before
    actual = actual_after - before
    largest = expected.abs().max().item()
    if largest == 0:
        raise Disagreement(f"PyTorch on {header['id']}: Chainrule's step changed no parameter, nothing to compare")
    difference = (expected - actual).abs()
    slack = header["updateTolerance"] * largest
    # The ulp term only matters where the difference exceeds the relative slack: check those one by one.
    for p in torch.nonzero(difference > slack).flatten().tolist():
        tolerance = slack + 2 * float_ulp(abs(before[p].item()) + abs(expected[p].item()))
        if not difference[p].item() <= tolerance:
            raise Disagreement(f"PyTorch takes a different training step on {header['id']}: parameter {p} moved by "
                               f"{actual[p].item()}, Chainrule's by {expected[p].item()} (tolerance {tolerance})")
    if not torch.isfinite(actual).all():
        raise Disagreement(f"PyTorch on {header['id']}: its step gave parameters that are not finite")
    return difference.max().item() / largest


class Peer:
    """One workload in PyTorch, checked against Chainrule, with the call that is timed."""

    def __init__(self, torch, path):
        self.torch = torch
        self.header, arrays = read_workload(path)
        header = self.header
        header["_parameters"] = arrays["parameters"]
        self.model = build(torch, header, arrays["parameters"])
        features = header["layers"][0]["size"]
        batch = header["batch"]
        self.x = torch.tensor(arrays["inputs"], dtype=torch.float32).reshape(batch, features)
        first = self.x[:1]
        with torch.inference_mode():
            outputs = torch.softmax(self.model(first), dim=1).reshape(-1).tolist()
        self.expected_outputs = arrays["outputs"]
        self.output_error = require_same_outputs(header, arrays["outputs"], outputs)
        self.step_error = None
        if header["benchmark"] == "trainingStep":
            self.labels = torch.tensor([int(v) for v in arrays["labels"]], dtype=torch.int64)
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=header["learningRate"])
            loss = self.training_step()
            if not abs(loss - header["loss"]) <= 1e-4 * max(1.0, abs(header["loss"])):
                raise Disagreement(f"PyTorch on {header['id']}: the batch's mean loss is {loss}, "
                                   f"Chainrule's is {header['loss']}")
            self.step_error = require_same_step(torch, header, arrays["parameters"], arrays["stepped"],
                                                parameters_of(torch, header, self.model))
            self.call = self.training_step
        else:
            self.call = self.predict

    def streaming(self):
        """The streaming step of a recurrent network, checked against Chainrule as a second peer; None otherwise."""
        if self.header["benchmark"] != "predict" or self.header["layers"][1]["kind"] != "lstm":
            return None
        return StreamingStep(self)

    def predict(self):
        with self.torch.inference_mode():
            return self.torch.softmax(self.model(self.x), dim=1)

    def training_step(self):
        self.optimizer.zero_grad()
        loss = self.torch.nn.functional.cross_entropy(self.model(self.x), self.labels)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def describe_check(self):
        text = f"PyTorch agrees with Chainrule on {self.header['id']}: outputs within {self.output_error:.2g}"
        if self.step_error is not None:
            text += f", one SGD step within {self.step_error:.2g} of the largest change"
        return text


class StreamingStep:
    """One step of a stream through the LSTM with (h, c) carried, then the dense softmax: Chainrule's step()."""

    def __init__(self, peer):
        torch = self.torch = peer.torch
        self.header = dict(peer.header, benchmark="step", param="stream")
        modules = list(peer.model)
        self.lstm = next(m for m in modules if hasattr(m, "lstm")).lstm
        self.head = torch.nn.Sequential(*modules[modules.index(next(m for m in modules if hasattr(m, "lstm"))) + 1:])
        steps, features = peer.header["layers"][0]["output"]
        units = self.lstm.hidden_size
        self.steps = peer.x[:1].reshape(1, steps, 1, features)
        self.zero = (torch.zeros(1, 1, units), torch.zeros(1, 1, units))
        self.state = self.zero
        with torch.inference_mode():
            for t in range(steps):
                outputs = self.step_at(t)
        self.output_error = require_same_outputs(self.header, peer_outputs(peer), outputs.reshape(-1).tolist())
        self.step_error = None
        self.state = self.zero
        self.x = self.steps[:, 0]
        self.call = self.step

    def step_at(self, t):
        out, self.state = self.lstm(self.steps[:, t], self.state)
        return self.torch.softmax(self.head(out[:, -1]), dim=1)

    def step(self):
        with self.torch.inference_mode():
            out, self.state = self.lstm(self.x, self.state)
            return self.torch.softmax(self.head(out[:, -1]), dim=1)

    def describe_check(self):
        return (f"PyTorch's streaming step agrees with Chainrule on {self.header['id']}: "
                f"28 steps from a zero state give its outputs within {self.output_error:.2g}")


def peer_outputs(peer):
    return peer.expected_outputs


def seconds(text):
    """A JMH time value: 200ms, 1s, 1 s, 500us, 2min."""
    text = text.replace(" ", "")
    for unit, scale in (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("min", 60.0), ("m", 60.0), ("s", 1.0)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * scale
    return float(text)


def timing_options(tokens):
    """JMH's -wi, -i, -w, -r (defaults as run-benchmarks.sh's full run); -f and others are ignored."""
    options = {"-wi": "3", "-i": "5", "-w": "1s", "-r": "1s"}
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token in options and k + 1 < len(tokens):
            options[token] = tokens[k + 1]
            k += 2
        else:
            k += 1
    return int(options["-wi"]), int(options["-i"]), seconds(options["-w"]), seconds(options["-r"])


def iteration(call, duration):
    """Calls `call` until `duration` seconds have passed; returns the mean microseconds per call."""
    calls = 0
    start = time.perf_counter()
    end = start + duration
    now = start
    while now < end or calls == 0:
        call()
        calls += 1
        now = time.perf_counter()
    return (now - start) * 1e6 / calls


def student_t_quantile(p, df):
    """The p-quantile (p > 0.5) of Student's t with df degrees of freedom, by bisection on its CDF."""
    def cdf(t):
        x = df / (df + t * t)
        return 1 - 0.5 * incomplete_beta(df / 2, 0.5, x)
    low, high = 0.0, 1e6
    for _ in range(200):
        middle = (low + high) / 2
        if cdf(middle) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def incomplete_beta(a, b, x):
    """The regularised incomplete beta function I_x(a, b), by its continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * beta_fraction(a, b, x) / a
    return 1 - front * beta_fraction(b, a, 1 - x) / b


def beta_fraction(a, b, x):
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result


def measure(peer, warmups, iterations, warmup_time, measurement_time):
    for k in range(warmups):
        score = iteration(peer.call, warmup_time)
        print(f"# Warmup Iteration {k + 1}: {score:.3f} us/op", flush=True)
    scores = []
    for k in range(iterations):
        scores.append(iteration(peer.call, measurement_time))
        print(f"Iteration {k + 1}: {scores[-1]:.3f} us/op", flush=True)
    return scores


def result(torch, peer, scores, timing):
    warmups, iterations, warmup_time, measurement_time = timing
    header = peer.header
    mean = statistics.fmean(scores)
    if len(scores) > 1:
        error = student_t_quantile(0.9995, len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores))
        confidence = [mean - error, mean + error]
    else:
        error = "NaN"
        confidence = ["NaN", "NaN"]
    version = torch.__version__
    return {
        "benchmark": BENCHMARK + header["benchmark"],
        "mode": "avgt",
        "threads": 1,
        "forks": 0,
        "warmupIterations": warmups,
        "warmupTime": f"{warmup_time:g} s",
        "measurementIterations": iterations,
        "measurementTime": f"{measurement_time:g} s",
        "params": {header["param"]: header["id"]},
        "primaryMetric": {
            "score": mean,
            "scoreError": error,
            "scoreConfidence": confidence,
            "scorePercentiles": {"0.0": min(scores), "50.0": statistics.median(scores), "100.0": max(scores)},
            "scoreUnit": "us/op",
            "rawData": [scores],
        },
        "secondaryMetrics": {},
        "implementation": f"PyTorch {version}",
        "precision": "float",
        "runtime": f"PyTorch {version} on Python {platform.python_version()} ({sys.executable}), "
                   f"torch.get_num_threads() = {torch.get_num_threads()}, "
                   f"torch.get_num_interop_threads() = {torch.get_num_interop_threads()}",
    }


def main(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, jmh = argv[:cut], argv[cut + 1:]
    else:
        jmh = []
    parser = argparse.ArgumentParser(description="PyTorch beside Chainrule on exported workloads.")
    parser.add_argument("--out", required=True, help="where to write the JMH-format JSON results")
    parser.add_argument("--check-only", action="store_true", help="check agreement with Chainrule, time nothing")
    parser.add_argument("workloads", nargs="+", help="files written by WorkloadExport")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError as e:
        reason = (f"PyTorch peer skipped: {sys.executable} cannot import torch ({e}); "
                  f"apt-get install -y python3-torch provides it")
        print(reason)
        with open(args.out, "w") as f:
            json.dump({"skipped": reason}, f)
        return 0
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    timing = timing_options(jmh)
    results = []
    for path in args.workloads:
        peer = Peer(torch, path)
        print(peer.describe_check(), flush=True)
        if args.check_only:
            streaming = peer.streaming()
            if streaming is not None:
                print(streaming.describe_check(), flush=True)
            continue
        print(f"# Benchmark: {BENCHMARK}{peer.header['benchmark']} ({peer.header['param']} = {peer.header['id']})",
              flush=True)
        results.append(result(torch, peer, measure(peer, *timing), timing))
        streaming = peer.streaming()
        if streaming is not None:
            print(f"# Benchmark: {BENCHMARK}step (stream = {peer.header['id']})", flush=True)
            results.append(result(torch, streaming, measure(streaming, *timing), timing))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Disagreement as e:
        print(e, file=sys.stderr)
        sys.exit(1)
