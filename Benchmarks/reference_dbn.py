"""madmom reference for `msl-bench dbn`: DBNBeatTrackingProcessor on a given activation file.

Builds `DBNBeatTrackingProcessor(fps=--fps)` with madmom's defaults, decodes the float32
activations in --activations (.npy) --runs times, and prints one JSON line:
{"madmom", "numpy", "build_seconds", "decode_seconds" (one per run), "beats" (seconds)}.

    /work/venv-madmom/bin/python Benchmarks/reference_dbn.py --activations /tmp/a.npy --fps 50

Needs madmom 0.16.1 (see Tests/FixtureGenerators/dbn_beats.py for installing it on Python 3.11);
single-threaded, as madmom's Viterbi is.
"""

import argparse
import collections
import collections.abc
import json
import time

collections.MutableSequence = collections.abc.MutableSequence  # madmom 0.16.1 on Python >= 3.10

import madmom  # noqa: E402
import numpy as np  # noqa: E402
from madmom.features.beats import DBNBeatTrackingProcessor  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", required=True)
    parser.add_argument("--fps", type=float, required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    activations = np.load(args.activations).astype(np.float32, copy=False)
    start = time.perf_counter()
    processor = DBNBeatTrackingProcessor(fps=args.fps)
    build_seconds = time.perf_counter() - start
    beats = processor(activations)  # warm-up
    decode_seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        beats = processor(activations)
        decode_seconds.append(time.perf_counter() - start)
    print(json.dumps({
        "madmom": madmom.__version__, "numpy": np.__version__, "build_seconds": build_seconds,
        "decode_seconds": decode_seconds, "beats": [float(b) for b in beats],
    }), flush=True)


if __name__ == "__main__":
    main()
