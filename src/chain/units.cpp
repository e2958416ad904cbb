#include "chain/units.hpp"

#include <string>

namespace sigil::chain {

std::string_view to_string(AmountError e) noexcept {
    switch (e) {
        case AmountError::empty: return "empty";
        case AmountError::bad_number: return "bad_number";
        case AmountError::unknown_unit: return "unknown_unit";
        case AmountError::fractional_wei: return "fractional_wei";
        case AmountError::overflow: return "overflow";
    }
    return "unknown";
}

Result<u256, AmountError> parse_amount(std::string_view text) {
    if (text.empty()) return fail(AmountError::empty);
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        auto v = parse_u256(text);
        if (!v) return fail(v.error() == IntError::overflow ? AmountError::overflow : AmountError::bad_number);
        return *v;
    }
    std::size_t end = 0;
    while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '.')) ++end;
    const std::string_view number = text.substr(0, end);
    const std::string_view unit = text.substr(end);
    unsigned decimals = 0;
    if (unit == "ether" || unit == "eth") {
        decimals = 18;
    } else if (unit == "gwei") {
        decimals = 9;
    } else if (!unit.empty() && unit != "wei") {
        return fail(AmountError::unknown_unit);
    }
    const auto dot = number.find('.');
    std::string whole(number.substr(0, dot));
    std::string frac = dot == std::string_view::npos ? "" : std::string(number.substr(dot + 1));
    if (whole.empty() && frac.empty()) return fail(AmountError::empty);
    if (frac.find('.') != std::string::npos) return fail(AmountError::bad_number);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (frac.size() > decimals) return fail(AmountError::fractional_wei);
    std::string digits = (whole.empty() ? "0" : whole) + frac + std::string(decimals - frac.size(), '0');
    auto v = parse_u256(digits);
    if (!v) return fail(v.error() == IntError::overflow ? AmountError::overflow : AmountError::bad_number);
    return *v;
}

}  // namespace sigil::chain
