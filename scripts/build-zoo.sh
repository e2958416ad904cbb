#!/usr/bin/env bash
# Builds Sigil's demo models from the Debian Fashion-MNIST files, reproducibly, into a cache
# directory; whatever already exists is kept. Each model gets:
#   <name>.ckpt        checkpoint (weights, optimizer state, options; resumable)
#   <name>.train.json  training summary (options, per-epoch loss/accuracy/seconds, test accuracy)
#   <name>.onnx        float ONNX model (opset 13)
#   <name>.eval.json   evaluation record (model root, data set root, score, predictions root)
# and manifest.json lists them all. A training step interrupted midway resumes from its
# checkpoint on the next run, with the same final weights.
#
#   scripts/build-zoo.sh [--out DIR] [--sigil PATH] [--jobs N] [--force]
#     --out DIR     cache directory (default: build/zoo)
#     --sigil PATH  the sigil binary (default: build/release/src/cli/sigil)
#     --jobs N      models trained side by side, one libtorch thread each (default: min(nproc, 2))
#     --force       rebuild everything
#
# Reproducible: every step is seeded and single-threaded, so a rebuild gives bit-identical
# checkpoints' weights (docs/training.md says what would change them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build/zoo"
sigil="$root/build/release/src/cli/sigil"
jobs="$(nproc)"
[ "$jobs" -gt 2 ] && jobs=2
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --sigil) sigil="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "build-zoo.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -x "$sigil" ] || { echo "build-zoo.sh: no sigil binary at $sigil (run scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$out"
[ "$force" -eq 1 ] && rm -f "$out"/*.ckpt "$out"/*.json "$out"/*.onnx

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { [ -s "$out/$1" ]; }

# Options every model shares: one thread (reproducible, and two models fit the two cores), the
# default split (seed 0, 5000 validation samples), seed 1.
common=(--threads 1 --seed 1 --no-progress)

# --- the models ------------------------------------------------------------------------------
# Each recipe is a function `recipe_<name>` that sets `args` to the sigil command line producing
# <name>.ckpt, and `eval_args` to the data flags its evaluation uses (empty: the plain test set).
# A new model is a new recipe plus its name in a build_stage line below.
recipe_cnn() {
  args=(train --arch cnn:24,48:128 --epochs 5 --lr 2e-3 --batch-size 64 "${common[@]}"); eval_args=()
}
recipe_mlp() {
  args=(train --arch mlp:256,128 --epochs 5 --lr 1e-3 --batch-size 64 "${common[@]}"); eval_args=()
}
recipe_cnn_student() {
  args=(distill --teacher "$out/cnn.ckpt" --arch cnn:16,32:32 --epochs 4 --lr 3e-3 --temperature 4 --alpha 0.7
        "${common[@]}")
  eval_args=()
}
recipe_cnn_inverted() {
  args=(finetune --from "$out/cnn.ckpt" --shift invert --epochs 2 --lr 1e-3 "${common[@]}"); eval_args=(--shift invert)
}

# train_model <name>: <name>.ckpt and <name>.train.json, resuming an interrupted run.
train_model() {
  local name="$1" file="${1//_/-}"
  have "$file.train.json" && return 0
  local resume=()
  [ -s "$out/$file.ckpt" ] && resume=(--resume)
  say "training $file"
  local args eval_args
  recipe_"$name"
  "$sigil" "${args[@]}" --checkpoint "$out/$file.ckpt" "${resume[@]}" --json > "$out/$file.train.json.tmp"
  mv "$out/$file.train.json.tmp" "$out/$file.train.json"
}

# artifacts <name>: <name>.onnx and <name>.eval.json from the checkpoint.
artifacts() {
  local name="$1" file="${1//_/-}" args eval_args
  recipe_"$name"
  if ! have "$file.onnx"; then
    "$sigil" export-onnx --checkpoint "$out/$file.ckpt" --onnx "$out/$file.onnx.tmp"
    mv "$out/$file.onnx.tmp" "$out/$file.onnx"
  fi
  if ! have "$file.eval.json"; then
    "$sigil" eval --checkpoint "$out/$file.ckpt" --name "$file" "${eval_args[@]}" --record "$out/$file.eval.json.tmp" \
      --json > /dev/null
    mv "$out/$file.eval.json.tmp" "$out/$file.eval.json"
  fi
}

# build_stage <name>...: trains the named models, up to $jobs at a time, then their artifacts.
build_stage() {
  local pids=() name status=0
  for name in "$@"; do
    if [ "$jobs" -gt 1 ]; then
      train_model "$name" & pids+=($!)
      if [ "${#pids[@]}" -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
    else
      train_model "$name" || status=1
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  [ "$status" -eq 0 ] || { echo "build-zoo.sh: a training step failed" >&2; exit 1; }
  for name in "$@"; do artifacts "$name"; done
}

start=$SECONDS
build_stage cnn mlp                     # from the data
build_stage cnn_student cnn_inverted    # from the CNN

# --- the manifest ----------------------------------------------------------------------------
models=()
for name in cnn mlp cnn_student cnn_inverted; do models+=("${name//_/-}"); done
{
  for file in "${models[@]}"; do
    jq -n --arg name "$file" --slurpfile t "$out/$file.train.json" --slurpfile e "$out/$file.eval.json" '{
      name: $name, arch: $t[0].arch, op: $t[0].options.op, parameters: $t[0].parameters,
      epochs: $t[0].epochsDone,
      secondsPerEpoch: (($t[0].history | map(.seconds) | add) / ($t[0].history | length)),
      testAccuracy: $e[0].score, accuracyBefore: $t[0].accuracyBefore,
      teacherParameters: $t[0].teacherParameters, teacherAccuracy: $t[0].teacherAccuracy,
      weightsRoot: $e[0].model.root, datasetRoot: $e[0].dataset.root, predictionsRoot: $e[0].predictionsRoot,
      checkpoint: ($name + ".ckpt"), onnx: ($name + ".onnx"), evaluation: ($name + ".eval.json")
    } | with_entries(select(.value != null))'
  done
} | jq -s '{kind: "sigil.zoo.v1", models: .}' > "$out/manifest.json"

say "zoo ready in $out ($((SECONDS - start)) s)"
jq -r '.models[] | "\(.name)\t\(.arch)\t\(.parameters) params\ttest \(.testAccuracy)\t\(.secondsPerEpoch | floor) s/epoch"' \
  "$out/manifest.json" | column -t -s $'\t' >&2
