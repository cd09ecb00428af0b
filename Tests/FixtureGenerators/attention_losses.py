"""PyTorch reference values and gradients for the fused softmax, loss and attention ops.

attention_losses.safetensors holds, per op, its inputs, a random upstream gradient `*_upstream`
where the output is not a scalar, the output and the gradient of each differentiable input
(`*_grad_<input>`, the gradient of sum(output · upstream), or of the scalar loss itself):

- softmax / log_softmax of x [4, 7] along the last axis, and softmax of x3 [2, 5, 3] along dim 1;
- cross_entropy of logits [6, 5] with targets (−100 = ignored, stored as float32), mean and none;
- binary_cross_entropy_with_logits (logits up to ±30), mse_loss, smooth_l1_loss with beta 1 and
  0.5, each with mean reduction and gradients for both operands;
- cosine_similarity of a [3, 1, 8] and b [1, 4, 8] along the last axis (broadcast to [3, 4]);
- scaled_dot_product_attention of q, k, v [2, 3, 6, 8] with a boolean key padding mask (the
  last two keys of batch element 1 padded; True = padded, the inverse of torch's attn_mask).

Run: /work/venv/bin/python Tests/FixtureGenerators/attention_losses.py
(needs torch and safetensors in a virtual environment outside the repository)
"""
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUTPUT = (Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures"
          / "attention_losses.safetensors")


def leaf(tensor):
    return tensor.detach().clone().requires_grad_(True)


def main():
    torch.manual_seed(0)
    out = {}

    def record(prefix, inputs, output, upstream=None):
        """Stores inputs, output and the gradient of each input under `prefix`."""
        if upstream is None:
            output.backward()
        else:
            output.backward(upstream)
            out[f"{prefix}_upstream"] = upstream
        out[f"{prefix}_output"] = output.detach()
        for name, tensor in inputs.items():
            out[f"{prefix}_{name}"] = tensor.detach()
            if tensor.grad is not None:
                out[f"{prefix}_grad_{name}"] = tensor.grad

    x = leaf(torch.randn(4, 7) * 2)
    record("softmax", {"x": x}, torch.softmax(x, dim=-1), torch.randn(4, 7))
    x = leaf(torch.randn(4, 7) * 2)
    record("log_softmax", {"x": x}, torch.log_softmax(x, dim=-1), torch.randn(4, 7))
    x = leaf(torch.randn(2, 5, 3))
    record("softmax_dim1", {"x": x}, torch.softmax(x, dim=1), torch.randn(2, 5, 3))

    targets = torch.tensor([3, -100, 0, 4, -100, 1])
    logits = leaf(torch.randn(6, 5) * 2)
    record("cross_entropy_mean", {"logits": logits}, F.cross_entropy(logits, targets))
    out["cross_entropy_targets"] = targets.float()
    logits = leaf(out["cross_entropy_mean_logits"])
    record("cross_entropy_none", {"logits": logits},
           F.cross_entropy(logits, targets, reduction="none"), torch.randn(6))

    logits = leaf(torch.randn(3, 4) * 10)
    logits.data[0, 0], logits.data[1, 1] = 30.0, -30.0
    targets = leaf(torch.rand(3, 4))
    record("bce", {"logits": logits, "targets": targets},
           F.binary_cross_entropy_with_logits(logits, targets))

    prediction, target = leaf(torch.randn(3, 4) * 2), leaf(torch.randn(3, 4))
    record("mse", {"prediction": prediction, "target": target}, F.mse_loss(prediction, target))
    for beta, name in [(1.0, "smooth_l1_beta1"), (0.5, "smooth_l1_beta05")]:
        prediction, target = leaf(torch.randn(3, 5) * 2), leaf(torch.randn(3, 5))
        record(name, {"prediction": prediction, "target": target},
               F.smooth_l1_loss(prediction, target, beta=beta))

    a, b = leaf(torch.randn(3, 1, 8)), leaf(torch.randn(1, 4, 8))
    record("cosine", {"a": a, "b": b}, F.cosine_similarity(a, b, dim=-1), torch.randn(3, 4))

    q, k, v = (leaf(torch.randn(2, 3, 6, 8)) for _ in range(3))
    padded = torch.zeros(2, 6, dtype=torch.bool)
    padded[1, 4:] = True
    attend = ~padded[:, None, None, :]  # torch: True = takes part in attention
    record("attention", {"q": q, "k": k, "v": v},
           F.scaled_dot_product_attention(q, k, v, attn_mask=attend), torch.randn(2, 3, 6, 8))
    out["attention_padded"] = padded.float()

    save_file({name: t.detach().float().contiguous() for name, t in out.items()}, str(OUTPUT))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes, {len(out)} tensors)")


if __name__ == "__main__":
    main()
