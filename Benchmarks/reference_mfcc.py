"""torchaudio reference for `msl-bench mfcc`: HuBERT's 39-dim MFCC labels on 60 s of audio.

Times fairseq's label pipeline (examples/hubert/simple_kmeans/dump_mfcc_feature.py):
`torchaudio.compliance.kaldi.mfcc(x, sample_frequency=16000, use_energy=False)`, then
`torchaudio.functional.compute_deltas` twice on [13, frames], concatenated per frame into
[frames, 39]. The signal is a chord of harmonic tones plus white noise, like the Swift side's.

Two ways to run it:

    /work/venv/bin/python Benchmarks/reference_mfcc.py --rounds 5
        prints the median time and throughput on its own.

    ... --serve
        what `msl-bench` uses: waits for lines `round <iterations>` on stdin and answers each
        with one JSON line {"seconds": [...]}, so that the Swift benchmark interleaves its runs
        with torchaudio's. `quit` ends it.

Needs torch and torchaudio.
"""

import argparse
import json
import sys
import time

import numpy as np
import torch

# torchaudio refuses to import when its CUDA build differs from torch's; the Kaldi functions
# are plain torch code on the CPU, so the check does not matter here.
torch.version.cuda = None
import torchaudio  # noqa: E402
import torchaudio.compliance.kaldi as kaldi  # noqa: E402

SAMPLE_RATE = 16000


def signal(seconds):
    """A chord (A3, C#4, E4, five partials each) plus white noise at -40 dB, peak about 0.8."""
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    chord = sum(np.sin(2 * np.pi * k * f * t) / k
                for f in (220.0, 277.18, 329.63) for k in range(1, 6))
    noise = np.random.default_rng(0).standard_normal(t.shape)
    x = 0.8 * chord / np.max(np.abs(chord)) + 0.01 * noise
    return torch.from_numpy(x.astype(np.float32)).view(1, -1)


def hubert_labels(waveform):
    """fairseq MfccFeatureReader.get_feats: [frames, 39]."""
    mfccs = kaldi.mfcc(waveform, sample_frequency=SAMPLE_RATE, use_energy=False)
    mfccs = mfccs.transpose(0, 1)
    deltas = torchaudio.functional.compute_deltas(mfccs)
    ddeltas = torchaudio.functional.compute_deltas(deltas)
    return torch.cat([mfccs, deltas, ddeltas], dim=0).transpose(0, 1).contiguous()


def timed(waveform):
    start = time.perf_counter()
    with torch.no_grad():
        hubert_labels(waveform)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    waveform = signal(args.seconds)
    timed(waveform)  # warm-up

    if args.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__,
                          "torchaudio": torchaudio.__version__,
                          "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] == "round":
                seconds = [timed(waveform) for _ in range(int(words[1]))]
                print(json.dumps({"seconds": seconds}), flush=True)
        return

    times = sorted(timed(waveform) for _ in range(args.rounds * args.iterations))
    median = times[len(times) // 2]
    print(f"torch {torch.__version__}, torchaudio {torchaudio.__version__}, "
          f"{torch.get_num_threads()} threads, {args.seconds:g} s at {SAMPLE_RATE} Hz")
    print(f"median {median * 1e3:.1f} ms (best {times[0] * 1e3:.1f} ms), "
          f"{args.seconds / median:.0f} s of audio per second")


if __name__ == "__main__":
    main()
