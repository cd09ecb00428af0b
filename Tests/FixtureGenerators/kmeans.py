"""Reference values for MusicSSLTrain's k-means (scikit-learn 1.x).

Run: /work/venv/bin/python Tests/FixtureGenerators/kmeans.py
Writes Tests/MusicSSLTrainTests/Fixtures/kmeans.safetensors (float32 tensors):

  lloyd.points [600, 5]      six overlapping Gaussian blobs
  lloyd.init [6, 5]          given initial centres (six data points, chosen badly on purpose)
  lloyd.centroids [6, 5]     KMeans(n_clusters=6, init=lloyd.init, n_init=1, algorithm="lloyd",
                             max_iter=300, tol=1e-4).fit(points).cluster_centers_
  lloyd.inertia [1]          its inertia_
  lloyd.iterations [1]       its n_iter_
  lloyd.labels [600]         its labels_

  minibatch.points [3000, 8] thirty overlapping Gaussian blobs
  minibatch.inertia [10]     full-data inertia (-score) of MiniBatchKMeans with fairseq's
                             learn_kmeans.py parameters (k-means++, max_iter=100, tol=0,
                             max_no_improvement=100, reassignment_ratio=0, init_size=None,
                             compute_labels=False) but n_clusters=20, batch_size=256, n_init=5,
                             for random_state 0..9
  plusplus.inertia [20]      inertia of sklearn.cluster.kmeans_plusplus(points, 20) seedings on
                             minibatch.points, random_state 0..19
  random.inertia [20]        inertia of 20 distinct uniformly drawn points as centres, seeds 0..19
"""

import os

import numpy as np
from safetensors.numpy import save_file
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus


def blobs(rng, count, dimensions, clusters, spread, scale):
    centres = rng.normal(0.0, spread, (clusters, dimensions))
    which = rng.integers(0, clusters, count)
    return (centres[which] + rng.normal(0.0, scale, (count, dimensions))).astype(np.float32)


def inertia(points, centres):
    d = ((points[:, None, :].astype(np.float64) - centres[None].astype(np.float64)) ** 2).sum(-1)
    return d.min(1).sum()


def main():
    rng = np.random.default_rng(20240917)
    out = {}

    points = blobs(rng, 600, 5, 6, 4.0, 1.5)
    # Bad start: all six from the few rows nearest one corner, so several iterations run.
    order = np.argsort(points[:, 0])
    init = points[order[[0, 3, 6, 9, 12, 15]]].copy()
    km = KMeans(n_clusters=6, init=init, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4)
    km.fit(points)
    out["lloyd.points"] = points
    out["lloyd.init"] = init
    out["lloyd.centroids"] = km.cluster_centers_.astype(np.float32)
    out["lloyd.inertia"] = np.array([km.inertia_], dtype=np.float32)
    out["lloyd.iterations"] = np.array([km.n_iter_], dtype=np.float32)
    out["lloyd.labels"] = km.labels_.astype(np.float32)
    print(f"lloyd: {km.n_iter_} iterations, inertia {km.inertia_:.4f}")

    points = blobs(rng, 3000, 8, 30, 3.0, 1.0)
    inertias = []
    for seed in range(10):
        mb = MiniBatchKMeans(
            n_clusters=20, init="k-means++", max_iter=100, batch_size=256, tol=0.0,
            max_no_improvement=100, init_size=None, n_init=5, reassignment_ratio=0.0,
            compute_labels=False, random_state=seed)
        mb.fit(points)
        inertias.append(-mb.score(points))
    out["minibatch.points"] = points
    out["minibatch.inertia"] = np.array(inertias, dtype=np.float32)
    print(f"minibatch: mean inertia {np.mean(inertias):.2f} (min {np.min(inertias):.2f}, "
          f"max {np.max(inertias):.2f})")

    plus, uniform = [], []
    for seed in range(20):
        centres, _ = kmeans_plusplus(points, 20, random_state=seed)
        plus.append(inertia(points, centres))
        chosen = np.random.default_rng(seed).choice(len(points), 20, replace=False)
        uniform.append(inertia(points, points[chosen]))
    out["plusplus.inertia"] = np.array(plus, dtype=np.float32)
    out["random.inertia"] = np.array(uniform, dtype=np.float32)
    print(f"k-means++ mean inertia {np.mean(plus):.2f}, random {np.mean(uniform):.2f}")

    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "MusicSSLTrainTests", "Fixtures", "kmeans.safetensors")
    save_file(out, os.path.normpath(path))
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
