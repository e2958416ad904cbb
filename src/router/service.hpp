#pragma once
/// The router's REST API (`sigil router`):
///   POST /route      constraints and preferences in; ranked candidates (price, predicted latency,
///                    cost) out, and, when the body carries `assignment` and the service has a
///                    key, an EIP-712-signed assignment of the request to the chosen node
///   POST /report     {operator, latency_ms, ok}: an observed outcome (feeds latency and health)
///   GET  /operators  the registry view with each operator's load and health
///   GET  /health     liveness, snapshot version and chain height
///   GET  /metrics    Prometheus text
/// Request handling is split from HTTP (`handle`) so tests drive it without sockets.
/// Thread-safe: handlers only read the engine (and update its atomic load records).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chain/keys.hpp"
#include "router/assignment.hpp"
#include "router/matcher.hpp"

namespace sigil::router {

struct ServiceConfig {
    std::optional<chain::PrivateKey> key;  ///< the router's signing key (no assignments without)
    AssignmentDomain domain;
    std::uint64_t assignment_ttl_s = 300;  ///< deadline = now + ttl when the request sets none
    std::uint64_t block = 0;               ///< last chain height seen (for /health)
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
};

class Service {
public:
    /// `now_ms`: monotonic milliseconds (health, latency); `unix_s`: wall seconds (deadlines);
    /// `random`: 64-bit random words (tie-breaks and nonces).
    Service(Matcher& engine, ServiceConfig config, std::function<std::int64_t()> now_ms,
            std::function<std::uint64_t()> unix_s, std::function<std::uint64_t()> random);
    ~Service();

    /// Handles one request. Bad input gives 400 with {"error": name, "message": text}.
    HttpResponse handle(const std::string& method, const std::string& path, const std::string& body);

    /// Serves HTTP on host:port (0 = any free port) in a background thread; returns the port,
    /// or -1 when it cannot bind.
    int start(const std::string& host, int port);
    /// Blocks serving HTTP (for the CLI); false when it cannot bind.
    bool listen(const std::string& host, int port);
    void stop();

    void set_block(std::uint64_t block) { block_.store(block); }

private:
    HttpResponse route(const std::string& body);
    HttpResponse report(const std::string& body);
    HttpResponse operators() const;
    HttpResponse health() const;
    HttpResponse metrics() const;

    Matcher& engine_;
    ServiceConfig config_;
    std::function<std::int64_t()> now_ms_;
    std::function<std::uint64_t()> unix_s_;
    std::function<std::uint64_t()> random_;
    std::atomic<std::uint64_t> block_{0};
    std::atomic<std::uint64_t> decisions_{0}, no_candidate_{0}, bad_requests_{0}, assignments_{0}, reports_{0};
    std::atomic<std::uint64_t> decision_ns_{0};
    struct Http;
    std::unique_ptr<Http> http_;
};

}  // namespace sigil::router
