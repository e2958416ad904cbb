#include "core/bytes.hpp"

namespace sigil {

std::string_view to_string(HexError e) noexcept {
    switch (e) {
        case HexError::odd_length: return "hex_odd_length";
        case HexError::bad_digit: return "hex_bad_digit";
        case HexError::wrong_length: return "hex_wrong_length";
    }
    return "hex_unknown";
}

std::string to_hex(BytesView data, bool prefix) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2 + 2);
    if (prefix) out += "0x";
    for (std::uint8_t b : data) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

namespace {
int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Result<Bytes, HexError> from_hex(std::string_view text) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
    if (text.size() % 2 != 0) return fail(HexError::odd_length);
    Bytes out(text.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(text[2 * i]);
        const int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return fail(HexError::bad_digit);
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

Bytes concat(std::initializer_list<BytesView> parts) {
    std::size_t total = 0;
    for (auto p : parts) total += p.size();
    Bytes out;
    out.reserve(total);
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace sigil
