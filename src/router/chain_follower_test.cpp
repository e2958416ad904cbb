#include "router/chain_follower.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "chain/testing/fake_node.hpp"
#include "core/abi/codec.hpp"
#include "core/keccak.hpp"

namespace sigil::router {
namespace {

using abi::Value;
using chain::Json;
using chain::testing::FakeNode;

Address addr(std::uint8_t i) {
    Address a{};
    a[0] = 0xcc;
    a[19] = i;
    return a;
}

/// Contracts answering eth_call by selector with ABI-encoded outputs of the given signatures.
class FakeChain {
public:
    FakeChain() : node(std::make_shared<FakeNode>()), rpc(node), eth(rpc) {
        node->on("eth_blockNumber", [this](const Json&) { return Json(chain_hex(block)); });
        node->on("eth_call", [this](const Json& p) {
            const std::string data = p[0]["input"].get<std::string>();
            const std::string to = p[0]["to"].get<std::string>();
            calls_at.push_back(p[1].get<std::string>());
            call_data.push_back(data);
            auto it = handlers.find(to_lower(to) + data.substr(0, 10));
            if (it == handlers.end()) return FakeNode::error_response(3, "execution reverted");
            auto bytes = from_hex(data);
            return Json(to_hex(it->second(BytesView(*bytes).subspan(4))));
        });
    }

    /// Block headers up to `block`; `fork` changes every hash (a reorg). Logs are answered from
    /// `logs` by block range.
    void serve_blocks_and_logs() {
        node->on("eth_getBlockByNumber", [this](const Json& p) {
            const std::uint64_t n = std::stoull(p[0].get<std::string>(), nullptr, 16);
            if (n > block) return Json(nullptr);
            return Json{{"number", chain_hex(n)},
                        {"hash", to_hex(hash_of(n))},
                        {"parentHash", to_hex(hash_of(n - 1))},
                        {"timestamp", "0x1"}};
        });
        node->on("eth_getLogs", [this](const Json& p) {
            ++get_logs_calls;
            const std::uint64_t from = std::stoull(p[0]["fromBlock"].get<std::string>(), nullptr, 16);
            const std::uint64_t to = std::stoull(p[0]["toBlock"].get<std::string>(), nullptr, 16);
            Json out = Json::array();
            for (const auto& [n, l] : logs) {
                if (n >= from && n <= to) out.push_back(l);
            }
            return out;
        });
    }
    Hash hash_of(std::uint64_t n) const {
        return keccak256(std::string_view("block " + std::to_string(n) + " fork " + std::to_string(fork)));
    }
    /// A log of `at` in block `n` with `topics`.
    void add_log(std::uint64_t n, const Address& at, const std::vector<Hash>& topics) {
        Json t = Json::array();
        for (const Hash& h : topics) t.push_back(to_hex(h));
        logs.emplace_back(n, Json{{"address", to_hex(at)},
                                  {"topics", t},
                                  {"data", "0x"},
                                  {"blockNumber", chain_hex(n)},
                                  {"blockHash", to_hex(hash_of(n))},
                                  {"transactionHash", to_hex(hash_of(n + 1000))},
                                  {"logIndex", "0x0"}});
    }
    std::size_t calls_of(const std::string& selector_hex) const {
        std::size_t k = 0;
        for (const auto& d : call_data) k += d.rfind(selector_hex, 0) == 0 ? 1U : 0U;
        return k;
    }

    void on(const Address& at, const std::string& sig, std::function<std::vector<Value>(BytesView)> f) {
        const abi::Function fn = *abi::parse_function(sig);
        handlers[to_lower(to_hex(at)) + to_hex(fn.selector())] = [fn, f](BytesView args) {
            return abi::encode(fn.output_types(), f(args));
        };
    }

    static std::string chain_hex(std::uint64_t v) {
        std::string s = to_hex_quantity(u256(v));
        return s;
    }
    static std::string to_lower(std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }

    std::shared_ptr<FakeNode> node;
    chain::RpcClient rpc;
    chain::EthClient eth;
    std::uint64_t block = 7;
    std::uint64_t fork = 0;
    int get_logs_calls = 0;
    std::vector<std::pair<std::uint64_t, Json>> logs;
    std::vector<std::string> calls_at;
    std::vector<std::string> call_data;
    std::map<std::string, std::function<Bytes(BytesView)>> handlers;
};

constexpr const char* kView = "(address,bool,uint32,(string,string,uint16,uint32),(bytes32,address,uint96)[])";

Value op_view(std::uint8_t i, bool active, const Hash& model, const Address& token, std::uint64_t price) {
    return Value::tuple({Value::address(addr(i)), Value::boolean(active), Value::uint(i, 32),
                         Value::tuple({Value::string("http://n" + std::to_string(i)), Value::string("eu-west"),
                                       Value::uint(1, 16), Value::uint(4, 32)}),
                         Value::array({Value::tuple(
                             {Value::bytes_n(as_bytes(model)), Value::address(token), Value::uint(price, 96)})})});
}

/// Three operators serving model `m` for `token` at price_factor x i, stake 1000 x i, one model
/// whose best standing evaluation is 9100.
struct Registries {
    Address opreg = addr(0xa0), models = addr(0xa1), am = addr(0xa2), avs = addr(0xa3), strat = addr(0xa4);
    Address token = addr(0xee);
    Hash m = keccak256(std::string_view("cnn"));
    std::uint64_t price_factor = 100;
};

void install(FakeChain& c, Registries& fx) {
    const Address opreg = fx.opreg, models = fx.models, am = fx.am, avs = fx.avs, strat = fx.strat;
    const Address token = fx.token;
    const Hash m = fx.m;
    c.on(opreg, "operatorCount()(uint256)", [](BytesView) { return std::vector<Value>{Value::uint(3)}; });
    c.on(opreg,
         "getOperators(uint256,uint256)((address,bool,uint32,(string,string,uint16,uint32),(bytes32,address,uint96)[])["
         "])",
         [=, &fx](BytesView args) {
             auto in = abi::decode({abi::Type::uint(), abi::Type::uint()}, args);
             std::vector<Value> page;
             for (std::uint64_t i = static_cast<std::uint64_t>(in->at(0).num); i < 3; ++i) {
                 page.push_back(op_view(static_cast<std::uint8_t>(i + 1), true, m, token, fx.price_factor * (i + 1)));
                 if (page.size() == static_cast<std::size_t>(in->at(1).num)) break;
             }
             return std::vector<Value>{Value::array(page)};
         });
    c.on(opreg, "allocationManager()(address)", [=](BytesView) { return std::vector<Value>{Value::address(am)}; });
    c.on(opreg, "avs()(address)", [=](BytesView) { return std::vector<Value>{Value::address(avs)}; });
    c.on(opreg, "operatorSetId()(uint32)", [](BytesView) { return std::vector<Value>{Value::uint(7, 32)}; });
    c.on(opreg, "getStakeStrategies()(address[])",
         [=](BytesView) { return std::vector<Value>{Value::array({Value::address(strat)})}; });
    c.on(am, "getMinimumSlashableStake((address,uint32),address[],address[],uint32)(uint256[][])", [](BytesView args) {
        auto in = abi::decode(
            {abi::Type::tuple({abi::Type::address(), abi::Type::uint(32)}), abi::Type::array(abi::Type::address()),
             abi::Type::array(abi::Type::address()), abi::Type::uint(32)},
            args);
        std::vector<Value> rows;
        for (const Value& op : in->at(1).elems) rows.push_back(Value::array({Value::uint(op.bytes[19] * 1000u)}));
        return std::vector<Value>{Value::array(rows)};
    });
    c.on(models, "modelCount()(uint256)", [](BytesView) { return std::vector<Value>{Value::uint(1)}; });
    c.on(models, "getModelRoots(uint256,uint256)(bytes32[])",
         [=](BytesView) { return std::vector<Value>{Value::array({Value::bytes_n(as_bytes(m))})}; });
    c.on(models, "getEvaluationIds(bytes32)(uint256[])", [](BytesView) {
        return std::vector<Value>{Value::array({Value::uint(0), Value::uint(1), Value::uint(2)})};
    });
    c.on(models, "getEvaluation(uint256)((bytes32,bytes32,bytes32,address,uint32,uint40,uint8))", [=](BytesView args) {
        const auto id = static_cast<std::uint64_t>(abi::decode({abi::Type::uint()}, args)->at(0).num);
        const std::uint64_t score[] = {8'000, 9'900, 9'100};
        const std::uint64_t status[] = {1, 2, 1};  // evaluation 1 was refuted
        return std::vector<Value>{Value::tuple(
            {Value::bytes_n(as_bytes(m)), Value::bytes_n(as_bytes(m)), Value::bytes_n(as_bytes(m)),
             Value::address(addr(9)), Value::uint(score[id], 32), Value::uint(1, 40), Value::uint(status[id], 8)})};
    });

    c.on(opreg, std::string("getOperator(address)(") + kView + ")", [&fx, m, token](BytesView args) {
        auto in = abi::decode({abi::Type::address()}, args);
        const auto i = in->at(0).bytes[19];
        return std::vector<Value>{op_view(i, true, m, token, fx.price_factor * i)};
    });
}

TEST(router_follower, reads_registries_into_a_snapshot) {
    FakeChain c;
    c.serve_blocks_and_logs();
    Registries fx;
    install(c, fx);
    const Hash m = fx.m;
    const Address token = fx.token;
    FollowerConfig fc;
    fc.operator_registry = fx.opreg;
    fc.model_registry = fx.models;
    fc.page = 2;  // two pages
    ChainFollower f(c.eth, fc);
    Matcher e;
    auto r = f.poll(e);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(*r);
    EXPECT_EQ(f.last_block(), 7u);
    for (const std::string& at : c.calls_at) EXPECT_EQ(at, "0x7");  // one consistent block
    const auto ops = e.operators();
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[1].second.address, addr(2));
    EXPECT_EQ(ops[1].second.endpoint, "http://n2");
    EXPECT_EQ(ops[1].second.stake, Amount{2'000});
    EXPECT_EQ(ops[1].second.faults, 2u);
    // Quality is the best evaluation that was not refuted: 9100.
    RouteRequest q;
    q.models = {m};
    q.token = token;
    q.min_quality = 9'100;
    q.sort = route::SortMode::price;
    auto d = e.route(q, 0, 1);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->ranked[0].operator_address, addr(1));
    q.min_quality = 9'101;
    EXPECT_FALSE(e.route(q, 0, 1));
    // No new block: nothing republished.
    EXPECT_FALSE(*f.poll(e));
    // A new block without registry logs: nothing re-read, nothing republished.
    const std::size_t calls = c.calls_at.size();
    c.block = 8;
    EXPECT_FALSE(*f.poll(e));
    EXPECT_EQ(e.version(), 1u);
    EXPECT_EQ(c.calls_at.size(), calls);
    EXPECT_EQ(f.last_block(), 8u);
}

TEST(router_follower, follows_registry_events_between_full_reads) {
    FakeChain c;
    c.serve_blocks_and_logs();
    Registries fx;
    install(c, fx);
    FollowerConfig fc;
    fc.operator_registry = fx.opreg;
    fc.model_registry = fx.models;
    fc.resync_blocks = 10;
    ChainFollower f(c.eth, fc);
    Matcher e;
    ASSERT_TRUE(*f.poll(e));  // block 7: the first read is full
    EXPECT_EQ(f.stats().full_reads, 1u);
    const std::string get_operators =
        to_hex(abi::parse_function(std::string("getOperators(uint256,uint256)(") + kView + "[])")->selector());
    auto price_of = [&](std::uint8_t i) {
        for (const auto& [slot, op] : e.operators()) {
            if (op.address == addr(i)) return op.services.at(0).price;
        }
        return Amount{0};
    };
    ASSERT_EQ(price_of(2), Amount{200});

    // Blocks 8-9 without registry logs: no eth_call at all.
    std::size_t calls = c.calls_at.size();
    c.block = 9;
    EXPECT_FALSE(*f.poll(e));
    EXPECT_EQ(c.calls_at.size(), calls);
    EXPECT_EQ(f.stats().quiet_blocks, 1u);

    // Block 10: operator 2 changed its price. Only operator 2 is re-read (getOperator and its
    // stake), not the whole registry.
    fx.price_factor = 1000;
    c.add_log(10, fx.opreg,
              {keccak256(std::string_view("ServiceSet(address,bytes32,address,uint96)")), Hash{}, fx.m, Hash{}});
    {
        Hash t{};
        const Address two = addr(2);
        std::copy(two.begin(), two.end(), t.begin() + 12);
        c.logs.back().second["topics"][1] = to_hex(t);
    }
    c.block = 10;
    const std::size_t listing_before = c.calls_of(get_operators);
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(f.stats().incremental_updates, 1u);
    EXPECT_EQ(f.stats().full_reads, 1u);
    EXPECT_EQ(c.calls_of(get_operators), listing_before) << "the operator list was read again";
    EXPECT_EQ(price_of(2), Amount{2000});
    EXPECT_EQ(price_of(1), Amount{100});  // not re-read: nothing on chain named it
    EXPECT_EQ(e.version(), 2u);

    // A reorg replaces block 10: the hash we followed is gone, so everything is read again.
    c.fork = 1;
    c.block = 11;
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(f.stats().reorgs, 1u);
    EXPECT_EQ(f.stats().full_reads, 2u);
    EXPECT_EQ(price_of(1), Amount{1000});

    // A log that does not name one operator (here: the ModelRegistry) forces a full read.
    c.add_log(12, fx.models, {keccak256(std::string_view("EvaluationRefuted(uint256)")), Hash{}});
    c.block = 12;
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(f.stats().full_reads, 3u);

    // The periodic resync: 10 blocks after the last full read, even without logs.
    c.block = 21;
    EXPECT_FALSE(*f.poll(e));
    c.block = 22;
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(f.stats().full_reads, 4u);

    // The head went backwards (a rollback): a full read at the new head.
    c.block = 20;
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(f.stats().full_reads, 5u);
    EXPECT_EQ(f.last_block(), 20u);
}

TEST(router_follower, rpc_failure_is_a_named_error) {
    FakeChain c;
    FollowerConfig fc;
    fc.operator_registry = addr(1);
    fc.model_registry = addr(2);
    ChainFollower f(c.eth, fc);
    Matcher e;
    auto r = f.poll(e);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, FollowError::Kind::rpc);
    EXPECT_EQ(e.version(), 0u);
}

}  // namespace
}  // namespace sigil::router
