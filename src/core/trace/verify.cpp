#include "core/trace/verify.hpp"

#include <set>

#include "core/ir/op_record.hpp"
#include "core/keccak.hpp"
#include "core/kernels/operand.hpp"
#include "core/kernels/reference.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::trace {
namespace {

TensorSource source_of(ir::TensorKind k) {
    switch (k) {
        case ir::TensorKind::input: return TensorSource::input;
        case ir::TensorKind::constant: return TensorSource::weight;
        case ir::TensorKind::activation: return TensorSource::step;
    }
    return TensorSource::step;
}

/// Dense buffers rebuilt from opened chunks, with a presence bit per chunk.
struct Sparse {
    Bytes data;
    std::vector<bool> present;
};

Sparse rebuild(const TensorOpening& o, std::uint64_t byte_size) {
    Sparse s;
    const auto n = chunk_count(byte_size);
    s.data.assign(static_cast<std::size_t>(n * kChunkSize), 0);
    s.present.assign(static_cast<std::size_t>(n), false);
    for (const auto& c : o.chunks) {
        std::copy(c.chunk.begin(), c.chunk.end(), s.data.begin() + static_cast<std::ptrdiff_t>(c.index * kChunkSize));
        s.present[static_cast<std::size_t>(c.index)] = true;
    }
    s.data.resize(static_cast<std::size_t>(byte_size));
    return s;
}

/// Entry `channel` of an opened requant list: slice_not_opened when its chunk is not among the
/// opened ones, bad_opening when it is not a valid scale (multiplier >= 0, shift in [-31, 31]).
Result<ir::QScale, VerifyError> read_requant_entry(const TensorOpening& o, std::uint64_t channel) {
    const std::uint64_t index = channel * 8 / kChunkSize, at = channel * 8 % kChunkSize;
    for (const auto& c : o.chunks) {
        if (c.index != index) continue;
        const BytesView bytes(c.chunk.data(), c.chunk.size());
        const ir::QScale s{kernels::load_element(bytes, ir::DType::int32, at / 4),
                           kernels::load_element(bytes, ir::DType::int32, at / 4 + 1)};
        if (s.multiplier < 0 || s.shift < -31 || s.shift > 31) return fail(VerifyError::bad_opening);
        return s;
    }
    return fail(VerifyError::slice_not_opened);
}

}  // namespace

std::string_view to_string(VerifyError e) noexcept {
    switch (e) {
        case VerifyError::bad_op_record: return "bad_op_record";
        case VerifyError::op_not_in_model: return "op_not_in_model";
        case VerifyError::bad_step: return "bad_step";
        case VerifyError::element_out_of_range: return "element_out_of_range";
        case VerifyError::operand_count: return "operand_count";
        case VerifyError::wrong_source: return "wrong_source";
        case VerifyError::bad_opening: return "bad_opening";
        case VerifyError::slice_not_opened: return "slice_not_opened";
        case VerifyError::value_mismatch: return "value_mismatch";
    }
    return "unknown";
}

std::vector<std::vector<std::uint64_t>> element_slice(const ExecutionTrace& trace, std::size_t k,
                                                      std::uint64_t element) {
    const auto& p = trace.program();
    const auto& op = p.ops[k - 1];
    std::vector<std::set<std::uint64_t>> touched(op.inputs.size());
    std::vector<kernels::Operand> ins;
    for (std::size_t i = 0; i < op.inputs.size(); ++i) {
        ins.emplace_back(p.tensors[op.inputs[i]], trace.tensor(op.inputs[i]));
        ins.back().set_recorder(&touched[i]);
    }
    (void)kernels::reference_element(op, ins, p.tensors[op.output], element);
    std::vector<std::vector<std::uint64_t>> out;
    for (const auto& s : touched) out.emplace_back(s.begin(), s.end());
    return out;
}

ElementProof prove_element(const ExecutionTrace& trace, const ir::ModelCommitment& model, std::size_t k,
                           std::uint64_t element) {
    const auto& p = trace.program();
    ElementProof proof;
    proof.step = k;
    proof.element = element;
    proof.op_record = ir::encode_op_record(p, k - 1);
    proof.op_path = merkle_proof(model.op_leaves, k - 1);
    proof.op_table_path = merkle_proof(model.leaves, 1);
    const auto slice = element_slice(trace, k, element);
    const auto& op = p.ops[k - 1];
    for (std::size_t i = 0; i < op.inputs.size(); ++i) {
        proof.operands.push_back(open_operand(trace, model, op.inputs[i], k, slice[i]));
    }
    if (op.attrs.requant.size() > ir::kInlineScales) {  // rooted in the record: open the channel's entry
        proof.operands.push_back(open_requant(op, ir::requant_channel(op.kind, p.tensors[op.output].shape, element)));
    }
    return proof;
}

Result<std::int32_t, VerifyError> recompute_element(const Hash& model_root, const Hash& state_prev,
                                                    const ElementProof& proof) {
    auto rec_r = ir::decode_op_record(proof.op_record);
    if (!rec_r) return fail(VerifyError::bad_op_record);
    const ir::OpRecord& rec = *rec_r;
    if (proof.step == 0 || proof.step > rec.step_count) return fail(VerifyError::bad_step);
    // The record is leaf k-1 of the op table, which is leaf 1 of modelRoot.
    const Hash leaf = keccak256(proof.op_record);
    if (proof.op_path.size() != merkle_depth(rec.step_count)) return fail(VerifyError::op_not_in_model);
    const Hash table_root = merkle_root_from_proof(leaf, proof.step - 1, proof.op_path);
    if (!merkle_verify(model_root, 2 + std::uint64_t{rec.weight_count}, 1, table_root, proof.op_table_path)) {
        return fail(VerifyError::op_not_in_model);
    }
    if (proof.element >= ir::element_count(rec.output.shape)) return fail(VerifyError::element_out_of_range);
    // One opening per op input, then one of the requant entry when the record roots that list.
    const std::size_t want = rec.operands.size() + (rec.requant_root ? 1 : 0);
    if (proof.operands.size() != want) return fail(VerifyError::operand_count);
    std::vector<Sparse> buffers;
    for (std::size_t i = 0; i < rec.operands.size(); ++i) {
        const auto& o = proof.operands[i];
        const auto& desc = rec.operands[i];
        if (o.source != source_of(desc.kind) || o.position != rec.locators[i]) return fail(VerifyError::wrong_source);
        if (o.source == TensorSource::step && o.position >= proof.step) return fail(VerifyError::wrong_source);
        const auto size = ir::byte_size(desc);
        if (!check_opening(o, size, state_prev, rec.step_count, rec.input_count, model_root, rec.weight_count)) {
            return fail(VerifyError::bad_opening);
        }
        buffers.push_back(rebuild(o, size));
    }
    ir::Op op = rec.op;
    if (rec.requant_root) {
        // The element's channel reads one entry: the op computes it with that entry alone.
        const auto& o = proof.operands.back();
        if (o.source != TensorSource::requant || o.position != 0) return fail(VerifyError::wrong_source);
        if (!check_requant_opening(o, *rec.requant_root)) return fail(VerifyError::bad_opening);
        const auto channel = ir::requant_channel(op.kind, rec.output.shape, proof.element);
        const auto entry = read_requant_entry(o, channel);
        if (!entry) return fail(entry.error());
        op.attrs.requant = {*entry};
    }
    std::vector<kernels::Operand> ins;
    for (std::size_t i = 0; i < rec.operands.size(); ++i) {
        ins.emplace_back(rec.operands[i], buffers[i].data);
        ins.back().set_present(&buffers[i].present);
    }
    const std::int32_t v = kernels::reference_element(op, ins, rec.output, proof.element);
    for (const auto& in : ins) {
        if (in.missing()) return fail(VerifyError::slice_not_opened);
    }
    return v;
}

Result<void, VerifyError> verify_element(const Hash& model_root, const Hash& state_prev, const ElementProof& proof,
                                         std::int32_t claimed) {
    const auto v = SIGIL_TRY(recompute_element(model_root, state_prev, proof));
    if (v != claimed) return fail(VerifyError::value_mismatch);
    return {};
}

}  // namespace sigil::trace
