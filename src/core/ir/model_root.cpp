#include "core/ir/model_root.hpp"

#include "core/ir/codec.hpp"
#include "core/ir/op_record.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::ir {
namespace {

void put_u32(Bytes& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace

Bytes encode_header(const Program& p) {
    Bytes out = {'S', 'I', 'G', 'L'};
    put_u32(out, kFormatVersion);
    put_u32(out, static_cast<std::uint32_t>(p.tensors.size()));
    for (const auto& t : p.tensors) append(out, encode_tensor_desc(t));
    put_u32(out, static_cast<std::uint32_t>(p.ops.size()));
    put_u32(out, static_cast<std::uint32_t>(p.inputs.size()));
    for (auto id : p.inputs) put_u32(out, id);
    put_u32(out, static_cast<std::uint32_t>(p.outputs.size()));
    for (auto id : p.outputs) put_u32(out, id);
    return out;
}

Hash op_leaf(const Program& p, std::size_t i) { return keccak256(encode_op_record(p, i)); }

std::vector<std::int64_t> constant_ordinals(const Program& p) {
    std::vector<std::int64_t> ord(p.tensors.size(), -1);
    std::int64_t next = 0;
    for (std::size_t i = 0; i < p.tensors.size(); ++i) {
        if (p.tensors[i].kind == TensorKind::constant) ord[i] = next++;
    }
    return ord;
}

ModelCommitment commit_model(const Program& p) {
    ModelCommitment c;
    c.header_leaf = keccak256(encode_header(p));
    for (std::size_t i = 0; i < p.ops.size(); ++i) c.op_leaves.push_back(op_leaf(p, i));
    c.op_table_root = merkle_root(c.op_leaves);
    for (const auto& t : p.tensors) {
        if (t.kind == TensorKind::constant) c.weight_roots.push_back(trace::tensor_root(t.data));
    }
    c.leaves = {c.header_leaf, c.op_table_root};
    c.leaves.insert(c.leaves.end(), c.weight_roots.begin(), c.weight_roots.end());
    c.root = merkle_root(c.leaves);
    return c;
}

Hash model_root(const Program& p) { return commit_model(p).root; }

}  // namespace sigil::ir
