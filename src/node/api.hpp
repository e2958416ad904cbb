#pragma once
/// The node's REST API (docs/node.md): health, info, off-chain jobs with EIP-712 signed claims,
/// job status, Prometheus metrics, and an OpenAI-compatible API for its language models
/// (/v1/models, /v1/completions, /v1/chat/completions, streaming as server-sent events); a token
/// bucket per client address answers 429 beyond the configured rate.

#include <functional>
#include <memory>
#include <thread>

#include "chain/keys.hpp"
#include "node/backend.hpp"
#include "node/catalog.hpp"
#include "node/config.hpp"
#include "node/lm_service.hpp"
#include "node/metrics.hpp"
#include "node/rate_limiter.hpp"
#include "node/store.hpp"

namespace httplib {
class Server;
}

namespace sigil::node {

/// What the API reports about the chain follower.
struct ChainStatus {
    std::function<std::uint64_t()> head;
    std::function<std::uint64_t()> next_block;
};

class Api {
public:
    /// `lms` (may be null) serves the OpenAI-compatible routes under /v1.
    Api(const NodeConfig& cfg, const chain::PrivateKey& key, const Catalog& catalog, const Backends& backends,
        Store& store, Metrics& metrics, ChainStatus status, const LmService* lms = nullptr);
    ~Api();

    /// Binds `api.listen` (port 0: any free port) and serves on a background thread. Returns
    /// the bound port.
    Result<std::uint16_t, std::string> start();
    void stop();

private:
    void routes();
    void openai_routes();

    const NodeConfig& cfg_;
    chain::PrivateKey key_;
    const Catalog& catalog_;
    const Backends& backends_;
    Store& store_;
    Metrics& metrics_;
    ChainStatus status_;
    const LmService* lms_;
    RateLimiter limiter_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
};

}  // namespace sigil::node
