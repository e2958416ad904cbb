#!/usr/bin/env bash
# Installs whatever Sigil needs that is missing, then builds it. Safe to run again: each step
# checks before it acts.
#   scripts/setup.sh [--preset release|debug|asan|fuzz] [--target T]   (default: release, all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset=release
target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    *) echo "setup.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages.
mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$root/scripts/apt-packages.txt")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js: any install that provides node and npm will do (Debian's, or one that bundles npm).
command -v npm > /dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. npm packages, pinned by the committed lock files (no install scripts: the packages ship their
#    binaries). `npm install` rather than `npm ci`: the lock lists only the platform packages of
#    the machine that wrote it, which `npm ci` refuses and `npm install` accepts.
for dir in contracts bench tests/openai-client; do
  lock="$root/$dir/package-lock.json"
  [ -f "$lock" ] || continue
  stamp="$root/$dir/node_modules/.sigil-lock.sha256"
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm packages of $dir/"
    (cd "$root/$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
done

# 3. The contracts (integration tests deploy their compiled artifacts from contracts/out/).
say "building contracts"
(cd "$root/contracts" && node_modules/.bin/forge build --quiet)

# 4. The build.
say "building ($preset)"
cd "$root"
# ccache (when installed) makes rebuilds of unchanged sources after a fresh clone cheap; paths are
# hashed relative to the checkout so any clone of the repository shares the cache.
if command -v ccache > /dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
fi
if [ ! -f "build/$preset/CMakeCache.txt" ]; then
  cmake --preset "$preset" > /dev/null
fi
cmake --build --preset "$preset" ${target:+--target "$target"} -- -j"$(nproc)"
