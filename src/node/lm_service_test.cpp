// The OpenAI-compatible request parsing and generation of `[[language_model]]`s, on PyTorch's GPT-2
// export imported at a 16-token context with a vocabulary of the 96 characters 32..127.
#ifdef SIGIL_LM_TEST_MODELS

#include "node/lm_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/ir/codec.hpp"
#include "node/catalog.hpp"
#include "node/signed_claim.hpp"
#include "runtime/lm/testing/lm_models.hpp"

namespace sigil::node {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Files {
    fs::path dir, program, vocab;
    Files() : dir(fs::temp_directory_path() / ("sigil-lm-service-" + std::to_string(::getpid()))) {
        fs::create_directories(dir);
        program = dir / "lm.sigil";
        vocab = dir / "vocab.json";
        const Bytes b = ir::save_program(runtime::lm::testing::quantized_lm("gpt2_op17", 16).program);
        std::ofstream(program, std::ios::binary).write(reinterpret_cast<const char*>(b.data()),  // NOLINT
                                                        static_cast<std::streamsize>(b.size()));
        std::ofstream(vocab) << runtime::lm::testing::ascii_vocab_json();
    }
    ~Files() { fs::remove_all(dir); }
    LanguageModelConfig config() const {
        LanguageModelConfig c;
        c.name = "gpt2-test";
        c.program = program;
        c.vocab = vocab;
        c.max_tokens = 12;
        c.chat_suffix = "=";
        return c;
    }
};

const Files& files() {
    static Files f;
    return f;
}

const LmService& service() {
    static LmService s = LmService::load({files().config()}).value();
    return s;
}

TEST(lm_service, loads_and_refuses_bad_files_by_key) {
    ASSERT_EQ(service().models().size(), 1u);
    const LanguageModel& m = *service().models()[0];
    EXPECT_EQ(m.generator->context(), 16u);
    EXPECT_EQ(m.vocab.size(), 96u);
    EXPECT_EQ(service().find("gpt2-test"), &m);
    EXPECT_EQ(service().find("gpt2"), nullptr);

    auto c = files().config();
    c.root = Hash{};
    EXPECT_EQ(LmService::load({c}).error().key, "language_model[0].root");
    c = files().config();
    c.program = files().dir / "missing.sigil";
    EXPECT_EQ(LmService::load({c}).error().kind, ConfigErrorKind::io_error);
    const fs::path short_vocab = files().dir / "short.json";
    std::ofstream(short_vocab) << R"(["a", "b"])";
    c = files().config();
    c.vocab = short_vocab;
    const auto e = LmService::load({c}).error();
    EXPECT_EQ(e.key, "language_model[0].vocab");
    EXPECT_EQ(e.detail, "2 entries for 96 logits");
}

TEST(lm_service, requests_take_openai_fields_and_defaults) {
    auto r = service().parse(json{{"model", "gpt2-test"}, {"prompt", "Hello"}}, false);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->prompt.size(), 5u);
    EXPECT_EQ(r->options.max_tokens, 12u);  // OpenAI's 16, capped by the model's limit
    EXPECT_EQ(r->options.sampling.temperature_milli, 1000u);
    EXPECT_EQ(r->options.sampling.top_k, 64u);  // the on-chain sampler's bound
    EXPECT_FALSE(r->stream);
    r = service().parse(json{{"model", "gpt2-test"},
                             {"prompt", json::array({40, 41})},
                             {"max_tokens", 3},
                             {"temperature", 0.25},
                             {"top_p", 0.9},
                             {"top_k", 7},
                             {"seed", 258},
                             {"stop", json::array({"x", "."})},
                             {"stream", true},
                             {"n", 1},
                             {"presence_penalty", 0}},
                        false);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->prompt, (std::vector<std::uint32_t>{40, 41}));
    EXPECT_EQ(r->options.max_tokens, 3u);
    EXPECT_EQ(r->options.sampling.temperature_milli, 250u);
    EXPECT_EQ(r->options.sampling.top_p_micro, 900'000u);
    EXPECT_EQ(r->options.sampling.top_k, 7u);
    EXPECT_EQ(r->options.sampling.seed[30], 1);
    EXPECT_EQ(r->options.sampling.seed[31], 2);
    EXPECT_EQ(r->options.stop, (std::vector<std::uint32_t>{'x' - 32, '.' - 32}));
    EXPECT_TRUE(r->stream);
    // Chat: each message through the template ("{content}"), then the suffix "=".
    r = service().parse(json{{"model", "gpt2-test"},
                             {"messages", json::array({{{"role", "system"}, {"content", "ab"}},
                                                       {{"role", "user"}, {"content", "cd"}}})}},
                        true);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->prompt, (std::vector<std::uint32_t>{'a' - 32, 'b' - 32, 'c' - 32, 'd' - 32, '=' - 32}));
    EXPECT_EQ(r->options.max_tokens, 12u);
}

TEST(lm_service, bad_requests_are_named_as_openai_names_them) {
    const auto err = [](const json& body, bool chat = false) { return service().parse(body, chat).error(); };
    const json base{{"model", "gpt2-test"}, {"prompt", "Hi"}};
    auto with = [&](const char* k, const json& v) {
        json b = base;
        b[k] = v;
        return b;
    };
    auto e = err(json{{"model", "gpt-4"}, {"prompt", "Hi"}});
    EXPECT_EQ(e.status, 404);
    EXPECT_EQ(e.code, "model_not_found");
    EXPECT_EQ(to_json(e)["error"]["param"], "model");
    EXPECT_EQ(err(json::array()).message, "the body must be a JSON object");
    EXPECT_EQ(err(json{{"prompt", "Hi"}}).param, "model");
    EXPECT_EQ(err(with("temperature", 3)).param, "temperature");
    EXPECT_EQ(err(with("top_p", 0)).param, "top_p");
    EXPECT_EQ(err(with("max_tokens", 13)).message, "max_tokens must be in [1, 12]");
    EXPECT_EQ(err(with("seed", -1)).param, "seed");
    EXPECT_EQ(err(with("top_k", 0)).param, "top_k");
    EXPECT_EQ(err(with("top_k", 65)).message, "top_k must be in [1, 64]");
    EXPECT_EQ(err(with("stream", "yes")).param, "stream");
    for (const auto& [k, v] : {std::pair<const char*, json>{"n", 2}, {"presence_penalty", 0.5},
                               {"frequency_penalty", -1}, {"logit_bias", {{"5", 10}}}, {"logprobs", 3},
                               {"echo", true}, {"best_of", 2}, {"suffix", "x"}}) {
        e = err(with(k, v));
        EXPECT_EQ(e.code, "unsupported_parameter") << k;
        EXPECT_EQ(e.param, k);
    }
    e = err(with("stop", "xy"));  // two tokens
    EXPECT_EQ(e.param, "stop");
    EXPECT_NE(e.message.find("'xy'"), std::string::npos);
    e = err(with("prompt", "0123456789abcdef"));  // 16 tokens: no room in a 16-token context
    EXPECT_EQ(e.code, "context_length_exceeded");
    EXPECT_EQ(err(with("prompt", json::array({1, 96}))).param, "prompt");
    EXPECT_EQ(err(with("prompt", json::array({"a", "b"}))).param, "prompt");
    EXPECT_EQ(err(with("prompt", "caf\xc3\xa9")).param, "prompt");  // no token for the accent
    EXPECT_EQ(err(json{{"model", "gpt2-test"}, {"messages", json::array()}}, true).param, "messages");
    EXPECT_EQ(err(json{{"model", "gpt2-test"}, {"messages", {{{"role", "robot"}, {"content", "x"}}}}}, true).param,
              "messages[0].role");
}

// Generation is the runtime's, token by token as the callback sees them, and its claim is signed.
TEST(lm_service, generates_with_the_runtime_and_streams_each_token) {
    auto r = service().parse(json{{"model", "gpt2-test"}, {"prompt", "Hello"}, {"max_tokens", 6}, {"temperature", 0}},
                             false);
    ASSERT_TRUE(r);
    std::vector<std::uint32_t> seen;
    auto g = service().generate(*r, [&](std::uint32_t t) { seen.push_back(t); });
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->tokens.size(), 6u);
    EXPECT_EQ(seen, g->tokens);
    const LanguageModel& m = *r->model;
    auto direct = m.generator->run(r->prompt, r->options, m.vocab.root());
    ASSERT_TRUE(direct);
    EXPECT_EQ(direct->tokens, g->tokens);
    EXPECT_EQ(direct->commitment, g->commitment);

    // A stop token ends the completion; OpenAI's text leaves it out, the token ids keep it.
    const std::uint32_t stop = g->tokens[2];
    auto stopped = service().parse(json{{"model", "gpt2-test"},
                                        {"prompt", "Hello"},
                                        {"max_tokens", 6},
                                        {"temperature", 0},
                                        {"stop", std::string(1, static_cast<char>(stop + 32))}},
                                   false);
    ASSERT_TRUE(stopped) << stopped.error().message;
    auto sg = service().generate(*stopped);
    ASSERT_TRUE(sg);
    const auto first =
        static_cast<std::size_t>(std::find(g->tokens.begin(), g->tokens.end(), stop) - g->tokens.begin());
    ASSERT_EQ(sg->tokens.size(), first + 1);
    EXPECT_EQ(sg->finish, "stop");
    EXPECT_EQ(openai_finish(sg->finish), "stop");
    EXPECT_TRUE(is_stop(*stopped, stop));
    std::string want;
    for (std::size_t i = 0; i < first; ++i) want += static_cast<char>(g->tokens[i] + 32);
    EXPECT_EQ(completion_text(*stopped, *sg), want);
    EXPECT_EQ(completion_text(*r, *g).size(), 6u);  // no stop: every token's text
}

// An on-chain generation request's price buys its maxTokens: the model's floor is per token. Only a
// canonically encoded spec is served (the Coordinator reads maxTokens where abi.encode puts it).
TEST(lm_service, onchain_requests_pay_the_floor_per_token) {
    LanguageModelConfig c = files().config();
    c.prices = {{Address{}, 10}};
    const LmService priced = LmService::load({c}).value();
    const LanguageModel& m = *priced.models()[0];
    Catalog none;
    ServePolicy p{&none, Address{}, std::nullopt, 4};
    p.lms = &priced;
    runtime::lm::GenerationSpec spec{m.lm_root, {40, 41}, {}};
    spec.options.max_tokens = 6;
    RequestedEvent ev;
    ev.k = 1;
    ev.ttl = 100;
    ev.created_at = 1000;
    ev.model_root = m.manifest.step_model_root;
    ev.input = runtime::lm::encode_spec(spec);
    ev.price = 60;
    EXPECT_EQ(decide(ev, p, 0, 1000), std::nullopt);
    ev.price = 59;
    EXPECT_EQ(decide(ev, p, 0, 1000), SkipReason::price_below_minimum);
    ev.price = 60;
    // The same spec with the tuple's offset moved: abi.decode reads it, the Coordinator would not.
    Bytes moved = ev.input;
    moved[8 + 31] = 0x40;
    moved.insert(moved.begin() + 40, 32, 0);
    ASSERT_TRUE(runtime::lm::decode_spec(moved));
    ev.input = moved;
    EXPECT_EQ(decide(ev, p, 0, 1000), SkipReason::bad_spec);
}

// A completion's signed claim is the one an on-chain request of the same spec gets: the spec is
// the request's input, the claim is what `serve` (the engine's path) posts for that input, and
// the signature over it recovers the operator.
TEST(lm_service, offchain_claim_is_the_onchain_answer_of_the_same_spec) {
    const LanguageModel& m = *service().models()[0];
    for (const json& body :
         {json{{"model", "gpt2-test"}, {"prompt", "Hello"}, {"max_tokens", 6}, {"temperature", 0}},
          json{{"model", "gpt2-test"}, {"prompt", "Hi"}, {"temperature", 0.8}, {"seed", 7}, {"stop", "e"}}}) {
        auto r = service().parse(body, false);
        ASSERT_TRUE(r) << r.error().message;
        auto g = service().generate(*r);
        ASSERT_TRUE(g);
        auto oc = service().offchain_claim(*r, *g);
        ASSERT_TRUE(oc) << oc.error();
        auto spec = runtime::lm::decode_spec(oc->input);
        ASSERT_TRUE(spec);
        EXPECT_EQ(spec->lm_root, m.lm_root);
        EXPECT_EQ(spec->prompt, r->prompt);
        auto served = service().serve(m, oc->input);
        ASSERT_TRUE(served) << served.error();
        EXPECT_EQ(oc->claim.output, served->output);
        EXPECT_EQ(oc->claim.trace_root, served->trace_root);
        EXPECT_EQ(oc->claim.trace_root, g->generation_root);
        EXPECT_EQ(oc->claim.steps, served->steps);
        EXPECT_EQ(oc->claim.input_root, served->input_root);

        const auto key =
            chain::PrivateKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").value();
        const Claim c{oc->claim.output, oc->claim.output_root, oc->claim.trace_root, oc->claim.steps,
                      oc->claim.input_root};
        const Address coordinator{};
        auto doc = signed_claim_json(key, m.manifest.step_model_root, c, 1'900'000'000, 31337, coordinator);
        ASSERT_TRUE(doc) << doc.error();
        EXPECT_TRUE((*doc)["claim"]["steps"].is_string());  // above 2^53: JavaScript reads it exactly
        EXPECT_EQ(uint64_of_json((*doc)["claim"]["steps"]), c.steps);
        auto sig = chain::Signature::from_rsv(*from_hex((*doc)["signature"].get<std::string>()));
        ASSERT_TRUE(sig);
        EXPECT_EQ(recover_claim_signer(m.manifest.step_model_root, c, 1'900'000'000, 31337, coordinator, *sig).value(),
                  key.address());
        EXPECT_NE(recover_claim_signer(m.manifest.step_model_root, c, 1'900'000'001, 31337, coordinator, *sig).value(),
                  key.address());
    }
    // A generation that is not the request's answer is not signed.
    auto r = service().parse(json{{"model", "gpt2-test"}, {"prompt", "Hello"}, {"max_tokens", 6}, {"temperature", 0}},
                             false);
    ASSERT_TRUE(r);
    auto g = service().generate(*r);
    ASSERT_TRUE(g);
    auto shorter = *g;
    shorter.tokens.pop_back();
    EXPECT_NE(service().offchain_claim(*r, shorter).error().find("ended early"), std::string::npos);
    auto other = *g;
    other.prompt.pop_back();
    EXPECT_FALSE(service().offchain_claim(*r, other));
}

}  // namespace
}  // namespace sigil::node

#endif  // SIGIL_LM_TEST_MODELS
