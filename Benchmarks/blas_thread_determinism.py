"""How much OpenBLAS's sgemm results move with its thread count (the reason tests compare
GEMM-based results with a tolerance; see Documentation/Testing.md).

Calls the system libopenblas (the library MusicSSL links) through ctypes with 1 and 2 threads
on the same random operands and prints the largest difference per shape.

Run: /work/venv/bin/python Benchmarks/blas_thread_determinism.py
     (with and without OPENBLAS_CORETYPE=Haswell to compare kernel families)
"""
import ctypes

import numpy as np

lib = ctypes.CDLL("libopenblas.so.0")
FLOAT_P = ctypes.POINTER(ctypes.c_float)


def sgemm(a, b, threads):
    lib.openblas_set_num_threads(threads)
    m, k = a.shape
    n = b.shape[1]
    c = np.zeros((m, n), np.float32)
    # CblasRowMajor = 101, CblasNoTrans = 111
    lib.cblas_sgemm(101, 111, 111, m, n, k, ctypes.c_float(1.0), a.ctypes.data_as(FLOAT_P), k,
                    b.ctypes.data_as(FLOAT_P), n, ctypes.c_float(1.0), c.ctypes.data_as(FLOAT_P), n)
    return c


rng = np.random.default_rng(0)
for m, n, k in [(64, 200, 384), (256, 672, 384), (1000, 512, 1024), (500, 500, 2000)]:
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    print(f"{m}x{n}x{k}: max |1 thread - 2 threads| = {np.abs(sgemm(a, b, 1) - sgemm(a, b, 2)).max():.3g}")
