#pragma once
/// Counters and histograms in Prometheus text exposition format
/// (https://prometheus.io/docs/instrumenting/exposition_formats/). Thread-safe.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sigil::node {

/// A histogram over fixed bucket bounds (seconds), keeping the raw samples' sum and count.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);
    /// Appends `name_bucket{le=...}`, `name_sum` and `name_count` lines.
    void render(const std::string& name, const std::string& help, std::string& out) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

class Metrics {
public:
    Metrics();
    void observe_delivery_latency(double seconds);   ///< request log read -> our answer's receipt
    void observe_node_overhead(double seconds);      ///< the same, minus inference time
    void observe_inference(double seconds);
    void add_gas(std::uint64_t gas);
    void rpc_error(const std::string& kind);
    void tx_sent(const std::string& kind);
    void api_request(int status);

    /// The exposition text; `job_states` are the stored jobs by state (read at scrape time).
    std::string render(const std::map<std::string, std::uint64_t>& job_states) const;

private:
    mutable std::mutex mu_;
    Histogram delivery_;
    Histogram overhead_;
    Histogram inference_;
    std::uint64_t gas_ = 0;
    std::map<std::string, std::uint64_t> rpc_errors_;
    std::map<std::string, std::uint64_t> txs_;
    std::map<int, std::uint64_t> api_;
};

}  // namespace sigil::node
