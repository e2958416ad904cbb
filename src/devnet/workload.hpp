#pragma once
/// The devnet's workload from the example consumer (FashionClassifier): single requests with real
/// Fashion-MNIST test images, k = 3 redundant requests, and a subscription; then waiting for the
/// callbacks, settling after the challenge window, and the summary read back from the chain.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "devnet/client.hpp"
#include "devnet/routing.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {

struct WorkloadParams {
    unsigned singles = 6;
    unsigned redundant = 3;            ///< k = 3 requests
    unsigned subscription_intervals = 2;
    std::uint32_t subscription_period = 30;  ///< seconds (anvil time is advanced between intervals)
    std::uint32_t challenge_window = 60;     ///< must match the deployment's
    std::chrono::milliseconds timeout{120'000};  ///< for all callbacks
    std::size_t model_index = 0;       ///< which of the world's models the consumer uses
    /// Routing (docs/devnet.md): with a router URL, `routed` requests from the consumer account go
    /// through POST /route and Coordinator.requestRouted; the assigned node has `routed_window`
    /// seconds alone. An empty URL turns routing off.
    std::string router_url;
    Address router_registry{};
    unsigned routed = 4;
    std::uint32_t routed_window = 30;
};

/// One request the workload made.
struct RequestRecord {
    Hash id{};
    std::string kind;  ///< "single", "k3", "routed" or "subscription"
    Address consumer{};
    std::uint64_t item = 0;     ///< FashionClassifier item (subscription intervals write item 0)
    std::size_t image = 0;      ///< index in the Fashion-MNIST test split
    int true_label = -1;        ///< the data set's label
    int expected_label = -1;    ///< the local runtime's answer
    Bytes expected_output;
    std::vector<abi::Value> job;  ///< as emitted in Requested (for settle)
    u256 request_gas = 0;
    u256 node_gas = 0;    ///< the nodes' deliver / commit / reveal transactions for this request
    u256 settle_gas = 0;  ///< the settle transaction (whoever sent it)
    double latency_ms = -1;     ///< request receipt -> callback seen; < 0 when none
    std::chrono::steady_clock::time_point sent{};
};

/// Everything the summary reports, all read back from the chain at the end.
struct Summary {
    unsigned requested = 0, answered = 0, settled = 0, correct = 0, callbacks_ok = 0, refunded = 0;
    unsigned subscription_requested = 0, subscription_answered = 0, subscription_correct = 0;
    /// Every request, subscription intervals included, answered with the local runtime's label.
    bool all_correct() const noexcept { return correct == requested; }
    double latency_p50_ms = 0, latency_p90_ms = 0, latency_p99_ms = 0, latency_max_ms = 0;
    u256 request_gas_total = 0, node_gas_total = 0, settle_gas_total = 0;
    /// Mean gas per answered request of one kind ("single", "k3", "subscription").
    struct KindGas {
        std::string kind;
        unsigned answered = 0;
        u256 request = 0, node = 0, settle = 0;
    };
    std::vector<KindGas> gas_by_kind;
    struct Payee {
        std::string role, label;
        Address address{};
        u256 amount = 0;  ///< rewards claimable or Coordinator credit, in the payment token
    };
    std::vector<Payee> payees;
    u256 coordinator_balance = 0, outstanding_credits = 0;
    bool escrow_paid_out = false;  ///< every request left escrow: balance == credits outstanding
    std::vector<RequestRecord> requests;
    std::vector<std::string> per_request;  ///< one line per request: kind, id, label, expected, status
    RoutingSummary routing;

    std::string to_text() const;
    chain::Json to_json() const;
};

/// Runs the workload and returns the summary. Stops early (throws DevnetError) on SIGINT/SIGTERM.
Summary run_workload(Signer& owner, const Deployment& d, const World& w, const WorkloadParams& params,
                     std::ostream& progress);

/// RequestParams of the FashionClassifier template for `m`: `price` per node, redundancy `k`.
abi::Value template_params(const Deployment& d, const ModelFile& m, const u256& price, std::uint8_t k);

/// The Requested event in a receipt: (id, job); throws DevnetError when there is none.
std::pair<Hash, std::vector<abi::Value>> requested_of(const chain::Receipt& r);

/// The claim request `id` was answered with (its last Delivered or Revealed log), if any.
std::optional<abi::Value> answer_claim(Session& s, const Deployment& d, const Hash& id);

/// The request's status (CoordinatorTypes.sol Status: 5 Settled, 7 Refuted).
std::uint8_t status_of(Session& s, const Deployment& d, const Hash& id);

/// Settles answered request `id` (its `job` as emitted in Requested) with its answer's claim,
/// unless it is settled already; a refusal is printed to `progress`, not thrown.
void settle_answered(Signer& owner, const Deployment& d, const Hash& id, const abi::Value& job, std::ostream& progress);

/// The p-th percentile (0..100) of `values`, nearest-rank; 0 for an empty list.
double percentile(std::vector<double> values, double p);

/// Waits (polling every 50 ms, at most until `until`) for the CallbackResult logs of the requests
/// in `pending` (id -> the caller's index), calling `seen(index, when)` for each as it arrives and
/// removing it; `from` is the first block still to read and advances.
void wait_for_callbacks(Session& s, const Deployment& d, std::map<Hash, std::size_t>& pending, std::uint64_t& from,
                        std::chrono::steady_clock::time_point until,
                        const std::function<void(std::size_t, std::chrono::steady_clock::time_point)>& seen);

}  // namespace sigil::devnet
