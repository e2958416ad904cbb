#include "proof/one_step_vectors.hpp"

#include <memory>
#include <random>

#include "core/abi/codec.hpp"
#include "core/ir/model_root.hpp"
#include "core/kernels/op_gen.hpp"
#include "core/kernels/operand.hpp"
#include "core/kernels/program_run.hpp"
#include "proof/proof_abi.hpp"

namespace sigil::proof {
namespace {

using Rng = std::mt19937_64;

std::uint64_t draw(Rng& rng, std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

struct Run {
    ir::Program program;
    std::vector<Bytes> values;
    std::unique_ptr<trace::ExecutionTrace> trace;
    ir::ModelCommitment model;
};

std::unique_ptr<Run> make_run(ir::OpKind kind, Rng& rng) {
    auto pick = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto c = kernels::gen::random_op(kind, pick);
    auto run = std::make_unique<Run>();
    run->program = std::move(c.program);
    kernels::gen::append_clip_concat(run->program);  // steps 2 and 3 open step outputs
    run->values = kernels::run_program(run->program, c.inputs, kernels::Path::fast).value();
    run->trace = std::make_unique<trace::ExecutionTrace>(run->program, run->values);
    run->model = ir::commit_model(run->program);
    return run;
}

void flip(Hash& h, Rng& rng) {
    h[static_cast<std::size_t>(draw(rng, 0, 31))] ^= static_cast<std::uint8_t>(draw(rng, 1, 255));
}

/// Applies corruption number `which` to `c.proof` (or its roots); returns its name, or "" when it
/// does not apply to this proof.
std::string tamper(OneStepCase& c, int which, Rng& rng) {
    auto& p = c.proof;
    auto any_chunk = [&]() -> trace::ChunkProof* {
        std::vector<trace::ChunkProof*> all;
        for (auto& o : p.operands) {
            for (auto& ch : o.chunks) all.push_back(&ch);
        }
        return all.empty() ? nullptr : all[static_cast<std::size_t>(draw(rng, 0, all.size() - 1))];
    };
    auto& op = p.operands[static_cast<std::size_t>(draw(rng, 0, p.operands.size() - 1))];
    switch (which) {
        case 0: {  // one byte of the op record
            p.op_record[static_cast<std::size_t>(draw(rng, 0, p.op_record.size() - 1))] ^=
                static_cast<std::uint8_t>(draw(rng, 1, 255));
            return "op_record_byte";
        }
        case 1: {  // truncated or extended op record
            if (draw(rng, 0, 1) == 0)
                p.op_record.pop_back();
            else
                p.op_record.push_back(0);
            return "op_record_length";
        }
        case 2:
            p.step = draw(rng, 0, 1) == 0 ? 0 : p.step + 1000;
            return "step";
        case 3:
            if (p.op_path.empty()) return "";
            flip(p.op_path[0], rng);
            return "op_path";
        case 4:
            p.element += 1U << 20;
            return "element";
        case 5:
            if (draw(rng, 0, 1) == 0)
                p.operands.pop_back();
            else
                p.operands.push_back(p.operands.back());
            return "operand_count";
        case 6:
            op.position += 1;
            return "position";
        case 7:
            op.source =
                op.source == trace::TensorSource::weight ? trace::TensorSource::step : trace::TensorSource::weight;
            return "source";
        case 8: {
            auto* ch = any_chunk();
            if (ch == nullptr) return "";
            flip(ch->chunk, rng);
            return "chunk_byte";
        }
        case 9: {
            if (op.chunks.empty()) return "";
            op.chunks.erase(op.chunks.begin() + static_cast<std::ptrdiff_t>(draw(rng, 0, op.chunks.size() - 1)));
            return "chunk_dropped";
        }
        case 10:
            flip(c.state_prev, rng);
            return "state";
        case 11:
            flip(op.tensor_root, rng);
            return "tensor_root";
        case 12:
            if (op.outer_path.empty()) return "";
            op.outer_path.pop_back();
            return "outer_path_length";
        case 13: {
            auto* ch = any_chunk();
            if (ch == nullptr) return "";
            ch->index += 1;
            return "chunk_index";
        }
        case 14:  // a path where none belongs (or one too long)
            op.inner_path.push_back(Hash{});
            return "inner_path_extra";
        default:
            return "";
    }
}

void decide(OneStepCase& c) {
    const auto r = trace::recompute_element(c.model_root, c.state_prev, c.proof);
    c.recompute_code = r ? 0 : static_cast<std::uint8_t>(static_cast<int>(r.error()) + 1);
    c.value = r ? *r : 0;
    c.verify_code = verify_code(trace::verify_element(c.model_root, c.state_prev, c.proof, c.claimed));
}

}  // namespace

OneStepCase honest_case(const ir::Program& p, const std::vector<Bytes>& values, const trace::ExecutionTrace& trace,
                        const ir::ModelCommitment& model, std::size_t k, std::uint64_t e) {
    const ir::Op& op = p.ops[k - 1];
    OneStepCase c;
    c.model_root = model.root;
    c.state_prev = trace.state(k - 1);
    c.proof = trace::prove_element(trace, model, k, e);
    c.claimed = kernels::load_element(values[op.output], p.tensors[op.output].dtype, e);
    c.op_kind = static_cast<std::uint8_t>(op.kind);
    decide(c);
    return c;
}

std::vector<OneStepCase> one_step_cases(std::uint64_t seed, int programs_per_kind) {
    Rng rng(seed);
    std::vector<OneStepCase> out;
    for (int kind = 1; kind <= int{ir::kMaxOpKind}; ++kind) {
        for (int n = 0; n < programs_per_kind; ++n) {
            const auto run = make_run(static_cast<ir::OpKind>(kind), rng);
            const auto& p = run->program;
            for (std::size_t k = 1; k <= p.ops.size(); ++k) {
                const auto& out_t = p.tensors[p.ops[k - 1].output];
                const auto e = draw(rng, 0, ir::element_count(out_t.shape) - 1);
                const OneStepCase honest = honest_case(p, run->values, *run->trace, run->model, k, e);
                out.push_back(honest);
                OneStepCase wrong = honest;
                wrong.claimed = static_cast<std::int32_t>(static_cast<std::uint32_t>(honest.claimed) + 1U);
                wrong.tamper = "claimed";
                decide(wrong);
                out.push_back(wrong);
                if (k != 1) continue;
                for (int which = 0; which < 15; ++which) {
                    OneStepCase t = honest;
                    t.tamper = tamper(t, which, rng);
                    if (t.tamper.empty()) continue;
                    decide(t);
                    out.push_back(std::move(t));
                }
            }
        }
    }
    return out;
}

Bytes encode_case(const OneStepCase& c) {
    using abi::Type;
    using abi::Value;
    return abi::encode(
        {Type::tuple({Type::bytes_n(32), Type::bytes_n(32), element_proof_type(), Type::int_(32), Type::uint(8),
                      Type::uint(8), Type::int_(32), Type::uint(8)})},
        {Value::tuple({Value::bytes_n(c.model_root), Value::bytes_n(c.state_prev), element_proof_value(c.proof),
                       Value::int_(c.claimed, 32), Value::uint(c.verify_code, 8), Value::uint(c.recompute_code, 8),
                       Value::int_(c.value, 32), Value::uint(c.op_kind, 8)})});
}

}  // namespace sigil::proof
