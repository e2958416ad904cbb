#pragma once
/// The node's durable state in SQLite (WAL, synchronous=FULL): the watcher checkpoint, jobs and
/// off-chain jobs. Callers group a poll's job changes and the new checkpoint in one transaction,
/// so after a crash the stored checkpoint never runs ahead of the stored jobs.
///
/// Thread-safe: one connection behind a mutex.

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chain/log_watcher.hpp"
#include "core/result.hpp"
#include "node/bounty_record.hpp"
#include "node/dispute_record.hpp"
#include "node/job.hpp"

struct sqlite3;

namespace sigil::node {

struct StoreError {
    std::string message;  ///< SQLite's message with the statement that failed
    /// "store: <message>", as the engine and the agents report it.
    std::string describe() const { return "store: " + message; }
};

class Store {
public:
    /// Opens (creating if needed) `<dir>/node.db`.
    static Result<std::unique_ptr<Store>, StoreError> open(const std::filesystem::path& dir);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// Runs `fn` inside one transaction (committed when it returns success, rolled back otherwise).
    Result<void, StoreError> transaction(const std::function<Result<void, StoreError>()>& fn);

    Result<std::optional<chain::WatchCheckpoint>, StoreError> checkpoint();
    Result<void, StoreError> set_checkpoint(const chain::WatchCheckpoint& c);

    Result<std::optional<JobRecord>, StoreError> job(const Hash& id);
    /// Inserts or replaces the job with `j.id`.
    Result<void, StoreError> put_job(const JobRecord& j);
    Result<std::vector<JobRecord>, StoreError> jobs_in(const std::vector<JobState>& states);
    Result<std::map<JobState, std::uint64_t>, StoreError> state_counts();
    /// Jobs with a chain action ahead: computed, an intent state, committed, or answered with
    /// finality after the window (settlement is ours to do).
    Result<std::vector<JobRecord>, StoreError> active_jobs();

    /// Off-chain jobs: their JSON document by id. Returns once the document is durable; documents
    /// put concurrently are committed together (group commit: one WAL sync for the batch).
    Result<void, StoreError> put_offchain(const std::string& id, const std::string& json);
    Result<std::optional<std::string>, StoreError> offchain(const std::string& id);

    /// A counter of the dispute agents in the meta table (0 when absent): `games_scanned` (next
    /// game id to look at), `claims_next_block` (the challenger's log cursor).
    Result<std::uint64_t, StoreError> meta_u64(const std::string& key);
    Result<void, StoreError> set_meta_u64(const std::string& key, std::uint64_t v);
    /// A blob in the meta table (nullopt when absent): the bounty verifier's `verifier_register_tx`.
    Result<std::optional<Bytes>, StoreError> meta_blob(const std::string& key);
    /// Stores `v`; nullopt deletes the key.
    Result<void, StoreError> set_meta_blob(const std::string& key, const std::optional<Bytes>& v);

    Result<void, StoreError> put_game(const GameRecord& g);
    Result<std::optional<GameRecord>, StoreError> game(std::uint64_t game_id);
    /// Games by state (all when `state` is none), by id.
    Result<std::vector<GameRecord>, StoreError> games(std::optional<GameState> state);

    Result<void, StoreError> put_challenge(const ChallengeRecord& c);
    Result<std::optional<ChallengeRecord>, StoreError> challenge(const Hash& id, const Address& op);
    Result<std::vector<ChallengeRecord>, StoreError> challenges_in(const std::vector<ClaimCheck>& states);

    /// The bounty verifier's records, by request id.
    Result<void, StoreError> put_bounty(const BountyRecord& b);

    /// Any record with a transaction protocol (the outbox stores them by type).
    Result<void, StoreError> put(const JobRecord& j) { return put_job(j); }
    Result<void, StoreError> put(const GameRecord& g) { return put_game(g); }
    Result<void, StoreError> put(const ChallengeRecord& c) { return put_challenge(c); }
    Result<void, StoreError> put(const BountyRecord& b) { return put_bounty(b); }
    Result<std::optional<BountyRecord>, StoreError> bounty(const Hash& id);
    Result<std::vector<BountyRecord>, StoreError> bounties_in(const std::vector<BountyTrack>& tracks);

private:
    explicit Store(sqlite3* db) : db_(db) {}
    Result<void, StoreError> exec(const char* sql);

    std::recursive_mutex mu_;
    sqlite3* db_;

    // put_offchain's group commit: documents queued by ticket, the tickets written so far, and
    // the failed ones' errors (until their caller takes them).
    struct PendingDoc {
        std::uint64_t ticket = 0;
        std::string id, json;
    };
    std::mutex group_mu_;
    std::condition_variable group_cv_;
    std::vector<PendingDoc> group_pending_;
    std::uint64_t group_next_ = 0, group_done_ = 0;
    bool group_writing_ = false;
    std::map<std::uint64_t, StoreError> group_failed_;
};

}  // namespace sigil::node
