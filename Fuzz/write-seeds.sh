#!/usr/bin/env bash
# Regenerates the seed corpora in Fuzz/Corpus/<target>/ from the test fixtures and small
# hand-written inputs (each ≤ 64 KB). The audio seeds come from the library's AudioEncoder
# through the fuzz binary itself: build it first (make fuzz, or see Fuzz/README.md), then run this.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../Tests/MusicSSLCoreTests/Fixtures
rm -rf Corpus && mkdir -p Corpus/{safetensors,npy,torch,hf-config,yaml,manifest,km,csv,audio}

cp "$fixtures"/safetensors_interop.safetensors "$fixtures"/safetensors_writer_reference.safetensors \
    "$fixtures"/elementwise.safetensors Corpus/safetensors/
cp "$fixtures"/torch/module.safetensors Corpus/safetensors/torch_module.safetensors
cp "$fixtures"/numpy/*.npy Corpus/npy/

# torch: the .pt fixtures whole, and their pickles alone (the target wraps a non-zip input
# into a zip as archive/data.pkl).
cp "$fixtures"/torch/*.pt Corpus/torch/
python3 - "$fixtures"/torch Corpus/torch <<'PY'
import pathlib, sys, zipfile
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for checkpoint in sorted(source.glob("*.pt")):
    if not zipfile.is_zipfile(checkpoint):
        continue  # the legacy (pre-1.6) format: kept whole
    with zipfile.ZipFile(checkpoint) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        (target / f"{checkpoint.stem}.pkl").write_bytes(archive.read(name))
PY

cp "$fixtures"/hf_hubert_bin/config.json Corpus/hf-config/hubert.json
printf '{"model_type":"data2vec-audio","hidden_size":32,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":64,"conv_dim":[8,8],"conv_kernel":[10,3],"conv_stride":[5,2]}' \
    > Corpus/hf-config/data2vec.json

cp ../Examples/configs/*.yaml Corpus/yaml/

printf '/data/music\nrock/a.flac\t32000\njazz/b.wav\t16000\nc.ogg\t900\n' > Corpus/manifest/plain.tsv
printf 'relative/root\r\na b.wav\t1\r\n' > Corpus/manifest/crlf.tsv

# km: NUL-separated dict.km.txt, train.tsv, train.km, train.km.json.
python3 - <<'PY'
sections = {
    "fairseq": ["0 1\n1 1\n2 1\n", "/corpus\na.wav\t100\nb.wav\t200\n", "1 2 2\n0\n"],
    "sidecar": ["0 1\n1 1\n", "/c\nx.wav\t3\n", "1 0 1\n",
                '{"clusters":2,"label_rate":50,"feature_kind":"mfcc39","model":"/m/km.safetensors"}'],
}
for name, parts in sections.items():
    open(f"Corpus/km/{name}", "w").write("\0".join(parts))
PY

printf 'path,label,split\naudio/a.wav,sad,train\naudio/b.wav,happy,valid\naudio/c.wav,sad,test\n' > Corpus/csv/label.csv
printf 'path,labels,split\n"a.wav","rock; jazz",train\nb.wav,,test\n' > Corpus/csv/tags.csv
printf 'path,key,start,end,split\na.wav,C major,0.5,3,train\n' > Corpus/csv/key.csv
printf 'path,arousal,valence\r\na.wav,0.1,0.2\r\n\0path,arousal,valence\nb.wav,1,2\n\0path,arousal,valence\nc.wav,3,4\n' > Corpus/csv/three-splits

if [ -x .build/release/msl-fuzz ]; then
    MSL_FUZZ_WRITE_SEEDS="$PWD/Corpus/audio" SWIFT_BACKTRACE=enable=no .build/release/msl-fuzz
else
    echo "write-seeds: build msl-fuzz first for the audio seeds" >&2
fi
du -sh Corpus
