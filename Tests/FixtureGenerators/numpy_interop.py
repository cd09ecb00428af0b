"""Tiny .npy files written by numpy itself, for the Swift NumPyArray reader and NumPyWriter.

Every array's values are arange-based so NumPyTests can state them by formula: element k (in
row-major order) of each float array is k * 0.5 - 1, of each integer array k * 3 - 5 (scaled
where noted). Files:

  f4_v1.npy          <f4 (2, 3), format 1.0
  f8_v2.npy          <f8 (3, 2), format 2.0
  i4_v1.npy          <i4 (5,)
  i8_v2.npy          <i8 (2, 2) holding +-(2**40 + k), format 2.0
  f4_big_endian.npy  >f4 (2, 3)
  i8_big_endian.npy  >i8 (4,)
  f2_v3.npy          <f2 (4,), format 3.0
  u1.npy / b1.npy    |u1 (4,) = 0, 1, 254, 255 and |b1 (3,) = True, False, True
  scalar.npy         <f4 () = 2.5
  empty.npy          <f4 (0, 3)
  fortran.npy        <f4 (2, 3, 4), fortran_order True, values k (k = row-major index)
  writer_f4.npy      numpy.save of the <f4 (2, 3) array above: NumPyWriter must match its bytes
  writer_i8.npy      numpy.save of <i8 (5,) = k * 3 - 5: NumPyWriter must match its bytes
  writer_scalar.npy  numpy.save of <f4 () = 2.5

Run: /work/venv/bin/python Tests/FixtureGenerators/numpy_interop.py
(needs numpy in a virtual environment outside the repository)
"""
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "MusicSSLCoreTests" / "Fixtures" / "numpy"


def floats(shape, dtype):
    count = int(np.prod(shape))
    return (np.arange(count, dtype=np.float64) * 0.5 - 1).astype(dtype).reshape(shape)


def integers(shape, dtype):
    count = int(np.prod(shape))
    return (np.arange(count, dtype=np.int64) * 3 - 5).astype(dtype).reshape(shape)


def write(name, array, version):
    with open(FIXTURES / name, "wb") as file:
        np.lib.format.write_array(file, array, version=version)


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    write("f4_v1.npy", floats((2, 3), "<f4"), (1, 0))
    write("f8_v2.npy", floats((3, 2), "<f8"), (2, 0))
    write("i4_v1.npy", integers((5,), "<i4"), (1, 0))
    large = np.array([2**40, -(2**40 + 1), 2**40 + 2, -(2**40 + 3)], dtype="<i8").reshape(2, 2)
    write("i8_v2.npy", large, (2, 0))
    write("f4_big_endian.npy", floats((2, 3), ">f4"), (1, 0))
    write("i8_big_endian.npy", integers((4,), ">i8"), (1, 0))
    write("f2_v3.npy", floats((4,), "<f2"), (3, 0))
    write("u1.npy", np.array([0, 1, 254, 255], dtype="|u1"), (1, 0))
    write("b1.npy", np.array([True, False, True]), (1, 0))
    write("scalar.npy", np.array(2.5, dtype="<f4"), (1, 0))
    write("empty.npy", np.zeros((0, 3), dtype="<f4"), (1, 0))
    fortran = np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4))
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
    write("fortran.npy", fortran, (1, 0))
    np.save(FIXTURES / "writer_f4.npy", floats((2, 3), "<f4"))
    np.save(FIXTURES / "writer_i8.npy", integers((5,), "<i8"))
    np.save(FIXTURES / "writer_scalar.npy", np.array(2.5, dtype="<f4"))


if __name__ == "__main__":
    main()
