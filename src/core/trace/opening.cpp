#include "core/trace/opening.hpp"

#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::trace {
namespace {

std::vector<ChunkProof> prove_chunks(BytesView data, const std::vector<std::uint64_t>& indices) {
    const MerkleTree tree(chunk_leaves(data));
    std::vector<ChunkProof> out;
    for (auto i : indices) out.push_back({i, chunk_at(data, i), tree.proof(i)});
    return out;
}

/// Every chunk of `o` proven under its tensor root of `leaves` leaves.
bool chunks_verify(const TensorOpening& o, std::uint64_t leaves) noexcept {
    for (const auto& c : o.chunks) {
        if (!merkle_verify(o.tensor_root, leaves, c.index, c.chunk, c.siblings)) return false;
    }
    return true;
}

std::size_t index_of(const std::vector<ir::TensorId>& ids, ir::TensorId t) {
    std::size_t k = 0;
    while (ids[k] != t) ++k;
    return k;
}

}  // namespace

TensorOpening open_step_output(const ExecutionTrace& trace, std::size_t j, std::size_t k, std::uint64_t first,
                               std::uint64_t last) {
    TensorOpening o;
    o.source = TensorSource::step;
    o.position = j;
    o.tensor_root = trace.output_root(j);
    o.outer_path = merkle_proof(state_leaves(trace.input_root(), trace.output_roots(), k), j);
    std::vector<std::uint64_t> idx;
    for (auto c = first; c < last; ++c) idx.push_back(c);
    o.chunks = prove_chunks(trace.tensor(trace.program().ops[j - 1].output), idx);
    return o;
}

TensorOpening open_operand(const ExecutionTrace& trace, const ir::ModelCommitment& model, ir::TensorId t,
                           std::size_t k, const std::vector<std::uint64_t>& chunks) {
    const auto& p = trace.program();
    TensorOpening o;
    const auto kind = p.tensors[t].kind;
    if (kind == ir::TensorKind::constant) {
        const auto ordinal = static_cast<std::size_t>(ir::constant_ordinals(p)[t]);
        o.source = TensorSource::weight;
        o.position = ordinal;
        o.tensor_root = model.weight_roots[ordinal];
        o.outer_path = merkle_proof(model.leaves, 2 + ordinal);
    } else if (kind == ir::TensorKind::input) {
        const auto pos = index_of(p.inputs, t);
        o.source = TensorSource::input;
        o.position = pos;
        o.tensor_root = trace.input_roots()[pos];
        o.inner_path = merkle_proof(trace.input_roots(), pos);
        o.outer_path = merkle_proof(state_leaves(trace.input_root(), trace.output_roots(), k - 1), 0);
    } else {
        std::size_t j = 0;
        while (p.ops[j].output != t) ++j;
        o.source = TensorSource::step;
        o.position = j + 1;
        o.tensor_root = trace.output_root(j + 1);
        o.outer_path = merkle_proof(state_leaves(trace.input_root(), trace.output_roots(), k - 1), j + 1);
    }
    o.chunks = prove_chunks(trace.tensor(t), chunks);
    return o;
}

TensorOpening open_requant(const ir::Op& op, std::uint64_t channel) {
    TensorOpening o;
    o.source = TensorSource::requant;
    o.position = 0;
    o.tensor_root = ir::scale_list_root(op.attrs.requant);
    o.chunks = prove_chunks(ir::scale_list_bytes(op.attrs.requant), {channel * 8 / kChunkSize});
    return o;
}

bool check_requant_opening(const TensorOpening& o, const ir::ScaleRoot& list) noexcept {
    if (o.source != TensorSource::requant || o.position != 0 || !o.inner_path.empty() || !o.outer_path.empty())
        return false;
    return o.tensor_root == list.root && chunks_verify(o, chunk_count(std::uint64_t{list.count} * 8));
}

bool check_opening(const TensorOpening& o, std::uint64_t byte_size, const Hash& state, std::size_t steps,
                   std::size_t input_count, const Hash& model_root, std::size_t weight_count) noexcept {
    switch (o.source) {
        case TensorSource::input: {
            if (o.position >= input_count) return false;
            if (merkle_depth(input_count) != o.inner_path.size()) return false;
            const Hash in_root = merkle_root_from_proof(o.tensor_root, o.position, o.inner_path);
            if (!merkle_verify(state, steps + 1, 0, in_root, o.outer_path)) return false;
            break;
        }
        case TensorSource::step:
            if (o.position == 0 || !o.inner_path.empty()) return false;
            if (!merkle_verify(state, steps + 1, o.position, o.tensor_root, o.outer_path)) return false;
            break;
        case TensorSource::weight:
            if (o.position >= weight_count || !o.inner_path.empty()) return false;
            if (!merkle_verify(model_root, 2 + weight_count, 2 + o.position, o.tensor_root, o.outer_path)) return false;
            break;
        default: return false;
    }
    return chunks_verify(o, chunk_count(byte_size));
}

}  // namespace sigil::trace
