#include "node/dispute_abi.hpp"

#include "bindings/coordinator.hpp"
#include "bindings/dispute_game.hpp"
#include "bindings/game_lib.hpp"
#include "bindings/offchain_claims.hpp"
#include "bindings/operator_registry.hpp"
#include "core/abi/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"
#include "proof/proof_abi.hpp"

namespace sigil::node {

namespace {

using detail::must_fn;
using detail::must_type;

abi::Value b32(const Hash& h) { return abi::Value::bytes_n(BytesView(h.data(), h.size())); }
abi::Value gid(std::uint64_t g) { return abi::Value::uint(g); }

Hash word(const abi::Value& v) {
    Hash h{};
    if (v.bytes.size() == 32) std::copy(v.bytes.begin(), v.bytes.end(), h.begin());
    return h;
}

std::uint64_t u64(const abi::Value& v) { return static_cast<std::uint64_t>(v.num); }

}  // namespace

std::string_view to_string(GamePhase p) noexcept {
    switch (p) {
        case GamePhase::none:
            return "none";
        case GamePhase::bisect:
            return "bisect";
        case GamePhase::reveal:
            return "reveal";
        case GamePhase::descend:
            return "descend";
        case GamePhase::one_step:
            return "one_step";
        case GamePhase::done:
            return "done";
        case GamePhase::step_reveal:
            return "step_reveal";
        case GamePhase::step_dispute:
            return "step_dispute";
    }
    return "unknown";
}

std::string GameView::position() const {
    return std::string(to_string(phase)) + ":" + std::to_string(lo) + ":" + std::to_string(hi) + ":" +
           std::to_string(height) + ":" + std::to_string(index) + ":" + (defender_turn ? "d" : "c");
}

Bytes get_game_call(std::uint64_t game_id) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::getGame.signature);
    return abi::encode_call(f, {gid(game_id)});
}

std::optional<GameView> decode_game_view(BytesView ret) {
    namespace F = bindings::dispute_game::field::Game;
    static const abi::Type t = must_type(bindings::dispute_game::type::Game);
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    GameView g;
    g.request_id = word(e[F::requestId]);
    g.defender = e[F::defender].as_address();
    g.challenger = e[F::challenger].as_address();
    g.model_root = word(e[F::modelRoot]);
    g.steps = u64(e[F::steps]);
    g.lo = u64(e[F::lo]);
    g.hi = u64(e[F::hi]);
    g.deadline = u64(e[F::deadline]);
    g.lo_state = word(e[F::loState]);
    g.hi_state = word(e[F::hiState]);
    g.pending = word(e[F::pending]);
    g.node = word(e[F::node]);
    g.index = u64(e[F::index]);
    g.height = u64(e[F::height]);
    g.chunk_count = u64(e[F::chunkCount]);
    g.output_bytes = u64(e[F::outputBytes]);
    g.width = static_cast<std::uint8_t>(e[F::width].num);
    const auto phase = static_cast<std::uint8_t>(e[F::phase].num);
    if (phase > static_cast<std::uint8_t>(GamePhase::step_dispute)) return std::nullopt;
    g.phase = static_cast<GamePhase>(phase);
    g.defender_turn = e[F::defenderTurn].num != 0;
    g.defender_won = e[F::defenderWon].num != 0;
    g.conflict = e[F::conflict].num != 0;
    g.left = word(e[F::left]);
    g.right = word(e[F::right]);
    return g;
}

Bytes game_count_call() {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::gameCount.signature);
    return abi::encode_call(f, {});
}

Bytes bond_call() {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::bond.signature);
    return abi::encode_call(f, {});
}

Bytes offchain_claims_call() {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::offchainClaims.signature);
    return abi::encode_call(f, {});
}

Bytes bond_token_call() {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::bondToken.signature);
    return abi::encode_call(f, {});
}

std::optional<u256> decode_uint(BytesView ret) {
    if (ret.size() != 32) return std::nullopt;
    auto v = abi::decode({abi::Type::uint(256)}, ret);
    if (!v) return std::nullopt;
    return (*v)[0].num;
}

Bytes challenge_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::challenge.signature);
    return abi::encode_call(f, {b32(id), job, claim_value(claim), abi::Value::address(op)});
}

Bytes bisect_call(std::uint64_t game, const Hash& mid_state) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::bisect.signature);
    return abi::encode_call(f, {gid(game), b32(mid_state)});
}

Bytes choose_call(std::uint64_t game, bool agree) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::choose.signature);
    return abi::encode_call(f, {gid(game), abi::Value::boolean(agree)});
}

Bytes reveal_output_call(std::uint64_t game, const proof::OutputReveal& rv) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::revealOutput.signature);
    return abi::encode_call(f, {gid(game), proof::output_reveal_value(rv)});
}

Bytes descend_call(std::uint64_t game, const Hash& left, const Hash& right) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::descend.signature);
    return abi::encode_call(f, {gid(game), b32(left), b32(right)});
}

Bytes pick_call(std::uint64_t game, bool right) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::pick.signature);
    return abi::encode_call(f, {gid(game), abi::Value::boolean(right)});
}

Bytes prove_element_call(std::uint64_t game, const abi::Value& job, const trace::ElementProof& p) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::proveElement.signature);
    return abi::encode_call(f, {gid(game), job, proof::element_proof_value(p)});
}

Bytes prove_padding_call(std::uint64_t game, const abi::Value& job) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::provePadding.signature);
    return abi::encode_call(f, {gid(game), job});
}

Bytes timeout_call(std::uint64_t game, const abi::Value& job) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::timeout.signature);
    return abi::encode_call(f, {gid(game), job});
}

Bytes release_call(std::uint64_t game) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::release.signature);
    return abi::encode_call(f, {gid(game)});
}

Bytes lost_call(const Hash& id, const Address& op) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::lost.signature);
    return abi::encode_call(f, {b32(id), abi::Value::address(op)});
}

Bytes challenge_conflict_call(const Hash& id, const abi::Value& job, const Claim& theirs, const Address& op,
                              const Claim& mine) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::challengeConflict.signature);
    return abi::encode_call(f, {b32(id), job, claim_value(theirs), abi::Value::address(op), claim_value(mine)});
}

Bytes resolve_call(std::uint64_t game, const abi::Value& job, const Claim& winner_claim) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::resolve.signature);
    return abi::encode_call(f, {gid(game), job, claim_value(winner_claim)});
}

Bytes resolve_uncontested_call(const Hash& id, const abi::Value& job, const Claim& claim) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::resolveUncontested.signature);
    return abi::encode_call(f, {b32(id), job, claim_value(claim)});
}

Bytes prove_input_mismatch_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op,
                                BytesView input) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::proveInputMismatch.signature);
    return abi::encode_call(f,
                            {b32(id), job, claim_value(claim), abi::Value::address(op), abi::Value::dyn_bytes(input)});
}

Bytes prove_output_mismatch_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::proveOutputMismatch.signature);
    return abi::encode_call(f, {b32(id), job, claim_value(claim), abi::Value::address(op)});
}

Bytes prove_shape_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op,
                       const proof::OutputReveal& last) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::proveShape.signature);
    auto hashes = [](const std::vector<Hash>& v) {
        std::vector<abi::Value> out;
        out.reserve(v.size());
        for (const auto& h : v) out.push_back(b32(h));
        return abi::Value::array(std::move(out));
    };
    return abi::encode_call(f, {b32(id), job, claim_value(claim), abi::Value::address(op),
                                abi::Value::dyn_bytes(last.op_record), hashes(last.op_path),
                                hashes(last.op_table_path)});
}

Bytes prove_final_output_call(std::uint64_t game, const abi::Value& job, const Claim& claim) {
    static const abi::Function f =
        must_fn(bindings::dispute_game::fn::proveFinalOutput.signature);
    return abi::encode_call(f, {gid(game), job, claim_value(claim)});
}

Bytes refuted_by_call(const Hash& id) {
    static const abi::Function f = must_fn(bindings::dispute_game::fn::refutedBy.signature);
    return abi::encode_call(f, {b32(id)});
}

Bytes approve_call(const Address& spender, const u256& amount) {
    static const abi::Function f = must_fn("approve(address,uint256)");
    return abi::encode_call(f, {abi::Value::address(spender), abi::Value::uint(amount)});
}

Bytes balance_of_call(const Address& account) {
    static const abi::Function f = must_fn("balanceOf(address)");
    return abi::encode_call(f, {abi::Value::address(account)});
}

const Hash& delivered_topic() {
    static const Hash h = bindings::topic(bindings::coordinator::event::Delivered);
    return h;
}

const Hash& revealed_topic() {
    static const Hash h = bindings::topic(bindings::coordinator::event::Revealed);
    return h;
}

namespace {

Claim claim_from(const abi::Value& v) {
    namespace F = bindings::coordinator::field::Claim;
    const auto& c = v.elems;
    Claim out;
    out.output = c[F::output].bytes;
    out.output_root = word(c[F::outputRoot]);
    out.trace_root = word(c[F::traceRoot]);
    out.steps = u64(c[F::steps]);
    out.input_root = word(c[F::inputRoot]);
    return out;
}

}  // namespace

std::optional<ClaimPosted> decode_claim_posted(const chain::Log& log) {
    if (log.topics.size() != 3) return std::nullopt;
    const bool revealed = log.topics[0] == revealed_topic();
    if (!revealed && log.topics[0] != delivered_topic()) return std::nullopt;
    // Delivered and Revealed carry the same parameters.
    namespace A = bindings::coordinator::arg::Delivered;
    static_assert(A::claim == bindings::coordinator::arg::Revealed::claim &&
                  A::claimHash == bindings::coordinator::arg::Revealed::claimHash);
    auto v = bindings::decode_event(revealed ? bindings::coordinator::event::Revealed
                                             : bindings::coordinator::event::Delivered,
                                    log.topics, log.data);
    if (!v) return std::nullopt;
    ClaimPosted p;
    p.id = log.topics[1];
    p.op = (*v)[A::operator_].as_address();
    p.claim_hash = word((*v)[A::claimHash]);
    p.claim = claim_from((*v)[A::claim]);
    p.revealed = revealed;
    return p;
}

const Hash& claim_adopted_topic() {
    static const Hash h = bindings::topic(bindings::offchain_claims::event::ClaimAdopted);
    return h;
}

std::optional<ClaimAdopted> decode_claim_adopted(const chain::Log& log) {
    namespace A = bindings::offchain_claims::arg::ClaimAdopted;
    auto v = bindings::decode_event(bindings::offchain_claims::event::ClaimAdopted, log.topics, log.data);
    if (!v) return std::nullopt;
    auto req = requested_event(log.topics[1], (*v)[A::job], (*v)[A::input].bytes, "");
    if (!req) return std::nullopt;
    ClaimAdopted a;
    a.request = std::move(*req);
    a.posted.id = log.topics[1];
    a.posted.op = (*v)[A::operator_].as_address();
    a.posted.claim = claim_from((*v)[A::claim]);
    a.posted.claim_hash = hash_claim(a.posted.claim);
    a.digest = word((*v)[A::digest]);
    // The adopted job is assigned to the signer (OffchainClaims): anything else is not its log.
    if (a.request.assigned != a.posted.op || a.request.k != 1) return std::nullopt;
    return a;
}

const Hash& resolved_topic() {
    static const Hash h = bindings::topic(bindings::dispute_game::event::Resolved);
    return h;
}

std::optional<GameResolved> decode_resolved(const chain::Log& log) {
    namespace A = bindings::dispute_game::arg::Resolved;
    auto v = bindings::decode_event(bindings::dispute_game::event::Resolved, log.topics, log.data);
    if (!v) return std::nullopt;
    GameResolved r;
    r.game_id = u64((*v)[A::gameId]);
    r.defender_won = (*v)[A::defenderWon].num != 0;
    r.reason = (*v)[A::reason].as_string();
    return r;
}

const Hash& claim_refuted_topic() {
    static const Hash h = bindings::topic(bindings::dispute_game::event::ClaimRefuted);
    return h;
}

std::optional<ClaimRefuted> decode_claim_refuted(const chain::Log& log) {
    namespace A = bindings::dispute_game::arg::ClaimRefuted;
    auto v = bindings::decode_event(bindings::dispute_game::event::ClaimRefuted, log.topics, log.data);
    if (!v) return std::nullopt;
    ClaimRefuted r;
    r.request_id = word((*v)[A::requestId]);
    r.op = (*v)[A::operator_].as_address();
    r.prover = (*v)[A::prover].as_address();
    r.reason = (*v)[A::reason].as_string();
    return r;
}

Bytes encode_claim(const Claim& c) { return abi::encode({claim_type()}, {claim_value(c)}); }

std::optional<Claim> decode_claim(BytesView b) {
    auto v = abi::decode({claim_type()}, b);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    return Claim{e[0].bytes, word(e[1]), word(e[2]), u64(e[3]), word(e[4])};
}

std::string dispute_revert_name(BytesView data) {
    // DisputeGame's errors (with the checks it runs in GameLib and OffchainClaims), then the
    // Coordinator's and the OperatorRegistry's that its proof-market hooks pass on.
    return bindings::revert_name(data, {bindings::dispute_game::kErrors, bindings::game_lib::kErrors,
                                        bindings::offchain_claims::kErrors, bindings::coordinator::kErrors,
                                        bindings::operator_registry::kErrors});
}

}  // namespace sigil::node
