#include "chain/transaction.hpp"

#include <limits>

#include "core/keccak.hpp"

namespace sigil::chain {
namespace {

using rlp::Item;

Item to_item(const std::optional<Address>& to) {
    return to ? Item::string(as_bytes(*to)) : Item::string({});
}

Item access_list_item(const std::vector<AccessListEntry>& list) {
    std::vector<Item> entries;
    for (const auto& e : list) {
        std::vector<Item> keys;
        for (const auto& k : e.storage_keys) keys.push_back(Item::string(as_bytes(k)));
        entries.push_back(Item::list_of({Item::string(as_bytes(e.address)), Item::list_of(std::move(keys))}));
    }
    return Item::list_of(std::move(entries));
}

std::vector<Item> legacy_fields(const LegacyTx& t) {
    return {Item::uint(t.nonce), Item::uint(t.gas_price), Item::uint(t.gas_limit), to_item(t.to),
            Item::uint(t.value), Item::string(t.data)};
}

std::vector<Item> eip1559_fields(const Eip1559Tx& t) {
    return {Item::uint(t.chain_id),   Item::uint(t.nonce),     Item::uint(t.max_priority_fee_per_gas),
            Item::uint(t.max_fee_per_gas), Item::uint(t.gas_limit), to_item(t.to),
            Item::uint(t.value),      Item::string(t.data),    access_list_item(t.access_list)};
}

Bytes typed(std::uint8_t type, const Item& payload) {
    Bytes out{type};
    const Bytes body = rlp::encode(payload);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

// ---- decoding -------------------------------------------------------------------------------

TxDecodeError err(TxError e) { return TxDecodeError{e, std::nullopt}; }
TxDecodeError rlp_err(rlp::RlpError e) { return TxDecodeError{TxError::rlp, e}; }

Result<u256, TxDecodeError> uint_field(const Item& item) {
    auto v = rlp::decode_uint(item);
    if (!v) return fail(rlp_err(v.error()));
    return *v;
}

Result<std::uint64_t, TxDecodeError> u64_field(const Item& item) {
    const u256 v = SIGIL_TRY(uint_field(item));
    if (v > u256(std::numeric_limits<std::uint64_t>::max())) return fail(err(TxError::bad_field));
    return static_cast<std::uint64_t>(v);
}

Result<Bytes, TxDecodeError> bytes_field(const Item& item) {
    if (item.is_list) return fail(err(TxError::bad_field));
    return item.bytes;
}

Result<std::optional<Address>, TxDecodeError> to_field(const Item& item) {
    if (item.is_list || (!item.bytes.empty() && item.bytes.size() != 20)) return fail(err(TxError::bad_field));
    if (item.bytes.empty()) return std::optional<Address>{};
    Address a{};
    std::copy(item.bytes.begin(), item.bytes.end(), a.begin());
    return std::optional<Address>(a);
}

Result<std::vector<AccessListEntry>, TxDecodeError> access_list_field(const Item& item) {
    if (!item.is_list) return fail(err(TxError::bad_field));
    std::vector<AccessListEntry> out;
    for (const auto& e : item.list) {
        if (!e.is_list || e.list.size() != 2 || e.list[0].is_list || e.list[0].bytes.size() != 20 ||
            !e.list[1].is_list)
            return fail(err(TxError::bad_field));
        AccessListEntry entry;
        std::copy(e.list[0].bytes.begin(), e.list[0].bytes.end(), entry.address.begin());
        for (const auto& k : e.list[1].list) {
            if (k.is_list || k.bytes.size() != 32) return fail(err(TxError::bad_field));
            Hash h{};
            std::copy(k.bytes.begin(), k.bytes.end(), h.begin());
            entry.storage_keys.push_back(h);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

Result<Bytes32, TxDecodeError> scalar_field(const Item& item) {
    const u256 v = SIGIL_TRY(uint_field(item));
    return to_be32(v);
}

Result<SignedTx, TxDecodeError> decode_legacy(const Item& root, BytesView raw) {
    if (!root.is_list || root.list.size() != 9) return fail(err(TxError::wrong_field_count));
    const auto& f = root.list;
    LegacyTx t;
    t.nonce = SIGIL_TRY(uint_field(f[0]));
    t.gas_price = SIGIL_TRY(uint_field(f[1]));
    t.gas_limit = SIGIL_TRY(uint_field(f[2]));
    t.to = SIGIL_TRY(to_field(f[3]));
    t.value = SIGIL_TRY(uint_field(f[4]));
    t.data = SIGIL_TRY(bytes_field(f[5]));
    const u256 v = SIGIL_TRY(uint_field(f[6]));
    Signature sig;
    sig.r = SIGIL_TRY(scalar_field(f[7]));
    sig.s = SIGIL_TRY(scalar_field(f[8]));
    if (v == 27 || v == 28) {
        t.chain_id = 0;
        sig.recovery_id = static_cast<std::uint8_t>(v - 27);
    } else if (v >= 37 && v <= u256(std::numeric_limits<std::uint64_t>::max())) {
        t.chain_id = static_cast<std::uint64_t>((v - 35) / 2);
        sig.recovery_id = static_cast<std::uint8_t>((v - 35) % 2);
    } else {
        return fail(err(TxError::bad_signature));
    }
    return SignedTx{t, sig, Bytes(raw.begin(), raw.end()), keccak256(raw)};
}

Result<SignedTx, TxDecodeError> decode_eip1559(const Item& root, BytesView raw) {
    if (!root.is_list || root.list.size() != 12) return fail(err(TxError::wrong_field_count));
    const auto& f = root.list;
    Eip1559Tx t;
    t.chain_id = SIGIL_TRY(u64_field(f[0]));
    t.nonce = SIGIL_TRY(uint_field(f[1]));
    t.max_priority_fee_per_gas = SIGIL_TRY(uint_field(f[2]));
    t.max_fee_per_gas = SIGIL_TRY(uint_field(f[3]));
    t.gas_limit = SIGIL_TRY(uint_field(f[4]));
    t.to = SIGIL_TRY(to_field(f[5]));
    t.value = SIGIL_TRY(uint_field(f[6]));
    t.data = SIGIL_TRY(bytes_field(f[7]));
    t.access_list = SIGIL_TRY(access_list_field(f[8]));
    const u256 parity = SIGIL_TRY(uint_field(f[9]));
    if (parity > 1) return fail(err(TxError::bad_signature));
    Signature sig;
    sig.recovery_id = static_cast<std::uint8_t>(parity);
    sig.r = SIGIL_TRY(scalar_field(f[10]));
    sig.s = SIGIL_TRY(scalar_field(f[11]));
    return SignedTx{t, sig, Bytes(raw.begin(), raw.end()), keccak256(raw)};
}

}  // namespace

std::string_view to_string(TxError e) noexcept {
    switch (e) {
        case TxError::rlp: return "rlp";
        case TxError::unsupported_type: return "unsupported_type";
        case TxError::wrong_field_count: return "wrong_field_count";
        case TxError::bad_field: return "bad_field";
        case TxError::bad_signature: return "bad_signature";
    }
    return "unknown";
}

Hash signing_hash(const Transaction& tx) {
    if (const auto* l = std::get_if<LegacyTx>(&tx)) {
        auto fields = legacy_fields(*l);
        if (l->chain_id != 0) {
            fields.push_back(Item::uint(l->chain_id));
            fields.push_back(Item::uint(0));
            fields.push_back(Item::uint(0));
        }
        return keccak256(rlp::encode(Item::list_of(std::move(fields))));
    }
    return keccak256(typed(0x02, Item::list_of(eip1559_fields(std::get<Eip1559Tx>(tx)))));
}

Bytes encode_signed(const Transaction& tx, const Signature& sig) {
    const Item r = Item::uint(from_be(as_bytes(sig.r)));
    const Item s = Item::uint(from_be(as_bytes(sig.s)));
    if (const auto* l = std::get_if<LegacyTx>(&tx)) {
        auto fields = legacy_fields(*l);
        const u256 v = l->chain_id != 0 ? u256(l->chain_id) * 2 + 35 + sig.recovery_id : u256(27 + sig.recovery_id);
        fields.push_back(Item::uint(v));
        fields.push_back(r);
        fields.push_back(s);
        return rlp::encode(Item::list_of(std::move(fields)));
    }
    auto fields = eip1559_fields(std::get<Eip1559Tx>(tx));
    fields.push_back(Item::uint(sig.recovery_id));
    fields.push_back(r);
    fields.push_back(s);
    return typed(0x02, Item::list_of(std::move(fields)));
}

SignedTx sign_transaction(const Transaction& tx, const PrivateKey& key) {
    const Signature sig = key.sign(signing_hash(tx));
    Bytes raw = encode_signed(tx, sig);
    const Hash hash = keccak256(raw);
    return SignedTx{tx, sig, std::move(raw), hash};
}

Result<SignedTx, TxDecodeError> decode_transaction(BytesView raw) {
    if (raw.empty()) return fail(err(TxError::unsupported_type));
    if (raw[0] >= 0xc0) {
        auto root = rlp::decode(raw);
        if (!root) return fail(rlp_err(root.error()));
        return decode_legacy(*root, raw);
    }
    if (raw[0] != 0x02) return fail(err(TxError::unsupported_type));
    auto root = rlp::decode(raw.subspan(1));
    if (!root) return fail(rlp_err(root.error()));
    return decode_eip1559(*root, raw);
}

Result<Address, KeyError> recover_sender(const SignedTx& tx) { return recover_address(signing_hash(tx.tx), tx.signature); }

}  // namespace sigil::chain
