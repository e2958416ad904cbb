// Hex text decoding: never crashes, and whatever decodes re-encodes to the same digits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/bytes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto decoded = sigil::from_hex(text);
    if (!decoded) return 0;
    std::string digits = text;
    if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.erase(0, 2);
    for (char& c : digits) c = (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    if (sigil::to_hex(*decoded, false) != digits) std::abort();
    return 0;
}
