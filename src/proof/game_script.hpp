#pragma once
/// Whole dispute games played between two Party objects, as the list of transactions each side
/// sends (ABI-encoded arguments of DisputeGame's move functions). Used to drive the contract
/// from C++-computed answers in the forge tests, and by agents that replay a game from its start.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/model_root.hpp"
#include "core/ir/program.hpp"
#include "core/trace/state.hpp"
#include "proof/game.hpp"

namespace sigil::proof {

/// One move. `args` is the ABI encoding of the move function's arguments after the game id
/// (attempt: an ElementProof the contract must refuse with NoMismatch).
struct Move {
    enum class Kind : std::uint8_t {
        bisect = 1,
        choose = 2,
        reveal = 3,
        descend = 4,
        pick = 5,
        prove_element = 6,
        prove_padding = 7,
        attempt = 8,
    };
    Kind kind = Kind::bisect;
    bool by_defender = false;
    Bytes args;
};

/// The moves of a game until one side has nothing left to play: the defender always answers;
/// the challenger stops when it cannot dispute (then it loses by timeout).
struct Script {
    std::vector<Move> moves;
    std::uint64_t k = 0;           ///< the step the bisection ended on
    bool challenger_wins = false;  ///< the last move is a winning prove_element / prove_padding
};

Script play(const Party& defender, const Party& challenger);

/// A program with its honest run and a run that lies at one element of one step.
struct Scenario {
    ir::Program program;
    ir::ModelCommitment model;
    std::vector<Bytes> honest_values;
    std::vector<Bytes> lying_values;
    std::unique_ptr<trace::ExecutionTrace> honest;
    std::unique_ptr<trace::ExecutionTrace> liar;
    std::uint64_t lie_step = 0;
    std::uint64_t lie_element = 0;
};

/// Programs for the game tests and gas measurements: `chain` is a fully_connected op followed by
/// `ops - 1` element-wise steps; `cnn` a 28x28 two-conv network (conv, relu, max_pool twice,
/// reshape, fully_connected).
ir::Program chain_program(std::uint32_t ops, std::uint64_t seed);
ir::Program cnn_program(std::uint64_t seed);

/// Runs `program` on seeded random inputs and builds a liar that changes element `element` of
/// step `step` (or random ones when 0 / out of range is not given: pass step 0 for random).
std::unique_ptr<Scenario> make_scenario(ir::Program program, std::uint64_t seed, std::uint64_t step = 0);

/// abi.encode((bytes32 modelRoot, bytes32 inputRoot, uint64 steps, bytes32 traceRoot,
///             bool defenderLies, uint64 k, bool challengerWins, (uint8 kind, bool byDefender, bytes args)[]))
/// for the game `defender` vs `challenger` of `s` (defenderLies: the liar defends).
Bytes encode_game(const Scenario& s, bool defender_lies);

}  // namespace sigil::proof
