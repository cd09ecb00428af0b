"""nnAudio CQT, librosa chroma, mel, log-mel and MFCC references (Fixtures/spectral/*.npy).

Run from the repository root (the venv needs numpy, scipy, torch, nnAudio and librosa):
    /work/venv/bin/python Tests/FixtureGenerators/spectral_features.py

One deterministic signal, `input.npy` (72 000 float32 samples: a C-major chord over a bass C
with harmonics, changing to F major half way, plus seeded white noise), is read at two rates:
  * 24 kHz (3 s) for MERT's CQT (nnAudio `CQT1992v2`, model-spec §6.2) and its chroma;
  * 22.05 kHz (3.27 s) for nnAudio's default CQT (reflection padding) and the librosa features.
Every output is stored float32 as [frames, features] (the transpose of nnAudio and librosa):
  cqt_mert.npy          frames 0, 5, 10, …, 225 of the [226, 336] MERT CQT magnitude
  chroma_mert.npy       librosa.feature.chroma_cqt(C=<full MERT CQT>, bins_per_octave=48,
                        fmin=32.7), [226, 12]
  cqt_default.npy       nnAudio CQT1992v2() defaults (hop 512, 84 bins), [141, 84]
  mel_power.npy         librosa.feature.melspectrogram(y, sr=22050), [141, 128]
  log_mel_db.npy        librosa.power_to_db(mel_power), [141, 128]
  mfcc.npy              librosa.feature.mfcc(y, sr=22050), [141, 20]
The Swift tests (SpectralParityTests) repeat these arguments.
"""

from pathlib import Path

import librosa
import numpy as np
import torch
from nnAudio.features import CQT1992v2

OUTPUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests/Fixtures/spectral"
CQT_RATE = 24_000
LIBROSA_RATE = 22_050
SAMPLES = 72_000
CQT_FRAME_STRIDE = 5


def synthesise():
    """Bass C2 + C4-E4-G4 for 1.5 s, then F2 + F4-A4-C5, with 3 harmonics each, plus noise."""
    t = np.arange(SAMPLES) / CQT_RATE
    half = SAMPLES // 2
    signal = np.zeros(SAMPLES)
    for start, end, notes in ((0, half, (36, 60, 64, 67)), (half, SAMPLES, (41, 65, 69, 72))):
        for midi in notes:
            frequency = 440.0 * 2.0 ** ((midi - 69) / 12)
            for harmonic, amplitude in ((1, 0.12), (2, 0.05), (3, 0.025)):
                signal[start:end] += amplitude * np.sin(
                    2 * np.pi * harmonic * frequency * t[start:end] + 0.3 * midi)
    envelope = 0.6 + 0.4 * np.cos(2 * np.pi * 1.5 * t)
    noise = np.random.default_rng(20240923).standard_normal(SAMPLES) * 0.03
    return (signal * envelope + noise).astype(np.float32)


def frames_first(array):
    return np.ascontiguousarray(np.asarray(array, dtype=np.float32).T)


def main():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    y = synthesise()
    np.save(OUTPUT / "input.npy", y)

    mert = CQT1992v2(
        sr=CQT_RATE, hop_length=320, fmin=32.7, n_bins=336, bins_per_octave=48,
        filter_scale=1, norm=1, window="hann", center=True, pad_mode="constant",
        trainable=False, output_format="Magnitude", verbose=False)
    with torch.no_grad():
        cqt = mert(torch.from_numpy(y))[0].numpy()  # [336, 226]
    np.save(OUTPUT / "cqt_mert.npy", frames_first(cqt[:, ::CQT_FRAME_STRIDE]))
    chroma = librosa.feature.chroma_cqt(C=cqt, bins_per_octave=48, fmin=32.7)
    np.save(OUTPUT / "chroma_mert.npy", frames_first(chroma))

    default = CQT1992v2(verbose=False)
    with torch.no_grad():
        np.save(OUTPUT / "cqt_default.npy", frames_first(default(torch.from_numpy(y))[0]))

    mel = librosa.feature.melspectrogram(y=y, sr=LIBROSA_RATE)
    np.save(OUTPUT / "mel_power.npy", frames_first(mel))
    np.save(OUTPUT / "log_mel_db.npy", frames_first(librosa.power_to_db(mel)))
    np.save(OUTPUT / "mfcc.npy", frames_first(librosa.feature.mfcc(y=y, sr=LIBROSA_RATE)))

    for path in sorted(OUTPUT.glob("*.npy")):
        print(f"{path.name}: {np.load(path).shape}, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
