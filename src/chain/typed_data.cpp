#include "chain/typed_data.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/address.hpp"
#include "core/keccak.hpp"
#include "core/u256.hpp"

namespace sigil::chain {
namespace {

using nlohmann::json;
using Types = std::map<std::string, std::vector<TypedData::Field>>;

constexpr int kMaxDepth = 64;

/// Splits `T[...]` into the element type and the declared length (0 for dynamic `[]`).
struct ArrayType {
    std::string element;
    std::size_t length = 0;
    bool is_array = false;
};

Result<ArrayType, TypedDataError> split_array(const std::string& type) {
    if (type.empty() || type.back() != ']') return ArrayType{type, 0, false};
    const auto open = type.rfind('[');
    if (open == std::string::npos || open == 0) return fail(TypedDataError::bad_type_string);
    const std::string digits = type.substr(open + 1, type.size() - open - 2);
    std::size_t length = 0;
    for (char c : digits) {
        if (c < '0' || c > '9' || length > 1'000'000) return fail(TypedDataError::bad_type_string);
        length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!digits.empty() && length == 0) return fail(TypedDataError::bad_type_string);
    return ArrayType{type.substr(0, open), length, true};
}

std::string base_type(const std::string& type) {
    const auto open = type.find('[');
    return open == std::string::npos ? type : type.substr(0, open);
}

/// Parses the bit width of `uintN`/`intN` or the size of `bytesN`; 0 when absent.
Result<unsigned, TypedDataError> type_size(std::string_view digits, unsigned max, unsigned step) {
    if (digits.empty()) return 0u;
    unsigned v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9' || v > 1000) return fail(TypedDataError::bad_type_string);
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v == 0 || v > max || v % step != 0 || digits[0] == '0') return fail(TypedDataError::bad_type_string);
    return v;
}

Result<s256, TypedDataError> parse_integer(const json& v) {
    if (v.is_number_unsigned()) return s256(v.get<std::uint64_t>());
    if (v.is_number_integer()) return s256(v.get<std::int64_t>());
    if (!v.is_string()) return fail(TypedDataError::bad_value);
    std::string_view text = v.get_ref<const std::string&>();
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) text.remove_prefix(1);
    auto magnitude = parse_u256(text);
    if (!magnitude) {
        return fail(magnitude.error() == IntError::overflow ? TypedDataError::out_of_range
                                                            : TypedDataError::bad_value);
    }
    // s256 is sign-magnitude with a 256-bit magnitude, so every u256 magnitude fits; the caller
    // checks the type's range.
    s256 out = s256(*magnitude);
    return negative ? s256(-out) : out;
}

Result<Bytes32, TypedDataError> encode_integer(const std::string& type, const json& v) {
    const bool is_signed = type[0] == 'i';
    const unsigned bits = SIGIL_TRY(type_size(std::string_view(type).substr(is_signed ? 3 : 4), 256, 8));
    const unsigned width = bits == 0 ? 256 : bits;
    if (!is_signed && v.is_string() && v.get_ref<const std::string&>().rfind('-', 0) != 0) {
        // Unsigned: the full 256-bit range is allowed.
        auto u = parse_u256(v.get_ref<const std::string&>());
        if (!u) return fail(u.error() == IntError::overflow ? TypedDataError::out_of_range : TypedDataError::bad_value);
        if (width < 256 && (*u >> width) != 0) return fail(TypedDataError::out_of_range);
        return to_be32(*u);
    }
    const s256 x = SIGIL_TRY(parse_integer(v));
    if (is_signed) {
        const s256 limit = s256(1) << (width - 1);
        if (x < -limit || x >= limit) return fail(TypedDataError::out_of_range);
        const u256 word = x < 0 ? u256(0) - u256(-x) : u256(x);
        return to_be32(word);
    }
    if (x < 0 || (width < 256 && (u256(x) >> width) != 0)) return fail(TypedDataError::out_of_range);
    return to_be32(u256(x));
}

Result<Bytes, TypedDataError> hex_value(const json& v) {
    if (!v.is_string()) return fail(TypedDataError::bad_value);
    auto bytes = from_hex(v.get_ref<const std::string&>());
    if (!bytes) return fail(TypedDataError::bad_value);
    return std::move(*bytes);
}

class Encoder {
public:
    explicit Encoder(const Types& types) : types_(types) {}

    Result<std::string, TypedDataError> encode_type(const std::string& primary) const {
        if (!types_.count(primary)) return fail(TypedDataError::unknown_type);
        std::set<std::string> deps;
        SIGIL_TRY_VOID(collect(primary, deps, 0));
        deps.erase(primary);
        std::string out = describe(primary);
        for (const auto& d : deps) out += describe(d);
        return out;
    }

    Result<Hash, TypedDataError> hash_struct(const std::string& type, const json& value, int depth) const {
        if (depth > kMaxDepth) return fail(TypedDataError::too_deep);
        if (!value.is_object()) return fail(TypedDataError::bad_value);
        const std::string enc_type = SIGIL_TRY(encode_type(type));
        Bytes buf;
        const Hash th = keccak256(std::string_view(enc_type));
        buf.insert(buf.end(), th.begin(), th.end());
        for (const auto& f : types_.at(type)) {
            if (!value.contains(f.name)) return fail(TypedDataError::missing_field);
            const Bytes32 word = SIGIL_TRY(encode_value(f.type, value[f.name], depth + 1));
            buf.insert(buf.end(), word.begin(), word.end());
        }
        return keccak256(buf);
    }

private:
    Result<void, TypedDataError> collect(const std::string& type, std::set<std::string>& deps, int depth) const {
        if (depth > kMaxDepth) return fail(TypedDataError::too_deep);
        if (deps.count(type) || !types_.count(type)) return {};
        deps.insert(type);
        for (const auto& f : types_.at(type)) SIGIL_TRY_VOID(collect(base_type(f.type), deps, depth + 1));
        return {};
    }

    std::string describe(const std::string& type) const {
        std::string out = type + "(";
        const auto& fields = types_.at(type);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ",";
            out += fields[i].type + " " + fields[i].name;
        }
        return out + ")";
    }

    Result<Bytes32, TypedDataError> encode_value(const std::string& type, const json& v, int depth) const {
        if (depth > kMaxDepth) return fail(TypedDataError::too_deep);
        const ArrayType arr = SIGIL_TRY(split_array(type));
        if (arr.is_array) return encode_array(arr, v, depth);
        if (types_.count(type)) return hash_struct(type, v, depth);
        if (type == "string") {
            if (!v.is_string()) return fail(TypedDataError::bad_value);
            return keccak256(std::string_view(v.get_ref<const std::string&>()));
        }
        if (type == "bytes") return keccak256(SIGIL_TRY(hex_value(v)));
        if (type == "bool") {
            if (!v.is_boolean()) return fail(TypedDataError::bad_value);
            return to_be32(u256(v.get<bool>() ? 1 : 0));
        }
        if (type == "address") {
            if (!v.is_string()) return fail(TypedDataError::bad_value);
            auto a = parse_address(v.get_ref<const std::string&>());
            if (!a) return fail(TypedDataError::bad_value);
            Bytes32 word{};
            std::copy(a->begin(), a->end(), word.begin() + 12);
            return word;
        }
        if (type.rfind("uint", 0) == 0 || type.rfind("int", 0) == 0) return encode_integer(type, v);
        if (type.rfind("bytes", 0) == 0) {
            const unsigned n = SIGIL_TRY(type_size(std::string_view(type).substr(5), 32, 1));
            const Bytes b = SIGIL_TRY(hex_value(v));
            if (n == 0 || b.size() != n) return fail(TypedDataError::out_of_range);
            Bytes32 word{};
            std::copy(b.begin(), b.end(), word.begin());
            return word;
        }
        return fail(TypedDataError::unknown_type);
    }

    Result<Bytes32, TypedDataError> encode_array(const ArrayType& arr, const json& v, int depth) const {
        if (!v.is_array()) return fail(TypedDataError::bad_value);
        if (arr.length != 0 && v.size() != arr.length) return fail(TypedDataError::wrong_array_length);
        Bytes buf;
        buf.reserve(v.size() * 32);
        for (const auto& item : v) {
            const Bytes32 word = SIGIL_TRY(encode_value(arr.element, item, depth + 1));
            buf.insert(buf.end(), word.begin(), word.end());
        }
        return keccak256(buf);
    }

    const Types& types_;
};

/// EIP712Domain's fields in the order the EIP lists them, for documents that omit the type.
std::vector<TypedData::Field> infer_domain_type(const json& domain) {
    static const std::vector<TypedData::Field> kAll = {
        {"name", "string"}, {"version", "string"}, {"chainId", "uint256"},
        {"verifyingContract", "address"}, {"salt", "bytes32"}};
    std::vector<TypedData::Field> out;
    for (const auto& f : kAll) {
        if (domain.contains(f.name)) out.push_back(f);
    }
    return out;
}

}  // namespace

std::string_view to_string(TypedDataError e) noexcept {
    switch (e) {
        case TypedDataError::invalid_json: return "invalid_json";
        case TypedDataError::unknown_type: return "unknown_type";
        case TypedDataError::bad_type_string: return "bad_type_string";
        case TypedDataError::missing_field: return "missing_field";
        case TypedDataError::bad_value: return "bad_value";
        case TypedDataError::out_of_range: return "out_of_range";
        case TypedDataError::wrong_array_length: return "wrong_array_length";
        case TypedDataError::too_deep: return "too_deep";
    }
    return "unknown";
}

Result<TypedData, TypedDataError> TypedData::parse(std::string_view json_text) {
    const json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(TypedDataError::invalid_json);
    if (!doc.contains("types") || !doc["types"].is_object() || !doc.contains("primaryType") ||
        !doc["primaryType"].is_string() || !doc.contains("message") || !doc["message"].is_object())
        return fail(TypedDataError::invalid_json);
    const json domain = doc.contains("domain") ? doc["domain"] : json::object();
    if (!domain.is_object()) return fail(TypedDataError::invalid_json);
    TypedData out;
    for (const auto& [name, fields] : doc["types"].items()) {
        if (!fields.is_array()) return fail(TypedDataError::invalid_json);
        auto& list = out.types_[name];
        for (const auto& f : fields) {
            if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("type") ||
                !f["type"].is_string())
                return fail(TypedDataError::invalid_json);
            list.push_back({f["name"].get<std::string>(), f["type"].get<std::string>()});
        }
    }
    if (!out.types_.count("EIP712Domain")) out.types_["EIP712Domain"] = infer_domain_type(domain);
    out.primary_type_ = doc["primaryType"].get<std::string>();
    out.domain_json_ = domain.dump();
    out.message_json_ = doc["message"].dump();
    return out;
}

Result<std::string, TypedDataError> TypedData::encode_type(const std::string& type) const {
    return Encoder(types_).encode_type(type);
}

Result<Hash, TypedDataError> TypedData::domain_separator() const {
    return Encoder(types_).hash_struct("EIP712Domain", json::parse(domain_json_), 0);
}

Result<Hash, TypedDataError> TypedData::message_hash() const {
    return Encoder(types_).hash_struct(primary_type_, json::parse(message_json_), 0);
}

Result<Hash, TypedDataError> TypedData::signing_hash() const {
    const Hash domain = SIGIL_TRY(domain_separator());
    const Hash message = SIGIL_TRY(message_hash());
    const std::uint8_t prefix[2] = {0x19, 0x01};
    return keccak256(concat({BytesView(prefix, 2), as_bytes(domain), as_bytes(message)}));
}

Result<Signature, TypedDataError> sign_typed_data(const PrivateKey& key, const TypedData& data) {
    const Hash digest = SIGIL_TRY(data.signing_hash());
    return key.sign(digest);
}

}  // namespace sigil::chain
