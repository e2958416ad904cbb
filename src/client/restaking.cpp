#include "client/restaking.hpp"

#include <algorithm>

#include "bindings/allocation_manager.hpp"
#include "bindings/delegation_manager.hpp"
#include "bindings/operator_registry.hpp"
#include "bindings/rewards_coordinator.hpp"
#include "bindings/strategy.hpp"
#include "bindings/strategy_manager.hpp"
#include "bindings/test_token.hpp"

namespace sigil::client {
namespace {

using abi::Value;

const u256 kMaxUint96 = (u256(1) << 96) - 1;

Value addr(const Address& a) { return Value::address(a); }
Value u(const u256& v, std::size_t bits = 256) { return Value::uint(v, bits); }

Value addresses(const std::vector<Address>& list) {
    std::vector<Value> out;
    for (const auto& a : list) out.push_back(addr(a));
    return Value::array(std::move(out));
}

Value operator_set(const Deployment& d) { return Value::tuple({addr(d.coordinator), u(d.operator_set_id, 32)}); }

std::vector<Hash> queued_roots(Session& s, const Deployment& d, const Address& staker) {
    auto v = s.call_values(d.delegation_manager,
                           bindings::with_outputs(bindings::delegation_manager::fn::getQueuedWithdrawalRoots),
                           {addr(staker)});
    std::vector<Hash> out;
    for (const auto& e : v.at(0).elems) {
        Hash h{};
        std::copy(e.bytes.begin(), e.bytes.end(), h.begin());
        out.push_back(h);
    }
    return out;
}

}  // namespace

Bytes registration_data(const OperatorMetadata& meta, const std::vector<Service>& services) {
    std::vector<Value> list;
    for (const auto& s : services) {
        if (s.price > kMaxUint96) throw ClientError("service price " + to_dec(s.price) + " exceeds uint96");
        list.push_back(Value::tuple({Value::bytes_n(s.model_root), addr(s.token), u(s.price, 96)}));
    }
    // OperatorRegistry.registerOperator's data: abi.encode(Metadata, Service[]).
    namespace T = bindings::operator_registry::type;
    auto types = abi::parse_function(std::string("f(") + T::Metadata + "," + T::Service + "[])");
    const Value m = Value::tuple(
        {Value::string(meta.endpoint), Value::string(meta.region), u(meta.hardware_class, 16), u(meta.capacity, 32)});
    return abi::encode(types->input_types(), {m, Value::array(std::move(list))});
}

void register_operator(Signer& op, const Deployment& d, std::uint32_t allocation_delay,
                       const std::string& metadata_uri) {
    op.send_values(d.delegation_manager, bindings::delegation_manager::fn::registerAsOperator.signature,
                   {addr(Address{}), u(allocation_delay, 32), Value::string(metadata_uri)});
}

void register_for_sigil(Signer& op, const Deployment& d, const OperatorMetadata& meta,
                        const std::vector<Service>& services) {
    const Value params = Value::tuple({addr(d.coordinator), Value::array({u(d.operator_set_id, 32)}),
                                       Value::dyn_bytes(registration_data(meta, services))});
    op.send_values(d.allocation_manager, bindings::allocation_manager::fn::registerForOperatorSets.signature,
                   {addr(op.address()), params});
}

void allocate(Signer& op, const Deployment& d, const Address& strategy, const u256& magnitude) {
    if (magnitude > kWad) throw ClientError("magnitude " + to_dec(magnitude) + " exceeds 1e18 (100%)");
    const Value params = Value::tuple({operator_set(d), addresses({strategy}), Value::array({u(magnitude, 64)})});
    op.send_values(d.allocation_manager, bindings::allocation_manager::fn::modifyAllocations.signature,
                   {addr(op.address()), Value::array({params})});
}

void deregister_from_sigil(Signer& op, const Deployment& d) {
    const Value params =
        Value::tuple({addr(op.address()), addr(d.coordinator), Value::array({u(d.operator_set_id, 32)})});
    op.send_values(d.allocation_manager, bindings::allocation_manager::fn::deregisterFromOperatorSets.signature,
                   {params});
}

u256 deposit(Signer& staker, const Deployment& d, const Address& strategy, const u256& amount) {
    if (amount == 0) throw ClientError("deposit amount must be positive");
    Session& s = staker.session();
    const Address token = s.call_address(strategy, bindings::with_outputs(bindings::strategy::fn::underlyingToken), {});
    const u256 before =
        s.call_uint(d.strategy_manager, bindings::with_outputs(bindings::strategy_manager::fn::stakerDepositShares),
                    {to_hex(staker.address()), to_hex(strategy)});
    staker.send_values(token, bindings::test_token::fn::approve.signature, {addr(d.strategy_manager), u(amount)});
    staker.send_values(d.strategy_manager, bindings::strategy_manager::fn::depositIntoStrategy.signature,
                       {addr(strategy), addr(token), u(amount)});
    const u256 after =
        s.call_uint(d.strategy_manager, bindings::with_outputs(bindings::strategy_manager::fn::stakerDepositShares),
                    {to_hex(staker.address()), to_hex(strategy)});
    return after - before;
}

void delegate(Signer& staker, const Deployment& d, const Address& operator_address) {
    const Value no_approval = Value::tuple({Value::dyn_bytes({}), u(0)});
    staker.send_values(d.delegation_manager, bindings::delegation_manager::fn::delegateTo.signature,
                       {addr(operator_address), no_approval, Value::bytes_n(Hash{})});
}

std::optional<Hash> undelegate(Signer& staker, const Deployment& d) {
    Session& s = staker.session();
    const auto before = queued_roots(s, d, staker.address());
    staker.send_values(d.delegation_manager, bindings::delegation_manager::fn::undelegate.signature,
                       {addr(staker.address())});
    for (const auto& r : queued_roots(s, d, staker.address())) {
        if (std::find(before.begin(), before.end(), r) == before.end()) return r;
    }
    return std::nullopt;
}

Hash queue_withdrawal(Signer& staker, const Deployment& d, const Address& strategy, const u256& deposit_shares) {
    if (deposit_shares == 0) throw ClientError("withdrawal shares must be positive");
    Session& s = staker.session();
    const auto before = queued_roots(s, d, staker.address());
    const Value p = Value::tuple({addresses({strategy}), Value::array({u(deposit_shares)})});
    staker.send_values(d.delegation_manager, bindings::delegation_manager::fn::queueWithdrawals.signature,
                       {Value::array({p})});
    for (const auto& r : queued_roots(s, d, staker.address())) {
        if (std::find(before.begin(), before.end(), r) == before.end()) return r;
    }
    throw ClientError("queueWithdrawals succeeded but no new withdrawal root is listed");
}

void complete_withdrawal(Signer& staker, const Deployment& d, const Hash& root, bool as_tokens) {
    Session& s = staker.session();
    auto v = s.call_values(d.delegation_manager,
                           bindings::with_outputs(bindings::delegation_manager::fn::getQueuedWithdrawal),
                           {Value::bytes_n(root)});
    const Value& w = v.at(0);
    const Address owner = w.elems.at(bindings::delegation_manager::field::Withdrawal::staker).as_address();
    if (owner == Address{}) throw ClientError("no pending withdrawal " + to_hex(root));
    if (owner != staker.address()) {
        throw ClientError("withdrawal " + to_hex(root) + " belongs to " + to_hex(owner));
    }
    staker.send_values(d.delegation_manager, bindings::delegation_manager::fn::completeQueuedWithdrawal.signature,
                       {w, Value::boolean(as_tokens)});
}

u256 claim_rewards(Signer& account, const Deployment& d, const Address& token, const std::vector<Address>& strategies,
                   const Address& recipient) {
    Session& s = account.session();
    const u256 before = token_balance(s, token, recipient);
    account.send_values(d.rewards_coordinator, bindings::rewards_coordinator::fn::claim.signature,
                        {addr(token), addresses(strategies), addr(recipient)});
    return token_balance(s, token, recipient) - before;
}

u256 claimable(Session& s, const Deployment& d, const Address& account, const Address& token,
               const std::vector<Address>& strategies) {
    return s
        .call_values(d.rewards_coordinator, bindings::with_outputs(bindings::rewards_coordinator::fn::claimable),
                     {addr(account), addr(token), addresses(strategies)})
        .at(0)
        .num;
}

u256 token_balance(Session& s, const Address& token, const Address& who) {
    return s.call_values(token, bindings::with_outputs(bindings::test_token::fn::balanceOf), {addr(who)}).at(0).num;
}

u256 withdrawable_shares(Session& s, const Deployment& d, const Address& staker, const Address& strategy) {
    return s
        .call_values(d.delegation_manager, bindings::with_outputs(bindings::delegation_manager::fn::withdrawableShares),
                     {addr(staker), addr(strategy)})
        .at(0)
        .num;
}

OperatorStatus operator_status(Session& s, const Deployment& d, const Address& op, const Address& strategy) {
    OperatorStatus st;
    st.is_operator = s.call_values(d.delegation_manager,
                                   bindings::with_outputs(bindings::delegation_manager::fn::isOperator), {addr(op)})
                         .at(0)
                         .num != 0;
    st.delegated_to = s.call_values(d.delegation_manager,
                                    bindings::with_outputs(bindings::delegation_manager::fn::delegatedTo), {addr(op)})
                          .at(0)
                          .as_address();
    st.operator_shares =
        s.call_values(d.delegation_manager, bindings::with_outputs(bindings::delegation_manager::fn::operatorShares),
                      {addr(op), addr(strategy)})
            .at(0)
            .num;
    st.max_magnitude =
        s.call_values(d.allocation_manager, bindings::with_outputs(bindings::allocation_manager::fn::getMaxMagnitude),
                      {addr(op), addr(strategy)})
            .at(0)
            .num;
    const auto alloc =
        s.call_values(d.allocation_manager, bindings::with_outputs(bindings::allocation_manager::fn::getAllocation),
                      {addr(op), operator_set(d), addr(strategy)})
            .at(0);
    namespace FA = bindings::allocation_manager::field::Allocation;
    st.allocated_magnitude = alloc.elems.at(FA::currentMagnitude).num;
    const s256 diff = alloc.elems.at(FA::pendingDiff).as_int();
    st.pending_negative = diff < 0;
    st.pending_magnitude_diff = static_cast<u256>(diff < 0 ? -diff : diff);
    st.pending_effect_block = static_cast<std::uint32_t>(alloc.elems.at(FA::effectBlock).num);
    st.member = s.call_values(d.allocation_manager,
                              bindings::with_outputs(bindings::allocation_manager::fn::isMemberOfOperatorSet),
                              {addr(op), operator_set(d)})
                    .at(0)
                    .num != 0;
    const auto view = s.call_values(d.operator_registry,
                                    bindings::with_outputs(bindings::operator_registry::fn::getOperator), {addr(op)})
                          .at(0);
    namespace F = bindings::operator_registry::field::OperatorView;
    namespace FM = bindings::operator_registry::field::Metadata;
    namespace FS = bindings::operator_registry::field::Service;
    st.active = view.elems.at(F::active).num != 0;
    st.faults = static_cast<std::uint32_t>(view.elems.at(F::faults).num);
    st.endpoint = view.elems.at(F::metadata).elems.at(FM::endpoint).as_string();
    for (const auto& e : view.elems.at(F::services).elems) {
        Service sv;
        const auto& root = e.elems.at(FS::modelRoot).bytes;
        std::copy(root.begin(), root.end(), sv.model_root.begin());
        sv.token = e.elems.at(FS::token).as_address();
        sv.price = e.elems.at(FS::price).num;
        st.services.push_back(sv);
    }
    if (st.member) {
        // Slashable through the next block (a call may execute at the head or the block after).
        const std::uint64_t head = s.eth().block_number().value_or(0);
        st.slashable_stake =
            s.call_values(d.allocation_manager,
                          bindings::with_outputs(bindings::allocation_manager::fn::getMinimumSlashableStake),
                          {operator_set(d), addresses({op}), addresses({strategy}), u(head + 1, 32)})
                .at(0)
                .elems.at(0)
                .elems.at(0)
                .num;
    }
    return st;
}

std::string format_units(const u256& amount) {
    const u256 whole = amount / kWad;
    const u256 frac = amount % kWad;
    std::string out = to_dec(whole);
    if (frac == 0) return out;
    std::string f = to_dec(frac);
    f.insert(0, 18 - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    return out + "." + f;
}

}  // namespace sigil::client
