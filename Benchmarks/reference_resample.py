"""torchaudio reference for `msl-bench dsp`: `transforms.Resample` on the suite's inputs.

Builds the same inputs as the Swift side (60 s of a 440 Hz + 10 kHz tone at 44.1 kHz; 30 s of
the same tone at 22.05 kHz, one MARBLE clip), builds `torchaudio.transforms.Resample` for each
rate pair (Hann-windowed sinc, width 6, roll-off 0.99: what MARBLE and `SincResampler` use),
runs it once untimed, then --runs times, and prints one JSON line:
{"torch", "torchaudio", "threads", "seconds": {"44100->16000": [...], "22050->16000": [...]}}.

    /work/venv/bin/python Benchmarks/reference_resample.py --runs 5 --threads 1
"""

import argparse
import json
import time

import torch

torch.version.cuda = None  # CPU only; see reference_encoder.py

import torchaudio  # noqa: E402


def tone(seconds, rate):
    t = torch.arange(int(seconds * rate), dtype=torch.float64) / rate
    return (0.3 * torch.sin(2 * torch.pi * 440 * t) + 0.2 * torch.sin(2 * torch.pi * 10_000 * t)).float()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    seconds = {}
    for (rate, length) in [(44_100, 60.0), (22_050, 30.0)]:
        waveform = tone(length, rate)
        resample = torchaudio.transforms.Resample(rate, 16_000)
        with torch.inference_mode():
            resample(waveform)
            runs = []
            for _ in range(args.runs):
                start = time.perf_counter()
                resample(waveform)
                runs.append(time.perf_counter() - start)
        seconds[f"{rate}->16000"] = runs
    print(json.dumps({"torch": torch.__version__, "torchaudio": torchaudio.__version__,
                      "threads": args.threads, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
