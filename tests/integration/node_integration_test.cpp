// The operator daemon end to end on anvil: the real `sigil node` binary serves k = 1 and k = 3
// requests, resumes after a restart, survives SIGKILL at random points without losing or
// duplicating a delivery, and un-schedules requests a reorg removed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "bindings/generation_game.hpp"
#include "core/abi/codec.hpp"
#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "node/backend.hpp"
#include "node/catalog.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/signed_claim.hpp"
#include "node/worker_pool.hpp"
#include "node_avs.hpp"
#include "node_process.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/lm/generate.hpp"
#include "runtime/lm/onchain.hpp"
#include "runtime/lm/testing/lm_models.hpp"
#include "runtime/lm/vocab.hpp"

namespace sigil::itest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const u256 kPrice = u256(1'000'000'000'000'000ull);
const u256 kRoyalty = u256(100'000'000'000'000ull);

fs::path test_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("sigil-node-it-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

/// Everything a test needs: fresh contracts, the model registered, `operators` staked operators
/// (anvil accounts 1..operators), a consumer (account 5).
struct Env {
    Anvil& node = anvil();
    AvsDeployment d;
    fs::path dir;
    fs::path program;
    node::Catalog catalog;
    Hash root{};
    std::vector<std::unique_ptr<Actor>> ops;
    std::unique_ptr<Actor> consumer;
    std::uint64_t first_block = 0;

    // The nodes' configs, logs and stores stay behind only for a failed test.
    ~Env() {
        if (!::testing::Test::HasFailure()) fs::remove_all(dir);
    }
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;

    Env(const std::string& name, int operators) : dir(test_dir(name)) {
        first_block = node.eth().block_number().value_or(0);
        d = deploy_avs(node, 3600);
        program = write_test_program(dir);
        node::ModelConfig mc;
        mc.program = program;
        mc.prices = {{d.pay_token, 1}};
        catalog = *node::Catalog::load({mc});
        root = catalog.models()[0].root;
        register_model(d, root, kRoyalty);
        for (int i = 1; i <= operators; ++i) {
            ops.push_back(std::make_unique<Actor>(node.eth(), Anvil::account(i)));
            stake_operator(node, d, *ops.back(), root, kPrice);
        }
        consumer = std::make_unique<Actor>(node.eth(), Anvil::account(5));
    }

    NodeSetup setup(const std::string& name) const {
        NodeSetup s;
        s.dir = dir / name;
        s.program = program;
        s.start_block = first_block;
        return s;
    }

    Bytes input(std::uint32_t seed) const {
        std::mt19937 rng(seed);
        Bytes b(784);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    }

    /// A k = 1 request assigned to a node is delivered by it in one transaction; unassigned,
    /// the answering node commits and reveals (two transactions).
    Hash request(const Bytes& in, std::uint8_t k = 1, std::uint32_t commit_window = 0, Address assigned = {}) {
        RequestSpec s;
        s.model_root = root;
        s.price = kPrice;
        s.k = k;
        s.commit_window = commit_window;
        s.assigned = assigned;
        return itest::request(d, *consumer, s, in);
    }

    node::RequestView view(const Hash& id) {
        chain::CallRequest c;
        c.to = d.coordinator;
        c.data = node::get_request_call(id);
        auto r = node.eth().call(c);
        EXPECT_TRUE(r.has_value());
        return r ? node::decode_request_view(*r).value_or(node::RequestView{}) : node::RequestView{};
    }

    Hash answer(const Hash& id) {
        chain::CallRequest c;
        c.to = d.coordinator;
        c.data = node::answer_of_call(id);
        auto r = node.eth().call(c);
        Hash h{};
        if (r && r->size() == 32) std::copy(r->begin(), r->end(), h.begin());
        return h;
    }

    /// The claim hash an honest node must post for `in`.
    Hash expected_claim(const Bytes& in) const {
        auto c = node::run_model(catalog.models()[0], in);
        EXPECT_TRUE(c.has_value());
        return node::hash_claim(*c);
    }

    /// Waits until `pred` holds (polling), at most `seconds`.
    template <typename F>
    bool wait_for(F pred, int seconds = 60) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (pred()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return pred();
    }

    std::uint64_t nonce_of(const Address& a) {
        auto n = node.eth().get_transaction_count(a);
        return n ? static_cast<std::uint64_t>(*n) : 0;
    }
};

std::string log_text(const NodeProcess& p) {
    std::ifstream in(p.log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(node_integration, k1_request_delivered_and_api) {
    Env env("k1", 1);
    NodeProcess n(env.node, env.d, Anvil::account(1), env.setup("n1"));
    n.start();
    const Bytes in = env.input(1);
    const Hash id = env.request(in, 1, 0, env.ops[0]->address());
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);
    EXPECT_EQ(env.view(id).seat0, env.ops[0]->address());
    EXPECT_EQ(env.answer(id), env.expected_claim(in));
    // Unassigned, the node takes the seat by commit and reveals: the answer is never in the
    // mempool before the seat is the node's.
    const Bytes in2 = env.input(2);
    const Hash open_id = env.request(in2);
    ASSERT_TRUE(env.wait_for([&] { return env.view(open_id).status == node::RequestStatus::answered; }))
        << log_text(n);
    EXPECT_EQ(env.view(open_id).seat0, env.ops[0]->address());
    EXPECT_EQ(env.view(open_id).commits, 1);
    EXPECT_EQ(env.view(open_id).revealed_mask, 1);
    EXPECT_EQ(env.answer(open_id), env.expected_claim(in2));

    // The API reports the job, the node and its metrics.
    const auto health = http_get(n.api_port(), "/health");
    EXPECT_EQ(health.status, 200);
    const auto info = json::parse(http_get(n.api_port(), "/info").body);
    EXPECT_EQ(info["operator"], to_checksum(env.ops[0]->address()));
    EXPECT_EQ(info["models"][0]["root"], to_hex(env.root));
    ASSERT_TRUE(env.wait_for([&] {
        const auto j = http_get(n.api_port(), "/jobs/" + to_hex(id));
        return j.status == 200 && json::parse(j.body)["state"] == "delivered";
    }));
    ASSERT_TRUE(env.wait_for([&] {
        const auto j = http_get(n.api_port(), "/jobs/" + to_hex(open_id));
        return j.status == 200 && json::parse(j.body)["state"] == "revealed";
    }));
    const auto metrics = http_get(n.api_port(), "/metrics").body;
    EXPECT_NE(metrics.find("sigil_node_jobs{state=\"delivered\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("sigil_node_jobs{state=\"revealed\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("sigil_node_delivery_latency_seconds_count 2"), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("sigil_node_gas_used_total 0\n"), std::string::npos);

    // Off-chain job: the signed claim recovers to the operator and matches a local run.
    const auto off = http_post(n.api_port(), "/jobs", json{{"model", to_hex(env.root)}, {"input", to_hex(in)}}.dump());
    ASSERT_EQ(off.status, 200) << off.body;
    const auto doc = json::parse(off.body);
    auto local = node::run_model(env.catalog.models()[0], in);
    ASSERT_TRUE(local.has_value());
    EXPECT_EQ(doc["claim"]["traceRoot"], to_hex(local->trace_root));
    auto sig = chain::Signature::from_rsv(*from_hex(doc["signature"].get<std::string>()));
    ASSERT_TRUE(sig.has_value());
    const auto until = doc["claim"]["disputeUntil"].get<std::uint64_t>();
    auto signer = node::recover_claim_signer(env.root, *local, until, 31337, env.d.coordinator, *sig);
    ASSERT_TRUE(signer.has_value());
    EXPECT_EQ(*signer, env.ops[0]->address());
    const auto again = http_get(n.api_port(), "/jobs/" + doc["id"].get<std::string>());
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(http_post(n.api_port(), "/jobs", "{\"model\":\"0x12\",\"input\":\"0x\"}").status, 400);
    EXPECT_EQ(http_get(n.api_port(), "/jobs/0x" + std::string(64, '0')).status, 404);
    n.stop();
}

#ifdef SIGIL_LM_TEST_MODELS
// The OpenAI-compatible API of a node serving PyTorch's GPT-2 export (16-token context, the 96
// characters 32..127 as its vocabulary): the model list, a completion with its usage and a signed
// generation claim that recovers to the operator, the same tokens streamed as server-sent events,
// a chat completion, and OpenAI's error object for a model it does not serve.
TEST(node_openai, completions_streams_and_chat) {
    Env env("openai", 1);
    const fs::path program = env.dir / "lm.sigil", vocab = env.dir / "vocab.json";
    const runtime::lm::testing::Lm& lm = runtime::lm::testing::quantized_lm("gpt2_op17", 16);
    const Bytes bytes = ir::save_program(lm.program);
    std::ofstream(program, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));  // NOLINT
    std::ofstream(vocab) << runtime::lm::testing::ascii_vocab_json();
    NodeSetup setup = env.setup("n1");
    setup.extra_toml = "[[language_model]]\nname = \"gpt2-test\"\nprogram = \"" + program.string() + "\"\nvocab = \"" +
                       vocab.string() + "\"\nmax_tokens = 8\nchat_suffix = \"=\"\n";
    NodeProcess n(env.node, env.d, Anvil::account(1), setup);
    n.start();

    const auto models = json::parse(http_get(n.api_port(), "/v1/models").body);
    ASSERT_EQ(models["data"].size(), 1u) << models.dump();
    EXPECT_EQ(models["object"], "list");
    EXPECT_EQ(models["data"][0]["id"], "gpt2-test");
    EXPECT_EQ(models["data"][0]["sigil"]["context"], 16);

    const json ask{{"model", "gpt2-test"}, {"prompt", "Hello"}, {"max_tokens", 6}, {"temperature", 0}};
    const auto done = http_post(n.api_port(), "/v1/completions", ask.dump());
    ASSERT_EQ(done.status, 200) << done.body;
    const auto doc = json::parse(done.body);
    EXPECT_EQ(doc["object"], "text_completion");
    EXPECT_EQ(doc["choices"][0]["finish_reason"], "length");
    const std::string text = doc["choices"][0]["text"];
    EXPECT_EQ(text.size(), 6u);
    EXPECT_EQ(doc["usage"]["prompt_tokens"], 5);
    EXPECT_EQ(doc["usage"]["completion_tokens"], 6);
    EXPECT_EQ(doc["usage"]["total_tokens"], 11);
    // The claim: the runtime's own generation, as an on-chain request of the same spec gets it,
    // signed by the operator.
    const json& c = doc["sigil"]["claim"];
    auto gen = runtime::lm::Generator::create(lm.program, 1);
    ASSERT_TRUE(gen);
    const auto vocabulary = *runtime::lm::Vocabulary::from_json(runtime::lm::testing::ascii_vocab_json());
    const auto manifest = runtime::lm::manifest_of(*gen, vocabulary.root());
    runtime::lm::GenerationSpec spec;
    spec.lm_root = runtime::lm::lm_root(manifest);
    for (char ch : std::string("Hello")) spec.prompt.push_back(static_cast<std::uint32_t>(ch - 32));
    spec.options.max_tokens = 6;
    spec.options.sampling.top_k = 64;
    const Bytes input = runtime::lm::encode_spec(spec);
    EXPECT_EQ(doc["sigil"]["input"], to_hex(input));
    auto local = gen->run(spec.prompt, spec.options, vocabulary.root());
    ASSERT_TRUE(local);
    const auto want = runtime::lm::generation_claim(input, *local, *vocabulary.decode(local->tokens));
    const node::Claim claim{
        *from_hex(c["output"].get<std::string>()), *fixed_from_hex<32>(c["outputRoot"].get<std::string>()),
        *fixed_from_hex<32>(c["traceRoot"].get<std::string>()), node::uint64_of_json(c["steps"]).value(),
        *fixed_from_hex<32>(c["inputRoot"].get<std::string>())};
    EXPECT_EQ(claim.output, want.output);
    EXPECT_EQ(claim.trace_root, local->generation_root);
    EXPECT_EQ(claim.steps, want.steps);
    EXPECT_EQ(claim.input_root, want.input_root);
    EXPECT_EQ(c["modelRoot"], to_hex(manifest.step_model_root));
    EXPECT_EQ(doc["sigil"]["commitment"], to_hex(local->commitment));
    auto sig = chain::Signature::from_rsv(*from_hex(doc["sigil"]["signature"].get<std::string>()));
    ASSERT_TRUE(sig);
    EXPECT_EQ(node::recover_claim_signer(manifest.step_model_root, claim, c["disputeUntil"].get<std::uint64_t>(), 31337,
                                         env.d.coordinator, *sig)
                  .value(),
              env.ops[0]->address());

    // Streamed: one event per token, then the finish with usage and the claim, then [DONE].
    json streamed_ask = ask;
    streamed_ask["stream"] = true;
    const auto stream = http_post(n.api_port(), "/v1/completions", streamed_ask.dump());
    ASSERT_EQ(stream.status, 200) << stream.body;
    std::string joined;
    int events = 0;
    json last;
    std::istringstream lines(stream.body);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("data: ", 0) != 0) continue;
        const std::string data = line.substr(6);
        if (data == "[DONE]") break;
        last = json::parse(data);
        ++events;
        joined += last["choices"][0]["text"].get<std::string>();
    }
    EXPECT_EQ(events, 7);
    EXPECT_EQ(joined, text);
    EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
    EXPECT_EQ(last["sigil"]["commitment"], doc["sigil"]["commitment"]);
    EXPECT_NE(stream.body.find("data: [DONE]"), std::string::npos);

    const json chat{{"model", "gpt2-test"}, {"messages", {{{"role", "user"}, {"content", "Hi"}}}}, {"temperature", 0}};
    const auto answered = http_post(n.api_port(), "/v1/chat/completions", chat.dump());
    ASSERT_EQ(answered.status, 200) << answered.body;
    const auto cdoc = json::parse(answered.body);
    EXPECT_EQ(cdoc["object"], "chat.completion");
    EXPECT_EQ(cdoc["choices"][0]["message"]["role"], "assistant");
    EXPECT_EQ(cdoc["usage"]["prompt_tokens"], 3);  // "Hi="
    EXPECT_EQ(cdoc["usage"]["completion_tokens"], 8);

    // OpenAI's official Node client (tests/openai-client, installed by scripts/setup.sh) sees the
    // same answers through its own request and stream handling, and its typed errors.
    const std::string client = std::string(SIGIL_SOURCE_DIR) + "/tests/openai-client";
    ASSERT_TRUE(fs::exists(client + "/node_modules/openai"))
        << "run scripts/setup.sh: the openai npm package is missing";
    const auto run = run_command({"node", client + "/client.mjs", std::to_string(n.api_port()), "gpt2-test"});
    ASSERT_EQ(run.status, 0) << run.out;
    const auto seen = json::parse(run.out, nullptr, false);
    ASSERT_TRUE(seen.is_object()) << run.out;
    EXPECT_EQ(seen["models"], json::array({"gpt2-test"}));
    EXPECT_EQ(seen["text"], text);
    EXPECT_EQ(seen["streamed"], text);
    EXPECT_EQ(seen["finish"], "length");
    EXPECT_EQ(seen["usage"]["completion_tokens"], 6);
    EXPECT_EQ(seen["commitment"], doc["sigil"]["commitment"]);
    EXPECT_EQ(seen["streamedCommitment"], doc["sigil"]["commitment"]);
    EXPECT_EQ(seen["chatRole"], "assistant");
    EXPECT_EQ(seen["chat"].get<std::string>().size(), 4u);
    EXPECT_EQ(seen["chatStreamed"], seen["chat"]);
    EXPECT_EQ(seen["missing"]["status"], 404);
    EXPECT_EQ(seen["missing"]["code"], "model_not_found");
    EXPECT_EQ(seen["missing"]["notFound"], true);
    EXPECT_EQ(seen["unsupported"]["status"], 400);
    EXPECT_EQ(seen["unsupported"]["code"], "unsupported_parameter");
    EXPECT_EQ(seen["unsupported"]["param"], "n");

    const auto missing = http_post(n.api_port(), "/v1/completions", json{{"model", "gpt-4"}, {"prompt", "x"}}.dump());
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body)["error"]["code"], "model_not_found");
    EXPECT_EQ(http_post(n.api_port(), "/v1/completions", "{").status, 400);
    n.stop();
}

/// The DisputeGame and the GenerationGame of `env`'s deployment, with `bond` and 600 s moves.
void deploy_games(Env& env, const u256& bond) {
    deploy_dispute(env.d, bond, 600);
    deploy_generation(env.node, env.d, 600);
}

/// PyTorch's GPT-2 export (16-token context, the 96 characters 32..127 as vocabulary) as a node
/// serves it on chain: its files, generator, manifest, and the operator (account 1) staked and
/// registered for its decode-step program.
struct LmOnChain {
    fs::path program, vocab_file;
    std::optional<runtime::lm::Generator> gen;
    std::optional<runtime::lm::Vocabulary> vocab;
    runtime::lm::LmManifest manifest;

    explicit LmOnChain(Env& env) : program(env.dir / "lm.sigil"), vocab_file(env.dir / "vocab.json") {
        const runtime::lm::testing::Lm& lm = runtime::lm::testing::quantized_lm("gpt2_op17", 16);
        const Bytes bytes = ir::save_program(lm.program);
        std::ofstream(program, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));  // NOLINT
        std::ofstream(vocab_file) << runtime::lm::testing::ascii_vocab_json();
        gen.emplace(*runtime::lm::Generator::create(lm.program, 1));
        vocab.emplace(*runtime::lm::Vocabulary::from_json(runtime::lm::testing::ascii_vocab_json()));
        manifest = runtime::lm::manifest_of(*gen, vocab->root());
        register_model(env.d, manifest.step_model_root, kRoyalty);
        env.ops.push_back(std::make_unique<Actor>(env.node.eth(), Anvil::account(1)));
        stake_operator(env.node, env.d, *env.ops.back(), manifest.step_model_root, kPrice);
    }

    /// Node n1's setup serving the model, with `extra` configuration appended.
    NodeSetup setup(const Env& env, const std::string& extra = "") const {
        NodeSetup s = env.setup("n1");
        s.extra_toml = toml(env) + extra;
        return s;
    }

    std::string toml(const Env& env) const {
        return "[[language_model]]\nname = \"gpt2-test\"\nprogram = \"" + program.string() + "\"\nvocab = \"" +
               vocab_file.string() + "\"\nmax_tokens = 8\n[[language_model.price]]\ntoken = \"" +
               to_hex(env.d.pay_token) + "\"\nmin = \"1\"\n";
    }

    runtime::lm::GenerationSpec spec(const std::string& prompt) const {
        runtime::lm::GenerationSpec s;
        s.lm_root = runtime::lm::lm_root(manifest);
        s.prompt = *vocab->encode(prompt);
        s.options.max_tokens = 6;
        s.options.stop = {0};
        return s;
    }

    Hash request(Env& env, const runtime::lm::GenerationSpec& s, bool after_window) const {
        RequestSpec rs;
        rs.model_root = manifest.step_model_root;
        rs.price = kPrice;
        rs.after_window = after_window;
        rs.assigned = env.ops[0]->address();
        return itest::request(env.d, *env.consumer, rs, runtime::lm::encode_spec(s));
    }
};

// A generation request on chain (docs/generation.md "On chain"): the consumer's inline input is a
// spec naming the model's lmRoot; the node serving the language model with a price generates,
// delivers the claim an honest node must post (tokens and text, generationRoot, flagged step
// count), and settles it after the challenge window. A spec the model cannot serve (a prompt as
// long as the context) is skipped as bad_spec.
TEST(node_generation, generation_request_is_served_and_settled) {
    Env env("generation", 0);
    LmOnChain lm(env);
    NodeProcess n(env.node, env.d, Anvil::account(1), lm.setup(env));
    n.start();

    const runtime::lm::GenerationSpec spec = lm.spec("Hello");
    const Bytes input = runtime::lm::encode_spec(spec);
    const Hash id = lm.request(env, spec, true);
    auto local = lm.gen->run(spec.prompt, spec.options, lm.vocab->root());
    ASSERT_TRUE(local);
    const auto expected = runtime::lm::generation_claim(input, *local, *lm.vocab->decode(local->tokens));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);
    EXPECT_EQ(env.answer(id), node::hash_claim(node::Claim{expected.output, expected.output_root, expected.trace_root,
                                                           expected.steps, expected.input_root}));
    EXPECT_NE(expected.steps & runtime::lm::kGenerationFlag, 0U);

    runtime::lm::GenerationSpec too_long = spec;
    too_long.prompt.assign(16, 33);
    const Hash bad = lm.request(env, too_long, true);
    HttpReply job;
    ASSERT_TRUE(env.wait_for([&] {
        job = http_get(n.api_port(), "/jobs/" + to_hex(bad));
        return job.status == 200 && json::parse(job.body)["reason"] == "bad_spec";
    })) << job.body
        << log_text(n);

    ASSERT_TRUE(env.node.eth().rpc().call("evm_increaseTime", chain::Json::array({3601})).has_value());
    ASSERT_TRUE(env.node.eth().anvil_mine(1).has_value());
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::settled; })) << log_text(n);
    n.stop();
}

/// The test as the challenger (account 6) of node `n`'s generation claim on request `id`: the
/// claim as the node's API reports it, the job from the Requested log, the bond minted and
/// approved, then `challenge` (game 1 of the deployment's GenerationGame).
struct TestChallenger {
    Env& env;
    Actor actor;
    node::Claim claim;
    abi::Value job;

    TestChallenger(Env& e, const NodeProcess& n, const Hash& id, const u256& bond)
        : TestChallenger(e, id, claim_of(json::parse(http_get(n.api_port(), "/jobs/" + to_hex(id)).body)["claim"]),
                         requested_job(e, id), bond) {}

    /// Challenges `c` on request `id` with `job` (an adopted claim's, from its ClaimAdopted log).
    TestChallenger(Env& e, const Hash& id, node::Claim c, abi::Value j, const u256& bond)
        : env(e), actor(e.node.eth(), Anvil::account(6)), claim(std::move(c)), job(std::move(j)) {
        actor.call(env.d.bond_token,
                   calldata("mint(address,uint256)", {abi::Value::address(actor.address()), abi::Value::uint(bond)}));
        actor.call(env.d.bond_token, calldata("approve(address,uint256)",
                                              {abi::Value::address(env.d.generation_game), abi::Value::uint(bond)}));
        send(bindings::generation_game::fn::challenge,
             {abi::Value::bytes_n(id), job, node::claim_value(claim), abi::Value::address(env.ops[0]->address())});
    }

    std::uint64_t leaves() const { return claim.steps & ~runtime::lm::kGenerationFlag; }

    /// A claim as the node's API shows it ({output, outputRoot, traceRoot, steps, inputRoot}).
    static node::Claim claim_of(const json& cj) {
        return node::Claim{
            *from_hex(cj["output"].get<std::string>()), *fixed_from_hex<32>(cj["outputRoot"].get<std::string>()),
            *fixed_from_hex<32>(cj["traceRoot"].get<std::string>()), node::uint64_of_json(cj["steps"]).value(),
            *fixed_from_hex<32>(cj["inputRoot"].get<std::string>())};
    }

    /// The Job of request `id` from its Requested log.
    static abi::Value requested_job(Env& e, const Hash& id) {
        chain::LogFilter f;
        f.from_block = e.first_block;
        f.addresses = {e.d.coordinator};
        f.topics = {{node::requested_topic()}, {id}};
        return node::decode_requested(e.node.eth().get_logs(f).value().at(0)).value().job;
    }

    void send(const bindings::FunctionInfo& f, const std::vector<abi::Value>& args) {
        actor.call(env.d.generation_game, abi::encode_call(*abi::parse_function(f.signature), args));
    }

    node::GameView game() const {
        chain::CallRequest c;
        c.to = env.d.generation_game;
        c.data = node::get_game_call(1);
        return node::decode_game_view(env.node.eth().call(c).value()).value();
    }

    /// Picks the side of leaf t at every level, after the node revealed the children.
    bool descend_to(std::uint64_t t) {
        const unsigned depth = merkle_depth(leaves());
        for (unsigned level = 0; level < depth; ++level) {
            if (!env.wait_for([&] { return game().phase == node::GamePhase::descend && !game().defender_turn; })) {
                return false;
            }
            send(bindings::generation_game::fn::pick,
                 {abi::Value::uint(1), abi::Value::boolean(((t >> (depth - 1 - level)) & 1) != 0)});
        }
        return env.wait_for([&] { return game().phase == node::GamePhase::step_dispute; });
    }
};

// A faulty node (`[fault] kind = "token"`) alters one generated token of its answer and defends
// it in the GenerationGame: it reveals the generation tree's children down to the step that
// produced the altered token and opens that step; the challenger (this test) proves the token
// with the sampler on the step's logits row, and the operator is slashed, the request refuted.
TEST(node_generation, altered_token_is_refuted_at_that_token) {
    Env env("generation-fault", 0);
    const u256 bond = u256(1'000'000'000'000'000'000ull);
    deploy_games(env, bond);
    LmOnChain lm(env);
    NodeProcess n(env.node, env.d, Anvil::account(1),
                  lm.setup(env, "[fault]\nprobability = 1.0\nseed = 3\nkind = \"token\"\n"));
    n.start();

    const runtime::lm::GenerationSpec spec = lm.spec("Hello");
    const Bytes input = runtime::lm::encode_spec(spec);
    const Hash id = lm.request(env, spec, false);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);

    // The node's claim, and where it departs from the honest generation.
    TestChallenger ch(env, n, id, bond);
    ASSERT_EQ(env.answer(id), node::hash_claim(ch.claim));
    const auto told = runtime::lm::decode_completion_output(ch.claim.output);
    ASSERT_TRUE(told);
    std::vector<std::shared_ptr<const trace::ExecutionTrace>> traces;
    auto honest = lm.gen->run(spec.prompt, spec.options, lm.vocab->root(), nullptr, {},
                              [&](std::uint32_t, const runtime::RunResult& r) { traces.push_back(r.trace); });
    ASSERT_TRUE(honest);
    std::size_t j = 0;
    while (j < told->first.size() && j < honest->tokens.size() && told->first[j] == honest->tokens[j]) ++j;
    ASSERT_LT(j, honest->tokens.size()) << "the faulty node told the truth";
    const std::uint64_t t = spec.prompt.size() - 1 + j;
    // The descent to leaf t: the node reveals children and then opens step t.
    ASSERT_TRUE(ch.descend_to(t)) << node::to_string(ch.game().phase) << log_text(n);
    // Step t's state is the honest one (the tokens before it are): its logits row is ours.
    const auto lo = runtime::lm::open_logits(lm.manifest, *traces.at(t));
    std::vector<abi::Value> path;
    for (const auto& h : lo.path) path.push_back(abi::Value::bytes_n(h));
    ch.send(bindings::generation_game::fn::proveToken,
            {abi::Value::uint(1), ch.job, node::claim_value(ch.claim), abi::Value::dyn_bytes(input),
             runtime::lm::manifest_value(lm.manifest), abi::Value::array(path), abi::Value::dyn_bytes(lo.row)});
    EXPECT_EQ(env.view(id).status, node::RequestStatus::refuted);
    EXPECT_TRUE(ch.game().phase == node::GamePhase::done && !ch.game().defender_won);
    EXPECT_TRUE(env.wait_for([&] { return log_text(n).find("generation dispute game ended") != std::string::npos; }))
        << log_text(n);
    n.stop();
}

// An honest node defends a generation claim into the run of a step: the challenger (this test)
// descends to the last step and plays its run, agreeing with every state; the node bisects,
// reveals the last op's output with its record under the step program's modelRoot and descends
// its chunk tree, all accepted on chain; the challenger has no one-step proof and loses at its
// deadline, its bond going to the node.
TEST(node_generation, honest_defender_plays_the_step_run_and_wins) {
    Env env("generation-honest", 0);
    const u256 bond = u256(1'000'000'000'000'000'000ull);
    deploy_games(env, bond);
    LmOnChain lm(env);
    NodeProcess n(env.node, env.d, Anvil::account(1), lm.setup(env));
    n.start();

    const runtime::lm::GenerationSpec spec = lm.spec("Hi");
    const Bytes input = runtime::lm::encode_spec(spec);
    const Hash id = lm.request(env, spec, false);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);
    TestChallenger ch(env, n, id, bond);
    ASSERT_TRUE(ch.descend_to(ch.leaves() - 1)) << log_text(n);
    ch.send(bindings::generation_game::fn::playStep,
            {abi::Value::uint(1), ch.job, abi::Value::dyn_bytes(input), runtime::lm::manifest_value(lm.manifest)});
    const auto game = [&] { return ch.game(); };
    namespace GG = bindings::generation_game::fn;
    int moves = 0;
    for (;;) {
        ASSERT_TRUE(env.wait_for([&] {
            const auto g = game();
            return g.phase == node::GamePhase::one_step || !g.defender_turn || g.phase == node::GamePhase::done;
        })) << node::to_string(game().phase)
            << log_text(n);
        const auto g = game();
        if (g.phase == node::GamePhase::one_step || g.phase == node::GamePhase::done) break;
        if (g.phase == node::GamePhase::bisect) {
            ch.send(GG::choose, {abi::Value::uint(1), abi::Value::boolean(true)});
        } else {
            ASSERT_EQ(g.phase, node::GamePhase::descend);
            ch.send(GG::pick, {abi::Value::uint(1), abi::Value::boolean(false)});
        }
        ++moves;
    }
    EXPECT_GT(moves, 3);  // a bisection over the step program's ops, then the output's chunk tree
    EXPECT_EQ(game().phase, node::GamePhase::one_step);
    EXPECT_EQ(game().hi, lm.manifest.steps);  // agreeing everywhere ends at the last op
    ASSERT_TRUE(env.node.eth().rpc().call("evm_increaseTime", chain::Json::array({601})).has_value());
    ASSERT_TRUE(env.node.eth().anvil_mine(1).has_value());
    ASSERT_TRUE(env.wait_for([&] { return game().phase == node::GamePhase::done; })) << log_text(n);
    EXPECT_TRUE(game().defender_won);
    EXPECT_EQ(env.view(id).status, node::RequestStatus::answered);
    EXPECT_TRUE(env.wait_for([&] { return log_text(n).find("\"result\":\"won\"") != std::string::npos; }))
        << log_text(n);
    n.stop();
}

// A completion from the node's OpenAI-compatible API, asked by OpenAI's official client, is
// brought on chain with `sigil claim verify|adopt` (the reply carries the signed claim and the
// spec it answers), and its node defends it: the test challenges the adopted claim and descends to
// the last step, the node reveals the generation tree's children and opens that step from the
// job in the ClaimAdopted log, and wins when the challenger has no proof: the challenger's bond
// goes to the operator, who keeps its stake, and the adopted answer stands.
TEST(node_generation, openai_completion_adopted_on_chain_is_defended_by_its_node) {
    Env env("generation-adopt", 0);
    const u256 bond = u256(1'000'000'000'000'000'000ull);
    deploy_games(env, bond);
    LmOnChain lm(env);
    NodeProcess n(env.node, env.d, Anvil::account(1), lm.setup(env));
    n.start();

    const std::string client = std::string(SIGIL_SOURCE_DIR) + "/tests/openai-client";
    ASSERT_TRUE(fs::exists(client + "/node_modules/openai"))
        << "run scripts/setup.sh: the openai npm package is missing";
    const fs::path reply = env.dir / "reply.json";
    const auto asked =
        run_command({"node", client + "/client.mjs", std::to_string(n.api_port()), "gpt2-test", reply.string()});
    ASSERT_EQ(asked.status, 0) << asked.out;
    const json doc = json::parse(std::ifstream(reply), nullptr, false);
    ASSERT_TRUE(doc.is_object()) << asked.out;
    const node::Claim claim = TestChallenger::claim_of(doc["sigil"]["claim"]);
    const auto sigil = [](std::vector<std::string> args) {
        args.insert(args.begin(), SIGIL_CLI_PATH);
        return run_command(args);
    };
    const auto checked = sigil({"claim", "verify", reply.string()});
    ASSERT_EQ(checked.status, 0) << checked.out;
    EXPECT_EQ(json::parse(checked.out)["signer"], to_checksum(env.ops[0]->address()));
    EXPECT_EQ(json::parse(checked.out)["inputChecked"], true);
    const auto adopted = sigil({"claim", "adopt", reply.string(), "--dispute-game", to_hex(env.d.dispute_game),
                                "--rpc-url", env.node.url(), "--private-key", to_hex(Anvil::account(5).secret())});
    ASSERT_EQ(adopted.status, 0) << adopted.out;
    const Hash id = *fixed_from_hex<32>(json::parse(adopted.out)["request"].get<std::string>());
    EXPECT_EQ(env.answer(id), node::hash_claim(claim));
    ASSERT_TRUE(env.wait_for([&] { return log_text(n).find("adopted claim") != std::string::npos; })) << log_text(n);

    chain::LogFilter f;
    f.from_block = env.first_block;
    f.topics = {{node::claim_adopted_topic()}, {id}};
    const auto logs = env.node.eth().get_logs(f).value();
    ASSERT_EQ(logs.size(), 1u);
    const auto a = node::decode_claim_adopted(logs[0]);
    ASSERT_TRUE(a);
    const auto bond_of = [&](const Address& who) {
        chain::CallRequest c;
        c.to = env.d.bond_token;
        c.data = node::balance_of_call(who);
        return node::decode_uint(env.node.eth().call(c).value()).value_or(0);
    };
    const u256 operator_bond = bond_of(env.ops[0]->address());
    TestChallenger ch(env, id, claim, a->request.job, bond);
    ASSERT_TRUE(ch.descend_to(ch.leaves() - 1)) << node::to_string(ch.game().phase) << log_text(n);
    ASSERT_TRUE(env.node.eth().rpc().call("evm_increaseTime", chain::Json::array({601})).has_value());
    ASSERT_TRUE(env.node.eth().anvil_mine(1).has_value());
    ASSERT_TRUE(env.wait_for([&] { return ch.game().phase == node::GamePhase::done; })) << log_text(n);
    EXPECT_TRUE(ch.game().defender_won);
    EXPECT_EQ(env.view(id).status, node::RequestStatus::answered);
    EXPECT_EQ(bond_of(env.ops[0]->address()), operator_bond + bond);
    EXPECT_TRUE(env.wait_for([&] { return log_text(n).find("\"result\":\"won\"") != std::string::npos; }))
        << log_text(n);
    n.stop();
}

// Two nodes: a faulty one alters a token of its answer, a challenger node (`[challenger] mode =
// "all"`, serving nothing) re-executes the generation, challenges, descends to the first step
// whose leaf differs, and proves the token with its own logits row; the liar defends until the
// proof, and the request ends refuted.
TEST(node_generation, challenger_node_refutes_an_altered_token) {
    Env env("generation-challenger", 0);
    const u256 bond = u256(1'000'000'000'000'000'000ull);
    deploy_games(env, bond);
    LmOnChain lm(env);
    Actor checker(env.node.eth(), Anvil::account(2));
    checker.call(env.d.bond_token, calldata("mint(address,uint256)",
                                            {abi::Value::address(checker.address()), abi::Value::uint(bond * 4)}));
    NodeSetup liar_setup = env.setup("liar");
    liar_setup.extra_toml = lm.toml(env) + "[fault]\nprobability = 1.0\nseed = 3\nkind = \"token\"\n";
    NodeProcess liar(env.node, env.d, Anvil::account(1), liar_setup);
    NodeSetup check_setup = env.setup("checker");
    check_setup.extra_toml = lm.toml(env) + "[challenger]\nmode = \"all\"\nserve = false\n";
    NodeProcess check(env.node, env.d, Anvil::account(2), check_setup);
    liar.start();
    check.start();

    const Hash id = lm.request(env, lm.spec("Hello"), false);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 120))
        << static_cast<int>(env.view(id).status) << "\n--- liar\n"
        << log_text(liar) << "\n--- checker\n"
        << log_text(check);
    EXPECT_NE(log_text(check).find("wrong generation claim"), std::string::npos);
    EXPECT_TRUE(env.wait_for([&] { return log_text(check).find("\"result\":\"won\"") != std::string::npos; }))
        << log_text(check);
    liar.stop();
    check.stop();
}

// `sigil devnet --once --lm 4 --faulty 1` on the GPT-2 export: every node serves the language
// model, the example TextOracle asks four completions (k = 1 greedy, k = 3 sampled), and each
// answer is the claim the local runtime makes, token for token; then a liar alters a token of an
// answer and a challenger node gets it refuted, the liar slashed and the oracle's text withdrawn
// (the devnet exits 0 only then).
TEST(node_generation, devnet_lm_completions) {
    const fs::path dir = test_dir("devnet-lm"), lm_dir = dir / "lm";
    fs::create_directories(lm_dir);
    const runtime::lm::testing::Lm& lm = runtime::lm::testing::quantized_lm("gpt2_op17", 16);
    const Bytes bytes = ir::save_program(lm.program);
    std::ofstream(lm_dir / "lm.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));  // NOLINT
    std::ofstream(lm_dir / "vocab.json") << runtime::lm::testing::ascii_vocab_json();
    const auto run = run_command({SIGIL_CLI_PATH,
                                  "devnet",
                                  "--once",
                                  "--dir",
                                  (dir / "net").string(),
                                  "--zoo",
                                  (dir / "no-zoo").string(),
                                  "--singles",
                                  "0",
                                  "--redundant",
                                  "0",
                                  "--routed",
                                  "0",
                                  "--intervals",
                                  "0",
                                  "--no-routing",
                                  "--lm",
                                  "4",
                                  "--lm-dir",
                                  lm_dir.string(),
                                  "--lm-max-tokens",
                                  "6",
                                  "--faulty",
                                  "1"});
    ASSERT_EQ(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("completions: 4/4 answered with the local runtime's tokens"), std::string::npos) << run.out;
    std::ifstream in(dir / "net" / "completions.json");
    const auto doc = json::parse(in);
    EXPECT_TRUE(doc["allCorrect"].get<bool>());
    ASSERT_EQ(doc["completions"].size(), 4u);
    EXPECT_EQ(doc["completions"][1]["k"], 3);
    for (const auto& c : doc["completions"]) EXPECT_GT(c["gas"].get<std::uint64_t>(), 100'000u);
    // --faulty 1: a liar alters a token of its answer; a challenger node refutes it at that token.
    std::ifstream din(dir / "net" / "completion_disputes.json");
    const auto disputes = json::parse(din);
    EXPECT_TRUE(disputes["allCaught"].get<bool>()) << disputes.dump(2);
    ASSERT_EQ(disputes["disputes"].size(), 1u);
    const auto& dsp = disputes["disputes"][0];
    EXPECT_TRUE(dsp["refuted"].get<bool>());
    EXPECT_TRUE(dsp["withdrawn"].get<bool>());
    if (dsp["reason"] == "token") {
        EXPECT_NE(dsp["claimed"], dsp["sampled"]);
    }
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

// A k = 3 completion with a faulty seat: the three nodes commit and reveal, the liar's claim
// differs, the request is in Conflict; an honest seat opens the conflict game against the liar,
// wins it at the altered token, and ends the conflict with its claim (the liar slashed, the
// request answered with the honest claim).
TEST(node_generation, conflicting_seat_is_refuted_and_the_conflict_resolved) {
    Env env("generation-conflict", 0);
    const u256 bond = u256(1'000'000'000'000'000'000ull);
    deploy_games(env, bond);
    LmOnChain lm(env);
    for (int i = 2; i <= 3; ++i) {
        env.ops.push_back(std::make_unique<Actor>(env.node.eth(), Anvil::account(i)));
        stake_operator(env.node, env.d, *env.ops.back(), lm.manifest.step_model_root, kPrice);
    }
    std::vector<std::unique_ptr<NodeProcess>> nodes;
    for (int i = 1; i <= 3; ++i) {
        Actor holder(env.node.eth(), Anvil::account(i));
        holder.call(env.d.bond_token, calldata("mint(address,uint256)",
                                               {abi::Value::address(holder.address()), abi::Value::uint(bond * 4)}));
        NodeSetup setup = env.setup("n" + std::to_string(i));
        setup.extra_toml = lm.toml(env);
        if (i == 3) setup.extra_toml += "[fault]\nprobability = 1.0\nseed = 3\nkind = \"token\"\n";
        nodes.push_back(std::make_unique<NodeProcess>(env.node, env.d, Anvil::account(i), setup));
        nodes.back()->start();
    }
    const auto logs = [&] {
        std::string all;
        for (const auto& n : nodes) all += "\n---\n" + log_text(*n);
        return all;
    };
    RequestSpec rs;
    rs.model_root = lm.manifest.step_model_root;
    rs.price = kPrice;
    rs.k = 3;
    rs.commit_window = 30;
    const runtime::lm::GenerationSpec spec = lm.spec("Hello");
    const Bytes input = runtime::lm::encode_spec(spec);
    const Hash id = itest::request(env.d, *env.consumer, rs, input);
    auto local = lm.gen->run(spec.prompt, spec.options, lm.vocab->root());
    ASSERT_TRUE(local);
    const auto honest = runtime::lm::generation_claim(input, *local, *lm.vocab->decode(local->tokens));
    const Hash honest_hash = node::hash_claim(
        node::Claim{honest.output, honest.output_root, honest.trace_root, honest.steps, honest.input_root});
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 120))
        << static_cast<int>(env.view(id).status) << logs();
    EXPECT_EQ(env.answer(id), honest_hash);
    // The resolving node logs its transaction once the receipt is in: wait for the line.
    EXPECT_TRUE(env.wait_for([&] { return logs().find("\"kind\":\"resolve\"") != std::string::npos; })) << logs();
    EXPECT_NE(logs().find("challenge_conflict"), std::string::npos) << logs();
    for (auto& n : nodes) n->stop();
}

// Agreement mode: two operators serve on-chain requests for an external OpenAI-compatible model
// (`[[backend]] kind = "openai"` with a price) whose server is a third Sigil node's /v1 API. A
// k = 2 request of the backend's model id is answered once both seats reveal the same output
// (asked at temperature 0), and the claim is agreement-checked: steps 0, no trace, so no game can
// be opened on it.
TEST(node_generation, external_backend_answers_by_agreement) {
    Env env("agreement", 0);
    LmOnChain lm(env);
    NodeSetup upstream_setup = env.setup("upstream");
    upstream_setup.extra_toml = lm.toml(env);
    NodeProcess upstream(env.node, env.d, Anvil::account(1), upstream_setup);
    upstream.start();
    const Hash model = node::backend_model_id("upstream");
    register_model(env.d, model, kRoyalty);
    std::vector<std::unique_ptr<NodeProcess>> seats;
    for (int i = 2; i <= 3; ++i) {
        env.ops.push_back(std::make_unique<Actor>(env.node.eth(), Anvil::account(i)));
        stake_operator(env.node, env.d, *env.ops.back(), model, kPrice);
        NodeSetup setup = env.setup("seat" + std::to_string(i));
        setup.extra_toml = "[[backend]]\nkind = \"openai\"\nname = \"upstream\"\nurl = \"http://127.0.0.1:" +
                           std::to_string(upstream.api_port()) + "/v1\"\nmodel_id = \"gpt2-test\"\n" +
                           "[[backend.price]]\ntoken = \"" + to_hex(env.d.pay_token) + "\"\nmin = \"1\"\n";
        seats.push_back(std::make_unique<NodeProcess>(env.node, env.d, Anvil::account(i), setup));
        seats.back()->start();
    }
    RequestSpec rs;
    rs.model_root = model;
    rs.price = kPrice;
    rs.k = 2;
    rs.commit_window = 30;
    const std::string in = R"({"prompt":"Hello"})";
    const Hash id = itest::request(env.d, *env.consumer, rs, Bytes(in.begin(), in.end()));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 120))
        << static_cast<int>(env.view(id).status) << log_text(*seats[0]) << log_text(*seats[1]);
    EXPECT_EQ(env.view(id).revealed_mask, 3);
    // The answer is what the upstream model says at temperature 0, as an agreement-checked claim.
    const json ask{
        {"model", "gpt2-test"}, {"messages", {{{"role", "user"}, {"content", "Hello"}}}}, {"temperature", 0}};
    const auto reply = http_post(upstream.api_port(), "/v1/chat/completions", ask.dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    const std::string content = json::parse(reply.body)["choices"][0]["message"]["content"];
    node::Claim expected;
    expected.output.assign(content.begin(), content.end());
    expected.output_root = trace::tensor_root(expected.output);
    expected.input_root = trace::tensor_root(Bytes(in.begin(), in.end()));
    EXPECT_EQ(env.answer(id), node::hash_claim(expected));
    for (auto& n : seats) n->stop();
    upstream.stop();
}
#endif  // SIGIL_LM_TEST_MODELS

TEST(node_integration, k3_commit_reveal_with_three_nodes) {
    Env env("k3", 3);
    std::vector<std::unique_ptr<NodeProcess>> nodes;
    for (int i = 0; i < 3; ++i) {
        nodes.push_back(std::make_unique<NodeProcess>(env.node, env.d, Anvil::account(i + 1),
                                                      env.setup("n" + std::to_string(i))));
        nodes.back()->start();
    }
    const Bytes in = env.input(3);
    const Hash id = env.request(in, 3, 600);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }))
        << log_text(*nodes[0]);
    const auto v = env.view(id);
    EXPECT_EQ(v.commits, 3);
    EXPECT_EQ(v.revealed_mask, 7);
    EXPECT_EQ(env.answer(id), env.expected_claim(in));
    for (auto& n : nodes) n->stop();
}

TEST(node_integration, settles_after_the_challenge_window_when_the_request_asks) {
    Env env("settle", 1);
    NodeProcess n(env.node, env.d, Anvil::account(1), env.setup("n"));
    n.start();
    RequestSpec spec;
    spec.model_root = env.root;
    spec.price = kPrice;
    spec.after_window = true;
    const Hash id = request(env.d, *env.consumer, spec, env.input(70));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);
    // Not before the window ends.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::answered);
    ASSERT_TRUE(env.node.eth().rpc().call("evm_increaseTime", chain::Json::array({3601})).has_value());
    ASSERT_TRUE(env.node.eth().anvil_mine(1).has_value());
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::settled; })) << log_text(n);
    HttpReply last;
    ASSERT_TRUE(env.wait_for([&] {
        last = http_get(n.api_port(), "/jobs/" + to_hex(id));
        return last.status == 200 && json::parse(last.body)["state"] == "settled";
    })) << "port " << n.api_port() << ": " << last.status << " " << last.body << "\n" << log_text(n);
    n.stop();
}

TEST(node_integration, resumes_after_restart) {
    Env env("restart", 1);
    NodeProcess n(env.node, env.d, Anvil::account(1), env.setup("n"));
    n.start();
    const Address self = env.ops[0]->address();
    const Hash first = env.request(env.input(10), 1, 0, self);
    ASSERT_TRUE(env.wait_for([&] { return env.view(first).status == node::RequestStatus::answered; }));
    n.stop();
    // Requests made while the node is down are served after it comes back.
    std::vector<Hash> ids;
    for (std::uint32_t i = 0; i < 3; ++i) ids.push_back(env.request(env.input(20 + i), 1, 0, self));
    const std::uint64_t nonce_before = env.nonce_of(env.ops[0]->address());
    n.start();
    for (const auto& id : ids) {
        ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; })) << log_text(n);
        EXPECT_EQ(env.view(id).seat0, env.ops[0]->address());
    }
    // Exactly one transaction per new request: the first one was not delivered again.
    EXPECT_EQ(env.nonce_of(env.ops[0]->address()), nonce_before + ids.size());
    n.stop();
}

TEST(node_integration, sigkill_at_random_points_delivers_each_request_exactly_once) {
    Env env("kill9", 1);
    NodeProcess n(env.node, env.d, Anvil::account(1), env.setup("n"));
    const std::uint64_t nonce_before = env.nonce_of(env.ops[0]->address());
    std::mt19937 rng(1234);
    std::vector<Hash> ids;
    std::vector<Bytes> inputs;
    n.start();
    // Every other request is unassigned: the node answers it with a commit and a reveal, each
    // of which must also go out exactly once.
    std::uint64_t transactions = 0;
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 3; ++i) {
            inputs.push_back(env.input(static_cast<std::uint32_t>(100 + ids.size())));
            const bool assigned = ids.size() % 2 == 0;
            ids.push_back(env.request(inputs.back(), 1, 0, assigned ? env.ops[0]->address() : Address{}));
            transactions += assigned ? 1 : 2;
        }
        // Kill while these requests are in flight, at a random moment.
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 120));
        n.kill9();
        n.start();
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ASSERT_TRUE(env.wait_for([&] { return env.view(ids[i]).status == node::RequestStatus::answered; }, 120))
            << "request " << i << "\n" << log_text(n);
        EXPECT_EQ(env.view(ids[i]).seat0, env.ops[0]->address());
        EXPECT_EQ(env.answer(ids[i]), env.expected_claim(inputs[i]));
    }
    // One delivery (or one commit and one reveal) per request, none repeated: the operator's
    // nonce advanced by exactly that many transactions.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(env.nonce_of(env.ops[0]->address()), nonce_before + transactions) << log_text(n);
    n.stop();
}

TEST(node_integration, reorg_removes_a_request_and_the_node_keeps_serving) {
    Env env("reorg", 1);
    // Two confirmations: the node acts only on requests buried under two blocks.
    NodeSetup s = env.setup("n");
    s.confirmations = 2;
    NodeProcess n(env.node, env.d, Anvil::account(1), s);
    n.start();
    auto snap = env.node.eth().evm_snapshot();
    ASSERT_TRUE(snap.has_value());
    const Hash doomed = env.request(env.input(50));
    ASSERT_TRUE(env.node.eth().anvil_mine(1).has_value());  // one confirmation only: not acted on yet
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(env.view(doomed).status, node::RequestStatus::open);
    // The request's block is replaced by a longer chain without it.
    ASSERT_TRUE(env.node.eth().evm_revert(*snap).value_or(false));
    ASSERT_TRUE(env.node.eth().anvil_mine(6).has_value());
    EXPECT_EQ(env.view(doomed).status, node::RequestStatus::none);
    // The consumer's nonce went back with the chain: a fresh nonce manager.
    env.consumer = std::make_unique<Actor>(env.node.eth(), Anvil::account(5));
    // The node keeps serving on the new chain.
    const Bytes in = env.input(51);
    const Hash id = env.request(in);
    ASSERT_TRUE(env.node.eth().anvil_mine(2).has_value());
    ASSERT_TRUE(env.wait_for([&] {
        (void)env.node.eth().anvil_mine(1);
        return env.view(id).status == node::RequestStatus::answered;
    })) << log_text(n);
    EXPECT_EQ(env.answer(id), env.expected_claim(in));
    // Request ids come from the Coordinator's global nonce, which went back with the chain: the
    // new request may reuse the abandoned one's id. Either way the node served the new job (its
    // input), never the abandoned one.
    const auto j = http_get(n.api_port(), "/jobs/" + to_hex(id));
    ASSERT_EQ(j.status, 200);
    auto local = node::run_model(env.catalog.models()[0], in);
    ASSERT_TRUE(local.has_value());
    EXPECT_EQ(json::parse(j.body)["claim"]["traceRoot"], to_hex(local->trace_root));
    if (id != doomed) {
        const auto old = http_get(n.api_port(), "/jobs/" + to_hex(doomed));
        if (old.status == 200) {
            EXPECT_EQ(json::parse(old.body)["state"], "removed");
        }
    }
    n.stop();
}

// A poll that races anvil's evm_revert may fail (`block not found`); the watcher changes its state
// only on a scan that succeeds, so a later poll still reports the abandoned request as removed.
TEST(node_integration, reorg_after_the_node_saw_a_request_marks_it_removed) {
    Env env("reorg2", 1);
    NodeSetup s = env.setup("n");
    NodeProcess n(env.node, env.d, Anvil::account(1), s);
    n.start();
    // Stop delivery from landing: the node sees the request but its answer is dropped with the
    // abandoned blocks.
    auto snap = env.node.eth().evm_snapshot();
    ASSERT_TRUE(snap.has_value());
    const Hash id = env.request(env.input(60));
    ASSERT_TRUE(env.wait_for([&] {
        const auto j = http_get(n.api_port(), "/jobs/" + to_hex(id));
        return j.status == 200;
    })) << log_text(n);
    ASSERT_TRUE(env.node.eth().evm_revert(*snap).value_or(false));
    ASSERT_TRUE(env.node.eth().anvil_mine(8).has_value());
    ASSERT_TRUE(env.wait_for([&] {
        const auto j = http_get(n.api_port(), "/jobs/" + to_hex(id));
        return j.status == 200 && json::parse(j.body)["state"] == "removed";
    })) << log_text(n);
    n.stop();
}

/// Numbers (printed, not asserted beyond sanity): node overhead from reading the request's log to
/// the delivery receipt minus inference, median and p99, and requests per second one node
/// sustains on anvil (automine) with the sample MLP.
TEST(node_integration, throughput_and_overhead) {
    Env env("bench", 1);
    NodeProcess n(env.node, env.d, Anvil::account(1), env.setup("n"));
    // Latency: requests one at a time while the node runs.
    n.start();
    constexpr int kSingle = 20;
    std::vector<Hash> ids;
    for (int i = 0; i < kSingle; ++i) {
        ids.push_back(env.request(env.input(static_cast<std::uint32_t>(1000 + i))));
        ASSERT_TRUE(env.wait_for([&] { return env.view(ids.back()).status == node::RequestStatus::answered; }, 60));
    }
    std::vector<double> overhead;
    std::vector<double> latency;
    for (const auto& id : ids) {
        json j;
        ASSERT_TRUE(env.wait_for([&] {
            const auto r = http_get(n.api_port(), "/jobs/" + to_hex(id));
            if (r.status != 200) return false;
            j = json::parse(r.body);
            return j.contains("latency_ms");
        }));
        latency.push_back(j["latency_ms"].get<double>());
        overhead.push_back(j["latency_ms"].get<double>() - j["run_us"].get<double>() / 1000.0);
    }
    n.stop();
    // Throughput: a backlog made while the node is down, served after it starts.
    constexpr int kBacklog = 40;
    std::vector<Hash> backlog;
    for (int i = 0; i < kBacklog; ++i) backlog.push_back(env.request(env.input(static_cast<std::uint32_t>(2000 + i))));
    const auto t0 = std::chrono::steady_clock::now();
    n.start();
    for (const auto& id : backlog) {
        ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 120));
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::sort(overhead.begin(), overhead.end());
    std::sort(latency.begin(), latency.end());
    auto pct = [](const std::vector<double>& v, double p) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
    };
    std::printf("node: %d single k=1 requests (784-1024-1024-10 MLP): log read -> delivery receipt median %.1f ms "
                "p99 %.1f ms; minus inference median %.1f ms p99 %.1f ms\n",
                kSingle, pct(latency, 0.5), pct(latency, 0.99), pct(overhead, 0.5), pct(overhead, 0.99));
    std::printf("node: backlog of %d requests served in %.2f s from process start: %.1f requests/s\n", kBacklog, secs,
                kBacklog / secs);
    EXPECT_GT(pct(overhead, 0.5), 0.0);
    n.stop();
}

}  // namespace
}  // namespace sigil::itest
