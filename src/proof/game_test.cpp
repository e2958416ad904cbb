#include "proof/game.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "proof/game_script.hpp"

namespace sigil::proof {
namespace {

TEST(subtree_root, matches_merkle_root_at_the_top_and_leaves_at_the_bottom) {
    std::vector<Hash> leaves(5);
    for (std::size_t i = 0; i < leaves.size(); ++i) leaves[i][0] = static_cast<std::uint8_t>(i + 1);
    EXPECT_EQ(subtree_root(leaves, 3, 0), merkle_root(leaves));
    EXPECT_EQ(subtree_root(leaves, 0, 4), leaves[4]);
    EXPECT_EQ(subtree_root(leaves, 0, 6), Hash{});
    EXPECT_EQ(subtree_root(leaves, 1, 2), keccak256_pair(leaves[4], Hash{}));
}

/// Liar defends: the honest challenger's bisection ends on the lied step, the descent on the lied
/// chunk, and its element proof verifies to a value other than the liar's.
TEST(game, honest_challenger_catches_every_lie) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        auto s = make_scenario(chain_program(static_cast<std::uint32_t>(2 + seed % 19), seed), seed);
        const Party honest(*s->honest, s->model), liar(*s->liar, s->model);
        const Script script = play(liar, honest);
        ASSERT_TRUE(script.challenger_wins) << "seed " << seed;
        EXPECT_EQ(script.k, s->lie_step);
        const auto& last = script.moves.back();
        ASSERT_EQ(last.kind, Move::Kind::prove_element);
        // At most ceil(log2 N) bisection rounds, exactly ceil(log2 chunks) descent levels, both
        // two moves each, plus the reveal and the proof.
        const auto rounds = merkle_depth(s->program.ops.size());
        const auto levels = merkle_depth(honest.chunk_count(script.k));
        std::size_t bisect_moves = 0;
        for (const auto& m : script.moves) bisect_moves += m.kind == Move::Kind::bisect ? 1 : 0;
        EXPECT_LE(bisect_moves, std::size_t{rounds});
        EXPECT_EQ(script.moves.size(), 2 * bisect_moves + 1 + 2 * std::size_t{levels} + 1);
    }
}

TEST(game, lying_challenger_finds_nothing_against_an_honest_defender) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        auto s = make_scenario(chain_program(static_cast<std::uint32_t>(2 + seed % 19), seed), seed);
        const Party honest(*s->honest, s->model), liar(*s->liar, s->model);
        const Script script = play(honest, liar);
        EXPECT_FALSE(script.challenger_wins) << "seed " << seed;
        EXPECT_EQ(script.moves.back().kind, Move::Kind::attempt);
    }
}

TEST(game, one_step_sees_padding_and_first_disagreement) {
    auto s = make_scenario(chain_program(6, 3), 3, 4);
    const Party honest(*s->honest, s->model), liar(*s->liar, s->model);
    std::vector<Hash> liar_states;
    for (std::uint64_t i = 0; i <= liar.steps(); ++i) liar_states.push_back(liar.state(i));
    EXPECT_EQ(honest.first_disagreement(liar_states), std::optional<std::uint64_t>{4});
    // The output is 32 int8 values: one full chunk, so any index past it is padding.
    Hash junk{};
    junk[0] = 1;
    EXPECT_EQ(honest.one_step(4, 1, junk).kind, OneStepMove::Kind::padding);
    EXPECT_EQ(honest.one_step(4, 1, Hash{}).kind, OneStepMove::Kind::none);
    EXPECT_EQ(honest.one_step(4, 0, honest.chunk(4, 0)).kind, OneStepMove::Kind::none);
}

void write_lines(const std::string& name, const std::vector<Bytes>& lines) {
    const auto dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / name, std::ios::trunc);
    for (const auto& l : lines) f << to_hex(l) << '\n';
    ASSERT_TRUE(f.good());
}

/// Games for contracts/test/dispute/DisputeGame.t.sol and DisputeGas.t.sol: a 16-op chain with
/// lies at 24 random (step, element) points (both roles), the 28x28 CNN with a lie at every step, and a 1024-op chain.
TEST(game, write_forge_fixtures) {
    std::vector<Bytes> chain;
    const auto chain16 = chain_program(16, 99);
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        auto s = make_scenario(chain16, 1000 + seed);
        chain.push_back(encode_game(*s, true));
        chain.push_back(encode_game(*s, false));
    }
    write_lines("game_chain16.txt", chain);
    std::vector<Bytes> cnn;
    const auto cnn_p = cnn_program(7);
    for (std::uint64_t k = 1; k <= cnn_p.ops.size(); ++k)
        cnn.push_back(encode_game(*make_scenario(cnn_p, 70 + k, k), true));
    write_lines("game_cnn.txt", cnn);
    std::vector<Bytes> deep;
    const auto chain1024 = chain_program(1024, 5);
    deep.push_back(encode_game(*make_scenario(chain1024, 51), true));
    deep.push_back(encode_game(*make_scenario(chain1024, 52, 1), true));
    write_lines("game_chain1024.txt", deep);
}

}  // namespace
}  // namespace sigil::proof
