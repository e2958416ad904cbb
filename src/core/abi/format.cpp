#include "core/abi/format.hpp"

#include "core/abi/unicode_escape.hpp"

#include <limits>

namespace sigil::abi {

namespace {

/// Code points of `s`, each maximal invalid subsequence replaced by U+FFFD (as Rust's
/// `String::from_utf8_lossy` and the Unicode "substitution of maximal subparts" practice).
std::u32string decode_utf8_lossy(const std::string& s) {
    std::u32string out;
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    while (i < s.size()) {
        const std::uint8_t b0 = byte(i);
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        std::size_t n = 0;
        std::uint8_t lo = 0x80, hi = 0xbf;
        char32_t cp = 0;
        if (b0 >= 0xc2 && b0 <= 0xdf) { n = 1; cp = b0 & 0x1fU; }
        else if (b0 == 0xe0) { n = 2; lo = 0xa0; cp = b0 & 0x0fU; }
        else if ((b0 >= 0xe1 && b0 <= 0xec) || b0 == 0xee || b0 == 0xef) { n = 2; cp = b0 & 0x0fU; }
        else if (b0 == 0xed) { n = 2; hi = 0x9f; cp = b0 & 0x0fU; }
        else if (b0 == 0xf0) { n = 3; lo = 0x90; cp = b0 & 0x07U; }
        else if (b0 >= 0xf1 && b0 <= 0xf3) { n = 3; cp = b0 & 0x07U; }
        else if (b0 == 0xf4) { n = 3; hi = 0x8f; cp = b0 & 0x07U; }
        std::size_t k = 1;
        for (; k <= n && i + k < s.size(); ++k) {
            const std::uint8_t b = byte(i + k);
            if (b < lo || b > hi) break;
            cp = (cp << 6) | (b & 0x3fU);
            lo = 0x80;
            hi = 0xbf;
        }
        if (n == 0 || k <= n) {
            out.push_back(0xfffd);
            i += k;
        } else {
            out.push_back(cp);
            i += n + 1;
        }
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

std::string hex_lower(std::uint32_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), kDigits[v & 0xf]);
        v >>= 4;
    } while (v != 0);
    return out;
}

/// foundry's `format_uint_exp`: the decimal, plus ` [m.mmme<exp>]` (4 significant digits,
/// truncated, trailing zeros trimmed) from 10000 up.
std::string with_exp_hint(const std::string& sign, const u256& abs) {
    std::string digits = to_dec(abs);
    if (abs < 10000) return sign + digits;
    std::string mantissa = digits.substr(0, 4);
    while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.size() > 1) mantissa.insert(1, ".");
    return sign + digits + " [" + sign + mantissa + "e" + std::to_string(digits.size() - 1) + "]";
}

std::string json_quote(const std::string& utf8) {
    std::string out = "\"";
    for (const char32_t cp : decode_utf8_lossy(utf8)) {
        switch (cp) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case 0x7f: break;  // cast's terminal writer drops raw DEL from its output
            default:
                if (cp < 0x20) {
                    const std::string h = hex_lower(static_cast<std::uint32_t>(cp));
                    out += "\\u" + std::string(4 - h.size(), '0') + h;
                } else {
                    append_utf8(out, cp);
                }
        }
    }
    return out + "\"";
}

void json_value(const Value& v, std::size_t indent, std::string& out) {
    switch (v.kind) {
        case Kind::uint_n:
            out += v.num <= std::numeric_limits<std::uint64_t>::max() ? to_dec(v.num) : "\"" + to_dec(v.num) + "\"";
            return;
        case Kind::int_n: {
            const s256 i = v.as_int();
            const bool fits = i >= std::numeric_limits<std::int64_t>::min() && i <= std::numeric_limits<std::int64_t>::max();
            const std::string text = i < 0 ? "-" + to_dec(static_cast<u256>(-i)) : to_dec(static_cast<u256>(i));
            out += fits ? text : "\"" + text + "\"";
            return;
        }
        case Kind::boolean: out += v.num != 0 ? "true" : "false"; return;
        case Kind::address:
        case Kind::bytes_n:
        case Kind::bytes: out += "\"" + format(v) + "\""; return;
        case Kind::string: out += json_quote(v.as_string()); return;
        case Kind::array:
        case Kind::fixed_array:
        case Kind::tuple:
            if (v.elems.empty()) {
                out += "[]";
                return;
            }
            out += "[\n";
            for (std::size_t i = 0; i < v.elems.size(); ++i) {
                out += std::string(indent + 2, ' ');
                json_value(v.elems[i], indent + 2, out);
                out += i + 1 < v.elems.size() ? ",\n" : "\n";
            }
            out += std::string(indent, ' ') + "]";
            return;
    }
}

}  // namespace

std::string debug_quote(const std::string& utf8) {
    std::string out = "\"";
    for (const char32_t cp : decode_utf8_lossy(utf8)) {
        switch (cp) {
            case '\0': out += "\\0"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            default:
                if (detail::debug_escapes(cp)) {
                    out += "\\u{" + hex_lower(static_cast<std::uint32_t>(cp)) + "}";
                } else {
                    append_utf8(out, cp);
                }
        }
    }
    return out + "\"";
}

std::string format(const Value& v) {
    switch (v.kind) {
        case Kind::uint_n: return with_exp_hint("", v.num);
        case Kind::int_n: {
            const s256 i = v.as_int();
            return i < 0 ? with_exp_hint("-", static_cast<u256>(-i)) : with_exp_hint("", static_cast<u256>(i));
        }
        case Kind::boolean: return v.num != 0 ? "true" : "false";
        case Kind::address: return to_checksum(v.as_address());
        case Kind::bytes_n:
        case Kind::bytes: return to_hex(v.bytes);
        case Kind::string: return debug_quote(v.as_string());
        case Kind::array:
        case Kind::fixed_array:
        case Kind::tuple: {
            const bool tuple = v.kind == Kind::tuple;
            std::string out = tuple ? "(" : "[";
            for (std::size_t i = 0; i < v.elems.size(); ++i) {
                if (i > 0) out += ", ";
                out += format(v.elems[i]);
            }
            return out + (tuple ? ")" : "]");
        }
    }
    return {};
}

std::string format_json(const std::vector<Value>& values) {
    std::string out;
    json_value(Value::tuple(values), 0, out);
    return out;
}

}  // namespace sigil::abi
