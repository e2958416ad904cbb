#include "core/abi/codec.hpp"

#include <cstdlib>
#include <limits>

namespace sigil::abi {

namespace {

constexpr std::size_t kWord = 32;

std::size_t padded(std::size_t n) { return (n + kWord - 1) / kWord * kWord; }

/// Total head size of a tuple's members.
std::size_t static_head_size(const std::vector<Type>& members) {
    std::size_t total = 0;
    for (const Type& t : members) total += t.head_size();
    return total;
}

void put_word(Bytes& out, const u256& v) {
    const Bytes32 w = to_be32(v);
    out.insert(out.end(), w.begin(), w.end());
}

void put_padded(Bytes& out, BytesView b, bool left_pad) {
    const std::size_t pad = padded(b.size()) - b.size();
    if (left_pad) out.insert(out.end(), pad, 0);
    out.insert(out.end(), b.begin(), b.end());
    if (!left_pad) out.insert(out.end(), pad, 0);
}

void encode_value(const Type& t, const Value& v, Bytes& out);

/// Head/tail encoding of a sequence whose i-th type is `type_at(i)`.
template <typename TypeAt>
void encode_seq(std::size_t n, TypeAt type_at, const std::vector<Value>& vals, Bytes& out) {
    std::size_t head_len = 0;
    for (std::size_t i = 0; i < n; ++i) head_len += type_at(i).head_size();
    Bytes tail;
    for (std::size_t i = 0; i < n; ++i) {
        const Type& t = type_at(i);
        if (t.is_dynamic()) {
            put_word(out, head_len + tail.size());
            encode_value(t, vals[i], tail);
        } else {
            encode_value(t, vals[i], out);
        }
    }
    out.insert(out.end(), tail.begin(), tail.end());
}

void encode_value(const Type& t, const Value& v, Bytes& out) {
    switch (t.kind) {
        case Kind::uint_n:
        case Kind::int_n:
        case Kind::boolean: put_word(out, v.num); return;
        case Kind::address: put_padded(out, v.bytes, true); return;
        case Kind::bytes_n: put_padded(out, v.bytes, false); return;
        case Kind::bytes:
        case Kind::string:
            put_word(out, v.bytes.size());
            put_padded(out, v.bytes, false);
            return;
        case Kind::array:
            put_word(out, v.elems.size());
            encode_seq(v.elems.size(), [&](std::size_t) -> const Type& { return t.components[0]; }, v.elems, out);
            return;
        case Kind::fixed_array:
            encode_seq(t.size, [&](std::size_t) -> const Type& { return t.components[0]; }, v.elems, out);
            return;
        case Kind::tuple:
            encode_seq(t.components.size(), [&](std::size_t i) -> const Type& { return t.components[i]; },
                       v.elems, out);
            return;
    }
}

/// Reads values out of `data`, charging every word it reads against a budget of the data size.
class Decoder {
public:
    Decoder(BytesView data, DecodeMode mode) : data_(data), strict_(mode == DecodeMode::strict), budget_(data.size()) {}

    /// Decodes the head/tail sequence at `base` whose heads take `head_len` bytes in total.
    template <typename TypeAt>
    Result<std::vector<Value>, AbiError> seq(std::size_t n, TypeAt type_at, std::size_t head_len, std::size_t base,
                                             std::size_t& end) {
        if (head_len > data_.size() - base) return fail(AbiError::data_too_short);
        std::vector<Value> out;
        out.reserve(n);
        std::size_t head = base;
        std::size_t tail = base + head_len;
        for (std::size_t i = 0; i < n; ++i) {
            const Type& t = type_at(i);
            std::size_t elem_end = 0;
            if (t.is_dynamic()) {
                const std::size_t at = SIGIL_TRY(offset(base, head));
                if (strict_ && at != tail) return fail(AbiError::non_canonical_offset);
                out.push_back(SIGIL_TRY(value(t, at, elem_end)));
                if (strict_) tail = elem_end;
            } else {
                out.push_back(SIGIL_TRY(value(t, head, elem_end)));
            }
            head += t.head_size();
        }
        end = tail;
        return out;
    }

    Result<Value, AbiError> value(const Type& t, std::size_t pos, std::size_t& end) {
        switch (t.kind) {
            case Kind::uint_n:
            case Kind::int_n:
            case Kind::address:
            case Kind::boolean:
            case Kind::bytes_n: {
                end = pos + kWord;
                return word_value(t, SIGIL_TRY(word(pos)));
            }
            case Kind::bytes:
            case Kind::string: return dynamic_bytes(t, pos, end);
            case Kind::array: {
                const std::size_t elem_size = t.components[0].head_size();
                const std::size_t len = SIGIL_TRY(length(pos, elem_size));
                std::vector<Value> elems = SIGIL_TRY(seq(len, [&](std::size_t) -> const Type& { return t.components[0]; },
                                                         len * elem_size, pos + kWord, end));
                return Value::array(std::move(elems));
            }
            case Kind::fixed_array: {
                std::vector<Value> elems = SIGIL_TRY(seq(t.size, [&](std::size_t) -> const Type& { return t.components[0]; },
                                                         t.size * t.components[0].head_size(), pos, end));
                return Value::fixed_array(std::move(elems));
            }
            case Kind::tuple: {
                std::vector<Value> elems = SIGIL_TRY(seq(t.components.size(),
                                                         [&](std::size_t i) -> const Type& { return t.components[i]; },
                                                         static_head_size(t.components), pos, end));
                return Value::tuple(std::move(elems));
            }
        }
        return fail(AbiError::bad_type);
    }

    bool strict() const { return strict_; }

private:
    Result<Bytes32, AbiError> word(std::size_t pos) {
        if (pos > data_.size() || data_.size() - pos < kWord) return fail(AbiError::data_too_short);
        SIGIL_TRY_VOID(charge(kWord));
        Bytes32 w{};
        for (std::size_t i = 0; i < kWord; ++i) w[i] = data_[pos + i];
        return w;
    }

    Result<void, AbiError> charge(std::size_t n) {
        if (n > budget_) return fail(AbiError::data_reused);
        budget_ -= n;
        return {};
    }

    /// Reads the offset word at `head` and returns `base + offset`, which must lie inside the data.
    Result<std::size_t, AbiError> offset(std::size_t base, std::size_t head) {
        const u256 off = from_be(SIGIL_TRY(word(head)));
        if (off > data_.size() - base) return fail(AbiError::offset_out_of_range);
        return base + static_cast<std::size_t>(off);
    }

    /// Reads a length word at `pos` for items of `item_size` bytes that must fit after it.
    Result<std::size_t, AbiError> length(std::size_t pos, std::size_t item_size) {
        const u256 len = from_be(SIGIL_TRY(word(pos)));
        const std::size_t room = data_.size() - (pos + kWord);
        if (len > room / item_size) return fail(AbiError::length_out_of_range);
        return static_cast<std::size_t>(len);
    }

    Result<Value, AbiError> dynamic_bytes(const Type& t, std::size_t pos, std::size_t& end) {
        const std::size_t len = SIGIL_TRY(length(pos, 1));
        const std::size_t start = pos + kWord;
        end = start + padded(len);
        if (strict_) {
            if (end > data_.size()) return fail(AbiError::data_too_short);
            for (std::size_t i = start + len; i < end; ++i) {
                if (data_[i] != 0) return fail(AbiError::dirty_padding);
            }
        }
        SIGIL_TRY_VOID(charge(len));
        const BytesView payload = data_.subspan(start, len);
        Value v = t.kind == Kind::bytes ? Value::dyn_bytes(payload) : Value{Kind::string, 0, 0, {}, {}};
        if (t.kind == Kind::string) v.bytes.assign(payload.begin(), payload.end());
        return v;
    }

    static Result<Value, AbiError> word_value(const Type& t, const Bytes32& w) {
        const u256 n = from_be(w);
        switch (t.kind) {
            case Kind::uint_n:
                if (t.size < 256 && (n >> t.size) != 0) return fail(AbiError::dirty_uint);
                return Value::uint(n, t.size);
            case Kind::int_n: {
                Value v{Kind::int_n, t.size, n, {}, {}};
                if (t.size < 256) {
                    const u256 high = n >> (t.size - 1);
                    if (high != 0 && high != ((~u256(0)) >> (t.size - 1))) return fail(AbiError::dirty_int);
                }
                return v;
            }
            case Kind::address:
                for (std::size_t i = 0; i < 12; ++i) {
                    if (w[i] != 0) return fail(AbiError::dirty_address);
                }
                return Value::address(address_from_word(w));
            case Kind::boolean:
                if (n > 1) return fail(AbiError::dirty_bool);
                return Value::boolean(n == 1);
            case Kind::bytes_n:
                for (std::size_t i = t.size; i < kWord; ++i) {
                    if (w[i] != 0) return fail(AbiError::dirty_bytes);
                }
                return Value::bytes_n(BytesView(w.data(), t.size));
            default: return fail(AbiError::bad_type);
        }
    }

    BytesView data_;
    bool strict_;
    std::size_t budget_;
};

}  // namespace

Bytes encode(const std::vector<Type>& types, const std::vector<Value>& values) {
    if (!conforms(types, values)) std::abort();  // a caller bug: see the precondition
    Bytes out;
    encode_seq(types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, values, out);
    return out;
}

Result<Bytes, AbiError> try_encode(const std::vector<Type>& types, const std::vector<Value>& values) {
    if (!conforms(types, values)) return fail(AbiError::value_mismatch);
    return encode(types, values);
}

Result<std::vector<Value>, AbiError> decode(const std::vector<Type>& types, BytesView data, DecodeMode mode) {
    Decoder d(data, mode);
    std::size_t end = 0;
    std::vector<Value> out = SIGIL_TRY(
        d.seq(types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, static_head_size(types), 0, end));
    if (d.strict() && end != data.size()) return fail(AbiError::trailing_data);
    return out;
}

Bytes encode_call(const Function& fn, const std::vector<Value>& args) {
    const FixedBytes<4> sel = fn.selector();
    Bytes out(sel.begin(), sel.end());
    const Bytes body = encode(fn.input_types(), args);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Result<std::vector<Value>, AbiError> decode_call(const Function& fn, BytesView calldata, DecodeMode mode) {
    const FixedBytes<4> sel = fn.selector();
    if (calldata.size() < 4 || !std::equal(sel.begin(), sel.end(), calldata.begin())) {
        return fail(AbiError::selector_mismatch);
    }
    return decode(fn.input_types(), calldata.subspan(4), mode);
}

}  // namespace sigil::abi
