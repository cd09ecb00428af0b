"""Reference training trajectory of MARBLE's probe for MusicSSLProbe's ProbeOptimization.

Run: /work/venv/bin/python Tests/FixtureGenerators/probe_training.py
Writes Tests/MusicSSLProbeTests/Fixtures/probe_training.safetensors.

The probe is MARBLE's ProberForBertUtterCLS (benchmark/models/probers.py) with `layer: all`:
a learnable aggregator w of shape [1, L, 1], x = (softmax(w, dim=1) * h).sum(dim=1), then
Linear(D, H) -> ReLU -> Dropout(0) -> Linear(H, C). Dropout is 0 so the run is deterministic.
torch.optim.Adam (betas 0.9/0.999, eps 1e-8, weight decay 0) and
ReduceLROnPlateau(mode="max", factor=0.5, patience=1) stepped after every epoch with a given
validation-monitor sequence (chosen so that the rate halves twice and a 1e-4-relative
non-improvement counts as bad). Each epoch visits the samples in a given order, in batches of 4.

Cases: ce (CrossEntropyLoss on class ids), bce (BCEWithLogitsLoss on multi-hot targets),
mse (MSELoss on real targets), all from the same initial weights and inputs.
Keys: initial.<param>, inputs [N, L, D], order [E, N], monitors [E], targets.<case>,
<case>.losses [steps], <case>.learning_rates [steps] (float64), <case>.final.<param>.
Param names follow MusicSSL's ProbeHead: aggregator [L], hidden.weight, hidden.bias,
output.weight, output.bias.
"""

import os

import numpy as np
import torch
from safetensors.torch import save_file

N, L, D, H, C = 12, 3, 6, 5, 4
BATCH = 4
MONITORS = [0.5, 0.5, 0.5, 0.50004, 0.5, 0.7]
LR = 0.01


class Probe(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.aggregator = torch.nn.Parameter(torch.randn(1, L, 1))
        self.hidden = torch.nn.Linear(D, H)
        self.dropout = torch.nn.Dropout(0.0)
        self.output = torch.nn.Linear(H, C)

    def forward(self, h):
        weights = torch.softmax(self.aggregator, dim=1)
        x = (weights * h).sum(dim=1)
        return self.output(self.dropout(torch.relu(self.hidden(x))))


def state(model):
    return {
        "aggregator": model.aggregator.detach().reshape(L).clone(),
        "hidden.weight": model.hidden.weight.detach().clone(),
        "hidden.bias": model.hidden.bias.detach().clone(),
        "output.weight": model.output.weight.detach().clone(),
        "output.bias": model.output.bias.detach().clone(),
    }


def main():
    torch.manual_seed(7)
    generator = np.random.default_rng(7)
    initial = state(Probe())
    inputs = torch.tensor(generator.standard_normal((N, L, D)), dtype=torch.float32)
    order = np.stack([generator.permutation(N) for _ in MONITORS])
    classes = torch.tensor(generator.integers(0, C, N))
    targets = {
        "ce": classes,
        "bce": torch.tensor(generator.integers(0, 2, (N, C)), dtype=torch.float32),
        "mse": torch.tensor(generator.standard_normal((N, C)), dtype=torch.float32),
    }
    losses = {
        "ce": torch.nn.CrossEntropyLoss(),
        "bce": torch.nn.BCEWithLogitsLoss(),
        "mse": torch.nn.MSELoss(),
    }
    tensors = {f"initial.{k}": v for k, v in initial.items()}
    tensors["inputs"] = inputs
    tensors["order"] = torch.tensor(order, dtype=torch.float32)
    tensors["monitors"] = torch.tensor(MONITORS, dtype=torch.float64)
    tensors["targets.ce"] = classes.to(torch.float32)
    tensors["targets.bce"] = targets["bce"]
    tensors["targets.mse"] = targets["mse"]
    for case, criterion in losses.items():
        model = Probe()
        with torch.no_grad():
            model.aggregator.copy_(initial["aggregator"].reshape(1, L, 1))
            for name in ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]:
                model.get_parameter(name).copy_(initial[name])
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="max", factor=0.5, patience=1)
        step_losses, rates = [], []
        model.train()
        for epoch, monitor in enumerate(MONITORS):
            for first in range(0, N, BATCH):
                rows = torch.tensor(order[epoch, first:first + BATCH])
                optimizer.zero_grad()
                loss = criterion(model(inputs[rows]), targets[case][rows])
                loss.backward()
                rates.append(optimizer.param_groups[0]["lr"])
                optimizer.step()
                step_losses.append(loss.item())
            scheduler.step(monitor)
        tensors[f"{case}.losses"] = torch.tensor(step_losses, dtype=torch.float32)
        tensors[f"{case}.learning_rates"] = torch.tensor(rates, dtype=torch.float64)
        for name, value in state(model).items():
            tensors[f"{case}.final.{name}"] = value
        print(case, "rates", sorted(set(rates), reverse=True), "last loss", step_losses[-1])
    out = os.path.join(
        os.path.dirname(__file__), "..", "MusicSSLProbeTests", "Fixtures",
        "probe_training.safetensors")
    save_file({k: v.contiguous() for k, v in tensors.items()}, out,
              metadata={"torch": torch.__version__})
    print("wrote", os.path.normpath(out), os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
