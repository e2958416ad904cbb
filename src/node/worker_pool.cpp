#include "node/worker_pool.hpp"

#include <chrono>
#include <map>

#include "core/trace/chunks.hpp"
#include "runtime/exec/executor.hpp"

namespace sigil::node {

namespace {

Result<Claim, std::string> run_with(runtime::Executor& ex, BytesView input) {
    const std::vector<Bytes> inputs{Bytes(input.begin(), input.end())};
    auto r = ex.run(inputs);
    if (!r) return fail(std::string("runtime error"));
    if (r->outputs.empty() || !r->trace) return fail(std::string("program has no committed output"));
    Claim c;
    c.output = r->outputs[0];
    c.output_root = trace::tensor_root(c.output);
    c.trace_root = r->state_root;
    c.steps = r->steps;
    c.input_root = r->trace->input_root();
    return c;
}

runtime::ExecOptions single_thread() {
    runtime::ExecOptions o;
    o.threads = 1;
    o.commit = true;
    return o;
}

}  // namespace

Result<Claim, std::string> generation_claim(const LmService& lms, const LanguageModel& lm, BytesView input) {
    auto c = lms.serve(lm, input);
    if (!c) return fail(c.error());
    return Claim{std::move(c->output), c->output_root, c->trace_root, c->steps, c->input_root};
}

Result<Claim, std::string> run_model(const ServedModel& model, BytesView input) {
    if (input.size() != model.input_bytes) return fail(std::string("input size"));
    runtime::Executor ex(*model.program, single_thread());
    return run_with(ex, input);
}

WorkerPool::WorkerPool(unsigned workers, std::size_t capacity) : capacity_(capacity) {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { loop(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

bool WorkerPool::submit(WorkItem item) {
    {
        std::lock_guard lock(mu_);
        if (queue_.size() >= capacity_) return false;
        queue_.push_back(std::move(item));
    }
    cv_.notify_one();
    return true;
}

std::vector<WorkResult> WorkerPool::drain() {
    std::lock_guard lock(mu_);
    std::vector<WorkResult> out;
    out.swap(done_);
    return out;
}

std::size_t WorkerPool::in_flight() const {
    std::lock_guard lock(mu_);
    return queue_.size() + running_;
}

void WorkerPool::loop() {
    std::map<const ServedModel*, std::unique_ptr<runtime::Executor>> executors;
    for (;;) {
        WorkItem item;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            item = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        const auto t0 = std::chrono::steady_clock::now();
        WorkResult res{item.id, fail(std::string("not run")), 0};
        if (item.lm != nullptr) {
            res.claim = generation_claim(*item.lms, *item.lm, item.input);
        } else if (item.backend != nullptr) {
            res.claim = agreement_claim(*item.backends, *item.backend, item.input);
        } else {
            auto& ex = executors[item.model];
            if (!ex) ex = std::make_unique<runtime::Executor>(*item.model->program, single_thread());
            res.claim = item.input.size() == item.model->input_bytes ? run_with(*ex, item.input)
                                                                     : fail(std::string("input size"));
        }
        res.run_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
        std::lock_guard lock(mu_);
        done_.push_back(std::move(res));
        --running_;
    }
}

}  // namespace sigil::node
