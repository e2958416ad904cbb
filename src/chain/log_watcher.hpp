#pragma once
/// Follows a chain's logs: polls new blocks, waits N confirmations, remembers the hashes of the
/// blocks it reported, and on a reorg reports the logs it had reported from the abandoned blocks
/// as `removed` before the replacements as `added`.
///
/// Reorg detection: the hash of the highest remembered block is compared with the chain's block
/// at that height; on a mismatch the watcher walks back to the highest height whose hash still
/// matches (the fork point). New ranges must link to the remembered parent hash, and every log
/// must carry the hash of the header fetched for its block, so a reorg racing a poll is caught
/// and that range is simply fetched again on the next poll.
///
/// Resuming: construct with the first block not yet processed (and, when known, the hash of the
/// block before it, so a reorg that happened while stopped is detected). `checkpoint()` gives
/// both values to persist. Not thread-safe: one thread polls.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "chain/clock.hpp"
#include "chain/eth_client.hpp"

namespace sigil::chain {

struct WatcherOptions {
    std::uint64_t confirmations = 0;          ///< report a block once `confirmations` blocks are on top of it
    std::uint64_t max_blocks_per_poll = 500;  ///< range cap for one eth_getLogs
    std::uint64_t history = 256;              ///< remembered blocks (deepest reorg with removed logs)
};

struct WatchEvent {
    enum class Kind { added, removed };
    Kind kind = Kind::added;
    Log log;
};

struct PollResult {
    std::vector<WatchEvent> events;
    /// Set when a reorg was seen: the first height whose block was replaced.
    std::optional<std::uint64_t> reorg_from;
    /// The chain head seen by this poll.
    std::uint64_t head = 0;
};

/// Where to resume after a restart.
struct WatchCheckpoint {
    std::uint64_t next_block = 0;
    std::optional<Hash> parent_hash;  ///< hash of block next_block - 1, if any was processed
};

class LogWatcher {
public:
    /// `filter`'s addresses and topics select the logs; its block fields are ignored.
    LogWatcher(EthClient& eth, LogFilter filter, WatchCheckpoint start, WatcherOptions options = {});

    /// One step: detect reorgs, then fetch confirmed blocks not yet processed.
    Result<PollResult, RpcError> poll();

    /// Polls every `interval` until `on_result` returns false or a poll fails.
    Result<void, RpcError> run(Clock& clock, std::chrono::milliseconds interval,
                               const std::function<bool(const PollResult&)>& on_result);

    WatchCheckpoint checkpoint() const;

private:
    struct Seen {
        Hash hash{};
        std::vector<Log> logs;
    };

    Result<void, RpcError> unwind_reorg(std::uint64_t head, PollResult& out);
    Result<bool, RpcError> scan(std::uint64_t first, std::uint64_t last, PollResult& out);
    void prune();

    EthClient& eth_;
    LogFilter filter_;
    WatcherOptions options_;
    std::uint64_t next_block_;
    std::map<std::uint64_t, Seen> seen_;  ///< processed blocks by height, oldest first
};

}  // namespace sigil::chain
