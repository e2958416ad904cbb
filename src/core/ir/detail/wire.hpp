#pragma once
/// Little-endian field codecs of the .sigil format, shared by codec.cpp and op_record.cpp.

#include <optional>

#include "core/bytes.hpp"
#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/ir/scale_root.hpp"
#include "core/result.hpp"

namespace sigil::ir::detail {


inline constexpr std::uint8_t kMagic[4] = {'S', 'I', 'G', 'L'};

/// Appends little-endian integers (STYLE.md §9).
struct Writer {
    Bytes& out;
    void u8(std::uint8_t v) { out.push_back(v); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void scale(const QScale& s) {
        i32(s.multiplier);
        i32(s.shift);
    }
};

/// Reads little-endian integers; every read is bounds-checked.
struct Reader {
    BytesView in;
    std::size_t pos = 0;
    Result<std::uint8_t, ProgramError> u8() {
        if (in.size() - pos < 1) return fail(ProgramError::truncated);
        return in[pos++];
    }
    Result<std::uint32_t, ProgramError> u32() {
        if (in.size() - pos < 4) return fail(ProgramError::truncated);
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{in[pos + i]} << (8 * i);
        pos += 4;
        return v;
    }
    Result<std::int32_t, ProgramError> i32() { return static_cast<std::int32_t>(SIGIL_TRY(u32())); }
    Result<QScale, ProgramError> scale() {
        QScale s;
        s.multiplier = SIGIL_TRY(i32());
        s.shift = SIGIL_TRY(i32());
        return s;
    }
    /// A count that must fit in the remaining bytes at `min_size` bytes per item.
    Result<std::uint32_t, ProgramError> count(std::size_t min_size, std::uint32_t limit, ProgramError too_many) {
        const auto n = SIGIL_TRY(u32());
        if (n > limit) return fail(too_many);
        if (std::uint64_t{n} * min_size > in.size() - pos) return fail(ProgramError::truncated);
        return n;
    }
};

/// How scale lists are written: in full (the .sigil file, the header leaf), or compact (op
/// records: a list of more than kInlineScales entries is written as count and its root).
enum class Lists : bool { full, compact };

void write_desc(Writer& w, const Tensor& t, Lists lists = Lists::full);
Result<Tensor, ProgramError> read_desc(Reader& r);
void write_op(Writer& w, const Op& op, Lists lists = Lists::full);
Result<Op, ProgramError> read_op(Reader& r);

/// A compact scale list: the entries when there are at most kInlineScales of them, else the
/// count and root (the entries are left empty).
struct CompactList {
    std::vector<QScale> entries;
    std::optional<ScaleRoot> root;
};
Result<CompactList, ProgramError> read_compact_list(Reader& r, ProgramError too_many);
/// A descriptor as an op record writes it; a rooted scale list leaves quant.scales empty.
Result<Tensor, ProgramError> read_compact_desc(Reader& r, std::optional<ScaleRoot>& root);
/// An op as an op record writes it; a rooted requant list leaves attrs.requant empty.
Result<Op, ProgramError> read_compact_op(Reader& r, std::optional<ScaleRoot>& root);

}  // namespace sigil::ir::detail
