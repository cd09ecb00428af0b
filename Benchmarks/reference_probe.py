"""PyTorch reference for `msl-bench probe`: MARBLE's probe sweep on cached features.

Reads --features ([items, 13, 768] float32 .npy, items in train/valid/test order) and
--labels ([items] int64 .npy) and --splits "700,150,150", then runs the sweep MARBLE's
exp_scripts/probe/probe_m2v.sh runs: LR {5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2} × layer
{all, 0, 1, ..., 12}, seed 1234 each. Every run is MARBLE's ProberForBertUtterCLS
(benchmark/models/probers.py): `all` = softmax-weighted sum of hidden states 1..12 with a
randn-initialised [1, 12, 1] aggregator, then Linear(768, 512) -> ReLU -> Dropout(0.2) ->
Linear(512, C); Adam (torch defaults, weight decay 0); ReduceLROnPlateau(mode="max",
factor=0.5, patience=--plateau) on validation accuracy; Lightning-style early stopping (mode
max, min_delta 0, --patience) and the first strictly best epoch's weights tested; batches of
64 shuffled items; at most --epochs epochs. Written as a plain torch loop (no Lightning, whose
per-step overhead would only slow this side down). One window per item, so per-item logit
averaging is the identity here.

Prints one JSON line: {"seconds", "runs", "epochs", "selected": {"lr", "layer", "valid", "test"},
"torch", "threads"}.

    /work/venv/bin/python Benchmarks/reference_probe.py --features /tmp/f.npy --labels /tmp/l.npy
"""

import argparse
import copy
import json
import time

import numpy as np
import torch

LEARNING_RATES = [5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2]


class Prober(torch.nn.Module):
    def __init__(self, layer, layers, dims, classes):
        super().__init__()
        self.layer = layer
        if layer == "all":
            self.aggregator = torch.nn.Parameter(torch.randn((1, layers, 1)))
        self.hidden = torch.nn.Linear(dims, 512)
        self.dropout = torch.nn.Dropout(0.2)
        self.output = torch.nn.Linear(512, classes)

    def forward(self, x):
        if self.layer == "all":
            x = (torch.softmax(self.aggregator, dim=1) * x).sum(dim=1)
        return self.output(self.dropout(torch.relu(self.hidden(x))))


def run(features, labels, splits, lr, layer, args):
    torch.manual_seed(1234)
    selected = features[:, 1:] if layer == "all" else features[:, layer]
    train, valid, test = splits
    classes = int(labels.max()) + 1
    model = Prober(layer, features.shape[1] - 1, features.shape[2], classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="max", factor=0.5, patience=args.plateau)
    criterion = torch.nn.CrossEntropyLoss()
    best, best_state, best_epoch, wait, epochs = -float("inf"), None, 0, 0, 0

    def accuracy(rows):
        model.eval()
        with torch.no_grad():
            return (model(selected[rows]).argmax(1) == labels[rows]).float().mean().item()

    for epoch in range(1, args.epochs + 1):
        epochs = epoch
        model.train()
        order = train[torch.randperm(len(train))]
        for first in range(0, len(order), 64):
            rows = order[first:first + 64]
            optimizer.zero_grad()
            criterion(model(selected[rows]), labels[rows]).backward()
            optimizer.step()
        monitor = accuracy(valid)
        if monitor > best:
            best, best_state, best_epoch, wait = monitor, copy.deepcopy(model.state_dict()), epoch, 0
        else:
            wait += 1
            if wait >= args.patience:
                break
        scheduler.step(monitor)
    model.load_state_dict(best_state)
    return {"lr": lr, "layer": str(layer), "valid": best, "test": accuracy(test),
            "epochs": epochs, "best_epoch": best_epoch}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--splits", default="700,150,150")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--patience", type=int, default=20)
    parser.add_argument("--plateau", type=int, default=6)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    features = torch.from_numpy(np.load(args.features))
    labels = torch.from_numpy(np.load(args.labels)).long()
    counts = [int(c) for c in args.splits.split(",")]
    bounds = np.cumsum([0] + counts)
    splits = [torch.arange(bounds[i], bounds[i + 1]) for i in range(3)]
    layers = ["all"] + list(range(features.shape[1]))
    start = time.perf_counter()
    results = [run(features, labels, splits, lr, layer, args)
               for lr in LEARNING_RATES for layer in layers]
    seconds = time.perf_counter() - start
    chosen = max(results, key=lambda r: r["valid"])  # first of equals, as SweepResult.selected
    print(json.dumps({
        "seconds": seconds, "runs": len(results), "epochs": sum(r["epochs"] for r in results),
        "selected": chosen, "torch": torch.__version__, "threads": torch.get_num_threads(),
    }), flush=True)


if __name__ == "__main__":
    main()
