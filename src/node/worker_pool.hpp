#pragma once
/// A bounded pool of runtime workers. Each worker owns one single-threaded Executor per model
/// (an Executor is not re-entrant), so runs of different jobs proceed in parallel.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "node/backend.hpp"
#include "node/catalog.hpp"
#include "node/coordinator_abi.hpp"
#include "node/lm_service.hpp"

namespace sigil::node {

/// The claim of one run of `model` on `input`: output 0's bytes, its tensor root, S_N, N and
/// the input root. Deterministic: the same on every machine.
Result<Claim, std::string> run_model(const ServedModel& model, BytesView input);
/// The claim of an on-chain generation request for `lm` (docs/generation.md "On chain").
Result<Claim, std::string> generation_claim(const LmService& lms, const LanguageModel& lm, BytesView input);

struct WorkItem {
    Hash id{};
    const ServedModel* model = nullptr;
    Bytes input;
    /// A generation request instead: the language model that serves it (and its service).
    const LmService* lms = nullptr;
    const LanguageModel* lm = nullptr;
    /// Or a request for an external backend (agreement-checked).
    const Backends* backends = nullptr;
    const BackendConfig* backend = nullptr;
};

struct WorkResult {
    Hash id{};
    Result<Claim, std::string> claim = fail(std::string("not run"));
    std::int64_t run_us = 0;
};

class WorkerPool {
public:
    /// Starts `workers` threads; at most `capacity` items wait in the queue.
    WorkerPool(unsigned workers, std::size_t capacity);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues an item; false when the queue is full.
    bool submit(WorkItem item);
    /// Takes every finished result.
    std::vector<WorkResult> drain();
    /// Items queued or running.
    std::size_t in_flight() const;

private:
    void loop();

    std::size_t capacity_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<WorkItem> queue_;
    std::vector<WorkResult> done_;
    std::size_t running_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sigil::node
