#include "core/route/filter.hpp"

#include <algorithm>

#include "core/route/health.hpp"

namespace sigil::route {

std::string_view to_string(Reject r) noexcept {
    switch (r) {
        case Reject::none: return "none";
        case Reject::inactive: return "inactive";
        case Reject::price: return "price";
        case Reject::region_not_allowed: return "region_not_allowed";
        case Reject::region_denied: return "region_denied";
        case Reject::hardware: return "hardware";
        case Reject::proof_mode: return "proof_mode";
        case Reject::quality: return "quality";
        case Reject::stake: return "stake";
        case Reject::capacity: return "capacity";
        case Reject::cooling_down: return "cooling_down";
    }
    return "unknown";
}

Amount required_stake(Amount value, std::uint32_t ratio_bips) noexcept {
    if (value == 0 || ratio_bips == 0) return 0;
    const Amount q = value / 10'000;
    const Amount r = value % 10'000;
    // value x ratio / 1e4 = q x ratio + r x ratio / 1e4, without overflowing the product.
    if (q > kMaxAmount / ratio_bips) return kMaxAmount;
    const Amount whole = q * ratio_bips;
    const Amount part = (r * ratio_bips + 9'999) / 10'000;
    return whole > kMaxAmount - part ? kMaxAmount : whole + part;
}

namespace {
bool contains(const std::vector<std::uint16_t>& sorted, std::uint16_t v) noexcept {
    return std::binary_search(sorted.begin(), sorted.end(), v);
}
}  // namespace

Reject check_static(const Offer& o, const Query& q) noexcept {
    if (!o.active) return Reject::inactive;
    if (o.price > q.max_price) return Reject::price;
    if (!q.region_allow.empty() && !contains(q.region_allow, o.region)) return Reject::region_not_allowed;
    if (!q.region_deny.empty() && contains(q.region_deny, o.region)) return Reject::region_denied;
    if (!q.hardware.empty() && !contains(q.hardware, o.hardware)) return Reject::hardware;
    if ((o.proof_modes & q.proof_modes) != q.proof_modes) return Reject::proof_mode;
    if (o.quality < q.min_quality) return Reject::quality;
    if (q.min_stake_ratio_bips != 0 && o.stake < required_stake(q.value, q.min_stake_ratio_bips)) {
        return Reject::stake;
    }
    return Reject::none;
}

Reject check_load(const Offer& o, const Load& l, std::int64_t now_ms, const HealthParams& p) noexcept {
    if (cooling(l.health, now_ms)) return Reject::cooling_down;
    if (l.outstanding >= admitted_capacity(o.capacity, l.health, now_ms, p)) return Reject::capacity;
    if (l.outstanding >= 1 && stale(l.latency, now_ms, p)) return Reject::capacity;
    return Reject::none;
}

}  // namespace sigil::route
