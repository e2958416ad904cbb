#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "runtime/exec/sample_models.hpp"
#include "node/catalog.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/metrics.hpp"
#include "node/rate_limiter.hpp"

namespace sigil::node {
namespace {

Address addr(std::uint8_t b) {
    Address a{};
    a.fill(b);
    return a;
}

TEST(node_rate_limiter, bucket_refills_at_the_rate) {
    RateLimiter r(5);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.allow("a", 1000));
    EXPECT_FALSE(r.allow("a", 1000));
    EXPECT_TRUE(r.allow("b", 1000));  // per client
    EXPECT_FALSE(r.allow("a", 1100));  // 0.5 token
    EXPECT_TRUE(r.allow("a", 1200));   // 1 token after 200 ms
    EXPECT_FALSE(r.allow("a", 1200));
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.allow("a", 10'000));  // capped at the burst
    EXPECT_FALSE(r.allow("a", 10'000));
}

TEST(node_catalog, refuses_a_program_whose_first_output_is_not_the_last_step) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-catalog-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto prog = runtime::sample_mlp(1, 7);
    ASSERT_GE(prog.ops.size(), 2u);
    prog.outputs = {prog.ops.front().output};  // a valid program, but its output is not out_N
    const Bytes bytes = ir::save_program(prog);
    std::ofstream(dir / "early.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ModelConfig mc;
    mc.program = dir / "early.sigil";
    const auto cat = Catalog::load({mc});
    ASSERT_FALSE(cat.has_value());
    EXPECT_EQ(cat.error().key, "model[0].program");
    EXPECT_NE(cat.error().describe().find("last op's output"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(node_decide, serves_only_what_the_policy_allows) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-decide-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const Bytes prog = ir::save_program(runtime::sample_mlp(1, 7));
    std::ofstream(dir / "m.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));
    ModelConfig mc;
    mc.program = dir / "m.sigil";
    mc.prices = {{addr(7), 100}};
    auto cat = Catalog::load({mc});
    ASSERT_TRUE(cat.has_value()) << cat.error().describe();
    ASSERT_EQ(cat->models()[0].input_bytes, 784u);
    mc.root = Hash{};
    EXPECT_EQ(Catalog::load({mc}).error().key, "model[0].root");
    mc.root.reset();
    EXPECT_EQ(Catalog::load({mc, mc}).error().kind, ConfigErrorKind::duplicate);

    ServePolicy p{&*cat, addr(1), std::vector<Address>{addr(9)}, 2};
    RequestedEvent ev;
    ev.k = 1;
    ev.model_root = cat->models()[0].root;
    ev.token = addr(7);
    ev.price = 100;
    ev.consumer = addr(9);
    ev.created_at = 1000;
    ev.ttl = 100;
    ev.input = Bytes(784, 0);
    EXPECT_EQ(decide(ev, p, 0, 1050), std::nullopt);
    EXPECT_EQ(decide(ev, p, 0, 1100), std::nullopt);  // the deadline second itself is still live
    EXPECT_EQ(decide(ev, p, 0, 1101), SkipReason::deadline_passed);
    EXPECT_EQ(decide(ev, p, 2, 1050), SkipReason::capacity);
    auto e = ev;
    e.price = 99;
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::price_below_minimum);
    e = ev;
    e.token = addr(8);
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::token_not_accepted);
    e = ev;
    e.consumer = addr(3);
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::consumer_not_allowed);
    e = ev;
    e.input.clear();
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::input_missing);
    e = ev;
    e.input.resize(783);
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::input_size);
    e = ev;
    e.model_root = Hash{};
    EXPECT_EQ(decide(e, p, 0, 1050), SkipReason::model_not_served);
    std::filesystem::remove_all(dir);
}

TEST(node_decide, without_a_catalog) {
    Catalog empty;
    ServePolicy p{&empty, addr(1), std::nullopt, 4};
    RequestedEvent ev;
    ev.k = 1;
    ev.ttl = 100;
    ev.created_at = 1000;
    EXPECT_EQ(decide(ev, p, 0, 1000), SkipReason::model_not_served);
    ev.k = 0;
    EXPECT_EQ(decide(ev, p, 0, 1000), SkipReason::bad_redundancy);
}

TEST(node_abi, claim_hash_and_commitment_match_solidity_layout) {
    // hashClaim = keccak256(abi.encode(keccak256(output), outputRoot, traceRoot, steps, inputRoot)):
    // five 32-byte words, built here by hand.
    Claim c;
    c.output = Bytes{1, 2, 3};
    c.output_root.fill(0x11);
    c.trace_root.fill(0x22);
    c.steps = 0x0102;
    c.input_root.fill(0x33);
    Bytes words;
    const Hash out = keccak256(c.output);
    words.insert(words.end(), out.begin(), out.end());
    words.insert(words.end(), c.output_root.begin(), c.output_root.end());
    words.insert(words.end(), c.trace_root.begin(), c.trace_root.end());
    Bytes steps(32, 0);
    steps[30] = 1;
    steps[31] = 2;
    words.insert(words.end(), steps.begin(), steps.end());
    words.insert(words.end(), c.input_root.begin(), c.input_root.end());
    EXPECT_EQ(hash_claim(c), keccak256(words));
    // A different salt or operator gives a different commitment.
    Hash id{}, salt{}, salt2{};
    salt2.fill(1);
    EXPECT_NE(commitment_of(id, addr(1), hash_claim(c), salt), commitment_of(id, addr(1), hash_claim(c), salt2));
    EXPECT_NE(commitment_of(id, addr(1), hash_claim(c), salt), commitment_of(id, addr(2), hash_claim(c), salt));
}

TEST(node_abi, revert_names) {
    const Hash h = keccak256(std::string_view("AlreadyAnswered()"));
    EXPECT_EQ(revert_name(BytesView(h.data(), 4)), "AlreadyAnswered");
    EXPECT_EQ(revert_name(Bytes{1, 2}), "empty");
    EXPECT_EQ(revert_name(Bytes{0xde, 0xad, 0xbe, 0xef}), "0xdeadbeef");
    // Selectors from `cast sig`: the claim and seat checks of a delivery or commit.
    EXPECT_EQ(revert_name(*from_hex("0x956f8234")), "OutputNotCommitted");
    EXPECT_EQ(revert_name(*from_hex("0x936d426d")), "InsufficientStake");
    EXPECT_EQ(dispute_revert_name(*from_hex("0x898dbbaf")), "GamesOpen");
}

TEST(node_abi, requested_log_is_decoded_and_garbage_refused) {
    chain::Log log;
    log.topics = {requested_topic(), Hash{}, Hash{}};
    log.data = Bytes{1, 2, 3};
    EXPECT_FALSE(decode_requested(log).has_value());
    log.topics = {committed_topic()};
    EXPECT_FALSE(decode_requested(log).has_value());
}

TEST(node_abi, subscribed_log_gives_the_subscription_input) {
    const auto terms_t = abi::parse_type(
        "((bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes32,address,uint96,uint16,uint32)");
    ASSERT_TRUE(terms_t.has_value());
    const Hash zero{};
    const abi::Value b = abi::Value::bytes_n(BytesView(zero.data(), zero.size()));
    const abi::Value a = abi::Value::address(addr(3));
    const abi::Value terms = abi::Value::tuple(
        {abi::Value::tuple({b, b, a, abi::Value::uint(1, 96), abi::Value::uint(1, 8), abi::Value::boolean(false),
                            abi::Value::uint(1, 32), abi::Value::uint(1, 32), abi::Value::uint(1, 32), a}),
         b, a, abi::Value::uint(0, 96), abi::Value::uint(0, 16), abi::Value::uint(30, 32)});
    chain::Log log;
    log.topics = {subscribed_topic(), to_be32(u256(7)), Hash{}};
    log.data = abi::encode({*terms_t, abi::Type::uint(16), abi::Type::bytes(), abi::Type::string()},
                           {terms, abi::Value::uint(2, 16), abi::Value::dyn_bytes(Bytes{}),
                            abi::Value::string("data:;base64,AAEC")});
    auto sub = decode_subscribed(log);
    ASSERT_TRUE(sub.has_value());
    EXPECT_EQ(sub->subscription, u256(7));
    EXPECT_TRUE(sub->input.empty());
    EXPECT_EQ(sub->input_uri, "data:;base64,AAEC");
    log.data.resize(log.data.size() - 40);
    EXPECT_FALSE(decode_subscribed(log).has_value());
    log.topics[0] = requested_topic();
    EXPECT_FALSE(decode_subscribed(log).has_value());
}

TEST(node_metrics, prometheus_text) {
    Metrics m;
    m.observe_delivery_latency(0.02);
    m.observe_delivery_latency(3);
    m.add_gas(100);
    m.rpc_error("timeout");
    const std::string t = m.render({{"delivered", 2}});
    EXPECT_NE(t.find("sigil_node_jobs{state=\"delivered\"} 2"), std::string::npos);
    EXPECT_NE(t.find("sigil_node_delivery_latency_seconds_bucket{le=\"0.025\"} 1"), std::string::npos);
    EXPECT_NE(t.find("sigil_node_delivery_latency_seconds_bucket{le=\"+Inf\"} 2"), std::string::npos);
    EXPECT_NE(t.find("sigil_node_delivery_latency_seconds_count 2"), std::string::npos);
    EXPECT_NE(t.find("sigil_node_gas_used_total 100"), std::string::npos);
    EXPECT_NE(t.find("sigil_node_rpc_errors_total{kind=\"timeout\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace sigil::node
