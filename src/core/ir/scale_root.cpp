#include "core/ir/scale_root.hpp"

#include "core/ir/detail/wire.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::ir {

Bytes scale_list_bytes(std::span<const QScale> list) {
    Bytes b;
    b.reserve(list.size() * 8);
    detail::Writer w{b};
    for (const auto& s : list) w.scale(s);
    return b;
}

Hash scale_list_root(std::span<const QScale> list) { return trace::tensor_root(scale_list_bytes(list)); }

}  // namespace sigil::ir
