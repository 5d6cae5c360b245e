"""Measures single-thread PyTorch training throughput of an AKD student, the peer for the wasm numbers.

Reads an expanded network plan, the JSON that bench/student-training.ts writes with --plans DIR. It
builds the same layers as libs/engine/src/model/student.ts: convolutions without bias and 'same'
padding, batch norm (eps 1e-3), ReLU, squeeze-and-excite with two dense layers, avg-pool and identity
skips, global average pooling and a dense classifier. It trains on random 28x28x1 images with
cross-entropy and Adam (learning rate 0.005), and prints one JSON line: the median milliseconds per
step (wall and process CPU time), images per second by wall time, and the peak resident memory.

With --four-conv instead of a plan it trains the 4-conv network of bench/four-conv-net.ts (conv3x3 32
-> conv3x3 32 stride 2 -> conv3x3 64 -> conv3x3 64 stride 2, with bias and ReLU, then global average
pooling and dense 10) with Adam at learning rate 0.001, as bench/wasm-kernels.ts does.

    /usr/bin/python3 bench/pytorch-student.py PLAN.json [--batch 32] [--steps 20] [--warmup 3]
    /usr/bin/python3 bench/pytorch-student.py --four-conv [--batch 64] [--steps 20]

bench/student-training.ts --pytorch and bench/train.ts run it.

Uses Debian's python3-torch. Symmetric padding stands in for TensorFlow's 'same' padding, which pads
one more row and column at the bottom right for stride 2. Both give the same output sizes and
multiply-adds.
"""

import argparse
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time

import torch
from torch import nn


def conv_bn(cin, cout, k, stride, relu=True, groups=1):
    layers = [
        nn.Conv2d(cin, cout, k, stride, padding=k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1),
    ]
    if relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class SqueezeExcite(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.squeeze = nn.Linear(channels, squeeze)
        self.excite = nn.Linear(squeeze, channels)

    def forward(self, x):
        pooled = x.mean((2, 3))
        weights = torch.sigmoid(self.excite(torch.relu(self.squeeze(pooled))))
        return x * weights[:, :, None, None]


class Block(nn.Module):
    def __init__(self, layer):
        super().__init__()
        op, k, s = layer["op"], layer["kernelSize"], layer["stride"]
        cin, cexp, cout = layer["inChannels"], layer["expandedChannels"], layer["outChannels"]
        se = SqueezeExcite(layer["seChannels"], layer["seSqueezeChannels"]) if layer["seChannels"] > 0 else None
        parts = []
        if op == "conv":
            parts.append(conv_bn(cin, cout, k, s))
            if se:
                parts.append(se)
        elif op == "dconv":
            parts.append(conv_bn(cin, cin, k, s, groups=cin))
            if se:
                parts.append(se)
            parts.append(conv_bn(cin, cout, 1, 1, relu=False))
        else:
            parts.append(conv_bn(cin, cexp, 1, 1))
            parts.append(conv_bn(cexp, cexp, k, s, groups=cexp))
            if se:
                parts.append(se)
            parts.append(conv_bn(cexp, cout, 1, 1, relu=False))
        self.body = nn.Sequential(*parts)
        self.skip = layer["skip"]
        if self.skip == "pool":
            self.pool = nn.AvgPool2d(3, s, padding=1, count_include_pad=False)

    def forward(self, x):
        y = self.body(x)
        if self.skip == "identity":
            return y + x
        if self.skip == "pool":
            return y + self.pool(x)
        return y


def build(plan):
    stem, head = plan["stem"], plan["head"]
    return nn.Sequential(
        conv_bn(stem["inChannels"], stem["outChannels"], stem["kernelSize"], stem["stride"]),
        *[Block(layer) for layer in plan["layers"]],
        conv_bn(head["inChannels"], head["outChannels"], 1, 1),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(plan["classifier"]["inFeatures"], plan["classifier"]["outFeatures"]),
    )


def build_four_conv():
    layers = []
    in_channels = 1
    for out_channels, stride in ((32, 1), (32, 2), (64, 1), (64, 2)):
        layers += [nn.Conv2d(in_channels, out_channels, 3, stride, padding=1), nn.ReLU()]
        in_channels = out_channels
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def onednn_isa():
    """Returns the instruction set that oneDNN reports for its CPU kernels, or None without oneDNN.

    PyTorch runs convolutions on oneDNN, which picks its kernels for the CPU at run time (AVX2,
    AVX-512...), so the peer's speed depends on it. oneDNN prints the instruction set on its first
    verbose line, to file descriptor 1, which is captured here around one small training step.
    """
    if not torch.backends.mkldnn.is_available():
        return None
    with tempfile.TemporaryFile() as capture:
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(capture.fileno(), 1)
        try:
            with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
                conv = nn.Conv2d(16, 16, 3)
                conv(torch.rand(4, 16, 8, 8, requires_grad=True)).sum().backward()
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
        capture.seek(0)
        text = capture.read().decode(errors="replace")
    match = re.search(r"isa:([^,\n]+)", text)
    return match.group(1).strip() if match else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", help="expanded network plan as JSON")
    parser.add_argument(
        "--four-conv", action="store_true", help="train the 4-conv network instead of a plan"
    )
    parser.add_argument("--batch", type=int, default=32, help="images per step")
    parser.add_argument("--steps", type=int, default=20, help="timed steps after the warm-up steps")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before the timed ones")
    args = parser.parse_args()
    if (args.plan is None) == (not args.four_conv):
        parser.error("expected exactly one of a plan file and --four-conv")
    if args.batch < 1 or args.steps < 1 or args.warmup < 0:
        parser.error("--batch and --steps must be at least 1, and --warmup at least 0")

    torch.set_num_threads(1)
    isa = onednn_isa()
    torch.manual_seed(0)
    if args.four_conv:
        height, width, channels, classes = 28, 28, 1, 10
        model = build_four_conv()
        learning_rate = 0.001
    else:
        with open(args.plan, encoding="utf-8") as file:
            plan = json.load(file)
        height, width, channels = plan["inputShape"]
        classes = plan["classifier"]["outFeatures"]
        model = build(plan)
        learning_rate = 0.005
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, channels, height, width)
    labels = torch.randint(0, classes, (args.batch,))

    times = []
    cpu_times = []
    for step in range(args.steps + args.warmup):
        start = time.perf_counter()
        cpu_start = time.process_time()
        optimizer.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        loss.item()
        if step >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "onednnIsa": isa,
                "batch": args.batch,
                "msPerStep": round(median, 1),
                "cpuMsPerStep": round(statistics.median(cpu_times), 1),
                "imagesPerSecond": round(args.batch * 1000 / median, 1),
                # ru_maxrss is in KiB on Linux.
                "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
