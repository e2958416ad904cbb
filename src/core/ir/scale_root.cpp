#include "core/ir/scale_root.hpp"

#include "core/merkle.hpp"

namespace sigil::ir {

Bytes scale_list_bytes(std::span<const QScale> list) {
    Bytes b;
    b.reserve(list.size() * 8);
    const auto put = [&b](std::int32_t v) {
        for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * k)));
    };
    for (const auto& s : list) {
        put(s.multiplier);
        put(s.shift);
    }
    return b;
}

Hash scale_list_root(std::span<const QScale> list) {
    const Bytes b = scale_list_bytes(list);
    std::vector<Hash> leaves((b.size() + 31) / 32, Hash{});
    for (std::size_t i = 0; i < b.size(); ++i) leaves[i / 32][i % 32] = b[i];
    return merkle_root(leaves);
}

}  // namespace sigil::ir
