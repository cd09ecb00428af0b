"""torchaudio references for MusicSSL's Kaldi filterbank and MFCC features (HuBERT's labels).

For each sample rate it synthesises a deterministic test signal: a three-note chord of harmonic
tones (A3, C#4, E4, five partials each, falling 1/k) that changes to a second chord halfway,
with attack/decay envelopes and white noise at -40 dB, peak 0.8, as float32 in [-1, 1] (the
scale fairseq's dump_mfcc_feature.py passes). It then writes, as numpy .npy float32 files in
Tests/MusicSSLCoreTests/Fixtures/kaldi/:

- waveform_<rate>.npy   [samples]
- fbank_<rate>.npy      torchaudio.compliance.kaldi.fbank(waveform, sample_frequency=rate)
                        [frames, 23]
- mfcc39_<rate>.npy     fairseq's HuBERT labels: kaldi.mfcc(..., use_energy=False), then
                        compute_deltas twice (win_length 5) on [ceps, frames], concatenated
                        [mfcc | delta | delta-delta] per frame: [frames, 39]
- mfcc60_<rate>.npy     (16 kHz only) the same with num_ceps=20 (23 mel bins): [frames, 60]

Rates: 16000 Hz for 3 s (HuBERT) and 22050 Hz for 1 s (25 ms / 10 ms are 551 / 220 samples there,
FFT 1024).

Run: /work/venv/bin/python Tests/FixtureGenerators/kaldi_features.py
(needs torch, torchaudio and numpy in a virtual environment outside the repository)
"""
from pathlib import Path

import numpy as np
import torch

# torchaudio refuses to import when its CUDA build differs from torch's; its Kaldi functions
# are plain torch code on the CPU, so the check does not matter here.
torch.version.cuda = None
import torchaudio  # noqa: E402
import torchaudio.compliance.kaldi as kaldi  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "kaldi"


def chord_signal(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Two chords of harmonic tones with envelopes, plus white noise, peak 0.8."""
    t = np.arange(int(rate * seconds)) / rate
    half = seconds / 2
    signal = np.zeros_like(t)
    chords = [(0.0, [220.0, 277.18, 329.63]), (half, [246.94, 311.13, 392.0])]
    for start, notes in chords:
        local = t - start
        envelope = np.where(
            (local >= 0) & (local < half),
            np.minimum(local / 0.02, 1.0) * np.exp(-1.5 * np.clip(local, 0, None)), 0.0)
        for note in notes:
            for k in range(1, 6):
                signal += envelope * np.sin(2 * np.pi * k * note * t) / k
    rng = np.random.default_rng(seed)
    signal = 0.8 * signal / np.max(np.abs(signal))
    signal += 0.01 * rng.standard_normal(t.shape)
    return signal.astype(np.float32)


def hubert_mfcc(waveform: torch.Tensor, rate: int, num_ceps: int) -> torch.Tensor:
    """As fairseq examples/hubert/simple_kmeans/dump_mfcc_feature.py (num_ceps 13 there)."""
    mfccs = kaldi.mfcc(waveform, sample_frequency=rate, use_energy=False, num_ceps=num_ceps)
    mfccs = mfccs.transpose(0, 1)  # (freq, time)
    deltas = torchaudio.functional.compute_deltas(mfccs)
    ddeltas = torchaudio.functional.compute_deltas(deltas)
    return torch.cat([mfccs, deltas, ddeltas], dim=0).transpose(0, 1).contiguous()


def main():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for rate, seconds, variants in [(16000, 3.0, [13, 20]), (22050, 1.0, [13])]:
        samples = chord_signal(rate, seconds, seed=rate)
        waveform = torch.from_numpy(samples).view(1, -1)
        outputs = {
            f"waveform_{rate}": samples,
            f"fbank_{rate}": kaldi.fbank(waveform, sample_frequency=rate).numpy(),
        }
        for num_ceps in variants:
            outputs[f"mfcc{3 * num_ceps}_{rate}"] = hubert_mfcc(waveform, rate, num_ceps).numpy()
        for name, array in outputs.items():
            np.save(OUTPUT / f"{name}.npy", array.astype(np.float32))
            print(f"{name}: {array.shape}")


if __name__ == "__main__":
    main()
