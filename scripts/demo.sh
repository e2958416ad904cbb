#!/usr/bin/env bash
# Sets everything up and runs Sigil's main job: `sigil devnet`, a whole network on this machine —
# anvil, every contract, staked operators running `sigil node`, and the FashionClassifier consumer
# getting Fashion-MNIST classifications paid and settled — then prints the summary read back from
# the chain and keeps running with the endpoints listed (Ctrl-C stops everything it started).
#
# The first run builds the model zoo (scripts/build-zoo.sh: CNN, MLP, distilled student and
# fine-tuned CNN from the Debian Fashion-MNIST files, about 6 minutes on an idle 2-core machine)
# into build/zoo; later runs find it there and start at once.
#
#   scripts/demo.sh [--once] [devnet options...]   # e.g. --operators 5; see `sigil devnet --help`
#   scripts/demo.sh --quick [--once] ...            # skip the zoo: a small MLP trained in seconds
#   scripts/demo.sh --tour                          # the older tour of the CLI (scripts/tour.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--tour" ]; then
  exec "$root/scripts/tour.sh"
fi
quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1
  shift
fi
"$root/scripts/setup.sh" --preset release --target sigil  # the binaries it runs (sigil, sigil-devnet, sigil-train); tests belong to scripts/test.sh
zoo="$root/build/zoo"
if [ "$quick" -eq 1 ]; then
  zoo="$root/build/no-zoo"  # no models there: the devnet trains (once) and caches its quick MLP
else
  # Skips every model already built; resumes one whose training was interrupted.
  "$root/scripts/build-zoo.sh" --out "$zoo" --no-lm  # the devnet serves classifiers
fi
exec "$root/build/release/src/cli/sigil" devnet --dir "$root/build/devnet" --zoo "$zoo" "$@"
