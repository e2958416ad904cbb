#include "devnet/completions.hpp"

#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "bindings/coordinator.hpp"
#include "bindings/delegation_manager.hpp"
#include "bindings/generation_game.hpp"
#include "bindings/test_token.hpp"
#include "bindings/text_oracle.hpp"
#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "core/trace/chunks.hpp"
#include "devnet/artifacts.hpp"
#include "devnet/disputes.hpp"
#include "devnet/events.hpp"
#include "devnet/process.hpp"
#include "devnet/workload.hpp"

namespace sigil::devnet {

namespace {

using Clock = std::chrono::steady_clock;
using abi::Value;

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw DevnetError("cannot read " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Value u32s(const std::vector<std::uint32_t>& v) {
    std::vector<Value> e;
    for (auto x : v) e.push_back(Value::uint(x, 32));
    return Value::array(std::move(e));
}

/// The k = 3 completions sample (every seat draws the same tokens from the request's seed); the
/// k = 1 ones are greedy.
constexpr std::uint32_t kTemperatureMilli = 700, kTopK = 40;

/// Prompts for a model whose vocabulary may not spell them: the first that encodes is used,
/// else the first three tokens of the vocabulary.
const std::vector<std::string> kPrompts = {"volcano:", "river:", "music:", "glacier:", "library:", "harbor:",
                                           "orchard:", "lantern:"};

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '"') {
            out += "\\\"";
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// A TextOracle for `lm`, owned by `owner`, with credit at the Coordinator for `count` requests of
/// at most `max_tokens` tokens (the price is per token).
Address deploy_oracle(Signer& owner, const Deployment& d, const World& w, const LanguageModelFile& lm, unsigned count,
                      std::uint32_t max_tokens) {
    const Address oracle =
        owner.deploy(creation_code("TextOracle"), bindings::text_oracle::kConstructor,
                     {Value::address(d.coordinator), Value::bytes_n(lm.lm_root), Value::bytes_n(lm.model.root),
                      Value::address(d.pay_token)});
    const u256 budget = u256(count + 1) * u256(4) * w.params.price * u256(max_tokens) * u256(2);
    owner.send_values(d.pay_token, bindings::test_token::fn::mint.signature,
                      {Value::address(owner.address()), Value::uint(budget)});
    owner.send_values(d.pay_token, bindings::test_token::fn::approve.signature,
                      {Value::address(d.coordinator), Value::uint(budget)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::deposit.signature,
                      {Value::address(oracle), Value::address(d.pay_token), Value::uint(budget)});
    return oracle;
}

/// The stop token: "\n" when the vocabulary has it as one token.
std::vector<std::uint32_t> stop_tokens(const LanguageModelFile& lm) {
    if (auto nl = lm.vocab->encode("\n"); nl && nl->size() == 1) return *nl;
    return {};
}

/// The prompt `i` as ids (and its text), falling back to the vocabulary's first tokens.
std::pair<std::string, std::vector<std::uint32_t>> prompt_of(const LanguageModelFile& lm, unsigned i) {
    std::string text = kPrompts[i % kPrompts.size()];
    auto enc = lm.vocab->encode(text);
    if (!enc || enc->empty() || enc->size() + 1 >= lm.manifest.context) {
        std::vector<std::uint32_t> ids{0, 1, 2};
        return {*lm.vocab->decode(ids), ids};
    }
    return {text, *enc};
}

constexpr std::uint8_t kRefuted = 7;  // CoordinatorTypes.sol Status.Refuted

}  // namespace

LanguageModelFile load_language_model(const std::filesystem::path& dir) {
    const auto program_path = dir / "lm.sigil", vocab_path = dir / "vocab.json";
    if (!std::filesystem::exists(program_path) || !std::filesystem::exists(vocab_path)) {
        throw DevnetError("no language model in " + dir.string() +
                          " (lm.sigil and vocab.json: scripts/build-zoo.sh builds wordnet-lm, or `sigil lm train`)");
    }
    const std::string bytes = read_file(program_path);
    auto program = ir::load_program(as_bytes(bytes));
    if (!program) throw DevnetError("invalid program " + program_path.string());
    auto vocab = runtime::lm::Vocabulary::from_json(read_file(vocab_path));
    if (!vocab) throw DevnetError(vocab_path.string() + ": " + vocab.error());
    auto gen = runtime::lm::Generator::create(*program, 1);
    if (!gen) throw DevnetError(program_path.string() + " is not a language model: " + gen.error());
    LanguageModelFile lm;
    lm.vocab = std::make_shared<runtime::lm::Vocabulary>(std::move(*vocab));
    lm.generator = std::make_shared<runtime::lm::Generator>(std::move(*gen));
    if (lm.generator->vocab() != lm.vocab->size()) {
        throw DevnetError(vocab_path.string() + " has " + std::to_string(lm.vocab->size()) + " entries for " +
                          std::to_string(lm.generator->vocab()) + " logits");
    }
    lm.manifest = runtime::lm::manifest_of(*lm.generator, lm.vocab->root());
    lm.lm_root = runtime::lm::lm_root(lm.manifest);
    lm.model.name = dir.filename().string();
    lm.model.path = program_path;
    lm.model.program = std::make_shared<const ir::Program>(std::move(*program));
    lm.model.root = lm.manifest.step_model_root;
    lm.model.input_shape = {1, 1};
    lm.model.output_shape = {1, 1, lm.manifest.vocab};
    lm.model.language_model = true;
    lm.model.vocab = vocab_path;
    return lm;
}

bool CompletionSummary::all_correct() const {
    for (const auto& c : completions) {
        if (!c.correct) return false;
    }
    return !completions.empty();
}

std::string CompletionSummary::to_text() const {
    std::ostringstream t;
    unsigned ok = 0;
    for (const auto& c : completions) ok += c.correct ? 1 : 0;
    t << "completions: " << ok << "/" << completions.size() << " answered with the local runtime's tokens\n";
    for (std::size_t i = 0; i < completions.size(); ++i) {
        const auto& c = completions[i];
        t << "  #" << i + 1 << " k=" << c.k << " " << quoted(c.prompt) << " -> "
          << (c.answered ? quoted(c.text) : std::string("(no answer)")) << "\n";
        if (!c.answered) continue;
        const double secs = c.latency_ms / 1000.0;
        t << std::fixed << std::setprecision(1) << "      " << c.tokens << " tokens, " << c.latency_ms << " ms ("
          << (secs > 0 ? c.tokens / secs : 0.0) << " tokens/s end to end), gas " << c.gas << " ("
          << (c.tokens > 0 ? c.gas / c.tokens : 0) << " per token)" << (c.correct ? "" : "  WRONG") << "\n";
    }
    return t.str();
}

nlohmann::json CompletionSummary::to_json() const {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : completions) {
        a.push_back({{"k", c.k},
                     {"prompt", c.prompt},
                     {"text", c.text},
                     {"tokens", c.tokens},
                     {"answered", c.answered},
                     {"correct", c.correct},
                     {"latencyMs", c.latency_ms},
                     {"gas", c.gas}});
    }
    return {{"completions", a}, {"allCorrect", all_correct()}};
}

CompletionSummary run_completions(Signer& owner, const Deployment& d, const World& w, const LanguageModelFile& lm,
                                  unsigned count, std::uint32_t max_tokens, std::chrono::seconds timeout,
                                  std::ostream& progress) {
    Session& s = owner.session();
    const Address oracle = deploy_oracle(owner, d, w, lm, count, max_tokens);
    progress << "completions: TextOracle " << to_hex(oracle) << " asks " << count << " of "
             << lm.model.name << " (lmRoot " << to_hex(lm.lm_root) << ")\n";

    const std::vector<std::uint32_t> stop = stop_tokens(lm);
    struct Sent {
        Hash id{};
        Completion c;
        std::vector<std::uint32_t> prompt;
        Hash seed{};  ///< k = 3: sampled
        Clock::time_point at;
    };
    std::vector<Sent> sent;
    const bool k3 = w.operators.size() >= 3;
    for (unsigned i = 0; i < count; ++i) {
        Sent r;
        std::tie(r.c.prompt, r.prompt) = prompt_of(lm, i);
        r.c.k = k3 && i % 2 == 1 ? 3 : 1;
        chain::Receipt receipt;
        if (r.c.k == 1) {
            const auto& node = w.operators[i % w.operators.size()].self.address;
            receipt = owner.send_values(oracle, bindings::text_oracle::fn::ask.signature,
                                        {u32s(r.prompt), Value::uint(max_tokens, 32), u32s(stop), Value::address(node)});
        } else {
            r.seed = keccak256(as_bytes("sigil-devnet/completion/" + std::to_string(i)));
            receipt = owner.send_values(oracle, bindings::text_oracle::fn::askRedundant.signature,
                                        {u32s(r.prompt), Value::uint(max_tokens, 32), u32s(stop),
                                         Value::uint(w.params.price, 96), Value::uint(3, 8), Value::uint(120, 32),
                                         Value::uint(kTemperatureMilli, 32), Value::uint(kTopK, 32),
                                         Value::bytes_n(r.seed)});
        }
        auto ev = find_event("Requested", receipt.logs);
        if (!ev) throw DevnetError("TextOracle.ask emitted no Requested event");
        r.id = as_hash((*ev)[bindings::coordinator::arg::Requested::id]);
        r.c.gas = static_cast<std::uint64_t>(receipt.gas_used);
        r.at = Clock::now();
        sent.push_back(std::move(r));
    }
    progress << count << " completions requested; waiting for callbacks\n";

    std::map<Hash, std::size_t> pending;
    for (std::size_t i = 0; i < sent.size(); ++i) pending[sent[i].id] = i;
    std::uint64_t from = d.deploy_block;
    wait_for_callbacks(s, d, pending, from, Clock::now() + timeout, [&](std::size_t i, Clock::time_point now) {
        sent[i].c.answered = true;
        sent[i].c.latency_ms = std::chrono::duration<double, std::milli>(now - sent[i].at).count();
    });

    CompletionSummary sum;
    for (auto& r : sent) {
        if (r.c.answered) {
            const auto a = s.call_values(oracle, bindings::with_outputs(bindings::text_oracle::fn::answers),
                                         {Value::bytes_n(r.id)});
            r.c.text = a.at(0).as_string();
            r.c.tokens = static_cast<std::uint32_t>(a.at(1).num);
            // The answer must be the claim an honest node posts: the local generation's, whole.
            runtime::lm::GenerationSpec spec;
            spec.lm_root = lm.lm_root;
            spec.prompt = r.prompt;
            spec.options.max_tokens = max_tokens;
            spec.options.stop = stop;
            if (r.c.k == 3) {
                spec.options.sampling.temperature_milli = kTemperatureMilli;
                spec.options.sampling.top_k = kTopK;
                spec.options.sampling.seed = r.seed;
            }
            const Bytes input = runtime::lm::encode_spec(spec);
            auto g = lm.generator->run(spec.prompt, spec.options, lm.vocab->root());
            if (g) {
                const auto c = runtime::lm::generation_claim(input, *g, *lm.vocab->decode(g->tokens));
                const Value claim = Value::tuple({Value::dyn_bytes(c.output), Value::bytes_n(c.output_root),
                                                  Value::bytes_n(c.trace_root), Value::uint(c.steps, 64),
                                                  Value::bytes_n(c.input_root)});
                const auto h = s.call_values(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::hashClaim),
                                             {claim});
                const auto answer = s.call_values(d.coordinator,
                                                  bindings::with_outputs(bindings::coordinator::fn::answerOf),
                                                  {Value::bytes_n(r.id)});
                r.c.correct = h.at(0).bytes == answer.at(0).bytes && r.c.tokens == g->tokens.size();
            }
            // Gas of the nodes' transactions for it (delivery, or commits and reveals).
            std::set<Hash> txs;
            for (const char* name : {"Delivered", "Committed", "Revealed"}) {
                chain::LogFilter f;
                f.from_block = d.deploy_block;
                f.addresses = {d.coordinator};
                f.topics = {{topic_of(name)}, {r.id}};
                if (auto logs = s.eth().get_logs(f)) {
                    for (const auto& l : *logs) txs.insert(l.transaction_hash);
                }
            }
            for (const auto& tx : txs) {
                if (auto rc = s.eth().get_transaction_receipt(tx); rc && rc->has_value()) {
                    r.c.gas += static_cast<std::uint64_t>((*rc)->gas_used);
                }
            }
        }
        sum.completions.push_back(r.c);
    }
    return sum;
}

}  // namespace sigil::devnet

namespace sigil::devnet {

bool CompletionDisputeSummary::all_caught() const {
    for (const auto& r : disputes) {
        if (!r.refuted || !r.withdrawn || r.slashed_shares == 0) return false;
    }
    return !disputes.empty();
}

std::string CompletionDisputeSummary::to_text() const {
    std::ostringstream o;
    o << "completion disputes: " << disputes.size()
      << (all_caught() ? ", every altered completion refuted and its liar slashed\n" : ", NOT all caught\n");
    for (const auto& r : disputes) {
        o << "  request " << to_hex(r.request).substr(0, 12) << "… " << quoted(r.prompt) << ": ";
        if (r.reason == "token") {
            o << "generated token " << r.token_index << " (step " << r.step << ") claimed " << quoted(r.claimed)
              << ", the sampler gives " << quoted(r.sampled) << ": refuted by proveToken";
        } else {
            o << "refuted (" << r.reason << ")";
        }
        o << "; " << r.transactions << " game transactions, " << r.gas << " gas; slashed "
          << format_units(r.slashed_shares) << " shares; oracle refunded " << format_units(r.consumer_refund)
          << " PAY, its text " << (r.withdrawn ? "withdrawn" : "NOT withdrawn") << "; "
          << static_cast<long>(r.wall_ms) << " ms from request to refutation\n";
    }
    return o.str();
}

nlohmann::json CompletionDisputeSummary::to_json() const {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& r : disputes) {
        a.push_back({{"request", to_hex(r.request)},
                     {"prompt", r.prompt},
                     {"step", r.step},
                     {"tokenIndex", r.token_index},
                     {"claimed", r.claimed},
                     {"sampled", r.sampled},
                     {"reason", r.reason},
                     {"refuted", r.refuted},
                     {"withdrawn", r.withdrawn},
                     {"transactions", r.transactions},
                     {"gas", r.gas},
                     {"slashedShares", to_dec(r.slashed_shares)},
                     {"consumerRefund", to_dec(r.consumer_refund)},
                     {"wallMs", r.wall_ms}});
    }
    return {{"disputes", a}, {"allCaught", all_caught()}};
}

CompletionDisputeSummary run_completion_disputes(Signer& owner, const Deployment& d, const World& w,
                                                 const LanguageModelFile& lm, unsigned count, std::uint32_t max_tokens,
                                                 const std::filesystem::path& dir, const std::filesystem::path& sigil,
                                                 std::ostream& progress, std::chrono::seconds timeout) {
    if (d.generation_game == Address{}) throw DevnetError("completion disputes: the deployment has no GenerationGame");
    Session& s = owner.session();
    const u256 price = w.params.price / 2;  // below the honest operators' floor: only the liar serves
    const Actor liar = join(owner, d, w, "faulty-lm/liar", price);
    const Actor checker = join(owner, d, w, "faulty-lm/challenger", price);
    owner.send_values(d.bond_token, bindings::test_token::fn::mint.signature,
                      {Value::address(checker.address), Value::uint(u256(100) * u256(1'000'000'000'000'000'000ULL))});
    const std::uint64_t start = s.eth().block_number().value_or(0);
    std::vector<std::unique_ptr<ChildProcess>> nodes;
    for (const auto& [name, a] : {std::make_pair(std::string("lm-liar"), &liar),
                                  std::make_pair(std::string("lm-challenger"), &checker)}) {
        const auto ndir = dir / ("node-" + name);
        const auto data = fresh_data_dir(ndir);
        const std::string extra = name == "lm-liar" ? "[fault]\nprobability = 1.0\nseed = 2\nkind = \"token\"\n"
                                                    : "[challenger]\nmode = \"all\"\nserve = false\n";
        std::ofstream(ndir / "node.toml") << config_for(d, w, *a, data, price, start, extra);
        nodes.push_back(std::make_unique<ChildProcess>(
            std::vector<std::string>{sigil.string(), "node", "--config", (ndir / "node.toml").string(), "--dev-key"},
            ndir / "node.log"));
    }
    progress << "completion disputes: liar " << to_hex(liar.address) << " alters a token of every answer, challenger "
             << to_hex(checker.address) << "\n";
    const Address oracle = deploy_oracle(owner, d, w, lm, count, max_tokens);
    const std::vector<std::uint32_t> stop = stop_tokens(lm);
    CompletionDisputeSummary sum;
    for (unsigned i = 0; i < count; ++i) {
        CompletionDispute r;
        std::vector<std::uint32_t> prompt;
        std::tie(r.prompt, prompt) = prompt_of(lm, i + 4);
        const u256 shares_before = shares_of(s, d, liar.address);
        const auto t0 = Clock::now();
        const auto rc = owner.send_values(oracle, bindings::text_oracle::fn::ask.signature,
                                          {u32s(prompt), Value::uint(max_tokens, 32), u32s(stop),
                                           Value::address(liar.address)});
        const u256 credit_before = credit_of(s, d, oracle);
        auto ev = find_event("Requested", rc.logs);
        if (!ev) throw DevnetError("TextOracle.ask emitted no Requested event");
        r.request = as_hash((*ev)[bindings::coordinator::arg::Requested::id]);
        for (;;) {
            const auto st = s.call_values(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::getRequest),
                                          {Value::bytes_n(r.request)});
            if (static_cast<std::uint8_t>(st.at(0).elems.at(bindings::coordinator::field::Request::status).num) ==
                kRefuted) {
                break;
            }
            if (Clock::now() - t0 > timeout) {
                throw DevnetError("completion disputes: request " + to_hex(r.request) +
                                  " was not refuted in time (see node-lm-liar/node.log, node-lm-challenger/node.log)");
            }
            for (auto& n : nodes) {
                if (!n->running()) throw DevnetError("completion disputes: a node exited (see its node.log)");
            }
            if (!sleep_unless_stopped(std::chrono::milliseconds(50))) throw DevnetError("stopped");
        }
        r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        r.refuted = true;
        r.slashed_shares = shares_before - shares_of(s, d, liar.address);
        r.consumer_refund = credit_of(s, d, oracle) - credit_before;
        const auto ans = s.call_values(oracle, bindings::with_outputs(bindings::text_oracle::fn::answers),
                                       {Value::bytes_n(r.request)});
        r.withdrawn = ans.at(2).num != 0 && ans.at(0).bytes.empty();
        // The game, from the GenerationGame's logs: its transactions, the step it opened, how it ended.
        chain::LogFilter f;
        f.from_block = start;
        f.addresses = {d.generation_game, d.coordinator};
        auto logs = s.eth().get_logs(f);
        if (!logs) throw DevnetError("completion disputes: eth_getLogs: " + describe_rpc_error(logs.error()));
        namespace GE = bindings::generation_game::event;
        std::optional<Hash> game;
        std::set<Hash> txs;
        for (const auto& l : *logs) {
            if (l.address == d.coordinator) continue;
            if (l.topics.size() >= 3 && l.topics[0] == bindings::topic(GE::Challenged) && l.topics[2] == r.request) {
                game = l.topics[1];
            }
            if (l.topics.size() >= 2 && l.topics[0] == bindings::topic(GE::ClaimRefuted) && l.topics[1] == r.request) {
                if (auto v = bindings::decode_event(GE::ClaimRefuted, l.topics, l.data)) {
                    r.reason = (*v)[bindings::generation_game::arg::ClaimRefuted::reason].as_string();
                }
                txs.insert(l.transaction_hash);
            }
        }
        for (const auto& l : *logs) {
            if (l.address == d.coordinator || !game || l.topics.size() < 2 || l.topics[1] != *game) continue;
            txs.insert(l.transaction_hash);
            if (l.topics[0] == bindings::topic(GE::StepRevealed)) {
                if (auto v = bindings::decode_event(GE::StepRevealed, l.topics, l.data)) {
                    namespace A = bindings::generation_game::arg::StepRevealed;
                    r.step = static_cast<std::uint64_t>((*v)[A::step].num);
                    r.claimed = *lm.vocab->decode({static_cast<std::uint32_t>((*v)[A::next].num)});
                }
            }
            if (l.topics[0] == bindings::topic(GE::Resolved)) {
                if (auto v = bindings::decode_event(GE::Resolved, l.topics, l.data)) {
                    r.reason = (*v)[bindings::generation_game::arg::Resolved::reason].as_string();
                }
            }
        }
        for (const auto& tx : txs) {
            if (auto rc2 = s.eth().get_transaction_receipt(tx); rc2 && rc2->has_value()) {
                r.gas += static_cast<std::uint64_t>((*rc2)->gas_used);
            }
        }
        r.transactions = txs.size();
        if (r.reason == "token" && r.step + 1 >= prompt.size()) {
            r.token_index = r.step + 1 - prompt.size();
            runtime::lm::GenerationOptions o;
            o.max_tokens = max_tokens;
            o.stop = stop;
            if (auto g = lm.generator->run(prompt, o, lm.vocab->root()); g && r.token_index < g->tokens.size()) {
                r.sampled = *lm.vocab->decode({g->tokens[r.token_index]});
            }
        }
        sum.disputes.push_back(std::move(r));
    }
    return sum;
}

}  // namespace sigil::devnet
