#include "node/input_uri.hpp"

#include <httplib.h>

#include <array>

#include "core/trace/chunks.hpp"
#include "core/trace/state.hpp"

namespace sigil::node {

std::string_view to_string(InputUriErrorKind k) noexcept {
    switch (k) {
        case InputUriErrorKind::malformed: return "malformed";
        case InputUriErrorKind::unsupported_scheme: return "unsupported_scheme";
        case InputUriErrorKind::unreachable: return "unreachable";
        case InputUriErrorKind::http_status: return "http_status";
        case InputUriErrorKind::too_large: return "too_large";
    }
    return "unknown";
}

std::string InputUriError::describe() const {
    return std::string(to_string(kind)) + (detail.empty() ? "" : ": " + detail);
}

namespace {

InputUriError malformed(std::string detail) { return InputUriError{InputUriErrorKind::malformed, std::move(detail)}; }

InputUriError too_large(std::size_t cap) {
    return InputUriError{InputUriErrorKind::too_large, "more than " + std::to_string(cap) + " bytes"};
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
        if (c != prefix[i]) return false;
    }
    return true;
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && starts_with_nocase(s.substr(s.size() - suffix.size()), suffix);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<std::string, InputUriError> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return fail(malformed("truncated %-escape"));
        const int hi = hex_value(s[i + 1]);
        const int lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) return fail(malformed("bad %-escape"));
        out += static_cast<char>((hi << 4) | lo);
        i += 2;
    }
    return out;
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

Result<Bytes, InputUriError> base64_decode(std::string_view s, std::size_t max_bytes) {
    if (s.size() % 4 != 0) return fail(malformed("base64 length is not a multiple of 4"));
    std::size_t pad = 0;
    while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
    const std::size_t out_size = s.size() / 4 * 3 - pad;
    if (out_size > max_bytes) return fail(too_large(max_bytes));
    Bytes out;
    out.reserve(out_size);
    for (std::size_t i = 0; i < s.size(); i += 4) {
        const bool last = i + 4 == s.size();
        std::uint32_t v = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = s[i + j];
            int d = 0;
            if (c == '=' && last && j >= 4 - pad) {
                d = 0;
            } else {
                d = base64_value(c);
                if (d < 0) return fail(malformed("bad base64 character at " + std::to_string(i + j)));
            }
            v = (v << 6) | static_cast<std::uint32_t>(d);
        }
        const std::size_t n = last ? 3 - pad : 3;
        if (last && pad > 0 && (v & ((1U << (8 * pad)) - 1U)) != 0) return fail(malformed("non-canonical base64 padding"));
        for (std::size_t j = 0; j < n; ++j) out.push_back(static_cast<std::uint8_t>((v >> (16 - 8 * j)) & 0xFFU));
    }
    return out;
}

}  // namespace

Result<Bytes, InputUriError> decode_data_uri(std::string_view uri, std::size_t max_bytes) {
    if (!starts_with_nocase(uri, "data:")) return fail(malformed("not a data: URI"));
    const std::string_view rest = uri.substr(5);
    const auto comma = rest.find(',');
    if (comma == std::string_view::npos) return fail(malformed("no ',' before the data"));
    const std::string_view meta = rest.substr(0, comma);
    const std::string_view body = rest.substr(comma + 1);
    auto text = SIGIL_TRY(percent_decode(body));
    if (ends_with_nocase(meta, ";base64")) return base64_decode(text, max_bytes);
    if (text.size() > max_bytes) return fail(too_large(max_bytes));
    return Bytes(text.begin(), text.end());
}

Result<Bytes, InputUriError> fetch_input(const std::string& uri, const FetchLimits& limits) {
    if (starts_with_nocase(uri, "data:")) return decode_data_uri(uri, limits.max_bytes);
    if (!starts_with_nocase(uri, "http://") && !starts_with_nocase(uri, "https://")) {
        return fail(InputUriError{InputUriErrorKind::unsupported_scheme, uri.substr(0, uri.find(':'))});
    }
    const auto scheme_end = uri.find("://") + 3;
    const auto slash = uri.find('/', scheme_end);
    const std::string origin = slash == std::string::npos ? uri : uri.substr(0, slash);
    const std::string path = slash == std::string::npos ? "/" : uri.substr(slash);
    httplib::Client cli(origin);
    if (!cli.is_valid()) return fail(InputUriError{InputUriErrorKind::unreachable, "cannot open a client for " + origin});
    const auto secs = limits.timeout.count() / 1000;
    const auto usecs = (limits.timeout.count() % 1000) * 1000;
    cli.set_connection_timeout(static_cast<time_t>(secs), static_cast<time_t>(usecs));
    cli.set_read_timeout(static_cast<time_t>(secs), static_cast<time_t>(usecs));
    cli.set_follow_location(false);
    const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
    Bytes out;
    bool over = false;
    bool late = false;
    int status = 0;
    auto res = cli.Get(
        path,
        [&](const httplib::Response& r) {
            status = r.status;
            return r.status == 200;
        },
        [&](const char* data, std::size_t n) {
            if (out.size() + n > limits.max_bytes) {
                over = true;
                return false;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                late = true;
                return false;
            }
            const auto* p = reinterpret_cast<const std::uint8_t*>(data);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
            out.insert(out.end(), p, p + n);
            return true;
        });
    if (over) return fail(too_large(limits.max_bytes));
    if (late) return fail(InputUriError{InputUriErrorKind::unreachable, "timed out"});
    if (status != 0 && status != 200) return fail(InputUriError{InputUriErrorKind::http_status, std::to_string(status)});
    if (!res) return fail(InputUriError{InputUriErrorKind::unreachable, httplib::to_string(res.error())});
    if (res->status != 200) return fail(InputUriError{InputUriErrorKind::http_status, std::to_string(res->status)});
    return out;
}

Hash single_input_root(BytesView input) {
    const std::array<Hash, 1> leaves{trace::tensor_root(input)};
    return trace::input_root(leaves);
}

}  // namespace sigil::node
