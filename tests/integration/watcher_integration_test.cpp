#include <gtest/gtest.h>

#include "anvil.hpp"
#include "chain/log_watcher.hpp"
#include "chain/sender.hpp"
#include "fixture_abi.hpp"

namespace sigil::itest {
namespace {

using namespace std::chrono_literals;
using chain::WatchEvent;

/// Emits Stored(sender, key, "hello") from the fixture; key varies the calldata.
chain::TxRequest store(const Address& fixture, std::uint64_t key) {
    Bytes data = *from_hex(fixture::kStore7Hello);
    const Bytes32 word = to_be32(u256(key));
    std::copy(word.begin(), word.end(), data.begin() + 4);
    chain::TxRequest t;
    t.to = fixture;
    t.data = std::move(data);
    return t;
}

std::vector<std::uint64_t> keys_of(const chain::PollResult& r, WatchEvent::Kind kind) {
    std::vector<std::uint64_t> out;
    for (const auto& e : r.events) {
        if (e.kind == kind) out.push_back(static_cast<std::uint64_t>(from_be(as_bytes(e.log.topics[2]))));
    }
    return out;
}

TEST(anvil_watcher, reports_removed_logs_and_replacements_across_a_reorg) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(3);
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337, chain::SenderOptions{20, 10'000ms, 20ms, 5, {}});
    chain::TxRequest deploy;
    deploy.data = fixture_bytecode();
    const auto deployed = sender.send_and_wait(deploy);
    ASSERT_TRUE(deployed) << deployed.error().describe();
    const Address fixture = *deployed->contract_address;

    chain::LogFilter filter;
    filter.addresses = {fixture};
    filter.topics = {{*fixed_from_hex<32>(fixture::kStoredTopic)}};
    chain::LogWatcher watcher(eth, filter, {*eth.block_number() + 1, std::nullopt});

    const auto snapshot = eth.evm_snapshot();
    ASSERT_TRUE(snapshot);
    ASSERT_TRUE(sender.send_and_wait(store(fixture, 1)));
    ASSERT_TRUE(sender.send_and_wait(store(fixture, 2)));
    auto first = watcher.poll();
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(keys_of(*first, WatchEvent::Kind::added), (std::vector<std::uint64_t>{1, 2}));

    // Reorg: back to the snapshot, then a different history (one other event, more blocks).
    ASSERT_TRUE(*eth.evm_revert(*snapshot));
    ASSERT_TRUE(nonces.resync());
    ASSERT_TRUE(eth.anvil_mine(1));
    ASSERT_TRUE(sender.send_and_wait(store(fixture, 3)));
    ASSERT_TRUE(eth.anvil_mine(1));

    auto second = watcher.poll();
    ASSERT_TRUE(second) << second.error().describe();
    ASSERT_TRUE(second->reorg_from.has_value());
    EXPECT_EQ(keys_of(*second, WatchEvent::Kind::removed), (std::vector<std::uint64_t>{2, 1}));
    EXPECT_EQ(keys_of(*second, WatchEvent::Kind::added), (std::vector<std::uint64_t>{3}));
    for (const auto& e : second->events) {
        EXPECT_EQ(e.log.removed, e.kind == WatchEvent::Kind::removed);
    }
    EXPECT_TRUE(watcher.poll()->events.empty());

    // A restarted watcher resumes at its checkpoint and sees only new logs.
    const auto cp = watcher.checkpoint();
    ASSERT_TRUE(sender.send_and_wait(store(fixture, 4)));
    chain::LogWatcher resumed(eth, filter, cp);
    EXPECT_EQ(keys_of(*resumed.poll(), WatchEvent::Kind::added), (std::vector<std::uint64_t>{4}));
}

TEST(anvil_watcher, waits_for_confirmations) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(3);
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337);
    chain::TxRequest deploy;
    deploy.data = fixture_bytecode();
    const Address fixture = *sender.send_and_wait(deploy)->contract_address;
    chain::LogFilter filter;
    filter.addresses = {fixture};
    chain::LogWatcher watcher(eth, filter, {*eth.block_number() + 1, std::nullopt}, chain::WatcherOptions{3, 500, 64});
    ASSERT_TRUE(sender.send_and_wait(store(fixture, 9)));
    EXPECT_TRUE(watcher.poll()->events.empty());
    ASSERT_TRUE(eth.anvil_mine(2));
    EXPECT_TRUE(watcher.poll()->events.empty());
    ASSERT_TRUE(eth.anvil_mine(1));
    EXPECT_EQ(keys_of(*watcher.poll(), WatchEvent::Kind::added), (std::vector<std::uint64_t>{9}));
}

}  // namespace
}  // namespace sigil::itest
