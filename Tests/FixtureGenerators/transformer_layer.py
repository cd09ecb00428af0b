"""Reference values for one post-norm and one pre-norm Transformer layer.

Builds HuggingFace's HubertEncoderLayer (post-norm) and HubertEncoderLayerStableLayerNorm
(pre-norm) at a tiny width, runs them in eval mode on a padded batch, back-propagates a random
upstream gradient, and stores parameters (under their HF names), input, output and every
gradient. The Swift test loads the parameters by name into `TransformerLayer`, so it checks the
parameter naming as well as the numerics.

Run: /work/venv/bin/python Tests/FixtureGenerators/transformer_layer.py
(needs torch, transformers, safetensors in a virtual environment outside the repository)
"""
from pathlib import Path

import torch

# transformers imports torchaudio when present; a torchaudio wheel built for another CUDA
# version refuses to import unless torch reports no CUDA (only CPU code runs here).
torch.version.cuda = None

from safetensors.torch import save_file  # noqa: E402
from transformers import HubertConfig  # noqa: E402
from transformers.models.hubert.modeling_hubert import (  # noqa: E402
    HubertEncoderLayer,
    HubertEncoderLayerStableLayerNorm,
)

OUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "transformer_layer.safetensors"

torch.manual_seed(0)
config = HubertConfig(
    hidden_size=16, num_attention_heads=4, intermediate_size=64, hidden_act="gelu",
    layer_norm_eps=1e-5, attn_implementation="eager",
)
batch, frames = 2, 5
padded = torch.zeros(batch, frames, dtype=torch.bool)
padded[1, 3:] = True  # the second example is 3 frames long
additive = torch.zeros(batch, 1, frames, frames)
additive.masked_fill_(padded[:, None, None, :], torch.finfo(torch.float32).min)

tensors = {"key_padding_mask": padded.float()}
for prefix, cls in (("post", HubertEncoderLayer), ("pre", HubertEncoderLayerStableLayerNorm)):
    layer = cls(config).eval()
    with torch.no_grad():  # non-trivial norms so their gradients are tested too
        for name, p in layer.named_parameters():
            if "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    x = torch.randn(batch, frames, config.hidden_size, requires_grad=True)
    out = layer(x, attention_mask=additive)
    y = out[0] if isinstance(out, tuple) else out
    upstream = torch.randn_like(y)
    y.backward(upstream)
    tensors[f"{prefix}.input"] = x.detach()
    tensors[f"{prefix}.output"] = y.detach()
    tensors[f"{prefix}.upstream"] = upstream
    tensors[f"{prefix}.input_grad"] = x.grad
    for name, p in layer.named_parameters():
        tensors[f"{prefix}.param.{name}"] = p.detach().clone()
        tensors[f"{prefix}.grad.{name}"] = p.grad
save_file({k: v.contiguous() for k, v in tensors.items()}, str(OUT))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
