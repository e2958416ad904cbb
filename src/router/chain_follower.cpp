#include "router/chain_follower.hpp"

#include <algorithm>
#include <map>

#include "core/abi/codec.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"

namespace sigil::router {

namespace {

using abi::Value;

/// One eth_call of `sig` (with outputs) on `to` at `block`, decoded.
Result<std::vector<Value>, FollowError> call(chain::EthClient& eth, const Address& to, std::string_view sig,
                                             const std::vector<Value>& args, std::uint64_t block) {
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

}  // namespace

Result<RegistryState, FollowError> ChainFollower::read(std::uint64_t block) {
    RegistryState s;
    s.block = block;
    const Address& opreg = config_.operator_registry;
    const auto count = SIGIL_TRY(call(eth_, opreg, "operatorCount()(uint256)", {}, block));
    const std::uint64_t n = std::min<std::uint64_t>(narrow<std::uint64_t>(count[0].num), config_.max_operators);
    for (std::uint64_t off = 0; off < n; off += config_.page) {
        const auto page = SIGIL_TRY(call(eth_, opreg,
                                         "getOperators(uint256,uint256)((address,bool,uint32,(string,string,uint16,"
                                         "uint32),(bytes32,address,uint96)[])[])",
                                         {Value::uint(off), Value::uint(config_.page)}, block));
        for (const Value& v : page[0].elems) {
            OperatorRecord r;
            r.address = v.elems[0].as_address();
            r.active = v.elems[1].num != 0;
            r.faults = narrow<std::uint32_t>(v.elems[2].num);
            const Value& meta = v.elems[3];
            r.endpoint = meta.elems[0].as_string();
            r.region = meta.elems[1].as_string();
            r.hardware = narrow<std::uint16_t>(meta.elems[2].num);
            r.capacity = narrow<std::uint32_t>(meta.elems[3].num);
            for (const Value& sv : v.elems[4].elems) {
                r.services.push_back({to_hash(sv.elems[0]), sv.elems[1].as_address(), saturate(sv.elems[2].num)});
            }
            s.operators.push_back(std::move(r));
        }
    }
    // Slashable stake: the minimum over the next block of each stake strategy, summed.
    const auto am = SIGIL_TRY(call(eth_, opreg, "allocationManager()(address)", {}, block));
    const auto avs = SIGIL_TRY(call(eth_, opreg, "avs()(address)", {}, block));
    const auto set_id = SIGIL_TRY(call(eth_, opreg, "operatorSetId()(uint32)", {}, block));
    const auto strategies = SIGIL_TRY(call(eth_, opreg, "getStakeStrategies()(address[])", {}, block));
    if (!strategies[0].elems.empty() && !s.operators.empty()) {
        for (std::size_t off = 0; off < s.operators.size(); off += config_.page) {
            std::vector<Value> ops;
            for (std::size_t i = off; i < std::min(s.operators.size(), off + config_.page); ++i) {
                ops.push_back(Value::address(s.operators[i].address));
            }
            const auto stake =
                SIGIL_TRY(call(eth_, am[0].as_address(),
                               "getMinimumSlashableStake((address,uint32),address[],address[],uint32)(uint256[][])",
                               {Value::tuple({avs[0], Value::uint(set_id[0].num, 32)}), Value::array(ops),
                                strategies[0], Value::uint(block + 1, 32)},
                               block));
            for (std::size_t i = 0; i < stake[0].elems.size() && off + i < s.operators.size(); ++i) {
                u256 sum = 0;
                for (const Value& x : stake[0].elems[i].elems) sum += x.num;
                s.operators[off + i].stake = saturate(sum);
            }
        }
    }
    // Models and their best standing evaluation.
    const Address& models = config_.model_registry;
    const auto mcount = SIGIL_TRY(call(eth_, models, "modelCount()(uint256)", {}, block));
    const std::uint64_t m = std::min<std::uint64_t>(narrow<std::uint64_t>(mcount[0].num), config_.max_models);
    if (m == 0) return s;
    const auto roots = SIGIL_TRY(
        call(eth_, models, "getModelRoots(uint256,uint256)(bytes32[])", {Value::uint(0), Value::uint(m)}, block));
    for (const Value& root : roots[0].elems) {
        ModelRecord rec;
        rec.root = to_hash(root);
        const auto ids = SIGIL_TRY(call(eth_, models, "getEvaluationIds(bytes32)(uint256[])", {root}, block));
        for (const Value& id : ids[0].elems) {
            const auto ev = SIGIL_TRY(
                call(eth_, models, "getEvaluation(uint256)((bytes32,bytes32,bytes32,address,uint32,uint40,uint8))",
                     {id}, block));
            const Value& e = ev[0];
            if (e.elems[6].num == 1) rec.quality = std::max(rec.quality, narrow<std::uint16_t>(e.elems[4].num));
        }
        s.models.push_back(rec);
    }
    return s;
}

Result<bool, FollowError> ChainFollower::poll(Engine& engine) {
    auto head = eth_.block_number();
    if (!head) return fail(FollowError{FollowError::Kind::rpc, head.error().describe()});
    if (published_ && *head == last_block_) return false;
    RegistryState s = SIGIL_TRY(read(*head));
    engine.publish(s);
    last_block_ = *head;
    published_ = true;
    return true;
}

}  // namespace sigil::router
