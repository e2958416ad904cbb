#include "core/address.hpp"

#include <cctype>

#include "core/keccak.hpp"

namespace sigil {

std::string_view to_string(AddressError e) noexcept {
    switch (e) {
        case AddressError::bad_hex: return "address_bad_hex";
        case AddressError::bad_checksum: return "address_bad_checksum";
    }
    return "address_unknown";
}

std::string to_checksum(const Address& a) {
    const std::string lower = to_hex(a, false);
    const Hash h = keccak256(std::string_view(lower));
    std::string out = "0x";
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const char c = lower[i];
        const unsigned nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0x0f);
        out += (c >= 'a' && c <= 'f' && nibble >= 8) ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

Result<Address, AddressError> parse_address(std::string_view text) {
    auto parsed = fixed_from_hex<20>(text);
    if (!parsed) return fail(AddressError::bad_hex);
    std::string_view digits = text;
    if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.remove_prefix(2);
    bool has_lower = false;
    bool has_upper = false;
    for (char c : digits) {
        has_lower |= (c >= 'a' && c <= 'f');
        has_upper |= (c >= 'A' && c <= 'F');
    }
    if (has_lower && has_upper && to_checksum(*parsed).substr(2) != digits) {
        return fail(AddressError::bad_checksum);
    }
    return *parsed;
}

Address address_from_word(const Bytes32& word) noexcept {
    Address a{};
    for (std::size_t i = 0; i < 20; ++i) a[i] = word[12 + i];
    return a;
}

}  // namespace sigil
