"""torchaudio sinc-resampling references for SincResampler (Fixtures/sinc_resample.safetensors).

Run from the repository root:
    /work/venv/bin/python Tests/FixtureGenerators/sinc_resample.py

Each case resamples a short seeded signal (white noise plus a sine, so every frequency the
filter passes or stops is present) with `torchaudio.transforms.Resample(orig, new)`, MARBLE's
call (probe-spec §1.2): kernel built in float64, applied in float32. Stored float32:
  <case>.input        [n] the signal at `orig`
  <case>.output       [ceil(new * n / orig)] the transform's output
  <case>.functional   [same] torchaudio.functional.resample on the same input (kernel built in
                      the waveform's float32), SincResampler's kernelPrecision .float32
The Swift tests (SincResamplerTests) repeat the case names, rates and windows below.
"""

from pathlib import Path

import numpy as np
import torch

torch.version.cuda = None  # this torch build asks for CUDA libraries torchaudio cannot load
import torchaudio  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests/Fixtures/sinc_resample.safetensors"
KAISER_BETA = 14.769656459379492

# name: (orig, new, input length, resampling_method)
CASES = {
    "down_22050_16000": (22_050, 16_000, 2_001, "sinc_interp_hann"),
    "down_44100_16000": (44_100, 16_000, 2_647, "sinc_interp_hann"),
    "down_48000_24000": (48_000, 24_000, 1_503, "sinc_interp_hann"),
    "up_16000_22050": (16_000, 22_050, 1_001, "sinc_interp_hann"),
    "up_8000_16000": (8_000, 16_000, 777, "sinc_interp_hann"),
    "up_22050_24000": (22_050, 24_000, 1_105, "sinc_interp_hann"),
    "short_44100_16000": (44_100, 16_000, 37, "sinc_interp_hann"),
    "kaiser_44100_16000": (44_100, 16_000, 1_999, "sinc_interp_kaiser"),
    "down_96000_16000": (96_000, 16_000, 3_001, "sinc_interp_hann"),
    "up_11025_16000": (11_025, 16_000, 1_501, "sinc_interp_hann"),
}


def signal(length, rate, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(length) / rate
    tone = 0.4 * np.sin(2 * np.pi * 1_000 * t + 0.3)
    return (tone + 0.3 * rng.standard_normal(length)).astype(np.float32)


def main():
    tensors = {}
    for seed, (name, (orig, new, length, method)) in enumerate(CASES.items()):
        x = torch.from_numpy(signal(length, orig, 20261206 + seed))
        beta = KAISER_BETA if method == "sinc_interp_kaiser" else None
        transform = torchaudio.transforms.Resample(orig, new, resampling_method=method, beta=beta)
        with torch.no_grad():
            y = transform(x)
        tensors[f"{name}.input"] = x
        tensors[f"{name}.output"] = y
        functional = torchaudio.functional.resample(
            x, orig, new, resampling_method=method, beta=beta)
        tensors[f"{name}.functional"] = functional
        difference = (functional - y).abs().max().item()
        print(f"{name}: {length} -> {y.numel()}, |functional - transform| max {difference:.2e}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    save_file({key: value.contiguous() for key, value in tensors.items()}, str(OUTPUT))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
