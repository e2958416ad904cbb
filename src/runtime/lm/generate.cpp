#include "runtime/lm/generate.hpp"

#include <algorithm>
#include <chrono>

#include "core/ir/model_root.hpp"
#include "core/keccak.hpp"
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
    put_u32(b, o.pad);
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

Result<Generator, std::string> Generator::create(const ir::Program& program, unsigned threads) {
    if (program.inputs.size() != 1 || program.outputs.size() != 1)
        return fail(std::string("a language model program has one input (token ids) and one output (logits)"));
    const ir::Tensor& in = program.tensors[program.inputs[0]];
    const ir::Tensor& out = program.tensors[program.outputs[0]];
    if (in.dtype != ir::DType::int32 || in.shape.size() != 2 || in.shape[0] != 1)
        return fail(std::string("the input must be int32 token ids of shape [1, C]"));
    const std::uint32_t c = in.shape[1];
    if (out.dtype != ir::DType::int8 || out.shape.size() != 3 || out.shape[0] != 1 || out.shape[1] != c ||
        out.quant.scales.size() != 1)
        return fail("the output must be int8 logits of shape [1, " + std::to_string(c) + ", V], one scale");
    if (c < 2) return fail(std::string("the context must hold a prompt and one token (C >= 2)"));
    Generator g;
    g.program_ = &program;
    g.exec_ = std::make_unique<Executor>(program, ExecOptions{threads, std::nullopt, true});
    g.context_ = c;
    g.vocab_ = out.shape[2];
    g.model_root_ = ir::model_root(program);
    return g;
}

Result<Generation, std::string> Generator::run(const std::vector<std::uint32_t>& prompt, const GenerationOptions& o,
                                               const Hash& vocab_root) {
    if (auto bad = check(o.sampling); !bad.empty()) return fail(bad);
    if (prompt.empty() || prompt.size() >= context_)
        return fail("the prompt has " + std::to_string(prompt.size()) + " tokens; it needs 1 to " +
                    std::to_string(context_ - 1) + " (the context is " + std::to_string(context_) + ")");
    if (o.max_tokens < 1) return fail(std::string("max_tokens must be at least 1"));
    for (auto t : prompt)
        if (t >= vocab_) return fail("prompt token " + std::to_string(t) + " is outside the vocabulary of " + std::to_string(vocab_));
    if (o.pad >= vocab_) return fail("pad token " + std::to_string(o.pad) + " is outside the vocabulary");
    const ir::Tensor& out = program_->tensors[program_->outputs[0]];
    Generation g;
    g.prompt = prompt;
    std::vector<std::uint32_t> seq = prompt;
    std::vector<Hash> leaves;
    const auto t0 = std::chrono::steady_clock::now();
    while (true) {
        Bytes ids(std::size_t{context_} * 4, 0);
        for (std::size_t i = 0; i < context_; ++i) {
            const std::uint32_t t = i < seq.size() ? seq[i] : o.pad;
            for (int k = 0; k < 4; ++k) ids[i * 4 + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(t >> (8 * k));
        }
        const std::vector<Bytes> in{std::move(ids)};
        auto r = exec_->run(in);
        if (!r) return fail("run failed: " + std::string(kernels::to_string(r.error())));
        const auto* row = reinterpret_cast<const std::int8_t*>(r->outputs[0].data()) + (seq.size() - 1) * vocab_;  // NOLINT
        const std::uint32_t token = sample({row, vocab_}, out.quant.scales[0], o.sampling, g.tokens.size());
        g.tokens.push_back(token);
        g.states.push_back(r->state_root);
        leaves.push_back(step_leaf(r->state_root, token));
        seq.push_back(token);
        if (std::find(o.stop.begin(), o.stop.end(), token) != o.stop.end()) {
            g.finish = "stop";
            break;
        }
        if (g.tokens.size() >= o.max_tokens) {
            g.finish = "length";
            break;
        }
        if (seq.size() >= context_) {
            g.finish = "context";
            break;
        }
    }
    g.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    g.generation_root = merkle_root(leaves);
    g.commitment = generation_commitment(model_root_, vocab_root, prompt_hash(prompt), params_hash(o), g.generation_root);
    return g;
}

}  // namespace sigil::runtime::lm
