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
#include "chain/testing/fake_node.hpp"
#include "chain/testing/manual_clock.hpp"
#include "chain/testing/seeded_random.hpp"
#include "chain/transaction.hpp"
#include "core/abi/codec.hpp"
#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node {
namespace {

using namespace std::chrono_literals;
using chain::Json;
using chain::testing::FakeNode;
namespace C = bindings::coordinator;

constexpr const char* kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const Address kCoordinator = *parse_address("0x1111111111111111111111111111111111111111");
const Address kConsumer = *parse_address("0x2222222222222222222222222222222222222222");
const Address kOther = *parse_address("0x3333333333333333333333333333333333333333");
constexpr std::uint64_t kHead = 100;
constexpr std::uint64_t kNow = 1'000'000;  // chain time (s)

bool selector_is(BytesView data, const bindings::FunctionInfo& f) {
    return data.size() >= 4 && std::equal(f.selector.begin(), f.selector.end(), data.begin());
}
Hash word_at(BytesView data, std::size_t i) {
    Hash h{};
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(4 + 32 * i), 32, h.begin());
    return h;
}
Bytes error_data(std::string_view name) {
    for (const auto& e : C::kErrors) {
        if (e.name == name) return Bytes(e.selector.begin(), e.selector.end());
    }
    ADD_FAILURE() << "no error " << name;
    return {};
}

/// The Coordinator's requests as the engine reads them (getRequest, entryOf, seatOf), changed by
/// the transactions it mines: deliver takes seat 0, commit the next seat, reveal sets the seat's
/// bit (answered once all k revealed), settle settles.
struct FakeRequest {
    RequestStatus status = RequestStatus::open;
    std::uint8_t k = 1;
    std::uint32_t deadline = kNow + 600;
    std::uint32_t final_at = 0;
    std::uint8_t revealed = 0;
    std::vector<Address> seats;
    std::map<Address, Hash> entries;
};

/// A chain with one Coordinator: its own mempool (mined on send when `automine`), scripted
/// refusals, and the transactions sent, in order.
class FakeChain {
public:
    explicit FakeChain(Address self) : self_(self) {
        node->on("eth_chainId", [](const Json&) { return Json("0x7a69"); });
        node->on("eth_blockNumber", [this](const Json&) {
            std::lock_guard lock(mu);
            return Json(to_hex_quantity(u256(head)));
        });
        node->on("eth_getBlockByNumber", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const std::string at = p[0];
            const std::uint64_t n = at == "latest" ? head : std::stoull(at, nullptr, 16);
            if (n > head) return nullptr;
            return Json{{"number", to_hex_quantity(u256(n))},
                        {"hash", to_hex(block_hash(n))},
                        {"parentHash", to_hex(n == 0 ? Hash{} : block_hash(n - 1))},
                        {"timestamp", to_hex_quantity(u256(time))},
                        {"baseFeePerGas", "0x64"}};
        });
        node->on("eth_getLogs", [this](const Json& p) {
            std::lock_guard lock(mu);
            const std::uint64_t from = std::stoull(p[0]["fromBlock"].get<std::string>(), nullptr, 16);
            const std::uint64_t to = std::stoull(p[0]["toBlock"].get<std::string>(), nullptr, 16);
            Json out = Json::array();
            for (const auto& l : logs) {
                if (l.block_number < from || l.block_number > to) continue;
                Json topics = Json::array();
                for (const auto& t : l.topics) topics.push_back(to_hex(t));
                out.push_back({{"address", to_hex(l.address)},
                               {"topics", topics},
                               {"data", to_hex(l.data)},
                               {"blockNumber", to_hex_quantity(u256(l.block_number))},
                               {"blockHash", to_hex(block_hash(l.block_number))},
                               {"transactionHash", to_hex(l.transaction_hash)},
                               {"logIndex", "0x0"}});
            }
            return out;
        });
        node->on("eth_call",
                 [this](const Json& p) { return answer_call(*from_hex(p[0]["input"].get<std::string>())); });
        node->on("eth_estimateGas", [this](const Json&) -> Json {
            std::lock_guard lock(mu);
            if (refuse_next) {
                const Bytes data = *refuse_next;
                refuse_next.reset();
                return FakeNode::error_response(3, "execution reverted", to_hex(data));
            }
            return "0x40000";
        });
        node->on("eth_feeHistory", [](const Json&) {
            return Json{{"baseFeePerGas", {"0x64"}}, {"reward", {{"0x2"}}}};
        });
        node->on("eth_getTransactionCount", [this](const Json&) {
            std::lock_guard lock(mu);
            return Json(to_hex_quantity(u256(nonce)));
        });
        node->on("eth_sendRawTransaction", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            if (!send_error.empty()) {
                auto e = FakeNode::error_response(-32000, send_error);
                send_error.clear();
                return e;
            }
            auto tx = chain::decode_transaction(*from_hex(p[0].get<std::string>()));
            EXPECT_TRUE(tx);
            const Bytes data = std::visit([](const auto& t) { return t.data; }, tx->tx);
            sent.push_back(data);
            ++nonce;
            if (automine)
                mine_locked(tx->hash, data);
            else
                pool[tx->hash] = data;
            return to_hex(tx->hash);
        });
        node->on("eth_getTransactionReceipt", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            auto it = mined.find(*fixed_from_hex<32>(p[0].get<std::string>()));
            if (it == mined.end()) return nullptr;
            return Json{{"transactionHash", p[0]}, {"status", it->second ? "0x1" : "0x0"},
                        {"blockNumber", "0x64"},   {"blockHash", to_hex(block_hash(head))},
                        {"from", to_hex(self_)},   {"to", to_hex(kCoordinator)},
                        {"gasUsed", "0x1d4c0"},    {"logs", Json::array()}};
        });
        node->on("eth_getTransactionByHash", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const Hash h = *fixed_from_hex<32>(p[0].get<std::string>());
            return pool.count(h) || mined.count(h) ? Json{{"hash", p[0]}} : Json();
        });
    }

    /// Mines every pooled transaction.
    void mine_pool() {
        std::lock_guard lock(mu);
        for (const auto& [h, data] : pool) mine_locked(h, data);
        pool.clear();
    }
    /// Forgets every pooled transaction (a reorg took the block it was in, and no node has it).
    void drop_pool() {
        std::lock_guard lock(mu);
        pool.clear();
    }
    std::size_t sent_count() {
        std::lock_guard lock(mu);
        return sent.size();
    }
    Bytes last_sent() {
        std::lock_guard lock(mu);
        return sent.empty() ? Bytes{} : sent.back();
    }

    std::shared_ptr<FakeNode> node = std::make_shared<FakeNode>();
    std::mutex mu;
    std::uint64_t head = kHead;
    std::uint64_t time = kNow;
    std::uint64_t nonce = 0;
    bool automine = true;
    bool revert_on_chain = false;      ///< the next mined transaction fails (status 0)
    std::optional<Bytes> refuse_next;  ///< the next estimate reverts with this data
    std::string send_error;            ///< the next send fails with this RPC error
    std::map<Hash, FakeRequest> requests;
    std::vector<chain::Log> logs;
    std::vector<Bytes> sent;
    std::map<Hash, Bytes> pool;
    std::map<Hash, bool> mined;

private:
    static Hash block_hash(std::uint64_t n) { return keccak256(as_bytes("block " + std::to_string(n))); }

    void mine_locked(const Hash& h, const Bytes& data) {
        const bool ok = !revert_on_chain;
        revert_on_chain = false;
        mined[h] = ok;
        if (!ok) return;
        FakeRequest& r = requests[word_at(data, 0)];
        if (selector_is(data, C::fn::deliver)) {
            r.seats = {self_};
            r.status = RequestStatus::answered;
        } else if (selector_is(data, C::fn::commit)) {
            // commit(id, job, commitment): the commitment is the last head word.
            r.entries[self_] = Hash{};
            std::copy_n(data.end() - 32, 32, r.entries[self_].begin());
            r.seats.push_back(self_);
        } else if (selector_is(data, C::fn::reveal)) {
            for (std::size_t i = 0; i < r.seats.size(); ++i) {
                if (r.seats[i] == self_) r.revealed = static_cast<std::uint8_t>(r.revealed | (1u << i));
            }
            if (r.revealed == (1u << r.k) - 1) r.status = RequestStatus::answered;
        } else if (selector_is(data, C::fn::settle)) {
            r.status = RequestStatus::settled;
        }
    }

    Json answer_call(const Bytes& data) {
        std::lock_guard lock(mu);
        if (selector_is(data, C::fn::getRequest)) {
            const FakeRequest& r = requests[word_at(data, 0)];
            std::vector<abi::Value> f(7);
            namespace F = C::field::Request;
            f[F::seat0] = abi::Value::address(r.seats.empty() ? Address{} : r.seats[0]);
            f[F::deadline] = abi::Value::uint(r.deadline, 32);
            f[F::finalAt] = abi::Value::uint(r.final_at, 32);
            f[F::status] = abi::Value::uint(static_cast<std::uint8_t>(r.status), 8);
            f[F::commits] = abi::Value::uint(r.seats.size(), 8);
            f[F::revealedMask] = abi::Value::uint(r.revealed, 8);
            f[F::k] = abi::Value::uint(r.k, 8);
            return to_hex(abi::encode({detail::must_type(C::type::Request)}, {abi::Value::tuple(f)}));
        }
        if (selector_is(data, C::fn::entryOf)) {
            const FakeRequest& r = requests[word_at(data, 0)];
            auto it = r.entries.find(address_from_word(word_at(data, 1)));
            return to_hex(it == r.entries.end() ? Hash{} : it->second);
        }
        if (selector_is(data, C::fn::seatOf)) {
            const FakeRequest& r = requests[word_at(data, 0)];
            const auto i = static_cast<std::size_t>(word_at(data, 1)[31]);
            Hash w{};
            if (i < r.seats.size()) std::copy(r.seats[i].begin(), r.seats[i].end(), w.begin() + 12);
            return to_hex(w);
        }
        return FakeNode::error_response(3, "execution reverted", "0x");
    }

    Address self_;
};

std::filesystem::path temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() / ("sigil-engine-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

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
    explicit Env(const std::string& name) : dir(temp_dir(name)) {
        const Bytes prog = ir::save_program(runtime::sample_mlp(1, 7));
        std::ofstream(dir / "m.sigil", std::ios::binary)
            .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));
        ModelConfig mc;
        mc.program = dir / "m.sigil";
        mc.prices = {PriceFloor{Address{}, 1}};
        catalog = std::make_unique<Catalog>(Catalog::load({mc}).value());
        cfg.chain.chain_id = 31337;
        cfg.chain.start_block = kHead + 1;
        cfg.chain.poll_interval_ms = 100;
        cfg.contracts.coordinator = kCoordinator;
        cfg.node.workers = 1;
        store = std::move(Store::open(dir / "store").value());
    }
    ~Env() { std::filesystem::remove_all(dir); }

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
        chain.requests[j.id].k = k;
        return j;
    }
    JobRecord stored(const Hash& id) { return store->job(id).value().value(); }

    std::filesystem::path dir;
    chain::PrivateKey key = *chain::PrivateKey::from_hex(kKey);
    FakeChain chain{key.address()};
    chain::RpcClient rpc{chain.node};
    chain::EthClient eth{rpc};
    chain::testing::ManualClock clock;
    chain::testing::SeededRandom random{7};
    Metrics metrics;
    NodeConfig cfg;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<Store> store;
};

Claim claim_of(const JobRecord& j) { return Claim{j.output, j.output_root, j.trace_root, j.steps, j.input_root}; }

TEST(engine, a_request_log_is_computed_and_delivered_once_by_its_assigned_node) {
    Env env("log");
    const Hash id = keccak256(as_bytes("request from a log"));
    const Bytes input(env.model().input_bytes, 3);
    chain::Log log;
    log.address = kCoordinator;
    log.topics = {requested_topic(), id, to_be32(u256(0))};
    std::copy(kConsumer.begin(), kConsumer.end(), log.topics[2].begin() + 12);
    log.data = abi::encode(
        {job_type(), abi::Type::bytes(), abi::Type::string()},
        {job_value(env.model().root, 1, env.self(), 60), abi::Value::dyn_bytes(input), abi::Value::string("")});
    log.block_number = kHead + 1;
    log.transaction_hash = keccak256(as_bytes("request tx"));
    env.chain.logs.push_back(log);
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
    env.chain.requests[j.id].seats.push_back(kOther);
    env.clock.sleep_for(100ms);
    ASSERT_TRUE(engine->step());
    ASSERT_EQ(env.chain.sent_count(), 2u);
    EXPECT_EQ(env.chain.last_sent(), reveal_call(j.id, job, 0, claim_of(j), salt));
    EXPECT_EQ(env.stored(j0.id).state, JobState::revealed);
}

}  // namespace
}  // namespace sigil::node
