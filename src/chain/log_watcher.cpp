#include "chain/log_watcher.hpp"

#include <algorithm>

namespace sigil::chain {

LogWatcher::LogWatcher(EthClient& eth, LogFilter filter, WatchCheckpoint start, WatcherOptions options)
    : eth_(eth), filter_(std::move(filter)), options_(options), next_block_(start.next_block) {
    filter_.block_hash.reset();
    if (start.parent_hash && start.next_block > 0) seen_[start.next_block - 1] = Seen{*start.parent_hash, {}};
}

WatchCheckpoint LogWatcher::checkpoint() const {
    WatchCheckpoint cp{next_block_, std::nullopt};
    if (next_block_ == 0) return cp;
    auto it = seen_.find(next_block_ - 1);
    if (it != seen_.end()) cp.parent_hash = it->second.hash;
    return cp;
}

Result<void, RpcError> LogWatcher::unwind_reorg(std::uint64_t head, PollResult& out) {
    // First find the fork point with reads only, then drop the abandoned blocks: an RPC failure
    // midway leaves the watcher as it was, so the next poll finds the same reorg again instead
    // of forgetting blocks whose `removed` events were never delivered.
    std::optional<std::uint64_t> fork;  // lowest abandoned height
    for (auto it = seen_.rbegin(); it != seen_.rend(); ++it) {
        std::optional<BlockHeader> now;
        if (it->first <= head) now = SIGIL_TRY(eth_.get_block(BlockId::number(it->first)));
        // The top remembered block still on the chain means nothing below it changed either
        // (each hash commits to its parent).
        if (now && now->hash == it->second.hash) break;
        fork = it->first;
    }
    if (!fork) return {};
    // Abandoned blocks: report their logs as removed, newest block and log first.
    for (auto it = seen_.rbegin(); it != seen_.rend() && it->first >= *fork; ++it) {
        for (auto log = it->second.logs.rbegin(); log != it->second.logs.rend(); ++log) {
            Log removed = *log;
            removed.removed = true;
            out.events.push_back({WatchEvent::Kind::removed, std::move(removed)});
        }
    }
    seen_.erase(seen_.lower_bound(*fork), seen_.end());
    out.reorg_from = *fork;
    next_block_ = std::min(next_block_, *fork);
    return {};
}

Result<bool, RpcError> LogWatcher::scan(std::uint64_t first, std::uint64_t last, PollResult& out) {
    const auto headers = SIGIL_TRY(eth_.get_blocks(first, last));
    // The new range must extend what we remember, and be internally linked.
    if (first > 0) {
        auto parent = seen_.find(first - 1);
        if (parent != seen_.end() && headers.front().parent_hash != parent->second.hash) return false;
    }
    for (std::size_t i = 1; i < headers.size(); ++i) {
        if (headers[i].parent_hash != headers[i - 1].hash) return false;
    }
    LogFilter f = filter_;
    f.from_block = first;
    f.to_block = last;
    const auto logs = SIGIL_TRY(eth_.get_logs(f));
    std::map<std::uint64_t, Seen> fresh;
    for (const auto& h : headers) fresh[h.number] = Seen{h.hash, {}};
    for (const auto& log : logs) {
        auto it = fresh.find(log.block_number);
        // A log from a block other than the header we fetched: a reorg raced this poll.
        if (it == fresh.end() || it->second.hash != log.block_hash) return false;
        it->second.logs.push_back(log);
    }
    for (auto& [height, seen] : fresh) {
        std::sort(seen.logs.begin(), seen.logs.end(),
                  [](const Log& a, const Log& b) { return a.log_index < b.log_index; });
        for (const auto& log : seen.logs) out.events.push_back({WatchEvent::Kind::added, log});
        seen_[height] = std::move(seen);
    }
    next_block_ = last + 1;
    return true;
}

void LogWatcher::prune() {
    while (seen_.size() > options_.history) seen_.erase(seen_.begin());
}

Result<PollResult, RpcError> LogWatcher::poll() {
    PollResult out;
    out.head = SIGIL_TRY(eth_.block_number());
    SIGIL_TRY_VOID(unwind_reorg(out.head, out));
    if (out.head < options_.confirmations) return out;
    const std::uint64_t confirmed = out.head - options_.confirmations;
    while (next_block_ <= confirmed) {
        const std::uint64_t last =
            std::min(confirmed, next_block_ + std::max<std::uint64_t>(1, options_.max_blocks_per_poll) - 1);
        auto consistent = scan(next_block_, last, out);
        // Each scan changes the watcher only when it succeeds. Once this poll has changed it
        // (a reorg unwound, a range scanned), a later failure must not hide those events: they
        // are returned and the rest is fetched on the next poll.
        if (!consistent) {
            if (out.events.empty() && !out.reorg_from) return ::sigil::fail(consistent.error());
            break;
        }
        if (!*consistent) break;  // retried on the next poll, after unwind_reorg has run
    }
    prune();
    return out;
}

Result<void, RpcError> LogWatcher::run(Clock& clock, std::chrono::milliseconds interval,
                                       const std::function<bool(const PollResult&)>& on_result) {
    for (;;) {
        const auto r = SIGIL_TRY(poll());
        if (!on_result(r)) return {};
        clock.sleep_for(interval);
    }
}

}  // namespace sigil::chain
