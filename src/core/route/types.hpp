#pragma once
/// Routing vocabulary shared by the pure scoring functions and the engine (docs/routing.md).
///
/// An `Offer` is one operator's service of one model, flattened from the OperatorRegistry and
/// ModelRegistry so that a decision reads one small record per candidate. A `Load` is the
/// operator's observed state (latency, queue, health) at decision time. A `Query` is a request's
/// constraints and preferences, already resolved against the engine's intern tables.
/// Times are milliseconds on the caller's clock; nothing here reads a clock.

#include <cstdint>
#include <string_view>
#include <vector>

namespace sigil::route {

/// 128-bit unsigned amounts (prices per call and stakes in token units). Registry prices are
/// uint96, so they always fit; stakes are saturated to this width by the reader.
__extension__ typedef unsigned __int128 Amount;

inline constexpr Amount kMaxAmount = ~Amount{0};

/// Proof modes an operator supports and a request may require (bit flags).
enum ProofMode : std::uint8_t {
    kProofChallenge = 1,  ///< optimistic: answer now, dispute game on challenge
    kProofRedundant = 2,  ///< k > 1 commit-reveal
    kProofSampled = 4,    ///< proof market re-execution by sampling
};

/// One operator's service of one model: everything the hard filter and the soft score read.
struct Offer {
    Amount price = 0;            ///< per call, in the request's payment token
    Amount stake = 0;            ///< slashable stake behind the operator
    std::uint32_t op = 0;        ///< operator slot in the engine (index of its `Load`)
    std::uint32_t capacity = 0;  ///< concurrent requests the operator accepts
    std::uint32_t model = 0;     ///< model slot in the engine
    std::uint16_t region = 0;    ///< interned region id
    std::uint16_t hardware = 0;  ///< hardware class from the registry
    std::uint16_t quality = 0;   ///< evaluation score of the model, basis points (0..10000)
    std::uint8_t proof_modes = 0;
    bool active = true;  ///< member of Sigil's operator set
};

/// Peak-EWMA latency estimate: jumps up to any slower observation, decays towards faster ones.
struct PeakEwma {
    double value_ms = 0;        ///< 0 = no observation yet
    std::int64_t stamp_ms = 0;  ///< time of the last update
};

/// Health of one operator: consecutive failures put it on a cooldown that grows with each
/// failure; after the cooldown it is readmitted with a capacity that ramps up over time.
struct Health {
    std::uint32_t failures = 0;  ///< consecutive failures (reset once fully recovered)
    std::int64_t cooldown_until_ms = 0;
};

/// Observed state of one operator at decision time.
struct Load {
    PeakEwma latency;
    std::uint32_t outstanding = 0;  ///< requests routed and not yet finished
    Health health;
};

/// Pure sort orders; `weighted` combines the soft terms with the query's weights.
enum class SortMode : std::uint8_t { weighted, price, latency, quality };

/// Weights of the soft score (any non-negative values; normalized by their sum).
struct Weights {
    double price = 1;
    double latency = 1;
    double quality = 1;
    double stake = 0;
};

/// A request's constraints and preferences, resolved to the engine's ids.
struct Query {
    std::vector<std::uint32_t> markets;  ///< acceptable (model, token) slots: one model or a task class
    Amount max_price = kMaxAmount;
    std::vector<std::uint16_t> region_allow;  ///< sorted; empty = any region
    std::vector<std::uint16_t> region_deny;   ///< sorted
    std::vector<std::uint16_t> hardware;      ///< sorted; empty = any class
    std::uint8_t proof_modes = 0;             ///< every bit must be supported
    std::uint16_t min_quality = 0;            ///< basis points
    Amount value = 0;                         ///< value at risk of the request
    std::uint32_t min_stake_ratio_bips = 0;   ///< stake >= value * ratio / 10000
    /// Filled by `prepare`: the stake bound, and a per-region verdict (1 = admitted) that
    /// replaces the list lookups when non-empty.
    Amount min_stake = 0;
    std::vector<std::uint8_t> region_ok;
    std::uint64_t hardware_mask = 0;          ///< bit h set: class h admitted (when all classes < 64)
    bool hardware_masked = false;
    SortMode sort = SortMode::weighted;
    Weights weights;
    std::uint32_t fallbacks = 2;  ///< how many fallbacks to return after the choice
};

/// Why an offer is not a candidate. Stable names (API, logs, tests share them).
enum class Reject : std::uint8_t {
    none,
    inactive,
    price,
    region_not_allowed,
    region_denied,
    hardware,
    proof_mode,
    quality,
    stake,
    capacity,
    cooling_down,
};
std::string_view to_string(Reject r) noexcept;

/// Tunables of health tracking and latency prediction.
struct HealthParams {
    std::int64_t base_cooldown_ms = 1'000;  ///< first failure
    std::int64_t max_cooldown_ms = 60'000;  ///< cap of the doubling
    std::int64_t ramp_ms = 10'000;          ///< time to regain full capacity after a cooldown
    double ewma_tau_ms = 5'000;             ///< decay time constant of the latency estimate
    double default_latency_ms = 100;        ///< prediction for an operator never observed
};

}  // namespace sigil::route
