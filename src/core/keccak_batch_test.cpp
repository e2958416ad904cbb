#include "core/keccak_batch.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <random>
#include <vector>

#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/merkle_reference.hpp"
#include "core/merkle_fold.hpp"
#include "core/trace/chunks.hpp"

namespace sigil {
namespace {

/// Every path this CPU can run; the SIMD ones are skipped (and say so) where the CPU lacks them.
std::vector<KeccakPath> paths() {
    std::vector<KeccakPath> out;
    for (auto p : {KeccakPath::scalar, KeccakPath::avx2, KeccakPath::avx512}) {
        if (keccak_path_supported(p)) out.push_back(p);
    }
    return out;
}

Bytes random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

std::vector<Hash> random_hashes(std::size_t n, std::uint32_t seed) {
    const Bytes b = random_bytes(32 * n, seed);
    std::vector<Hash> out(n);
    for (std::size_t i = 0; i < n; ++i) std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(32 * i), 32, out[i].begin());
    return out;
}

const std::vector<std::size_t> kCounts = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 64, 100, 1000};

TEST(keccak_batch, best_path_is_supported_and_named) {
    EXPECT_TRUE(keccak_path_supported(KeccakPath::scalar));
    EXPECT_TRUE(keccak_path_supported(keccak_best_path()));
    EXPECT_EQ(keccak_path_name(KeccakPath::avx512), "avx512");
    for (auto p : {KeccakPath::avx2, KeccakPath::avx512}) {
        if (!keccak_path_supported(p)) std::printf("note: this CPU has no %s; that path is not tested here\n", keccak_path_name(p).data());
    }
}

TEST(keccak_batch, single_message_matches_general_sponge) {
    for (std::uint32_t seed = 0; seed < 50; ++seed) {
        const Bytes msg = random_bytes(64, seed);
        EXPECT_EQ(keccak256_64(msg.data()), keccak256(msg)) << seed;
    }
    const Bytes zeros(64, 0);
    // cast keccak 0x00...00 (64 zero bytes) = the height-1 zero subtree root
    EXPECT_EQ(to_hex(keccak256_64(zeros.data())), "0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5");
}

TEST(keccak_batch, every_path_matches_general_sponge) {
    for (auto path : paths()) {
        for (std::size_t n : kCounts) {
            const Bytes in = random_bytes(64 * n, static_cast<std::uint32_t>(n));
            std::vector<std::uint8_t> out(32 * n + 1, 0xAB);  // one guard byte past the end
            keccak256_64_batch(in.data(), out.data(), n, path);
            for (std::size_t i = 0; i < n; ++i) {
                const Hash want = keccak256(BytesView(in).subspan(64 * i, 64));
                ASSERT_TRUE(std::equal(want.begin(), want.end(), out.begin() + static_cast<std::ptrdiff_t>(32 * i)))
                    << keccak_path_name(path) << " n=" << n << " i=" << i;
            }
            EXPECT_EQ(out.back(), 0xAB) << "wrote past the end: " << keccak_path_name(path) << " n=" << n;
        }
    }
}

TEST(keccak_batch, in_place_fold_matches_separate_output) {
    for (auto path : paths()) {
        for (std::size_t n : kCounts) {
            Bytes buf = random_bytes(64 * n, static_cast<std::uint32_t>(1000 + n));
            Bytes separate(32 * n);
            keccak256_64_batch(buf.data(), separate.data(), n, path);
            keccak256_64_batch(buf.data(), buf.data(), n, path);
            EXPECT_TRUE(std::equal(separate.begin(), separate.end(), buf.begin())) << keccak_path_name(path) << " n=" << n;
        }
    }
}

TEST(merkle_paths, every_path_matches_reference_root) {
    for (auto path : paths()) {
        for (std::size_t n : kCounts) {
            const auto leaves = random_hashes(n, static_cast<std::uint32_t>(7 * n + 1));
            EXPECT_EQ(merkle_root(leaves, path), reference::merkle_root(leaves)) << keccak_path_name(path) << " n=" << n;
        }
    }
}

TEST(merkle_paths, tree_root_and_proofs_match_reference) {
    for (std::size_t n : {1U, 2U, 3U, 9U, 33U, 100U}) {
        const auto leaves = random_hashes(n, static_cast<std::uint32_t>(n));
        const MerkleTree tree(leaves);
        ASSERT_EQ(tree.root(), reference::merkle_root(leaves)) << n;
        for (std::uint64_t i = 0; i < n; ++i) EXPECT_TRUE(merkle_verify(tree.root(), n, i, leaves[i], tree.proof(i))) << n;
    }
}

TEST(merkle_paths, zero_subtree_roots_chain) {
    EXPECT_EQ(zero_subtree_root(0), Hash{});
    for (unsigned h = 0; h < 64; ++h) EXPECT_EQ(zero_subtree_root(h + 1), reference::parent(zero_subtree_root(h), zero_subtree_root(h)));
}

TEST(tensor_root_paths, every_path_matches_reference_on_edge_lengths) {
    for (auto path : paths()) {
        for (std::size_t len : {0U, 1U, 31U, 32U, 33U, 63U, 64U, 65U, 95U, 96U, 97U, 127U, 128U, 129U, 511U, 512U, 513U,
                                1000U, 4096U, 25088U, 65537U}) {
            const Bytes data = random_bytes(len, static_cast<std::uint32_t>(len));
            EXPECT_EQ(trace::tensor_root(data, path), reference::tensor_root(data)) << keccak_path_name(path) << " len=" << len;
        }
    }
}

TEST(tensor_root_paths, batched_roots_of_many_tensors_match_one_by_one) {
    const std::vector<std::size_t> lens = {0, 1, 31, 32, 33, 64, 65, 100, 784, 1024, 1024, 10, 25088, 4096, 63, 513};
    std::vector<Bytes> data;
    for (std::size_t i = 0; i < lens.size(); ++i) data.push_back(random_bytes(lens[i], static_cast<std::uint32_t>(i + 99)));
    std::vector<BytesView> views(data.begin(), data.end());
    for (auto path : paths()) {
        const auto roots = trace::tensor_roots(views, path);
        ASSERT_EQ(roots.size(), views.size());
        for (std::size_t i = 0; i < views.size(); ++i) {
            EXPECT_EQ(roots[i], reference::tensor_root(views[i])) << keccak_path_name(path) << " tensor " << i;
        }
    }
    EXPECT_TRUE(trace::tensor_roots({}, KeccakPath::scalar).empty());
}

RC_GTEST_PROP(tensor_root_paths, batched_roots_agree_with_reference, (const std::vector<std::vector<std::uint8_t>>& data)) {
    std::vector<BytesView> views(data.begin(), data.end());
    for (auto path : paths()) {
        const auto roots = trace::tensor_roots(views, path);
        for (std::size_t i = 0; i < views.size(); ++i) RC_ASSERT(roots[i] == reference::tensor_root(views[i]));
    }
}

RC_GTEST_PROP(tensor_root_paths, all_paths_agree_with_reference, (const std::vector<std::uint8_t>& data)) {
    const Hash want = reference::tensor_root(data);
    for (auto path : paths()) RC_ASSERT(trace::tensor_root(data, path) == want);
}

RC_GTEST_PROP(merkle_paths, all_paths_agree_with_reference, ()) {
    const auto n = *rc::gen::inRange<std::size_t>(0, 300);
    const auto seed = *rc::gen::arbitrary<std::uint32_t>();
    const auto leaves = random_hashes(n, seed);
    const Hash want = reference::merkle_root(leaves);
    for (auto path : paths()) RC_ASSERT(merkle_root(leaves, path) == want);
}

}  // namespace
}  // namespace sigil
