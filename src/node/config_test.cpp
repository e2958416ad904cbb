#include "node/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "chain/keystore.hpp"
#include "node/operator_key.hpp"

namespace sigil::node {
namespace {

const char* kAddr = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

std::string sections(const std::string& chain, const std::string& contracts, const std::string& op,
                     const std::string& node, const std::string& rest) {
    return "[chain]\n" + chain + "\n[contracts]\n" + contracts + "\n[operator]\n" + op + "\n[node]\n" + node + "\n" +
           rest;
}

const std::string kChain = "rpc_url = \"http://127.0.0.1:8545\"\nchain_id = 31337\n";
const std::string kContracts = std::string("coordinator = \"") + kAddr + "\"\noperator_registry = \"" + kAddr +
                               "\"\nmodel_registry = \"" + kAddr + "\"\n";
const std::string kDevKey = "private_key = \"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\"\n";
const std::string kNode = "data_dir = \"data\"\n";
const std::string kModelHead = "[[model]]\nprogram = \"m.sigil\"\n";
const std::string kModelPrice = std::string("[[model.price]]\ntoken = \"") + kAddr + "\"\nmin = \"1000\"\n";
const std::string kModel = kModelHead + kModelPrice;

std::string valid() { return sections(kChain, kContracts, kDevKey, kNode, kModel); }

ConfigError refuse(const std::string& text, bool dev_key = true) {
    auto r = parse_config(text, "/base", dev_key);
    EXPECT_FALSE(r.has_value()) << text;
    return r ? ConfigError{} : r.error();
}

void expect_refused(const std::string& text, ConfigErrorKind kind, const std::string& key, bool dev_key = true) {
    const ConfigError e = refuse(text, dev_key);
    EXPECT_EQ(e.kind, kind) << e.describe();
    EXPECT_EQ(e.key, key) << e.describe();
}

TEST(node_config, valid_with_defaults) {
    auto r = parse_config(valid(), "/base", true);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    const NodeConfig& c = *r;
    EXPECT_EQ(c.chain.chain_id, 31337u);
    EXPECT_EQ(c.chain.confirmations, 0u);
    EXPECT_EQ(c.chain.poll_interval_ms, 250u);
    EXPECT_EQ(c.chain.start_block, 0u);
    EXPECT_EQ(c.node.workers, 2u);
    EXPECT_EQ(c.node.max_pending, 256u);
    EXPECT_FALSE(c.node.allow_consumers.has_value());
    EXPECT_EQ(c.node.data_dir, std::filesystem::path("/base/data"));
    EXPECT_FALSE(c.api.host.has_value());
    EXPECT_EQ(c.api.rate_limit_per_second, 50u);
    EXPECT_EQ(c.api.claim_dispute_seconds, 86'400u);
    ASSERT_EQ(c.models.size(), 1u);
    EXPECT_EQ(c.models[0].program, std::filesystem::path("/base/m.sigil"));
    ASSERT_EQ(c.models[0].prices.size(), 1u);
    EXPECT_EQ(c.models[0].prices[0].min, u256(1000));
}

TEST(node_config, every_field) {
    const std::string text = sections(kChain + "confirmations = 3\npoll_interval_ms = 100\nstart_block = 7\n",
                                      kContracts, kDevKey,
                                      kNode + "workers = 4\nmax_pending = 9\nallow_consumers = [\"" + kAddr + "\"]\n",
                                      "[api]\nlisten = \"127.0.0.1:8080\"\nrate_limit_per_second = 5\n" + kModelHead +
                                          "root = \"0x" + std::string(64, '1') + "\"\n" + kModelPrice +
                                          "[[backend]]\nkind = \"openai\"\nname = \"llm\"\nurl = \"http://x/v1\"\n"
                                          "model_id = \"m\"\n[[backend.price]]\ntoken = \"" +
                                          kAddr + "\"\nmin = \"5\"\n");
    auto r = parse_config(text, "/base", true);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->chain.confirmations, 3u);
    EXPECT_EQ(r->chain.poll_interval_ms, 100u);
    EXPECT_EQ(r->chain.start_block, 7u);
    EXPECT_EQ(r->node.workers, 4u);
    EXPECT_EQ(r->node.max_pending, 9u);
    ASSERT_TRUE(r->node.allow_consumers.has_value());
    EXPECT_EQ(r->node.allow_consumers->size(), 1u);
    EXPECT_EQ(*r->api.host, "127.0.0.1");
    EXPECT_EQ(r->api.port, 8080);
    EXPECT_EQ(r->api.rate_limit_per_second, 5u);
    ASSERT_TRUE(r->models[0].root.has_value());
    ASSERT_EQ(r->backends.size(), 1u);
    EXPECT_EQ(r->backends[0].kind, BackendKind::openai);
    EXPECT_EQ(r->backends[0].model_id, "m");
}

TEST(node_config, syntax_error) { expect_refused("[chain\n", ConfigErrorKind::syntax, ""); }

TEST(node_config, missing_tables) {
    expect_refused("", ConfigErrorKind::missing_key, "chain");
    expect_refused("[chain]\n" + kChain, ConfigErrorKind::missing_key, "contracts");
    expect_refused("[chain]\n" + kChain + "[contracts]\n" + kContracts, ConfigErrorKind::missing_key, "operator");
    expect_refused("[chain]\n" + kChain + "[contracts]\n" + kContracts + "[operator]\n" + kDevKey,
                   ConfigErrorKind::missing_key, "node");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, ""), ConfigErrorKind::missing_key, "model");
}

TEST(node_config, chain_keys) {
    expect_refused(sections("chain_id = 1\n", kContracts, kDevKey, kNode, kModel), ConfigErrorKind::missing_key,
                   "chain.rpc_url");
    expect_refused(sections("rpc_url = \"http://x\"\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::missing_key, "chain.chain_id");
    expect_refused(sections("rpc_url = \"ftp://x\"\nchain_id = 1\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "chain.rpc_url");
    expect_refused(sections("rpc_url = 5\nchain_id = 1\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::wrong_type, "chain.rpc_url");
    expect_refused(sections("rpc_url = \"http://x\"\nchain_id = \"1\"\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::wrong_type, "chain.chain_id");
    expect_refused(sections("rpc_url = \"http://x\"\nchain_id = 0\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "chain.chain_id");
    expect_refused(sections(kChain + "confirmations = -1\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "chain.confirmations");
    expect_refused(sections(kChain + "poll_interval_ms = 1\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "chain.poll_interval_ms");
    expect_refused(sections(kChain + "start_block = 1.5\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::wrong_type, "chain.start_block");
    expect_refused(sections(kChain + "confirmation = 2\n", kContracts, kDevKey, kNode, kModel),
                   ConfigErrorKind::unknown_key, "chain.confirmation");
}

TEST(node_config, contract_addresses) {
    expect_refused(sections(kChain, "coordinator = \"0x12\"\n", kDevKey, kNode, kModel), ConfigErrorKind::bad_value,
                   "contracts.coordinator");
    // Mixed case with a wrong EIP-55 checksum.
    expect_refused(sections(kChain,
                            "coordinator = \"0x5fbDB2315678afecb367f032d93F642f64180aa3\"\noperator_registry = \"" +
                                std::string(kAddr) + "\"\nmodel_registry = \"" + kAddr + "\"\n",
                            kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "contracts.coordinator");
    expect_refused(sections(kChain, std::string("coordinator = \"") + kAddr + "\"\n", kDevKey, kNode, kModel),
                   ConfigErrorKind::missing_key, "contracts.operator_registry");
    // A correct checksum is accepted.
    auto ok = parse_config(sections(kChain,
                                    "coordinator = \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n"
                                    "operator_registry = \"" +
                                        std::string(kAddr) + "\"\nmodel_registry = \"" + kAddr + "\"\n",
                                    kDevKey, kNode, kModel),
                           "/", true);
    EXPECT_TRUE(ok.has_value());
}

TEST(node_config, operator_key_sources) {
    expect_refused(valid(), ConfigErrorKind::dev_key_required, "operator.private_key", false);
    expect_refused(sections(kChain, kContracts, kDevKey + "keystore = \"k.json\"\n", kNode, kModel),
                   ConfigErrorKind::conflicting_keys, "operator.private_key");
    expect_refused(sections(kChain, kContracts, "", kNode, kModel), ConfigErrorKind::missing_key, "operator.keystore");
    expect_refused(sections(kChain, kContracts, "keystore = \"k.json\"\n", kNode, kModel),
                   ConfigErrorKind::missing_key, "operator.password_file");
    expect_refused(sections(kChain, kContracts,
                            "keystore = \"k.json\"\npassword_file = \"p\"\npassword_env = \"E\"\n", kNode, kModel),
                   ConfigErrorKind::conflicting_keys, "operator.password_file");
    auto ok = parse_config(sections(kChain, kContracts, "keystore = \"k.json\"\npassword_env = \"E\"\n", kNode, kModel),
                           "/base", false);
    ASSERT_TRUE(ok.has_value()) << ok.error().describe();
    EXPECT_EQ(ok->operator_key.keystore, std::filesystem::path("/base/k.json"));
}

TEST(node_config, node_and_api_keys) {
    expect_refused(sections(kChain, kContracts, kDevKey, "", kModel), ConfigErrorKind::missing_key, "node.data_dir");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode + "workers = 0\n", kModel), ConfigErrorKind::bad_value,
                   "node.workers");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode + "max_pending = 0\n", kModel),
                   ConfigErrorKind::bad_value, "node.max_pending");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode + "allow_consumers = \"x\"\n", kModel),
                   ConfigErrorKind::wrong_type, "node.allow_consumers");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode + "allow_consumers = [\"0x1\"]\n", kModel),
                   ConfigErrorKind::bad_value, "node.allow_consumers[0]");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[api]\nlisten = \"nohost\"\n" + kModel),
                   ConfigErrorKind::bad_value, "api.listen");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[api]\nlisten = \"h:70000\"\n" + kModel),
                   ConfigErrorKind::bad_value, "api.listen");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[api]\nrate_limit_per_second = 0\n" + kModel),
                   ConfigErrorKind::bad_value, "api.rate_limit_per_second");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[api]\nclaim_dispute_seconds = 59\n" + kModel),
                   ConfigErrorKind::bad_value, "api.claim_dispute_seconds");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[api]\nclaim_dispute_seconds = 2592001\n" + kModel),
                   ConfigErrorKind::bad_value, "api.claim_dispute_seconds");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[extra]\nx = 1\n" + kModel),
                   ConfigErrorKind::unknown_key, "extra");
}

TEST(node_config, model_and_price_keys) {
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[[model]]\n[[model.price]]\n"),
                   ConfigErrorKind::missing_key, "model[0].program");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[[model]]\nprogram = \"m\"\n"),
                   ConfigErrorKind::missing_key, "model[0].price");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, kModelHead + "root = \"0x12\"\n" + kModelPrice),
                   ConfigErrorKind::bad_value, "model[0].root");
    const std::string price_head = std::string("[[model]]\nprogram = \"m\"\n[[model.price]]\ntoken = \"") + kAddr + "\"\n";
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, price_head + "min = \"-1\"\n"),
                   ConfigErrorKind::bad_value, "model[0].price[0].min");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, price_head + "min = 5\n"), ConfigErrorKind::wrong_type,
                   "model[0].price[0].min");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, price_head + "min = \"79228162514264337593543950336\"\n"),
                   ConfigErrorKind::bad_value, "model[0].price[0].min");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            price_head + "min = \"1\"\n[[model.price]]\ntoken = \"" + kAddr + "\"\nmin = \"2\"\n"),
                   ConfigErrorKind::duplicate, "model[0].price[1].token");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, price_head + "min = \"1\"\nfee = 1\n"),
                   ConfigErrorKind::unknown_key, "model[0].price[0].fee");
}

TEST(node_config, backend_keys) {
    const std::string price = std::string("[[backend.price]]\ntoken = \"") + kAddr + "\"\nmin = \"1\"\n";
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, "[[backend]]\nkind = \"grpc\"\n"),
                   ConfigErrorKind::bad_value, "backend[0].kind");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            "[[backend]]\nkind = \"openai\"\nname = \"a\"\nurl = \"http://x\"\n" + price),
                   ConfigErrorKind::missing_key, "backend[0].model_id");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            "[[backend]]\nkind = \"http\"\nname = \"a\"\nurl = \"http://x\"\nmodel_id = \"m\"\n" + price),
                   ConfigErrorKind::conflicting_keys, "backend[0].model_id");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            "[[backend]]\nkind = \"http\"\nname = \"a\"\nurl = \"x\"\n" + price),
                   ConfigErrorKind::bad_value, "backend[0].url");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            "[[backend]]\nkind = \"http\"\nname = \"a\"\nurl = \"http://x\"\n" + price +
                                "[[backend]]\nkind = \"http\"\nname = \"a\"\nurl = \"http://y\"\n" + price),
                   ConfigErrorKind::duplicate, "backend[1].name");
}

TEST(node_config, language_model_keys) {
    const std::string api = "[api]\nlisten = \"127.0.0.1:0\"\n";
    const std::string lm = "[[language_model]]\nname = \"wordnet-lm\"\nprogram = \"lm.sigil\"\nvocab = \"v.json\"\n";
    auto ok = parse_config(
        sections(kChain, kContracts, kDevKey, kNode, api + lm + "threads = 2\nchat_suffix = \">\"\n"), "/base", true);
    ASSERT_TRUE(ok) << ok.error().describe();
    ASSERT_EQ(ok->language_models.size(), 1u);  // no [[model]] needed
    const auto& m = ok->language_models[0];
    EXPECT_EQ(m.name, "wordnet-lm");
    EXPECT_EQ(m.program, std::filesystem::path("/base/lm.sigil"));
    EXPECT_EQ(m.vocab, std::filesystem::path("/base/v.json"));
    EXPECT_EQ(m.threads, 2u);
    EXPECT_EQ(m.max_tokens, 256u);
    EXPECT_EQ(m.chat_template, "{content}");
    EXPECT_EQ(m.chat_suffix, ">");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, lm), ConfigErrorKind::conflicting_keys,
                   "language_model");  // no api.listen
    expect_refused(sections(kChain, kContracts, kDevKey, kNode,
                            api + "[[language_model]]\nname = \"a b\"\nprogram = \"p\"\nvocab = \"v\"\n"),
                   ConfigErrorKind::bad_value, "language_model[0].name");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, api + lm + "chat_template = \"{role}\"\n"),
                   ConfigErrorKind::bad_value, "language_model[0].chat_template");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, api + lm + "max_tokens = 0\n"),
                   ConfigErrorKind::bad_value, "language_model[0].max_tokens");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, api + lm + "temperature = 1\n"),
                   ConfigErrorKind::unknown_key, "language_model[0].temperature");
    expect_refused(sections(kChain, kContracts, kDevKey, kNode, api + lm + lm), ConfigErrorKind::duplicate,
                   "language_model[1].name");
    expect_refused(
        sections(kChain, kContracts, kDevKey, kNode, api + "[[language_model]]\nname = \"a\"\nprogram = \"p\"\n"),
        ConfigErrorKind::missing_key, "language_model[0].vocab");
}

TEST(node_config, load_operator_key_sources) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-node-key-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto key = chain::PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    ASSERT_TRUE(key.has_value());
    auto file = chain::write_keystore_file(*key, dir, "pw", chain::ScryptParams{1024, 8, 1});
    ASSERT_TRUE(file.has_value());
    std::ofstream(dir / "pass") << "pw\n";
    std::ofstream(dir / "wrong") << "nope\n";

    OperatorConfig c;
    c.keystore = *file;
    c.password_file = dir / "pass";
    auto loaded = load_operator_key(c);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
    EXPECT_EQ(loaded->address(), key->address());

    c.password_file = dir / "wrong";
    auto wrong = load_operator_key(c);
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().key, "operator.keystore");

    c.password_file = dir / "missing";
    auto missing = load_operator_key(c);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().key, "operator.password_file");

    c.password_file.clear();
    c.password_env = "SIGIL_NODE_TEST_PW_UNSET";
    ::unsetenv("SIGIL_NODE_TEST_PW_UNSET");
    auto unset = load_operator_key(c);
    ASSERT_FALSE(unset.has_value());
    EXPECT_EQ(unset.error().key, "operator.password_env");
    ::setenv("SIGIL_NODE_TEST_PW_UNSET", "pw", 1);
    EXPECT_TRUE(load_operator_key(c).has_value());

    OperatorConfig dev;
    dev.private_key = "0x12";
    auto bad = load_operator_key(dev);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().key, "operator.private_key");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::node

namespace sigil::node {
namespace {

TEST(node_config, challenger_and_fault_tables) {
    const std::string game = std::string("dispute_game = \"") + kAddr + "\"\n";
    const std::string with_game = sections(kChain, kContracts + game, kDevKey, kNode, kModel);
    auto plain = parse_config(valid(), "/base", true);
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->contracts.dispute_game, Address{});
    EXPECT_EQ(plain->challenger.mode, ChallengeMode::off);
    EXPECT_TRUE(plain->challenger.serve);
    EXPECT_EQ(plain->fault.probability, 0.0);

    auto c = parse_config(with_game +
                              "[challenger]\nmode = \"sample\"\nprobability = 0.25\nseed = 4\nmax_bond = \"5000\"\n"
                              "serve = false\n[fault]\nprobability = 1\nseed = 9\n",
                          "/base", true);
    ASSERT_TRUE(c.has_value()) << c.error().describe();
    EXPECT_NE(c->contracts.dispute_game, Address{});
    EXPECT_EQ(c->challenger.mode, ChallengeMode::sample);
    EXPECT_EQ(c->challenger.probability, 0.25);
    EXPECT_EQ(c->challenger.seed, 4u);
    EXPECT_EQ(c->challenger.max_bond, u256(5000));
    EXPECT_FALSE(c->challenger.serve);
    EXPECT_EQ(c->fault.probability, 1.0);
    EXPECT_EQ(c->fault.seed, 9u);

    expect_refused(valid() + "[challenger]\nmode = \"all\"\n", ConfigErrorKind::conflicting_keys, "challenger.mode");
    expect_refused(with_game + "[challenger]\nmode = \"some\"\n", ConfigErrorKind::bad_value, "challenger.mode");
    expect_refused(with_game + "[challenger]\nmode = \"sample\"\n", ConfigErrorKind::missing_key,
                   "challenger.probability");
    expect_refused(with_game + "[challenger]\nmode = \"sample\"\nprobability = 0\n", ConfigErrorKind::bad_value,
                   "challenger.probability");
    expect_refused(with_game + "[challenger]\nmode = \"all\"\nprobability = 0.5\n", ConfigErrorKind::conflicting_keys,
                   "challenger.probability");
    expect_refused(with_game + "[challenger]\nmax_bond = \"1e18\"\n", ConfigErrorKind::bad_value, "challenger.max_bond");
    expect_refused(with_game + "[challenger]\nserve = 1\n", ConfigErrorKind::wrong_type, "challenger.serve");
    expect_refused(with_game + "[challenger]\nmodes = \"all\"\n", ConfigErrorKind::unknown_key, "challenger.modes");
    expect_refused(with_game + "[fault]\nprobability = 1.5\n", ConfigErrorKind::bad_value, "fault.probability");
    expect_refused(with_game + "[fault]\nprobability = \"1\"\n", ConfigErrorKind::wrong_type, "fault.probability");
    expect_refused(sections(kChain, kContracts + "dispute_game = \"0x12\"\n", kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "contracts.dispute_game");
}

TEST(node_config, conflicts_key) {
    const std::string with_game = sections(kChain, kContracts + "dispute_game = \"" + kAddr + "\"\n", kDevKey, kNode, kModel);
    auto on = parse_config(with_game, "/base", true);
    ASSERT_TRUE(on.has_value()) << on.error().describe();
    EXPECT_TRUE(on->challenger.conflicts);
    auto off = parse_config(with_game + "[challenger]\nconflicts = false\n", "/base", true);
    ASSERT_TRUE(off.has_value()) << off.error().describe();
    EXPECT_FALSE(off->challenger.conflicts);
    EXPECT_EQ(off->challenger.mode, ChallengeMode::off);
    expect_refused(with_game + "[challenger]\nconflicts = \"no\"\n", ConfigErrorKind::wrong_type,
                   "challenger.conflicts");
}

TEST(node_config, fault_kind) {
    const std::string with_game =
        sections(kChain, kContracts + "dispute_game = \"" + kAddr + "\"\n", kDevKey, kNode, kModel);
    auto plain = parse_config(with_game + "[fault]\nprobability = 1\n", "/base", true);
    ASSERT_TRUE(plain.has_value()) << plain.error().describe();
    EXPECT_EQ(plain->fault.kind, FaultKind::trace);  // today's lie is the default
    for (const auto k : {FaultKind::trace, FaultKind::input_root, FaultKind::output_bytes, FaultKind::output_root}) {
        auto c = parse_config(with_game + "[fault]\nprobability = 0.5\nkind = \"" + std::string(to_string(k)) + "\"\n",
                              "/base", true);
        ASSERT_TRUE(c.has_value()) << c.error().describe();
        EXPECT_EQ(c->fault.kind, k);
        EXPECT_EQ(trace::fault_kind_from_string(to_string(k)), k);
    }
    EXPECT_FALSE(trace::fault_kind_from_string("Trace").has_value());
    expect_refused(with_game + "[fault]\nprobability = 1\nkind = \"output\"\n", ConfigErrorKind::bad_value,
                   "fault.kind");
    expect_refused(with_game + "[fault]\nprobability = 1\nkind = \"\"\n", ConfigErrorKind::bad_value, "fault.kind");
    expect_refused(with_game + "[fault]\nprobability = 1\nkind = 2\n", ConfigErrorKind::wrong_type, "fault.kind");
    expect_refused(with_game + "[fault]\nprobability = 1\nkinds = \"trace\"\n", ConfigErrorKind::unknown_key,
                   "fault.kinds");
    // A kind with no chance to lie: refused rather than silently honest.
    expect_refused(with_game + "[fault]\nkind = \"input_root\"\n", ConfigErrorKind::conflicting_keys, "fault.kind");
    expect_refused(with_game + "[fault]\nprobability = 0\nkind = \"output_root\"\n", ConfigErrorKind::conflicting_keys,
                   "fault.kind");
}

// `sigil challenger`'s file: [account] instead of [operator], dispute_game required, no prices,
// no API, [challenger] required with a checking mode.
const std::string kChallengerContracts =
    std::string("coordinator = \"") + kAddr + "\"\ndispute_game = \"" + kAddr + "\"\n";

std::string challenger_file(const std::string& contracts, const std::string& account, const std::string& rest,
                            const std::string& challenger = "[challenger]\nmode = \"all\"\n") {
    return "[chain]\n" + kChain + "\n[contracts]\n" + contracts + "\n[account]\n" + account + "\n[node]\n" + kNode +
           "\n" + kModelHead + rest + "\n" + challenger;
}

void expect_challenger_refused(const std::string& text, ConfigErrorKind kind, const std::string& key) {
    auto r = parse_config(text, "/base", true, ConfigProfile::challenger);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().kind, kind) << r.error().describe();
    EXPECT_EQ(r.error().key, key) << r.error().describe();
}

TEST(challenger_config, valid_minimal_file) {
    auto r = parse_config(challenger_file(kChallengerContracts, kDevKey, ""), "/base", true, ConfigProfile::challenger);
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->challenger.mode, ChallengeMode::all);
    EXPECT_FALSE(r->challenger.serve);      // serves nothing
    EXPECT_FALSE(r->challenger.conflicts);  // holds no seat
    EXPECT_EQ(r->contracts.operator_registry, Address{});
    EXPECT_NE(r->contracts.dispute_game, Address{});
    ASSERT_EQ(r->models.size(), 1u);
    EXPECT_TRUE(r->models[0].prices.empty());
    EXPECT_FALSE(r->api.host.has_value());
    EXPECT_EQ(r->operator_key.private_key.substr(0, 6), "0xac09");
    // The registries may stay in a file shared with a node; sample mode and [fault] are accepted.
    auto s = parse_config(challenger_file(kContracts + "dispute_game = \"" + kAddr + "\"\n", kDevKey,
                                          "[fault]\nprobability = 1.0\nkind = \"output_bytes\"\n",
                                          "[challenger]\nmode = \"sample\"\nprobability = 0.5\nmax_bond = \"7\"\n"),
                          "/base", true, ConfigProfile::challenger);
    ASSERT_TRUE(s.has_value()) << s.error().describe();
    EXPECT_EQ(s->challenger.mode, ChallengeMode::sample);
    EXPECT_EQ(s->challenger.max_bond, u256(7));
    EXPECT_EQ(s->fault.probability, 1.0);
    EXPECT_EQ(s->fault.kind, FaultKind::output_bytes);
}

TEST(challenger_config, refusals_name_the_key) {
    const std::string ok_contracts = kChallengerContracts;
    // The game is what the challenger plays: required.
    expect_challenger_refused(challenger_file(std::string("coordinator = \"") + kAddr + "\"\n", kDevKey, ""),
                              ConfigErrorKind::missing_key, "contracts.dispute_game");
    expect_challenger_refused(challenger_file(std::string("dispute_game = \"") + kAddr + "\"\n", kDevKey, ""),
                              ConfigErrorKind::missing_key, "contracts.coordinator");
    expect_challenger_refused(challenger_file(ok_contracts + "operator_registry = \"0x1\"\n", kDevKey, ""),
                              ConfigErrorKind::bad_value, "contracts.operator_registry");
    // It serves nothing: no language models either.
    expect_challenger_refused(
        challenger_file(ok_contracts, kDevKey, "[[language_model]]\nname = \"a\"\nprogram = \"p\"\nvocab = \"v\"\n"),
        ConfigErrorKind::unknown_key, "language_model");
    // [challenger]: required, with a checking mode; serve and conflicts are node-only.
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "", ""), ConfigErrorKind::missing_key,
                              "challenger");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "", "[challenger]\nseed = 1\n"),
                              ConfigErrorKind::missing_key, "challenger.mode");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "", "[challenger]\nmode = \"off\"\n"),
                              ConfigErrorKind::bad_value, "challenger.mode");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "", "[challenger]\nmode = \"sample\"\n"),
                              ConfigErrorKind::missing_key, "challenger.probability");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "", "[challenger]\nmode = \"all\"\nserve = true\n"),
                              ConfigErrorKind::unknown_key, "challenger.serve");
    expect_challenger_refused(
        challenger_file(ok_contracts, kDevKey, "", "[challenger]\nmode = \"all\"\nconflicts = true\n"),
        ConfigErrorKind::unknown_key, "challenger.conflicts");
    // The key lives in [account]; a raw key needs --dev-key.
    auto r = parse_config(challenger_file(ok_contracts, kDevKey, ""), "/base", false, ConfigProfile::challenger);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ConfigErrorKind::dev_key_required);
    EXPECT_EQ(r.error().key, "account.private_key");
    expect_challenger_refused(challenger_file(ok_contracts, "", ""), ConfigErrorKind::missing_key, "account.keystore");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "") + "[operator]\n" + kDevKey,
                              ConfigErrorKind::unknown_key, "operator");
    // Nothing is served: no prices, no API, no backends, no consumer list.
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, kModelPrice), ConfigErrorKind::unknown_key,
                              "model[0].price");
    expect_challenger_refused(challenger_file(ok_contracts, kDevKey, "") + "[api]\nlisten = \"127.0.0.1:0\"\n",
                              ConfigErrorKind::unknown_key, "api");
    expect_challenger_refused(
        challenger_file(ok_contracts, kDevKey, "") + "[[backend]]\nkind = \"http\"\nname = \"x\"\nurl = \"http://a\"\n",
        ConfigErrorKind::unknown_key, "backend");
    expect_challenger_refused("[chain]\n" + kChain + "\n[contracts]\n" + ok_contracts + "\n[account]\n" + kDevKey +
                                  "\n[node]\n" + kNode + "allow_consumers = []\n\n" + kModelHead +
                                  "\n[challenger]\nmode = \"all\"\n",
                              ConfigErrorKind::unknown_key, "node.allow_consumers");
    // Something to re-execute.
    expect_challenger_refused("[chain]\n" + kChain + "\n[contracts]\n" + ok_contracts + "\n[account]\n" + kDevKey +
                                  "\n[node]\n" + kNode + "\n[challenger]\nmode = \"all\"\n",
                              ConfigErrorKind::missing_key, "model");
}

// `[challenger] mode = "bounty"`: the ProofMarket's verifier, in a node or a standalone challenger.
TEST(bounty_config, node_and_challenger_accept_the_bounty_mode) {
    const std::string market = std::string("proof_market = \"") + kAddr + "\"\n";
    const std::string game = std::string("dispute_game = \"") + kAddr + "\"\n";
    auto n =
        parse_config(sections(kChain, kContracts + game + market, kDevKey, kNode, kModel) +
                         "[challenger]\nmode = \"bounty\"\nserve = false\n[verifier]\nbond = \"5000000000000000000\"\n",
                     "/base", true);
    ASSERT_TRUE(n.has_value()) << n.error().describe();
    EXPECT_EQ(n->challenger.mode, ChallengeMode::bounty);
    EXPECT_EQ(to_string(n->challenger.mode), "bounty");
    EXPECT_NE(n->contracts.proof_market, Address{});
    EXPECT_EQ(n->verifier.bond, u256(5'000'000'000'000'000'000ull));
    auto c = parse_config(challenger_file(kChallengerContracts + market, kDevKey, "",
                                          "[challenger]\nmode = \"bounty\"\n[verifier]\nbond = \"1\"\n"),
                          "/base", true, ConfigProfile::challenger);
    ASSERT_TRUE(c.has_value()) << c.error().describe();
    EXPECT_EQ(c->challenger.mode, ChallengeMode::bounty);
    EXPECT_EQ(c->verifier.bond, u256(1));
    // proof_market alone (a shared file) is accepted and does nothing without the mode.
    auto plain = parse_config(sections(kChain, kContracts + market, kDevKey, kNode, kModel), "/base", true);
    ASSERT_TRUE(plain.has_value()) << plain.error().describe();
    EXPECT_EQ(plain->challenger.mode, ChallengeMode::off);
}

TEST(bounty_config, refusals_name_the_key) {
    const std::string market = std::string("proof_market = \"") + kAddr + "\"\n";
    const std::string game = std::string("dispute_game = \"") + kAddr + "\"\n";
    const std::string base = sections(kChain, kContracts + game + market, kDevKey, kNode, kModel);
    const std::string mode = "[challenger]\nmode = \"bounty\"\n";
    const std::string bond = "[verifier]\nbond = \"1000\"\n";
    ASSERT_TRUE(parse_config(base + mode + bond, "/base", true).has_value());
    // The market, the game and the verifier's bond are required with the mode.
    expect_refused(sections(kChain, kContracts + game, kDevKey, kNode, kModel) + mode + bond,
                   ConfigErrorKind::missing_key, "contracts.proof_market");
    expect_refused(sections(kChain, kContracts + market, kDevKey, kNode, kModel) + mode + bond,
                   ConfigErrorKind::conflicting_keys, "challenger.mode");
    expect_refused(base + mode, ConfigErrorKind::missing_key, "verifier");
    expect_refused(base + mode + "[verifier]\n", ConfigErrorKind::missing_key, "verifier.bond");
    // [verifier] only with the mode.
    expect_refused(base + bond, ConfigErrorKind::conflicting_keys, "verifier");
    expect_refused(base + "[challenger]\nmode = \"all\"\n" + bond, ConfigErrorKind::conflicting_keys, "verifier");
    // The bond: a positive decimal string below 2^96.
    expect_refused(base + mode + "[verifier]\nbond = 1000\n", ConfigErrorKind::wrong_type, "verifier.bond");
    expect_refused(base + mode + "[verifier]\nbond = \"1e18\"\n", ConfigErrorKind::bad_value, "verifier.bond");
    expect_refused(base + mode + "[verifier]\nbond = \"0\"\n", ConfigErrorKind::bad_value, "verifier.bond");
    expect_refused(base + mode + "[verifier]\nbond = \"79228162514264337593543950336\"\n", ConfigErrorKind::bad_value,
                   "verifier.bond");  // 2^96
    expect_refused(base + mode + "[verifier]\nbond = \"1\"\nbonds = \"2\"\n", ConfigErrorKind::unknown_key,
                   "verifier.bonds");
    expect_refused(base + mode + "probability = 0.5\n" + bond, ConfigErrorKind::conflicting_keys,
                   "challenger.probability");
    expect_refused(sections(kChain, kContracts + game + "proof_market = \"0x12\"\n", kDevKey, kNode, kModel),
                   ConfigErrorKind::bad_value, "contracts.proof_market");
    // The standalone challenger refuses the same way.
    expect_challenger_refused(challenger_file(kChallengerContracts, kDevKey, "", mode + bond),
                              ConfigErrorKind::missing_key, "contracts.proof_market");
    expect_challenger_refused(challenger_file(kChallengerContracts + market, kDevKey, "", mode),
                              ConfigErrorKind::missing_key, "verifier");
}

}  // namespace
}  // namespace sigil::node
