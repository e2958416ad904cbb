#pragma once
/// Token buckets per client: `rate` tokens per second, bursts up to `rate`. Thread-safe; the
/// clock is passed in so tests drive it.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sigil::node {

class RateLimiter {
public:
    explicit RateLimiter(std::uint32_t rate_per_second) : rate_(rate_per_second) {}
    /// Takes one token for `client` at time `now_ms`; false when the bucket is empty.
    bool allow(const std::string& client, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t last_ms = 0;
    };
    std::uint32_t rate_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace sigil::node
