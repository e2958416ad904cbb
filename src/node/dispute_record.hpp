#pragma once
/// What the dispute agents store about each game and each claim the challenger looked at
/// (docs/node.md, "Disputes"). Every move is preceded by a stored intent (the game position it
/// answers), so a restarted node reconciles with getGame before it sends anything again.

#include <cstdint>
#include <optional>
#include <string>

#include "core/address.hpp"
#include "core/bytes.hpp"

namespace sigil::node {

/// Our side in a game.
enum class GameRole : std::uint8_t { defender, challenger };
std::string_view to_string(GameRole r) noexcept;

/// A game the node plays: `playing` until the chain shows it ended, then `won` or `lost`, or
/// `released` (DisputeGame.release: its defender had lost another game on the request; bonds
/// returned, no winner). The state is taken from the chain (getGame and the game's Resolved
/// log), never from a move the node sent.
enum class GameState : std::uint8_t { playing, won, lost, released };
std::string_view to_string(GameState s) noexcept;

struct GameRecord {
    std::uint64_t game_id = 0;
    Hash request_id{};
    GameRole role = GameRole::defender;
    GameState state = GameState::playing;
    std::string reason;           ///< the game's Resolved reason, or why we cannot move
    std::string intent;           ///< position (GameView::position) our last move answered
    std::optional<Hash> tx_hash;  ///< the transaction sent for `intent`
    std::uint64_t moves = 0;      ///< our transactions that landed
    std::uint64_t gas_used = 0;   ///< their total gas
};

/// A claim another operator posted, as the challenger sees it.
enum class ClaimCheck : std::uint8_t {
    pending,      ///< not looked at yet (or waiting for the job's input)
    agreed,       ///< our re-execution gives the same claim
    skipped,      ///< not checked (see reason: not_sampled, no input, model not served, window closed)
    challenging,  ///< mismatch: challenge intent stored; a transaction may be in flight
    challenged,   ///< our game on it is open (see the games table)
    failed,       ///< the chain refused the challenge
    refuting,     ///< a one-shot proof applies: its intent stored; a transaction may be in flight
    refuted,      ///< our one-shot proof refuted the claim (reason: input_mismatch, output_mismatch)
};
std::string_view to_string(ClaimCheck s) noexcept;
std::optional<ClaimCheck> claim_check_from_string(std::string_view s) noexcept;

struct ChallengeRecord {
    Hash request_id{};
    Address op{};
    ClaimCheck state = ClaimCheck::pending;
    std::string reason;
    Bytes claim_abi;  ///< the posted Claim tuple (encode_claim)
    bool revealed = false;
    std::optional<Hash> tx_hash;
    int attempts = 0;
};

}  // namespace sigil::node
