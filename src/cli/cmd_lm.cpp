// `sigil lm generate`: text generation with a quantized language model (docs/generation.md).
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/model_common.hpp"
#include "core/ir/model_root.hpp"
#include "core/u256.hpp"
#include "runtime/lm/generate.hpp"
#include "runtime/lm/vocab.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace sigil::cli {

namespace {

using nlohmann::json;

struct GenerateArgs {
    std::string model, prompt, prompt_ids, vocab, seed = "0";
    std::uint32_t max_tokens = 16, top_k = 0;
    double temperature = 0, top_p = 1.0;
    std::vector<std::uint32_t> stop;
    unsigned threads = 1;
    bool json = false;
    bool no_commit = false;
    bool profile = false;
};

/// Peak resident memory of this process in MiB.
double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

/// Bytes a step's trace commits: every input and every op output.
std::uint64_t committed_bytes(const ir::Program& p) {
    std::uint64_t n = 0;
    for (auto id : p.inputs) n += ir::byte_size(p.tensors[id]);
    for (const auto& op : p.ops) n += ir::byte_size(p.tensors[op.output]);
    return n;
}

std::vector<std::uint32_t> parse_ids(const std::string& text) {
    std::vector<std::uint32_t> ids;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        auto v = parse_u256(item);
        if (!v || *v > 0xffffffffU) throw CliError("--prompt-ids: '" + item + "' is not a token id");
        ids.push_back(static_cast<std::uint32_t>(*v));
    }
    return ids;
}

void run_generate(const GenerateArgs& a) {
    const ir::Program program = load_sigil(a.model);
    std::optional<runtime::lm::Vocabulary> vocab;
    if (!a.vocab.empty()) {
        const auto text = runtime::read_file_bytes(a.vocab);
        if (!text) throw CliError(text.error().message());
        auto v = runtime::lm::Vocabulary::from_json(std::string(text->begin(), text->end()));
        if (!v) throw CliError(a.vocab + ": " + v.error());
        vocab = std::move(*v);
    }
    std::vector<std::uint32_t> prompt;
    if (!a.prompt.empty() == !a.prompt_ids.empty()) throw CliError("give either --prompt (with --vocab) or --prompt-ids");
    if (!a.prompt.empty()) {
        if (!vocab) throw CliError("--prompt needs --vocab (the model's tokens); or give --prompt-ids");
        auto ids = vocab->encode(a.prompt);
        if (!ids) throw CliError("--prompt: " + ids.error());
        prompt = std::move(*ids);
    } else {
        prompt = parse_ids(a.prompt_ids);
    }
    auto gen = runtime::lm::Generator::create(program, a.threads, !a.no_commit);
    if (!gen) throw CliError(a.model + ": " + gen.error());
    if (vocab && vocab->size() != gen->vocab())
        throw CliError(a.vocab + ": " + std::to_string(vocab->size()) + " tokens, the model has " + std::to_string(gen->vocab()));
    if (!(a.temperature >= 0 && a.temperature <= 1000)) throw CliError("--temperature must be in [0, 1000]");
    if (!(a.top_p > 0 && a.top_p <= 1)) throw CliError("--top-p must be in (0, 1]");
    auto seed = parse_u256(a.seed);
    if (!seed) throw CliError("--seed: not a decimal or 0x-hex number below 2^256");
    runtime::lm::GenerationOptions o;
    o.sampling.temperature_milli = static_cast<std::uint32_t>(std::lround(a.temperature * 1000));
    o.sampling.top_k = a.top_k;
    o.sampling.top_p_micro = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::lround(a.top_p * 1e6)));
    o.sampling.seed = to_be32(*seed);
    o.max_tokens = a.max_tokens;
    o.stop = a.stop;
    const Hash vocab_root = vocab ? vocab->root() : Hash{};
    std::vector<runtime::RunProfile> profiles;
    auto g = gen->run(prompt, o, vocab_root, a.profile ? &profiles : nullptr);
    if (!g) throw CliError(g.error());
    json j{{"prompt_ids", g->prompt},
           {"token_ids", g->tokens},
           {"finish", g->finish},
           {"model_root", to_hex(ir::model_root(program))},
           {"step_model_root", to_hex(gen->step_model_root())},
           {"steps", g->tokens.size()},
           {"context", gen->context()},
           {"threads", a.threads},
           {"prefill_ms", g->prefill_ms},
           {"decode_ms", g->decode_ms},
           {"tokens_per_s", g->decode_ms > 0 ? 1000.0 * static_cast<double>(g->tokens.size()) / g->decode_ms : 0.0},
           {"median_step_ms", median(g->decode_step_ms)},
           {"step_ops", gen->step_program().program.ops.size()},
           {"step_committed_bytes", committed_bytes(gen->step_program().program)},
           {"peak_rss_mib", peak_rss_mib()}};
    if (a.profile) j["profile"] = profile_json(gen->step_program().program, profiles);
    if (!a.no_commit) {
        j["generation_root"] = to_hex(g->generation_root);
        j["commitment"] = to_hex(g->commitment);
    }
    if (vocab) {
        j["vocab_root"] = to_hex(vocab_root);
        j["text"] = *vocab->decode(g->tokens);
    }
    if (a.json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    if (vocab) std::cout << j["text"].get<std::string>() << '\n';
    for (const char* k : {"token_ids", "finish", "generation_root", "commitment", "tokens_per_s"}) {
        if (j.contains(k)) std::cout << k << ": " << (j[k].is_string() ? j[k].get<std::string>() : j[k].dump()) << '\n';
    }
}

}  // namespace

void register_lm_commands(CLI::App& app) {
    auto* lm = app.add_subcommand("lm", "Language models: generate text with a quantized model, every step committed");
    lm->require_subcommand(1);
    auto a = std::make_shared<GenerateArgs>();
    auto* gen = lm->add_subcommand("generate", "Generate tokens after a prompt (greedy, or seeded sampling)");
    gen->add_option("model", a->model, "model.sigil: token ids [1, C] in, logits [1, C, V] out")->required();
    gen->add_option("--prompt", a->prompt, "prompt text (encoded with --vocab)");
    gen->add_option("--prompt-ids", a->prompt_ids, "prompt token ids, comma-separated");
    gen->add_option("--vocab", a->vocab, "the model's vocabulary: a JSON array of token texts");
    gen->add_option("--max-tokens", a->max_tokens, "tokens to generate at most")->capture_default_str()->check(CLI::Range(1, 1 << 20));
    gen->add_option("--seed", a->seed, "sampling seed (decimal or 0x hex, up to 256 bits)")->capture_default_str();
    gen->add_option("--temperature", a->temperature, "0 = greedy")->capture_default_str();
    gen->add_option("--top-k", a->top_k, "sample from the k most likely (0 = all)")->capture_default_str();
    gen->add_option("--top-p", a->top_p, "nucleus mass in (0, 1]")->capture_default_str();
    gen->add_option("--stop", a->stop, "stop after any of these token ids");
    gen->add_option("--threads", a->threads, "executor threads")->capture_default_str()->check(CLI::Range(1, 256));
    gen->add_flag("--json", a->json, "print JSON");
    gen->add_flag("--profile", a->profile, "also time every op of the generating steps and their commitment (medians)");
    gen->add_flag("--no-commit", a->no_commit, "skip the steps' traces and the commitment (times inference alone)");
    gen->callback([a] { run_generate(*a); });
    // Listed for --help; never reached, main() hands them to sigil-train before parsing.
    for (const auto& cmd : kTrainLmCommands) lm->add_subcommand(cmd.name, cmd.help)->allow_extras();
}

}  // namespace sigil::cli
