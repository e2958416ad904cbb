#!/usr/bin/env bash
# Token generation with Sigil's int8 step program (key/value caches, docs/generation.md) against
# ONNX Runtime (onnxruntime-node, CPU, fp32) decoding the same GPT-2-architecture model with its
# own key/value cache, greedy, at 1 and 2 threads.
#
#   bench/lm_vs_ort.sh [--size test|gpt2-small|wordnet-lm|all] [--context C] [--tokens N] [--zoo DIR]
#
# test: the 2-layer test model (d = 48, vocabulary 96); gpt2-small: 12 layers, d = 768, 12 heads,
# vocabulary 50,257 (random weights, bench/make_lm_bench.py; the import quantizes 124M parameters
# and takes minutes); wordnet-lm: Sigil's trained language model from the zoo (DIR/wordnet-lm,
# default build/zoo; scripts/build-zoo.sh makes it), at its own context of 64. Both sides feed an 8-token prompt one position per run, then generate N
# tokens (default 48); "tok/s" is 1000 / the median time of a generating step. Ours runs
# `sigil lm generate --json`, once with --no-commit (inference alone) and once with every step's
# trace (what a verifiable claim needs; "commit %" is its share of the inference time, "commit
# KiB" the bytes one step's trace hashes). "same" counts the leading greedy tokens both sides
# agree on (int8 vs fp32). Peak RSS per process, in MiB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size=test context=64 tokens=48 zoo="$root/build/zoo"
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --context) context="$2"; shift 2 ;;
    --tokens) tokens="$2"; shift 2 ;;
    --zoo) zoo="$2"; shift 2 ;;
    *) echo "lm_vs_ort.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$size" in
  test|gpt2-small|wordnet-lm) sizes="$size" ;;
  all) sizes="test gpt2-small wordnet-lm" ;;
  *) echo "lm_vs_ort.sh: --size test|gpt2-small|wordnet-lm|all" >&2; exit 2 ;;
esac
case " $sizes " in *" wordnet-lm "*)
  [ -s "$zoo/wordnet-lm/lm.safetensors" ] || { echo "lm_vs_ort.sh: no trained model in $zoo/wordnet-lm (run scripts/build-zoo.sh)" >&2; exit 1; }
  context=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['context'])" "$zoo/wordnet-lm/lm.config.json") ;;
esac
if [ $((8 + tokens)) -gt "$context" ]; then echo "lm_vs_ort.sh: 8 + --tokens must fit in --context" >&2; exit 2; fi
sigil="${SIGIL:-$root/build/release/src/cli/sigil}"
work="$root/build/bench-models/lm"
[ -x "$sigil" ] || { echo "missing $sigil: run scripts/setup.sh first" >&2; exit 1; }
[ -d "$root/bench/node_modules/onnxruntime-node" ] || (cd "$root/bench" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
prompt="11,22,33,44,55,66,77,88"

echo "size        threads  int8 tok/s  int8+commit tok/s  commit %  commit KiB  ort-fp32 tok/s  int8/ort  int8+commit/ort  same  RSS int8/ort MiB"
for s in $sizes; do
  dir="$work/$s-$context"
  if [ "$s" = wordnet-lm ] && [ "$zoo/wordnet-lm/lm.safetensors" -nt "$dir/$s/step.onnx" ]; then
    rm -rf "$dir"  # retrained since
  fi
  if [ ! -f "$dir/$s/step.onnx" ]; then
    run=()
    [ "$s" = wordnet-lm ] && run=("$zoo/wordnet-lm")
    /usr/bin/python3 "$root/bench/make_lm_bench.py" "$dir" "$s" "$context" "${run[@]}" 2>/dev/null
  fi
  m="$dir/$s"
  # full.import.json is the import's summary; a program imported before int32 logits were the
  # default (no "logits" in it) is imported again.
  if [ ! -f "$m/full.sigil" ] || ! jq -e '.logits == "int32"' "$m/full.import.json" > /dev/null 2>&1; then
    start=$(date +%s)
    "$sigil" model import "$m/full.onnx" --calib "$m/calib.npy" --holdout "$m/calib.npy" -o "$m/full.sigil" \
      --json > "$m/full.import.json"
    echo "($s: imported in $(( $(date +%s) - start )) s)" >&2
  fi
  read -r layers heads hd vocab <"$m/config.txt"
  for t in 1 2; do
    plain="$("$sigil" lm generate "$m/full.sigil" --prompt-ids "$prompt" --max-tokens "$tokens" --threads "$t" --no-commit --json)"
    committed="$("$sigil" lm generate "$m/full.sigil" --prompt-ids "$prompt" --max-tokens "$tokens" --threads "$t" --json)"
    ort="$(cd "$root/bench" && node ort_lm.mjs "$m/step.onnx" "$layers" "$heads" "$hd" "$t" "$prompt" "$tokens")"
    /usr/bin/python3 - "$s" "$t" "$plain" "$committed" "$ort" <<'PY'
import json, sys
s, t = sys.argv[1], sys.argv[2]
plain, committed, ort = (json.loads(x) for x in sys.argv[3:6])
a, c, o = plain["median_step_ms"], committed["median_step_ms"], ort["median_step_ms"]
same = 0
for x, y in zip(plain["token_ids"], ort["token_ids"]):
    if x != y:
        break
    same += 1
print(f"{s:<11} {t:>7}  {1000/a:>10.0f}  {1000/c:>17.0f}  {100*(c-a)/a:>7.1f}%  {committed['step_committed_bytes']/1024:>10.0f}"
      f"  {1000/o:>14.0f}  {o/a:>8.2f}  {o/c:>15.2f}  {same:>2}/{len(ort['token_ids'])}"
      f"  {plain['peak_rss_mib']:>6.0f}/{ort['peak_rss_mib']:.0f}")
PY
  done
done
