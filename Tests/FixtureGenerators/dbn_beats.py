"""Reference beats from madmom's DBNBeatTrackingProcessor for MusicSSLProbe's DBNBeatDecoder.

Run: /work/venv-madmom/bin/python Tests/FixtureGenerators/dbn_beats.py
Writes Tests/MusicSSLProbeTests/Fixtures/dbn_beats/<configuration>.json.

Needs madmom 0.16.1 (the version MARBLE's beat probe ran) in a venv outside the repository. Its
PyPI sdist does not build on Python 3.11 as shipped, because its pre-generated C files include
CPython's old `longintrepr.h`; deleting them lets Cython 0.29 regenerate them:

    python3 -m venv /work/venv-madmom
    /work/venv-madmom/bin/pip install "numpy<1.24" "cython<3" scipy mido
    /work/venv-madmom/bin/pip download --no-deps --no-binary :all: madmom==0.16.1
    tar xzf madmom-0.16.1.tar.gz && find madmom-0.16.1/madmom -name "*.c" -delete
    /work/venv-madmom/bin/pip install --no-build-isolation ./madmom-0.16.1

madmom's own code runs unchanged; the one shim below restores `collections.MutableSequence`
(moved to `collections.abc` in Python 3.10), which `madmom.processors` imports.

Every case is decoded twice, by madmom in this process and by madmom in a child process whose
NumPy has its SIMD dispatch switched off (NPY_DISABLE_CPU_FEATURES). NumPy's AVX-512 `exp` and
`log` differ from glibc's in the last bit for about a quarter of the arguments, so the two runs
differ at the ULP level; the generator stops if they find different beats, so every expected
beat list is the same on any NumPy build. The child's run uses glibc's `exp`, `log` and `logf`,
the functions Swift calls on Linux, so its Viterbi log-probability is stored too and the Swift
port is expected to reproduce it bit for bit.

Cases (seeded): beat-like peaks at tempi 60-200 bpm with jitter and noise, a tempo step and a
ramp, silence (exact zeros, quiet noise, and an exact-zero gap longer than the longest beat
interval, for which no path has finite probability), off-beat and half-tempo ambiguity, peaks
at exactly 1.0 (single frames, and plateaus longer than any run of beat states, which leave
no path of finite probability), a constant and an exactly periodic sequence (tied paths, where the order of
comparisons decides), and very short inputs (0, 1, 2, 3, 7, 20 frames). Configurations:
  default_fps50, default_fps100   DBNBeatTrackingProcessor(fps=...) with madmom's defaults
  custom_fps50                    min_bpm 40, max_bpm 250, num_tempi 60, transition_lambda 30,
                                  observation_lambda 8, threshold 0.3, correct True
  uncorrected_fps100              min_bpm 70, max_bpm 180, num_tempi 40, transition_lambda 10,
                                  threshold 0.05, correct False
  flat_tempo_fps50                transition_lambda 0: every tempo change equally likely, so
                                  many paths tie exactly and madmom's first-wins order decides
Each file: {"configuration": {...}, "cases": [{"name", "activations" (float32 values written
as exact decimals), "beats" (seconds), "beat_frames", "log_probability" (null when madmom's
Viterbi was not reached, "-inf" when no path has finite probability), "path_length", "madmom_error" (null, or the exception madmom raised:
madmom's Viterbi returns an empty path when no path has finite probability, and the `correct`
branch then indexes it and raises IndexError; the port returns no beats)}]}.
"""

import collections
import collections.abc
import json
import os
import subprocess
import sys
import tempfile
import warnings

collections.MutableSequence = collections.abc.MutableSequence  # madmom 0.16.1 on Python >= 3.10

import numpy as np  # noqa: E402
from madmom.features.beats import DBNBeatTrackingProcessor  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "MusicSSLProbeTests", "Fixtures", "dbn_beats")

# Switches off every optional x86 SIMD target, leaving NumPy's baseline loops, which call libm.
NO_SIMD = ("SSSE3 SSE41 POPCNT SSE42 AVX F16C FMA3 AVX2 AVX512F AVX512CD AVX512_KNL AVX512_KNM "
           "AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL")

CONFIGURATIONS = {
    "default_fps50": dict(fps=50),
    "default_fps100": dict(fps=100),
    "custom_fps50": dict(fps=50, min_bpm=40, max_bpm=250, num_tempi=60, transition_lambda=30,
                         observation_lambda=8, threshold=0.3, correct=True),
    "uncorrected_fps100": dict(fps=100, min_bpm=70, max_bpm=180, num_tempi=40,
                               transition_lambda=10, threshold=0.05, correct=False),
    "flat_tempo_fps50": dict(fps=50, transition_lambda=0),
}


def peaks(frame_count, fps, beat_times, rng, width=0.02, heights=(0.5, 1.0)):
    """Gaussian bumps of random height at `beat_times` (seconds) on a grid of `frame_count`."""
    t = np.arange(frame_count) / fps
    out = np.zeros(frame_count)
    for b in beat_times:
        out = np.maximum(out, rng.uniform(*heights) * np.exp(-0.5 * ((t - b) / width) ** 2))
    return out


def beat_times(duration, bpm_at, rng, start=0.3, jitter=0.01):
    """Beat times from `start` to `duration`, each interval 60 / bpm_at(t), jittered."""
    times, t = [], start
    while t < duration:
        times.append(t + rng.normal(0, jitter))
        t += 60.0 / bpm_at(t)
    return times


def finish(values, rng, noise, top=0.99):
    """Adds uniform noise, clips into [0, top] and rounds to float32, as a probe's output is."""
    values = values + rng.uniform(0, noise, len(values))
    return np.clip(values, 0, top).astype(np.float32)


def make_cases(fps, rng):
    cases = []

    def add(name, values):
        cases.append((name, np.asarray(values, dtype=np.float32)))

    def frames(seconds):
        return int(round(seconds * fps))

    for bpm in (60, 75, 96, 120, 143, 171, 200):
        n = frames(12)
        add(f"steady_{bpm}bpm", finish(
            peaks(n, fps, beat_times(12, lambda t: bpm, rng), rng), rng, 0.15))
    n = frames(16)
    add("tempo_step_90_to_150", finish(
        peaks(n, fps, beat_times(16, lambda t: 90 if t < 8 else 150, rng), rng), rng, 0.1))
    add("tempo_ramp_100_to_130", finish(
        peaks(n, fps, beat_times(16, lambda t: 100 + 30 * t / 16, rng), rng), rng, 0.1))
    n = frames(10)
    on = beat_times(10, lambda t: 110, rng, jitter=0.0)
    off = [b + 30.0 / 110 for b in on]
    add("offbeats_weaker_110bpm", finish(
        np.maximum(peaks(n, fps, on, rng), peaks(n, fps, off, rng, heights=(0.3, 0.45))),
        rng, 0.05))
    strong = beat_times(10, lambda t: 70, rng, jitter=0.0)
    weak = [b + 30.0 / 70 for b in strong]
    add("half_tempo_ambiguity_70_140bpm", finish(
        np.maximum(peaks(n, fps, strong, rng), peaks(n, fps, weak, rng, heights=(0.6, 0.8))),
        rng, 0.05))
    add("heavy_noise_130bpm", finish(
        peaks(n, fps, beat_times(10, lambda t: 130, rng, jitter=0.02), rng, width=0.04),
        rng, 0.6))
    single = finish(peaks(n, fps, beat_times(10, lambda t: 100, rng), rng), rng, 0.05)
    single[[frames(b) for b in beat_times(10, lambda t: 100, rng, jitter=0.0) if frames(b) < n]] = 1
    add("single_frames_at_exactly_one_100bpm", single)
    plateaus = peaks(n, fps, beat_times(10, lambda t: 100, rng), rng, width=0.04) * 1.8
    add("plateaus_at_exactly_one_100bpm", finish(plateaus, rng, 0.05, top=1.0))
    quiet = np.zeros(n)
    quiet[frames(4):] = peaks(n - frames(4), fps, beat_times(6, lambda t: 125, rng), rng)
    add("leading_quiet_noise_then_125bpm", finish(quiet, rng, 0.02))
    gap = finish(peaks(n, fps, beat_times(10, lambda t: 120, rng), rng), rng, 0.1)
    gap[frames(3):frames(3) + frames(1.6)] = 0  # longer than the longest beat interval (40 bpm)
    add("exact_zero_gap_longer_than_a_beat", gap)
    add("silence_exact_zeros", np.zeros(frames(5)))
    add("constant_half", np.full(frames(4), 0.5))  # many tied paths: the tie order decides
    exact = np.full(frames(6), 0.1)
    exact[::frames(0.5)] = 0.8  # identical peaks, exactly periodic: ties between phases
    add("exactly_periodic_120bpm", exact)
    add("noise_only", finish(np.zeros(frames(6)), rng, 0.3))
    add("empty", [])
    add("one_frame", [0.9])
    add("two_frames", [0.2, 0.7])
    add("three_frames", [0.6, 0.1, 0.05])
    add("seven_frames", finish(peaks(7, fps, [0.04], rng), rng, 0.05))
    add("twenty_frames", finish(peaks(20, fps, [0.05, 0.05 + 60 / 180], rng), rng, 0.05))
    first_only = np.full(frames(2), 0.01)
    first_only[0] = 0.95
    add("only_first_frame_high", first_only)
    return cases


def decode(configuration, activations):
    """Runs madmom on one activation sequence; returns a JSON-ready result."""
    processor = DBNBeatTrackingProcessor(**configuration)
    record = {"log_probability": None, "path_length": None}
    viterbi = processor.hmm.viterbi

    def recording_viterbi(observations):
        path, log_probability = viterbi(observations)
        # JSON has no infinity; the Swift test reads "-inf" as -infinity.
        record["log_probability"] = (
            float(log_probability) if np.isfinite(log_probability) else "-inf")
        record["path_length"] = int(len(path))
        return path, log_probability

    processor.hmm.viterbi = recording_viterbi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            beats = processor(activations)
            record["beats"] = [float(b) for b in beats]
            record["beat_frames"] = [int(round(b * configuration["fps"])) for b in beats]
            record["madmom_error"] = None
        except IndexError as error:
            record["beats"], record["beat_frames"] = [], []
            record["madmom_error"] = f"IndexError: {error}"
    return record


def decode_file(path):
    """Child-process entry: decodes every case of an input file, prints the results."""
    with open(path) as f:
        jobs = json.load(f)
    results = [decode(job["configuration"], np.array(job["activations"], dtype=np.float32))
               for job in jobs]
    json.dump(results, sys.stdout)


def main():
    os.makedirs(OUT, exist_ok=True)
    for index, (name, configuration) in enumerate(CONFIGURATIONS.items()):
        rng = np.random.default_rng(20250601 + index)
        cases = make_cases(configuration["fps"], rng)
        jobs = [{"configuration": configuration, "activations": [float(v) for v in a]}
                for _, a in cases]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(jobs, f)
        child = subprocess.run(
            [sys.executable, __file__, "--decode", f.name], check=True, capture_output=True,
            text=True, env={**os.environ, "NPY_DISABLE_CPU_FEATURES": NO_SIMD})
        os.unlink(f.name)
        libm_results = json.loads(child.stdout)
        written = []
        for (case, activations), job, libm in zip(cases, jobs, libm_results):
            native = decode(configuration, activations)
            if native["beats"] != libm["beats"]:
                sys.exit(f"{name}/{case}: beats depend on NumPy's SIMD math: "
                         f"{native['beats']} vs {libm['beats']}")
            written.append({
                "name": case, "activations": job["activations"], "beats": native["beats"],
                "beat_frames": native["beat_frames"],
                "log_probability": libm["log_probability"], "path_length": libm["path_length"],
                "madmom_error": native["madmom_error"]})
            print(f"{name:20} {case:34} {len(activations):5} frames {len(native['beats']):3} "
                  f"beats  logP {libm['log_probability']}"
                  + (f"  [{native['madmom_error']}]" if native["madmom_error"] else ""))
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump({"configuration": configuration, "cases": written}, f)
            f.write("\n")
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--decode":
        decode_file(sys.argv[2])
    else:
        main()
