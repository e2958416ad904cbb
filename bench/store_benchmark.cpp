// The node store's durable writes under concurrency, as the REST API makes them (one signed
// off-chain job document per POST /jobs, about 1.5 kB of JSON): one commit per document (each
// call its own transaction and WAL sync, what put_offchain did before group commit; here
// set_meta_blob, the same autocommit path) against put_offchain's group commit, at 1 and 16 writer threads.
// Both sync the WAL (synchronous=FULL) before returning, so both lose nothing on a crash.
//
//   build/release/bench/store_benchmark --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "node/store.hpp"

namespace {

using sigil::node::Store;

/// One store for the whole run, in a fresh directory under the system's temp dir.
Store& store() {
    static std::unique_ptr<Store> s = [] {
        const auto dir = std::filesystem::temp_directory_path() / ("sigil-store-bench-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto opened = Store::open(dir);
        if (!opened) std::abort();
        return std::move(*opened);
    }();
    return *s;
}

std::atomic<std::uint64_t> g_counter{0};

const std::string& document() {
    static const std::string doc = "{\"claim\":\"" + std::string(1500, 'a') + "\"}";
    return doc;
}

void commit_per_document(benchmark::State& state) {
    Store& s = store();
    for (auto _ : state) {
        const std::string key = "doc-" + std::to_string(++g_counter);
        if (!s.set_meta_blob(key, sigil::Bytes(document().begin(), document().end()))) {
            state.SkipWithError("set_meta_blob failed");
        }
    }
    state.SetItemsProcessed(state.iterations());
}

void group_commit(benchmark::State& state) {
    Store& s = store();
    for (auto _ : state) {
        const std::string id = "job-" + std::to_string(++g_counter);
        if (!s.put_offchain(id, document())) state.SkipWithError("put_offchain failed");
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(commit_per_document)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);
BENCHMARK(group_commit)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);

}  // namespace
