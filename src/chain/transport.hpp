#pragma once
/// The byte pipe under the JSON-RPC client. An interface so tests can inject faults.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sigil::chain {

/// Every way a request can fail below JSON-RPC.
enum class TransportErrorKind {
    connect_failed,  ///< no connection (refused, unreachable, DNS)
    timeout,         ///< no complete response within the deadline
    io_error,        ///< the connection broke mid-request
    http_status,     ///< an HTTP status other than 200
    bad_url,         ///< the endpoint URL cannot be used
};
std::string_view to_string(TransportErrorKind k) noexcept;

struct TransportError {
    TransportErrorKind kind = TransportErrorKind::io_error;
    int http_status = 0;  ///< for http_status
    std::string detail;
};

/// Posts a JSON body and returns the response body.
class Transport {
public:
    virtual ~Transport() = default;
    /// Sends `body`; must be safe to call from several threads at once.
    virtual Result<std::string, TransportError> post(const std::string& body, std::chrono::milliseconds timeout) = 0;
};

/// JSON-RPC over HTTP(S) with cpp-httplib; one connection per request, so it is thread-safe.
class HttpTransport final : public Transport {
public:
    /// `url` such as `http://127.0.0.1:8545` or `https://host/path`.
    explicit HttpTransport(std::string url);
    Result<std::string, TransportError> post(const std::string& body, std::chrono::milliseconds timeout) override;

private:
    std::string origin_;  ///< scheme://host[:port]
    std::string path_;    ///< request path, `/` by default
};

}  // namespace sigil::chain
