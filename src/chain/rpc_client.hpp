#pragma once
/// JSON-RPC 2.0 client: single and batched calls, per-request timeout, retries with exponential
/// backoff on transport failures only. A JSON-RPC error object is an answer, never retried; it is
/// mapped to a named `RpcErrorKind` (with revert data extracted for reverts).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "chain/clock.hpp"
#include "chain/rpc_error.hpp"
#include "chain/transport.hpp"
#include "core/result.hpp"

namespace sigil::chain {

/// JSON values keep the key order of the document they came from, so results can be re-emitted
/// exactly as the node sent them.
using Json = nlohmann::ordered_json;

struct RpcOptions {
    std::chrono::milliseconds timeout{10'000};        ///< per attempt
    int max_attempts = 4;                             ///< 1 = no retries
    std::chrono::milliseconds initial_backoff{100};   ///< doubled after each failed attempt
    std::chrono::milliseconds max_backoff{2'000};
};

struct RpcRequest {
    std::string method;
    Json params = Json::array();
};

using RpcResult = Result<Json, RpcError>;

/// A JSON-RPC client over a `Transport`. Thread-safe if the transport is.
class RpcClient {
public:
    explicit RpcClient(std::shared_ptr<Transport> transport, RpcOptions options = {}, Clock& clock = system_clock());

    /// One call; the `result` member on success.
    RpcResult call(const std::string& method, Json params = Json::array());

    /// Several calls in one HTTP request; results in request order, each its own success or
    /// error. The outer error is for failures of the whole batch (transport, malformed body).
    Result<std::vector<RpcResult>, RpcError> batch(const std::vector<RpcRequest>& requests);

private:
    Result<std::string, RpcError> post_with_retry(const std::string& body);

    std::shared_ptr<Transport> transport_;
    RpcOptions options_;
    Clock& clock_;
    std::atomic<std::uint64_t> next_id_{1};
};

/// Decodes one JSON-RPC response body for request `id`. Never throws, whatever the bytes.
RpcResult decode_response(std::string_view body, std::uint64_t id);

/// Decodes a batch response body (any order) for requests `ids`. Never throws.
Result<std::vector<RpcResult>, RpcError> decode_batch_response(std::string_view body,
                                                               std::span<const std::uint64_t> ids);

/// Maps a JSON-RPC error object to a named error, extracting revert data. Never throws.
RpcError classify_error(const Json& error_object);

}  // namespace sigil::chain
