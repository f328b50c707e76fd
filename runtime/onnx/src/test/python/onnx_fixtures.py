#!/usr/bin/python3
"""Writes the PyTorch fixtures of chainrule-onnx's import tests.

Builds nine small seeded PyTorch models (three dense and convolutional, five recurrent with
batch_first and one without), exports each with torch.onnx.export, checks the file with ONNX's checker, and
writes seeded inputs and PyTorch's outputs for them beside it:

    <name>.onnx          the exported model (opset 17, dynamic batch dimension; [steps, batch,
                         features] for the module without batch_first)
    <name>.inputs.csv    one sample per line, flattened channel by channel, row by row (a
                         sequence step by step, batch_first)
    <name>.outputs.csv   PyTorch's output for each sample, one line each (a sequence step by step)

Run from the repository root with Debian's python3-torch and python3-onnx
(apt-get install -y python3-torch python3-onnx):

    /usr/bin/python3 runtime/onnx/src/test/python/onnx_fixtures.py runtime/onnx/src/test/resources/torch

The Java tests (TorchFixtureImportTest) read the committed files and need no Python.
"""
import os
import sys

import onnx
import torch
from torch import nn

OPSET = 17
ROWS = 6


def mlp():
    """Linear layers as PyTorch exports them (Gemm, transB=1), a tanh GELU written out, softmax."""
    return nn.Sequential(
        nn.Linear(8, 16), nn.ReLU(),
        nn.Linear(16, 12), nn.GELU(approximate="tanh"),
        nn.Linear(12, 3), nn.Softmax(dim=1)), (8,)


def cnn():
    """LeNet-like: padded convolution, max pooling, convolution, average pooling, flatten, linear."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3), nn.ELU(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(24, 16), nn.LeakyReLU(),
        nn.Linear(16, 5), nn.Softmax(dim=1)), (1, 12, 12)


class GlobalPool(nn.Module):
    """A strided convolution, global average pooling and torch.flatten in a forward method."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = nn.functional.softplus(self.conv1(x))
        x = torch.sigmoid(self.conv2(x))
        return self.fc(torch.flatten(self.pool(x), 1))


def global_pool():
    return GlobalPool(), (3, 10, 10)


class LstmClassifier(nn.Module):
    """Many-to-one: an LSTM over 7 steps of 3 features, a linear layer on its last step, softmax."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, batch_first=True)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return torch.softmax(self.fc(out[:, -1, :]), dim=1)


def lstm_classifier():
    return LstmClassifier(), (7, 3)


class GruTagger(nn.Module):
    """Many-to-many: a GRU over 5 steps of 4 features, a linear layer on every step."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out)


def gru_tagger():
    return GruTagger(), (5, 4)


class SimpleRnn(nn.Module):
    """A relu simple recurrent layer over 6 steps of 2 features, a linear layer on its final state h_n[-1], sigmoid."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, 5, nonlinearity="relu", batch_first=True)
        self.fc = nn.Linear(5, 2)

    def forward(self, x):
        _, h = self.rnn(x)
        return torch.sigmoid(self.fc(h[-1]))


def simple_rnn():
    return SimpleRnn(), (6, 2)


class LstmStack(nn.Module):
    """Two stacked LSTM layers in one module (num_layers=2) over 6 steps of 3 features, a linear layer on h_n[-1]."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 6, num_layers=2, batch_first=True)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


def lstm_stack():
    return LstmStack(), (6, 3)


class GruLstm(nn.Module):
    """A GRU whose every state an LSTM reads, two modules over 5 steps of 4 features, tanh linear layer on the last step."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 5, batch_first=True)
        self.lstm = nn.LSTM(5, 3, batch_first=True)
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        out, _ = self.gru(x)
        out, _ = self.lstm(out)
        return torch.tanh(self.fc(out[:, -1]))


def gru_lstm():
    return GruLstm(), (5, 4)


class TimeMajorGru(nn.Module):
    """A GRU without batch_first, fed [steps, batch, features], over 6 steps of 3 features, a linear layer on out[-1]."""

    time_major = True

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[-1])


def time_major_gru():
    return TimeMajorGru(), (6, 3)


def write_rows(path, tensor):
    with open(path, "w") as f:
        for row in tensor.reshape(tensor.shape[0], -1).tolist():
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    models = [("mlp", mlp), ("cnn", cnn), ("global_pool", global_pool), ("lstm_classifier", lstm_classifier),
              ("gru_tagger", gru_tagger), ("simple_rnn", simple_rnn), ("lstm_stack", lstm_stack), ("gru_lstm", gru_lstm),
              ("time_major_gru", time_major_gru)]
    for seed, (name, make) in enumerate(models, start=1):
        torch.manual_seed(seed)
        model, shape = make()
        model.eval()
        x = torch.randn(ROWS, *shape)
        # a module without batch_first reads [steps, batch, features]; the files keep one sample per line
        time_major = getattr(model, "time_major", False)
        x_in = x.transpose(0, 1).contiguous() if time_major else x
        with torch.no_grad():
            y = model(x_in)
        path = os.path.join(out, name + ".onnx")
        torch.onnx.export(model, x_in, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {1 if time_major else 0: "batch"}, "output": {0: "batch"}})
        onnx.checker.check_model(onnx.load(path), full_check=True)
        write_rows(os.path.join(out, name + ".inputs.csv"), x)
        write_rows(os.path.join(out, name + ".outputs.csv"), y)
        ops = [n.op_type for n in onnx.load(path).graph.node]
        print(name, "torch", torch.__version__, "onnx", onnx.__version__, "ops", " ".join(ops))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runtime/onnx/src/test/resources/torch")
