#pragma once
/// rapidcheck generators of random ABI types and of values of a given type (tests only).

#include <rapidcheck.h>

#include <utility>
#include <vector>

#include "core/abi/type.hpp"
#include "core/abi/value.hpp"

namespace sigil::abi::test_gen {

/// A container of `lo` to `hi - 1` elements drawn from `g`.
template <typename C, typename G>
rc::Gen<C> sized(int lo, int hi, G g) {
    return rc::gen::mapcat(rc::gen::inRange(lo, hi),
                           [g](int n) { return rc::gen::container<C>(static_cast<std::size_t>(n), g); });
}

inline rc::Gen<Type> leaf_type() {
    return rc::gen::oneOf(
        rc::gen::map(rc::gen::inRange<std::size_t>(1, 33), [](std::size_t k) { return Type::uint(8 * k); }),
        rc::gen::map(rc::gen::inRange<std::size_t>(1, 33), [](std::size_t k) { return Type::int_(8 * k); }),
        rc::gen::just(Type::address()), rc::gen::just(Type::boolean()),
        rc::gen::map(rc::gen::inRange<std::size_t>(1, 33), [](std::size_t n) { return Type::bytes_n(n); }),
        rc::gen::just(Type::bytes()), rc::gen::just(Type::string()));
}

/// A random type with at most `depth` levels of arrays/tuples.
inline rc::Gen<Type> type(int depth) {
    if (depth == 0) return leaf_type();
    return rc::gen::oneOf(
        leaf_type(), rc::gen::map(type(depth - 1), [](Type t) { return Type::array(std::move(t)); }),
        rc::gen::map(rc::gen::pair(type(depth - 1), rc::gen::inRange<std::size_t>(1, 4)),
                     [](std::pair<Type, std::size_t> p) { return Type::fixed_array(std::move(p.first), p.second); }),
        rc::gen::map(sized<std::vector<Type>>(1, 4, type(depth - 1)),
                     [](std::vector<Type> m) { return Type::tuple(std::move(m)); }));
}

/// A random 256-bit word.
inline rc::Gen<u256> word() {
    return rc::gen::map(rc::gen::container<std::vector<std::uint64_t>>(4, rc::gen::arbitrary<std::uint64_t>()),
                        [](const std::vector<std::uint64_t>& w) {
                            u256 v = 0;
                            for (auto x : w) v = (v << 64) | x;
                            return v;
                        });
}

inline rc::Gen<Value> value(const Type& t) {
    switch (t.kind) {
        case Kind::uint_n: {
            const std::size_t bits = t.size;
            return rc::gen::map(word(), [bits](u256 v) {
                if (bits < 256) v &= (u256(1) << bits) - 1;
                return Value::uint(v, bits);
            });
        }
        case Kind::int_n: {
            const std::size_t bits = t.size;
            return rc::gen::map(word(), [bits](u256 v) {
                if (bits < 256) {
                    v &= (u256(1) << bits) - 1;
                    if (bit_test(v, static_cast<unsigned>(bits - 1))) v |= ~((u256(1) << bits) - 1);
                }
                return Value{Kind::int_n, bits, v, {}, {}};
            });
        }
        case Kind::address:
            return rc::gen::map(rc::gen::container<Bytes>(20, rc::gen::arbitrary<std::uint8_t>()),
                                [](const Bytes& b) { return Value{Kind::address, 0, 0, b, {}}; });
        case Kind::boolean: return rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return Value::boolean(b); });
        case Kind::bytes_n:
            return rc::gen::map(rc::gen::container<Bytes>(t.size, rc::gen::arbitrary<std::uint8_t>()),
                                [](const Bytes& b) { return Value::bytes_n(b); });
        case Kind::bytes:
            return rc::gen::map(sized<Bytes>(0, 70, rc::gen::arbitrary<std::uint8_t>()),
                                [](const Bytes& b) { return Value::dyn_bytes(b); });
        case Kind::string:
            return rc::gen::map(rc::gen::arbitrary<std::string>(), [](const std::string& s) { return Value::string(s); });
        case Kind::array:
            return rc::gen::map(sized<std::vector<Value>>(0, 4, value(t.components[0])),
                                [](std::vector<Value> e) { return Value::array(std::move(e)); });
        case Kind::fixed_array:
            return rc::gen::map(rc::gen::container<std::vector<Value>>(t.size, value(t.components[0])),
                                [](std::vector<Value> e) { return Value::fixed_array(std::move(e)); });
        case Kind::tuple: {
            std::vector<rc::Gen<Value>> gens;
            for (const Type& m : t.components) gens.push_back(value(m));
            return rc::gen::exec([gens] {
                std::vector<Value> e;
                for (const auto& g : gens) e.push_back(*g);
                return Value::tuple(std::move(e));
            });
        }
    }
    return rc::gen::just(Value{});
}

/// 0 to 3 random types (depth <= `depth`) with one random value each.
inline rc::Gen<std::pair<std::vector<Type>, std::vector<Value>>> typed_values(int depth) {
    return rc::gen::mapcat(sized<std::vector<Type>>(0, 4, type(depth)), [](std::vector<Type> types) {
        std::vector<rc::Gen<Value>> gens;
        for (const Type& t : types) gens.push_back(value(t));
        return rc::gen::exec([types, gens] {
            std::vector<Value> values;
            for (const auto& g : gens) values.push_back(*g);
            return std::make_pair(types, values);
        });
    });
}

}  // namespace sigil::abi::test_gen
