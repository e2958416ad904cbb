// ABI encode/decode of a representative nested call:
// submit((uint256,address,bytes,string[])[],uint256[][],bytes32) with 4 tuples.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/abi.hpp"
#include "core/keccak.hpp"

namespace {

/// Fails the run (not only this benchmark) when a result is wrong: a fast wrong answer is no result.
void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "benchmark result check failed: %s\n", what);
    std::abort();
}

using namespace sigil;

const char* kSig = "submit((uint256,address,bytes,string[])[],uint256[][],bytes32)";
const std::vector<std::string> kArgs = {
    "[(1,0xd8da6bf26964af9d7eed9e03e53415d37aa96045,0xdeadbeef,[alpha,beta]),"
    "(2,0x0000000000000000000000000000000000000001,0x,[]),"
    "(340282366920938463463374607431768211455,0x00000000219ab540356cbb839cbe05303d7705fa,"
    "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20,[gamma,\"delta epsilon\",zeta]),"
    "(4,0xd8da6bf26964af9d7eed9e03e53415d37aa96045,0x01,[eta])]",
    "[[1,2,3],[],[4,5]]",
    "0x0100000000000000000000000000000000000000000000000000000000000002"};
// cast keccak $(cast calldata '<kSig>' <kArgs...>)  (2116 bytes of calldata)
const char* kCalldataKeccak = "0xdf4fb11e64c672319280fbd7808b7f89ecf08a57286b64ab772ea8a3481ff89f";

struct Fixture {
    abi::Function fn = abi::parse_function(kSig).value();
    std::vector<abi::Value> args = abi::parse_args(fn.input_types(), kArgs).value();
};

void BM_abi_encode_call(benchmark::State& state) {
    const Fixture f;
    Bytes call;
    for (auto _ : state) {
        call = abi::encode_call(f.fn, f.args);
        benchmark::DoNotOptimize(call.data());
    }
    require(to_hex(keccak256(call)) == kCalldataKeccak, "calldata differs from cast's");
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(call.size()));
}
BENCHMARK(BM_abi_encode_call);

void BM_abi_decode_call(benchmark::State& state) {
    const Fixture f;
    const Bytes call = abi::encode_call(f.fn, f.args);
    std::vector<abi::Value> out;
    for (auto _ : state) {
        auto r = abi::decode_call(f.fn, call);
        require(r.has_value(), "decode failed");
        out = std::move(*r);
        benchmark::DoNotOptimize(out.data());
    }
    require(out == f.args, "decoded values differ from the encoded ones");
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(call.size()));
}
BENCHMARK(BM_abi_decode_call);

void BM_abi_parse_args(benchmark::State& state) {
    const Fixture f;
    const std::vector<abi::Type> types = f.fn.input_types();
    std::vector<abi::Value> out;
    for (auto _ : state) {
        out = abi::parse_args(types, kArgs).value();
        benchmark::DoNotOptimize(out.data());
    }
    require(out == f.args, "parsed values differ");
}
BENCHMARK(BM_abi_parse_args);

}  // namespace
