#!/usr/bin/env bash
# Builds Sigil's demo models from the Debian Fashion-MNIST files, reproducibly, into a cache
# directory; whatever already exists is kept. Each model gets:
#   <name>.ckpt        checkpoint (weights, optimizer state, options; resumable)
#   <name>.train.json  training summary (options, per-epoch loss/accuracy/seconds, test accuracy)
#   <name>.onnx        float ONNX model (opset 13)
#   <name>.eval.json   evaluation record (model root, data set root, score, predictions root)
#   <name>.sigil       int8 program quantized from the ONNX model (calibration: 500 train samples)
#   <name>.quant.json  quantization summary (modelRoot, float-vs-int8 agreement on 500 held out)
#   <name>.int8.eval.json  evaluation record of the int8 program (format "sigil", root = modelRoot)
# and Sigil's language model (GPT-2 architecture trained on WordNet's glosses) gets a directory
# wordnet-lm/ with the files of `sigil lm train` (vocab.json, lm.ckpt, lm.safetensors,
# calibration.npy, heldout.npy, train.json with the loss curve) and:
#   lm.onnx        torch.onnx.export of the trained weights (src/train/tools/export_lm.py)
#   lm.sigil       the integer program imported from it (int8, int32 logits; calibration: 32
#                  training windows)
#   import.json    the import's summary (modelRoot, float-vs-int8 on held-out calibration windows)
#   eval.json      held-out perplexity, float and int8, and next-token agreement (`sigil lm eval`)
#   sample.json    a completion of "volcano:" (`sigil lm generate`, temperature 0.7, top-k 40, seed 1)
# and manifest.json lists them all. A training step interrupted midway resumes from its
# checkpoint on the next run, with the same final weights.
#
#   scripts/build-zoo.sh [--out DIR] [--sigil PATH] [--jobs N] [--no-lm] [--force]
#     --out DIR     cache directory (default: build/zoo)
#     --sigil PATH  the sigil binary (default: build/release/src/cli/sigil)
#     --jobs N      models trained side by side, one libtorch thread each (default: min(nproc, 2));
#                   the language model trains alone on N threads
#     --no-lm       skip the language model (the classifiers take a few minutes, the LM ~15 more)
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
lm=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --sigil) sigil="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --no-lm) lm=0; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "build-zoo.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -x "$sigil" ] || { echo "build-zoo.sh: no sigil binary at $sigil (run scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$out"
[ "$force" -eq 1 ] && rm -rf "$out"/*.ckpt "$out"/*.json "$out"/*.onnx "$out"/*.sigil "$out/wordnet-lm"

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

# artifacts <name>: <name>.onnx, <name>.eval.json, <name>.sigil, <name>.quant.json and
# <name>.int8.eval.json from the checkpoint.
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
  if ! have "$file.quant.json"; then
    say "quantizing $file"
    "$sigil" quantize --onnx "$out/$file.onnx" --out "$out/$file.sigil" "${eval_args[@]}" --calibration 500 \
      --holdout 500 --json > "$out/$file.quant.json.tmp"
    mv "$out/$file.quant.json.tmp" "$out/$file.quant.json"
  fi
  if ! have "$file.int8.eval.json"; then
    "$sigil" eval --sigil "$out/$file.sigil" --name "$file-int8" "${eval_args[@]}" \
      --record "$out/$file.int8.eval.json.tmp" --json > /dev/null
    mv "$out/$file.int8.eval.json.tmp" "$out/$file.int8.eval.json"
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
  pids=()
  for name in "$@"; do artifacts "$name" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  [ "$status" -eq 0 ] || { echo "build-zoo.sh: an export, evaluation or quantization step failed" >&2; exit 1; }
}

# --- the language model ----------------------------------------------------------------------
# lm_stage: wordnet-lm/ as listed at the top. Every file is made once; an interrupted training
# resumes from its checkpoint.
lm_stage() {
  local dir="$out/wordnet-lm"
  mkdir -p "$dir"
  if ! jq -e '.complete == true' "$dir/train.json" > /dev/null 2>&1; then
    local resume=()
    [ -s "$dir/lm.ckpt" ] && resume=(--resume)
    say "training wordnet-lm (GPT-2 architecture on WordNet's glosses, $jobs threads)"
    "$sigil" lm train --out "$dir" --threads "$jobs" --seed 1 "${resume[@]}" --json > /dev/null
  fi
  if ! have wordnet-lm/lm.onnx; then
    /usr/bin/python3 "$root/src/train/tools/export_lm.py" "$dir" "$dir/lm.onnx.tmp" > /dev/null 2>"$dir/export.log" ||
      { cat "$dir/export.log" >&2; echo "build-zoo.sh: exporting wordnet-lm failed" >&2; exit 1; }
    mv "$dir/lm.onnx.tmp" "$dir/lm.onnx"
  fi
  # A program imported before int32 logits were the default is imported again (and evaluated
  # and sampled again with it).
  if ! jq -e '.logits == "int32"' "$dir/import.json" > /dev/null 2>&1; then
    rm -f "$dir/import.json" "$dir/eval.json" "$dir/sample.json"
  fi
  if ! have wordnet-lm/import.json; then
    say "quantizing wordnet-lm"
    "$sigil" model import "$dir/lm.onnx" --calib "$dir/calibration.npy" -o "$dir/lm.sigil" --json > "$dir/import.json.tmp"
    mv "$dir/import.json.tmp" "$dir/import.json"
  fi
  if ! have wordnet-lm/eval.json; then
    "$sigil" lm eval --checkpoint "$dir/lm.ckpt" --sigil "$dir/lm.sigil" --data "$dir/heldout.npy" --threads "$jobs" \
      --json > "$dir/eval.json.tmp"
    mv "$dir/eval.json.tmp" "$dir/eval.json"
  fi
  if ! have wordnet-lm/sample.json; then
    "$sigil" lm generate "$dir/lm.sigil" --vocab "$dir/vocab.json" --prompt "volcano:" --max-tokens 40 --stop 1 \
      --temperature 0.7 --top-k 40 --seed 1 \
      --json > "$dir/sample.json.tmp"
    mv "$dir/sample.json.tmp" "$dir/sample.json"
  fi
}

start=$SECONDS
build_stage cnn mlp                     # from the data
build_stage cnn_student cnn_inverted    # from the CNN
[ "$lm" -eq 1 ] && lm_stage

# --- the manifest ----------------------------------------------------------------------------
models=()
for name in cnn mlp cnn_student cnn_inverted; do models+=("${name//_/-}"); done
{
  for file in "${models[@]}"; do
    jq -n --arg name "$file" --slurpfile t "$out/$file.train.json" --slurpfile e "$out/$file.eval.json" \
      --slurpfile q "$out/$file.quant.json" --slurpfile i "$out/$file.int8.eval.json" '{
      name: $name, arch: $t[0].arch, op: $t[0].options.op, parameters: $t[0].parameters,
      epochs: $t[0].epochsDone,
      secondsPerEpoch: (($t[0].history | map(.seconds) | add) / ($t[0].history | length)),
      testAccuracy: $e[0].score, accuracyBefore: $t[0].accuracyBefore,
      teacherParameters: $t[0].teacherParameters, teacherAccuracy: $t[0].teacherAccuracy,
      weightsRoot: $e[0].model.root, datasetRoot: $e[0].dataset.root, predictionsRoot: $e[0].predictionsRoot,
      int8Accuracy: $i[0].score, int8Drop: ($e[0].score - $i[0].score), modelRoot: $q[0].modelRoot,
      top1Agreement: $q[0].top1Agreement, int8PredictionsRoot: $i[0].predictionsRoot,
      checkpoint: ($name + ".ckpt"), onnx: ($name + ".onnx"), evaluation: ($name + ".eval.json"),
      program: ($name + ".sigil"), int8Evaluation: ($name + ".int8.eval.json")
    } | with_entries(select(.value != null))'
  done
} | jq -s '{kind: "sigil.zoo.v1", models: .}' > "$out/manifest.json.tmp"
d="$out/wordnet-lm"
if [ -s "$d/sample.json" ] && [ -s "$d/eval.json" ] && [ -s "$d/import.json" ]; then  # built now or before
  jq --slurpfile t "$d/train.json" --slurpfile i "$d/import.json" --slurpfile e "$d/eval.json" \
    --slurpfile s "$d/sample.json" '.languageModels = [{
      name: "wordnet-lm", arch: $t[0].arch, parameters: $t[0].parameters, steps: $t[0].stepsDone,
      trainTokens: $t[0].trainTokens, vocab: $t[0].options.vocab, context: $t[0].options.context,
      trainSeconds: ($t[0].history | map(.seconds) | add),
      floatPerplexity: $e[0].floatPerplexity, int8Perplexity: $e[0].int8Perplexity,
      perplexityRatio: $e[0].perplexityRatio, nextTokenAgreement: $e[0].nextTokenAgreement,
      modelRoot: $i[0].model_root, vocabRoot: $t[0].vocabRoot, sample: ("volcano:" + $s[0].text),
      program: "wordnet-lm/lm.sigil", vocabulary: "wordnet-lm/vocab.json", onnx: "wordnet-lm/lm.onnx",
      checkpoint: "wordnet-lm/lm.ckpt", lossCurve: "wordnet-lm/train.json"}]' \
    "$out/manifest.json.tmp" > "$out/manifest.json.tmp2"
  mv "$out/manifest.json.tmp2" "$out/manifest.json.tmp"
fi
mv "$out/manifest.json.tmp" "$out/manifest.json"

say "zoo ready in $out ($((SECONDS - start)) s)"
jq -r '.models[] | "\(.name)\t\(.arch)\t\(.parameters) params\tfloat \(.testAccuracy)\tint8 \(.int8Accuracy)\t\(.secondsPerEpoch | floor) s/epoch (wall)"' \
  "$out/manifest.json" | column -t -s $'\t' >&2
jq -r '.languageModels[]? | "\(.name)\t\(.arch)\t\(.parameters) params\tperplexity float \(.floatPerplexity * 10 | round / 10) int8 \(.int8Perplexity * 10 | round / 10)\tagreement \(.nextTokenAgreement * 1000 | round / 10)%"' \
  "$out/manifest.json" | column -t -s $'\t' >&2
