// The engine's decisions over an in-memory chain: a fake Coordinator behind chain/testing's
// JSON-RPC node, a manual clock and a seeded random source. Each test drives `Engine::step` and
// reads what the engine sent and stored.

#include "node/engine.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "bindings/coordinator.hpp"
#include "chain/testing/manual_clock.hpp"
#include "chain/testing/seeded_random.hpp"
#include "chain/transaction.hpp"
#include "core/abi/codec.hpp"
#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"
#include "node/testing/fake_chain.hpp"
#include "node/testing/harness.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node {
namespace {

using namespace std::chrono_literals;
namespace C = bindings::coordinator;

const Address kCoordinator = *parse_address("0x1111111111111111111111111111111111111111");
const Address kConsumer = *parse_address("0x2222222222222222222222222222222222222222");
const Address kOther = *parse_address("0x3333333333333333333333333333333333333333");
constexpr std::uint64_t kHead = testing::FakeChain::kHead;
constexpr std::uint64_t kNow = testing::FakeChain::kNow;

Bytes error_data(std::string_view name) { return testing::error_data(C::kErrors, name); }

/// The Coordinator's requests as the engine reads them (getRequest, entryOf, seatOf), changed by
/// the transactions mined: deliver takes seat 0, commit the next seat, reveal sets the seat's bit
/// (answered once all k revealed), settle settles.
struct FakeRequest {
    RequestStatus status = RequestStatus::open;
    std::uint8_t k = 1;
    std::uint32_t deadline = kNow + 600;
    std::uint32_t final_at = 0;
    std::uint8_t revealed = 0;
    std::vector<Address> seats;
    std::map<Address, Hash> entries;
};

class FakeCoordinator {
public:
    explicit FakeCoordinator(testing::FakeChain& chain) {
        chain.on_call(C::fn::getRequest, [this](BytesView d) {
            const FakeRequest& r = requests[testing::arg_word(d, 0)];
            namespace F = C::field::Request;
            std::vector<abi::Value> f(F::k + 1);
            f[F::seat0] = abi::Value::address(r.seats.empty() ? Address{} : r.seats[0]);
            f[F::deadline] = abi::Value::uint(r.deadline, 32);
            f[F::finalAt] = abi::Value::uint(r.final_at, 32);
            f[F::status] = abi::Value::uint(static_cast<std::uint8_t>(r.status), 8);
            f[F::commits] = abi::Value::uint(r.seats.size(), 8);
            f[F::revealedMask] = abi::Value::uint(r.revealed, 8);
            f[F::k] = abi::Value::uint(r.k, 8);
            return abi::encode({detail::must_type(C::type::Request)}, {abi::Value::tuple(f)});
        });
        chain.on_call(C::fn::entryOf, [this](BytesView d) {
            const FakeRequest& r = requests[testing::arg_word(d, 0)];
            auto it = r.entries.find(address_from_word(testing::arg_word(d, 1)));
            const Hash h = it == r.entries.end() ? Hash{} : it->second;
            return Bytes(h.begin(), h.end());
        });
        chain.on_call(C::fn::seatOf, [this](BytesView d) {
            const FakeRequest& r = requests[testing::arg_word(d, 0)];
            const auto i = static_cast<std::size_t>(testing::arg_word(d, 1)[31]);
            const Hash w = i < r.seats.size() ? testing::address_word(r.seats[i]) : Hash{};
            return Bytes(w.begin(), w.end());
        });
        chain.on_mined(C::fn::deliver, [this](BytesView d, const Address& from) {
            FakeRequest& r = requests[testing::arg_word(d, 0)];
            r.seats = {from};
            r.status = RequestStatus::answered;
        });
        chain.on_mined(C::fn::commit, [this](BytesView d, const Address& from) {
            // commit(id, job, commitment): the commitment is the last head word.
            FakeRequest& r = requests[testing::arg_word(d, 0)];
            std::copy_n(d.end() - 32, 32, r.entries[from].begin());
            r.seats.push_back(from);
        });
        chain.on_mined(C::fn::reveal, [this](BytesView d, const Address& from) {
            FakeRequest& r = requests[testing::arg_word(d, 0)];
            for (std::size_t i = 0; i < r.seats.size(); ++i) {
                if (r.seats[i] == from) r.revealed = static_cast<std::uint8_t>(r.revealed | (1u << i));
            }
            if (r.revealed == (1u << r.k) - 1) r.status = RequestStatus::answered;
        });
        chain.on_mined(C::fn::settle,
                       [this](BytesView d, const Address&) { requests[testing::arg_word(d, 0)].status = RequestStatus::settled; });
    }

    std::map<Hash, FakeRequest> requests;
};

/// A Job tuple for model `root` with redundancy `k`, assigned to `assigned` (zero: nobody).
abi::Value job_value(const Hash& root, std::uint8_t k, const Address& assigned, std::uint32_t commit_window) {
    namespace P = C::field::RequestParams;
    std::vector<abi::Value> params(10);
    params[P::modelRoot] = abi::Value::bytes_n(BytesView(root.data(), 32));
    params[P::inputRoot] = abi::Value::bytes_n(BytesView(Hash{}.data(), 32));
    params[P::token] = abi::Value::address(Address{});
    params[P::price] = abi::Value::uint(1000, 96);
    params[P::redundancy] = abi::Value::uint(k, 8);
    params[P::afterWindow] = abi::Value::boolean(false);
    params[P::callbackGasLimit] = abi::Value::uint(0, 32);
    params[P::ttl] = abi::Value::uint(600, 32);
    params[P::commitWindow] = abi::Value::uint(commit_window, 32);
    params[P::assigned] = abi::Value::address(assigned);
    namespace J = C::field::Job;
    std::vector<abi::Value> job(9);
    job[J::consumer] = abi::Value::address(kConsumer);
    job[J::params] = abi::Value::tuple(params);
    job[J::inputHash] = abi::Value::bytes_n(BytesView(Hash{}.data(), 32));
    job[J::creator] = abi::Value::address(Address{});
    job[J::royalty] = abi::Value::uint(0, 96);
    job[J::feeBips] = abi::Value::uint(0, 16);
    job[J::challengeWindow] = abi::Value::uint(0, 32);
    job[J::createdAt] = abi::Value::uint(kNow, 32);
    job[J::subscriptionId] = abi::Value::uint(0);
    return abi::Value::tuple(job);
}

struct Env {
    explicit Env(const std::string& name) : tmp(name) {
        catalog = std::make_unique<Catalog>(testing::sample_catalog(tmp.path, {PriceFloor{Address{}, 1}}));
        cfg.chain.chain_id = 31337;
        cfg.chain.start_block = kHead + 1;
        cfg.chain.poll_interval_ms = 100;
        cfg.contracts.coordinator = kCoordinator;
        cfg.node.workers = 1;
        store = std::move(Store::open(tmp.path / "store").value());
    }

    /// A new engine over the same store, chain, clock and random source (a restarted node).
    std::unique_ptr<Engine> engine() {
        auto e = std::make_unique<Engine>(cfg, key, *catalog, *store, eth, metrics, clock, random);
        auto started = e->start();
        EXPECT_TRUE(started) << started.error().message;
        return e;
    }
    const ServedModel& model() const { return catalog->models().front(); }
    Address self() const { return key.address(); }

    /// A job of ours already computed, as the engine stores it before its first transaction.
    JobRecord computed(std::uint32_t n, std::uint8_t k, const Address& assigned, std::uint32_t commit_window = 60) {
        JobRecord j;
        j.id = keccak256(as_bytes("request " + std::to_string(n)));
        j.state = JobState::computed;
        j.job = job_value(model().root, k, assigned, commit_window);
        j.input = Bytes(model().input_bytes, 1);
        j.consumer = kConsumer;
        j.model_root = model().root;
        j.k = k;
        j.created_at = kNow;
        j.deadline = kNow + 600;
        j.commit_end = kNow + commit_window;
        j.block_number = kHead;
        j.output = Bytes{1, 2, 3};
        j.output_root = keccak256(as_bytes("out"));
        j.trace_root = keccak256(as_bytes("trace"));
        j.steps = 3;
        j.input_root = keccak256(as_bytes("in"));
        EXPECT_TRUE(store->put_job(j));
        coordinator.requests[j.id].k = k;
        return j;
    }
    JobRecord stored(const Hash& id) { return store->job(id).value().value(); }

    testing::TempDir tmp;
    testing::ChainHarness h{testing::kDevKey0};
    chain::PrivateKey& key = h.key;
    testing::FakeChain& chain = h.chain;
    FakeCoordinator coordinator{chain};
    chain::EthClient& eth = h.eth;
    chain::testing::ManualClock& clock = h.clock;
    chain::testing::SeededRandom& random = h.random;
    Metrics& metrics = h.metrics;
    NodeConfig cfg;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<Store> store;
};

Claim claim_of(const JobRecord& j) { return Claim{j.output, j.output_root, j.trace_root, j.steps, j.input_root}; }

/// The Coordinator's Requested log of request `id` for `job` with inline `input`, at block kHead + 1.
chain::Log requested_log(const Hash& id, const abi::Value& job, const Bytes& input) {
    chain::Log log;
    log.address = kCoordinator;
    log.topics = {requested_topic(), id, testing::address_word(kConsumer)};
    log.data = abi::encode({job_type(), abi::Type::bytes(), abi::Type::string()},
                           {job, abi::Value::dyn_bytes(input), abi::Value::string("")});
    log.block_number = kHead + 1;
    log.transaction_hash = keccak256(id);
    return log;
}

TEST(engine, a_request_log_is_computed_and_delivered_once_by_its_assigned_node) {
    Env env("log");
    const Hash id = keccak256(as_bytes("request from a log"));
    const Bytes input(env.model().input_bytes, 3);
    env.chain.logs.push_back(requested_log(id, job_value(env.model().root, 1, env.self(), 60), input));
    env.chain.head = kHead + 1;

    auto engine = env.engine();
    // The run happens on the worker pool's thread: step until the delivery lands.
    for (int i = 0; i < 2000 && env.chain.sent_count() == 0; ++i) {
        ASSERT_TRUE(engine->step());
        std::this_thread::sleep_for(1ms);
    }
    ASSERT_EQ(env.chain.sent_count(), 1u);
    const JobRecord j = env.stored(id);
    EXPECT_EQ(j.state, JobState::delivered) << j.reason;
    EXPECT_EQ(j.input, input);
    // What went out is deliver(id, job, claim) with the claim the engine computed and stored.
    const abi::Value& job = j.job;
    EXPECT_EQ(env.chain.last_sent(), deliver_call(id, job, claim_of(j)));
    EXPECT_EQ(j.gas_used, 120'000u);
    EXPECT_FALSE(j.tx_hash.has_value());  // the receipt is in: nothing of ours pending
    // Later rounds send nothing more.
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(engine->step());
    EXPECT_EQ(env.chain.sent_count(), 1u);
}

TEST(engine, a_restarted_node_waits_for_its_stored_pending_transaction) {
    Env env("restart");
    const JobRecord j0 = env.computed(1, 1, env.self());
    env.chain.automine = false;
    {
        auto engine = env.engine();
        ASSERT_TRUE(engine->step());  // sends, then gives up waiting for the receipt
    }
    ASSERT_EQ(env.chain.sent_count(), 1u);
    JobRecord j = env.stored(j0.id);
    EXPECT_EQ(j.state, JobState::delivering);
    ASSERT_TRUE(j.tx_hash.has_value());  // stored before the wait
    EXPECT_EQ(env.chain.pool.count(*j.tx_hash), 1u);

    // The restarted node finds its transaction still pending: it waits, it never sends twice.
    auto engine = env.engine();
    for (int i = 0; i < 5; ++i) {
        env.clock.sleep_for(30s);
        ASSERT_TRUE(engine->step());
    }
    EXPECT_EQ(env.chain.sent_count(), 1u);
    EXPECT_EQ(env.stored(j0.id).state, JobState::delivering);
    env.chain.mine_pool();
    env.clock.sleep_for(30s);
    ASSERT_TRUE(engine->step());
    j = env.stored(j0.id);
    EXPECT_EQ(j.state, JobState::delivered) << j.reason;
    EXPECT_EQ(env.chain.sent_count(), 1u);
}

TEST(engine, a_transaction_lost_to_a_reorg_is_sent_again_once) {
    Env env("reorg");
    const JobRecord j0 = env.computed(1, 1, env.self());
    env.chain.automine = false;
    auto engine = env.engine();
    ASSERT_TRUE(engine->step());
    ASSERT_EQ(env.chain.sent_count(), 1u);
    const Bytes first = env.chain.last_sent();
    env.chain.drop_pool();  // its block was reorged away and no node has it any more
    env.chain.automine = true;
    env.clock.sleep_for(30s);
    ASSERT_TRUE(engine->step());
    EXPECT_EQ(env.chain.sent_count(), 2u);
    EXPECT_EQ(env.chain.last_sent(), first);  // the same call, again
    EXPECT_EQ(env.stored(j0.id).state, JobState::delivered);
}

TEST(engine, revert_classes_decide_between_giving_up_and_retrying_later) {
    Env env("reverts");
    env.chain.time = kNow + 1;  // past the commit window of request 1 below
    auto engine = env.engine();

    // A commit the contract refuses with NotAssigned: the request is someone else's, given up.
    // (k = 1 assigned to another node, after its exclusive window.)
    JobRecord a = env.computed(1, 1, kOther, 0);
    env.chain.refuse_next = error_data("NotAssigned");
    ASSERT_TRUE(engine->step());
    a = env.stored(a.id);
    EXPECT_EQ(a.state, JobState::failed);
    EXPECT_EQ(a.reason, "assigned_elsewhere");
    EXPECT_EQ(env.chain.sent_count(), 0u);  // refused at the estimate: nothing was sent

    // Any other refusal, an on-chain revert and an RPC failure are retried after a backoff that
    // runs on the injected clock.
    struct Case {
        const char* name;
        std::function<void()> arrange;
        std::size_t sends;
        const char* why;
    };
    const std::vector<Case> cases = {
        {"refused", [&] { env.chain.refuse_next = error_data("SeatsFull"); }, 0, "deliver: SeatsFull"},
        {"reverted on chain", [&] { env.chain.revert_on_chain = true; }, 1, "deliver: reverted on chain"},
        {"rpc failure", [&] { env.chain.send_error = "internal error"; }, 0, "deliver: "},
    };
    std::uint32_t n = 10;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::size_t before = env.chain.sent_count();
        JobRecord j = env.computed(++n, 1, env.self());
        c.arrange();
        ASSERT_TRUE(engine->step());
        j = env.stored(j.id);
        EXPECT_EQ(env.chain.sent_count() - before, c.sends);
        EXPECT_EQ(j.state, JobState::delivering);
        EXPECT_EQ(j.attempts, 1);
        EXPECT_EQ(j.next_attempt_ms, env.clock.unix_ms() + 400);
        // Not before the backoff ...
        ASSERT_TRUE(engine->step());
        EXPECT_EQ(env.chain.sent_count() - before, c.sends);
        // ... and once after it, successfully.
        env.clock.sleep_for(400ms);
        ASSERT_TRUE(engine->step());
        EXPECT_EQ(env.chain.sent_count() - before, c.sends + 1);
        j = env.stored(j.id);
        EXPECT_EQ(j.state, JobState::delivered) << j.reason;
        EXPECT_EQ(j.attempts, 0);
    }
}

TEST(engine, commit_and_reveal_use_the_injected_salt) {
    Env env("commit");
    const JobRecord j0 = env.computed(1, 2, Address{});
    auto engine = env.engine();
    ASSERT_TRUE(engine->step());  // commit
    ASSERT_EQ(env.chain.sent_count(), 1u);
    chain::testing::SeededRandom same{7};
    Hash salt{};
    ASSERT_TRUE(same.fill(salt));
    JobRecord j = env.stored(j0.id);
    ASSERT_TRUE(j.salt.has_value());
    EXPECT_EQ(*j.salt, salt);
    const abi::Value& job = j.job;
    const Hash commitment = commitment_of(j.id, env.self(), hash_claim(claim_of(j)), salt);
    EXPECT_EQ(env.chain.last_sent(), commit_call(j.id, job, commitment));

    // Our seat is read back; the reveal waits for the second seat.
    ASSERT_TRUE(engine->step());
    j = env.stored(j0.id);
    EXPECT_EQ(j.state, JobState::committed);
    EXPECT_EQ(j.seat, 0);
    for (int i = 0; i < 3; ++i) {
        env.clock.sleep_for(100ms);
        ASSERT_TRUE(engine->step());
    }
    EXPECT_EQ(env.chain.sent_count(), 1u);
    env.coordinator.requests[j.id].seats.push_back(kOther);
    env.clock.sleep_for(100ms);
    ASSERT_TRUE(engine->step());
    ASSERT_EQ(env.chain.sent_count(), 2u);
    EXPECT_EQ(env.chain.last_sent(), reveal_call(j.id, job, 0, claim_of(j), salt));
    EXPECT_EQ(env.stored(j0.id).state, JobState::revealed);
}

TEST(engine, a_store_of_another_chain_or_deployment_is_refused) {
    Env env("identity");
    env.engine();  // the first start records the chain and the Coordinator
    const auto start = [&] {
        return Engine(env.cfg, env.key, *env.catalog, *env.store, env.eth, env.metrics, env.clock, env.random).start();
    };
    ASSERT_TRUE(start());
    env.chain.name = "a restarted devnet";  // same chain id, another genesis
    auto r = start();
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("node.data_dir: the store belongs to another chain or deployment"),
              std::string::npos)
        << r.error().message;
    env.chain.name = "chain";
    env.cfg.contracts.coordinator = kConsumer;  // another deployment on the same chain
    r = start();
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("coordinator " + to_checksum(kCoordinator)), std::string::npos)
        << r.error().message;
    env.cfg.contracts.coordinator = kCoordinator;
    EXPECT_TRUE(start());
}

TEST(engine, a_failed_lookup_of_a_subscriptions_input_is_read_again_not_skipped) {
    Env env("subscription");
    const Bytes input(env.model().input_bytes, 9);
    const u256 sub = 5;
    // The Subscribed log holds the input; the interval's Requested log only its hash.
    chain::Log subscribed;
    subscribed.address = kCoordinator;
    subscribed.topics = {subscribed_topic(), to_be32(sub), testing::address_word(kConsumer)};
    const abi::Value terms = abi::decode({detail::must_type(C::type::SubscriptionTerms)}, Bytes(15 * 32, 0)).value()[0];
    subscribed.data = abi::encode(
        {detail::must_type(C::type::SubscriptionTerms), abi::Type::uint(16), abi::Type::bytes(), abi::Type::string()},
        {terms, abi::Value::uint(3, 16), abi::Value::dyn_bytes(input), abi::Value::string("")});
    subscribed.block_number = kHead + 1;  // the subscription's first interval is in its own block
    subscribed.transaction_hash = keccak256(as_bytes("subscribe tx"));
    abi::Value job = job_value(env.model().root, 1, env.self(), 60);
    job.elems[C::field::Job::inputHash] = abi::Value::bytes_n(keccak256(input));
    job.elems[C::field::Job::subscriptionId] = abi::Value::uint(sub);
    const Hash id = keccak256(as_bytes("interval 1"));
    env.chain.logs = {subscribed, requested_log(id, job, Bytes{})};
    env.chain.head = kHead + 1;
    int failures = 1;  // the first lookup of the Subscribed log fails
    env.chain.fail_logs = [&](const chain::Json& f) {
        const bool lookup = f.contains("topics") && f["topics"].size() == 2;
        return lookup && failures-- > 0;
    };

    auto engine = env.engine();
    ASSERT_TRUE(engine->step());
    EXPECT_FALSE(env.store->job(id).value().has_value());  // rolled back, not skipped
    EXPECT_EQ(engine->next_block(), kHead + 1);
    for (int i = 0; i < 2000 && env.chain.sent_count() == 0; ++i) {
        ASSERT_TRUE(engine->step());
        std::this_thread::sleep_for(1ms);
    }
    const JobRecord j = env.stored(id);
    EXPECT_EQ(j.input, input);
    EXPECT_EQ(j.state, JobState::delivered) << j.reason;
    EXPECT_EQ(env.chain.sent_count(), 1u);
}

}  // namespace
}  // namespace sigil::node
