"""PyTorch reference for `msl-bench`: one HuBERT-base post-LN Transformer layer on the CPU.

The layer is fairseq's `TransformerSentenceEncoderLayer` (= HuggingFace `HubertEncoderLayer`)
with the base pre-training settings: D = 768, 12 heads, FFN 3072, exact erf GELU, dropout 0.1 on
both residual branches, attention-probability dropout 0.1, activation dropout 0, LayerNorm eps
1e-5, in training mode. Attention goes through `F.scaled_dot_product_attention`, PyTorch's
fastest CPU path for it.

Two ways to run it:

    /work/venv/bin/python Benchmarks/reference_layer.py --rounds 5
        prints forward and forward+backward times on its own.

    ... --serve
        what `msl-bench` uses: waits for lines `round <iterations>` on stdin and answers each
        with one JSON line of timings, so the Swift benchmark can interleave its own runs with
        PyTorch's and both see the same machine noise. `quit` ends it.

Needs torch (any recent CPU build). Set the malloc variables from torch-cpu-anchors.md in the
environment to measure PyTorch with glibc malloc tuned.
"""

import argparse
import json
import re
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


class PostNormLayer(nn.Module):
    """fairseq TransformerSentenceEncoderLayer with layer_norm_first = False."""

    def __init__(self, dim, heads, ffn, dropout, attention_dropout):
        super().__init__()
        self.heads = heads
        self.dropout = dropout
        self.attention_dropout = attention_dropout
        self.q_proj = nn.Linear(dim, dim)
        self.k_proj = nn.Linear(dim, dim)
        self.v_proj = nn.Linear(dim, dim)
        self.out_proj = nn.Linear(dim, dim)
        self.self_attn_layer_norm = nn.LayerNorm(dim, eps=1e-5)
        self.fc1 = nn.Linear(dim, ffn)
        self.fc2 = nn.Linear(ffn, dim)
        self.final_layer_norm = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, x):
        batch, frames, dim = x.shape
        head_dim = dim // self.heads

        def split(t):  # [B, T, D] -> [B, H, T, D/H]
            return t.view(batch, frames, self.heads, head_dim).transpose(1, 2)

        residual = x
        attended = F.scaled_dot_product_attention(
            split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x)),
            dropout_p=self.attention_dropout if self.training else 0.0)
        attended = attended.transpose(1, 2).reshape(batch, frames, dim)
        x = residual + F.dropout(self.out_proj(attended), self.dropout, self.training)
        x = self.self_attn_layer_norm(x)
        residual = x
        hidden = F.gelu(self.fc1(x))  # exact erf GELU; activation dropout is 0 in pre-training
        x = residual + F.dropout(self.fc2(hidden), self.dropout, self.training)
        return self.final_layer_norm(x)


def flops(batch, frames, dim, ffn):
    """GEMM FLOPs of one forward pass (projections, q·kᵀ, p·v, FFN)."""
    tokens = batch * frames
    projections = 4 * 2 * tokens * dim * dim
    attention = 2 * 2 * batch * frames * frames * dim
    feed_forward = 2 * 2 * tokens * dim * ffn
    return projections + attention + feed_forward


def reset_peak_resident():
    """Resets the process's peak resident size (Linux), as msl-bench does for its own."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def peak_resident_kib():
    """Peak resident size since start or the last reset, in KiB."""
    return status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def status_kib(field):
    """A size field of /proc/self/status (VmRSS, VmHWM) in KiB, or None off Linux."""
    try:
        with open("/proc/self/status") as handle:
            return int(re.search(field + r":\s+(\d+)", handle.read()).group(1))
    except (OSError, AttributeError):
        return None


class Bench:
    def __init__(self, args):
        torch.manual_seed(args.seed)
        self.layer = PostNormLayer(args.dim, args.heads, args.ffn, 0.1, 0.1).train()
        self.x = torch.randn(args.batch, args.frames, args.dim)
        self.upstream = torch.randn(args.batch, args.frames, args.dim)

    def forward(self):
        x = self.x.detach().requires_grad_()
        start = time.perf_counter()
        self.layer(x)
        return time.perf_counter() - start

    def forward_backward(self):
        self.layer.zero_grad(set_to_none=True)
        x = self.x.detach().requires_grad_()
        start = time.perf_counter()
        self.layer(x).backward(self.upstream)
        return time.perf_counter() - start

    def round(self, iterations):
        forward = [self.forward() * 1e3 for _ in range(iterations)]
        step = [self.forward_backward() * 1e3 for _ in range(iterations)]
        return {"forward_ms": forward, "forward_backward_ms": step,
                "peak_rss_mib": peak_resident_kib() / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--frames", type=int, default=250)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--ffn", type=int, default=3072)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    reset_peak_resident()  # count the layer and its activations, not the import of torch
    resident_at_start = (status_kib("VmRSS") or 0) / 1024
    bench = Bench(args)
    bench.forward_backward()  # warm-up: first-touch allocations and kernel selection

    if args.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__,
                          "threads": torch.get_num_threads(),
                          "resident_at_start_mib": resident_at_start}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] == "round":
                print(json.dumps(bench.round(int(words[1]))), flush=True)
        return

    gflop = flops(args.batch, args.frames, args.dim, args.ffn) / 1e9
    forward, step = [], []
    for _ in range(args.rounds):
        result = bench.round(args.iterations)
        forward += result["forward_ms"]
        step += result["forward_backward_ms"]
    forward.sort()
    step.sort()
    median_forward, median_step = forward[len(forward) // 2], step[len(step) // 2]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"[{args.batch}, {args.frames}, {args.dim}]")
    print(f"forward          median {median_forward:8.1f} ms  "
          f"{gflop / median_forward * 1e3:6.1f} GFLOP/s")
    print(f"forward+backward median {median_step:8.1f} ms  "
          f"{3 * gflop / median_step * 1e3:6.1f} GFLOP/s")
    print(f"peak RSS {result['peak_rss_mib']:.0f} MiB "
          f"({resident_at_start:.0f} MiB before building the layer)")


if __name__ == "__main__":
    main()
