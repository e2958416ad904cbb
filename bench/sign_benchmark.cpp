// secp256k1 signing and recovery as the chain layer uses them: recoverable RFC 6979 signatures
// of a 32-byte digest, public-key recovery, and signing a full EIP-1559 transaction.
// Medians: sign_benchmark --benchmark_repetitions=9 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "chain/keys.hpp"
#include "chain/transaction.hpp"
#include "core/keccak.hpp"

namespace {

using namespace sigil;

/// Fails the run when a result is wrong: a fast wrong answer is no result.
void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "benchmark result check failed: %s\n", what);
    std::abort();
}

// anvil's first default account.
const chain::PrivateKey kKey =
    *chain::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const Hash kDigest = [] {
    Hash h{};
    h.fill(0x11);
    return h;
}();
// cast wallet sign --private-key <kKey> --no-hash 0x1111...11 (32 bytes)
constexpr const char* kExpectedSig =
    "0x0f7ab7fdc86593590dfcf2e79ffe37056ed62d7191979e42979d39942847fbb904f14566b0640bb3c10128294cda733f61fa74f3dc8469"
    "79c55115e92b0a1b751b";

void BM_sign_digest(benchmark::State& state) {
    chain::Signature sig;
    for (auto _ : state) {
        sig = kKey.sign(kDigest);
        benchmark::DoNotOptimize(sig);
    }
    require(to_hex(sig.to_rsv()) == kExpectedSig, "signature differs from cast's");
}
BENCHMARK(BM_sign_digest);

void BM_recover_address(benchmark::State& state) {
    const chain::Signature sig = kKey.sign(kDigest);
    Address who{};
    for (auto _ : state) {
        auto r = chain::recover_address(kDigest, sig);
        require(r.has_value(), "recovery failed");
        who = *r;
        benchmark::DoNotOptimize(who);
    }
    require(to_checksum(who) == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "wrong signer recovered");
}
BENCHMARK(BM_recover_address);

void BM_sign_eip1559_transaction(benchmark::State& state) {
    // cast mktx --private-key <kKey> --chain 1 --nonce 7 --gas-limit 21000 --gas-price 2000000000
    //   --priority-gas-price 1000000000 --value 1000000000000000000 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    const chain::Eip1559Tx tx{1,     7, 1'000'000'000, 2'000'000'000, 21000,
                              *parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
                              u256("1000000000000000000"), {}, {}};
    chain::SignedTx signed_tx;
    for (auto _ : state) {
        signed_tx = chain::sign_transaction(tx, kKey);
        benchmark::DoNotOptimize(signed_tx.raw.data());
    }
    require(to_hex(signed_tx.hash) == to_hex(keccak256(*from_hex(
                                          "0x02f8720107843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17"
                                          "dc79c8880de0b6b3a764000080c080a0e66416a82f47a0108e937b48f3cba5d074f6fe7d1c"
                                          "decf99f1e9e890f1726816a037ade7b1a0c9e9dc55e96a1a856a7736eca0249b7ab9e7e347"
                                          "76ee8627718b9c"))),
            "raw transaction differs from cast mktx");
}
BENCHMARK(BM_sign_eip1559_transaction);

}  // namespace
