#include "core/abi/type.hpp"

#include <algorithm>
#include <array>

#include "core/keccak.hpp"

namespace sigil::abi {

namespace {

/// Largest static encoding a type may have (1 GiB): keeps head sizes far from overflow.
constexpr std::size_t kMaxStaticSize = std::size_t{1} << 30;
/// Largest k accepted in `T[k]`.
constexpr std::size_t kMaxFixedArray = std::size_t{1} << 24;

bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Parses a decimal number without sign or leading zeros that is at most `max`; 0 on failure.
std::size_t small_decimal(std::string_view digits, std::size_t max) {
    if (digits.empty() || digits.size() > 9 || (digits.size() > 1 && digits[0] == '0')) return 0;
    std::size_t v = 0;
    for (char c : digits) {
        if (!is_digit(c)) return 0;
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    return v <= max ? v : 0;
}

Result<Type, AbiError> elementary(std::string_view name) {
    if (name == "address") return Type::address();
    if (name == "bool") return Type::boolean();
    if (name == "string") return Type::string();
    if (name == "bytes") return Type::bytes();
    if (name == "uint") return Type::uint(256);
    if (name == "int") return Type::int_(256);
    for (const bool is_signed : {false, true}) {
        const std::string_view prefix = is_signed ? "int" : "uint";
        if (name.substr(0, prefix.size()) != prefix) continue;
        const std::string_view digits = name.substr(prefix.size());
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) break;
        const std::size_t bits = small_decimal(digits, 256);
        if (bits == 0 || bits % 8 != 0) return fail(AbiError::bad_int_size);
        return is_signed ? Type::int_(bits) : Type::uint(bits);
    }
    if (name.substr(0, 5) == "bytes") {
        const std::string_view digits = name.substr(5);
        if (std::all_of(digits.begin(), digits.end(), is_digit)) {
            const std::size_t n = small_decimal(digits, 32);
            if (n == 0) return fail(AbiError::bad_bytes_size);
            return Type::bytes_n(n);
        }
    }
    return fail(AbiError::bad_type);
}

/// Recursive-descent reader over signature text.
class SigParser {
public:
    explicit SigParser(std::string_view s) : s_(s) {}

    void skip_ws() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    }
    bool done() const { return pos_ == s_.size(); }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    bool eat(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }
    std::string_view ident() {
        const std::size_t start = pos_;
        if (pos_ < s_.size() && is_ident_start(s_[pos_])) {
            while (pos_ < s_.size() && is_ident_char(s_[pos_])) ++pos_;
        }
        return s_.substr(start, pos_ - start);
    }
    /// Consumes `word` if it is the next identifier.
    bool eat_word(std::string_view word) {
        const std::size_t save = pos_;
        if (ident() == word) return true;
        pos_ = save;
        return false;
    }

    Result<Type, AbiError> type(std::size_t depth) {
        if (depth > kMaxTypeDepth) return fail(AbiError::type_too_deep);
        Type t = SIGIL_TRY(stem(depth));
        skip_ws();
        while (eat('[')) {
            if (++depth > kMaxTypeDepth) return fail(AbiError::type_too_deep);
            skip_ws();
            const std::size_t start = pos_;
            while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
            const std::string_view digits = s_.substr(start, pos_ - start);
            skip_ws();
            if (!eat(']')) return fail(AbiError::bad_array_size);
            if (digits.empty()) {
                t = Type::array(std::move(t));
            } else {
                const std::size_t k = small_decimal(digits, kMaxFixedArray);
                if (k == 0) {
                    const bool zero = std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
                    return fail(zero ? AbiError::zero_size_type : AbiError::bad_array_size);
                }
                t = Type::fixed_array(std::move(t), k);
                if (!t.is_dynamic() && t.head_size() > kMaxStaticSize) return fail(AbiError::bad_array_size);
            }
            skip_ws();
        }
        return t;
    }

    Result<std::vector<Param>, AbiError> params(bool allow_indexed, std::size_t depth) {
        skip_ws();
        if (!eat('(')) return fail(AbiError::bad_signature);
        std::vector<Param> out;
        skip_ws();
        if (eat(')')) return out;
        while (true) {
            out.push_back(SIGIL_TRY(param(allow_indexed, depth)));
            skip_ws();
            if (eat(',')) continue;
            if (eat(')')) return out;
            return fail(AbiError::bad_signature);
        }
    }

private:
    Result<Type, AbiError> stem(std::size_t depth) {
        skip_ws();
        if (!peek('(')) {
            const std::string_view name = ident();
            if (name.empty()) return fail(AbiError::bad_type);
            if (name != "tuple") return elementary(name);
            skip_ws();
            if (!peek('(')) return fail(AbiError::bad_type);
        }
        const std::vector<Param> members = SIGIL_TRY(params(false, depth + 1));
        if (members.empty()) return fail(AbiError::zero_size_type);
        Type t = Type::tuple(types_of(members));
        if (!t.is_dynamic() && t.head_size() > kMaxStaticSize) return fail(AbiError::bad_array_size);
        return t;
    }

    Result<Param, AbiError> param(bool allow_indexed, std::size_t depth) {
        Param p;
        p.type = SIGIL_TRY(type(depth));
        while (true) {
            skip_ws();
            const std::string_view word = ident();
            if (word.empty()) return p;
            if (word == "memory" || word == "calldata" || word == "storage") continue;
            if (word == "indexed") {
                if (!allow_indexed || p.indexed) return fail(AbiError::bad_indexed);
                p.indexed = true;
                continue;
            }
            if (!p.name.empty()) return fail(AbiError::bad_signature);
            p.name = std::string(word);
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

bool is_modifier(std::string_view w) {
    static constexpr std::array<std::string_view, 10> kModifiers = {
        "external", "public", "internal", "private", "view", "pure", "payable", "nonpayable", "virtual",
        "override"};
    return std::find(kModifiers.begin(), kModifiers.end(), w) != kModifiers.end();
}

std::string join_types(const std::vector<Param>& params) {
    std::string out;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (i > 0) out += ',';
        out += params[i].type.canonical();
    }
    return out;
}

}  // namespace

std::string Type::canonical() const {
    switch (kind) {
        case Kind::uint_n: return "uint" + std::to_string(size);
        case Kind::int_n: return "int" + std::to_string(size);
        case Kind::address: return "address";
        case Kind::boolean: return "bool";
        case Kind::bytes_n: return "bytes" + std::to_string(size);
        case Kind::bytes: return "bytes";
        case Kind::string: return "string";
        case Kind::array: return components[0].canonical() + "[]";
        case Kind::fixed_array: return components[0].canonical() + "[" + std::to_string(size) + "]";
        case Kind::tuple: {
            std::string out = "(";
            for (std::size_t i = 0; i < components.size(); ++i) {
                if (i > 0) out += ',';
                out += components[i].canonical();
            }
            return out + ")";
        }
    }
    return {};
}

bool Type::is_dynamic() const {
    switch (kind) {
        case Kind::bytes:
        case Kind::string:
        case Kind::array: return true;
        case Kind::fixed_array: return components[0].is_dynamic();
        case Kind::tuple:
            return std::any_of(components.begin(), components.end(), [](const Type& t) { return t.is_dynamic(); });
        default: return false;
    }
}

std::size_t Type::head_size() const {
    if (is_dynamic()) return 32;
    if (kind == Kind::fixed_array) return size * components[0].head_size();
    if (kind == Kind::tuple) {
        std::size_t total = 0;
        for (const Type& t : components) total += t.head_size();
        return total;
    }
    return 32;
}

Result<Type, AbiError> parse_type(std::string_view text) {
    SigParser p(text);
    Type t = SIGIL_TRY(p.type(0));
    p.skip_ws();
    if (!p.done()) return fail(AbiError::bad_type);
    return t;
}

std::vector<Type> types_of(const std::vector<Param>& params) {
    std::vector<Type> out;
    out.reserve(params.size());
    for (const Param& p : params) out.push_back(p.type);
    return out;
}

std::string Function::signature() const { return name + "(" + join_types(inputs) + ")"; }

FixedBytes<4> Function::selector() const {
    const Hash h = keccak256(std::string_view(signature()));
    return {h[0], h[1], h[2], h[3]};
}

std::vector<Type> Function::input_types() const { return types_of(inputs); }
std::vector<Type> Function::output_types() const { return types_of(outputs); }

namespace detail {

Result<ParsedSignature, AbiError> parse_signature(std::string_view text, std::string_view keyword,
                                                  bool allow_indexed) {
    SigParser p(text);
    ParsedSignature sig;
    p.skip_ws();
    std::string_view name = p.ident();
    if (!keyword.empty() && name == keyword) {
        p.skip_ws();
        name = p.ident();
    }
    if (name.empty()) return fail(AbiError::bad_signature);
    sig.name = std::string(name);
    sig.inputs = SIGIL_TRY(p.params(allow_indexed, 0));
    bool have_outputs = false;
    while (true) {
        p.skip_ws();
        if (p.done()) return sig;
        if (p.eat(':')) continue;
        if (p.peek('(') && !have_outputs) {
            sig.outputs = SIGIL_TRY(p.params(false, 0));
            have_outputs = true;
            continue;
        }
        const std::string_view word = p.ident();
        if (word == "returns" && !have_outputs) {
            sig.outputs = SIGIL_TRY(p.params(false, 0));
            have_outputs = true;
        } else if (word == "anonymous" && allow_indexed) {
            sig.anonymous = true;
        } else if (!is_modifier(word)) {
            return fail(AbiError::bad_signature);
        }
    }
}

}  // namespace detail

Result<Function, AbiError> parse_function(std::string_view text) {
    detail::ParsedSignature sig = SIGIL_TRY(detail::parse_signature(text, "function", true));
    return Function{std::move(sig.name), std::move(sig.inputs), std::move(sig.outputs)};
}

}  // namespace sigil::abi
