#include "runtime/lm/onchain.hpp"

#include <algorithm>
#include <cstring>

#include "core/abi/codec.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "core/trace/state.hpp"

namespace sigil::runtime::lm {
namespace {

constexpr char kMagic[8] = {'S', 'I', 'G', 'I', 'L', 'G', 'E', 'N'};

abi::Type manifest_type() {
    using abi::Type;
    return Type::tuple({Type::bytes_n(32), Type::bytes_n(32), Type::uint(32), Type::uint(32), Type::uint(64),
                        Type::uint(64), Type::uint(8), Type::int_(32), Type::int_(32), Type::array(Type::uint(64)),
                        Type::array(Type::bytes_n(32))});
}

abi::Type spec_type() {
    using abi::Type;
    return Type::tuple({Type::bytes_n(32), Type::array(Type::uint(32)), Type::uint(32), Type::array(Type::uint(32)),
                        Type::uint(32), Type::uint(32), Type::uint(32), Type::bytes_n(32)});
}

abi::Type output_type_tokens() { return abi::Type::array(abi::Type::uint(32)); }

abi::Value h32(const Hash& h) { return abi::Value::bytes_n(h); }
abi::Value u(std::uint64_t v, std::size_t bits) { return abi::Value::uint(v, bits); }

abi::Value u32_array(const std::vector<std::uint32_t>& v) {
    std::vector<abi::Value> e;
    for (auto x : v) e.push_back(u(x, 32));
    return abi::Value::array(std::move(e));
}

abi::Value hash_array(const std::vector<Hash>& v) {
    std::vector<abi::Value> e;
    for (const auto& h : v) e.push_back(h32(h));
    return abi::Value::array(std::move(e));
}

Hash as_hash(const abi::Value& v) {
    Hash h{};
    std::copy_n(v.bytes.begin(), 32, h.begin());
    return h;
}

std::uint32_t as_u32(const abi::Value& v) { return static_cast<std::uint32_t>(v.num); }

std::vector<std::uint32_t> as_u32s(const abi::Value& v) {
    std::vector<std::uint32_t> out;
    for (const auto& e : v.elems) out.push_back(as_u32(e));
    return out;
}

/// The 1-based step (op index + 1) whose op writes tensor `t`.
std::uint64_t step_writing(const ir::Program& p, ir::TensorId t) {
    for (std::size_t i = 0; i < p.ops.size(); ++i)
        if (p.ops[i].output == t) return i + 1;
    return 0;
}

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

LmManifest manifest_of(const Generator& g, const Hash& vocab_root) {
    const DecodeProgram& d = g.step_program();
    const ir::Program& p = d.program;
    const ir::Tensor& logits = p.tensors[p.outputs[0]];
    LmManifest m;
    m.step_model_root = g.step_model_root();
    m.vocab_root = vocab_root;
    m.context = d.context;
    m.vocab = d.vocab;
    m.steps = p.ops.size();
    m.logits_step = step_writing(p, p.outputs[0]);
    m.logits_width = logits.dtype == ir::DType::int8 ? 1 : 4;
    m.logits_multiplier = logits.quant.scales.at(0).multiplier;
    m.logits_shift = logits.quant.scales.at(0).shift;
    for (const CacheSlot& c : d.caches) {
        m.cache_steps.push_back(step_writing(p, c.output));
        const ir::Tensor& t = p.tensors[c.input];
        const Bytes zero(static_cast<std::size_t>(ir::byte_size(t)), static_cast<std::uint8_t>(t.quant.zero_point));
        m.initial_caches.push_back(trace::tensor_root(zero));
    }
    return m;
}

Bytes encode_manifest(const LmManifest& m) { return abi::encode({manifest_type()}, {manifest_value(m)}); }

abi::Value manifest_value(const LmManifest& m) {
    std::vector<abi::Value> steps;
    for (auto s : m.cache_steps) steps.push_back(u(s, 64));
    return abi::Value::tuple({h32(m.step_model_root), h32(m.vocab_root), u(m.context, 32), u(m.vocab, 32),
                              u(m.steps, 64), u(m.logits_step, 64), u(m.logits_width, 8),
                              abi::Value::int_(m.logits_multiplier, 32), abi::Value::int_(m.logits_shift, 32),
                              abi::Value::array(std::move(steps)), hash_array(m.initial_caches)});
}

Hash lm_root(const LmManifest& m) { return keccak256(encode_manifest(m)); }

Bytes encode_spec(const GenerationSpec& s) {
    const auto& o = s.options;
    const abi::Value v = abi::Value::tuple({h32(s.lm_root), u32_array(s.prompt), u(o.max_tokens, 32), u32_array(o.stop),
                                            u(o.sampling.temperature_milli, 32), u(o.sampling.top_k, 32),
                                            u(o.sampling.top_p_micro, 32), h32(o.sampling.seed)});
    Bytes out(kMagic, kMagic + 8);
    const Bytes body = abi::encode({spec_type()}, {v});
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

bool is_generation_input(BytesView input) { return input.size() >= 8 && std::memcmp(input.data(), kMagic, 8) == 0; }

Result<GenerationSpec, std::string> decode_spec(BytesView input) {
    if (!is_generation_input(input)) return fail(std::string("not a generation request (no \"SIGILGEN\" prefix)"));
    auto d = abi::decode({spec_type()}, input.subspan(8), abi::DecodeMode::lenient);
    if (!d)
        return fail("the generation spec is not abi.encode(GenerationSpec): " + std::string(abi::to_string(d.error())));
    const auto& f = (*d)[0].elems;
    GenerationSpec s;
    s.lm_root = as_hash(f[0]);
    s.prompt = as_u32s(f[1]);
    s.options.max_tokens = as_u32(f[2]);
    s.options.stop = as_u32s(f[3]);
    s.options.sampling.temperature_milli = as_u32(f[4]);
    s.options.sampling.top_k = as_u32(f[5]);
    s.options.sampling.top_p_micro = as_u32(f[6]);
    s.options.sampling.seed = as_hash(f[7]);
    return s;
}

std::string spec_fault(const GenerationSpec& s, const LmManifest& m, const Hash& model_root) {
    const auto& o = s.options;
    if (m.step_model_root != model_root) return "model";
    if (m.vocab_root == Hash{} || m.vocab == 0) return "vocabulary";
    if (s.prompt.empty() || s.prompt.size() >= m.context) return "prompt length";
    for (auto t : s.prompt)
        if (t >= m.vocab) return "prompt token";
    if (o.max_tokens == 0) return "max tokens";
    if (o.stop.size() > kMaxStopTokens) return "stop count";
    if (o.sampling.temperature_milli > 1'000'000) return "temperature";
    if (o.sampling.top_p_micro == 0 || o.sampling.top_p_micro > 1'000'000) return "top p";
    if (o.sampling.temperature_milli != 0 && (o.sampling.top_k == 0 || o.sampling.top_k > kMaxOnchainTopK))
        return "top k";
    return "";
}

std::string tokens_fault(const GenerationSpec& s, const LmManifest& m, const std::vector<std::uint32_t>& tokens,
                         std::uint64_t token_steps) {
    const std::uint64_t n = s.prompt.size(), count = tokens.size();
    if (count == 0) return "no tokens";
    if (token_steps != n + count - 1) return "steps";
    if (count > s.options.max_tokens || n + count > m.context) return "too long";
    for (std::size_t j = 0; j < count; ++j) {
        if (tokens[j] >= m.vocab) return "token";
        if (j + 1 < count && contains(s.options.stop, tokens[j])) return "stop inside";
    }
    if (!contains(s.options.stop, tokens.back()) && count < s.options.max_tokens && n + count < m.context)
        return "ended early";
    return "";
}

Bytes completion_output(const std::vector<std::uint32_t>& tokens, std::string_view text) {
    return abi::encode({output_type_tokens(), abi::Type::bytes()},
                       {u32_array(tokens), abi::Value::dyn_bytes(as_bytes(text))});
}

Result<std::pair<std::vector<std::uint32_t>, std::string>, std::string> decode_completion_output(BytesView output) {
    auto d = abi::decode({output_type_tokens(), abi::Type::bytes()}, output, abi::DecodeMode::lenient);
    if (!d) return fail("the output is not abi.encode(uint32[], bytes): " + std::string(abi::to_string(d.error())));
    return std::make_pair(as_u32s((*d)[0]), (*d)[1].as_string());
}

std::vector<Hash> generation_leaves(const Generation& g) {
    std::vector<std::uint32_t> seq = g.prompt;
    seq.insert(seq.end(), g.tokens.begin(), g.tokens.end());
    std::vector<Hash> leaves;
    for (std::size_t t = 0; t < g.states.size(); ++t) leaves.push_back(step_leaf(g.states[t], seq[t + 1]));
    return leaves;
}

GenerationClaim generation_claim(BytesView input, const Generation& g, std::string_view text) {
    GenerationClaim c;
    c.output = completion_output(g.tokens, text);
    c.output_root = trace::tensor_root(c.output);
    c.trace_root = g.generation_root;
    c.steps = kGenerationFlag | g.states.size();
    c.input_root = trace::tensor_root(input);
    return c;
}

Descent descend_to(const std::vector<Hash>& leaves, std::uint64_t t) {
    const unsigned depth = merkle_depth(leaves.size());
    std::vector<std::vector<Hash>> levels{leaves};
    levels[0].resize(std::size_t{1} << depth);
    while (levels.back().size() > 1) {
        const auto& below = levels.back();
        std::vector<Hash> up(below.size() / 2);
        for (std::size_t i = 0; i < up.size(); ++i) {
            Bytes pair(below[2 * i].begin(), below[2 * i].end());
            pair.insert(pair.end(), below[2 * i + 1].begin(), below[2 * i + 1].end());
            up[i] = keccak256(pair);
        }
        levels.push_back(std::move(up));
    }
    Descent d;
    for (unsigned h = depth; h > 0; --h) {  // the node at height h on the path, its children at h - 1
        const std::uint64_t child = (t >> (h - 1)) & ~std::uint64_t{1};
        d.lefts.push_back(levels[h - 1][child]);
        d.rights.push_back(levels[h - 1][child + 1]);
        d.picks.push_back(((t >> (h - 1)) & 1) != 0);
    }
    return d;
}

StepOpening open_step(const LmManifest& m, const Generation& g, std::uint64_t t, const trace::ExecutionTrace& cur,
                      const trace::ExecutionTrace* prev) {
    std::vector<std::uint32_t> seq = g.prompt;
    seq.insert(seq.end(), g.tokens.begin(), g.tokens.end());
    const std::vector<Hash> leaves = generation_leaves(g);
    StepOpening o;
    o.state = g.states.at(t);
    o.next = seq.at(t + 1);
    if (t > 0) {
        o.prev_state = g.states[t - 1];
        o.token = seq[t];
        o.prev_path = merkle_proof(leaves, t - 1);
    }
    o.inputs = cur.input_roots();
    const auto cur_leaves = trace::state_leaves(cur.input_root(), cur.output_roots(), cur.steps());
    o.input_path = merkle_proof(cur_leaves, 0);
    if (prev != nullptr) {
        const auto prev_leaves = trace::state_leaves(prev->input_root(), prev->output_roots(), prev->steps());
        for (auto s : m.cache_steps) o.cache_paths.push_back(merkle_proof(prev_leaves, s));
    } else {
        o.cache_paths.resize(m.cache_steps.size());
    }
    return o;
}

abi::Value step_opening_value(const StepOpening& o) {
    std::vector<abi::Value> paths;
    for (const auto& p : o.cache_paths) paths.push_back(hash_array(p));
    return abi::Value::tuple({h32(o.state), u(o.next, 32), h32(o.prev_state), u(o.token, 32), hash_array(o.prev_path),
                              hash_array(o.inputs), hash_array(o.input_path), abi::Value::array(std::move(paths))});
}

Bytes encode_step_opening(const StepOpening& o) {
    using abi::Type;
    const Type hashes = Type::array(Type::bytes_n(32));
    const Type t = Type::tuple({Type::bytes_n(32), Type::uint(32), Type::bytes_n(32), Type::uint(32), hashes, hashes,
                                hashes, Type::array(hashes)});
    return abi::encode({t}, {step_opening_value(o)});
}

std::pair<Hash, Hash> tree_children(const std::vector<Hash>& leaves, unsigned height, std::uint64_t index) {
    std::vector<Hash> level = leaves;
    level.resize(std::size_t{1} << merkle_depth(leaves.size()));
    for (unsigned h = 1; h < height; ++h) {
        std::vector<Hash> up(level.size() / 2);
        for (std::size_t i = 0; i < up.size(); ++i) {
            Bytes pair(level[2 * i].begin(), level[2 * i].end());
            pair.insert(pair.end(), level[2 * i + 1].begin(), level[2 * i + 1].end());
            up[i] = keccak256(pair);
        }
        level = std::move(up);
    }
    return {level.at(2 * index), level.at(2 * index + 1)};
}

LogitsOpening open_logits(const LmManifest& m, const trace::ExecutionTrace& cur) {
    LogitsOpening o;
    const ir::Program& p = cur.program();
    const BytesView row = cur.tensor(p.ops.at(m.logits_step - 1).output);
    o.row.assign(row.begin(), row.end());
    o.path = merkle_proof(trace::state_leaves(cur.input_root(), cur.output_roots(), cur.steps()), m.logits_step);
    return o;
}

Bytes greedy_witness(const LmManifest& m, BytesView row, std::uint32_t other, std::uint32_t next) {
    const std::vector<Hash> chunks = trace::chunk_leaves(row);
    const auto chunk_of = [&](std::uint32_t i) { return std::uint64_t{i} * m.logits_width / trace::kChunkSize; };
    Bytes out = abi::encode(
        {abi::Type::tuple({abi::Type::uint(32), abi::Type::bytes_n(32), abi::Type::array(abi::Type::bytes_n(32)),
                           abi::Type::bytes_n(32), abi::Type::array(abi::Type::bytes_n(32))})},
        {abi::Value::tuple({u(other, 32), h32(chunks.at(chunk_of(other))),
                            hash_array(merkle_proof(chunks, chunk_of(other))), h32(chunks.at(chunk_of(next))),
                            hash_array(merkle_proof(chunks, chunk_of(next)))})});
    if (out.size() == row.size()) out.resize(out.size() + 32, 0);
    return out;
}

}  // namespace sigil::runtime::lm
