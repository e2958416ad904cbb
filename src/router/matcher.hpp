#pragma once
/// The matching engine: answers "who should serve this request" from an immutable snapshot of
/// the registries indexed by (model, token), plus per-operator load and health.
///
/// Thread safety: one writer (`publish`, the chain follower) and any number of readers
/// (`route`, `snapshot`). `publish` builds a new snapshot and swaps it in atomically (RCU: a
/// reader keeps the snapshot it loaded alive through its shared_ptr until it returns). Load and
/// health live outside snapshots in per-operator slots that never move, updated with atomics by
/// `on_dispatch` / `on_complete` from any thread; an operator keeps its slot (and its health
/// record) across snapshots.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/route/types.hpp"
#include "router/registry_state.hpp"

namespace sigil::router {

/// A routing request in registry terms (strings and hashes, not engine ids).
struct RouteRequest {
    std::vector<Hash> models;  ///< acceptable models (one, or a task class)
    Address token{};           ///< payment token
    Amount max_price = route::kMaxAmount;
    std::vector<std::string> region_allow;
    std::vector<std::string> region_deny;
    std::vector<std::uint16_t> hardware;
    std::uint8_t proof_modes = 0;
    std::uint16_t min_quality = 0;
    Amount value = 0;
    std::uint32_t min_stake_ratio_bips = 0;
    route::SortMode sort = route::SortMode::weighted;
    route::Weights weights;
    std::uint32_t fallbacks = 2;
};

/// One ranked operator.
struct Candidate {
    std::uint32_t slot = 0;
    Address operator_address{};
    Hash model{};
    Amount price = 0;
    double predicted_ms = 0;
    double cost = 0;
    std::string endpoint;
};

/// The answer: the choice first, then fallbacks in order.
struct Decision {
    std::vector<Candidate> ranked;
    std::uint64_t version = 0;                 ///< snapshot the decision was made on
    std::uint32_t considered = 0;              ///< offers read
    std::array<std::uint32_t, 11> rejected{};  ///< count per route::Reject
};

enum class RouteError {
    no_model,         ///< the request names no model
    too_many_models,  ///< more than kMaxModels acceptable models
    unknown_market,   ///< no operator serves any of the models in the token
    no_candidate,     ///< offers exist, but every one fails a constraint (see Decision::rejected)
};
std::string_view to_string(RouteError e) noexcept;

/// Per-decision outcome when it fails with `no_candidate`.
struct RouteFailure {
    RouteError error = RouteError::no_candidate;
    std::array<std::uint32_t, 11> rejected{};
};

class Matcher {
public:
    static constexpr std::size_t kMaxModels = 64;
    static constexpr std::uint32_t kMaxOperators = 1u << 20;

    explicit Matcher(route::HealthParams params = {});
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    /// Replaces the registry view (writer only). Operators beyond kMaxOperators are dropped.
    void publish(const RegistryState& state);

    /// Ranks the operators for `req` at `now_ms`; `random` drives the power-of-two tie-break.
    /// Never returns an operator that violates a hard constraint. Thread-safe.
    Result<Decision, RouteFailure> route(const RouteRequest& req, std::int64_t now_ms, std::uint64_t random) const;

    /// One offer that passed the hard constraints, with its soft terms (what `route` ranks).
    struct Eligible {
        std::uint32_t slot = 0;
        std::uint32_t market = 0;
        std::uint32_t outstanding = 0;
        double predicted_ms = 0;
        double price = 0;
        double quality = 0;
        double stake = 0;
        Amount amount = 0;  ///< exact price
    };
    /// Fills `out` with the offers for `req` that pass the static hard constraints and, when
    /// `gate_load`, the health and capacity gates; `considered`/`rejected` of `d` are filled too.
    /// The filtering half of `route`, exposed so other policies can be compared on the same set.
    Result<std::uint64_t, RouteFailure> eligible(const RouteRequest& req, std::int64_t now_ms, bool gate_load,
                                                 std::vector<Eligible>& out, Decision& d) const;

    /// A request was sent to the operator in `slot` (its queue grows). Thread-safe.
    void on_dispatch(std::uint32_t slot) noexcept;
    /// A request sent to `slot` finished after `latency_ms`, successfully or not. Thread-safe.
    void on_complete(std::uint32_t slot, double latency_ms, bool ok, std::int64_t now_ms) noexcept;
    /// Marks a failure without a dispatch (e.g. a failed health probe). Thread-safe.
    void on_failure(std::uint32_t slot, std::int64_t now_ms) noexcept;

    /// The ranked form of an eligible offer (address, endpoint, model, exact price).
    Candidate candidate(const Eligible& e, double cost) const;

    /// The operator slot of `a`, or -1 when unknown.
    std::int64_t slot_of(const Address& a) const;
    /// The current load and health of `slot`.
    route::Load load(std::uint32_t slot) const noexcept;

    struct Snapshot;
    std::shared_ptr<const Snapshot> snapshot() const;
    /// Operators of the current snapshot, with their slots.
    std::vector<std::pair<std::uint32_t, OperatorRecord>> operators() const;
    std::uint64_t version() const;
    const route::HealthParams& params() const noexcept { return params_; }

private:
    struct Stats;
    Result<std::uint64_t, RouteFailure> eligible_in(const Snapshot& snap, const RouteRequest& req, std::int64_t now_ms,
                                                    bool gate_load, std::vector<Eligible>& out, Decision& d) const;
    static Candidate candidate_in(const Snapshot& snap, const Eligible& e, double cost);
    Stats* stats(std::uint32_t slot) const noexcept;
    Stats& ensure_stats(std::uint32_t slot);

    route::HealthParams params_;
    std::atomic<std::shared_ptr<const Snapshot>> snap_;
    static constexpr std::uint32_t kChunk = 4096;
    std::array<std::atomic<Stats*>, kMaxOperators / kChunk> chunks_{};
    // Writer-only: stable slots of every operator ever published.
    std::unordered_map<std::string, std::uint32_t> slots_;
};

}  // namespace sigil::router
