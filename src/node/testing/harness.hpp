#pragma once
/// What the engine's and the agents' unit tests share: a scratch directory, a one-model catalog
/// of the sample MLP, and the chain side of a node (an in-memory chain, its JSON-RPC client, a
/// manual clock, a seeded random source, a sender and an outbox over a store).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "chain/testing/manual_clock.hpp"
#include "chain/testing/seeded_random.hpp"
#include "core/ir/codec.hpp"
#include "node/catalog.hpp"
#include "node/outbox.hpp"
#include "node/testing/fake_chain.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node::testing {

/// Anvil's well-known development keys (never funded anywhere else).
inline constexpr const char* kDevKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr const char* kDevKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
inline constexpr const char* kDevKey2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

/// A fresh directory under the system's temporary directory, removed with the object.
struct TempDir {
    explicit TempDir(const std::string& name)
        : path(std::filesystem::temp_directory_path() / ("sigil-node-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path path;
};

/// The sample MLP written to `dir`/m.sigil and loaded as a one-model catalog with `prices`.
inline Catalog sample_catalog(const std::filesystem::path& dir, std::vector<PriceFloor> prices = {}) {
    const Bytes prog = ir::save_program(runtime::sample_mlp(1, 7));
    std::ofstream(dir / "m.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));
    ModelConfig mc;
    mc.program = dir / "m.sigil";
    mc.prices = std::move(prices);
    return Catalog::load({mc}).value();
}

/// A 32-byte word as bytes (what a view returns).
inline Bytes word_bytes(const Hash& h) { return Bytes(h.begin(), h.end()); }

/// The chain side of one node in a unit test. `outbox_over` builds the outbox the agents take.
struct ChainHarness {
    explicit ChainHarness(const char* key_hex) : key(*chain::PrivateKey::from_hex(key_hex)), chain(key.address()) {}

    /// A sender (receipts polled every 10 ms of the manual clock) and an outbox over `store`.
    Outbox& outbox_over(Store& store) {
        chain::SenderOptions o;
        o.receipt_poll = std::chrono::milliseconds(10);
        sender = std::make_unique<chain::Sender>(eth, key, nonces, 31337, o, clock);
        outbox = std::make_unique<Outbox>(eth, *sender, store, metrics, clock, random);
        return *outbox;
    }
    Address self() const { return key.address(); }

    chain::PrivateKey key;
    FakeChain chain;
    chain::RpcClient rpc{chain.node};
    chain::EthClient eth{rpc};
    chain::NonceManager nonces{eth, key.address()};
    chain::testing::ManualClock clock;
    chain::testing::SeededRandom random{7};
    Metrics metrics;
    std::unique_ptr<chain::Sender> sender;
    std::unique_ptr<Outbox> outbox;
};

}  // namespace sigil::node::testing
