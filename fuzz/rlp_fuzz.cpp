// RLP strict decoding: never crashes, and whatever decodes re-encodes to exactly the input bytes
// (so every accepted input is canonical). Integers read back re-encode the same way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/rlp.hpp"

namespace {

void check_uints(const sigil::rlp::Item& item) {
    if (item.is_list) {
        for (const auto& child : item.list) check_uints(child);
        return;
    }
    auto v = sigil::rlp::decode_uint(item);
    if (v && sigil::rlp::encode_uint(*v) != sigil::rlp::encode(item)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sigil::BytesView in(data, size);
    auto item = sigil::rlp::decode(in);
    if (!item) return 0;
    const sigil::Bytes again = sigil::rlp::encode(*item);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
    check_uints(*item);
    return 0;
}
