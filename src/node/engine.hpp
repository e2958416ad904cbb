#pragma once
/// The node's main loop: follows the Coordinator's `Requested` logs, decides, runs jobs on the
/// worker pool, and drives each job through delivery (k = 1) or commit and reveal (k > 1), then
/// settlement when the request's finality is after the challenge window.
///
/// Exactly-once: each chain action is preceded by a stored intent (`delivering`, `committing`
/// with its salt, `revealing`, `settling`). A job in an intent state is first reconciled with the
/// chain (getRequest, seatOf, entryOf) and only re-sent when the chain shows our action did not
/// land and the request is still open; a transaction we know of that is still pending is waited
/// for, never replaced.
///
/// Threading: one thread calls start() then step()/run(); the status accessors are safe from any
/// thread (the API reads them).

#include <atomic>
#include <memory>
#include <optional>

#include "chain/eth_client.hpp"
#include "chain/log_watcher.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "node/backend.hpp"
#include "node/bounty_agent.hpp"
#include "node/catalog.hpp"
#include "node/config.hpp"
#include "node/dispute_agent.hpp"
#include "node/generation_agent.hpp"
#include "node/lm_service.hpp"
#include "node/metrics.hpp"
#include "node/outbox.hpp"
#include "node/store.hpp"
#include "node/worker_pool.hpp"

namespace sigil::node {

struct EngineError {
    std::string message;
    /// A transient failure while handling a poll's logs (an RPC the handling needs failed): the
    /// poll is rolled back and its logs are read again next round, never skipped.
    bool retry = false;
};

class Engine {
public:
    /// `clock` and `random` are the node's time (waits, retry times, latencies) and its salts.
    Engine(const NodeConfig& cfg, const chain::PrivateKey& key, const Catalog& catalog, Store& store,
           chain::EthClient& eth, Metrics& metrics, chain::Clock& clock = chain::system_clock(),
           chain::RandomSource& random = chain::system_random());
    ~Engine();

    /// Checks the chain id and that the store belongs to this chain and Coordinator, resumes
    /// from the stored checkpoint (or chain.start_block) and puts jobs that were running back into
    /// the queue.
    Result<void, EngineError> start();
    /// One round: poll logs, collect finished runs, dispatch, act. Returns whether anything
    /// changed. RPC failures are counted and retried on the next round, never fatal.
    Result<bool, EngineError> step();
    /// Rounds until `stop` is set, sleeping `poll_interval_ms` after an idle round.
    Result<void, EngineError> run(const std::atomic<bool>& stop);

    const Address& self() const { return self_; }
    std::uint64_t head() const { return head_.load(); }
    std::uint64_t next_block() const { return next_block_.load(); }
    /// The dispute agents (null without contracts.dispute_game).
    DisputeAgent* agent() { return agent_.get(); }
    /// Serves the generation requests of `lms`'s language models that have prices, and with
    /// contracts.generation_game defends its generation claims (call before start; `lms` outlives
    /// the engine).
    void serve_language_models(const LmService* lms);
    /// Serves the on-chain requests of `backends` that have prices, agreement-checked (call
    /// before start; `backends` outlives the engine).
    void serve_backends(const Backends* backends) { backends_ = backends; }

private:
    /// The store belongs to this chain (id and genesis hash) and this Coordinator: recorded on
    /// first start, and a store of another one is refused (its jobs and checkpoint mean nothing
    /// here).
    Result<void, EngineError> check_deployment(std::uint64_t chain_id);
    /// Where the watcher resumes: the stored checkpoint, or chain.start_block on a fresh store.
    Result<chain::WatchCheckpoint, EngineError> resume_point();
    Result<void, EngineError> poll_logs();
    Result<void, EngineError> on_added(const chain::Log& log);
    Result<void, EngineError> on_removed(const chain::Log& log);
    /// An OffchainClaims ClaimAdopted log: the request's record (for the defender or the
    /// challenger) and, for another operator's claim, the challenger's check.
    Result<void, EngineError> on_adopted(const chain::Log& log);
    /// The record of a request as first seen (state seen).
    JobRecord job_record(const RequestedEvent& ev, const chain::Log& log) const;
    Result<bool, EngineError> collect();
    Result<bool, EngineError> dispatch();
    Result<bool, EngineError> act();
    Result<void, EngineError> advance(JobRecord& j);

    Result<void, EngineError> advance_k1(JobRecord& j, const RequestView& r);
    Result<void, EngineError> advance_commit(JobRecord& j, const RequestView& r);
    Result<void, EngineError> advance_reveal(JobRecord& j, const RequestView& r);
    Result<void, EngineError> advance_settle(JobRecord& j, const RequestView& r);

    /// Sends `data` to the Coordinator for `j` through the outbox's protocol (`j.state` is the
    /// intent, stored first) and adds its gas to the job's.
    Result<SentTx, EngineError> submit(JobRecord& j, const Bytes& data, const char* kind);

    std::optional<RequestView> request_view(const Hash& id);
    std::optional<Address> seat_of(const Hash& id, std::uint64_t seat);
    std::optional<Hash> entry_of(const Hash& id);
    std::uint64_t chain_time();

    Result<void, EngineError> save(const JobRecord& j);
    void retry_later(JobRecord& j, const std::string& why);
    void finish(JobRecord& j, JobState st, const std::string& reason);
    /// Nothing to send yet: look at the job again after one poll interval.
    Result<void, EngineError> check_again(JobRecord& j);
    /// Our transaction for this job is on chain: record the answer time once and finish in `st`.
    void landed(JobRecord& j, JobState st);
    void record_answered(JobRecord& j);
    Claim claim_of(const JobRecord& j) const;

    const NodeConfig& cfg_;
    Address self_;
    const Catalog& catalog_;
    Store& store_;
    chain::EthClient& eth_;
    Metrics& metrics_;
    chain::NonceManager nonces_;
    chain::Sender sender_;
    Outbox outbox_;
    NodeContext ctx_;
    WorkerPool pool_;
    std::unique_ptr<DisputeAgent> agent_;  ///< when contracts.dispute_game is set
    const LmService* lms_ = nullptr;
    const Backends* backends_ = nullptr;
    std::unique_ptr<GenerationAgent> gen_agent_;  ///< with served language models and contracts.generation_game
    std::unique_ptr<BountyAgent> bounty_;  ///< with challenger.mode = "bounty"
    std::unique_ptr<chain::LogWatcher> watcher_;
    chain::LogFilter filter_;  ///< the watcher's (rebuilt from the stored checkpoint after a rolled-back poll)
    std::atomic<std::uint64_t> head_{0};
    std::atomic<std::uint64_t> next_block_{0};
    std::uint64_t chain_time_ = 0;
};

}  // namespace sigil::node
