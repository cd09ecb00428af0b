"""Checks MusicSSL's HuggingFace export with transformers (a developer check, not run in CI).

Loads each directory that `EncoderCheckpointTests` exported (config.json + model.safetensors
written by `EncoderCheckpoint.exportHuggingFace` from the encoder_models fixture's weights) with
`HubertModel.from_pretrained` / `Data2VecAudioModel.from_pretrained`, fails if transformers reports
any missing, unexpected or mismatched weight, and compares every hidden state of the fixture's
clip with the fixture's reference values.

Run:
    MUSICSSL_HF_EXPORT_DIR=/tmp/musicssl-export swift test --filter exportRoundTrip
    /work/venv/bin/python Tests/FixtureGenerators/check_hf_export.py /tmp/musicssl-export
(needs torch, transformers and safetensors in a virtual environment outside the repository)
"""
import json
import sys
from pathlib import Path

import torch

# transformers imports torchaudio when present; a torchaudio wheel built for another CUDA
# version refuses to import unless torch reports no CUDA (only CPU code runs here).
torch.version.cuda = None

from safetensors.torch import load_file  # noqa: E402
from transformers import Data2VecAudioModel, HubertModel  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "encoder_models.safetensors"
TOLERANCE = 1e-4

root = Path(sys.argv[1])
reference = load_file(str(FIXTURE))
failures = 0
for directory in sorted(p for p in root.iterdir() if (p / "config.json").exists()):
    family = directory.name
    config = json.loads((directory / "config.json").read_text())
    cls = {"hubert": HubertModel, "data2vec-audio": Data2VecAudioModel}[config["model_type"]]
    model, info = cls.from_pretrained(str(directory), output_loading_info=True, attn_implementation="eager")
    model.eval()
    problems = {k: v for k, v in info.items() if v}
    with torch.no_grad():
        out = model(reference["clip"], output_hidden_states=True)
    layers = len(out.hidden_states) - 1
    worst = 0.0
    for i in range(layers + 1):
        # The fixture keeps the final-normed last state under ".last" (pre-norm encoders).
        key = f"{family}.clip.last" if i == layers else f"{family}.clip.hidden.{i}"
        state = out.last_hidden_state if i == layers else out.hidden_states[i]
        worst = max(worst, (state - reference[key]).abs().max().item())
    ok = not problems and worst <= TOLERANCE
    failures += not ok
    print(f"{family}: {cls.__name__}, loading problems {problems or 'none'}, "
          f"max |Δ| over {layers + 1} hidden states {worst:.2e} -> {'ok' if ok else 'FAIL'}")
sys.exit(1 if failures else 0)
