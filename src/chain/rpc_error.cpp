#include "chain/rpc_error.hpp"

namespace sigil::chain {

std::string_view to_string(RpcErrorKind k) noexcept {
    switch (k) {
        case RpcErrorKind::transport: return "transport";
        case RpcErrorKind::timeout: return "timeout";
        case RpcErrorKind::http_status: return "http_status";
        case RpcErrorKind::malformed_response: return "malformed_response";
        case RpcErrorKind::execution_reverted: return "execution_reverted";
        case RpcErrorKind::nonce_too_low: return "nonce_too_low";
        case RpcErrorKind::nonce_too_high: return "nonce_too_high";
        case RpcErrorKind::replacement_underpriced: return "replacement_underpriced";
        case RpcErrorKind::already_known: return "already_known";
        case RpcErrorKind::insufficient_funds: return "insufficient_funds";
        case RpcErrorKind::method_not_found: return "method_not_found";
        case RpcErrorKind::invalid_params: return "invalid_params";
        case RpcErrorKind::rpc_error: return "rpc_error";
        case RpcErrorKind::not_found: return "not_found";
    }
    return "unknown";
}

std::string RpcError::describe() const {
    std::string out(to_string(kind));
    if (!message.empty()) out += ": " + message;
    if (kind == RpcErrorKind::execution_reverted && !data.empty()) out += " (data " + to_hex(data) + ")";
    return out;
}

bool is_transport_failure(const RpcError& e) noexcept {
    return e.kind == RpcErrorKind::transport || e.kind == RpcErrorKind::timeout ||
           (e.kind == RpcErrorKind::http_status && (e.code == 429 || e.code >= 500));
}

}  // namespace sigil::chain
