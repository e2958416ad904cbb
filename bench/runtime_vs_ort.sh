#!/usr/bin/env bash
# Throughput of Sigil's int8 runtime against ONNX Runtime (onnxruntime-node, CPU, fp32) on the
# same models: an MLP 784-1024-1024-10 and a 28x28x1 CNN (tests/data/onnx/make_models.py,
# seeded weights, calibrated on Fashion-MNIST test images), at 1 and 2 threads.
#
#   bench/runtime_vs_ort.sh [--runs N]     (default 300 timed runs per measurement)
#
# Method: both sides time single-input (batch 1) inferences one by one and report the median
# latency; throughput = 1000 / median_ms inferences per second. Ours: `sigil model run
# <model.sigil> --repeat N` on an already quantized input through the integer executor
# (runtime/exec), once with --no-commit (inference alone) and once with the trace commitment
# (tensor roots and S_N, what a verifiable claim needs). ORT: bench/ort_run.mjs (session.run,
# 20 warm-up runs). "commit %" is the commitment's cost as a share of inference time,
# (median with commitment - median without) / median without.
#
# Then, per model on one thread, `sigil model run --profile`: the median time of every op kind
# (summed over the ops of that kind) and of the commitment inside the same runs.
# Needs a release build (scripts/setup.sh) and `cd bench && npm install --ignore-scripts`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=300
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "runtime_vs_ort.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
sigil="${SIGIL:-$root/build/release/src/cli/sigil}"
work="$root/build/bench-models"
[ -x "$sigil" ] || { echo "missing $sigil: run scripts/setup.sh first" >&2; exit 1; }
[ -d "$root/bench/node_modules/onnxruntime-node" ] || (cd "$root/bench" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)

/usr/bin/python3 "$root/tests/data/onnx/make_models.py" "$work"
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

echo "model  threads  int8 inf/s  int8+commit inf/s  commit %  ort-fp32 inf/s  int8/ort  int8+commit/ort  top1-agree  max|err|"
for m in mlp cnn; do
  report="$("$sigil" model import "$work/$m.onnx" --calib "$work/${m}_calib.npy" -o "$work/$m.sigil" --json)"
  agree="$(json_field top1_agreement <<<"$report")"
  err="$(json_field max_abs_error <<<"$report")"
  for t in 1 2; do
    ours_ms="$("$sigil" model run "$work/$m.sigil" --input "$work/${m}_input.npy" --threads "$t" --repeat "$runs" --no-commit --json | json_field median_ms)"
    commit_ms="$("$sigil" model run "$work/$m.sigil" --input "$work/${m}_input.npy" --threads "$t" --repeat "$runs" --json | json_field median_ms)"
    ort_ms="$(cd "$root/bench" && node ort_run.mjs "$work/$m.onnx" "$work/${m}_input.npy" "$t" "$runs" | json_field median_ms)"
    /usr/bin/python3 - "$m" "$t" "$ours_ms" "$commit_ms" "$ort_ms" "$agree" "$err" <<'PY'
import sys
m, t = sys.argv[1], sys.argv[2]
ours, commit, ort, agree, err = (float(x) for x in sys.argv[3:8])
print(f"{m:<6} {t:>7}  {1000/ours:>10.0f}  {1000/commit:>17.0f}  {100*(commit-ours)/ours:>7.1f}%  {1000/ort:>14.0f}  {ort/ours:>8.2f}  {ort/commit:>15.2f}  {agree:>10.3f}  {err:>8.4f}")
PY
  done
done

echo
echo "time per op kind, 1 thread (medians over $runs runs of sigil model run --profile)"
for m in mlp cnn; do
  prof="$("$sigil" model run "$work/$m.sigil" --input "$work/${m}_input.npy" --threads 1 --repeat "$runs" --profile --json)"
  /usr/bin/python3 - "$m" "$prof" <<'PY'
import json, sys
m, prof = sys.argv[1], json.loads(sys.argv[2])["profile"]
total = prof["ops_median_us"] + prof["commit_median_us"]
for kind, v in sorted(prof["by_kind"].items(), key=lambda kv: -kv[1]["median_us"]):
    print(f"{m:<6} {kind:<18} {v['ops']:>3} ops  {v['median_us']:>9.1f} us  {100 * v['median_us'] / total:>5.1f}%")
commit = prof["commit_median_us"]
print(f"{m:<6} {'commitment':<18}          {commit:>9.1f} us  {100 * commit / total:>5.1f}%"
      f"  ({100 * prof['commit_share']:.1f}% of the ops' time)")
PY
done
