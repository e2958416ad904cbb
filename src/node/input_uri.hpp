#pragma once
/// Inputs given on-chain only by commitment and URI: resolving the URI (`data:` per RFC 2397, or
/// http(s) with a size cap and an overall timeout) and checking the bytes against the request's
/// inputRoot, computed exactly as the runtime computes the claim's inputRoot.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::node {

enum class InputUriErrorKind {
    malformed,           ///< not a well-formed `data:` URI (missing comma, bad escape, bad base64)
    unsupported_scheme,  ///< neither `data:`, `http://` nor `https://`
    unreachable,         ///< the connection failed or the overall timeout passed
    http_status,         ///< the server answered with a status other than 200
    too_large,           ///< more bytes than the cap
};
std::string_view to_string(InputUriErrorKind k) noexcept;

struct InputUriError {
    InputUriErrorKind kind;
    std::string detail;
    std::string describe() const;
};

struct FetchLimits {
    std::size_t max_bytes = 1 << 20;
    std::chrono::milliseconds timeout{10000};  ///< whole request, connection included
};

/// Decodes an RFC 2397 `data:` URI, base64 (`;base64,`) or percent-encoded. The body of the
/// base64 form may itself be percent-encoded; base64 must be canonical in length and padding.
Result<Bytes, InputUriError> decode_data_uri(std::string_view uri, std::size_t max_bytes);

/// Resolves `uri` (`data:`, `http://`, `https://`) to at most `limits.max_bytes` bytes.
Result<Bytes, InputUriError> fetch_input(const std::string& uri, const FetchLimits& limits);

/// The inputRoot of a single-input request whose input tensor is `input`.
Hash single_input_root(BytesView input);

}  // namespace sigil::node
