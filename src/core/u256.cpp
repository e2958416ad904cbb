#include "core/u256.hpp"

namespace sigil {

std::string_view to_string(IntError e) noexcept {
    switch (e) {
        case IntError::empty: return "int_empty";
        case IntError::bad_digit: return "int_bad_digit";
        case IntError::overflow: return "int_overflow";
    }
    return "int_unknown";
}

Result<u256, IntError> parse_u256(std::string_view text) {
    unsigned base = 10;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    if (text.empty()) return fail(IntError::empty);
    u512 acc = 0;
    static const u512 kLimit = (u512(1) << 256);
    for (char c : text) {
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else return fail(IntError::bad_digit);
        if (d >= base) return fail(IntError::bad_digit);
        acc = acc * base + d;
        if (acc >= kLimit) return fail(IntError::overflow);
    }
    return static_cast<u256>(acc);
}

Bytes32 to_be32(const u256& v) noexcept {
    Bytes32 out{};
    u256 x = v;
    for (int i = 31; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x & 0xff);
        x >>= 8;
    }
    return out;
}

u256 from_be(BytesView be) noexcept {
    u256 v = 0;
    for (std::uint8_t b : be) v = (v << 8) | b;
    return v;
}

Bytes to_be_minimal(const u256& v) {
    const Bytes32 full = to_be32(v);
    std::size_t i = 0;
    while (i < 32 && full[i] == 0) ++i;
    return Bytes(full.begin() + static_cast<std::ptrdiff_t>(i), full.end());
}

std::string to_dec(const u256& v) { return v.str(); }

std::string to_hex_quantity(const u256& v) {
    const Bytes m = to_be_minimal(v);
    if (m.empty()) return "0x0";
    std::string h = to_hex(m, false);
    if (h[0] == '0') h.erase(0, 1);
    return "0x" + h;
}

}  // namespace sigil
