// Keccak-256 throughput over 32 B, 1 KiB and 64 KiB inputs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/bytes.hpp"
#include "core/keccak.hpp"

namespace {

/// Fails the run (not only this benchmark) when a result is wrong: a fast wrong answer is no result.
void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "benchmark result check failed: %s\n", what);
    std::abort();
}

/// Deterministic input: byte i is (31 * i + 7) mod 256.
sigil::Bytes input(std::size_t n) {
    sigil::Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 31 + 7) & 0xff);
    return b;
}

/// Expected digests: `cast keccak 0x<input hex>` (cast 1.7.1; the 64 KiB input piped on stdin).
std::string expected(std::size_t n) {
    switch (n) {
        case 32: return "0xdc7b69b8512dce347cacd51f7cff541905fdb5fabb71b37dc6b271c152bc8efc";
        case 1024: return "0x6de0a34e37ab79cac8b6c5e9c25c8a53f45eeeb04eec7330fd2a03685090ad7e";
        case 65536: return "0x22a59e1ad8088545e5e4130a53f4378aaf1a9c1166982f02ecd59923f9c33744";
        default: return {};
    }
}

void BM_keccak256(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const sigil::Bytes data = input(n);
    sigil::Hash h{};
    for (auto _ : state) {
        h = sigil::keccak256(data);
        benchmark::DoNotOptimize(h);
    }
    require(sigil::to_hex(h) == expected(n), "keccak256 digest differs from cast's");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_keccak256)->Arg(32)->Arg(1024)->Arg(65536);

}  // namespace
