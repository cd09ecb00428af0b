"""PyTorch reference for the fused convolution and normalisation ops (conv_norm.safetensors).

Run from the repository root:
    /work/venv/bin/python Tests/FixtureGenerators/conv_norm.py

For each case `<case>` it stores the inputs (`<case>.input`, `.weight`, `.bias` where used), a
random upstream gradient (`<case>.upstream`), the output (`<case>.output`) and the gradient of
sum(output * upstream) with respect to every input (`<case>.grad_input`, `.grad_weight`,
`.grad_bias`). Inputs are float32; the reference is computed in float64 and stored as float32.
Arguments of each case are repeated in the Swift tests (ConvolutionTests, NormalizationTests).
"""

from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUTPUT = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests/Fixtures/conv_norm.safetensors"

generator = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0, offset=0.0):
    return (torch.randn(*shape, generator=generator) * scale + offset).float()


def record(tensors, case, function, **inputs):
    """Runs `function` in float64 on `inputs`, back-propagating a random upstream gradient."""
    leaves = {name: value.double().requires_grad_() for name, value in inputs.items()}
    output = function(**leaves)
    upstream = randn(*output.shape)
    (output * upstream.double()).sum().backward()
    for name, value in inputs.items():
        tensors[f"{case}.{name}"] = value
        tensors[f"{case}.grad_{name}"] = leaves[name].grad.float()
    tensors[f"{case}.output"] = output.detach().float()
    tensors[f"{case}.upstream"] = upstream


def main():
    t = {}
    # conv1d: groups 2, even kernel, padding and stride (the brief's example).
    record(t, "conv_grouped",
           lambda input, weight, bias: F.conv1d(input, weight, bias, stride=2, padding=2, groups=2),
           input=randn(2, 4, 11), weight=randn(6, 2, 4, scale=0.5), bias=randn(6))
    # conv1d: dilation 2 with padding, no bias.
    record(t, "conv_dilated",
           lambda input, weight: F.conv1d(input, weight, stride=1, padding=3, dilation=2),
           input=randn(2, 3, 12), weight=randn(4, 3, 3, scale=0.5))
    # wav2vec2's first CNN layer in miniature: 1 → 8 channels, kernel 10, stride 5, no bias.
    record(t, "conv_first",
           lambda input, weight: F.conv1d(input, weight, stride=5),
           input=randn(2, 1, 60), weight=randn(8, 1, 10, scale=0.3))
    # Positional convolution in miniature: even kernel, padding kernel/2, groups 4, bias.
    record(t, "conv_positional",
           lambda input, weight, bias: F.conv1d(input, weight, bias, padding=3, groups=4),
           input=randn(2, 8, 12), weight=randn(8, 2, 6, scale=0.3), bias=randn(8))
    # conv_transpose1d: stride 2, padding 1, output padding 1, bias.
    record(t, "convT_strided",
           lambda input, weight, bias: F.conv_transpose1d(
               input, weight, bias, stride=2, padding=1, output_padding=1),
           input=randn(2, 4, 7), weight=randn(4, 3, 4, scale=0.5), bias=randn(3))
    # conv_transpose1d: groups 2, stride 3, dilation 2, padding 2, output padding 1.
    record(t, "convT_grouped",
           lambda input, weight: F.conv_transpose1d(
               input, weight, stride=3, padding=2, output_padding=1, groups=2, dilation=2),
           input=randn(2, 4, 5), weight=randn(4, 2, 3, scale=0.5))
    # layer_norm over a last axis of 40 (not a multiple of 16), affine, rows offset from zero.
    record(t, "layer_norm",
           lambda input, weight, bias: F.layer_norm(input, (40,), weight, bias, eps=1e-5),
           input=randn(3, 5, 40, scale=2.0, offset=3.0), weight=randn(40, offset=1.0),
           bias=randn(40))
    # layer_norm without affine parameters.
    record(t, "layer_norm_plain",
           lambda input: F.layer_norm(input, (37,), eps=1e-5),
           input=randn(4, 37))
    # group_norm with one group per channel, as wav2vec2's GroupNorm(512, 512).
    record(t, "group_norm_per_channel",
           lambda input, weight, bias: F.group_norm(input, 6, weight, bias, eps=1e-5),
           input=randn(2, 6, 35, scale=1.5, offset=-2.0), weight=randn(6, offset=1.0),
           bias=randn(6))
    # group_norm with two groups of three channels.
    record(t, "group_norm_two",
           lambda input, weight, bias: F.group_norm(input, 2, weight, bias, eps=1e-5),
           input=randn(2, 6, 35, scale=1.5, offset=2.0), weight=randn(6, offset=1.0),
           bias=randn(6))
    # instance_norm (no running statistics), without and with affine parameters.
    record(t, "instance_norm",
           lambda input: F.instance_norm(input, eps=1e-5),
           input=randn(2, 3, 50, offset=1.0))
    record(t, "instance_norm_affine",
           lambda input, weight, bias: F.instance_norm(input, weight=weight, bias=bias, eps=1e-5),
           input=randn(2, 3, 50, offset=1.0), weight=randn(3, offset=1.0), bias=randn(3))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in sorted(t.items())}, str(OUTPUT),
              metadata={"generator": "Tests/FixtureGenerators/conv_norm.py",
                        "torch": torch.__version__})
    print(f"wrote {len(t)} tensors to {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
