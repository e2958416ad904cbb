#include "node/metrics.hpp"

#include <cstdio>

namespace sigil::node {

namespace {
std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}
const std::vector<double> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}

void Histogram::observe(double v) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (v <= bounds_[i]) ++counts_[i];
    }
    sum_ += v;
    ++count_;
}

void Histogram::render(const std::string& name, const std::string& help, std::string& out) const {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        out += name + "_bucket{le=\"" + num(bounds_[i]) + "\"} " + std::to_string(counts_[i]) + "\n";
    }
    out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
    out += name + "_sum " + num(sum_) + "\n" + name + "_count " + std::to_string(count_) + "\n";
}

Metrics::Metrics() : delivery_(kLatencyBounds), overhead_(kLatencyBounds), inference_(kLatencyBounds) {}

void Metrics::observe_delivery_latency(double s) {
    std::lock_guard lock(mu_);
    delivery_.observe(s);
}
void Metrics::observe_node_overhead(double s) {
    std::lock_guard lock(mu_);
    overhead_.observe(s);
}
void Metrics::observe_inference(double s) {
    std::lock_guard lock(mu_);
    inference_.observe(s);
}
void Metrics::add_gas(std::uint64_t gas) {
    std::lock_guard lock(mu_);
    gas_ += gas;
}
void Metrics::rpc_error(const std::string& kind) {
    std::lock_guard lock(mu_);
    ++rpc_errors_[kind];
}
void Metrics::tx_sent(const std::string& kind) {
    std::lock_guard lock(mu_);
    ++txs_[kind];
}
void Metrics::api_request(int status) {
    std::lock_guard lock(mu_);
    ++api_[status];
}

std::string Metrics::render(const std::map<std::string, std::uint64_t>& job_states) const {
    std::lock_guard lock(mu_);
    std::string out;
    out += "# HELP sigil_node_jobs Stored jobs by state.\n# TYPE sigil_node_jobs gauge\n";
    for (const auto& [state, n] : job_states) out += "sigil_node_jobs{state=\"" + state + "\"} " + std::to_string(n) + "\n";
    delivery_.render("sigil_node_delivery_latency_seconds", "Request log read to the answer's receipt.", out);
    overhead_.render("sigil_node_overhead_seconds", "Request log read to the answer's receipt, minus inference.", out);
    inference_.render("sigil_node_inference_seconds", "Runtime time per job.", out);
    out += "# HELP sigil_node_gas_used_total Gas used by the node's transactions.\n# TYPE sigil_node_gas_used_total counter\n";
    out += "sigil_node_gas_used_total " + std::to_string(gas_) + "\n";
    out += "# HELP sigil_node_rpc_errors_total RPC failures by kind.\n# TYPE sigil_node_rpc_errors_total counter\n";
    for (const auto& [k, n] : rpc_errors_) out += "sigil_node_rpc_errors_total{kind=\"" + k + "\"} " + std::to_string(n) + "\n";
    out += "# HELP sigil_node_transactions_total Transactions sent by kind.\n# TYPE sigil_node_transactions_total counter\n";
    for (const auto& [k, n] : txs_) out += "sigil_node_transactions_total{kind=\"" + k + "\"} " + std::to_string(n) + "\n";
    out += "# HELP sigil_node_api_requests_total API responses by status.\n# TYPE sigil_node_api_requests_total counter\n";
    for (const auto& [k, n] : api_) out += "sigil_node_api_requests_total{status=\"" + std::to_string(k) + "\"} " + std::to_string(n) + "\n";
    return out;
}

}  // namespace sigil::node
