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
            auto it = handlers.find(to_lower(to) + data.substr(0, 10));
            if (it == handlers.end()) return FakeNode::error_response(3, "execution reverted");
            auto bytes = from_hex(data);
            return Json(to_hex(it->second(BytesView(*bytes).subspan(4))));
        });
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
    std::vector<std::string> calls_at;
    std::map<std::string, std::function<Bytes(BytesView)>> handlers;
};

Value op_view(std::uint8_t i, bool active, const Hash& model, const Address& token, std::uint64_t price) {
    return Value::tuple({Value::address(addr(i)), Value::boolean(active), Value::uint(i, 32),
                         Value::tuple({Value::string("http://n" + std::to_string(i)), Value::string("eu-west"),
                                       Value::uint(1, 16), Value::uint(4, 32)}),
                         Value::array({Value::tuple(
                             {Value::bytes_n(as_bytes(model)), Value::address(token), Value::uint(price, 96)})})});
}

TEST(router_follower, reads_registries_into_a_snapshot) {
    FakeChain c;
    const Address opreg = addr(0xa0), models = addr(0xa1), am = addr(0xa2), avs = addr(0xa3), strat = addr(0xa4);
    const Address token = addr(0xee);
    const Hash m = keccak256(std::string_view("cnn"));
    c.on(opreg, "operatorCount()(uint256)", [](BytesView) { return std::vector<Value>{Value::uint(3)}; });
    c.on(opreg,
         "getOperators(uint256,uint256)((address,bool,uint32,(string,string,uint16,uint32),(bytes32,address,uint96)[])["
         "])",
         [&](BytesView args) {
             auto in = abi::decode({abi::Type::uint(), abi::Type::uint()}, args);
             std::vector<Value> page;
             for (std::uint64_t i = static_cast<std::uint64_t>(in->at(0).num); i < 3; ++i) {
                 page.push_back(op_view(static_cast<std::uint8_t>(i + 1), true, m, token, 100 * (i + 1)));
                 if (page.size() == static_cast<std::size_t>(in->at(1).num)) break;
             }
             return std::vector<Value>{Value::array(page)};
         });
    c.on(opreg, "allocationManager()(address)", [&](BytesView) { return std::vector<Value>{Value::address(am)}; });
    c.on(opreg, "avs()(address)", [&](BytesView) { return std::vector<Value>{Value::address(avs)}; });
    c.on(opreg, "operatorSetId()(uint32)", [](BytesView) { return std::vector<Value>{Value::uint(7, 32)}; });
    c.on(opreg, "getStakeStrategies()(address[])",
         [&](BytesView) { return std::vector<Value>{Value::array({Value::address(strat)})}; });
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
         [&](BytesView) { return std::vector<Value>{Value::array({Value::bytes_n(as_bytes(m))})}; });
    c.on(models, "getEvaluationIds(bytes32)(uint256[])", [](BytesView) {
        return std::vector<Value>{Value::array({Value::uint(0), Value::uint(1), Value::uint(2)})};
    });
    c.on(models, "getEvaluation(uint256)((bytes32,bytes32,bytes32,address,uint32,uint40,uint8))", [&](BytesView args) {
        const auto id = static_cast<std::uint64_t>(abi::decode({abi::Type::uint()}, args)->at(0).num);
        const std::uint64_t score[] = {8'000, 9'900, 9'100};
        const std::uint64_t status[] = {1, 2, 1};  // evaluation 1 was refuted
        return std::vector<Value>{Value::tuple(
            {Value::bytes_n(as_bytes(m)), Value::bytes_n(as_bytes(m)), Value::bytes_n(as_bytes(m)),
             Value::address(addr(9)), Value::uint(score[id], 32), Value::uint(1, 40), Value::uint(status[id], 8)})};
    });

    FollowerConfig fc;
    fc.operator_registry = opreg;
    fc.model_registry = models;
    fc.page = 2;  // two pages
    ChainFollower f(c.eth, fc);
    Engine e;
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
    c.block = 8;
    EXPECT_TRUE(*f.poll(e));
    EXPECT_EQ(e.version(), 2u);
}

TEST(router_follower, rpc_failure_is_a_named_error) {
    FakeChain c;
    FollowerConfig fc;
    fc.operator_registry = addr(1);
    fc.model_registry = addr(2);
    ChainFollower f(c.eth, fc);
    Engine e;
    auto r = f.poll(e);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, FollowError::Kind::rpc);
    EXPECT_EQ(e.version(), 0u);
}

}  // namespace
}  // namespace sigil::router
