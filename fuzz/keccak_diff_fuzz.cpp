// Differential fuzzer of the commitment hashing: every keccak path this CPU has (scalar, AVX2,
// AVX-512) against the Crypto++ sponge and the literal Merkle rule (core/merkle_reference.hpp),
// bit for bit. The input is used three ways: as 64-byte messages (batched, also folded in place),
// as a tensor (tensor_root) and as 32-byte leaves (merkle_root).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/bytes.hpp"
#include "core/keccak.hpp"
#include "core/keccak_batch.hpp"
#include "core/merkle.hpp"
#include "core/merkle_fold.hpp"
#include "core/merkle_reference.hpp"
#include "core/trace/chunks.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

std::vector<sigil::KeccakPath> paths() {
    std::vector<sigil::KeccakPath> out;
    for (auto p : {sigil::KeccakPath::scalar, sigil::KeccakPath::avx2, sigil::KeccakPath::avx512}) {
        if (sigil::keccak_path_supported(p)) out.push_back(p);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<sigil::KeccakPath> kPaths = paths();
    const sigil::BytesView in(data, size);

    // 64-byte messages.
    const std::size_t n = size / 64;
    std::vector<sigil::Hash> want(n);
    for (std::size_t i = 0; i < n; ++i) want[i] = sigil::keccak256(in.subspan(64 * i, 64));
    for (auto path : kPaths) {
        std::vector<std::uint8_t> out(32 * n);
        sigil::keccak256_64_batch(data, out.data(), n, path);
        sigil::Bytes folded(data, data + 64 * n);
        sigil::keccak256_64_batch(folded.data(), folded.data(), n, path);
        for (std::size_t i = 0; i < n; ++i) {
            const auto at = static_cast<std::ptrdiff_t>(32 * i);
            check(std::equal(want[i].begin(), want[i].end(), out.begin() + at));
            check(std::equal(want[i].begin(), want[i].end(), folded.begin() + at));
        }
    }

    // A tensor.
    const sigil::Hash tensor = sigil::reference::tensor_root(in);
    check(sigil::trace::tensor_root(in) == tensor);
    for (auto path : kPaths) check(sigil::trace::tensor_root(in, path) == tensor);

    // 32-byte leaves (the whole chunks of the input).
    std::vector<sigil::Hash> leaves(size / 32);
    for (std::size_t i = 0; i < leaves.size(); ++i) std::copy_n(data + 32 * i, 32, leaves[i].begin());
    const sigil::Hash root = sigil::reference::merkle_root(leaves);
    check(sigil::merkle_root(leaves) == root);
    for (auto path : kPaths) check(sigil::merkle_root(leaves, path) == root);
    if (!leaves.empty()) check(sigil::MerkleTree(leaves).root() == root);
    return 0;
}
