#include "node/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "node/coordinator_abi.hpp"

namespace sigil::node {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() / ("sigil-store-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    return d;
}

/// A Job tuple (all fields zero but the consumer, which carries `tag`).
abi::Value job_tuple(std::uint8_t tag) {
    // Job is a static tuple of 18 words: its all-zero encoding decodes.
    abi::Value v = decode_job(Bytes(18 * 32, 0)).value();
    Address consumer{};
    consumer.fill(tag);
    v.elems[0] = abi::Value::address(consumer);
    return v;
}

JobRecord sample(std::uint8_t tag, JobState st) {
    JobRecord j;
    j.id.fill(tag);
    j.state = st;
    j.job = job_tuple(tag);
    j.input = Bytes{9, 8};
    j.k = 3;
    j.after_window = true;
    j.deadline = 1234;
    j.block_number = tag;
    j.output = Bytes{};  // empty blobs are stored as such, not as NULL
    j.steps = 12;
    j.salt = Hash{};
    j.salt->fill(0xab);
    j.seat = 2;
    j.gas_used = 99;
    return j;
}

TEST(node_store, checkpoint_round_trip_and_persistence) {
    const auto dir = temp_dir("ckpt");
    {
        auto s = Store::open(dir);
        ASSERT_TRUE(s.has_value()) << s.error().message;
        auto c = (*s)->checkpoint();
        ASSERT_TRUE(c.has_value());
        EXPECT_FALSE(c->has_value());
        chain::WatchCheckpoint w;
        w.next_block = 42;
        w.parent_hash = Hash{};
        w.parent_hash->fill(5);
        ASSERT_TRUE((*s)->set_checkpoint(w).has_value());
    }
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    auto c = (*s)->checkpoint();
    ASSERT_TRUE(c.has_value() && c->has_value());
    EXPECT_EQ((*c)->next_block, 42u);
    ASSERT_TRUE((*c)->parent_hash.has_value());
    EXPECT_EQ((*(*c)->parent_hash)[0], 5);
    std::filesystem::remove_all(dir);
}

TEST(node_store, job_round_trip_and_queries) {
    const auto dir = temp_dir("jobs");
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    Store& st = **s;
    const JobRecord a = sample(1, JobState::seen);
    ASSERT_TRUE(st.put_job(a).has_value());
    ASSERT_TRUE(st.put_job(sample(2, JobState::committing)).has_value());
    ASSERT_TRUE(st.put_job(sample(3, JobState::committing)).has_value());
    auto got = st.job(a.id);
    ASSERT_TRUE(got.has_value() && got->has_value());
    const JobRecord& g = **got;
    EXPECT_EQ(g.state, JobState::seen);
    EXPECT_EQ(encode_job(g.job), encode_job(a.job));
    EXPECT_EQ(g.input, a.input);
    EXPECT_EQ(g.k, 3);
    EXPECT_TRUE(g.after_window);
    EXPECT_EQ(g.salt, a.salt);
    EXPECT_FALSE(g.tx_hash.has_value());
    EXPECT_EQ(g.seat, 2);
    EXPECT_EQ(g.gas_used, 99u);
    auto committing = st.jobs_in({JobState::committing});
    ASSERT_TRUE(committing.has_value());
    EXPECT_EQ(committing->size(), 2u);
    auto counts = st.state_counts();
    ASSERT_TRUE(counts.has_value());
    EXPECT_EQ((*counts)[JobState::committing], 2u);
    EXPECT_EQ((*counts)[JobState::seen], 1u);
    Hash missing{};
    missing.fill(77);
    auto none = st.job(missing);
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
    std::filesystem::remove_all(dir);
}

TEST(node_store, failed_transaction_rolls_back_jobs_and_checkpoint) {
    const auto dir = temp_dir("tx");
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    Store& st = **s;
    auto r = st.transaction([&]() -> Result<void, StoreError> {
        SIGIL_TRY_VOID(st.put_job(sample(4, JobState::seen)));
        SIGIL_TRY_VOID(st.set_checkpoint({10, std::nullopt}));
        return fail(StoreError{"abort"});
    });
    EXPECT_FALSE(r.has_value());
    Hash id{};
    id.fill(4);
    EXPECT_FALSE(st.job(id)->has_value());
    EXPECT_FALSE(st.checkpoint()->has_value());
    ASSERT_TRUE(st.transaction([&]() -> Result<void, StoreError> {
                      SIGIL_TRY_VOID(st.put_job(sample(4, JobState::seen)));
                      return st.set_checkpoint({10, std::nullopt});
                  }).has_value());
    EXPECT_TRUE(st.job(id)->has_value());
    EXPECT_EQ((*st.checkpoint())->next_block, 10u);
    std::filesystem::remove_all(dir);
}

TEST(node_store, offchain_documents) {
    const auto dir = temp_dir("off");
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE((*s)->put_offchain("abc", "{\"x\":1}").has_value());
    EXPECT_EQ(*(*(*s)->offchain("abc")), "{\"x\":1}");
    EXPECT_FALSE((*s)->offchain("nope")->has_value());
    std::filesystem::remove_all(dir);
}

// Concurrent writers: every document is durable when its put returns (read back after the store
// is closed and opened again), whichever caller's batch wrote it; the same id put again keeps the
// last document.
TEST(node_store, concurrent_offchain_documents_are_each_durable) {
    const auto dir = temp_dir("group");
    constexpr int kThreads = 16, kEach = 40;
    {
        auto s = Store::open(dir);
        ASSERT_TRUE(s.has_value());
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i) {
                    const std::string id = std::to_string(t) + "-" + std::to_string(i);
                    if (!(*s)->put_offchain(id, "{\"t\":" + std::to_string(t) + "}")) ++failures;
                }
                if (!(*s)->put_offchain("shared", "{\"last\":" + std::to_string(t) + "}")) ++failures;
            });
        }
        for (auto& th : threads) th.join();
        EXPECT_EQ(failures.load(), 0);
    }
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kEach; ++i) {
            const auto doc = (*s)->offchain(std::to_string(t) + "-" + std::to_string(i));
            ASSERT_TRUE(doc && doc->has_value()) << t << "-" << i;
            EXPECT_EQ(**doc, "{\"t\":" + std::to_string(t) + "}");
        }
    }
    EXPECT_TRUE((*s)->offchain("shared")->has_value());
    std::filesystem::remove_all(dir);
}

TEST(node_store, unwritable_directory_is_an_error) {
    auto s = Store::open("/proc/sigil-cannot-exist");
    EXPECT_FALSE(s.has_value());
}

TEST(node_store, a_job_row_without_a_job_tuple_is_a_named_error) {
    const auto dir = temp_dir("badjob");
    const JobRecord a = sample(1, JobState::computed);
    {
        auto s = Store::open(dir);
        ASSERT_TRUE(s.has_value());
        ASSERT_TRUE((*s)->put_job(a).has_value());
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "node.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE jobs SET job_abi = x'010203'", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto s = Store::open(dir);
    ASSERT_TRUE(s.has_value());
    auto got = (*s)->job(a.id);
    ASSERT_FALSE(got.has_value());
    EXPECT_NE(got.error().message.find("job " + to_hex(a.id)), std::string::npos) << got.error().message;
    auto active = (*s)->active_jobs();
    ASSERT_FALSE(active.has_value());
    EXPECT_NE(active.error().message.find("does not decode"), std::string::npos) << active.error().message;
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::node
