"""PyTorch reference for `msl-bench encoder`: transformers' HubertModel on the CPU.

The same two encoders as MusicSSL's `EncoderConfiguration.hubertBase` and `.tiny` (group norm
after the first convolution, no conv bias, weight-normalised positional convolution of kernel
128 in 16 groups, post-LN layers, exact GELU), random-initialised, on 5 s clips at 16 kHz:

- inference: eval mode, `torch.inference_mode()`, `output_hidden_states=True`;
- training step: train mode (dropout 0.1, attention dropout 0.1, input dropout 0.1, activation
  dropout 0, layer drop off so that every step does the same work), a fixed mask over half the
  frames replaced by the learned mask embedding, a Linear(D → 500) on the masked frames of the
  last hidden state, cross-entropy against fixed random labels, backward, `torch.optim.AdamW`.

Two ways to run it:

    /work/venv/bin/python Benchmarks/reference_encoder.py --config tiny
        prints the timings on its own.

    ... --serve
        what `msl-bench encoder` uses: answers each stdin line `infer <batch> <iterations>` or
        `train <batch> <iterations>` with one JSON line of timings and the peak resident size
        during those runs, so the Swift benchmark can interleave its own runs with PyTorch's.
        `quit` ends it.

Needs torch and transformers.
"""

import argparse
import json
import re
import resource
import sys
import time

import torch

# The venv's torchaudio was built for another CUDA than torch; transformers imports torchaudio
# when it believes CUDA is present, so hide it (this benchmark is CPU only).
torch.version.cuda = None

from transformers import HubertConfig, HubertModel  # noqa: E402

SAMPLE_RATE = 16_000
SECONDS = 5
CLASSES = 500

CONFIGS = {
    "base": dict(),
    "tiny": dict(conv_dim=(256,) * 7, hidden_size=256, num_hidden_layers=4,
                 num_attention_heads=4, intermediate_size=1024),
}


def make_config(name):
    return HubertConfig(
        feat_extract_norm="group", conv_bias=False, do_stable_layer_norm=False,
        hidden_dropout=0.1, attention_dropout=0.1, activation_dropout=0.0,
        feat_proj_dropout=0.1, layerdrop=0.0, apply_spec_augment=True,
        mask_time_prob=0.05, **CONFIGS[name])  # used only without a given mask


def reset_peak_resident():
    """Resets the process's peak resident size (Linux), as msl-bench does for its own."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def peak_resident_kib():
    """Peak resident size since start or the last reset, in KiB."""
    try:
        with open("/proc/self/status") as handle:
            return int(re.search(r"VmHWM:\s+(\d+)", handle.read()).group(1))
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def fixed_mask(batch, frames):
    """Every other frame, as the Swift side masks them."""
    return torch.tensor([[t % 2 == 0 for t in range(frames)] for _ in range(batch)])


class Bench:
    def __init__(self, name, seed):
        torch.manual_seed(seed)
        self.config = make_config(name)
        self.model = HubertModel(self.config)
        self.head = torch.nn.Linear(self.config.hidden_size, CLASSES)
        self.optimizer = torch.optim.AdamW(
            list(self.model.parameters()) + list(self.head.parameters()), lr=1e-4)
        self.generator = torch.Generator().manual_seed(seed)

    def waveforms(self, batch):
        return torch.randn(batch, SAMPLE_RATE * SECONDS, generator=self.generator)

    def infer(self, batch):
        x = self.waveforms(batch)
        self.model.eval()
        start = time.perf_counter()
        with torch.inference_mode():
            self.model(x, output_hidden_states=True)
        return time.perf_counter() - start

    def train(self, batch):
        x = self.waveforms(batch)
        frames = int(self.model._get_feat_extract_output_lengths(torch.tensor(x.shape[1])))
        mask = fixed_mask(batch, frames)
        labels = torch.randint(0, CLASSES, (int(mask.sum()),), generator=self.generator)
        self.model.train()
        start = time.perf_counter()
        self.optimizer.zero_grad(set_to_none=True)
        hidden = self.model(x, mask_time_indices=mask).last_hidden_state
        loss = torch.nn.functional.cross_entropy(self.head(hidden[mask]), labels)
        loss.backward()
        self.optimizer.step()
        return time.perf_counter() - start

    def round(self, kind, batch, iterations):
        reset_peak_resident()
        run = self.infer if kind == "infer" else self.train
        seconds = [run(batch) for _ in range(iterations)]
        return {"seconds": seconds, "peak_rss_mib": peak_resident_kib() / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--train-batch", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    bench = Bench(args.config, args.seed)
    bench.infer(1)  # warm-up: first-touch allocations and kernel selection
    bench.train(1)

    if args.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__,
                          "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] in ("infer", "train"):
                reply = bench.round(words[0], int(words[1]), int(words[2]))
                print(json.dumps(reply), flush=True)
        return

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.config}")
    for kind, batch in [("infer", 1), ("infer", 8), ("train", args.train_batch)]:
        result = bench.round(kind, batch, args.iterations)
        median = sorted(result["seconds"])[len(result["seconds"]) // 2]
        print(f"{kind} batch {batch}: median {median * 1e3:8.0f} ms, "
              f"{batch / median:6.2f} clips/s, peak RSS {result['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
