#include "chain/log_watcher.hpp"

#include <gtest/gtest.h>

#include "chain/testing/fake_node.hpp"
#include "core/keccak.hpp"

namespace sigil::chain {
namespace {

using testing::FakeNode;

/// A toy chain behind a FakeNode: blocks with hashes, parent links and logs; `fork` replaces
/// the tail to simulate a reorg.
class ToyChain {
public:
    struct Block {
        Hash hash{};
        Hash parent{};
        std::vector<std::string> log_tags;  ///< one log per tag, its data = the tag
    };

    explicit ToyChain(FakeNode& node) {
        blocks_.push_back(make(Hash{}, {}, "genesis"));
        node.on("eth_blockNumber", [this](const Json&) {
            std::lock_guard lock(mu_);
            return Json(to_hex_quantity(u256(blocks_.size() - 1)));
        });
        node.on("eth_getBlockByNumber", [this](const Json& p) -> Json {
            std::lock_guard lock(mu_);
            const auto n = static_cast<std::size_t>(*parse_u256(p[0].get<std::string>()));
            if (fail_block_lookups > 0 && n == fail_block_at) {
                --fail_block_lookups;
                return FakeNode::error_response(-32000, "block not found");
            }
            if (n >= blocks_.size()) return nullptr;
            return Json{{"number", p[0]},
                        {"hash", to_hex(blocks_[n].hash)},
                        {"parentHash", to_hex(blocks_[n].parent)},
                        {"timestamp", "0x0"}};
        });
        node.on("eth_getLogs", [this](const Json& p) {
            std::lock_guard lock(mu_);
            ++get_logs_calls;
            const auto from = static_cast<std::size_t>(*parse_u256(p[0]["fromBlock"].get<std::string>()));
            const auto to = static_cast<std::size_t>(*parse_u256(p[0]["toBlock"].get<std::string>()));
            Json out = Json::array();
            for (std::size_t n = from; n <= to && n < blocks_.size(); ++n) {
                std::uint64_t index = 0;
                for (const auto& tag : blocks_[n].log_tags) {
                    const Hash block_hash =
                        stale_hash_for_next_get_logs ? keccak256(std::string_view("stale")) : blocks_[n].hash;
                    out.push_back({{"address", "0x00000000000000000000000000000000000000aa"},
                                   {"topics", Json::array()},
                                   {"data", to_hex(as_bytes(std::string_view(tag)))},
                                   {"blockNumber", to_hex_quantity(u256(n))},
                                   {"blockHash", to_hex(block_hash)},
                                   {"transactionHash", to_hex(keccak256(std::string_view(tag)))},
                                   {"logIndex", to_hex_quantity(u256(index++))},
                                   {"removed", false}});
                }
            }
            stale_hash_for_next_get_logs = false;
            return out;
        });
    }

    void mine(std::vector<std::string> tags, const std::string& salt = "") {
        std::lock_guard lock(mu_);
        blocks_.push_back(make(blocks_.back().hash, std::move(tags), salt));
    }
    /// Drops blocks above `height`.
    void rewind(std::size_t height) {
        std::lock_guard lock(mu_);
        blocks_.resize(height + 1);
    }
    Hash hash_at(std::size_t n) {
        std::lock_guard lock(mu_);
        return blocks_.at(n).hash;
    }

    int get_logs_calls = 0;
    bool stale_hash_for_next_get_logs = false;
    /// The next `fail_block_lookups` lookups of block `fail_block_at` answer with an RPC error.
    int fail_block_lookups = 0;
    std::size_t fail_block_at = 0;

private:
    Block make(const Hash& parent, std::vector<std::string> tags, const std::string& salt) {
        std::string seed = to_hex(parent) + salt;
        for (const auto& t : tags) seed += "|" + t;
        return Block{keccak256(std::string_view(seed)), parent, std::move(tags)};
    }

    std::mutex mu_;
    std::vector<Block> blocks_;
};

std::vector<std::string> tags_of(const PollResult& r, WatchEvent::Kind kind) {
    std::vector<std::string> out;
    for (const auto& e : r.events) {
        if (e.kind == kind) out.emplace_back(e.log.data.begin(), e.log.data.end());
    }
    return out;
}

struct Env {
    std::shared_ptr<FakeNode> node = std::make_shared<FakeNode>();
    RpcClient rpc{node};
    EthClient eth{rpc};
    ToyChain chain{*node};
};

using V = std::vector<std::string>;

TEST(log_watcher, reports_logs_once_in_order) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt});
    env.chain.mine({"a", "b"});
    env.chain.mine({});
    env.chain.mine({"c"});
    auto r = w.poll();
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"a", "b", "c"}));
    EXPECT_FALSE(r->reorg_from);
    EXPECT_TRUE(w.poll()->events.empty());
    EXPECT_EQ(w.checkpoint().next_block, 4u);
}

TEST(log_watcher, waits_for_confirmations) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt}, WatcherOptions{2, 500, 64});
    env.chain.mine({"a"});
    EXPECT_TRUE(w.poll()->events.empty());
    env.chain.mine({"b"});
    EXPECT_TRUE(w.poll()->events.empty());
    env.chain.mine({});
    EXPECT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"a"}));
    env.chain.mine({});
    EXPECT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"b"}));
}

TEST(log_watcher, reorg_reports_removed_then_replacements) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt});
    env.chain.mine({"a"});
    env.chain.mine({"b"});
    env.chain.mine({"c"});
    ASSERT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"a", "b", "c"}));
    // Blocks 2 and 3 are replaced by a longer branch.
    env.chain.rewind(1);
    env.chain.mine({"b2"}, "fork");
    env.chain.mine({});
    env.chain.mine({"d"});
    auto r = w.poll();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->reorg_from, 2u);
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::removed), (V{"c", "b"}));
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"b2", "d"}));
    for (const auto& e : r->events) EXPECT_EQ(e.log.removed, e.kind == WatchEvent::Kind::removed);
    // Removed events come before the replacements.
    EXPECT_EQ(r->events.front().kind, WatchEvent::Kind::removed);
}

TEST(log_watcher, reorg_to_a_shorter_chain) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt});
    env.chain.mine({"a"});
    env.chain.mine({"b"});
    ASSERT_EQ(w.poll()->events.size(), 2u);
    env.chain.rewind(0);
    env.chain.mine({"x"}, "fork");
    auto r = w.poll();
    EXPECT_EQ(r->reorg_from, 1u);
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::removed), (V{"b", "a"}));
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"x"}));
}

TEST(log_watcher, a_reorg_racing_the_poll_is_retried_not_reported_wrong) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt});
    env.chain.mine({"a"});
    env.chain.stale_hash_for_next_get_logs = true;  // logs from another branch than the headers
    auto r = w.poll();
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->events.empty());
    EXPECT_EQ(w.checkpoint().next_block, 1u);
    EXPECT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"a"}));
}

TEST(log_watcher, resumes_from_checkpoint_and_detects_reorg_while_stopped) {
    Env env;
    env.chain.mine({"a"});
    env.chain.mine({"b"});
    WatchCheckpoint cp;
    {
        LogWatcher w(env.eth, {}, {1, std::nullopt});
        ASSERT_EQ(w.poll()->events.size(), 2u);
        cp = w.checkpoint();
    }
    EXPECT_EQ(cp.next_block, 3u);
    EXPECT_EQ(cp.parent_hash, env.chain.hash_at(2));
    env.chain.mine({"c"});
    {
        LogWatcher w(env.eth, {}, cp);
        EXPECT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"c"}));
    }
    // Block 3 replaced while no watcher ran: the resumed watcher sees the fork and rescans.
    LogWatcher w(env.eth, {}, {4, env.chain.hash_at(3)});
    env.chain.rewind(2);
    env.chain.mine({"c2"}, "fork");
    auto r = w.poll();
    EXPECT_EQ(r->reorg_from, 3u);
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"c2"}));
}

TEST(log_watcher, a_poll_failing_midway_through_a_reorg_loses_no_removed_event) {
    Env env;
    LogWatcher w(env.eth, {}, {1, std::nullopt});
    env.chain.mine({"a"});
    env.chain.mine({"b"});
    env.chain.mine({"c"});
    ASSERT_EQ(w.poll()->events.size(), 3u);
    // Blocks 2 and 3 are replaced; looking up block 2 fails once, after block 3 was found
    // abandoned (an RPC error racing a revert).
    env.chain.rewind(1);
    env.chain.mine({"b2"}, "fork");
    env.chain.mine({"c2"});
    env.chain.fail_block_at = 2;
    env.chain.fail_block_lookups = 1;
    EXPECT_FALSE(w.poll());
    auto r = w.poll();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->reorg_from, 2u);
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::removed), (V{"c", "b"}));
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"b2", "c2"}));
}

TEST(log_watcher, a_range_failing_after_another_was_scanned_keeps_the_first_ranges_events) {
    Env env;
    for (int i = 0; i < 6; ++i) env.chain.mine({std::to_string(i)});
    LogWatcher w(env.eth, {}, {1, std::nullopt}, WatcherOptions{0, 3, 64});
    // Headers of the second range (blocks 4..6) cannot be fetched this time.
    int failures = 1;  // FakeNode copies handlers per call: the count lives out here
    env.node->on("eth_getBlockByNumber", [&](const Json& p) -> Json {
        const auto height = static_cast<std::size_t>(*parse_u256(p[0].get<std::string>()));
        if (height >= 4 && failures > 0 && failures--) return FakeNode::error_response(-32000, "header not found");
        return Json{{"number", p[0]},
                    {"hash", to_hex(env.chain.hash_at(height))},
                    {"parentHash", to_hex(height == 0 ? Hash{} : env.chain.hash_at(height - 1))},
                    {"timestamp", "0x0"}};
    });
    auto r = w.poll();
    ASSERT_TRUE(r);
    EXPECT_EQ(tags_of(*r, WatchEvent::Kind::added), (V{"0", "1", "2"}));
    EXPECT_EQ(w.checkpoint().next_block, 4u);
    EXPECT_EQ(tags_of(*w.poll(), WatchEvent::Kind::added), (V{"3", "4", "5"}));
}

TEST(log_watcher, splits_long_ranges) {
    Env env;
    for (int i = 0; i < 10; ++i) env.chain.mine({std::to_string(i)});
    LogWatcher w(env.eth, {}, {1, std::nullopt}, WatcherOptions{0, 3, 64});
    EXPECT_EQ(w.poll()->events.size(), 10u);
    EXPECT_EQ(env.chain.get_logs_calls, 4);
}

}  // namespace
}  // namespace sigil::chain
