"""Reference values for exact GELU and the fused linear op (values and gradients).

Run: /work/venv/bin/python Tests/FixtureGenerators/elementwise.py
(needs torch and safetensors in a virtual environment outside the repository)
"""
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "elementwise.safetensors"
torch.manual_seed(0)
tensors = {}

# GELU over a dense grid covering both tails, computed in float64 and rounded once.
x = torch.linspace(-8, 8, 401, dtype=torch.float64).float()
x64 = x.double().requires_grad_()
upstream = torch.randn(401)
y = F.gelu(x64)
y.backward(upstream.double())
tensors.update({"gelu.input": x, "gelu.output": y.detach().float(), "gelu.upstream": upstream,
                "gelu.input_grad": x64.grad.float()})

# linear on a [2, 3, 5] input, weight [4, 5], bias [4].
x = torch.randn(2, 3, 5, dtype=torch.float64, requires_grad=True)
w = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
b = torch.randn(4, dtype=torch.float64, requires_grad=True)
y = F.linear(x, w, b)
upstream = torch.randn(2, 3, 4, dtype=torch.float64)
y.backward(upstream)
for name, t in {"input": x, "weight": w, "bias": b}.items():
    tensors[f"linear.{name}"] = t.detach().float()
    tensors[f"linear.{name}_grad"] = t.grad.float()
tensors["linear.output"] = y.detach().float()
tensors["linear.upstream"] = upstream.float()

save_file({k: v.contiguous() for k, v in tensors.items()}, str(OUT))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
