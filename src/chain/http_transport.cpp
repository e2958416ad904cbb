#include <httplib.h>

#include "chain/transport.hpp"

namespace sigil::chain {

std::string_view to_string(TransportErrorKind k) noexcept {
    switch (k) {
        case TransportErrorKind::connect_failed: return "connect_failed";
        case TransportErrorKind::timeout: return "timeout";
        case TransportErrorKind::io_error: return "io_error";
        case TransportErrorKind::http_status: return "http_status";
        case TransportErrorKind::bad_url: return "bad_url";
    }
    return "unknown";
}

HttpTransport::HttpTransport(std::string url) {
    const auto scheme_end = url.find("://");
    const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    origin_ = path_start == std::string::npos ? url : url.substr(0, path_start);
    path_ = path_start == std::string::npos ? "/" : url.substr(path_start);
}

Result<std::string, TransportError> HttpTransport::post(const std::string& body, std::chrono::milliseconds timeout) {
    if (origin_.rfind("http://", 0) != 0 && origin_.rfind("https://", 0) != 0)
        return fail(TransportError{TransportErrorKind::bad_url, 0, origin_});
    httplib::Client client(origin_);
    if (!client.is_valid()) return fail(TransportError{TransportErrorKind::bad_url, 0, origin_});
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
    client.set_connection_timeout(secs.count(), usecs.count());
    client.set_read_timeout(secs.count(), usecs.count());
    client.set_write_timeout(secs.count(), usecs.count());
    client.set_keep_alive(false);
    auto res = client.Post(path_, body, "application/json");
    if (!res) {
        const auto err = res.error();
        TransportErrorKind kind = TransportErrorKind::io_error;
        if (err == httplib::Error::Connection) kind = TransportErrorKind::connect_failed;
        // httplib reports a read deadline as `Read`; both are retried the same way.
        if (err == httplib::Error::ConnectionTimeout) kind = TransportErrorKind::timeout;
        return fail(TransportError{kind, 0, httplib::to_string(err)});
    }
    if (res->status != 200) return fail(TransportError{TransportErrorKind::http_status, res->status, res->body});
    return std::move(res->body);
}

}  // namespace sigil::chain
