#include "core/rlp.hpp"

#include <cstdint>
#include <limits>

namespace sigil::rlp {

std::string_view to_string(RlpError e) noexcept {
    switch (e) {
        case RlpError::empty_input: return "empty_input";
        case RlpError::truncated: return "truncated";
        case RlpError::trailing_bytes: return "trailing_bytes";
        case RlpError::non_canonical_single_byte: return "non_canonical_single_byte";
        case RlpError::non_canonical_length: return "non_canonical_length";
        case RlpError::leading_zero_in_length: return "leading_zero_in_length";
        case RlpError::length_overflow: return "length_overflow";
        case RlpError::too_deep: return "too_deep";
        case RlpError::expected_string: return "expected_string";
        case RlpError::uint_leading_zero: return "uint_leading_zero";
        case RlpError::uint_too_long: return "uint_too_long";
    }
    return "unknown";
}

namespace {

constexpr std::uint8_t kStringOffset = 0x80;
constexpr std::uint8_t kListOffset = 0xc0;
constexpr std::size_t kShortMax = 55;  // payloads up to 55 bytes take a one-byte header

/// Appends the header for a payload of `size` bytes; `offset` is 0x80 (string) or 0xc0 (list).
void append_header(Bytes& out, std::size_t size, std::uint8_t offset) {
    if (size <= kShortMax) {
        out.push_back(static_cast<std::uint8_t>(offset + size));
        return;
    }
    std::uint8_t be[sizeof(std::size_t)] = {};
    std::size_t n = 0;
    for (std::size_t v = size; v != 0; v >>= 8) be[n++] = static_cast<std::uint8_t>(v & 0xff);
    out.push_back(static_cast<std::uint8_t>(offset + kShortMax + n));
    for (std::size_t i = n; i > 0; --i) out.push_back(be[i - 1]);
}

void append_bytes(Bytes& out, BytesView b) {
    if (b.size() == 1 && b[0] < kStringOffset) {
        out.push_back(b[0]);
        return;
    }
    append_header(out, b.size(), kStringOffset);
    out.insert(out.end(), b.begin(), b.end());
}

void append_item(Bytes& out, const Item& item) {
    if (!item.is_list) {
        append_bytes(out, item.bytes);
        return;
    }
    Bytes payload;
    for (const Item& child : item.list) append_item(payload, child);
    append_header(out, payload.size(), kListOffset);
    out.insert(out.end(), payload.begin(), payload.end());
}

/// Reads a long-form length of `len_of_len` bytes starting at in[1].
Result<std::size_t, RlpError> read_long_length(BytesView in, std::size_t len_of_len) {
    if (in.size() < 1 + len_of_len) return fail(RlpError::truncated);
    if (len_of_len > sizeof(std::size_t)) return fail(RlpError::length_overflow);
    std::size_t size = 0;
    for (std::size_t i = 0; i < len_of_len; ++i) size = (size << 8) | in[1 + i];
    if (size <= kShortMax) return fail(RlpError::non_canonical_length);
    if (in[1] == 0) return fail(RlpError::leading_zero_in_length);
    return size;
}

Result<Item, RlpError> decode_item(BytesView in, std::size_t depth);

Result<Item, RlpError> decode_list_payload(BytesView payload, std::size_t depth) {
    if (depth > kMaxDepth) return fail(RlpError::too_deep);
    Item item = Item::list_of({});
    while (!payload.empty()) {
        const Header h = SIGIL_TRY(decode_header(payload));
        const std::size_t total = h.header_size + h.payload_size;
        item.list.push_back(SIGIL_TRY(decode_item(payload.first(total), depth)));
        payload = payload.subspan(total);
    }
    return item;
}

/// Decodes the single item that spans exactly `in` (the caller checked the header's extent).
Result<Item, RlpError> decode_item(BytesView in, std::size_t depth) {
    const Header h = SIGIL_TRY(decode_header(in));
    const BytesView payload = in.subspan(h.header_size, h.payload_size);
    if (h.is_list) return decode_list_payload(payload, depth + 1);
    return Item::string(payload);
}

}  // namespace

Result<Header, RlpError> decode_header(BytesView in) {
    if (in.empty()) return fail(RlpError::empty_input);
    const std::uint8_t b = in[0];
    Header h;
    if (b < kStringOffset) {
        h.payload_size = 1;
        return h;
    }
    h.is_list = b >= kListOffset;
    const std::uint8_t offset = h.is_list ? kListOffset : kStringOffset;
    const std::size_t code = static_cast<std::size_t>(b - offset);
    if (code <= kShortMax) {
        h.header_size = 1;
        h.payload_size = code;
        if (in.size() - 1 < code) return fail(RlpError::truncated);
        if (!h.is_list && code == 1 && in[1] < kStringOffset) {
            return fail(RlpError::non_canonical_single_byte);
        }
        return h;
    }
    const std::size_t len_of_len = code - kShortMax;
    h.header_size = 1 + len_of_len;
    h.payload_size = SIGIL_TRY(read_long_length(in, len_of_len));
    if (h.payload_size > std::numeric_limits<std::size_t>::max() - h.header_size) {
        return fail(RlpError::length_overflow);
    }
    if (in.size() - h.header_size < h.payload_size) return fail(RlpError::truncated);
    return h;
}

Bytes encode(const Item& item) {
    Bytes out;
    append_item(out, item);
    return out;
}

Bytes encode_bytes(BytesView b) {
    Bytes out;
    append_bytes(out, b);
    return out;
}

Bytes encode_uint(const u256& v) {
    const Bytes be = to_be_minimal(v);
    return encode_bytes(be);
}

Bytes encode_list_payload(BytesView payload) {
    Bytes out;
    append_header(out, payload.size(), kListOffset);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Result<Item, RlpError> decode(BytesView in) {
    const Header h = SIGIL_TRY(decode_header(in));
    if (h.header_size + h.payload_size != in.size()) return fail(RlpError::trailing_bytes);
    return decode_item(in, 0);
}

Result<u256, RlpError> decode_uint(const Item& item) {
    if (item.is_list) return fail(RlpError::expected_string);
    if (item.bytes.size() > 32) return fail(RlpError::uint_too_long);
    if (!item.bytes.empty() && item.bytes[0] == 0) return fail(RlpError::uint_leading_zero);
    return from_be(item.bytes);
}

}  // namespace sigil::rlp
