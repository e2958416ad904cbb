#include "proof/game.hpp"

#include "core/ir/op_record.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::proof {

Hash subtree_root(std::span<const Hash> leaves, unsigned height, std::uint64_t index) {
    const std::uint64_t width = std::uint64_t{1} << height;
    const std::uint64_t first = index * width;
    std::vector<Hash> level(static_cast<std::size_t>(width), Hash{});
    for (std::uint64_t i = 0; i < width && first + i < leaves.size(); ++i) {
        level[static_cast<std::size_t>(i)] = leaves[static_cast<std::size_t>(first + i)];
    }
    return merkle_root(level);
}

std::optional<std::uint64_t> Party::first_disagreement(std::span<const Hash> other_states) const {
    for (std::uint64_t i = 0; i < other_states.size() && i <= steps(); ++i) {
        if (state(i) != other_states[static_cast<std::size_t>(i)]) return i;
    }
    return std::nullopt;
}

std::vector<Hash> Party::leaves(std::uint64_t k) const {
    const auto& p = trace_->program();
    return trace::chunk_leaves(trace_->tensor(p.ops[static_cast<std::size_t>(k - 1)].output));
}

OutputReveal Party::reveal_output(std::uint64_t k) const {
    OutputReveal r;
    const auto kk = static_cast<std::size_t>(k);
    r.out_root = trace_->output_root(kk);
    r.state_path = merkle_proof(trace::state_leaves(trace_->input_root(), trace_->output_roots(), kk), k);
    r.op_record = ir::encode_op_record(trace_->program(), kk - 1);
    r.op_path = merkle_proof(model_->op_leaves, k - 1);
    r.op_table_path = merkle_proof(model_->leaves, 1);
    return r;
}

std::uint64_t Party::chunk_count(std::uint64_t k) const { return leaves(k).size(); }

std::pair<Hash, Hash> Party::children(std::uint64_t k, unsigned height, std::uint64_t index) const {
    const auto l = leaves(k);
    return {subtree_root(l, height - 1, index * 2), subtree_root(l, height - 1, index * 2 + 1)};
}

std::optional<bool> Party::pick(std::uint64_t k, unsigned height, std::uint64_t index, const Hash& left,
                                const Hash& right) const {
    const auto [mine_l, mine_r] = children(k, height, index);
    if (mine_l != left) return false;
    if (mine_r != right) return true;
    return std::nullopt;
}

Hash Party::chunk(std::uint64_t k, std::uint64_t index) const {
    const auto l = leaves(k);
    return index < l.size() ? l[static_cast<std::size_t>(index)] : Hash{};
}

OneStepMove Party::one_step(std::uint64_t k, std::uint64_t index, const Hash& defender_chunk) const {
    const auto& p = trace_->program();
    const auto& out = p.tensors[p.ops[static_cast<std::size_t>(k - 1)].output];
    const std::uint64_t width = ir::dtype_size(out.dtype);
    const std::uint64_t bytes = ir::byte_size(out);
    const std::uint64_t first = index * trace::kChunkSize;
    OneStepMove m;
    if (first >= bytes) {
        m.kind = defender_chunk == Hash{} ? OneStepMove::Kind::none : OneStepMove::Kind::padding;
        return m;
    }
    const BytesView mine = trace_->tensor(p.ops[static_cast<std::size_t>(k - 1)].output);
    const std::uint64_t used = std::min<std::uint64_t>(trace::kChunkSize, bytes - first);
    for (std::uint64_t off = 0; off < used; off += width) {
        const std::uint64_t e = (first + off) / width;
        const BytesView theirs(defender_chunk.data(), defender_chunk.size());
        if (kernels::load_element(theirs, out.dtype, off / width) != kernels::load_element(mine, out.dtype, e)) {
            m.kind = OneStepMove::Kind::element;
            m.proof = trace::prove_element(*trace_, *model_, static_cast<std::size_t>(k), e);
            return m;
        }
    }
    for (std::uint64_t off = used; off < trace::kChunkSize; ++off) {
        if (defender_chunk[static_cast<std::size_t>(off)] != 0) {
            m.kind = OneStepMove::Kind::padding;
            return m;
        }
    }
    m.proof = trace::prove_element(*trace_, *model_, static_cast<std::size_t>(k), first / width);
    return m;
}

}  // namespace sigil::proof
