#include "node/market_abi.hpp"

#include "bindings/proof_market.hpp"
#include "core/abi/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"

namespace sigil::node {

namespace {

/// ProofMarket.Bounty and ProofMarket.Verifier as getBounty / getVerifier return them.
constexpr const char* kBountyType = "(address,uint96,address,uint64,uint32,address,uint64,uint32,uint8,bool,bytes32)";
constexpr const char* kVerifierType = "(uint96,uint64,uint64,uint96,uint32,bool)";

using detail::kJobType;
using detail::must_fn;
using detail::must_type;

abi::Value b32(const Hash& h) { return abi::Value::bytes_n(BytesView(h.data(), h.size())); }

Hash word(const abi::Value& v) {
    Hash h{};
    if (v.bytes.size() == 32) std::copy(v.bytes.begin(), v.bytes.end(), h.begin());
    return h;
}

std::uint64_t u64(const abi::Value& v) { return static_cast<std::uint64_t>(v.num); }

Bytes id_call(const char* sig, const Hash& id) {
    const abi::Function f = must_fn(sig);
    return abi::encode_call(f, {b32(id)});
}

Bytes no_arg_call(const char* sig) {
    const abi::Function f = must_fn(sig);
    return abi::encode_call(f, {});
}

}  // namespace

std::string_view to_string(BountyPhase p) noexcept {
    switch (p) {
        case BountyPhase::none:
            return "none";
        case BountyPhase::posted:
            return "posted";
        case BountyPhase::armed:
            return "armed";
        case BountyPhase::assigned:
            return "assigned";
        case BountyPhase::attested:
            return "attested";
        case BountyPhase::closed:
            return "closed";
    }
    return "unknown";
}

Bytes get_bounty_call(const Hash& id) { return id_call("getBounty(bytes32)", id); }

std::optional<BountyView> decode_bounty_view(BytesView ret) {
    static const abi::Type t = must_type(kBountyType);
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    const auto phase = static_cast<std::uint8_t>(e[8].num);
    if (phase > static_cast<std::uint8_t>(BountyPhase::closed)) return std::nullopt;
    BountyView b;
    b.consumer = e[0].as_address();
    b.fee = e[1].num;
    b.token = e[2].as_address();
    b.p_wad = u64(e[3]);
    b.verify_window = static_cast<std::uint32_t>(e[4].num);
    b.verifier = e[5].as_address();
    b.arm_block = u64(e[6]);
    b.deadline = static_cast<std::uint32_t>(e[7].num);
    b.phase = static_cast<BountyPhase>(phase);
    b.selected = e[9].num != 0;
    b.claim_hash = word(e[10]);
    return b;
}

Bytes get_verifier_call(const Address& account) {
    static const abi::Function f = must_fn("getVerifier(address)");
    return abi::encode_call(f, {abi::Value::address(account)});
}

std::optional<VerifierView> decode_verifier_view(BytesView ret) {
    static const abi::Type t = must_type(kVerifierType);
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    VerifierView r;
    r.weight = e[0].num;
    r.since = u64(e[1]);
    r.exit_at = u64(e[2]);
    r.bond = e[3].num;
    r.open = static_cast<std::uint32_t>(e[4].num);
    r.registered = e[5].num != 0;
    return r;
}

Bytes min_bond_call() { return no_arg_call("minBond()"); }

Bytes credits_call(const Address& account, const Address& token) {
    static const abi::Function f = must_fn("credits(address,address)");
    return abi::encode_call(f, {abi::Value::address(account), abi::Value::address(token)});
}

Bytes verifiers_call() { return no_arg_call("verifiers()"); }

std::optional<std::vector<Address>> decode_address_list(BytesView ret) {
    auto v = abi::decode({abi::Type::array(abi::Type::address())}, ret);
    if (!v) return std::nullopt;
    std::vector<Address> out;
    out.reserve((*v)[0].elems.size());
    for (const auto& e : (*v)[0].elems) out.push_back(e.as_address());
    return out;
}

Bytes arm_call(const Hash& id) { return id_call("arm(bytes32)", id); }
Bytes draw_call(const Hash& id) { return id_call("draw(bytes32)", id); }
Bytes attest_call(const Hash& id) { return id_call("attest(bytes32)", id); }
Bytes resolve_bounty_call(const Hash& id) { return id_call("resolve(bytes32)", id); }

Bytes register_verifier_call(const u256& bond) {
    static const abi::Function f = must_fn("register(uint96)");
    return abi::encode_call(f, {abi::Value::uint(bond, 96)});
}

Bytes exit_verifier_call() { return no_arg_call("exit()"); }
Bytes withdraw_bond_call() { return no_arg_call("withdrawBond()"); }

Bytes withdraw_credit_call(const Address& token) {
    static const abi::Function f = must_fn("withdraw(address)");
    return abi::encode_call(f, {abi::Value::address(token)});
}

Bytes post_bounty_call(const Hash& id, const abi::Value& job, std::uint64_t p_wad, const u256& fee,
                       std::uint32_t verify_window) {
    static const abi::Function f = must_fn(std::string("post(bytes32,") + kJobType + ",uint64,uint96,uint32)");
    return abi::encode_call(
        f, {b32(id), job, abi::Value::uint(p_wad, 64), abi::Value::uint(fee, 96), abi::Value::uint(verify_window, 32)});
}

const Hash& bounty_posted_topic() {
    static const Hash h = keccak256(as_bytes("BountyPosted(bytes32,address,address,uint96,uint64,uint32)"));
    return h;
}

const Hash& bounty_drawn_topic() {
    static const Hash h = keccak256(as_bytes("BountyDrawn(bytes32,bool,address,uint32)"));
    return h;
}

const Hash& bounty_closed_topic() {
    static const Hash h = keccak256(as_bytes("BountyClosed(bytes32,address,uint256,bool)"));
    return h;
}

std::optional<BountyPosted> decode_bounty_posted(const chain::Log& log) {
    if (log.topics.size() != 3 || log.topics[0] != bounty_posted_topic()) return std::nullopt;
    auto v =
        abi::decode({abi::Type::address(), abi::Type::uint(96), abi::Type::uint(64), abi::Type::uint(32)}, log.data);
    if (!v) return std::nullopt;
    BountyPosted p;
    p.id = log.topics[1];
    p.consumer = address_from_word(log.topics[2]);
    p.token = (*v)[0].as_address();
    p.fee = (*v)[1].num;
    p.p_wad = u64((*v)[2]);
    p.verify_window = static_cast<std::uint32_t>((*v)[3].num);
    return p;
}

std::optional<BountyDrawn> decode_bounty_drawn(const chain::Log& log) {
    if (log.topics.size() != 2 || log.topics[0] != bounty_drawn_topic()) return std::nullopt;
    auto v = abi::decode({abi::Type::boolean(), abi::Type::address(), abi::Type::uint(32)}, log.data);
    if (!v) return std::nullopt;
    BountyDrawn d;
    d.id = log.topics[1];
    d.selected = (*v)[0].num != 0;
    d.verifier = (*v)[1].as_address();
    d.deadline = static_cast<std::uint32_t>((*v)[2].num);
    return d;
}

std::optional<BountyClosed> decode_bounty_closed(const chain::Log& log) {
    if (log.topics.size() != 3 || log.topics[0] != bounty_closed_topic()) return std::nullopt;
    auto v = abi::decode({abi::Type::uint(256), abi::Type::boolean()}, log.data);
    if (!v) return std::nullopt;
    BountyClosed c;
    c.id = log.topics[1];
    c.paid_to = address_from_word(log.topics[2]);
    c.fee = (*v)[0].num;
    c.to_verifier = (*v)[1].num != 0;
    return c;
}

std::string market_revert_name(BytesView data) {
    return bindings::revert_name(data, {bindings::proof_market::kErrors});
}

}  // namespace sigil::node
