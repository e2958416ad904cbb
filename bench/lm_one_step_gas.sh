#!/usr/bin/env bash
# The on-chain cost of disputing a language model's decode step down to one element: for every op
# of the step program, honest one-step proofs of its first and last output elements
# (build/release/bench/lm_one_step_vectors) replayed through OneStepVerifier.verify
# (contracts/script/LmOneStepGas.s.sol), printing per op kind the largest execution gas, the
# largest proof's calldata bytes and that proof's calldata gas.
#
#   bench/lm_one_step_gas.sh [--model MODEL.sigil] [--position P]
#
# MODEL defaults to the zoo's wordnet-lm (build/zoo/wordnet-lm/lm.sigil; scripts/build-zoo.sh).
# For the GPT-2-small shape, make and import it with bench/lm_vs_ort.sh --size gpt2-small first,
# then pass --model build/bench-models/lm/gpt2-small-128/gpt2-small/full.sigil.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$root/build/zoo/wordnet-lm/lm.sigil" position=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --position) position=(--position "$2"); shift 2 ;;
    *) echo "lm_one_step_gas.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
tool="$root/build/release/bench/lm_one_step_vectors"
[ -x "$tool" ] || { echo "missing $tool: run scripts/setup.sh first" >&2; exit 1; }
[ -s "$model" ] || { echo "lm_one_step_gas.sh: no model at $model" >&2; exit 1; }
mkdir -p "$root/build/dispute"
vectors="$root/build/dispute/lm_one_step_$(basename "$(dirname "$model")").txt"
"$tool" "$model" "$vectors" "${position[@]}"
cd "$root/contracts"
# Every proof is verified in its own call; the sum of all of them passes forge's default limit.
FOUNDRY_GAS_LIMIT=9223372036854775807 node_modules/.bin/forge script script/LmOneStepGas.s.sol --tc LmOneStepGas \
  --sig "run(string)" "$vectors" 2>&1 | sed -n '/== Logs ==/,/^$/p'
