// The bounty verifier's pure parts and storage: ProofMarket's ABI (golden vectors from Foundry's
// `cast` 1.x: `cast sig`, `cast sig-event`, `cast calldata`, `cast abi-encode`), the decision for
// one bounty in every ProofMarket state, and the bounties table.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/keccak.hpp"
#include "node/bounty_agent.hpp"
#include "node/market_abi.hpp"
#include "node/store.hpp"

namespace sigil::node {
namespace {

Address addr_of(std::uint8_t last) {
    Address a{};
    a[19] = last;
    return a;
}

std::string sel(const Bytes& call) { return to_hex(BytesView(call.data(), 4)); }

const Hash kId = keccak256(as_bytes("bounty request"));

TEST(market_abi, selectors_match_cast) {
    EXPECT_EQ(sel(get_bounty_call(kId)), "0x2417395c");
    EXPECT_EQ(sel(arm_call(kId)), "0xf6864054");
    EXPECT_EQ(sel(draw_call(kId)), "0x629374ab");
    EXPECT_EQ(sel(attest_call(kId)), "0x23c3617f");
    EXPECT_EQ(sel(resolve_bounty_call(kId)), "0x5c23bdf5");
    EXPECT_EQ(sel(withdraw_credit_call(addr_of(1))), "0x51cff8d9");
    EXPECT_EQ(sel(get_verifier_call(addr_of(1))), "0x059ce95d");
    EXPECT_EQ(sel(min_bond_call()), "0x831518b7");
    EXPECT_EQ(sel(refuted_by_call(kId)), "0x2b9b9513");
    EXPECT_EQ(to_hex(bounty_posted_topic()), "0x4f886124b6e7c8529495c580d7631b8eb50a12ad4698a075ab2cb62551043f0f");
    EXPECT_EQ(to_hex(bounty_drawn_topic()), "0x4fd918064684cc9032e9a4d1a6756528489629ab8d1e595c9f1499644a10c962");
    EXPECT_EQ(to_hex(bounty_closed_topic()), "0xc23df933ac785ec651b484720552f12208b38a660c23a8d9f13ad2a4f2c04fbf");
}

TEST(market_abi, calls_match_cast_calldata) {
    // cast calldata "register(uint96)" 5000000000000000000
    EXPECT_EQ(to_hex(register_verifier_call(u256(5'000'000'000'000'000'000ull))),
              "0x1e3745ae0000000000000000000000000000000000000000000000004563918244f40000");
    // cast calldata "credits(address,address)" 0x..a1 0x..b2
    EXPECT_EQ(to_hex(credits_call(addr_of(0xa1), addr_of(0xb2))),
              "0x637cd7f000000000000000000000000000000000000000000000000000000000000000a1"
              "00000000000000000000000000000000000000000000000000000000000000b2");
}

TEST(market_abi, bounty_view_decodes_cast_encoding) {
    // cast abi-encode "f((address,uint96,address,uint64,uint32,address,uint64,uint32,uint8,bool,bytes32))"
    //   "(0x..c1,7,0x..d2,1000000000000000000,600,0x..e3,1234,99999,3,true,0x11..11)"
    const auto raw = from_hex(
        "0x00000000000000000000000000000000000000000000000000000000000000c1"
        "0000000000000000000000000000000000000000000000000000000000000007"
        "00000000000000000000000000000000000000000000000000000000000000d2"
        "0000000000000000000000000000000000000000000000000de0b6b3a7640000"
        "0000000000000000000000000000000000000000000000000000000000000258"
        "00000000000000000000000000000000000000000000000000000000000000e3"
        "00000000000000000000000000000000000000000000000000000000000004d2"
        "000000000000000000000000000000000000000000000000000000000001869f"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "1111111111111111111111111111111111111111111111111111111111111111");
    ASSERT_TRUE(raw.has_value());
    const auto b = decode_bounty_view(*raw);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->consumer, addr_of(0xc1));
    EXPECT_EQ(b->fee, u256(7));
    EXPECT_EQ(b->token, addr_of(0xd2));
    EXPECT_EQ(b->p_wad, 1'000'000'000'000'000'000ull);
    EXPECT_EQ(b->verify_window, 600u);
    EXPECT_EQ(b->verifier, addr_of(0xe3));
    EXPECT_EQ(b->arm_block, 1234u);
    EXPECT_EQ(b->draw_block(), 1234u + 96u);
    EXPECT_EQ(b->deadline, 99999u);
    EXPECT_EQ(b->phase, BountyPhase::assigned);
    EXPECT_TRUE(b->selected);
    EXPECT_EQ(b->claim_hash[0], 0x11);
    // A state past Closed is not a ProofMarket bounty; a short return is refused.
    Bytes bad = *raw;
    bad[8 * 32 + 31] = 6;
    EXPECT_FALSE(decode_bounty_view(bad).has_value());
    EXPECT_FALSE(decode_bounty_view(BytesView(raw->data(), 64)).has_value());
}

TEST(market_abi, bounty_posted_log_decodes_cast_encoding) {
    chain::Log log;
    log.topics = {bounty_posted_topic(), kId, to_be32(u256(0xc1))};
    // cast abi-encode "f(address,uint96,uint64,uint32)" 0x..b2 250000000000000 1000000000000000000 600
    log.data = *from_hex(
        "0x00000000000000000000000000000000000000000000000000000000000000b2"
        "0000000000000000000000000000000000000000000000000000e35fa931a000"
        "0000000000000000000000000000000000000000000000000de0b6b3a7640000"
        "0000000000000000000000000000000000000000000000000000000000000258");
    const auto p = decode_bounty_posted(log);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->id, kId);
    EXPECT_EQ(p->consumer, addr_of(0xc1));
    EXPECT_EQ(p->token, addr_of(0xb2));
    EXPECT_EQ(p->fee, u256(250'000'000'000'000ull));
    EXPECT_EQ(p->p_wad, 1'000'000'000'000'000'000ull);
    EXPECT_EQ(p->verify_window, 600u);
    log.topics[0] = bounty_drawn_topic();  // another event is not a BountyPosted
    EXPECT_FALSE(decode_bounty_posted(log).has_value());
}

TEST(market_abi, revert_names) {
    // cast sig "WrongState(uint8)" / "DrawTooEarly(uint64)"
    EXPECT_EQ(
        market_revert_name(*from_hex("0xe37d4aeb0000000000000000000000000000000000000000000000000000000000000002")),
        "WrongState");
    EXPECT_EQ(market_revert_name(*from_hex("0x61f3f728")), "DrawTooEarly");
    EXPECT_EQ(market_revert_name(*from_hex("0xdeadbeef")), "0xdeadbeef");
    EXPECT_EQ(market_revert_name({}), "empty");
}

// ------------------------------------------------------------------------------------ decisions

const Address kSelf = addr_of(0x5e);
const Address kOther = addr_of(0x07);

BountyFacts facts(BountyPhase phase) {
    BountyFacts f;
    f.self = kSelf;
    f.bounty.phase = phase;
    f.bounty.arm_block = 100;
    f.bounty.deadline = 5000;
    f.head = 150;
    f.chain_time = 1000;
    f.can_act = true;
    f.request.status = RequestStatus::answered;
    f.request.final_at = 6000;  // the verifier's deadline is never past finalAt
    return f;
}

BountyAction action(const BountyFacts& f) { return decide_bounty(f).action; }

TEST(bounty_decide, a_pending_transaction_is_waited_for_in_every_state) {
    for (auto p : {BountyPhase::none, BountyPhase::posted, BountyPhase::armed, BountyPhase::assigned,
                   BountyPhase::attested, BountyPhase::closed}) {
        auto f = facts(p);
        f.pending = true;
        f.bounty.verifier = kSelf;
        EXPECT_EQ(action(f), BountyAction::wait) << to_string(p);
    }
}

TEST(bounty_decide, posted_is_armed_once_answered_and_only_when_we_could_verify) {
    auto f = facts(BountyPhase::posted);
    EXPECT_EQ(action(f), BountyAction::arm);
    f.request.status = RequestStatus::disputed;
    EXPECT_EQ(action(f), BountyAction::arm);
    f.request.status = RequestStatus::open;
    EXPECT_EQ(action(f), BountyAction::none);
    f.request.status = RequestStatus::answered;
    f.chain_time = f.request.final_at;  // the window is over: arm would revert NotAnswered
    EXPECT_EQ(decide_bounty(f).action, BountyAction::skip);
    EXPECT_EQ(decide_bounty(f).reason, "request_closed");
    f = facts(BountyPhase::posted);
    f.request.status = RequestStatus::refuted;
    EXPECT_EQ(action(f), BountyAction::skip);
    f = facts(BountyPhase::posted);
    f.can_act = false;
    EXPECT_EQ(decide_bounty(f).reason, "cannot_verify");
}

TEST(bounty_decide, armed_is_drawn_only_after_the_draw_block) {
    auto f = facts(BountyPhase::armed);
    f.head = f.bounty.draw_block();  // draw() needs block.number > drawBlock
    EXPECT_EQ(action(f), BountyAction::none);
    f.head = f.bounty.draw_block() + 1;
    EXPECT_EQ(action(f), BountyAction::draw);
    f.can_act = false;
    EXPECT_EQ(action(f), BountyAction::skip);
}

TEST(bounty_decide, assigned_to_us_is_verified_within_the_window) {
    auto f = facts(BountyPhase::assigned);
    f.bounty.verifier = kSelf;
    EXPECT_EQ(action(f), BountyAction::verify);
    f.chain_time = f.bounty.deadline;  // attest accepts block.timestamp <= deadline
    EXPECT_EQ(action(f), BountyAction::verify);
    f.chain_time = f.bounty.deadline + 1;
    EXPECT_EQ(decide_bounty(f).reason, "window_missed");
    f = facts(BountyPhase::assigned);
    f.bounty.verifier = kOther;
    EXPECT_EQ(decide_bounty(f).action, BountyAction::skip);
    EXPECT_EQ(decide_bounty(f).reason, "drawn_for_other");
}

TEST(bounty_decide, a_disputed_bounty_is_resolved_only_when_our_game_refuted_the_claim) {
    auto f = facts(BountyPhase::assigned);
    f.bounty.verifier = kSelf;
    f.disputing = true;
    EXPECT_EQ(action(f), BountyAction::none);  // the game is being played
    f.chain_time = f.bounty.deadline + 10;     // past the window: disputing is enough (disputedBy)
    EXPECT_EQ(action(f), BountyAction::none);
    f.refuted_by = kSelf;
    f.request.status = RequestStatus::refuted;
    EXPECT_EQ(action(f), BountyAction::resolve);
    f.refuted_by = kOther;
    EXPECT_EQ(decide_bounty(f).reason, "refuted_by_other");
    f.refuted_by = Address{};
    f.request.status = RequestStatus::answered;
    f.chain_time = f.request.final_at;  // final and not refuted: we lost the game
    EXPECT_EQ(decide_bounty(f).reason, "dispute_lost");
}

TEST(bounty_decide, attested_is_resolved_once_final) {
    auto f = facts(BountyPhase::attested);
    f.bounty.verifier = kSelf;
    EXPECT_EQ(action(f), BountyAction::none);
    f.chain_time = f.request.final_at;
    EXPECT_EQ(action(f), BountyAction::resolve);
    f = facts(BountyPhase::attested);
    f.bounty.verifier = kSelf;
    f.request.status = RequestStatus::settled;
    EXPECT_EQ(action(f), BountyAction::resolve);
    f.request.status = RequestStatus::disputed;  // a dispute by someone else is still open
    f.chain_time = f.request.final_at + 1;
    EXPECT_EQ(action(f), BountyAction::none);
    f.request.status = RequestStatus::refuted;  // resolve would take our bond: leave it to others
    EXPECT_EQ(decide_bounty(f).reason, "attested_claim_refuted");
    f.bounty.verifier = kOther;
    EXPECT_EQ(action(f), BountyAction::skip);
}

TEST(bounty_decide, closed_withdraws_our_credit_then_is_done) {
    auto f = facts(BountyPhase::closed);
    f.bounty.verifier = kSelf;
    f.credit = 5;
    EXPECT_EQ(action(f), BountyAction::withdraw);
    f.credit = 0;
    EXPECT_EQ(decide_bounty(f).action, BountyAction::done);
    EXPECT_EQ(decide_bounty(f).reason, "closed");
    f.bounty.verifier = kOther;
    f.credit = 5;  // a credit of ours from elsewhere is not this bounty's to collect
    EXPECT_EQ(decide_bounty(f).reason, "closed_for_other");
    f = facts(BountyPhase::none);
    EXPECT_EQ(action(f), BountyAction::none);
}

TEST(bounty_caller, one_designated_caller_and_distinct_backup_ranks_per_bounty) {
    const std::vector<Address> pool = {addr_of(1), addr_of(2), addr_of(3), addr_of(4)};
    std::vector<int> designated(pool.size(), 0);
    for (std::uint32_t i = 0; i < 400; ++i) {
        const Hash id = keccak256(as_bytes("bounty " + std::to_string(i)));
        std::vector<bool> seen(pool.size(), false);
        for (std::size_t v = 0; v < pool.size(); ++v) {
            const std::size_t r = caller_rank(id, pool, pool[v]);
            ASSERT_LT(r, pool.size());
            EXPECT_FALSE(seen[r]) << "two verifiers share rank " << r;
            seen[r] = true;
            if (r == 0) ++designated[v];
            EXPECT_EQ(caller_rank(id, pool, pool[v]), r);  // a pure function of (id, pool, self)
        }
        EXPECT_EQ(caller_rank(id, pool, addr_of(9)), pool.size());  // not in the pool: last
    }
    // The first caller moves around the pool with the request id (about 100 of 400 each).
    for (int d : designated) {
        EXPECT_GT(d, 60);
        EXPECT_LT(d, 140);
    }
    EXPECT_EQ(caller_rank(kId, {addr_of(1)}, addr_of(1)), 0u);
    EXPECT_EQ(caller_rank(kId, {}, addr_of(1)), 0u);
}

TEST(market_abi, verifiers_list_decodes_cast_encoding) {
    // cast abi-encode "f(address[])" "[0x..a1,0x..b2]"
    const auto raw = from_hex(
        "0x0000000000000000000000000000000000000000000000000000000000000020"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "00000000000000000000000000000000000000000000000000000000000000a1"
        "00000000000000000000000000000000000000000000000000000000000000b2");
    const auto list = decode_address_list(*raw);
    ASSERT_TRUE(list.has_value());
    EXPECT_EQ(*list, (std::vector<Address>{addr_of(0xa1), addr_of(0xb2)}));
    EXPECT_EQ(sel(verifiers_call()), "0x26779776");  // cast sig "verifiers()"
    EXPECT_FALSE(decode_address_list(BytesView(raw->data(), 40)).has_value());
}

// ------------------------------------------------------------------------------------ store

TEST(bounty_store, records_round_trip_by_track_and_survive_reopening) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-bounty-store-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto s = Store::open(dir).value();
        BountyRecord a;
        a.request_id = kId;
        a.token = addr_of(0xb2);
        a.fee = u256(1) << 90;
        a.intent = "arm:posted:0";
        a.tx_hash = keccak256(as_bytes("tx"));
        a.attempts = 2;
        a.gas_used = 77'000;
        ASSERT_TRUE(s->put_bounty(a).has_value());
        BountyRecord b;
        b.request_id = keccak256(as_bytes("other"));
        b.track = BountyTrack::skipped;
        b.reason = "drawn_for_other";
        ASSERT_TRUE(s->put_bounty(b).has_value());
        ASSERT_TRUE(s->set_meta_blob("verifier_register_tx", Bytes{1, 2, 3}).has_value());
    }
    auto s = Store::open(dir).value();
    const auto got = s->bounty(kId).value();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->track, BountyTrack::watching);
    EXPECT_EQ(got->token, addr_of(0xb2));
    EXPECT_EQ(got->fee, u256(1) << 90);
    EXPECT_EQ(got->intent, "arm:posted:0");
    EXPECT_EQ(got->tx_hash, keccak256(as_bytes("tx")));
    EXPECT_EQ(got->attempts, 2);
    EXPECT_EQ(got->gas_used, 77'000u);
    EXPECT_EQ(s->bounties_in({BountyTrack::watching, BountyTrack::disputing}).value().size(), 1u);
    const auto skipped = s->bounties_in({BountyTrack::skipped}).value();
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].reason, "drawn_for_other");
    EXPECT_FALSE(skipped[0].tx_hash.has_value());
    EXPECT_EQ(s->meta_blob("verifier_register_tx").value(), (std::optional<Bytes>{Bytes{1, 2, 3}}));
    ASSERT_TRUE(s->set_meta_blob("verifier_register_tx", std::nullopt).has_value());
    EXPECT_FALSE(s->meta_blob("verifier_register_tx").value().has_value());
    EXPECT_FALSE(s->bounty(keccak256(as_bytes("absent"))).value().has_value());
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::node
