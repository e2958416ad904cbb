#include "runtime/lm/generate.hpp"

#include <algorithm>
#include <chrono>

#include "core/ir/model_root.hpp"
#include "core/keccak.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "runtime/exec/executor.hpp"

namespace sigil::runtime::lm {

namespace {

void put_u32(Bytes& b, std::uint32_t v) {
    for (int k = 3; k >= 0; --k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

void put_hash(Bytes& b, const Hash& h) { b.insert(b.end(), h.begin(), h.end()); }

}  // namespace

Hash step_leaf(const Hash& state, std::uint32_t token) {
    Bytes b;
    put_hash(b, state);
    put_u32(b, token);
    return keccak256(b);
}

Hash params_hash(const GenerationOptions& o) {
    Bytes b;
    put_hash(b, o.sampling.seed);
    put_u32(b, o.sampling.temperature_milli);
    put_u32(b, o.sampling.top_k);
    put_u32(b, o.sampling.top_p_micro);
    put_u32(b, o.max_tokens);
    put_u32(b, static_cast<std::uint32_t>(o.stop.size()));
    for (auto s : o.stop) put_u32(b, s);
    return keccak256(b);
}

Hash prompt_hash(const std::vector<std::uint32_t>& prompt) {
    Bytes b;
    for (auto t : prompt) put_u32(b, t);
    return keccak256(b);
}

Hash generation_commitment(const Hash& model_root, const Hash& vocab_root, const Hash& prompt, const Hash& params,
                           const Hash& generation_root) {
    Bytes b;
    for (const Hash* h : {&model_root, &vocab_root, &prompt, &params, &generation_root}) put_hash(b, *h);
    return keccak256(b);
}

Generator::Generator(Generator&&) noexcept = default;
Generator& Generator::operator=(Generator&&) noexcept = default;
Generator::~Generator() = default;

Result<Generator, std::string> Generator::create(const ir::Program& program, unsigned threads, bool commit) {
    auto step = derive_decode_program(program);
    if (!step) return fail(step.error());
    Generator g;
    g.step_ = std::make_unique<DecodeProgram>(std::move(*step));
    g.exec_ = std::make_unique<Executor>(g.step_->program, ExecOptions{threads, std::nullopt, commit});
    g.commit_ = commit;
    g.model_root_ = ir::model_root(g.step_->program);
    return g;
}

Result<Generation, std::string> Generator::run(const std::vector<std::uint32_t>& prompt, const GenerationOptions& o,
                                               const Hash& vocab_root, std::vector<RunProfile>* profiles,
                                               const std::function<void(std::uint32_t)>& on_token,
                                               const std::function<void(std::uint32_t, const RunResult&)>& on_step) {
    const std::uint32_t context = step_->context, vocab = step_->vocab;
    if (auto bad = check(o.sampling); !bad.empty()) return fail(bad);
    if (prompt.empty() || prompt.size() >= context)
        return fail("the prompt has " + std::to_string(prompt.size()) + " tokens; it needs 1 to " +
                    std::to_string(context - 1) + " (the context is " + std::to_string(context) + ")");
    if (o.max_tokens < 1) return fail(std::string("max_tokens must be at least 1"));
    for (auto t : prompt)
        if (t >= vocab)
            return fail("prompt token " + std::to_string(t) + " is outside the vocabulary of " + std::to_string(vocab));
    const ir::Program& p = step_->program;
    const ir::QScale logit_scale = p.tensors[p.outputs[0]].quant.scales.at(0);
    const ir::DType logit_dtype = p.tensors[p.outputs[0]].dtype;  // int8, or int32 logits
    std::vector<std::int32_t> row(vocab);
    // Caches start as every element's zero point; a position is read only after it is written.
    std::vector<Bytes> in(2 + step_->caches.size());
    for (std::size_t c = 0; c < step_->caches.size(); ++c) {
        const ir::Tensor& t = p.tensors[step_->caches[c].input];
        in[2 + c].assign(static_cast<std::size_t>(ir::byte_size(t)), static_cast<std::uint8_t>(t.quant.zero_point));
    }
    const auto u32 = [](std::uint32_t v) {
        Bytes b(4);
        for (int k = 0; k < 4; ++k) b[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(v >> (8 * k));
        return b;
    };
    // A step's caches are the previous step's cache_write outputs: the executor keeps their
    // trees and rehashes only the position each step writes.
    std::vector<std::optional<MerkleTree>> trees(in.size());
    Generation g;
    g.prompt = prompt;
    std::vector<std::uint32_t> seq = prompt;
    std::vector<Hash> leaves;
    const auto record = [&](const Hash& state, std::uint32_t next) {  // the step's leaf
        if (!commit_) return;
        g.states.push_back(state);
        leaves.push_back(step_leaf(state, next));
    };
    auto t0 = std::chrono::steady_clock::now();
    for (std::uint32_t pos = 0;; ++pos) {
        const auto step_start = std::chrono::steady_clock::now();
        in[0] = u32(seq[pos]);
        in[1] = u32(pos);
        RunProfile prof;
        const bool generating = pos + 1 >= seq.size();  // else the next token is the prompt's
        auto r = exec_->run(in, commit_ ? &trees : nullptr, profiles && generating ? &prof : nullptr);
        if (profiles && generating) profiles->push_back(std::move(prof));
        if (!r) return fail("step " + std::to_string(pos) + " failed: " + std::string(kernels::to_string(r.error())));
        if (on_step) on_step(pos, *r);
        for (std::size_t c = 0; c < step_->caches.size(); ++c) in[2 + c] = std::move(r->outputs[1 + c]);
        if (!generating) {
            record(r->state_root, seq[pos + 1]);
            continue;
        }
        if (pos + 1 == prompt.size()) {
            const auto now = std::chrono::steady_clock::now();
            g.prefill_ms = std::chrono::duration<double, std::milli>(now - t0).count();
            t0 = now;
        }
        for (std::uint32_t j = 0; j < vocab; ++j) row[j] = kernels::load_element(r->outputs[0], logit_dtype, j);
        std::uint32_t token = sample(row, logit_scale, o.sampling, g.tokens.size());
        if (o.alter && o.alter->first == g.tokens.size()) token = o.alter->second;
        g.tokens.push_back(token);
        if (on_token) on_token(token);
        record(r->state_root, token);
        g.decode_step_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - step_start).count());
        seq.push_back(token);
        if (std::find(o.stop.begin(), o.stop.end(), token) != o.stop.end()) {
            g.finish = "stop";
            break;
        }
        if (g.tokens.size() >= o.max_tokens) {
            g.finish = "length";
            break;
        }
        if (seq.size() >= context) {
            g.finish = "context";
            break;
        }
    }
    g.decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!commit_) return g;
    g.generation_root = merkle_root(leaves);
    g.commitment = generation_commitment(model_root_, vocab_root, prompt_hash(prompt), params_hash(o), g.generation_root);
    return g;
}

}  // namespace sigil::runtime::lm
