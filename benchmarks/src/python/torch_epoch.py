#!/usr/bin/python3
"""PyTorch's side of EpochBenchmark: one Fashion-MNIST epoch of a 784-128-10 network.

    torch_epoch.py --out RESULTS.json [--data DIR] [--batch N] [-- JMH_TIMING_OPTIONS]

The network is Linear(784, 128), ReLU, Linear(128, 10), trained with cross_entropy (the batch's
mean) and torch.optim.Adam at 0.001 on batches of 64 in a new random order every epoch, as a
PyTorch user writes the loop: the images are one float32 tensor in memory, scaled to [0, 1], and
each batch is gathered from it by index. One thread, as EpochBenchmark. Each warm-up and each
measurement iteration is one epoch, timed alone (JMH's single-shot mode, which EpochBenchmark
uses); of the JMH options after "--", -wi and -i count them (default 2 and 5) and the others
are ignored. RESULTS.json is in JMH's JSON format with milliseconds per epoch.

The data is read from DIR (default /usr/share/datasets/fashion-mnist, where apt-get install -y
dataset-fashion-mnist puts it). Where torch cannot be imported or the files are missing, the script
writes {"skipped": REASON}, prints REASON and exits 0.
"""

import argparse
import gzip
import json
import math
import os
import platform
import statistics
import struct
import sys
import time

BENCHMARK = "dev.chainrule.benchmarks.torch.TorchBenchmark.adamEpoch"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def skip(out, reason):
    print(reason)
    with open(out, "w") as f:
        json.dump({"skipped": reason}, f)
    return 0


def t_quantile_999(df):
    # two-sided 99.9% Student t quantiles for small samples, as JMH reports its error
    table = {1: 636.619, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781}
    return table.get(df, 3.291)


def main(argv):
    jmh = []
    if "--" in argv:
        cut = argv.index("--")
        argv, jmh = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description="One Fashion-MNIST epoch in PyTorch.")
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args(argv)
    args.warmups, args.iterations = 2, 5
    for k in range(len(jmh) - 1):
        if jmh[k] == "-wi":
            args.warmups = int(jmh[k + 1])
        elif jmh[k] == "-i":
            args.iterations = int(jmh[k + 1])
    try:
        import torch
    except ImportError as e:
        return skip(args.out, f"PyTorch epoch skipped: {sys.executable} cannot import torch ({e})")
    images = os.path.join(args.data, "train-images-idx3-ubyte.gz")
    labels = os.path.join(args.data, "train-labels-idx1-ubyte.gz")
    if not (os.path.isfile(images) and os.path.isfile(labels)):
        return skip(args.out, f"PyTorch epoch skipped: no Fashion-MNIST in {args.data} "
                              f"(apt-get install -y dataset-fashion-mnist)")
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(7)
    dims, pixels = idx(images)
    count = dims[0]
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(count, -1).to(torch.float32) / 255
    _, label_bytes = idx(labels)
    y = torch.frombuffer(bytearray(label_bytes), dtype=torch.uint8).to(torch.int64)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = torch.nn.functional.cross_entropy

    def epoch():
        order = torch.randperm(count)
        start = time.perf_counter()
        for i in range(0, count, args.batch):
            index = order[i:i + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) * 1e3, loss.item()

    for k in range(args.warmups):
        ms, loss = epoch()
        print(f"# Warmup Iteration {k + 1}: {ms:.1f} ms/op (last batch's loss {loss:.4f})", flush=True)
    scores = []
    for k in range(args.iterations):
        ms, loss = epoch()
        scores.append(ms)
        print(f"Iteration {k + 1}: {ms:.1f} ms/op (last batch's loss {loss:.4f})", flush=True)
    mean = statistics.fmean(scores)
    error = (t_quantile_999(len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores))
             if len(scores) > 1 else "NaN")
    version = torch.__version__
    result = {
        "benchmark": BENCHMARK,
        "mode": "ss",
        "threads": 1,
        "forks": 0,
        "warmupIterations": args.warmups,
        "measurementIterations": args.iterations,
        "params": {"epoch": f"784-128-10:{args.batch}"},
        "primaryMetric": {
            "score": mean,
            "scoreError": error,
            "scorePercentiles": {"0.0": min(scores), "50.0": statistics.median(scores), "100.0": max(scores)},
            "scoreUnit": "ms/op",
            "rawData": [scores],
        },
        "secondaryMetrics": {},
        "implementation": f"PyTorch {version}",
        "precision": "float",
        "runtime": f"PyTorch {version} on Python {platform.python_version()} ({sys.executable}), "
                   f"torch.get_num_threads() = {torch.get_num_threads()}",
    }
    with open(args.out, "w") as f:
        json.dump([result], f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
