"""Reference losses and gradients of the HuBERT and data2vec pre-training objectives.

Re-implements, on tiny HuggingFace HubertModel / Data2VecAudioModel backbones, what fairseq's
HubertModel + hubert_criterion and Data2VecAudioModel compute in a training step (model-spec
§3.3-§3.4 and §4.1-§4.3), in eval mode (no dropout) so that the values are deterministic:

HuBERT: CNN features → gradient × 0.1 (feature_grad_mult) → penalty mean(f²) → LayerNorm →
projection → masked frames replaced by mask_emb → encoder → final_proj on masked frames →
cosine against label embeddings ÷ 0.1 over K + 4 classes → cross-entropy summed over masked
frames ÷ their count, + 10 · penalty. Labels are 100 Hz ids cut at round(start · 100) and read at
every second position (feat2tar_ratio 2).

data2vec: the teacher is a copy of the encoder (update 0); it runs on the projected, unmasked
features; the target is the mean of its top-2 layers' feed-forward outputs, each
instance-normalised over time; the student's masked output goes through final_proj (D → D) and
the loss is Σ (x − y)² / √D over masked frames ÷ their count.

Writes every parameter (MusicSSL's names), the inputs, the fixed mask, the labels, the losses
and every student parameter's gradient to
Tests/MusicSSLCoreTests/Fixtures/pretraining_losses.safetensors.

Run: /work/venv/bin/python Tests/FixtureGenerators/pretraining_losses.py
"""
import copy
import math
from pathlib import Path

import torch
import torch.nn.functional as F

torch.version.cuda = None  # see encoder_models.py

from safetensors.torch import save_file  # noqa: E402
from transformers import (  # noqa: E402
    Data2VecAudioConfig, Data2VecAudioModel, HubertConfig, HubertModel,
)

OUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "pretraining_losses.safetensors"
COMMON = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
              conv_dim=(16,) * 7, num_conv_pos_embedding_groups=4, hidden_act="gelu",
              layer_norm_eps=1e-5, attn_implementation="eager")
K = 5            # clusters
FINAL_DIM = 8    # HuBERT's projected label space
SPECIAL = 4      # fairseq dictionary symbols ahead of the clusters

torch.manual_seed(0)
samples = 8000
t = torch.arange(samples) / 16000
waveforms = torch.stack([
    0.4 * torch.sin(2 * torch.pi * 220 * t) + 0.05 * torch.randn(samples),
    0.3 * torch.sin(2 * torch.pi * 330 * t) + 0.05 * torch.randn(samples),
])
frames = (samples - 400) // 320 + 1
mask = torch.zeros(2, frames, dtype=torch.bool)
mask[0, 3:13] = True
mask[1, 8:18] = True
# File labels at 100 Hz; clip 0 starts 0.0 s into "a.wav", clip 1 0.13 s into "b.wav".
file_labels = {"a.wav": torch.randint(0, K, (120,)), "b.wav": torch.randint(0, K, (140,))}
starts = [("a.wav", 0.0), ("b.wav", 0.13)]
targets = torch.full((2, frames), -100, dtype=torch.long)
for row, (path, start) in enumerate(starts):
    first = round(start * 100)
    for j in range(frames):
        index = first + int(j * 2.0)
        if index < len(file_labels[path]):
            targets[row, j] = file_labels[path][index]

tensors = {"waveforms": waveforms, "mask": mask.float(), "frame_targets": targets.float(),
           "labels.a.wav": file_labels["a.wav"].float(), "labels.b.wav": file_labels["b.wav"].float()}


def grad_multiply(x, scale):
    return x * scale + x.detach() * (1 - scale)


def backbone(model, record_ffn=None):
    features = model.feature_extractor(waveforms)                      # [B, C, T]
    features = grad_multiply(features, 0.1)
    penalty = features.pow(2).mean()
    fp = model.feature_projection
    projected = fp.projection(fp.layer_norm(features.transpose(1, 2)))  # [B, T, D]
    hidden = projected.clone()
    hidden[mask] = model.masked_spec_embed.to(hidden.dtype)
    last = model.encoder(hidden).last_hidden_state
    return penalty, projected, last


def store_params(prefix, model, extra):
    for name, p in model.state_dict().items():
        name = name.replace("parametrizations.weight.original0", "weight_g")
        name = name.replace("parametrizations.weight.original1", "weight_v")
        tensors[f"{prefix}.param.{name}"] = p.detach().clone()
    for name, p in extra.items():
        tensors[f"{prefix}.param.{name}"] = p.detach().clone()


def store_grads(prefix, model, extra):
    for name, p in list(model.named_parameters()) + list(extra.items()):
        if p.grad is None:
            continue
        name = name.replace("parametrizations.weight.original0", "weight_g")
        name = name.replace("parametrizations.weight.original1", "weight_v")
        tensors[f"{prefix}.grad.{name}"] = p.grad.clone()


def perturb_norms(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.add_(0.1 * torch.randn_like(p))


# HuBERT
hubert = HubertModel(HubertConfig(**COMMON, num_conv_pos_embeddings=16, feat_extract_norm="group")).eval()
perturb_norms(hubert)
final_proj = torch.nn.Linear(32, FINAL_DIM)
label_embs = torch.nn.Parameter(torch.rand(K + SPECIAL, FINAL_DIM))
head = {"heads.hubert.final_proj.weight": final_proj.weight, "heads.hubert.final_proj.bias": final_proj.bias,
        "heads.hubert.label_embs_concat": label_embs}
store_params("hubert", hubert, head)
penalty, _, last = backbone(hubert)
picked = mask & (targets != -100)
x = final_proj(last[picked])
logits = F.cosine_similarity(x[:, None, :], label_embs[None, :, :], dim=-1) / 0.1
ce = F.cross_entropy(logits, targets[picked] + SPECIAL, reduction="sum")
loss = ce / mask.sum() + 10 * penalty
loss.backward()
tensors["hubert.loss"] = loss.detach().reshape(1)
tensors["hubert.cross_entropy"] = (ce / mask.sum()).detach().reshape(1)
tensors["hubert.penalty"] = penalty.detach().reshape(1)
tensors["hubert.accuracy"] = (logits.argmax(-1) == targets[picked] + SPECIAL).float().mean().reshape(1)
store_grads("hubert", hubert, head)

# data2vec
data2vec = Data2VecAudioModel(Data2VecAudioConfig(**COMMON, num_conv_pos_embeddings=3,
                                                  conv_pos_kernel_size=5)).eval()
perturb_norms(data2vec)
regression = torch.nn.Linear(32, 32)
head = {"heads.data2vec.final_proj.weight": regression.weight,
        "heads.data2vec.final_proj.bias": regression.bias}
store_params("data2vec", data2vec, head)
teacher = copy.deepcopy(data2vec.encoder).eval()
ffn_outputs = []
for layer in teacher.layers:
    layer.feed_forward.register_forward_hook(lambda module, inputs, output: ffn_outputs.append(output))
_, projected, last = backbone(data2vec)
with torch.no_grad():
    teacher(projected.detach())
    normalised = [F.instance_norm(y.transpose(1, 2).float(), eps=1e-5).transpose(1, 2) for y in ffn_outputs[-2:]]
    y = sum(normalised) / len(normalised)
prediction = regression(last[mask])
loss = ((prediction - y[mask]) ** 2).sum() / math.sqrt(32) / mask.sum()
loss.backward()
tensors["data2vec.loss"] = loss.detach().reshape(1)
tensors["data2vec.targets"] = y
store_grads("data2vec", data2vec, head)

save_file({k: v.contiguous().float().clone() for k, v in tensors.items()}, str(OUT))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
