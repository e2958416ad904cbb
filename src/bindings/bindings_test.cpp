#include <gtest/gtest.h>

#include <set>
#include <string>

#include "bindings/abi_tables.hpp"
#include "bindings/coordinator.hpp"
#include "bindings/dispute_game.hpp"
#include "bindings/operator_registry.hpp"
#include "bindings/proof_market.hpp"
#include "core/keccak.hpp"

namespace sigil::bindings {
namespace {

template <typename Table>
void expect_hashes_of_signatures(const Table& table, std::size_t bytes) {
    std::set<std::string_view> seen;
    for (const auto& e : table) {
        const Hash h = keccak256(e.signature);
        if constexpr (requires { e.topic; }) {
            EXPECT_TRUE(std::equal(e.topic.begin(), e.topic.end(), h.begin())) << e.signature;
        } else {
            EXPECT_TRUE(std::equal(e.selector.begin(), e.selector.end(), h.begin())) << e.signature;
        }
        EXPECT_EQ(e.signature.substr(0, e.name.size()), e.name);
        EXPECT_EQ(e.signature[e.name.size()], '(');
        EXPECT_TRUE(seen.insert(e.signature).second) << "twice: " << e.signature;
    }
    EXPECT_GT(bytes, 0u);
}

TEST(bindings, selectors_and_topics_are_the_hashes_of_their_signatures) {
    expect_hashes_of_signatures(coordinator::kErrors, 4);
    expect_hashes_of_signatures(coordinator::kEvents, 32);
    expect_hashes_of_signatures(coordinator::kFunctions, 4);
    expect_hashes_of_signatures(dispute_game::kErrors, 4);
    expect_hashes_of_signatures(proof_market::kEvents, 32);
}

// Selectors as cast computes them (`cast sig`), an implementation independent of ours.
TEST(bindings, known_selectors) {
    EXPECT_EQ(to_hex(BytesView(coordinator::error::OutputNotCommitted.selector)), "0x956f8234");
    EXPECT_EQ(to_hex(BytesView(operator_registry::error::InsufficientStake.selector)), "0x936d426d");
    EXPECT_EQ(operator_registry::error::InsufficientStake.signature, "InsufficientStake(address,uint256,uint256)");
    EXPECT_EQ(to_hex(BytesView(dispute_game::error::GamesOpen.selector)), "0x898dbbaf");
    EXPECT_EQ(to_hex(BytesView(proof_market::error::DrawTooEarly.selector)), "0x61f3f728");
}

// Struct arguments are written out as tuples in the canonical signature.
TEST(bindings, tuple_arguments_are_canonical) {
    EXPECT_EQ(coordinator::fn::settle.signature.substr(0, 16), "settle(bytes32,(");
    EXPECT_NE(coordinator::fn::deliver.signature.find("(bytes,bytes32,bytes32,uint64,bytes32)"), std::string::npos);
}

TEST(bindings, revert_name_searches_the_tables_in_order) {
    const auto& e = coordinator::error::TooFewSeats;
    const Bytes data(e.selector.begin(), e.selector.end());
    EXPECT_EQ(revert_name(data, {dispute_game::kErrors, coordinator::kErrors}), "TooFewSeats");
    EXPECT_EQ(revert_name(data, {dispute_game::kErrors}), to_hex(data));
    EXPECT_EQ(revert_name(Bytes{1, 2}, {coordinator::kErrors}), "empty");
    EXPECT_FALSE(find_error(Bytes{0xde, 0xad, 0xbe, 0xef}, coordinator::kErrors).has_value());
}


TEST(bindings, decode_event_names_every_parameter_and_refuses_other_logs) {
    namespace A = dispute_game::arg::Resolved;
    const EventInfo& e = dispute_game::event::Resolved;
    std::vector<Hash> topics = {topic(e), to_be32(u256(42))};
    const Bytes data = abi::encode({abi::Type::boolean(), abi::Type::string()},
                                   {abi::Value::boolean(true), abi::Value::string("timeout")});
    auto v = decode_event(e, topics, data);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ((*v)[A::gameId].num, u256(42));
    EXPECT_EQ((*v)[A::defenderWon].num, u256(1));
    EXPECT_EQ((*v)[A::reason].as_string(), "timeout");
    // Another event's topic, a missing topic, data cut short: not this event.
    EXPECT_FALSE(decode_event(dispute_game::event::ClaimRefuted, topics, data).has_value());
    EXPECT_FALSE(decode_event(e, std::vector<Hash>{topic(e)}, data).has_value());
    EXPECT_FALSE(decode_event(e, topics, BytesView(data.data(), 40)).has_value());
    EXPECT_EQ(&event_abi(e), &event_abi(e));  // parsed once
}
}  // namespace
}  // namespace sigil::bindings
