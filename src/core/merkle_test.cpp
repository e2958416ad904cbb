#include "core/merkle.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <random>

#include "core/keccak.hpp"

namespace sigil {
namespace {

Hash leaf(unsigned i) { return keccak256(std::to_string(i)); }

std::vector<Hash> leaves(unsigned n) {
    std::vector<Hash> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(leaf(i));
    return out;
}

TEST(merkle_tree, empty_and_single) {
    EXPECT_EQ(merkle_root({}), Hash{});
    const auto one = leaves(1);
    EXPECT_EQ(merkle_root(one), one[0]);
    EXPECT_TRUE(merkle_proof(one, 0).empty());
}

TEST(merkle_tree, three_leaves_pad_with_zero) {
    const auto l = leaves(3);
    const Hash expected = keccak256_pair(keccak256_pair(l[0], l[1]), keccak256_pair(l[2], Hash{}));
    EXPECT_EQ(merkle_root(l), expected);
    EXPECT_EQ(MerkleTree(l).root(), expected);
}

TEST(merkle_tree, depth) {
    EXPECT_EQ(merkle_depth(0), 0U);
    EXPECT_EQ(merkle_depth(1), 0U);
    EXPECT_EQ(merkle_depth(2), 1U);
    EXPECT_EQ(merkle_depth(5), 3U);
    EXPECT_EQ(merkle_depth(1024), 10U);
}

TEST(merkle_tree, verify_rejects_wrong_length_index_and_leaf) {
    const auto l = leaves(5);
    const Hash root = merkle_root(l);
    auto proof = merkle_proof(l, 3);
    EXPECT_TRUE(merkle_verify(root, 5, 3, l[3], proof));
    EXPECT_FALSE(merkle_verify(root, 5, 2, l[3], proof));
    EXPECT_FALSE(merkle_verify(root, 5, 3, l[2], proof));
    EXPECT_FALSE(merkle_verify(root, 5, 5, l[3], proof));
    // An inner node passed off as a leaf with a shorter proof is refused.
    const Hash inner = keccak256_pair(l[2], l[3]);
    std::vector<Hash> short_proof(proof.begin() + 1, proof.end());
    EXPECT_EQ(merkle_root_from_proof(inner, 1, short_proof), root);
    EXPECT_FALSE(merkle_verify(root, 5, 1, inner, short_proof));
}

RC_GTEST_PROP(merkle_tree, every_proof_verifies, ()) {
    const auto n = *rc::gen::inRange<unsigned>(1, 70);
    const auto l = leaves(n);
    const MerkleTree tree(l);
    RC_ASSERT(tree.root() == merkle_root(l));
    const auto i = *rc::gen::inRange<unsigned>(0, n);
    RC_ASSERT(merkle_verify(tree.root(), n, i, l[i], tree.proof(i)));
}

}  // namespace
}  // namespace sigil

namespace sigil {
namespace {

// Updating some leaves of a kept tree gives the root of the whole new leaf list, for every leaf
// count up to 40 (padding included) and any set of changed leaves.
TEST(merkle_tree, update_rehashes_paths_to_the_root_of_the_new_leaves) {
    std::mt19937_64 rng(7);
    for (std::size_t n = 1; n <= 40; ++n) {
        std::vector<Hash> leaves(n);
        for (auto& l : leaves) l[rng() % 32] = static_cast<std::uint8_t>(rng());
        MerkleTree tree(leaves);
        for (int round = 0; round < 3; ++round) {
            std::vector<std::uint64_t> idx;
            std::vector<Hash> fresh;
            for (std::uint64_t i = 0; i < n; ++i) {
                if (rng() % 3 != 0) continue;
                idx.push_back(i);
                Hash h{};
                h[rng() % 32] = static_cast<std::uint8_t>(rng() | 1U);
                fresh.push_back(h);
                leaves[i] = h;
            }
            tree.update(idx, fresh);
            EXPECT_EQ(tree.root(), merkle_root(leaves)) << n << " leaves, round " << round;
            if (n > 1) {
                EXPECT_EQ(tree.proof(n - 1), merkle_proof(leaves, n - 1));
            }
        }
    }
}

}  // namespace
}  // namespace sigil
