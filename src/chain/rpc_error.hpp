#pragma once
/// The errors of the JSON-RPC client, one named kind for every way a call can fail.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.hpp"

namespace sigil::chain {

enum class RpcErrorKind {
    transport,               ///< the request never got a response (after retries)
    timeout,                 ///< the request (or a receipt wait) ran out of time
    http_status,             ///< the server answered with an HTTP error status
    malformed_response,      ///< the response is not valid JSON-RPC 2.0 or a result has the wrong shape
    execution_reverted,      ///< eth_call / eth_estimateGas / a send reverted; `data` holds the revert data
    nonce_too_low,           ///< a transaction's nonce is already used
    nonce_too_high,          ///< a transaction's nonce leaves a gap the node refuses
    replacement_underpriced, ///< a transaction with the same nonce is pending with a higher fee
    already_known,           ///< the node already has this exact transaction
    insufficient_funds,      ///< balance below value + gas * fee
    method_not_found,        ///< JSON-RPC -32601
    invalid_params,          ///< JSON-RPC -32602
    rpc_error,               ///< any other JSON-RPC error object
    not_found,               ///< a block/receipt the caller required does not exist
};
std::string_view to_string(RpcErrorKind k) noexcept;

/// A failed call: the kind, and what the server said.
struct RpcError {
    RpcErrorKind kind = RpcErrorKind::rpc_error;
    std::int64_t code = 0;  ///< the JSON-RPC error code, or the HTTP status for http_status
    std::string message;
    Bytes data;  ///< revert data for execution_reverted (may be empty)

    /// One line for logs and the CLI: `<kind>: <message>`.
    std::string describe() const;
};

/// True for failures worth retrying unchanged: the request may never have reached the node.
bool is_transport_failure(const RpcError& e) noexcept;

}  // namespace sigil::chain
