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

    const auto key = chain::PrivateKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").value();
    GenerationClaim claim{m.generator->step_model_root(), m.vocab.root(), runtime::lm::prompt_hash(g->prompt),
                          runtime::lm::params_hash(r->options), g->generation_root, 6, 1'900'000'000};
    const Address coordinator{};
    auto sig = sign_generation(key, claim, 31337, coordinator);
    ASSERT_TRUE(sig);
    EXPECT_EQ(recover_generation_signer(claim, 31337, coordinator, *sig).value(), key.address());
    claim.tokens = 5;  // any field changed: another signer
    EXPECT_NE(recover_generation_signer(claim, 31337, coordinator, *sig).value(), key.address());
}

}  // namespace
}  // namespace sigil::node

#endif  // SIGIL_LM_TEST_MODELS
