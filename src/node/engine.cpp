#include "node/engine.hpp"

#include <algorithm>
#include <chrono>

#include "bindings/coordinator.hpp"
#include "chain/rpc_error.hpp"
#include "core/keccak.hpp"
#include "node/log.hpp"
#include "runtime/lm/onchain.hpp"

namespace sigil::node {

namespace {

EngineError store_error(const StoreError& e) { return EngineError{e.describe()}; }

std::string hex(const Hash& h) { return to_hex(h); }

const char* status_name(RequestStatus s) {
    switch (s) {
        case RequestStatus::none: return "none";
        case RequestStatus::open: return "open";
        case RequestStatus::answered: return "answered";
        case RequestStatus::conflict: return "conflict";
        case RequestStatus::disputed: return "disputed";
        case RequestStatus::settled: return "settled";
        case RequestStatus::refunded: return "refunded";
        case RequestStatus::refuted: return "refuted";
    }
    return "unknown";
}

/// The store's meta key of the chain and deployment it belongs to.
constexpr const char* kDeploymentKey = "deployment";

/// The engine's transactions go to the Coordinator.
const TxChannel kJobChannel{"transaction", &revert_name};

/// Receipts are polled often: on a local chain the receipt is there within milliseconds, and the
/// poll interval is part of every delivery's latency.
chain::SenderOptions sender_options() {
    chain::SenderOptions o;
    o.receipt_poll = std::chrono::milliseconds(10);
    return o;
}

chain::WatcherOptions watcher_options(const NodeConfig& cfg) {
    chain::WatcherOptions o;
    o.confirmations = cfg.chain.confirmations;
    return o;
}

}  // namespace

Engine::Engine(const NodeConfig& cfg, const chain::PrivateKey& key, const Catalog& catalog, Store& store,
               chain::EthClient& eth, Metrics& metrics, chain::Clock& clock, chain::RandomSource& random)
    : cfg_(cfg),
      self_(key.address()),
      catalog_(catalog),
      store_(store),
      eth_(eth),
      metrics_(metrics),
      nonces_(eth, key.address()),
      sender_(eth, key, nonces_, cfg.chain.chain_id, sender_options(), clock),
      outbox_(eth, sender_, store, metrics, clock, random),
      ctx_{cfg, self_, catalog, store, outbox_},
      pool_(cfg.node.workers, cfg.node.max_pending) {
    if (cfg.contracts.dispute_game != Address{}) {
        agent_ = std::make_unique<DisputeAgent>(ctx_);
        if (cfg.challenger.mode == ChallengeMode::bounty) bounty_ = std::make_unique<BountyAgent>(ctx_, *agent_);
    }
}

Engine::~Engine() = default;

void Engine::serve_language_models(const LmService* lms) {
    lms_ = lms;
    if (lms != nullptr && cfg_.contracts.generation_game != Address{}) {
        gen_agent_ = std::make_unique<GenerationAgent>(ctx_, *lms);
        if (agent_) {
            agent_->set_generation_checker([this](ChallengeRecord& c, const JobRecord& j, const Claim& theirs) {
                return gen_agent_->check_claim(c, j, theirs);
            });
        }
    }
}

Result<void, EngineError> Engine::start() {
    auto id = eth_.chain_id();
    if (!id) return fail(EngineError{"chain.rpc_url: eth_chainId failed: " + id.error().describe()});
    if (*id != cfg_.chain.chain_id) {
        return fail(EngineError{"chain.chain_id: configured " + std::to_string(cfg_.chain.chain_id) +
                                " but the node at chain.rpc_url reports " + std::to_string(*id)});
    }
    SIGIL_TRY_VOID(check_deployment(*id));
    const chain::WatchCheckpoint start = SIGIL_TRY(resume_point());
    chain::LogFilter filter;
    filter.addresses = {cfg_.contracts.coordinator};
    filter.topics = {{requested_topic()}};
    if (agent_) {
        auto started = agent_->start();
        if (!started) return fail(EngineError{started.error()});
        // The challenger reads other operators' claims from the same watcher (and checkpoint);
        // with conflicts on, the other seats' reveals too.
        if (cfg_.challenger.mode != ChallengeMode::off) {
            filter.topics = {{requested_topic(), delivered_topic(), revealed_topic()}};
        } else if (cfg_.challenger.conflicts) {
            filter.topics = {{requested_topic(), revealed_topic()}};
        }
        // Adopted signed claims: ours to defend, others' to check.
        if (const auto& oc = agent_->offchain_claims()) {
            filter.addresses.push_back(*oc);
            filter.topics[0].push_back(claim_adopted_topic());
        }
    }
    if (bounty_) {
        // Bounties come through the same watcher, in block order after their requests.
        auto started = bounty_->start();
        if (!started) return fail(EngineError{started.error()});
        filter.addresses.push_back(cfg_.contracts.proof_market);
        filter.topics[0].push_back(bounty_posted_topic());
    }
    filter_ = filter;
    watcher_ = std::make_unique<chain::LogWatcher>(eth_, filter, start, watcher_options(cfg_));
    next_block_ = start.next_block;
    auto running = store_.jobs_in({JobState::running});
    if (!running) return fail(store_error(running.error()));
    for (auto& j : *running) {
        j.state = JobState::seen;
        SIGIL_TRY_VOID(save(j));
    }
    log_json(LogLevel::info, "node started",
             {{"operator", to_checksum(self_)}, {"chain_id", *id}, {"next_block", start.next_block},
              {"requeued", running->size()}});
    return {};
}

Result<chain::WatchCheckpoint, EngineError> Engine::resume_point() {
    auto stored = store_.checkpoint();
    if (!stored) return fail(store_error(stored.error()));
    return stored->has_value() ? **stored : chain::WatchCheckpoint{cfg_.chain.start_block, std::nullopt};
}

Result<void, EngineError> Engine::check_deployment(std::uint64_t chain_id) {
    auto genesis = eth_.get_block(chain::BlockId::number(0));
    if (!genesis || !genesis->has_value()) {
        return fail(EngineError{"chain.rpc_url: the genesis block could not be read (" +
                                (genesis ? std::string("not found") : genesis.error().describe()) + ")"});
    }
    // chain id (8 bytes, big-endian) || genesis hash || Coordinator address
    Bytes now;
    for (int i = 7; i >= 0; --i) now.push_back(static_cast<std::uint8_t>(chain_id >> (8 * i)));
    now.insert(now.end(), (*genesis)->hash.begin(), (*genesis)->hash.end());
    now.insert(now.end(), cfg_.contracts.coordinator.begin(), cfg_.contracts.coordinator.end());
    auto stored = store_.meta_blob(kDeploymentKey);
    if (!stored) return fail(store_error(stored.error()));
    if (!stored->has_value()) {
        if (auto r = store_.set_meta_blob(kDeploymentKey, now); !r) return fail(store_error(r.error()));
        return {};
    }
    if (**stored == now) return {};
    const auto describe = [](BytesView b) {
        if (b.size() != 8 + 32 + 20) return std::string("unreadable");
        std::uint64_t id = 0;
        for (std::size_t i = 0; i < 8; ++i) id = (id << 8) | b[i];
        Address c{};
        std::copy(b.begin() + 40, b.end(), c.begin());
        return "chain id " + std::to_string(id) + ", genesis " + to_hex(b.subspan(8, 32)) + ", coordinator " +
               to_checksum(c);
    };
    return fail(EngineError{"node.data_dir: the store belongs to another chain or deployment (" + describe(**stored) +
                            "; now " + describe(now) +
                            "). Start with an empty node.data_dir, or point the node at the chain and "
                            "Coordinator it was used with"});
}

Result<bool, EngineError> Engine::step() {
    chain_time_ = chain_time();
    SIGIL_TRY_VOID(poll_logs());
    bool busy = SIGIL_TRY(collect());
    busy = SIGIL_TRY(dispatch()) || busy;
    busy = SIGIL_TRY(act()) || busy;
    if (agent_) {
        auto played = agent_->step(chain_time_);
        if (!played) return fail(EngineError{played.error()});
        busy = *played || busy;
    }
    if (gen_agent_) {
        auto played = gen_agent_->step(chain_time_);
        if (!played) return fail(EngineError{played.error()});
        busy = *played || busy;
    }
    if (bounty_) {
        auto done = bounty_->step(chain_time_);
        if (!done) return fail(EngineError{done.error()});
        busy = *done || busy;
    }
    return busy;
}

Result<void, EngineError> Engine::run(const std::atomic<bool>& stop) {
    while (!stop.load()) {
        const bool busy = SIGIL_TRY(step());
        if (!busy) outbox_.clock().sleep_for(std::chrono::milliseconds(cfg_.chain.poll_interval_ms));
    }
    return {};
}

std::uint64_t Engine::chain_time() {
    auto b = eth_.get_block(chain::BlockId::latest());
    if (!b || !b->has_value()) {
        metrics_.rpc_error(b ? "not_found" : std::string(chain::to_string(b.error().kind)));
        return chain_time_;
    }
    return (*b)->timestamp;
}

Result<void, EngineError> Engine::save(const JobRecord& j) {
    auto r = store_.put_job(j);
    if (!r) return fail(store_error(r.error()));
    return {};
}

Result<void, EngineError> Engine::poll_logs() {
    auto r = watcher_->poll();
    if (!r) {
        outbox_.rpc_failed(r.error());
        log_json(LogLevel::warn, "log poll failed", {{"error", r.error().describe()}});
        return {};
    }
    head_ = r->head;
    if (r->events.empty() && watcher_->checkpoint().next_block == next_block_.load()) return {};
    if (r->reorg_from) log_json(LogLevel::warn, "reorg", {{"from_block", *r->reorg_from}});
    EngineError inner;
    auto tx = store_.transaction([&]() -> Result<void, StoreError> {
        for (const auto& ev : r->events) {
            auto done = ev.kind == chain::WatchEvent::Kind::added ? on_added(ev.log) : on_removed(ev.log);
            if (!done) {
                inner = done.error();
                return fail(StoreError{inner.message});
            }
        }
        return store_.set_checkpoint(watcher_->checkpoint());
    });
    if (!tx && inner.retry) {
        // Nothing of this poll was stored: read the same logs again from the stored checkpoint.
        log_json(LogLevel::warn, "poll rolled back", {{"why", inner.message}, {"next_block", next_block_.load()}});
        watcher_ = std::make_unique<chain::LogWatcher>(eth_, filter_, SIGIL_TRY(resume_point()), watcher_options(cfg_));
        return {};
    }
    // The watcher already moved on in memory; a failed write is unrecoverable for this process
    // (a restart resumes from the stored checkpoint).
    if (!tx) return fail(EngineError{tx.error().message});
    next_block_ = watcher_->checkpoint().next_block;
    return {};
}

Result<void, EngineError> Engine::on_added(const chain::Log& log) {
    if (agent_ && !log.topics.empty() && log.topics[0] == claim_adopted_topic()) return on_adopted(log);
    if (bounty_ && log.address == cfg_.contracts.proof_market) {
        auto r = bounty_->on_log(log);
        if (!r) return fail(EngineError{r.error()});
        return {};
    }
    if (agent_ && !log.topics.empty() && log.topics[0] != requested_topic()) {
        auto r = agent_->on_claim_log(log);
        if (!r) return fail(EngineError{r.error()});
        return {};
    }
    auto ev = decode_requested(log);
    if (!ev) {
        log_json(LogLevel::warn, "undecodable Requested log", {{"tx", hex(log.transaction_hash)}});
        return {};
    }
    auto existing = store_.job(ev->id);
    if (!existing) return fail(store_error(existing.error()));
    if (existing->has_value() && (*existing)->state != JobState::removed) return {};
    JobRecord j = job_record(*ev, log);
    auto counts = store_.state_counts();
    if (!counts) return fail(store_error(counts.error()));
    std::size_t pending = 0;
    for (const JobState s : {JobState::seen, JobState::running, JobState::computed}) pending += (*counts)[s];
    ServePolicy policy{&catalog_, self_, cfg_.node.allow_consumers, cfg_.node.max_pending, lms_, backends_};
    // A node that serves nothing (a challenger) only needs the request's input to re-execute the
    // claims posted for it: prices, consumers and capacity are not its business.
    auto judge = [&]() -> std::optional<SkipReason> {
        if (cfg_.challenger.serve) return decide(*ev, policy, pending, chain_time_);
        const ServedModel* m = catalog_.find(ev->model_root);
        if (m == nullptr) return SkipReason::model_not_served;
        if (ev->input.empty()) return SkipReason::input_missing;
        if (ev->input.size() != m->input_bytes) return SkipReason::input_size;
        return std::nullopt;
    };
    auto skip = judge();
    std::string detail;
    if (!skip && !cfg_.challenger.serve) skip = SkipReason::challenger_only;
    if (skip == SkipReason::input_missing && ev->input_uri.empty() && ev->subscription != 0) {
        // A subscription interval: its input (or URI) is in the subscription's Subscribed log.
        chain::LogFilter f;
        f.from_block = cfg_.chain.start_block;
        f.to_block = log.block_number;
        f.addresses = {cfg_.contracts.coordinator};
        f.topics = {{subscribed_topic()}, {to_be32(ev->subscription)}};
        auto logs = eth_.get_logs(f);
        if (!logs) {
            // The interval stays unread until its input is found: roll the poll back.
            outbox_.rpc_failed(logs.error());
            return fail(EngineError{
                "looking up the input of subscription " + to_dec(ev->subscription) + ": " + logs.error().describe(),
                true});
        }
        for (const auto& l : *logs) {
            auto sub = decode_subscribed(l);
            if (!sub || sub->subscription != ev->subscription) continue;
            if (!sub->input.empty() && keccak256(sub->input) != ev->input_hash) {
                skip = SkipReason::input_mismatch;
                detail = "the subscription's input does not have the job's inputHash";
                break;
            }
            ev->input = sub->input;
            ev->input_uri = sub->input_uri;
            j.input = ev->input;
            skip = judge();
            break;
        }
    }
    if (skip == SkipReason::input_missing) {
        // Input by commitment and URI only: fetch it, check its root, then decide again.
        skip = resolve_input(*ev, catalog_, FetchLimits{}, detail);
        if (!skip) {
            j.input = ev->input;
            skip = judge();
        }
    }
    if (!skip && !cfg_.challenger.serve) skip = SkipReason::challenger_only;
    if (skip) {
        j.state = JobState::skipped;
        j.reason = std::string(to_string(*skip));
    }
    log_json(LogLevel::info, "request", {{"id", hex(j.id)}, {"k", j.k}, {"block", j.block_number},
                                         {"state", to_string(j.state)}, {"reason", j.reason}, {"detail", detail}});
    return save(j);
}

JobRecord Engine::job_record(const RequestedEvent& ev, const chain::Log& log) const {
    JobRecord j;
    j.id = ev.id;
    j.job = ev.job;
    j.input = ev.input;
    j.consumer = ev.consumer;
    j.model_root = ev.model_root;
    j.k = ev.k;
    j.after_window = ev.after_window;
    j.created_at = ev.created_at;
    j.deadline = std::uint64_t{ev.created_at} + ev.ttl;
    j.commit_end = std::uint64_t{ev.created_at} + ev.commit_window;
    j.block_number = log.block_number;
    j.seen_ms = outbox_.now_ms();
    return j;
}

Result<void, EngineError> Engine::on_adopted(const chain::Log& log) {
    const auto& oc = agent_->offchain_claims();
    auto a = oc && log.address == *oc ? decode_claim_adopted(log) : std::nullopt;
    if (!a) {
        log_json(LogLevel::warn, "undecodable ClaimAdopted log", {{"tx", hex(log.transaction_hash)}});
        return {};
    }
    auto existing = store_.job(a->request.id);
    if (!existing) return fail(store_error(existing.error()));
    if (existing->has_value() && (*existing)->state != JobState::removed) return {};
    // Already answered by the adopted claim: nothing to serve. The record gives the defender (our
    // claim) or the challenger (another operator's) the job and its input.
    JobRecord j = job_record(a->request, log);
    j.state = JobState::skipped;
    j.reason = "adopted";
    j.final_at = j.deadline;
    if (a->posted.op == self_) {
        j.output = a->posted.claim.output;
        j.output_root = a->posted.claim.output_root;
        j.trace_root = a->posted.claim.trace_root;
        j.steps = a->posted.claim.steps;
        j.input_root = a->posted.claim.input_root;
    }
    log_json(LogLevel::info, "adopted claim",
             {{"id", hex(j.id)}, {"operator", to_checksum(a->posted.op)}, {"ours", a->posted.op == self_},
              {"final_at", j.final_at}});
    SIGIL_TRY_VOID(save(j));
    auto r = agent_->on_claim_posted(a->posted);
    if (!r) return fail(EngineError{r.error()});
    return {};
}

Result<void, EngineError> Engine::on_removed(const chain::Log& log) {
    if (log.topics.size() < 2 || log.topics[0] != requested_topic()) return {};
    auto existing = store_.job(log.topics[1]);
    if (!existing) return fail(store_error(existing.error()));
    if (!existing->has_value()) return {};
    JobRecord j = **existing;
    log_json(LogLevel::warn, "request removed by reorg", {{"id", hex(j.id)}, {"was", to_string(j.state)}});
    j.state = JobState::removed;
    j.reason = "reorg";
    return save(j);
}

Result<bool, EngineError> Engine::collect() {
    auto results = pool_.drain();
    for (auto& res : results) {
        auto got = store_.job(res.id);
        if (!got) return fail(store_error(got.error()));
        if (!got->has_value() || (*got)->state != JobState::running) continue;  // removed meanwhile
        JobRecord j = **got;
        metrics_.observe_inference(static_cast<double>(res.run_us) / 1e6);
        if (!res.claim) {
            finish(j, JobState::failed, "runtime: " + res.claim.error());
        } else {
            Claim claim = *res.claim;
            if (gen_agent_ && cfg_.fault.kind == trace::FaultKind::token && runtime::lm::is_generation_input(j.input)) {
                // A faulty node posts its altered generation (and later defends it).
                auto run = gen_agent_->run_of(j);
                if (run && (*run)->lie) {
                    claim = (*run)->claim;
                    log_json(LogLevel::warn, "fault: posting a wrong generation",
                             {{"id", hex(j.id)}, {"kind", "token"}, {"element", (*run)->lie->element}});
                }
            } else if (agent_ && cfg_.fault.probability > 0) {
                // A faulty node posts the claim of its lying run (and later defends its trace).
                auto rt = agent_->trace_of(j);
                if (rt && (*rt)->lie) {
                    claim = (*rt)->claim;
                    log_json(LogLevel::warn, "fault: posting a wrong claim",
                             {{"id", hex(j.id)},
                              {"kind", to_string((*rt)->lie->kind)},
                              {"step", (*rt)->lie->step},
                              {"element", (*rt)->lie->element}});
                }
            }
            res.claim = claim;
            j.output = res.claim->output;
            j.output_root = res.claim->output_root;
            j.trace_root = res.claim->trace_root;
            j.steps = res.claim->steps;
            j.input_root = res.claim->input_root;
            j.state = JobState::computed;
            j.run_us = res.run_us;
            SIGIL_TRY_VOID(save(j));
        }
    }
    return !results.empty();
}

Result<bool, EngineError> Engine::dispatch() {
    auto seen = store_.jobs_in({JobState::seen});
    if (!seen) return fail(store_error(seen.error()));
    bool any = false;
    for (auto& j : *seen) {
        const Server server = find_server(&catalog_, lms_, backends_, j.model_root, j.input);
        if (!server.found()) {
            finish(j, JobState::skipped, std::string(to_string(SkipReason::model_not_served)));
            continue;
        }
        if (!pool_.submit(WorkItem{j.id, server.model, j.input, lms_, server.lm, backends_, server.backend})) break;
        j.state = JobState::running;
        SIGIL_TRY_VOID(save(j));
        any = true;
    }
    return any;
}

Result<bool, EngineError> Engine::act() {
    auto jobs = store_.active_jobs();
    if (!jobs) return fail(store_error(jobs.error()));
    bool any = false;
    const std::int64_t now = outbox_.now_ms();
    for (auto& j : *jobs) {
        if (j.next_attempt_ms > now) continue;
        const JobState before = j.state;
        SIGIL_TRY_VOID(advance(j));
        any = any || j.state != before;
    }
    return any;
}

Claim Engine::claim_of(const JobRecord& j) const {
    return Claim{j.output, j.output_root, j.trace_root, j.steps, j.input_root};
}

void Engine::retry_later(JobRecord& j, const std::string& why) {
    ++j.attempts;
    if (j.attempts > 12) {
        finish(j, JobState::failed, "gave up: " + why);
        return;
    }
    const std::int64_t backoff = std::min<std::int64_t>(30'000, std::int64_t{200} << std::min(j.attempts, 8));
    j.next_attempt_ms = outbox_.now_ms() + backoff;
    log_json(LogLevel::info, "retry", {{"id", hex(j.id)}, {"why", why}, {"attempt", j.attempts}, {"backoff_ms", backoff}});
    (void)save(j);
}

void Engine::finish(JobRecord& j, JobState st, const std::string& reason) {
    j.state = st;
    j.reason = reason;
    log_json(st == JobState::failed ? LogLevel::warn : LogLevel::info, "job finished",
             {{"id", hex(j.id)}, {"state", to_string(st)}, {"reason", reason}});
    (void)save(j);
}

Result<void, EngineError> Engine::check_again(JobRecord& j) {
    j.next_attempt_ms = outbox_.now_ms() + static_cast<std::int64_t>(cfg_.chain.poll_interval_ms);
    return save(j);
}

void Engine::landed(JobRecord& j, JobState st) {
    if (j.done_ms == 0) record_answered(j);
    j.attempts = 0;
    j.next_attempt_ms = 0;
    finish(j, st, "");
}

void Engine::record_answered(JobRecord& j) {
    j.done_ms = outbox_.now_ms();
    const double latency = static_cast<double>(j.done_ms - j.seen_ms) / 1000.0;
    metrics_.observe_delivery_latency(latency);
    metrics_.observe_node_overhead(latency - static_cast<double>(j.run_us) / 1e6);
}

std::optional<RequestView> Engine::request_view(const Hash& id) {
    auto r = outbox_.call(cfg_.contracts.coordinator, get_request_call(id));
    if (!r) return std::nullopt;
    return decode_request_view(*r);
}

std::optional<Address> Engine::seat_of(const Hash& id, std::uint64_t seat) {
    auto w = outbox_.call_word(cfg_.contracts.coordinator, seat_of_call(id, seat));
    if (!w) return std::nullopt;
    return address_from_word(*w);
}

std::optional<Hash> Engine::entry_of(const Hash& id) {
    return outbox_.call_word(cfg_.contracts.coordinator, entry_of_call(id, self_));
}

Result<SentTx, EngineError> Engine::submit(JobRecord& j, const Bytes& data, const char* kind) {
    auto out = outbox_.submit(j, j.id, cfg_.contracts.coordinator, data, kind, kJobChannel);
    if (!out) return fail(store_error(out.error()));
    j.gas_used += out->gas;
    return *out;
}

Result<void, EngineError> Engine::advance(JobRecord& j) {
    auto r = request_view(j.id);
    if (!r) {
        retry_later(j, "getRequest failed");
        return {};
    }
    if (r->status == RequestStatus::none) {
        retry_later(j, "request unknown to the chain");
        return {};
    }
    switch (j.state) {
        case JobState::computed:
            // Only the assigned node delivers a k = 1 answer in one step; any other node takes
            // the seat by commit and reveals, as for k > 1 (no answer is copied from the mempool).
            return j.k == 1 && assigned_of(j.job) == self_ ? advance_k1(j, *r) : advance_commit(j, *r);
        case JobState::delivering: return advance_k1(j, *r);
        case JobState::committing: return advance_commit(j, *r);
        case JobState::committed:
        case JobState::revealing: return advance_reveal(j, *r);
        case JobState::delivered:
        case JobState::revealed:
        case JobState::settling: return advance_settle(j, *r);
        default: return {};
    }
}

Result<void, EngineError> Engine::advance_k1(JobRecord& j, const RequestView& r) {
    if (r.seat0 == self_) {  // our delivery is on chain
        j.final_at = r.final_at;
        landed(j, JobState::delivered);
        return {};
    }
    if (r.status != RequestStatus::open) {
        finish(j, JobState::failed, std::string("answered_by_other:") + status_name(r.status));
        return {};
    }
    if (chain_time_ > j.deadline) {
        finish(j, JobState::failed, "deadline_passed");
        return {};
    }
    if (r.commits != 0) {  // another node took the seat after our window
        finish(j, JobState::failed, "seats_full");
        return {};
    }
    if (j.state == JobState::delivering && outbox_.pending(j.tx_hash)) {
        return check_again(j);
    }
    j.state = JobState::delivering;  // the intent, stored before the transaction
    const SentTx out = SIGIL_TRY(submit(j, deliver_call(j.id, j.job, claim_of(j)), "deliver"));
    if (out.success()) {
        record_answered(j);
        j.attempts = 0;
        finish(j, JobState::delivered, "");
        return {};
    }
    retry_later(j, "deliver: " + out.revert);
    return {};
}

Result<void, EngineError> Engine::advance_commit(JobRecord& j, const RequestView& r) {
    auto entry = entry_of(j.id);
    if (!entry) {
        retry_later(j, "entryOf failed");
        return {};
    }
    if (*entry != Hash{}) {  // our commit is on chain: find our seat
        for (std::uint64_t i = 0; i < r.commits; ++i) {
            auto s = seat_of(j.id, i);
            if (s && *s == self_) j.seat = static_cast<int>(i);
        }
        if (j.seat < 0) {
            retry_later(j, "seat not found");
            return {};
        }
        j.attempts = 0;
        j.next_attempt_ms = 0;
        finish(j, JobState::committed, "");
        return {};
    }
    if (r.status != RequestStatus::open) {
        finish(j, JobState::failed, std::string("request_closed:") + status_name(r.status));
        return {};
    }
    if (r.commits >= r.k) {
        finish(j, JobState::failed, "seats_full");
        return {};
    }
    if (j.k > 1 && chain_time_ > j.commit_end) {
        finish(j, JobState::failed, "commit_phase_closed");
        return {};
    }
    if (chain_time_ > j.deadline) {
        finish(j, JobState::failed, "deadline_passed");
        return {};
    }
    const Address assigned = assigned_of(j.job);
    if (j.k == 1 && assigned != Address{} && assigned != self_ && chain_time_ <= j.commit_end) {
        return check_again(j);  // the assigned node's exclusive window
    }
    if (j.state == JobState::committing && outbox_.pending(j.tx_hash)) {
        return check_again(j);
    }
    if (!j.salt) j.salt = outbox_.random_word();
    if (!j.salt) {
        retry_later(j, "no randomness for the commitment's salt");
        return {};
    }
    j.state = JobState::committing;  // salt and intent stored before the transaction
    const Hash commitment = commitment_of(j.id, self_, hash_claim(claim_of(j)), *j.salt);
    const SentTx out = SIGIL_TRY(submit(j, commit_call(j.id, j.job, commitment), "commit"));
    if (out.status == TxStatus::refused && out.revert == "NotAssigned") {
        finish(j, JobState::failed, "assigned_elsewhere");
        return {};
    }
    if (!out.success()) {
        retry_later(j, "commit: " + out.revert);
        return {};
    }
    j.next_attempt_ms = 0;  // the next round reads our seat
    return save(j);
}

Result<void, EngineError> Engine::advance_reveal(JobRecord& j, const RequestView& r) {
    if (j.seat < 0 || j.seat >= 8) {
        finish(j, JobState::failed, "no_seat");
        return {};
    }
    const auto bit = static_cast<std::uint8_t>(1u << static_cast<unsigned>(j.seat));
    if ((r.revealed_mask & bit) != 0) {
        landed(j, JobState::revealed);
        return {};
    }
    if (r.status != RequestStatus::open) {
        finish(j, JobState::failed, std::string("request_closed:") + status_name(r.status));
        return {};
    }
    if (chain_time_ > j.deadline) {
        finish(j, JobState::failed, "deadline_passed");
        return {};
    }
    if (r.commits < r.k && chain_time_ <= j.commit_end) {  // commit phase still open
        return check_again(j);
    }
    if (r.commits < r.k) {  // the window closed with fewer than k seats: no answer (TooFewSeats)
        finish(j, JobState::failed, "too_few_seats");
        return {};
    }
    if (j.state == JobState::revealing && outbox_.pending(j.tx_hash)) {
        return check_again(j);
    }
    if (!j.salt) {
        finish(j, JobState::failed, "salt lost");
        return {};
    }
    j.state = JobState::revealing;  // the intent, stored before the transaction
    const SentTx out = SIGIL_TRY(
        submit(j, reveal_call(j.id, j.job, static_cast<std::uint8_t>(j.seat), claim_of(j), *j.salt), "reveal"));
    if (out.success()) {
        record_answered(j);
        j.attempts = 0;
        finish(j, JobState::revealed, "");
        return {};
    }
    retry_later(j, "reveal: " + out.revert);
    return {};
}

Result<void, EngineError> Engine::advance_settle(JobRecord& j, const RequestView& r) {
    switch (r.status) {
        case RequestStatus::settled: finish(j, JobState::settled, ""); return {};
        case RequestStatus::refunded:
        case RequestStatus::refuted: finish(j, JobState::failed, status_name(r.status)); return {};
        case RequestStatus::conflict:
            // A conflict game may still resolve it (then it is answered and settles as usual), or
            // every other claim lost to a one-shot proof and we end it.
            if (!agent_) {
                finish(j, JobState::failed, status_name(r.status));
                return {};
            }
            if (auto sent = agent_->resolve_if_uncontested(j); !sent) return fail(EngineError{sent.error()});
            j.next_attempt_ms = outbox_.now_ms() + 1000;
            return save(j);
        case RequestStatus::answered: break;
        default:
            j.next_attempt_ms = outbox_.now_ms() + 1000;
            return save(j);
    }
    if (chain_time_ < r.final_at) {
        j.next_attempt_ms = outbox_.now_ms() + 1000;
        return save(j);
    }
    if (j.state == JobState::settling && outbox_.pending(j.tx_hash)) {
        return check_again(j);
    }
    j.state = JobState::settling;  // the intent, stored before the transaction
    const SentTx out = SIGIL_TRY(submit(j, settle_call(j.id, j.job, claim_of(j)), "settle"));
    if (out.success()) {
        finish(j, JobState::settled, "");
        return {};
    }
    retry_later(j, "settle: " + out.revert);
    return {};
}

}  // namespace sigil::node
