#!/usr/bin/env bash
# Sets everything up and runs Sigil's main job. Until the local devnet lands, that is a short
# guided tour of the `sigil` command-line tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --preset release
sigil="$root/build/release/src/cli/sigil"

step() { printf '\n\033[1m$ sigil %s\033[0m\n' "$*"; "$sigil" "$@"; }

echo
echo "Sigil CLI tour (build: $sigil)"
step --help
step keccak "hello"
step keccak 0x1234
