#include "core/abi/value.hpp"

namespace sigil::abi {

namespace {

/// Two's complement 256-bit word of a signed value.
u256 to_twos(const s256& v) {
    if (v >= 0) return static_cast<u256>(v);
    return ~static_cast<u256>(-(v + 1));
}

/// Whether `w` is the sign extension of its low `bits` bits.
bool is_sign_extended(const u256& w, std::size_t bits) {
    if (bits >= 256) return true;
    const u256 high = w >> (bits - 1);  // the sign bit and everything above it
    const u256 all_ones = (~u256(0)) >> (bits - 1);
    return high == 0 || high == all_ones;
}

}  // namespace

Value Value::int_(const s256& v, std::size_t bits) { return {Kind::int_n, bits, to_twos(v), {}, {}}; }

s256 Value::as_int() const {
    if (!bit_test(num, 255)) return static_cast<s256>(num);
    return -static_cast<s256>(~num) - 1;
}

Address Value::as_address() const {
    Address a{};
    for (std::size_t i = 0; i < a.size() && i < bytes.size(); ++i) a[i] = bytes[i];
    return a;
}

bool conforms(const Type& t, const Value& v) {
    if (t.kind != v.kind) return false;
    switch (t.kind) {
        case Kind::uint_n: return v.size == t.size && (t.size == 256 || (v.num >> t.size) == 0);
        case Kind::int_n: return v.size == t.size && is_sign_extended(v.num, t.size);
        case Kind::address: return v.bytes.size() == 20;
        case Kind::boolean: return v.num <= 1;
        case Kind::bytes_n: return v.size == t.size && v.bytes.size() == t.size;
        case Kind::bytes:
        case Kind::string: return true;
        case Kind::array:
            for (const Value& e : v.elems) {
                if (!conforms(t.components[0], e)) return false;
            }
            return true;
        case Kind::fixed_array:
            if (v.elems.size() != t.size) return false;
            for (const Value& e : v.elems) {
                if (!conforms(t.components[0], e)) return false;
            }
            return true;
        case Kind::tuple: return conforms(t.components, v.elems);
    }
    return false;
}

bool conforms(const std::vector<Type>& types, const std::vector<Value>& values) {
    if (types.size() != values.size()) return false;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (!conforms(types[i], values[i])) return false;
    }
    return true;
}

}  // namespace sigil::abi
