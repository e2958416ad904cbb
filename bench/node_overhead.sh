#!/usr/bin/env bash
# Node overhead and throughput on anvil: runs the `sigil node` binary against a fresh AVS
# deployment (the integration test node_integration.throughput_and_overhead) and prints its
# measurements: log read -> delivery receipt minus inference (median, p99) over 20 single k = 1
# requests, and requests/s on a backlog of 40. Repeat with RUNS=N to see the spread.
# Usage: bench/node_overhead.sh [build-dir]   (default build/release)
set -euo pipefail
build="${1:-build/release}"
runs="${RUNS:-1}"
bin="$build/tests/integration/sigil_integration_tests"
[[ -x "$bin" ]] || { echo "build $bin first (cmake --build $build --target sigil sigil_integration_tests)" >&2; exit 1; }
for ((i = 1; i <= runs; i++)); do
  "$bin" --gtest_filter='node_integration.throughput_and_overhead' 2>/dev/null | grep '^node:'
done
