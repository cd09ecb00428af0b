"""Reference values for MusicSSLProbe's metrics (probe-spec §2.1).

Run with a Python that has torch, numpy, scipy, scikit-learn, torchmetrics and mir_eval, outside
the repository, e.g.:

    python -m venv --system-site-packages /tmp/metrics-venv   # or reuse a venv with torch
    /tmp/metrics-venv/bin/pip install torchmetrics mir_eval
    /tmp/metrics-venv/bin/python Tests/FixtureGenerators/probe_metrics.py

(The fixture committed was written with torch 2.15, torchmetrics 1.9.0, mir_eval 0.8.2,
scikit-learn 1.9.1, scipy 1.17.1, numpy 2.4.6.)

Writes Tests/MusicSSLProbeTests/Fixtures/probe_metrics.json, deterministic (fixed seeds), with
one list of cases per metric; every case holds its inputs and the reference outputs:

  accuracy   logits [items][classes], labels; torchmetrics
             Accuracy(task="multiclass", num_classes=C) (default micro), and the correct count.
  ranking    scores [items][labels], targets 0/1; torchmetrics multilabel_auroc and
             multilabel_average_precision (exact thresholds), per label (average=None) and
             macro; scikit-learn roc_auc_score / average_precision_score per label where the
             label has both classes, and their mean over those labels ("skip degenerate"; null
             when no label has both classes).
  r2         predictions, targets [items][outputs]; torchmetrics R2Score (float64 states)
             raw_values and uniform_average; scikit-learn r2_score raw_values (force_finite).
  key        a list of key strings and mir_eval.key.weighted_score for every (reference,
             estimate) pair; strings mir_eval.key.validate_key refuses.
  fusion     clip logits (float32 values), clip labels (MARBLE's 24 classes), song ids; the
             song-level predictions and scores of the four fusion strategies, the clip scores and
             the best strategy, computed below as MARBLE's GiantSteps evaluation describes it
             (scipy.stats.mode vote, element-wise max, mean logit, mean of float32 torch softmax;
             songs sorted; mir_eval weighted score; strict > between strategies).
  beat       reference and estimated beat times; len(mir_eval.util.match_events(ref, est,
             0.07)), mir_eval.beat.f_measure (untrimmed), f_measure after
             mir_eval.beat.trim_beats (what mir_eval.beat.evaluate reports).
  beat_sets  groups of tracks with the mean of per-track evaluate-style F and MARBLE's pooled F
             (match, estimate and reference counts summed over tracks, no trimming).
"""

import json
import os
import sys
import warnings

import numpy as np
import scipy.stats
import sklearn.metrics
import torch

try:
    import mir_eval
    import torchmetrics
    from torchmetrics.functional.classification import (
        multilabel_auroc,
        multilabel_average_precision,
    )
except ImportError as error:
    # `make fixtures` runs every generator with one Python; without these two packages this one
    # leaves the committed fixture as it is rather than stopping the others.
    print(f"probe_metrics.py: skipped, {error.name} is missing "
          "(pip install torchmetrics mir_eval into a venv outside the repository); "
          "Tests/MusicSSLProbeTests/Fixtures/probe_metrics.json left unchanged", file=sys.stderr)
    sys.exit(0)

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "MusicSSLProbeTests", "Fixtures",
    "probe_metrics.json")

MARBLE_KEYS = [f"{tonic} {mode}" for mode in ("major", "minor") for tonic in
               ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")]
STRATEGIES = ["vote", "max", "gmean", "mean"]


def floats(array):
    return [float(x) for x in np.asarray(array, dtype=np.float64).ravel()]


def matrix(array):
    return [floats(row) for row in np.asarray(array, dtype=np.float64)]


# ----------------------------------------------------------------------------------------------
# Accuracy


def accuracy_case(name, logits, labels):
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    metric = torchmetrics.Accuracy(task="multiclass", num_classes=logits.shape[1])
    value = float(metric(torch.tensor(logits), torch.tensor(labels)))
    correct = int((logits.argmax(axis=1) == labels).sum())
    # torchmetrics returns float32; the exact fraction is what the test compares with.
    assert abs(value - correct / len(labels)) < 1e-6, name
    return {"name": name, "logits": matrix(logits), "labels": labels.tolist(),
            "torchmetrics": value, "accuracy": correct / len(labels), "correct": correct}


def accuracy_cases(rng):
    cases = []
    logits = rng.normal(size=(120, 10))
    labels = np.where(rng.random(120) < 0.6, logits.argmax(1), rng.integers(0, 10, 120))
    cases.append(accuracy_case("random 120 items, 10 classes", logits, labels))
    # Ties: torch.argmax takes the first maximal class.
    tied = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [0.5, 0.5, 0.5], [3.0, -1.0, 3.0],
                     [0.0, 0.0, 0.0]])
    cases.append(accuracy_case("ties go to the first class", tied, [0, 2, 0, 2, 1]))
    probabilities = torch.softmax(torch.tensor(rng.normal(size=(30, 4))), 1).numpy()
    cases.append(accuracy_case("probabilities", probabilities, rng.integers(0, 4, 30)))
    cases.append(accuracy_case("one item", [[0.2, 0.7]], [1]))
    return cases


# ----------------------------------------------------------------------------------------------
# Macro ROC-AUC and AP


def ranking_case(name, scores, targets):
    scores = np.asarray(scores, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    labels = scores.shape[1]
    preds = torch.tensor(scores)
    target = torch.tensor(targets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auroc = multilabel_auroc(preds, target, num_labels=labels, average=None)
        ap = multilabel_average_precision(preds, target, num_labels=labels, average=None)
        macro_auroc = float(multilabel_auroc(preds, target, num_labels=labels))
        macro_ap = float(multilabel_average_precision(preds, target, num_labels=labels))
    sk_auroc, sk_ap = [], []
    for j in range(labels):
        positives = int(targets[:, j].sum())
        if 0 < positives < len(targets):
            sk_auroc.append(sklearn.metrics.roc_auc_score(targets[:, j], scores[:, j]))
            sk_ap.append(sklearn.metrics.average_precision_score(targets[:, j], scores[:, j]))
        else:
            sk_auroc.append(None)
            sk_ap.append(None)
    kept = [j for j in range(labels) if sk_auroc[j] is not None]
    if kept:
        # The same numbers through scikit-learn's own macro average on the kept columns.
        macro_skip_auroc = sklearn.metrics.roc_auc_score(
            targets[:, kept], scores[:, kept], average="macro")
        macro_skip_ap = sklearn.metrics.average_precision_score(
            targets[:, kept], scores[:, kept], average="macro")
        assert abs(macro_skip_auroc - np.mean([sk_auroc[j] for j in kept])) < 1e-12
        skip = {"macro_auroc": float(macro_skip_auroc), "macro_ap": float(macro_skip_ap),
                "skipped": [j for j in range(labels) if j not in kept]}
        # Where a label is not degenerate, torchmetrics and scikit-learn agree (torchmetrics works
        # in float32).
        for j in kept:
            assert abs(float(auroc[j]) - sk_auroc[j]) < 1e-6, (name, j)
            assert abs(float(ap[j]) - sk_ap[j]) < 1e-6, (name, j)
    else:
        skip = None
    return {"name": name, "scores": matrix(scores), "targets": targets.tolist(),
            "torchmetrics": {"auroc": floats(auroc), "ap": floats(ap),
                             "macro_auroc": macro_auroc, "macro_ap": macro_ap},
            "sklearn": {"auroc": sk_auroc, "ap": sk_ap},
            "skip_degenerate": skip}


def ranking_cases(rng):
    cases = []
    signal = rng.normal(size=(80, 8))
    targets = (signal + rng.normal(scale=1.5, size=(80, 8)) > 0.8).astype(int)
    cases.append(ranking_case("random 80 items, 8 labels, no ties", signal, targets))

    # Few distinct scores: many ties inside each label.
    tied = np.round(rng.random((60, 6)), 1)
    targets = (tied + rng.normal(scale=0.3, size=tied.shape) > 0.6).astype(int)
    cases.append(ranking_case("scores rounded to 0.1 (ties)", tied, targets))

    # Degenerate labels: column 1 has no positives, column 3 only positives; column 4 has all
    # scores equal.
    scores = rng.normal(size=(40, 5))
    targets = (rng.random((40, 5)) < 0.3).astype(int)
    targets[:, 1] = 0
    targets[:, 3] = 1
    targets[0, 4], targets[1, 4] = 1, 0
    scores[:, 4] = 0.25
    cases.append(ranking_case("degenerate labels and an all-equal column", scores, targets))

    # Float32 sigmoid of large logits saturates to exactly 0 and 1: ties at the ends.
    logits = rng.normal(scale=25, size=(50, 4)).astype(np.float32)
    saturated = torch.sigmoid(torch.tensor(logits)).numpy().astype(np.float64)
    targets = (logits + rng.normal(scale=20, size=logits.shape) > 0).astype(int)
    cases.append(ranking_case("float32 sigmoid saturated at 0 and 1", saturated, targets))

    # Every label degenerate: scikit-learn cannot score any.
    cases.append(ranking_case("every label degenerate", [[0.3, 0.9], [0.1, 0.2]],
                              [[0, 1], [0, 1]]))
    cases.append(ranking_case("one item", [[0.3, 0.9, 0.5]], [[0, 1, 1]]))

    signal = rng.normal(size=(400, 20))
    targets = (signal + rng.normal(scale=2.0, size=signal.shape) > 1.5).astype(int)
    cases.append(ranking_case("400 items, 20 labels", np.round(signal, 2), targets))
    return cases


# ----------------------------------------------------------------------------------------------
# R²


def r2_case(name, predictions, targets):
    predictions = np.asarray(predictions, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    outputs = targets.shape[1]
    # torchmetrics 1.x infers the output count (MARBLE's num_outputs=2 is gone); states are made
    # float64 so the reference is not limited by float32 sums.
    raw_metric = torchmetrics.R2Score(multioutput="raw_values").set_dtype(torch.float64)
    uniform_metric = torchmetrics.R2Score().set_dtype(torch.float64)
    raw = raw_metric(torch.tensor(predictions), torch.tensor(targets))
    uniform = uniform_metric(torch.tensor(predictions), torch.tensor(targets))
    assert raw.shape == (outputs,)
    sk_raw = sklearn.metrics.r2_score(targets, predictions, multioutput="raw_values")
    return {"name": name, "predictions": matrix(predictions), "targets": matrix(targets),
            "torchmetrics": {"raw": floats(raw), "uniform": float(uniform)},
            "sklearn": {"raw": floats(sk_raw), "uniform": float(np.mean(sk_raw))}}


def r2_cases(rng):
    cases = []
    targets = rng.normal(size=(125, 2))
    predictions = 0.7 * targets + rng.normal(scale=0.6, size=targets.shape)
    cases.append(r2_case("arousal and valence, 125 items", predictions, targets))
    cases.append(r2_case("worse than the mean", rng.normal(size=(20, 2)),
                         rng.normal(size=(20, 2))))
    targets = np.stack([np.full(10, 0.5), rng.normal(size=10)], 1)
    predictions = np.stack([np.full(10, 0.5), targets[:, 1]], 1)
    cases.append(r2_case("constant target predicted exactly; perfect column", predictions,
                         targets))
    predictions = np.stack([rng.normal(size=10), targets[:, 1] + 0.5], 1)
    cases.append(r2_case("constant target missed; offset column", predictions, targets))
    # torchmetrics' isclose(…, atol=1e-4): a residual sum below 1e-4 scores 1, a total sum below
    # 1e-4 (with a larger residual sum) scores 0; scikit-learn does neither.
    targets = np.stack([rng.normal(size=12), 1 + 1e-3 * rng.normal(size=12)], 1)
    predictions = np.stack([targets[:, 0] + 2e-3 * rng.normal(size=12),
                            1 + 5e-3 * rng.normal(size=12)], 1)
    cases.append(r2_case("near-zero residual and total sums", predictions, targets))
    cases.append(r2_case("two items", [[0.0, 1.0], [1.0, 0.0]], [[0.1, 0.2], [0.9, 0.7]]))
    return cases


# ----------------------------------------------------------------------------------------------
# MIREX key score


def key_fixture():
    keys = MARBLE_KEYS + [
        "C# major", "D# minor", "F# minor", "G# major", "A# minor", "eb minor", "F#\tmajor",
        "X", "x", "C other", "Eb other", "A other",
    ]
    scores = [[mir_eval.key.weighted_score(ref, est) for est in keys] for ref in keys]
    invalid = ["C", "C major minor", "H major", "Cb major", "C Major", "C dorian", "X major",
               "", "E# minor"]
    for text in invalid:
        try:
            mir_eval.key.validate_key(text)
        except ValueError:
            continue
        raise AssertionError(f"mir_eval accepts {text!r}")
    return {"keys": keys, "weighted_score": scores, "invalid": invalid}


# ----------------------------------------------------------------------------------------------
# GiantSteps song fusion (MARBLE's GS evaluation, written out from its description)


def fusion_reference(clip_logits, clip_labels, song_ids):
    clip_logits = np.asarray(clip_logits, dtype=np.float32)
    clip_labels = np.asarray(clip_labels)
    clip_preds = clip_logits.argmax(axis=1)
    clip_probs = torch.softmax(torch.tensor(clip_logits), dim=-1).numpy()
    clips_of = {}
    for index, song in enumerate(song_ids):
        clips_of.setdefault(song, []).append(index)
    songs = sorted(clips_of)
    song_labels = np.array([clip_labels[clips_of[s][0]] for s in songs])
    predictions = {s: [] for s in STRATEGIES}
    for song in songs:
        idx = clips_of[song]
        predictions["vote"].append(int(scipy.stats.mode(clip_preds[idx]).mode))
        predictions["max"].append(int(clip_logits[idx].max(axis=0).argmax()))
        predictions["gmean"].append(int(clip_logits[idx].mean(axis=0).argmax()))
        predictions["mean"].append(int(clip_probs[idx].mean(axis=0).argmax()))

    def score(preds, labels):
        preds = np.asarray(preds)
        weighted = [mir_eval.key.weighted_score(MARBLE_KEYS[r], MARBLE_KEYS[e])
                    for r, e in zip(labels, preds)]
        return {"accuracy": float((preds == labels).mean()), "weighted": float(np.mean(weighted))}

    scores = {"clip": score(clip_probs.argmax(axis=1), clip_labels)}
    for strategy in STRATEGIES:
        scores[strategy] = score(predictions[strategy], song_labels)
    best, best_score = None, float("-inf")
    for strategy in STRATEGIES:
        if scores[strategy]["weighted"] > best_score:
            best, best_score = strategy, scores[strategy]["weighted"]
    by_song = {song: i for i, song in enumerate(songs)}
    return songs, song_labels, predictions, scores, best, by_song


def fusion_case(name, clip_logits, clip_labels, song_ids):
    clip_logits = np.asarray(clip_logits, dtype=np.float32)
    songs, song_labels, predictions, scores, best, by_song = fusion_reference(
        clip_logits, clip_labels, song_ids)
    # Swift lists songs in order of their first clip.
    first_seen = list(dict.fromkeys(song_ids))
    order = [by_song[s] for s in first_seen]
    return {"name": name, "clip_logits": matrix(clip_logits),
            "clip_labels": [int(x) for x in clip_labels], "song_ids": list(song_ids),
            "songs": first_seen, "song_labels": [int(song_labels[i]) for i in order],
            "predictions": {s: [predictions[s][i] for i in order] for s in STRATEGIES},
            "scores": scores, "best_strategy": best}


def fusion_cases(rng):
    cases = []
    # 30 songs of 1-5 clips, clips of a song scattered through the list.
    song_ids, labels = [], []
    for song in range(30):
        label = int(rng.integers(0, 24))
        for _ in range(int(rng.integers(1, 6))):
            song_ids.append(f"{song:07d}")
            labels.append(label)
    order = rng.permutation(len(song_ids))
    song_ids = [song_ids[i] for i in order]
    labels = [labels[i] for i in order]
    logits = rng.normal(size=(len(labels), 24))
    for i, label in enumerate(labels):  # some skill, and related keys nearby
        logits[i, label] += rng.normal(1.0, 1.0)
        logits[i, (label + 7) % 12 + (12 if label >= 12 else 0)] += rng.normal(0.5, 0.5)
    cases.append(fusion_case("30 songs, scattered clips", logits, labels, song_ids))

    # Adversarial: vote ties (lowest class wins), equal logits, one-clip songs, strategies that
    # disagree (one confident clip against two mild ones).
    base = np.zeros((9, 24), dtype=np.float32)
    base[0, 5], base[1, 2] = 2.0, 2.0                # song a: vote tie 2 vs 5 → 2
    base[2, :] = 0.0                                 # song b: all equal → class 0 everywhere
    base[3, 7], base[4, 7], base[5, 19] = 1.0, 1.0, 9.0   # song c: vote 7, max/gmean/mean 19
    base[6, 14], base[6, 9] = 3.0, 3.0               # song d: tie inside a clip → 9
    base[7, 3], base[8, 10] = 1.5, 1.4               # song e: two clips, close call
    labels = [2, 2, 0, 19, 19, 19, 9, 10, 10]
    songs = ["a", "a", "b", "c", "c", "c", "d", "e", "e"]
    cases.append(fusion_case("vote ties, equal logits, disagreeing strategies", base, labels,
                             songs))
    return cases


# ----------------------------------------------------------------------------------------------
# Beat F-measure


def beat_case(name, reference, estimated):
    reference = np.asarray(reference, dtype=np.float64)
    estimated = np.asarray(estimated, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matches = len(mir_eval.util.match_events(reference, estimated, 0.07)) \
            if len(reference) and len(estimated) else 0
        f = mir_eval.beat.f_measure(reference, estimated)
        ref_t = mir_eval.beat.trim_beats(reference)
        est_t = mir_eval.beat.trim_beats(estimated)
        trimmed_matches = len(mir_eval.util.match_events(ref_t, est_t, 0.07)) \
            if len(ref_t) and len(est_t) else 0
        f_trimmed = mir_eval.beat.f_measure(ref_t, est_t)
    return {"name": name, "reference": floats(reference), "estimated": floats(estimated),
            "matches": matches, "f_measure": float(f),
            "trimmed_matches": trimmed_matches, "trimmed_f_measure": float(f_trimmed)}


def realistic_beats(rng, tempo, duration=30.0, jitter=0.01, start=0.3):
    period = 60.0 / tempo
    times = start + period * np.arange(int((duration - start) / period))
    return np.sort(times + rng.normal(scale=jitter, size=times.shape))


def beat_cases(rng):
    cases = []
    ref = realistic_beats(rng, 120)
    cases.append(beat_case("120 bpm, 20 ms jitter", ref, ref + rng.normal(0, 0.04, ref.shape)))
    cases.append(beat_case("double tempo estimate", ref,
                           np.sort(np.concatenate([ref, (ref[1:] + ref[:-1]) / 2]))))
    cases.append(beat_case("half tempo estimate", ref, ref[::2] + 0.03))
    keep = rng.random(ref.shape) > 0.3
    extra = np.sort(rng.uniform(0, 30, 8))
    cases.append(beat_case("deletions and insertions", ref,
                           np.sort(np.concatenate([ref[keep] + 0.05, extra]))))
    cases.append(beat_case("empty estimate", ref, []))
    cases.append(beat_case("empty reference", [], ref))
    cases.append(beat_case("both empty", [], []))
    cases.append(beat_case("every beat before 5 s", [0.5, 1.0, 1.5, 4.99], [0.5, 1.02, 1.5]))
    # Nearest-first greedy matching pairs 1.06 with 1.1 and leaves 1.16 alone; the maximum
    # matching pairs both.
    cases.append(beat_case("greedy is not maximal", [6.0, 6.1], [6.06, 6.16]))
    # Differences of exactly 0.07 in decimal: the inclusive bound, in floating point.
    grid = 5.0 + 0.07 * np.arange(40)
    cases.append(beat_case("0.07 s grid shifted by one step", grid, grid + 0.07))
    # mir_eval pairs r and e when r >= e - 0.07 and r <= e + 0.07 in float64; for these
    # decimal pairs abs(r - e) rounds just above 0.07, so abs(r - e) <= 0.07 would miss all five.
    edge_ref, edge_est = [5.0, 6.0, 7.04, 8.08, 9.5], [5.07, 5.93, 7.11, 8.01, 9.43]
    assert all(abs(r - e) > 0.07 and e - 0.07 <= r <= e + 0.07
               for r, e in zip(edge_ref, edge_est))
    cases.append(beat_case("decimal boundaries abs() would miss", edge_ref, edge_est))
    cases.append(beat_case("boundaries either side", [6.0, 7.0, 8.0, 9.0, 10.0],
                           [6.07, 6.93, 8.0700001, 8.93, 10.07]))
    # Dense estimates: many candidates per reference beat.
    cases.append(beat_case("dense estimates (10 ms apart)", ref[:20],
                           np.arange(0.0, ref[19] + 0.1, 0.01)))
    cases.append(beat_case("duplicated beats", [5.5, 5.5, 6.0, 6.5, 6.5],
                           [5.5, 5.52, 6.0, 6.0, 6.49]))
    return cases


def beat_sets(rng):
    sets = []
    for name, count in (("ten tracks", 10), ("three tracks", 3)):
        tracks = []
        for _ in range(count):
            ref = realistic_beats(rng, rng.uniform(70, 180))
            est = ref + rng.normal(0, rng.uniform(0.01, 0.08), ref.shape)
            keep = rng.random(est.shape) > rng.uniform(0, 0.4)
            tracks.append((ref, np.sort(est[keep])))
        tracks.append((tracks[0][0], np.array([])))  # a track with nothing decoded
        sets.append(beat_set(name + " and an empty estimate", tracks))
    return sets


def beat_set(name, tracks):
    per_track_f = []
    matched = estimated = referenced = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ref, est in tracks:
            per_track_f.append(mir_eval.beat.evaluate(ref, est)["F-measure"])
            if len(ref) and len(est):
                matched += len(mir_eval.util.match_events(ref, est, 0.07))
            estimated += len(est)
            referenced += len(ref)
    if estimated == 0 or referenced == 0:
        pooled = 0.0
    else:
        precision, recall = matched / estimated, matched / referenced
        pooled = mir_eval.util.f_measure(precision, recall)
    return {"name": name, "tracks": [{"reference": floats(r), "estimated": floats(e)}
                                     for r, e in tracks],
            "mir_eval_mean_f": float(np.mean(per_track_f)), "marble_pooled_f": float(pooled),
            "pooled_counts": [matched, referenced, estimated]}


def main():
    rng = np.random.default_rng(20250611)
    fixture = {
        "versions": {"torchmetrics": torchmetrics.__version__, "mir_eval": mir_eval.__version__,
                     "sklearn": sklearn.__version__, "torch": torch.__version__.split("+")[0]},
        "accuracy": accuracy_cases(rng),
        "ranking": ranking_cases(rng),
        "r2": r2_cases(rng),
        "key": key_fixture(),
        "fusion": fusion_cases(rng),
        "beat": beat_cases(rng),
        "beat_sets": beat_sets(rng),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT) // 1024} KB)")


if __name__ == "__main__":
    main()
