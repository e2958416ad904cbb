#include "runtime/lm/decode.hpp"

#include <map>
#include <optional>

#include "core/ir/builder.hpp"

namespace sigil::runtime::lm {

namespace {

using Shape = std::vector<std::uint32_t>;
using Slot = std::pair<std::size_t, std::size_t>;  // (op index, input index)

/// What a prefill tensor holds along the sequence: nothing (weights, constants), one value per
/// position (`axis`), or attention scores (queries on `axis`, keys on `keys`).
enum class Role : std::uint8_t { none, seq, scores };
struct Info {
    Role role = Role::none;
    std::uint32_t axis = 0;
    std::uint32_t keys = 0;
    friend bool operator==(const Info&, const Info&) = default;
};

std::uint64_t prefix(const Shape& s, std::uint32_t a) {
    std::uint64_t n = 1;
    for (std::uint32_t i = 0; i < a; ++i) n *= s[i];
    return n;
}

class Deriver {
public:
    explicit Deriver(const ir::Program& p) : p_(p), info_(p.tensors.size()) {}

    Result<DecodeProgram, std::string> run() {
        SIGIL_TRY_VOID(check_io());
        for (std::size_t k = 0; k < p_.ops.size(); ++k) {
            auto out = follow(k);
            if (!out) return fail(out.error());
            info_[p_.ops[k].output] = *out;
        }
        const Info& logits = info_[p_.outputs[0]];
        if (logits.role != Role::seq || logits.axis != 1) return fail(std::string("the logits do not follow the token positions"));
        if (caches_.empty()) return fail(std::string("no attention found (no matmul reads keys or values)"));
        return build();
    }

private:
    Result<void, std::string> check_io() {
        if (p_.inputs.size() != 1 || p_.outputs.size() != 1)
            return fail(std::string("a language model program has one input (token ids) and one output (logits)"));
        const ir::Tensor& in = p_.tensors[p_.inputs[0]];
        if (in.dtype != ir::DType::int32 || in.shape.size() != 2 || in.shape[0] != 1 || in.shape[1] < 2)
            return fail(std::string("the input must be int32 token ids of shape [1, C], C >= 2"));
        context_ = in.shape[1];
        const ir::Tensor& out = p_.tensors[p_.outputs[0]];
        if (out.shape.size() != 3 || out.shape[0] != 1 || out.shape[1] != context_ || out.quant.scales.size() != 1)
            return fail("the output must be logits of shape [1, " + std::to_string(context_) + ", V] with one scale");
        info_[p_.inputs[0]] = {Role::seq, 1, 0};
        return {};
    }

    std::string at(std::size_t k, const std::string& why) const {
        return "op " + std::to_string(k) + " (" + std::string(ir::to_string(p_.ops[k].kind)) + "): " + why;
    }
    const Shape& shape(ir::TensorId t) const { return p_.tensors[t].shape; }

    /// The role of op k's output; records cache points and positional constants.
    Result<Info, std::string> follow(std::size_t k) {
        using K = ir::OpKind;
        const ir::Op& op = p_.ops[k];
        const auto in = [&](std::size_t i) -> const Info& { return info_[op.inputs[i]]; };
        const auto rank = [&](std::size_t i) { return static_cast<std::uint32_t>(shape(op.inputs[i]).size()); };
        const auto out_rank = static_cast<std::uint32_t>(shape(op.output).size());
        const auto refuse = [&](const std::string& why) { return fail(at(k, why)); };
        bool any = false;
        for (std::size_t i = 0; i < op.inputs.size(); ++i) any = any || in(i).role != Role::none;
        if (!any && op.kind != K::causal_softmax) return Info{};
        switch (op.kind) {
            case K::gather: {
                const auto g = static_cast<std::uint32_t>(op.attrs.axis);
                if (in(0).role == Role::none && in(1).role == Role::seq) return Info{Role::seq, g + in(1).axis, 0};
                if (in(0).role == Role::seq && in(1).role == Role::none) {
                    if (g == in(0).axis) return refuse("gathers along the sequence");
                    return Info{Role::seq, in(0).axis < g ? in(0).axis : in(0).axis - 1 + rank(1), 0};
                }
                return refuse("indices and data both vary along the sequence");
            }
            case K::add:
            case K::mul: return elementwise(k);
            case K::clip:
            case K::requantize:
            case K::gelu:
            case K::silu: return in(0);
            case K::softmax:
                if (in(0).role == Role::scores) return refuse("attention must be causal (causal_softmax)");
                if (in(0).axis + 1 == rank(0)) return refuse("a softmax over the sequence");
                return in(0);
            case K::layer_norm:
            case K::rms_norm:
                if (in(0).role != Role::seq || in(0).axis + 1 == rank(0)) return refuse("normalizes over the sequence");
                return in(0);
            case K::fully_connected:
                if (in(0).role != Role::seq || in(0).axis != 0) return refuse("the sequence is not the rows");
                return Info{Role::seq, 0, 0};
            case K::reshape: {
                if (in(0).role != Role::seq) return refuse("reshapes attention scores");
                const Shape& s = shape(op.inputs[0]);
                const Shape& o = shape(op.output);
                const std::uint64_t before = prefix(s, in(0).axis);
                for (std::uint32_t a = 0; a < o.size(); ++a)
                    if (o[a] == context_ && prefix(o, a) == before) return Info{Role::seq, a, 0};
                return refuse("the sequence axis does not survive the reshape");
            }
            case K::transpose: {
                Info r = in(0);
                for (std::uint32_t i = 0; i < op.attrs.perm.size(); ++i) {
                    if (op.attrs.perm[i] == in(0).axis) r.axis = i;
                    if (in(0).role == Role::scores && op.attrs.perm[i] == in(0).keys) r.keys = i;
                }
                return r;
            }
            case K::concat:
                for (std::size_t i = 0; i < op.inputs.size(); ++i)
                    if (in(i).role != Role::seq || in(i).axis != in(0).axis) return refuse("concatenates unlike values");
                if (static_cast<std::uint32_t>(op.attrs.axis) == in(0).axis) return refuse("concatenates along the sequence");
                return in(0);
            case K::matmul: {
                const Info &a = in(0), &b = in(1);
                const Info scores{Role::scores, out_rank - 2, out_rank - 1};
                if (a.role == Role::seq && a.axis == rank(0) - 2 && b.role == Role::seq && b.axis == rank(1) - 1) {
                    caches_.push_back({k, 1});  // q k^T: b holds the keys
                    return scores;
                }
                if (a.role == Role::scores && a.axis == rank(0) - 2 && a.keys == rank(0) - 1 && b.role == Role::seq &&
                    b.axis == rank(1) - 2) {
                    caches_.push_back({k, 1});  // probabilities v: b holds the values
                    return Info{Role::seq, out_rank - 2, 0};
                }
                return refuse("a matmul that is neither q k^T nor probabilities times v");
            }
            case K::causal_softmax: {
                const Info& x = in(0);
                const Shape& s = shape(op.inputs[0]);
                if (x.role != Role::scores || x.axis + 2 != rank(0) || x.keys + 1 != rank(0) || op.inputs.size() != 1 ||
                    s[x.axis] != context_ || s[x.keys] != context_)
                    return refuse("not the causal softmax of [C, C] attention scores");
                return x;
            }
            default: return refuse("has no rule along the sequence");
        }
    }

    /// add, mul: the inputs that vary must agree after broadcasting; a constant that varies along the
    /// sequence (position embeddings, rotary cos/sin) is read at the position.
    Result<Info, std::string> elementwise(std::size_t k) {
        const ir::Op& op = p_.ops[k];
        const auto r = static_cast<std::uint32_t>(shape(op.output).size());
        std::optional<Info> out;
        for (std::size_t i = 0; i < op.inputs.size(); ++i) {
            Info v = info_[op.inputs[i]];
            if (v.role == Role::none) continue;
            const auto shift = r - static_cast<std::uint32_t>(shape(op.inputs[i]).size());
            v.axis += shift;
            if (v.role == Role::scores) v.keys += shift;
            if (out && !(*out == v)) return fail(at(k, "its operands vary along different axes"));
            out = v;
        }
        for (std::size_t i = 0; i < op.inputs.size(); ++i) {
            const ir::TensorId t = op.inputs[i];
            if (info_[t].role != Role::none) continue;
            const Shape& s = shape(t);
            const auto shift = r - static_cast<std::uint32_t>(s.size());
            const auto dim = [&](std::uint32_t a) -> std::uint32_t { return a < shift ? 1 : s[a - shift]; };
            if (out->role == Role::scores && (dim(out->axis) != 1 || dim(out->keys) != 1))
                return fail(at(k, "an operand varies over queries or keys (a mask outside causal_softmax)"));
            if (out->role == Role::seq && dim(out->axis) != 1) {
                if (p_.tensors[t].kind != ir::TensorKind::constant) return fail(at(k, "an operand varies along the sequence"));
                positional_[{k, i}] = out->axis - shift;
            }
        }
        return *out;
    }

    /// The step program's shape of prefill tensor t: one query position.
    Shape step_shape(ir::TensorId t) const {
        Shape s = shape(t);
        if (info_[t].role != Role::none) s[info_[t].axis] = 1;
        return s;
    }

    Result<DecodeProgram, std::string> build() {
        ir::Builder b;
        std::vector<std::optional<ir::TensorId>> map(p_.tensors.size());
        map[p_.inputs[0]] = b.input(ir::DType::int32, {1, 1});
        const ir::TensorId pos = b.input(ir::DType::int32, {1});
        DecodeProgram d;
        std::map<Slot, std::size_t> cache_of;
        for (const Slot& c : caches_) {
            const ir::TensorId t = p_.ops[c.first].inputs[c.second];
            const ir::Tensor& desc = p_.tensors[t];
            cache_of[c] = d.caches.size();
            d.caches.push_back({b.input(desc.dtype, desc.shape, desc.quant), 0, info_[t].axis});
        }
        const auto get = [&](ir::TensorId t) -> ir::TensorId {
            if (!map[t]) map[t] = b.constant(p_.tensors[t]);  // constants are copied when first read
            return *map[t];
        };
        for (std::size_t k = 0; k < p_.ops.size(); ++k) {
            ir::Op op = p_.ops[k];
            for (std::size_t i = 0; i < op.inputs.size(); ++i) {
                const ir::TensorId t = op.inputs[i];
                const bool computed = p_.tensors[t].kind != ir::TensorKind::constant;
                if (computed && !map[t]) return fail(at(k, "reads a tensor that is not computed before it"));
                ir::TensorId id = get(t);
                if (auto it = positional_.find({k, i}); it != positional_.end()) id = b.gather(id, pos, it->second);
                if (auto it = cache_of.find({k, i}); it != cache_of.end()) {
                    CacheSlot& slot = d.caches[it->second];
                    id = b.cache_write(slot.input, pos, id, slot.axis);
                    slot.output = id;
                }
                op.inputs[i] = id;
            }
            if (op.kind == ir::OpKind::causal_softmax) op.inputs.push_back(pos);
            const ir::Tensor& out = p_.tensors[op.output];
            map[op.output] = b.add_op(op, out.dtype, out.quant, op.kind == ir::OpKind::reshape ? step_shape(op.output) : Shape{});
        }
        b.mark_output(*map[p_.outputs[0]]);
        for (const auto& c : d.caches) b.mark_output(c.output);
        auto program = std::move(b).finish();
        if (!program) return fail("the step program is invalid: " + std::string(ir::to_string(program.error())));
        d.program = std::move(*program);
        d.context = context_;
        d.vocab = shape(p_.outputs[0])[2];
        return d;
    }

    const ir::Program& p_;
    std::vector<Info> info_;
    std::uint32_t context_ = 0;
    std::vector<Slot> caches_;
    std::map<Slot, std::uint32_t> positional_;
};

}  // namespace

Result<DecodeProgram, std::string> derive_decode_program(const ir::Program& prefill) { return Deriver(prefill).run(); }

}  // namespace sigil::runtime::lm
