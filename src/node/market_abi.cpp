#include "node/market_abi.hpp"

#include "bindings/proof_market.hpp"
#include "core/abi/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"

namespace sigil::node {

namespace {

using detail::must_fn;
using detail::must_type;

abi::Value b32(const Hash& h) { return abi::Value::bytes_n(BytesView(h.data(), h.size())); }

Hash word(const abi::Value& v) {
    Hash h{};
    if (v.bytes.size() == 32) std::copy(v.bytes.begin(), v.bytes.end(), h.begin());
    return h;
}

std::uint64_t u64(const abi::Value& v) { return static_cast<std::uint64_t>(v.num); }

Bytes id_call(const bindings::FunctionInfo& fn, const Hash& id) {
    const abi::Function f = must_fn(fn.signature);
    return abi::encode_call(f, {b32(id)});
}

Bytes no_arg_call(const bindings::FunctionInfo& fn) {
    const abi::Function f = must_fn(fn.signature);
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

Bytes get_bounty_call(const Hash& id) { return id_call(bindings::proof_market::fn::getBounty, id); }

std::optional<BountyView> decode_bounty_view(BytesView ret) {
    namespace F = bindings::proof_market::field::Bounty;
    static const abi::Type t = must_type(bindings::proof_market::type::Bounty);
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    const auto phase = static_cast<std::uint8_t>(e[F::state].num);
    if (phase > static_cast<std::uint8_t>(BountyPhase::closed)) return std::nullopt;
    BountyView b;
    b.consumer = e[F::consumer].as_address();
    b.fee = e[F::fee].num;
    b.token = e[F::token].as_address();
    b.p_wad = u64(e[F::pWad]);
    b.verify_window = static_cast<std::uint32_t>(e[F::verifyWindow].num);
    b.verifier = e[F::verifier].as_address();
    b.arm_block = u64(e[F::armBlock]);
    b.deadline = static_cast<std::uint32_t>(e[F::deadline].num);
    b.phase = static_cast<BountyPhase>(phase);
    b.selected = e[F::selected].num != 0;
    b.claim_hash = word(e[F::claimHash]);
    return b;
}

Bytes get_verifier_call(const Address& account) {
    static const abi::Function f = must_fn(bindings::proof_market::fn::getVerifier.signature);
    return abi::encode_call(f, {abi::Value::address(account)});
}

std::optional<VerifierView> decode_verifier_view(BytesView ret) {
    namespace F = bindings::proof_market::field::Verifier;
    static const abi::Type t = must_type(bindings::proof_market::type::Verifier);
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    VerifierView r;
    r.weight = e[F::weight].num;
    r.since = u64(e[F::since]);
    r.exit_at = u64(e[F::exitAt]);
    r.bond = e[F::bond].num;
    r.open = static_cast<std::uint32_t>(e[F::open].num);
    r.registered = e[F::registered].num != 0;
    return r;
}

Bytes min_bond_call() { return no_arg_call(bindings::proof_market::fn::minBond); }

Bytes credits_call(const Address& account, const Address& token) {
    static const abi::Function f = must_fn(bindings::proof_market::fn::credits.signature);
    return abi::encode_call(f, {abi::Value::address(account), abi::Value::address(token)});
}

Bytes verifiers_call() { return no_arg_call(bindings::proof_market::fn::verifiers); }

std::optional<std::vector<Address>> decode_address_list(BytesView ret) {
    auto v = abi::decode({abi::Type::array(abi::Type::address())}, ret);
    if (!v) return std::nullopt;
    std::vector<Address> out;
    out.reserve((*v)[0].elems.size());
    for (const auto& e : (*v)[0].elems) out.push_back(e.as_address());
    return out;
}

Bytes arm_call(const Hash& id) { return id_call(bindings::proof_market::fn::arm, id); }
Bytes draw_call(const Hash& id) { return id_call(bindings::proof_market::fn::draw, id); }
Bytes attest_call(const Hash& id) { return id_call(bindings::proof_market::fn::attest, id); }
Bytes resolve_bounty_call(const Hash& id) { return id_call(bindings::proof_market::fn::resolve, id); }

Bytes register_verifier_call(const u256& bond) {
    static const abi::Function f = must_fn(bindings::proof_market::fn::register_.signature);
    return abi::encode_call(f, {abi::Value::uint(bond, 96)});
}

Bytes exit_verifier_call() { return no_arg_call(bindings::proof_market::fn::exit); }
Bytes withdraw_bond_call() { return no_arg_call(bindings::proof_market::fn::withdrawBond); }

Bytes withdraw_credit_call(const Address& token) {
    static const abi::Function f = must_fn(bindings::proof_market::fn::withdraw.signature);
    return abi::encode_call(f, {abi::Value::address(token)});
}

Bytes post_bounty_call(const Hash& id, const abi::Value& job, std::uint64_t p_wad, const u256& fee,
                       std::uint32_t verify_window) {
    static const abi::Function f = must_fn(bindings::proof_market::fn::post.signature);
    return abi::encode_call(
        f, {b32(id), job, abi::Value::uint(p_wad, 64), abi::Value::uint(fee, 96), abi::Value::uint(verify_window, 32)});
}

const Hash& bounty_posted_topic() {
    static const Hash h = bindings::topic(bindings::proof_market::event::BountyPosted);
    return h;
}

const Hash& bounty_drawn_topic() {
    static const Hash h = bindings::topic(bindings::proof_market::event::BountyDrawn);
    return h;
}

const Hash& bounty_closed_topic() {
    static const Hash h = bindings::topic(bindings::proof_market::event::BountyClosed);
    return h;
}

std::optional<BountyPosted> decode_bounty_posted(const chain::Log& log) {
    namespace A = bindings::proof_market::arg::BountyPosted;
    auto v = bindings::decode_event(bindings::proof_market::event::BountyPosted, log.topics, log.data);
    if (!v) return std::nullopt;
    BountyPosted p;
    p.id = log.topics[1];
    p.consumer = (*v)[A::consumer].as_address();
    p.token = (*v)[A::token].as_address();
    p.fee = (*v)[A::fee].num;
    p.p_wad = u64((*v)[A::pWad]);
    p.verify_window = static_cast<std::uint32_t>((*v)[A::verifyWindow].num);
    return p;
}

std::optional<BountyDrawn> decode_bounty_drawn(const chain::Log& log) {
    namespace A = bindings::proof_market::arg::BountyDrawn;
    auto v = bindings::decode_event(bindings::proof_market::event::BountyDrawn, log.topics, log.data);
    if (!v) return std::nullopt;
    BountyDrawn d;
    d.id = log.topics[1];
    d.selected = (*v)[A::selected].num != 0;
    d.verifier = (*v)[A::verifier].as_address();
    d.deadline = static_cast<std::uint32_t>((*v)[A::deadline].num);
    return d;
}

std::optional<BountyClosed> decode_bounty_closed(const chain::Log& log) {
    namespace A = bindings::proof_market::arg::BountyClosed;
    auto v = bindings::decode_event(bindings::proof_market::event::BountyClosed, log.topics, log.data);
    if (!v) return std::nullopt;
    BountyClosed c;
    c.id = log.topics[1];
    c.paid_to = (*v)[A::paidTo].as_address();
    c.fee = (*v)[A::fee].num;
    c.to_verifier = (*v)[A::toVerifier].num != 0;
    return c;
}

std::string market_revert_name(BytesView data) {
    return bindings::revert_name(data, {bindings::proof_market::kErrors});
}

}  // namespace sigil::node
