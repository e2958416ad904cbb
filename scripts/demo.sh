#!/usr/bin/env bash
# Sets everything up and runs Sigil's main job: `sigil devnet`, a whole network on this machine —
# anvil, every contract, staked operators running `sigil node`, and the FashionClassifier consumer
# getting Fashion-MNIST classifications paid and settled — then prints the summary read back from
# the chain and keeps running with the endpoints listed (Ctrl-C stops everything it started).
#
#   scripts/demo.sh [--once] [devnet options...]   # e.g. --operators 5; see `sigil devnet --help`
#   scripts/demo.sh --tour                          # the older tour of the CLI (scripts/tour.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--tour" ]; then
  exec "$root/scripts/tour.sh"
fi
"$root/scripts/setup.sh" --preset release
exec "$root/build/release/src/cli/sigil" devnet --dir "$root/build/devnet" --zoo "$root/build/zoo" "$@"
