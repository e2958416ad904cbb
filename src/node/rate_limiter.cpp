#include "node/rate_limiter.hpp"

#include <algorithm>

namespace sigil::node {

bool RateLimiter::allow(const std::string& client, std::int64_t now_ms) {
    std::lock_guard lock(mu_);
    const double cap = static_cast<double>(rate_);
    auto [it, fresh] = buckets_.try_emplace(client, Bucket{cap, now_ms});
    Bucket& b = it->second;
    if (!fresh && now_ms > b.last_ms) {
        b.tokens = std::min(cap, b.tokens + static_cast<double>(now_ms - b.last_ms) * cap / 1000.0);
        b.last_ms = now_ms;
    }
    if (buckets_.size() > 100'000) buckets_.clear();  // bound memory under address churn
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

}  // namespace sigil::node
