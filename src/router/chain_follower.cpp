#include "router/chain_follower.hpp"

#include <algorithm>
#include <map>

#include "bindings/allocation_manager.hpp"
#include "bindings/model_registry.hpp"
#include "bindings/operator_registry.hpp"
#include "core/abi/codec.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/keccak.hpp"

namespace sigil::router {

namespace {

using abi::Value;
namespace R = bindings::operator_registry::fn;
namespace M = bindings::model_registry::fn;
namespace E = bindings::operator_registry::event;

/// One eth_call of `sig` (with outputs) on `to` at `block`, decoded.
Result<std::vector<Value>, FollowError> call(chain::EthClient& eth, const Address& to,
                                             const bindings::FunctionInfo& binding, const std::vector<Value>& args,
                                             std::uint64_t block) {
    const std::string sig = std::string(binding.signature) + std::string(binding.outputs);
    auto fn = abi::parse_function(sig);
    if (!fn) return fail(FollowError{FollowError::Kind::decode, "bad signature " + std::string(sig)});
    auto data = abi::try_encode(fn->input_types(), args);
    if (!data) return fail(FollowError{FollowError::Kind::decode, "cannot encode " + std::string(sig)});
    chain::CallRequest req;
    req.to = to;
    const auto sel = fn->selector();
    req.data.assign(sel.begin(), sel.end());
    req.data.insert(req.data.end(), data->begin(), data->end());
    auto out = eth.call(req, chain::BlockId::number(block));
    if (!out) return fail(FollowError{FollowError::Kind::rpc, std::string(sig) + ": " + out.error().describe()});
    auto vals = abi::decode(fn->output_types(), *out);
    if (!vals) return fail(FollowError{FollowError::Kind::decode, std::string(sig) + ": undecodable result"});
    return std::move(*vals);
}

Amount saturate(const u256& v) {
    if ((v >> 128) != 0) return route::kMaxAmount;
    return static_cast<Amount>(static_cast<std::uint64_t>(v >> 64)) << 64 |
           static_cast<std::uint64_t>(v & u256(~std::uint64_t{0}));
}

template <typename T>
T narrow(const u256& v) {
    return v > u256(std::numeric_limits<T>::max()) ? std::numeric_limits<T>::max() : static_cast<T>(v);
}

Hash to_hash(const Value& v) {
    Hash h{};
    std::copy_n(v.bytes.begin(), std::min<std::size_t>(32, v.bytes.size()), h.begin());
    return h;
}

OperatorRecord operator_of(const Value& v) {
    namespace F = bindings::operator_registry::field::OperatorView;
    namespace FM = bindings::operator_registry::field::Metadata;
    namespace FS = bindings::operator_registry::field::Service;
    OperatorRecord r;
    r.address = v.elems[F::operator_].as_address();
    r.active = v.elems[F::active].num != 0;
    r.faults = narrow<std::uint32_t>(v.elems[F::faults].num);
    const Value& meta = v.elems[F::metadata];
    r.endpoint = meta.elems[FM::endpoint].as_string();
    r.region = meta.elems[FM::region].as_string();
    r.hardware = narrow<std::uint16_t>(meta.elems[FM::hardwareClass].num);
    r.capacity = narrow<std::uint32_t>(meta.elems[FM::capacity].num);
    for (const Value& sv : v.elems[F::services].elems) {
        r.services.push_back({to_hash(sv.elems[FS::modelRoot]), sv.elems[FS::token].as_address(),
                              saturate(sv.elems[FS::price].num)});
    }
    return r;
}

/// OperatorRegistry events whose first indexed argument is the one operator they change.
bool names_one_operator(const Hash& topic0) {
    static const Hash kTopics[] = {
        bindings::topic(E::OperatorRegistered),
        bindings::topic(E::OperatorDeregistered),
        bindings::topic(E::MetadataUpdated),
        bindings::topic(E::ServiceSet),
        bindings::topic(E::ServiceRemoved),
        bindings::topic(E::FaultRecorded),
    };
    return std::find(std::begin(kTopics), std::end(kTopics), topic0) != std::end(kTopics);
}

Address topic_address(const Hash& t) {
    Address a{};
    std::copy(t.begin() + 12, t.end(), a.begin());
    return a;
}

}  // namespace

Result<void, FollowError> ChainFollower::read_stake(std::vector<OperatorRecord*>& ops, std::uint64_t block) {
    const Address& opreg = config_.operator_registry;
    const auto am = SIGIL_TRY(call(eth_, opreg, R::allocationManager, {}, block));
    const auto avs = SIGIL_TRY(call(eth_, opreg, R::avs, {}, block));
    const auto set_id = SIGIL_TRY(call(eth_, opreg, R::operatorSetId, {}, block));
    const auto strategies = SIGIL_TRY(call(eth_, opreg, R::getStakeStrategies, {}, block));
    allocation_manager_ = am[0].as_address();
    if (strategies[0].elems.empty()) return {};
    for (std::size_t off = 0; off < ops.size(); off += config_.page) {
        std::vector<Value> batch;
        for (std::size_t i = off; i < std::min(ops.size(), off + config_.page); ++i) {
            batch.push_back(Value::address(ops[i]->address));
        }
        const auto stake =
            SIGIL_TRY(call(eth_, am[0].as_address(),
                           bindings::allocation_manager::fn::getMinimumSlashableStake,
                           {Value::tuple({avs[0], Value::uint(set_id[0].num, 32)}), Value::array(batch), strategies[0],
                            Value::uint(block + 1, 32)},
                           block));
        for (std::size_t i = 0; i < stake[0].elems.size() && off + i < ops.size(); ++i) {
            u256 sum = 0;
            for (const Value& x : stake[0].elems[i].elems) sum += x.num;
            ops[off + i]->stake = saturate(sum);
        }
    }
    return {};
}

Result<RegistryState, FollowError> ChainFollower::read(std::uint64_t block) {
    RegistryState s;
    s.block = block;
    const Address& opreg = config_.operator_registry;
    const auto count = SIGIL_TRY(call(eth_, opreg, R::operatorCount, {}, block));
    const std::uint64_t n = std::min<std::uint64_t>(narrow<std::uint64_t>(count[0].num), config_.max_operators);
    for (std::uint64_t off = 0; off < n; off += config_.page) {
        const auto page =
            SIGIL_TRY(call(eth_, opreg, R::getOperators,
                           {Value::uint(off), Value::uint(config_.page)}, block));
        for (const Value& v : page[0].elems) s.operators.push_back(operator_of(v));
    }
    // Slashable stake: the minimum over the next block of each stake strategy, summed.
    std::vector<OperatorRecord*> all;
    for (auto& op : s.operators) all.push_back(&op);
    SIGIL_TRY_VOID(read_stake(all, block));
    // Models and their best standing evaluation.
    const Address& models = config_.model_registry;
    const auto mcount = SIGIL_TRY(call(eth_, models, M::modelCount, {}, block));
    const std::uint64_t m = std::min<std::uint64_t>(narrow<std::uint64_t>(mcount[0].num), config_.max_models);
    if (m == 0) return s;
    const auto roots = SIGIL_TRY(
        call(eth_, models, M::getModelRoots, {Value::uint(0), Value::uint(m)}, block));
    for (const Value& root : roots[0].elems) {
        ModelRecord rec;
        rec.root = to_hash(root);
        const auto ids = SIGIL_TRY(call(eth_, models, M::getEvaluationIds, {root}, block));
        for (const Value& id : ids[0].elems) {
            namespace FE = bindings::model_registry::field::Evaluation;
            const auto ev = SIGIL_TRY(call(eth_, models, M::getEvaluation, {id}, block));
            const Value& e = ev[0];
            // status 1: Posted and not refuted (ModelRegistry.EvalStatus).
            if (e.elems[FE::status].num == 1) {
                rec.quality = std::max(rec.quality, narrow<std::uint16_t>(e.elems[FE::score].num));
            }
        }
        s.models.push_back(rec);
    }
    return s;
}

Result<bool, FollowError> ChainFollower::full_read(Matcher& engine, std::uint64_t head, const Hash& head_hash) {
    state_ = SIGIL_TRY(read(head));
    engine.publish(state_);
    last_block_ = head;
    last_full_ = head;
    last_hash_ = head_hash;
    published_ = true;
    ++stats_.full_reads;
    return true;
}

Result<bool, FollowError> ChainFollower::poll(Matcher& engine) {
    auto head = eth_.block_number();
    if (!head) return fail(FollowError{FollowError::Kind::rpc, head.error().describe()});
    if (published_ && *head == last_block_) return false;
    auto header = eth_.get_block(chain::BlockId::number(*head));
    if (!header) return fail(FollowError{FollowError::Kind::rpc, header.error().describe()});
    if (!*header) return fail(FollowError{FollowError::Kind::rpc, "no block " + std::to_string(*head)});
    const Hash head_hash = (*header)->hash;
    if (!published_ || *head < last_block_ || config_.resync_blocks == 0 ||
        *head - last_full_ >= config_.resync_blocks) {
        return full_read(engine, *head, head_hash);
    }
    // A reorg replaced the last block we followed: what we derived from it may be gone.
    auto last = eth_.get_block(chain::BlockId::number(last_block_));
    if (!last) return fail(FollowError{FollowError::Kind::rpc, last.error().describe()});
    if (!*last || (*last)->hash != last_hash_) {
        ++stats_.reorgs;
        return full_read(engine, *head, head_hash);
    }
    chain::LogFilter f;
    f.from_block = last_block_ + 1;
    f.to_block = *head;
    f.addresses = {config_.operator_registry, config_.model_registry};
    if (allocation_manager_ != Address{}) f.addresses.push_back(allocation_manager_);
    auto logs = eth_.get_logs(f);
    if (!logs) return fail(FollowError{FollowError::Kind::rpc, "eth_getLogs: " + logs.error().describe()});
    std::vector<Address> touched;
    for (const chain::Log& l : *logs) {
        const bool one =
            l.address == config_.operator_registry && l.topics.size() >= 2 && names_one_operator(l.topics[0]);
        if (!one) return full_read(engine, *head, head_hash);
        const Address op = topic_address(l.topics[1]);
        if (std::find(touched.begin(), touched.end(), op) == touched.end()) touched.push_back(op);
    }
    last_block_ = *head;
    last_hash_ = head_hash;
    if (touched.empty()) {
        ++stats_.quiet_blocks;
        return false;
    }
    // Re-read only the operators the logs name, at the head, and republish.
    std::vector<OperatorRecord*> changed;
    for (const Address& a : touched) {
        const auto v =
            SIGIL_TRY(call(eth_, config_.operator_registry, R::getOperator,
                           {Value::address(a)}, *head));
        OperatorRecord r = operator_of(v[0]);
        r.address = a;
        auto it = std::find_if(state_.operators.begin(), state_.operators.end(),
                               [&](const OperatorRecord& o) { return o.address == a; });
        if (!r.active) {  // a full read lists active operators only
            if (it != state_.operators.end()) state_.operators.erase(it);
        } else if (it == state_.operators.end()) {
            state_.operators.push_back(std::move(r));
        } else {
            *it = std::move(r);
        }
    }
    for (const Address& a : touched) {
        for (auto& o : state_.operators) {
            if (o.address == a) changed.push_back(&o);
        }
    }
    SIGIL_TRY_VOID(read_stake(changed, *head));
    state_.block = *head;
    engine.publish(state_);
    ++stats_.incremental_updates;
    return true;
}

}  // namespace sigil::router
