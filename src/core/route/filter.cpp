#include "core/route/filter.hpp"

#include <algorithm>

#include "core/route/health.hpp"

namespace sigil::route {

std::string_view to_string(Reject r) noexcept {
    switch (r) {
        case Reject::none:
            return "none";
        case Reject::inactive:
            return "inactive";
        case Reject::price:
            return "price";
        case Reject::region_not_allowed:
            return "region_not_allowed";
        case Reject::region_denied:
            return "region_denied";
        case Reject::hardware:
            return "hardware";
        case Reject::proof_mode:
            return "proof_mode";
        case Reject::quality:
            return "quality";
        case Reject::stake:
            return "stake";
        case Reject::capacity:
            return "capacity";
        case Reject::cooling_down:
            return "cooling_down";
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

void prepare(Query& q, std::size_t region_count) {
    q.min_stake = required_stake(q.value, q.min_stake_ratio_bips);
    // The table costs O(regions) per request; beyond 256 regions the list lookups are cheaper.
    q.region_ok.assign(region_count <= 256 ? region_count : 0, 2);  // 2 = admitted
    for (std::size_t r = 0; r < q.region_ok.size(); ++r) {
        const auto id = static_cast<std::uint16_t>(r);
        if (!q.region_allow.empty() && !contains(q.region_allow, id)) q.region_ok[r] = 0;
        else if (!q.region_deny.empty() && contains(q.region_deny, id)) q.region_ok[r] = 1;
    }
    q.hardware_masked = !q.hardware.empty() && q.hardware.back() < 64;
    q.hardware_mask = 0;
    if (q.hardware_masked) {
        for (std::uint16_t h : q.hardware) q.hardware_mask |= std::uint64_t{1} << h;
    }
}

namespace {
Reject check_region(const Offer& o, const Query& q) noexcept {
    if (o.region < q.region_ok.size()) {
        const std::uint8_t v = q.region_ok[o.region];
        return v == 2 ? Reject::none : v == 0 ? Reject::region_not_allowed : Reject::region_denied;
    }
    if (!q.region_allow.empty() && !contains(q.region_allow, o.region)) return Reject::region_not_allowed;
    if (!q.region_deny.empty() && contains(q.region_deny, o.region)) return Reject::region_denied;
    return Reject::none;
}

bool hardware_ok(const Offer& o, const Query& q) noexcept {
    if (q.hardware.empty()) return true;
    if (q.hardware_masked) return o.hardware < 64 && (q.hardware_mask >> o.hardware & 1) != 0;
    return contains(q.hardware, o.hardware);
}
}  // namespace

Reject check_static(const Offer& o, const Query& q) noexcept {
    if (!o.active) return Reject::inactive;
    if (o.price > q.max_price) return Reject::price;
    if (const Reject r = check_region(o, q); r != Reject::none) return r;
    if (!hardware_ok(o, q)) return Reject::hardware;
    if ((o.proof_modes & q.proof_modes) != q.proof_modes) return Reject::proof_mode;
    if (o.quality < q.min_quality) return Reject::quality;
    if (q.min_stake_ratio_bips != 0) {
        // Prepared queries carry the bound; unprepared ones compute it here.
        const Amount need = q.min_stake != 0 ? q.min_stake : required_stake(q.value, q.min_stake_ratio_bips);
        if (o.stake < need) return Reject::stake;
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
