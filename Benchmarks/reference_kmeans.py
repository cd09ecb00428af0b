"""scikit-learn reference for `msl-bench kmeans`: MiniBatchKMeans as fairseq runs it.

fairseq's examples/hubert/simple_kmeans/learn_kmeans.py seeds numpy's global generator
(`np.random.seed(seed)`) and fits

    MiniBatchKMeans(n_clusters=K, init="k-means++", max_iter=100, batch_size=10000, tol=0.0,
                    max_no_improvement=100, init_size=None, n_init=20, reassignment_ratio=0.0,
                    compute_labels=False)

on a float32 [N, D] matrix. This script does the same on --data (verbose off), times `fit`
alone, writes the centroids to --centroids-out (so msl-bench computes both sides' inertia with
one function) and prints one JSON line:
{"seconds", "steps", "inertia_estimate" (inertia_ / N), "sklearn", "threads"}.

    /work/venv/bin/python Benchmarks/reference_kmeans.py --data /tmp/x.npy --clusters 500 \
        --seed 0 --centroids-out /tmp/c.npy

Threads: OpenMP (OMP_NUM_THREADS) for the steps, as msl-bench sets it; needs numpy and
scikit-learn.
"""

import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--clusters", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-init", type=int, default=20)
    parser.add_argument("--centroids-out")
    args = parser.parse_args()

    features = np.load(args.data).astype(np.float32, copy=False)
    np.random.seed(args.seed)
    model = MiniBatchKMeans(
        n_clusters=args.clusters, init="k-means++", max_iter=100, batch_size=10000, verbose=0,
        compute_labels=False, tol=0.0, max_no_improvement=100, init_size=None,
        n_init=args.n_init, reassignment_ratio=0.0)
    start = time.perf_counter()
    model.fit(features)
    seconds = time.perf_counter() - start
    if args.centroids_out:
        np.save(args.centroids_out, model.cluster_centers_.astype(np.float32))
    print(json.dumps({
        "seconds": seconds, "steps": int(model.n_steps_),
        "inertia_estimate": float(model.inertia_) / len(features),
        "sklearn": sklearn.__version__, "threads": _openmp_effective_n_threads(),
    }), flush=True)


if __name__ == "__main__":
    main()
