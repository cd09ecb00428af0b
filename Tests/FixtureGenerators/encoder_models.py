"""Reference hidden states and gradients of tiny HuggingFace HubertModel / Data2VecAudioModel.

Builds three randomly initialised models at a tiny width (HuBERT post-norm with a group-norm
extractor, HuBERT pre-norm "stable layer norm", data2vec-audio with a layer-norm extractor and
stacked positional convolutions), runs them in eval mode on a fixed 1 s waveform and on a
zero-padded batch of two, and records every hidden state, plus every parameter's gradient of a
fixed linear function of the last hidden state. Parameters are stored under HuggingFace's names,
with the weight-normalised positional convolution written as `weight_g` / `weight_v`.

Run: /work/venv/bin/python Tests/FixtureGenerators/encoder_models.py
(needs torch, transformers and safetensors in a virtual environment outside the repository)
"""
from pathlib import Path

import torch

# transformers imports torchaudio when present; a torchaudio wheel built for another CUDA
# version refuses to import unless torch reports no CUDA (only CPU code runs here).
torch.version.cuda = None

from safetensors.torch import save_file  # noqa: E402
from transformers import (  # noqa: E402
    Data2VecAudioConfig, Data2VecAudioModel, HubertConfig, HubertModel,
)

OUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "encoder_models.safetensors"
COMMON = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
              conv_dim=(16,) * 7, num_conv_pos_embedding_groups=4, hidden_act="gelu",
              layer_norm_eps=1e-5, attn_implementation="eager")
FAMILIES = {
    "hubert": lambda: HubertModel(HubertConfig(**COMMON, num_conv_pos_embeddings=16,
                                               feat_extract_norm="group")),
    "hubert_prenorm": lambda: HubertModel(HubertConfig(**COMMON, num_conv_pos_embeddings=16,
                                                       feat_extract_norm="group",
                                                       do_stable_layer_norm=True)),
    "data2vec": lambda: Data2VecAudioModel(Data2VecAudioConfig(**COMMON, num_conv_pos_embeddings=3,
                                                               conv_pos_kernel_size=5)),
}

torch.manual_seed(0)
t = torch.arange(16000) / 16000
clip = (0.4 * torch.sin(2 * torch.pi * 220 * t) + 0.2 * torch.sin(2 * torch.pi * 330 * t)
        + 0.05 * torch.randn(16000))[None]
batch = torch.zeros(2, 16000)
batch[0] = clip[0]
batch[1, :11000] = 0.5 * clip[0, 5000:16000]
lengths = torch.tensor([16000, 11000])
attention_mask = (torch.arange(16000)[None] < lengths[:, None]).long()

tensors = {"clip": clip, "batch": batch, "batch_lengths": lengths.float()}
for family, build in FAMILIES.items():
    model = build().eval()
    with torch.no_grad():  # non-trivial norms and mask embedding
        for name, p in model.named_parameters():
            if "norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    if family == "hubert":
        # The same weights as a HuggingFace directory with a pickled state dict (transformers'
        # own parametrization names), for the pytorch_model.bin import path.
        directory = OUT.parent / "hf_hubert_bin"
        directory.mkdir(exist_ok=True)
        model.config.to_json_file(str(directory / "config.json"))
        torch.save(model.state_dict(), str(directory / "pytorch_model.bin"))
    for name, p in model.state_dict().items():
        name = name.replace("parametrizations.weight.original0", "weight_g")
        name = name.replace("parametrizations.weight.original1", "weight_v")
        tensors[f"{family}.param.{name}"] = p.detach().clone()
    out = model(clip, output_hidden_states=True)
    for i, h in enumerate(out.hidden_states):
        tensors[f"{family}.clip.hidden.{i}"] = h.detach()
    # transformers 5 lists the pre-norm encoder's last layer output un-normalised in
    # hidden_states and puts the final layer norm only in last_hidden_state.
    tensors[f"{family}.clip.last"] = out.last_hidden_state.detach()
    with torch.no_grad():
        out_b = model(batch, attention_mask=attention_mask, output_hidden_states=True)
    for i, h in enumerate(out_b.hidden_states):
        tensors[f"{family}.batch.hidden.{i}"] = h
    tensors[f"{family}.batch.last"] = out_b.last_hidden_state
    weights = torch.randn_like(out.last_hidden_state)
    (out.last_hidden_state * weights).sum().backward()
    tensors[f"{family}.clip.upstream"] = weights
    for name, p in model.named_parameters():
        if p.grad is None:  # masked_spec_embed: no frame is masked in eval mode
            continue
        name = name.replace("parametrizations.weight.original0", "weight_g")
        name = name.replace("parametrizations.weight.original1", "weight_v")
        tensors[f"{family}.grad.{name}"] = p.grad.clone()

save_file({k: v.contiguous().float().clone() for k, v in tensors.items()}, str(OUT))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
