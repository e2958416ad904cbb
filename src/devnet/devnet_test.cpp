#include <gtest/gtest.h>

#include "devnet/client.hpp"
#include "devnet/deployer.hpp"
#include "devnet/events.hpp"
#include "devnet/models.hpp"
#include "devnet/workload.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {
namespace {

TEST(devnet_percentile, nearest_rank) {
    EXPECT_EQ(percentile({}, 50), 0);
    EXPECT_EQ(percentile({7}, 99), 7);
    // 1..100: p50 = 50, p90 = 90, p99 = 99, p100 = 100, order does not matter.
    std::vector<double> v;
    for (int i = 100; i >= 1; --i) v.push_back(i);
    EXPECT_EQ(percentile(v, 50), 50);
    EXPECT_EQ(percentile(v, 90), 90);
    EXPECT_EQ(percentile(v, 99), 99);
    EXPECT_EQ(percentile(v, 100), 100);
    EXPECT_EQ(percentile(v, 0), 1);
    EXPECT_EQ(percentile({3, 1, 2}, 50), 2);
}

TEST(devnet_units, format) {
    EXPECT_EQ(format_units(0), "0");
    EXPECT_EQ(format_units(kWad), "1");
    EXPECT_EQ(format_units(kWad * 3 / 2), "1.5");
    EXPECT_EQ(format_units(1), "0.000000000000000001");
    EXPECT_EQ(format_units(u256(10'000'000'000'000'000ULL)), "0.01");
}

Deployment sample() {
    Deployment d;
    d.rpc_url = "http://127.0.0.1:8545";
    d.chain_id = 31337;
    d.deploy_block = 12;
    d.operator_set_id = 1;
    d.owner = *parse_address("0x00000000000000000000000000000000000000a1");
    d.coordinator = *parse_address("0x00000000000000000000000000000000000000c0");
    d.strategy = *parse_address("0x0000000000000000000000000000000000000005");
    return d;
}

TEST(devnet_deployment, json_round_trip) {
    const Deployment d = sample();
    const Deployment back = Deployment::from_json(d.to_json());
    EXPECT_EQ(back.to_json(), d.to_json());
    EXPECT_EQ(back.coordinator, d.coordinator);
    EXPECT_EQ(back.deploy_block, 12U);
}

TEST(devnet_deployment, proof_market_round_trips_and_is_optional) {
    Deployment d = sample();
    d.proof_market = *parse_address("0x00000000000000000000000000000000000000b7");
    const Deployment back = Deployment::from_json(d.to_json());
    EXPECT_EQ(back.proof_market, d.proof_market);
    EXPECT_NE(d.to_json().find("\"proofMarket\""), std::string::npos);
    // A deployment file written before the market existed loads with a zero address.
    auto j = chain::Json::parse(d.to_json());
    j.erase("proofMarket");
    EXPECT_EQ(Deployment::from_json(j.dump()).proof_market, Address{});
}

TEST(devnet_deployment, named_errors) {
    EXPECT_THROW(Deployment::from_json("[]"), DevnetError);
    EXPECT_THROW(Deployment::from_json("not json"), DevnetError);
    auto j = chain::Json::parse(sample().to_json());
    j.erase("coordinator");
    try {
        Deployment::from_json(j.dump());
        FAIL() << "accepted a deployment without a coordinator";
    } catch (const DevnetError& e) {
        EXPECT_NE(std::string(e.what()).find("coordinator"), std::string::npos);
    }
    j = chain::Json::parse(sample().to_json());
    j["strategy"] = "0x1234";
    EXPECT_THROW(Deployment::from_json(j.dump()), DevnetError);
    j = chain::Json::parse(sample().to_json());
    j["operatorSetId"] = 1ULL << 40;
    EXPECT_THROW(Deployment::from_json(j.dump()), DevnetError);
}

TEST(devnet_args, bad_addresses_and_amounts_are_named) {
    try {
        parse_address_arg("0xnothex", "--strategy address");
        FAIL();
    } catch (const DevnetError& e) {
        EXPECT_NE(std::string(e.what()).find("invalid --strategy address '0xnothex'"), std::string::npos);
    }
    try {
        parse_amount_arg("12 bananas", "--amount");
        FAIL();
    } catch (const DevnetError& e) {
        EXPECT_NE(std::string(e.what()).find("invalid --amount"), std::string::npos);
    }
    EXPECT_EQ(parse_amount_arg("1.5ether", "--amount"), kWad * 3 / 2);
}

TEST(devnet_labels, decode_like_the_consumer) {
    EXPECT_EQ(decode_label(Bytes{3}), 3);
    EXPECT_EQ(decode_label(Bytes{10}), -1);
    EXPECT_EQ(decode_label(Bytes{}), -1);
    // int8 logits: 0xff is -1, 0x05 is 5; ties go to the lowest index.
    EXPECT_EQ(decode_label(Bytes{0xff, 0x05, 0x80, 0x05, 0, 0, 0, 0, 0, 0}), 1);
    EXPECT_EQ(decode_label(Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}), 0);
    EXPECT_EQ(decode_label(Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f}), 9);
    EXPECT_EQ(decode_label(Bytes(11, 0)), -1);
}

TEST(devnet_registration, data_decodes_as_metadata_and_services) {
    Service s;
    s.model_root[0] = 0xab;
    s.token = *parse_address("0x00000000000000000000000000000000000000cc");
    s.price = 12345;
    const Bytes data = registration_data({"http://127.0.0.1:9000", "eu", 1, 8}, {s});
    auto fn = abi::parse_function("f((string,string,uint16,uint32),(bytes32,address,uint96)[])");
    auto v = abi::decode(fn->input_types(), data);
    ASSERT_TRUE(v);
    EXPECT_EQ((*v)[0].elems[0].as_string(), "http://127.0.0.1:9000");
    EXPECT_EQ((*v)[0].elems[3].num, 8);
    ASSERT_EQ((*v)[1].elems.size(), 1U);
    EXPECT_EQ((*v)[1].elems[0].elems[2].num, 12345);
    Service too_big = s;
    too_big.price = u256(1) << 96;
    EXPECT_THROW(registration_data({}, {too_big}), DevnetError);
}

TEST(devnet_registration, model_commitment_matches_cast) {
    // cast keccak $(cast abi-encode "f(bytes32,address)" 0x5e00..01 0x7099..79C8)
    Hash root{};
    root[0] = 0x5e;
    root[31] = 0x01;
    const Address creator = parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();
    EXPECT_EQ(to_hex(model_registration_commitment(root, creator)),
              "0xb7028634a1d3f52e7e680ec3c105c55763f133faae1c73231e03dcccea5fd628");
}

TEST(devnet_keys, deterministic_and_distinct) {
    EXPECT_EQ(devnet_key("operator/0").address(), devnet_key("operator/0").address());
    EXPECT_NE(devnet_key("operator/0").address(), devnet_key("operator/1").address());
}

TEST(devnet_events, signatures_match_the_contracts) {
    // topic0 values from `cast sig-event` over the Coordinator's event declarations.
    EXPECT_EQ(event("CallbackResult").signature(), "CallbackResult(bytes32,bool)");
    EXPECT_EQ(event("Settled").signature(), "Settled(bytes32,uint256,uint256)");
    EXPECT_EQ(event("Requested").signature(),
              "Requested(bytes32,address,(address,(bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,"
              "address),bytes32,address,uint96,uint16,uint32,uint32,uint256),bytes,string)");
    EXPECT_THROW(event("NoSuchEvent"), DevnetError);
}

TEST(devnet_config, node_config_names_every_section) {
    Deployment d = sample();
    World w;
    OperatorInfo op;
    op.self.label = "operator/0";
    op.self.secret = devnet_key("operator/0").secret();
    op.api_port = 9100;
    w.params.price = u256(10'000'000'000'000'000ULL);
    ModelFile m;
    m.path = "/tmp/m.sigil";
    m.root[31] = 1;
    w.models.push_back(m);
    const std::string toml = node_config(d, w, op, "/tmp/data");
    for (const char* key : {"[chain]", "rpc_url = \"http://127.0.0.1:8545\"", "chain_id = 31337", "start_block = 12",
                            "[contracts]", "coordinator = \"0x00000000000000000000000000000000000000c0\"",
                            "[operator]", "private_key = \"0x", "[node]", "data_dir = \"/tmp/data\"", "[api]",
                            "listen = \"127.0.0.1:9100\"", "[[model]]", "program = \"/tmp/m.sigil\"",
                            "[[model.price]]", "min = \"10000000000000000\""}) {
        EXPECT_NE(toml.find(key), std::string::npos) << key;
    }
}

}  // namespace
}  // namespace sigil::devnet
