#pragma once
/// Routing in the devnet: a RouterRegistry with one bonded router, the `sigil router` process that
/// follows the devnet's registries, the client side of `POST /route`, and routed requests sent with
/// `Coordinator.requestRouted` and the router's signed assignment (docs/devnet.md, docs/routing.md).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "devnet/client.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {

struct RouterParams {
    u256 bond = u256(10) * u256(1'000'000'000'000'000'000ULL);     ///< the router's bond (stake token)
    u256 min_bond = u256(1) * u256(1'000'000'000'000'000'000ULL);  ///< RouterRegistry.minBond
    std::uint64_t unbonding_delay = 7 * 24 * 3600;                 ///< seconds
    std::uint32_t poll_ms = 200;                                   ///< the router's chain poll
};

/// The devnet's router: its registry, its bonded account and where its REST API listens.
struct RouterInfo {
    Address registry{};
    Actor router;
    int port = 0;
    std::string url;  ///< http://127.0.0.1:port

    void save(const std::filesystem::path& path) const;  ///< router.json: registry, router, url
};

/// Deploys a RouterRegistry (bond token = the stake token), binds it to the Coordinator both
/// ways and registers the "router" devnet account with `p.bond`. `port` is where it will listen.
RouterInfo setup_router(Signer& owner, const Deployment& d, const RouterParams& p, int port);

/// The `sigil router` command line for `r` following the deployment's registries on `rpc_url`.
std::vector<std::string> router_command(const std::filesystem::path& sigil, const Deployment& d, const RouterInfo& r,
                                        const std::string& rpc_url, std::uint32_t poll_ms);

/// Waits until the router's GET /health reports at least `operators` operators; throws
/// DevnetError after `timeout` (or as soon as `alive()` returns false).
void wait_for_router(const std::string& url, std::size_t operators, std::chrono::milliseconds timeout,
                     const std::function<bool()>& alive);

/// RequestParams as the router's `assignment.params` JSON.
chain::Json params_json(const abi::Value& params);

/// A signed assignment from `POST /route`.
struct RoutedAssignment {
    Address router{};
    Address node{};                   ///< the router's choice (params.assigned)
    std::vector<Address> candidates;  ///< the node first, then the fallbacks in cost order
    u256 nonce = 0, deadline = 0;
    Bytes signature;
    abi::Value params;  ///< the request's RequestParams with `assigned` = node
    /// abi.encode(nonce, deadline, signature): `requestRouted`'s last argument.
    Bytes encoded() const;
};

/// Asks the router at `url` for an assignment of `params` (its `assigned` is ignored) for
/// `consumer`, valid until `deadline` (unix seconds of the chain). Throws DevnetError with the
/// router's named error (`no_candidate`, `unknown_market`, ...) when it refuses.
RoutedAssignment route_request(const std::string& url, const Address& consumer, const abi::Value& params,
                               const u256& deadline, unsigned fallbacks = 2);

/// Sends `Coordinator.requestRouted(a.params, input, "", a.encoded())` from `consumer`; returns
/// the receipt. A refused assignment throws DevnetError naming the contract's error
/// (`NonceUsed`, `NotActiveRouter`, `Expired`, `NotAssigned`).
chain::Receipt request_routed(Signer& consumer, const Deployment& d, const RoutedAssignment& a, const Bytes& input);

/// AssignmentUsed(router, requestId, node) logs of `registry` from block `from`.
struct AssignmentUse {
    Address router{}, node{}, consumer{};
    Hash request_id{};
    u256 nonce = 0;
};
std::vector<AssignmentUse> assignment_uses(Session& s, const Address& registry, std::uint64_t from);

/// How one routed request went, read back from the chain.
struct RoutedOutcome {
    Hash id{};
    Address assigned{};
    std::vector<Address> candidates;
    Address answered_by{};                ///< zero when nobody delivered
    bool in_window = false;               ///< delivered by the assigned node before createdAt + commitWindow
    bool fallback = false;                ///< delivered by another node, after the window
    std::uint64_t delivered_after_s = 0;  ///< delivery block time - createdAt
    u256 nonce = 0, deadline = 0;
    Bytes signature;
};

struct RoutingSummary {
    bool enabled = false;
    std::string router_url;
    Address router{}, registry{};
    unsigned routed = 0, by_assigned_in_window = 0, by_fallback = 0, unanswered = 0;
    unsigned assignments_used = 0;  ///< AssignmentUsed events of the registry
    std::uint32_t window_s = 0;
    std::vector<RoutedOutcome> outcomes;

    std::string to_text() const;
    chain::Json to_json() const;
};

/// The outcome of routed request `id` (its job as emitted in Requested) from its Delivered log.
RoutedOutcome routed_outcome(Session& s, const Deployment& d, const Hash& id, const abi::Value& job,
                             const RoutedAssignment& a);

/// The label FashionClassifier.decode reads from `output` (10 int8 logits or one label byte);
/// -1 for any other output.
int label_of_output(BytesView output);

}  // namespace sigil::devnet
