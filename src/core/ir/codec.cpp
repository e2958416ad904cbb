#include "core/ir/codec.hpp"

#include <algorithm>

#include "core/ir/detail/wire.hpp"
#include "core/ir/validate.hpp"

namespace sigil::ir {
namespace detail {

namespace {

void write_list(Writer& w, const std::vector<QScale>& list, Lists lists) {
    w.u32(static_cast<std::uint32_t>(list.size()));
    if (lists == Lists::compact && list.size() > kInlineScales) {
        const Hash root = scale_list_root(list);
        w.out.insert(w.out.end(), root.begin(), root.end());
        return;
    }
    for (const auto& s : list) w.scale(s);
}

}  // namespace

void write_desc(Writer& w, const Tensor& t, Lists lists) {
    w.u8(static_cast<std::uint8_t>(t.dtype));
    w.u8(static_cast<std::uint8_t>(t.kind));
    w.u8(static_cast<std::uint8_t>(t.shape.size()));
    for (auto d : t.shape) w.u32(d);
    w.i32(t.quant.zero_point);
    w.u32(t.quant.axis);
    write_list(w, t.quant.scales, lists);
}

Result<CompactList, ProgramError> read_compact_list(Reader& r, ProgramError too_many) {
    CompactList l;
    const auto n = SIGIL_TRY(r.u32());
    if (n > kMaxElements) return fail(too_many);
    if (n > kInlineScales) {
        if (r.in.size() - r.pos < 32) return fail(ProgramError::truncated);
        Hash root{};
        std::copy(r.in.begin() + static_cast<std::ptrdiff_t>(r.pos),
                  r.in.begin() + static_cast<std::ptrdiff_t>(r.pos + 32), root.begin());
        r.pos += 32;
        l.root = ScaleRoot{n, root};
        return l;
    }
    if (std::uint64_t{n} * 8 > r.in.size() - r.pos) return fail(ProgramError::truncated);
    for (std::uint32_t i = 0; i < n; ++i) l.entries.push_back(SIGIL_TRY(r.scale()));
    return l;
}

namespace {

/// A descriptor up to (not including) its scale list.
Result<Tensor, ProgramError> read_desc_head(Reader& r) {
    Tensor t;
    t.dtype = static_cast<DType>(SIGIL_TRY(r.u8()));
    t.kind = static_cast<TensorKind>(SIGIL_TRY(r.u8()));
    const auto rank = SIGIL_TRY(r.u8());
    if (rank == 0 || rank > kMaxRank) return fail(ProgramError::bad_rank);
    for (std::uint8_t i = 0; i < rank; ++i) t.shape.push_back(SIGIL_TRY(r.u32()));
    t.quant.zero_point = SIGIL_TRY(r.i32());
    t.quant.axis = SIGIL_TRY(r.u32());
    return t;
}

}  // namespace

namespace {

/// A scale list written in full: count, then the entries.
Result<std::vector<QScale>, ProgramError> read_full_list(Reader& r, ProgramError too_many) {
    const auto n = SIGIL_TRY(r.count(8, static_cast<std::uint32_t>(kMaxElements), too_many));
    std::vector<QScale> list;
    list.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) list.push_back(SIGIL_TRY(r.scale()));
    return list;
}

}  // namespace

Result<Tensor, ProgramError> read_desc(Reader& r) {
    Tensor t = SIGIL_TRY(read_desc_head(r));
    t.quant.scales = SIGIL_TRY(read_full_list(r, ProgramError::bad_quant_axis));
    return t;
}

Result<Tensor, ProgramError> read_compact_desc(Reader& r, std::optional<ScaleRoot>& root) {
    Tensor t = SIGIL_TRY(read_desc_head(r));
    CompactList l = SIGIL_TRY(read_compact_list(r, ProgramError::bad_quant_axis));
    t.quant.scales = std::move(l.entries);
    root = l.root;
    return t;
}

void write_op(Writer& w, const Op& op, Lists lists) {
    w.u8(static_cast<std::uint8_t>(op.kind));
    w.u8(static_cast<std::uint8_t>(op.inputs.size()));
    for (auto id : op.inputs) w.u32(id);
    w.u32(op.output);
    const auto& a = op.attrs;
    for (auto v : a.kernel) w.u32(v);
    for (auto v : a.stride) w.u32(v);
    for (auto v : a.dilation) w.u32(v);
    for (auto v : a.pads) w.u32(v);
    w.u32(a.groups);
    w.i32(a.axis);
    w.u8(static_cast<std::uint8_t>(a.perm.size()));
    for (auto v : a.perm) w.u32(v);
    write_list(w, a.requant, lists);
    w.i32(a.act_min);
    w.i32(a.act_max);
    w.i32(a.epsilon);
}

namespace {

/// An op up to (not including) its requant list.
Result<Op, ProgramError> read_op_head(Reader& r) {
    Op op;
    const auto kind = SIGIL_TRY(r.u8());
    if (kind == 0 || kind > kMaxOpKind) return fail(ProgramError::bad_op_kind);
    op.kind = static_cast<OpKind>(kind);
    const auto n_in = SIGIL_TRY(r.u8());
    if (n_in == 0 || n_in > kMaxOpInputs) return fail(ProgramError::bad_arity);
    for (std::uint8_t i = 0; i < n_in; ++i) op.inputs.push_back(SIGIL_TRY(r.u32()));
    op.output = SIGIL_TRY(r.u32());
    auto& a = op.attrs;
    for (auto& v : a.kernel) v = SIGIL_TRY(r.u32());
    for (auto& v : a.stride) v = SIGIL_TRY(r.u32());
    for (auto& v : a.dilation) v = SIGIL_TRY(r.u32());
    for (auto& v : a.pads) v = SIGIL_TRY(r.u32());
    a.groups = SIGIL_TRY(r.u32());
    a.axis = SIGIL_TRY(r.i32());
    const auto n_perm = SIGIL_TRY(r.u8());
    if (n_perm > kMaxRank) return fail(ProgramError::bad_attribute);
    for (std::uint8_t i = 0; i < n_perm; ++i) a.perm.push_back(SIGIL_TRY(r.u32()));
    return op;
}

Result<void, ProgramError> read_op_tail(Reader& r, OpAttrs& a) {
    a.act_min = SIGIL_TRY(r.i32());
    a.act_max = SIGIL_TRY(r.i32());
    a.epsilon = SIGIL_TRY(r.i32());
    return {};
}

}  // namespace

Result<Op, ProgramError> read_op(Reader& r) {
    Op op = SIGIL_TRY(read_op_head(r));
    op.attrs.requant = SIGIL_TRY(read_full_list(r, ProgramError::bad_requant_count));
    SIGIL_TRY_VOID(read_op_tail(r, op.attrs));
    return op;
}

Result<Op, ProgramError> read_compact_op(Reader& r, std::optional<ScaleRoot>& root) {
    Op op = SIGIL_TRY(read_op_head(r));
    CompactList l = SIGIL_TRY(read_compact_list(r, ProgramError::bad_requant_count));
    op.attrs.requant = std::move(l.entries);
    root = l.root;
    SIGIL_TRY_VOID(read_op_tail(r, op.attrs));
    return op;
}

}  // namespace detail

namespace {

using namespace detail;  // NOLINT

Result<std::vector<TensorId>, ProgramError> read_ids(Reader& r, ProgramError too_many) {
    const auto n = SIGIL_TRY(r.count(4, kMaxTensors, too_many));
    std::vector<TensorId> ids;
    ids.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) ids.push_back(SIGIL_TRY(r.u32()));
    return ids;
}

void write_ids(Writer& w, const std::vector<TensorId>& ids) {
    w.u32(static_cast<std::uint32_t>(ids.size()));
    for (auto id : ids) w.u32(id);
}

Result<Program, ProgramError> read_program(Reader& r) {
    for (auto m : kMagic) {
        if (SIGIL_TRY(r.u8()) != m) return fail(ProgramError::bad_magic);
    }
    if (SIGIL_TRY(r.u32()) != kFormatVersion) return fail(ProgramError::unsupported_version);
    Program p;
    const auto n_t = SIGIL_TRY(r.count(3 + 4 + 12, kMaxTensors, ProgramError::too_many_tensors));
    p.tensors.reserve(n_t);
    for (std::uint32_t i = 0; i < n_t; ++i) {
        auto t = SIGIL_TRY(read_desc(r));
        if (t.kind != TensorKind::constant) SIGIL_TRY_VOID(validate_tensor(t));
        p.tensors.push_back(std::move(t));
    }
    const auto n_ops = SIGIL_TRY(r.count(2 + 4 + 4, kMaxOps, ProgramError::too_many_ops));
    p.ops.reserve(n_ops);
    for (std::uint32_t i = 0; i < n_ops; ++i) p.ops.push_back(SIGIL_TRY(read_op(r)));
    p.inputs = SIGIL_TRY(read_ids(r, ProgramError::bad_input_list));
    p.outputs = SIGIL_TRY(read_ids(r, ProgramError::bad_output_list));
    for (auto& t : p.tensors) {
        if (t.kind != TensorKind::constant) continue;
        // Check the shape before trusting its byte size.
        Tensor shape_only = t;
        shape_only.kind = TensorKind::input;
        SIGIL_TRY_VOID(validate_tensor(shape_only));
        const auto size = byte_size(t);
        if (size > r.in.size() - r.pos) return fail(ProgramError::truncated);
        const auto begin = r.in.begin() + static_cast<std::ptrdiff_t>(r.pos);
        t.data.assign(begin, begin + static_cast<std::ptrdiff_t>(size));
        r.pos += static_cast<std::size_t>(size);
    }
    if (r.pos != r.in.size()) return fail(ProgramError::trailing_bytes);
    SIGIL_TRY_VOID(validate(p));
    return p;
}

}  // namespace

Bytes encode_tensor_desc(const Tensor& t) {
    Bytes out;
    Writer w{out};
    write_desc(w, t);
    return out;
}

Bytes encode_op(const Op& op) {
    Bytes out;
    Writer w{out};
    write_op(w, op);
    return out;
}

Bytes save_program(const Program& p) {
    Bytes out;
    Writer w{out};
    for (auto m : kMagic) w.u8(m);
    w.u32(kFormatVersion);
    w.u32(static_cast<std::uint32_t>(p.tensors.size()));
    for (const auto& t : p.tensors) write_desc(w, t);
    w.u32(static_cast<std::uint32_t>(p.ops.size()));
    for (const auto& op : p.ops) write_op(w, op);
    write_ids(w, p.inputs);
    write_ids(w, p.outputs);
    for (const auto& t : p.tensors) {
        if (t.kind == TensorKind::constant) out.insert(out.end(), t.data.begin(), t.data.end());
    }
    return out;
}

Result<Program, ProgramError> load_program(BytesView bytes) {
    Reader r{bytes};
    return read_program(r);
}

}  // namespace sigil::ir
