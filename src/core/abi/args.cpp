#include "core/abi/args.hpp"

#include <optional>

namespace sigil::abi {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }
/// Removes trailing Unicode White_Space (as Rust's `str::trim_end`, which cast applies).
std::string_view trim_end(std::string_view s) {
    static constexpr std::string_view kWide[] = {
        "\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
        "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"};
    while (!s.empty()) {
        const char c = s.back();
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            s.remove_suffix(1);
            continue;
        }
        bool trimmed = false;
        for (const std::string_view w : kWide) {
            if (s.size() >= w.size() && s.substr(s.size() - w.size()) == w) {
                s.remove_suffix(w.size());
                trimmed = true;
                break;
            }
        }
        if (!trimmed) break;
    }
    return s;
}

/// 10^e as a u256, or nothing when it does not fit (e > 77).
std::optional<u256> pow10(std::size_t e) {
    if (e > 77) return std::nullopt;
    u256 v = 1;
    for (std::size_t i = 0; i < e; ++i) v *= 10;
    return v;
}

std::optional<u256> checked_mul(const u256& a, const u256& b) {
    const u512 p = static_cast<u512>(a) * static_cast<u512>(b);
    if (p > static_cast<u512>(~u256(0))) return std::nullopt;
    return static_cast<u256>(p);
}

std::optional<u256> checked_add(const u256& a, const u256& b) {
    const u256 s = a + b;
    if (s < a) return std::nullopt;
    return s;
}

/// Parses digits of `radix` (already checked to be hex digits) into a u256.
Result<u256, AbiError> parse_radix(std::string_view digits, unsigned radix) {
    u512 v = 0;
    for (char c : digits) {
        unsigned d = 0;
        if (is_digit(c)) d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else d = static_cast<unsigned>(c - 'A' + 10);
        if (d >= radix) return fail(AbiError::bad_number);
        v = v * radix + d;
        if (v > static_cast<u512>(~u256(0))) return fail(AbiError::number_out_of_range);
    }
    return static_cast<u256>(v);
}

std::size_t bit_len(const u256& v) { return v == 0 ? 0 : msb(v) + 1; }

/// Reader over argument text. `list_end_` is the closing bracket of the innermost list (for
/// unquoted strings inside lists).
class ArgParser {
public:
    explicit ArgParser(std::string_view s) : s_(s) {}

    bool done() const { return pos_ == s_.size(); }

    Result<Value, AbiError> value(const Type& t) {
        switch (t.kind) {
            case Kind::boolean: return boolean();
            case Kind::uint_n: return Value::uint(SIGIL_TRY(uint(t.size)), t.size);
            case Kind::int_n: return signed_int(t.size);
            case Kind::address: {
                const Bytes b = SIGIL_TRY(hex());
                if (b.size() != 20) return fail(AbiError::bad_length);
                Address a{};
                for (std::size_t i = 0; i < 20; ++i) a[i] = b[i];
                return Value::address(a);
            }
            case Kind::bytes_n: {
                const Bytes b = SIGIL_TRY(hex());
                if (b.size() != t.size) return fail(AbiError::bad_length);
                return Value::bytes_n(b);
            }
            case Kind::bytes: return Value::dyn_bytes(SIGIL_TRY(hex()));
            case Kind::string: return Value::string(SIGIL_TRY(string()));
            case Kind::array: return Value::array(SIGIL_TRY(list(t.components[0])));
            case Kind::fixed_array: {
                std::vector<Value> elems = SIGIL_TRY(list(t.components[0]));
                if (elems.size() != t.size) return fail(AbiError::array_length_mismatch);
                return Value::fixed_array(std::move(elems));
            }
            case Kind::tuple: return tuple(t);
        }
        return fail(AbiError::bad_type);
    }

private:
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    bool eat(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }
    void skip_spaces() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    }
    template <typename Pred>
    std::string_view take_while(Pred pred) {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && pred(s_[pos_])) ++pos_;
        return s_.substr(start, pos_ - start);
    }

    Result<Value, AbiError> boolean() {
        const std::string_view word = take_while(is_alpha);
        if (word == "true") return Value::boolean(true);
        if (word == "false") return Value::boolean(false);
        return fail(AbiError::bad_bool);
    }

    Result<Value, AbiError> signed_int(std::size_t bits) {
        bool negative = false;
        if (eat('-')) negative = true;
        else eat('+');
        const u256 abs = SIGIL_TRY(uint(bits));
        const u256 limit = u256(1) << (bits - 1);  // |min| of intN
        if (negative ? abs > limit : abs >= limit) return fail(AbiError::number_out_of_range);
        // s256 is sign-magnitude with a 256-bit magnitude, so -2^255 is representable.
        const s256 v = negative ? -static_cast<s256>(abs) : static_cast<s256>(abs);
        return Value::int_(v, bits);
    }

    /// `{literal}(.digits)?(e[+-]?digits)?\s*{unit}?` scaled by the unit, at most `bits` bits.
    Result<u256, AbiError> uint(std::size_t bits) {
        const u256 intpart = SIGIL_TRY(literal());
        std::optional<std::string_view> fract;
        if (eat('.')) {
            fract = take_while(is_digit);
            if (fract->empty()) return fail(AbiError::bad_number);
        }
        long long units = SIGIL_TRY(exponent());
        skip_spaces();
        const std::string_view unit = take_while(is_alpha);
        if (unit == "ether") units += 18;
        else if (unit == "gwei" || unit == "nano" || unit == "nanoether") units += 9;
        else if (!unit.empty() && unit != "wei") return fail(AbiError::bad_number);
        if (units < 0) return fail(AbiError::negative_units);
        const u256 v = SIGIL_TRY(scale(intpart, fract, static_cast<std::size_t>(units)));
        if (bit_len(v) > bits) return fail(AbiError::number_out_of_range);
        return v;
    }

    Result<u256, AbiError> literal() {
        unsigned radix = 10;
        if (pos_ + 1 < s_.size() && s_[pos_] == '0') {
            const char p = s_[pos_ + 1];
            if (p == 'x' || p == 'X') radix = 16;
            if (p == 'o' || p == 'O') radix = 8;
            if (p == 'b' || p == 'B') radix = 2;
        }
        if (radix != 10) pos_ += 2;
        const std::string_view digits = radix == 10 ? take_while(is_digit) : take_while(is_hex_digit);
        if (digits.empty()) return fail(AbiError::bad_number);
        return parse_radix(digits, radix);
    }

    /// An optional `e`/`E` exponent; left unconsumed unless digits follow.
    Result<long long, AbiError> exponent() {
        if (!peek('e') && !peek('E')) return 0LL;
        const std::size_t save = pos_;
        ++pos_;
        bool negative = false;
        if (eat('-')) negative = true;
        else eat('+');
        const std::string_view digits = take_while(is_digit);
        if (digits.empty()) {
            pos_ = save;
            return 0LL;
        }
        if (digits.size() > 6) return fail(AbiError::number_out_of_range);
        long long e = 0;
        for (char c : digits) e = e * 10 + (c - '0');
        return negative ? -e : e;
    }

    static Result<u256, AbiError> scale(const u256& intpart, std::optional<std::string_view> fract, std::size_t units) {
        if (!fract) {
            if (units == 0) return intpart;
            const auto p = pow10(units);
            const auto v = p ? checked_mul(intpart, *p) : std::nullopt;
            if (!v) return fail(AbiError::number_out_of_range);
            return *v;
        }
        const u256 f = SIGIL_TRY(parse_radix(*fract, 10));
        if (units == 0 && f != 0) return fail(AbiError::fraction_not_allowed);
        if (fract->size() > units) return fail(AbiError::fraction_not_allowed);
        const auto ext = pow10(fract->size());
        const auto extended = ext ? checked_mul(intpart, *ext) : std::nullopt;
        const auto sum = extended ? checked_add(f, *extended) : std::nullopt;
        const auto rest = pow10(units - fract->size());
        const auto v = (sum && rest) ? checked_mul(*sum, *rest) : std::nullopt;
        if (!v) return fail(AbiError::number_out_of_range);
        return *v;
    }

    /// `(0x)?[0-9a-fA-F]*`, non-empty unless prefixed.
    Result<Bytes, AbiError> hex() {
        const bool prefixed = s_.substr(pos_, 2) == "0x";
        if (prefixed) pos_ += 2;
        const std::string_view digits = take_while(is_hex_digit);
        if (!prefixed && digits.empty()) return fail(AbiError::bad_hex);
        auto b = from_hex(digits);
        if (!b) return fail(AbiError::bad_hex);
        return std::move(*b);
    }

    Result<std::string, AbiError> string() {
        if (done()) return std::string();
        const char delim = s_[pos_];
        if (delim == '"' || delim == '\'') {
            ++pos_;
            const std::string_view body = take_while([delim](char c) { return c != delim; });
            if (!eat(delim)) return fail(AbiError::bad_string);
            return std::string(body);
        }
        std::string_view body;
        if (list_end_ != 0) {
            const char end = list_end_;
            body = take_while([end](char c) { return c != ',' && c != end; });
            if (body.empty()) return fail(AbiError::bad_string);
        } else {
            body = s_.substr(pos_);
            pos_ = s_.size();
        }
        return std::string(trim_end(body));
    }

    Result<std::vector<Value>, AbiError> list(const Type& elem) {
        if (!eat('[')) return fail(AbiError::bad_list);
        const char saved = list_end_;
        list_end_ = ']';
        std::vector<Value> out;
        skip_spaces();
        while (!eat(']')) {
            out.push_back(SIGIL_TRY(value(elem)));
            if (eat(',')) {
                skip_spaces();
                continue;
            }
            skip_spaces();
            if (!eat(']')) return fail(AbiError::bad_list);
            break;
        }
        list_end_ = saved;
        return out;
    }

    Result<Value, AbiError> tuple(const Type& t) {
        skip_spaces();
        if (!eat('(')) return fail(AbiError::bad_list);
        const char saved = list_end_;
        list_end_ = ')';
        std::vector<Value> out;
        for (std::size_t i = 0; i < t.components.size(); ++i) {
            if (i > 0) {
                skip_spaces();
                if (!eat(',')) return fail(AbiError::bad_list);
            }
            skip_spaces();
            out.push_back(SIGIL_TRY(value(t.components[i])));
        }
        skip_spaces();
        if (!eat(')')) return fail(AbiError::bad_list);
        list_end_ = saved;
        return Value::tuple(std::move(out));
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    char list_end_ = 0;
};

}  // namespace

Result<Value, AbiError> parse_arg(const Type& t, std::string_view text) {
    ArgParser p(text);
    Value v = SIGIL_TRY(p.value(t));
    if (!p.done()) return fail(AbiError::trailing_text);
    return v;
}

Result<std::vector<Value>, AbiError> parse_args(const std::vector<Type>& types, const std::vector<std::string>& args) {
    if (types.size() != args.size()) return fail(AbiError::arg_count_mismatch);
    std::vector<Value> out;
    out.reserve(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) out.push_back(SIGIL_TRY(parse_arg(types[i], args[i])));
    return out;
}

}  // namespace sigil::abi
