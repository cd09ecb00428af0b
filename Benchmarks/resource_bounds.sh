#!/usr/bin/env bash
# Resource bounds of msl, measured: wall time and peak resident memory (RSS) of
#
#   1. a one-hour 44.1 kHz stereo WAV (635 MB) through msl pretrain (a few updates of a tiny
#      Music2vec), msl extract (windowed), msl kmeans fit and msl kmeans label;
#   2. a 10,000-file corpus of which 5 % are damaged (250 truncated WAVs, 250 files of random
#      bytes named .wav) through the corpus scan of msl kmeans fit and msl pretrain;
#   3. tiny checkpoints whose headers claim terabytes (safetensors, .npy, PyTorch zip) through
#      msl info, msl convert, msl extract --checkpoint and msl kmeans fit --features-file.
#
# Usage: Benchmarks/resource_bounds.sh [WORKDIR]
#   Builds msl in release (swift build -c release --product msl), writes every input under
#   WORKDIR (default: a new mktemp -d, about 1 GB, removed at the end unless KEEP=1) and
#   prints a Markdown table. Needs python3 with numpy and GNU time (/usr/bin/time;
#   apt-get install time). MSL=path/to/msl skips the build; ONLY=REGEX runs only the cases
#   whose names match (e.g. ONLY='10k|huge').
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ -z "${MSL:-}" ]]; then
    swift build -c release --product msl >&2
    MSL="$(swift build -c release --show-bin-path)/msl"
fi
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

WORK="${1:-$(mktemp -d /tmp/msl-resource-bounds.XXXXXX)}"
mkdir -p "$WORK"
if [[ -z "${1:-}" && "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
echo "inputs and outputs under $WORK" >&2

# --- Inputs -------------------------------------------------------------------------------
python3 - "$WORK" <<'EOF'
import os, struct, sys, wave, zipfile
import numpy as np

work = sys.argv[1]
rng = np.random.default_rng(7)

# 1. One hour of 44.1 kHz stereo 16-bit PCM, written a minute at a time (chords and noise).
hour_dir = os.path.join(work, "hour")
os.makedirs(hour_dir, exist_ok=True)
hour = os.path.join(hour_dir, "hour.wav")
if not os.path.exists(hour):
    rate = 44_100
    with wave.open(hour + ".tmp", "wb") as w:
        w.setnchannels(2); w.setsampwidth(2); w.setframerate(rate)
        for minute in range(60):
            t = (np.arange(60 * rate) + minute * 60 * rate) / rate
            root = [196.0, 262.0, 330.0, 220.0][minute % 4]
            mono = 0.3 * np.sin(2 * np.pi * root * t) + 0.2 * np.sin(2 * np.pi * 1.5 * root * t)
            left = mono + 0.01 * rng.standard_normal(t.size)
            right = 0.8 * mono + 0.01 * rng.standard_normal(t.size)
            frames = np.stack([left, right], axis=1)
            w.writeframes((np.clip(frames, -1, 1) * 32767).astype("<i2").tobytes())
    os.rename(hour + ".tmp", hour)

# 2. 10,000 files: 9,500 valid 0.5 s 16 kHz mono WAVs, 250 cut in the middle of their data,
#    250 of random bytes; in 100 folders of 100.
corpus = os.path.join(work, "corpus10k")
if not os.path.exists(os.path.join(corpus, "done")):
    rate, n = 16_000, 8_000
    t = np.arange(n) / rate
    for i in range(10_000):
        folder = os.path.join(corpus, f"{i // 100:03d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"clip{i:05d}.wav")
        kind = "garbage" if i % 40 == 0 else "truncated" if i % 40 == 20 else "valid"
        if kind == "garbage":
            with open(path, "wb") as f: f.write(rng.bytes(int(rng.integers(0, 4096))))
            continue
        x = 0.3 * np.sin(2 * np.pi * (110 + i % 500) * t) + 0.01 * rng.standard_normal(n)
        with wave.open(path, "wb") as w:
            w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
            w.writeframes((x * 32767).astype("<i2").tobytes())
        if kind == "truncated":
            size = os.path.getsize(path)
            with open(path, "r+b") as f: f.truncate(44 + (size - 44) // 3)
    open(os.path.join(corpus, "done"), "w").close()

# 3. Headers that claim terabytes.
huge = os.path.join(work, "huge")
os.makedirs(huge, exist_ok=True)
side = 1_000_000
header = ('{"w": {"dtype": "F32", "shape": [%d, %d], "data_offsets": [0, %d]}}' % (side, side, 4 * side * side)).encode()
with open(os.path.join(huge, "huge.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(header)) + header + bytes(16))
npy_header = ("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (side, side))
npy_header += " " * (63 - (10 + len(npy_header)) % 64) + "\n"
with open(os.path.join(huge, "huge.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(npy_header)) + npy_header.encode() + bytes(16))

# A torch.save zip by hand: {'w': _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu',
# 10^12), 0, (10^6, 10^6), (10^6, 1), False, OrderedDict())} over a 12-byte storage.
def uni(s): b = s.encode(); return b"X" + struct.pack("<I", len(b)) + b
def glob(m, n): return b"c" + m.encode() + b"\n" + n.encode() + b"\n"
def long(v): return b"\x8a\x08" + struct.pack("<q", v)
def ints(vs): return b"(" + b"".join(long(v) for v in vs) + b"t"
pid = b"(" + uni("storage") + glob("torch", "FloatStorage") + uni("0") + uni("cpu") + long(side * side) + b"t"
tensor = (glob("torch._utils", "_rebuild_tensor_v2") + b"(" + pid + b"Q" + long(0) + ints([side, side])
          + ints([side, 1]) + b"\x89" + glob("collections", "OrderedDict") + b")R" + b"tR")
pickle = b"\x80\x02}" + uni("w") + tensor + b"s."
with zipfile.ZipFile(os.path.join(huge, "huge.pt"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", pickle)
    z.writestr("archive/data/0", struct.pack("<3f", 1, 2, 3))
    z.writestr("archive/byteorder", "little")
    z.writestr("archive/version", "3\n")
EOF

# --- Measurement --------------------------------------------------------------------------
ROWS=()
# measure NAME SUMMARY-COMMAND -- COMMAND...: runs COMMAND under GNU time (stdout and stderr to
# $WORK/NAME.log), then SUMMARY-COMMAND (a shell snippet reading $LOG) for the last column.
measure() {
    local name="$1" summary="$2"; shift 3
    [[ -z "${ONLY:-}" || "$name" =~ $ONLY ]] || return 0
    local log="$WORK/$name.log" stats="$WORK/$name.time"
    echo "== $name: $*" >&2
    local status=0
    /usr/bin/time -f "%e %M" -o "$stats" "$@" >"$log" 2>&1 || status=$?
    read -r seconds kib < <(tail -n 1 "$stats")
    local note
    note="$(LOG="$log" STATUS="$status" WORK="$WORK" bash -c "$summary" | tr '\n' ' ' | sed 's/|/\\|/g; s/ *$//')"
    local shown="${*/#$MSL/msl}"
    shown="${shown//$WORK\//}"
    ROWS+=("| $name | \`$shown\` | ${seconds} s | $((kib / 1024)) MiB | exit $status; $note |")
}

# The corpus summary line (files kept, hours, index use, files skipped and the first reasons).
CORPUS_LINE='grep -m 1 "^corpus" "$LOG" | sed "s|$WORK/||" | cut -c1-190; grep -m 1 "^trained" "$LOG" || true'
# A 3-update tiny Music2vec config with crops of $2 seconds and batch $3, written to $1.
write_tiny_config() {
    cat >"$1" <<EOF
objective: music2vec
model: {architecture: tiny, layers: 2, dimensions: 64, heads: 4, convolution_channels: 32}
data: {crop_seconds: $2, batch_size: $3, prefetch_batches: 2}
data2vec: {target_layers: 2, ema_anneal_steps: 10}
optimization: {steps: 3, learning_rate: 0.0005, warmup_steps: 1}
run: {seed: 1, checkpoint_every: 3, keep_checkpoints: 1, log_every: 1}
EOF
}
TINY="$WORK/tiny.yaml"
write_tiny_config "$TINY" 5 2
rm -rf "$WORK/run-hour" "$WORK/run-10k" "$WORK/labels-hour" "$WORK"/*.out* "$WORK"/km-*.safetensors

measure version "echo" -- "$MSL" --help
measure pretrain-1h "$CORPUS_LINE" -- \
    "$MSL" pretrain --config "$TINY" --corpus "$WORK/hour" --out "$WORK/run-hour"
ENCODER="$WORK/run-hour/encoder.safetensors"
measure extract-1h 'tail -n 1 "$LOG"' -- \
    "$MSL" extract --checkpoint "$ENCODER" --window-seconds 30 "$WORK/hour/hour.wav" -o "$WORK/hour.out.npy"
measure kmeans-fit-1h 'grep -E "^(k-means|fitted|wrote|skipped)|clips|frames" "$LOG" | tail -n 2' -- \
    "$MSL" kmeans fit --corpus "$WORK/hour" -k 8 --n-init 1 --max-iter 5 --seed 1 -o "$WORK/km-hour.safetensors"
measure kmeans-label-1h 'tail -n 1 "$LOG"' -- \
    "$MSL" kmeans label --model "$WORK/km-hour.safetensors" --corpus "$WORK/hour" -o "$WORK/labels-hour"
# Cold scans: the duration index (.musicssl-index.json) a scan leaves in the corpus is removed.
rm -f "$WORK/corpus10k/.musicssl-index.json"
measure kmeans-fit-10k "$CORPUS_LINE" -- \
    "$MSL" kmeans fit --corpus "$WORK/corpus10k" -k 8 --n-init 1 --max-iter 5 --seed 1 -o "$WORK/km-10k.safetensors"
write_tiny_config "$WORK/tiny-10k.yaml" 0.4 4
rm -f "$WORK/corpus10k/.musicssl-index.json"
measure pretrain-10k "$CORPUS_LINE" -- \
    "$MSL" pretrain --config "$WORK/tiny-10k.yaml" --corpus "$WORK/corpus10k" --out "$WORK/run-10k"
rm -rf "$WORK/run-10k"
measure pretrain-10k-indexed "$CORPUS_LINE" -- \
    "$MSL" pretrain --config "$WORK/tiny-10k.yaml" --corpus "$WORK/corpus10k" --out "$WORK/run-10k"
for tool in info convert extract; do
    for file in huge.safetensors huge.pt; do
        case $tool in
        info) args=(info "$WORK/huge/$file") ;;
        convert) args=(convert "$WORK/huge/$file" -o "$WORK/huge-$file.out.safetensors") ;;
        extract) args=(extract --checkpoint "$WORK/huge/$file" "$WORK/corpus10k/000/clip00001.wav" -o "$WORK/huge-$file.out.npy") ;;
        esac
        [[ $tool == info && $file == huge.pt ]] && continue  # msl info reads safetensors and HF folders only
        measure "$tool-${file#huge.}" 'grep -v "^$" "$LOG" | head -n 1 | cut -c1-220' -- "$MSL" "${args[@]}"
    done
done
measure kmeans-fit-npy 'grep -v "^$" "$LOG" | head -n 1 | cut -c1-220' -- \
    "$MSL" kmeans fit --features-file "$WORK/huge/huge.npy" -k 8 -o "$WORK/km-npy.safetensors"

ls -l "$WORK/hour/hour.wav" >&2
echo
echo "| case | command | wall | peak RSS | outcome |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
