"""Safetensors files written by the reference implementation, for the Swift reader and writer.

safetensors_interop.safetensors: F32, F16 and BF16 tensors with arange-based values and the
special values of each format (largest finite, subnormals, -0.0, infinities, NaN), plus an F64
tensor, an I64 tensor (readable only as info), a scalar and an empty tensor. SafeTensorsTests
asserts the same values, written out by hand.

safetensors_writer_reference.safetensors: F32 tensors whose names need sorting and JSON
escaping; SafeTensorsWriter must reproduce this file byte for byte.

Both go through safetensors.serialize_file, the call safetensors.numpy.save_file makes; the
tensor specs are built here because numpy has no bfloat16 (BF16 is given as uint16 bit
patterns). Metadata has one key so the file is deterministic (the Rust side keeps it in a
HashMap).

Run: /work/venv/bin/python Tests/FixtureGenerators/safetensors_interop.py
(needs numpy and safetensors in a virtual environment outside the repository)
"""
from pathlib import Path

import numpy as np
from safetensors import TensorSpec, serialize_file

FIXTURES = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures"

F16_SPECIAL = np.array(
    [65504.0, -65504.0, 2.0**-24, 2.0**-14 - 2.0**-24, 2.0**-14, -0.0, np.inf, -np.inf,
     np.nan, 1 / 3],
    dtype=np.float16,
)
# bfloat16 bit patterns: largest finite, smallest subnormal, largest subnormal, smallest
# normal, -0.0, +inf, -inf, quiet NaN, 1/3 rounded to nearest, -1.5.
BF16_SPECIAL = np.array(
    [0x7F7F, 0x0001, 0x007F, 0x0080, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x3EAB, 0xBFC0],
    dtype=np.uint16,
)
F32_SPECIAL = np.array(
    [np.finfo(np.float32).max, 2.0**-149, -0.0, np.inf, -np.inf, np.nan, 1 / 3],
    dtype=np.float32,
)


def bf16_bits(values: np.ndarray) -> np.ndarray:
    """bfloat16 bit patterns of float32 values that bfloat16 holds exactly."""
    bits = values.astype(np.float32).view(np.uint32)
    assert np.all(bits & 0xFFFF == 0), "value not exact in bfloat16"
    return (bits >> 16).astype(np.uint16)


def save(tensors: dict, path: Path, metadata: dict) -> None:
    """Writes `tensors` ({name: ndarray, or (bfloat16 bits, "bfloat16")}) with `metadata`."""
    specs, keep_alive = {}, []
    for name, value in tensors.items():
        array, dtype = value if isinstance(value, tuple) else (value, value.dtype.name)
        array = array.astype(array.dtype.newbyteorder("<"), order="C")
        keep_alive.append(array)
        specs[name] = TensorSpec(
            dtype=dtype, shape=array.shape, data_ptr=array.ctypes.data, data_len=array.nbytes
        )
    serialize_file(specs, str(path), metadata=metadata)


save(
    {
        "f32_arange": np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3,
        "f32_special": F32_SPECIAL,
        "f32_scalar": np.array(42.0, dtype=np.float32),
        "f32_empty": np.zeros((0, 3), dtype=np.float32),
        "f16_arange": ((np.arange(12, dtype=np.float32) - 6) / 4).astype(np.float16).reshape(3, 4),
        "f16_special": F16_SPECIAL,
        "bf16_arange": (bf16_bits(np.arange(6, dtype=np.float32) * 1.25 - 2).reshape(2, 3),
                        "bfloat16"),
        "bf16_special": (BF16_SPECIAL, "bfloat16"),
        "f64_values": np.array([0.1, -2.5, 1e300, 1e-50], dtype=np.float64),
        "i64_positions": np.arange(5, dtype=np.int64),
    },
    FIXTURES / "safetensors_interop.safetensors",
    metadata={"source": "safetensors_interop.py"},
)

save(
    {
        "z.weight": np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5,
        "a.bias": np.array([1.0, -1.0], dtype=np.float32),
        'quote"back\\slash': np.array([3.0], dtype=np.float32),
        "tab\tnew\nline\u0001": np.array([[4.0]], dtype=np.float32),
        "\u00e9t\u00e9/\u6f22": np.array(5.0, dtype=np.float32),
        "B.upper": np.zeros((0,), dtype=np.float32),
    },
    FIXTURES / "safetensors_writer_reference.safetensors",
    metadata={"step": "12 \"quoted\" \u00e9"},
)
