// Keccak-256 throughput over 32 B, 1 KiB and 64 KiB inputs; the batched 64-byte hashing and the
// tensor roots of the trace commitment on every keccak path this CPU has (0 scalar, 1 avx2,
// 2 avx512), against Crypto++ one node at a time (the earlier implementation).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/bytes.hpp"
#include "core/keccak.hpp"
#include "core/keccak_batch.hpp"
#include "core/merkle_fold.hpp"
#include "core/merkle_reference.hpp"
#include "core/trace/chunks.hpp"

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

/// Skips (with a message) a path this CPU cannot run.
bool path_or_skip(benchmark::State& state, sigil::KeccakPath path) {
    if (sigil::keccak_path_supported(path)) return true;
    state.SkipWithError("this CPU lacks the instruction set of this keccak path");
    return false;
}

/// 4,096 64-byte messages (one Merkle level of 8,192 nodes) per iteration.
void BM_keccak256_64_batch(benchmark::State& state) {
    const auto path = static_cast<sigil::KeccakPath>(state.range(0));
    if (!path_or_skip(state, path)) return;
    constexpr std::size_t n = 4096;
    const sigil::Bytes in = input(64 * n);
    sigil::Bytes out(32 * n);
    for (auto _ : state) {
        sigil::keccak256_64_batch(in.data(), out.data(), n, path);
        benchmark::ClobberMemory();
    }
    for (std::size_t i : {std::size_t{0}, n / 2 + 3, n - 1}) {
        const sigil::Hash want = sigil::keccak256(sigil::BytesView(in).subspan(64 * i, 64));
        require(std::equal(want.begin(), want.end(), out.begin() + static_cast<std::ptrdiff_t>(32 * i)),
                "batched digest differs from the general sponge");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_keccak256_64_batch)->ArgName("path")->Arg(0)->Arg(1)->Arg(2);

/// Tensor root of an n-byte tensor on each path: 1,024 B (MLP activations), 25,088 B (a 28x28x32
/// int8 feature map), 65,536 B.
void BM_tensor_root(benchmark::State& state) {
    const auto path = static_cast<sigil::KeccakPath>(state.range(0));
    if (!path_or_skip(state, path)) return;
    const auto n = static_cast<std::size_t>(state.range(1));
    const sigil::Bytes data = input(n);
    sigil::Hash h{};
    for (auto _ : state) {
        h = sigil::trace::tensor_root(data, path);
        benchmark::DoNotOptimize(h);
    }
    require(h == sigil::reference::tensor_root(data), "tensor root differs from the reference rule");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_tensor_root)->ArgNames({"path", "bytes"})->ArgsProduct({{0, 1, 2}, {1024, 25088, 65536}});

/// The same tensor roots the way they were computed before: leaves materialised, every parent
/// through Crypto++ (core/merkle_reference.hpp hashes the padding too, so this is an upper bound
/// of the earlier cost, not the earlier code).
void BM_tensor_root_cryptopp_reference(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const sigil::Bytes data = input(n);
    sigil::Hash h{};
    for (auto _ : state) {
        h = sigil::reference::tensor_root(data);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_tensor_root_cryptopp_reference)->ArgName("bytes")->Arg(1024)->Arg(25088)->Arg(65536);

}  // namespace
