"""Reference for `msl-bench extract`: MARBLE's feature extraction in PyTorch on the CPU.

For each audio file, what MARBLE's `extract_bert_features.py` does (probe-spec §1.2): decode,
mix to mono, resample to 16 kHz (torchaudio's Hann-windowed sinc), z-normalise the whole file
as `Wav2Vec2FeatureExtractor(do_normalize=True)` (ε 1e-7), cut 30 s windows (a trailing piece
under 1 s dropped), run each window through transformers' HubertModel with every hidden state
(eval mode, `torch.inference_mode()`), mean over frames, and save `[layers, windows, dim]`
float32 as `.npy`. The model is the same random-initialised configuration as MusicSSL's
(`--config base|tiny`, see reference_encoder.py).

    /work/venv/bin/python Benchmarks/reference_extract.py --config tiny --out /tmp/x a.wav b.wav

Prints one JSON line: {"torch", "transformers", "seconds" (the whole loop over files, after
one warm-up file), "files", "shapes"}. Decoding uses soundfile (libsndfile, as MusicSSL);
torchaudio only resamples. Needs torch, torchaudio, transformers, soundfile, numpy.
"""

import argparse
import json
import os
import time

import numpy as np
import soundfile
import torch

torch.version.cuda = None  # CPU only; see reference_encoder.py

import torchaudio.functional  # noqa: E402
import transformers  # noqa: E402
from transformers import HubertConfig, HubertModel  # noqa: E402

RATE = 16_000
CONFIGS = {
    "base": dict(),
    "tiny": dict(conv_dim=(256,) * 7, hidden_size=256, num_hidden_layers=4,
                 num_attention_heads=4, intermediate_size=1024),
}


def features(model, path, window_seconds):
    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    wav = torch.from_numpy(samples.mean(axis=1))
    if rate != RATE:
        wav = torchaudio.functional.resample(wav, rate, RATE)
    wav = (wav - wav.mean()) / torch.sqrt(wav.var(unbiased=False) + 1e-7)
    length = int(window_seconds * RATE)
    pooled = []
    with torch.inference_mode():
        for start in range(0, wav.shape[0], length):
            window = wav[start:start + length]
            if window.shape[0] < RATE and pooled:
                break
            states = model(window[None], output_hidden_states=True).hidden_states
            pooled.append(torch.stack([s[0].mean(dim=0) for s in states]))
    return torch.stack(pooled, dim=1).numpy()  # [layers, windows, dim]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--window", type=float, default=30)
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = HubertConfig(feat_extract_norm="group", conv_bias=False, do_stable_layer_norm=False,
                          **CONFIGS[args.config])
    model = HubertModel(config).eval()
    os.makedirs(args.out, exist_ok=True)
    features(model, args.files[0], args.window)  # warm-up
    shapes = []
    start = time.perf_counter()
    for path in args.files:
        array = features(model, path, args.window)
        np.save(os.path.join(args.out, os.path.basename(path) + ".npy"), array)
        shapes.append(list(array.shape))
    seconds = time.perf_counter() - start
    print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__,
                      "seconds": seconds, "files": len(args.files), "shapes": shapes}), flush=True)


if __name__ == "__main__":
    main()
