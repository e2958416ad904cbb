#include "router/matcher.hpp"

#include <algorithm>

#include "core/route/filter.hpp"
#include "core/route/health.hpp"
#include "core/route/select.hpp"

namespace sigil::router {

std::string_view to_string(RouteError e) noexcept {
    switch (e) {
        case RouteError::no_model:
            return "no_model";
        case RouteError::too_many_models:
            return "too_many_models";
        case RouteError::unknown_market:
            return "unknown_market";
        case RouteError::no_candidate:
            return "no_candidate";
    }
    return "unknown";
}

namespace {

std::string key_of(const Address& a) { return {reinterpret_cast<const char*>(a.data()), a.size()}; }

std::string market_key(const Hash& model, const Address& token) {
    std::string k(reinterpret_cast<const char*>(model.data()), model.size());
    k.append(reinterpret_cast<const char*>(token.data()), token.size());
    return k;
}

/// Sorted, de-duplicated region ids of `names`; unknown names map to nothing (allow lists then
/// admit no operator from them, deny lists deny nothing extra).
std::vector<std::uint16_t> region_ids(const std::vector<std::string>& names,
                                      const std::unordered_map<std::string, std::uint16_t>& table) {
    std::vector<std::uint16_t> out;
    for (const std::string& n : names) {
        auto it = table.find(n);
        if (it != table.end()) out.push_back(it->second);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

struct Matcher::Snapshot {
    std::uint64_t version = 0;
    std::uint64_t block = 0;
    std::vector<std::pair<std::uint32_t, OperatorRecord>> operators;  // (slot, record)
    std::unordered_map<std::string, std::uint32_t> slot_of;           // address -> slot
    std::unordered_map<std::uint32_t, std::uint32_t> record_of;       // slot -> operators index
    std::unordered_map<std::string, std::uint32_t> market_of;         // model||token -> market
    std::vector<std::vector<route::Offer>> markets;
    std::vector<Hash> market_model;
    std::unordered_map<std::string, std::uint16_t> regions;
};

/// Load and health of one operator. Readers load fields one by one (relaxed); writers of the
/// multi-field records (latency, health) serialize on a per-operator spin flag.
struct Matcher::Stats {
    std::atomic<double> ewma_ms{0};
    std::atomic<std::int64_t> stamp_ms{0};
    std::atomic<std::uint32_t> outstanding{0};
    std::atomic<std::uint32_t> failures{0};
    std::atomic<std::int64_t> cooldown_until_ms{0};
    std::atomic_flag lock = ATOMIC_FLAG_INIT;

    void acquire() noexcept {
        while (lock.test_and_set(std::memory_order_acquire)) {
        }
    }
    void release() noexcept { lock.clear(std::memory_order_release); }
};

Matcher::Matcher(route::HealthParams params) : params_(params) { snap_.store(std::make_shared<const Snapshot>()); }

Matcher::~Matcher() {
    for (auto& c : chunks_) delete[] c.load();
}

Matcher::Stats* Matcher::stats(std::uint32_t slot) const noexcept {
    if (slot >= kMaxOperators) return nullptr;
    Stats* chunk = chunks_[slot / kChunk].load(std::memory_order_acquire);
    return chunk == nullptr ? nullptr : &chunk[slot % kChunk];
}

Matcher::Stats& Matcher::ensure_stats(std::uint32_t slot) {
    auto& c = chunks_[slot / kChunk];
    if (c.load(std::memory_order_relaxed) == nullptr) c.store(new Stats[kChunk], std::memory_order_release);
    return c.load(std::memory_order_relaxed)[slot % kChunk];
}

void Matcher::publish(const RegistryState& state) {
    auto next = std::make_shared<Snapshot>();
    const auto prev = snap_.load();
    next->version = prev->version + 1;
    next->block = state.block;
    std::unordered_map<std::string, std::uint16_t> quality;
    for (const ModelRecord& m : state.models) {
        quality[std::string(reinterpret_cast<const char*>(m.root.data()), m.root.size())] =
            std::min<std::uint16_t>(m.quality, 10'000);
    }
    for (const OperatorRecord& rec : state.operators) {
        auto [it, fresh] = slots_.try_emplace(key_of(rec.address), static_cast<std::uint32_t>(slots_.size()));
        if (it->second >= kMaxOperators) {
            if (fresh) slots_.erase(it);
            continue;
        }
        const std::uint32_t slot = it->second;
        ensure_stats(slot);
        if (next->slot_of.count(it->first) != 0) continue;  // duplicate record: first wins
        next->slot_of.emplace(it->first, slot);
        next->record_of.emplace(slot, static_cast<std::uint32_t>(next->operators.size()));
        next->operators.emplace_back(slot, rec);
        auto [rit, rfresh] = next->regions.try_emplace(rec.region, static_cast<std::uint16_t>(next->regions.size()));
        (void)rfresh;
        for (const ServiceRecord& s : rec.services) {
            const std::string mk = market_key(s.model, s.token);
            auto [mit, mfresh] = next->market_of.try_emplace(mk, static_cast<std::uint32_t>(next->markets.size()));
            if (mfresh) {
                next->markets.emplace_back();
                next->market_model.push_back(s.model);
            }
            route::Offer o;
            o.price = s.price;
            o.stake = rec.stake;
            o.op = slot;
            o.capacity = rec.capacity;
            o.model = mit->second;
            o.region = rit->second;
            o.hardware = rec.hardware;
            auto q = quality.find(std::string(reinterpret_cast<const char*>(s.model.data()), s.model.size()));
            o.quality = q == quality.end() ? 0 : q->second;
            o.proof_modes = rec.proof_modes;
            o.active = rec.active;
            next->markets[mit->second].push_back(o);
        }
    }
    snap_.store(std::move(next));
}

std::shared_ptr<const Matcher::Snapshot> Matcher::snapshot() const { return snap_.load(); }
std::uint64_t Matcher::version() const { return snap_.load()->version; }

std::vector<std::pair<std::uint32_t, OperatorRecord>> Matcher::operators() const { return snap_.load()->operators; }

std::int64_t Matcher::slot_of(const Address& a) const {
    const auto s = snap_.load();
    auto it = s->slot_of.find(key_of(a));
    return it == s->slot_of.end() ? -1 : static_cast<std::int64_t>(it->second);
}

route::Load Matcher::load(std::uint32_t slot) const noexcept {
    route::Load l;
    const Stats* st = stats(slot);
    if (st == nullptr) return l;
    l.latency.value_ms = st->ewma_ms.load(std::memory_order_relaxed);
    l.latency.stamp_ms = st->stamp_ms.load(std::memory_order_relaxed);
    l.outstanding = st->outstanding.load(std::memory_order_relaxed);
    l.health.failures = st->failures.load(std::memory_order_relaxed);
    l.health.cooldown_until_ms = st->cooldown_until_ms.load(std::memory_order_relaxed);
    return l;
}

void Matcher::on_dispatch(std::uint32_t slot) noexcept {
    if (Stats* st = stats(slot)) st->outstanding.fetch_add(1, std::memory_order_relaxed);
}

void Matcher::on_complete(std::uint32_t slot, double latency_ms, bool ok, std::int64_t now_ms) noexcept {
    Stats* st = stats(slot);
    if (st == nullptr) return;
    std::uint32_t cur = st->outstanding.load(std::memory_order_relaxed);
    while (cur > 0 && !st->outstanding.compare_exchange_weak(cur, cur - 1, std::memory_order_relaxed)) {
    }
    st->acquire();
    const route::PeakEwma e =
        route::observe({st->ewma_ms.load(std::memory_order_relaxed), st->stamp_ms.load(std::memory_order_relaxed)},
                       latency_ms, now_ms, params_);
    st->ewma_ms.store(e.value_ms, std::memory_order_relaxed);
    st->stamp_ms.store(e.stamp_ms, std::memory_order_relaxed);
    route::Health h{st->failures.load(std::memory_order_relaxed),
                    st->cooldown_until_ms.load(std::memory_order_relaxed)};
    h = ok ? route::on_success(h, now_ms, params_) : route::on_failure(h, now_ms, params_);
    st->failures.store(h.failures, std::memory_order_relaxed);
    st->cooldown_until_ms.store(h.cooldown_until_ms, std::memory_order_relaxed);
    st->release();
}

void Matcher::on_failure(std::uint32_t slot, std::int64_t now_ms) noexcept {
    Stats* st = stats(slot);
    if (st == nullptr) return;
    st->acquire();
    route::Health h{st->failures.load(std::memory_order_relaxed),
                    st->cooldown_until_ms.load(std::memory_order_relaxed)};
    h = route::on_failure(h, now_ms, params_);
    st->failures.store(h.failures, std::memory_order_relaxed);
    st->cooldown_until_ms.store(h.cooldown_until_ms, std::memory_order_relaxed);
    st->release();
}

namespace {

route::Query resolve(const RouteRequest& req, const std::unordered_map<std::string, std::uint16_t>& regions) {
    route::Query q;
    q.max_price = req.max_price;
    q.region_allow = region_ids(req.region_allow, regions);
    q.region_deny = region_ids(req.region_deny, regions);
    q.hardware = req.hardware;
    std::sort(q.hardware.begin(), q.hardware.end());
    q.proof_modes = req.proof_modes;
    q.min_quality = req.min_quality;
    q.value = req.value;
    q.min_stake_ratio_bips = req.min_stake_ratio_bips;
    q.sort = req.sort;
    q.weights = req.weights;
    q.fallbacks = std::min<std::uint32_t>(req.fallbacks, 16);
    return q;
}

}  // namespace

Result<std::uint64_t, RouteFailure> Matcher::eligible(const RouteRequest& req, std::int64_t now_ms, bool gate_load,
                                                     std::vector<Eligible>& out, Decision& d) const {
    return eligible_in(*snap_.load(), req, now_ms, gate_load, out, d);
}

Result<std::uint64_t, RouteFailure> Matcher::eligible_in(const Snapshot& s, const RouteRequest& req, std::int64_t now_ms,
                                                        bool gate_load, std::vector<Eligible>& out, Decision& d) const {
    const Snapshot* snap = &s;
    out.clear();
    if (req.models.empty()) return fail(RouteFailure{RouteError::no_model, {}});
    if (req.models.size() > kMaxModels) return fail(RouteFailure{RouteError::too_many_models, {}});
    route::Query q = resolve(req, snap->regions);
    for (const Hash& m : req.models) {
        auto it = snap->market_of.find(market_key(m, req.token));
        if (it != snap->market_of.end()) q.markets.push_back(it->second);
    }
    if (q.markets.empty()) return fail(RouteFailure{RouteError::unknown_market, {}});
    std::sort(q.markets.begin(), q.markets.end());
    q.markets.erase(std::unique(q.markets.begin(), q.markets.end()), q.markets.end());
    route::prepare(q, snap->regions.size());
    // An allow list naming only unknown regions admits nobody.
    const bool allow_none = !req.region_allow.empty() && q.region_allow.empty();
    d.version = snap->version;
    for (std::uint32_t m : q.markets) {
        const auto& offers = snap->markets[m];
        for (std::uint32_t k = 0; k < offers.size(); ++k) {
            const route::Offer& o = offers[k];
            ++d.considered;
            route::Reject r = allow_none ? route::Reject::region_not_allowed : route::check_static(o, q);
            route::Load l;
            if (r == route::Reject::none) {
                l = load(o.op);
                if (gate_load) r = route::check_load(o, l, now_ms, params_);
            }
            if (r != route::Reject::none) {
                ++d.rejected[static_cast<std::size_t>(r)];
                continue;
            }
            Eligible e;
            e.slot = o.op;
            e.market = m;
            e.outstanding = l.outstanding;
            e.predicted_ms = route::predicted_latency(l, now_ms, params_);
            e.price = static_cast<double>(o.price);
            e.quality = o.quality;
            e.stake = static_cast<double>(o.stake);
            e.amount = o.price;
            out.push_back(e);
        }
    }
    return snap->version;
}

Candidate Matcher::candidate(const Eligible& e, double cost) const { return candidate_in(*snap_.load(), e, cost); }

Candidate Matcher::candidate_in(const Snapshot& s, const Eligible& e, double cost) {
    const Snapshot* snap = &s;
    Candidate c;
    c.slot = e.slot;
    auto rec = snap->record_of.find(e.slot);
    if (rec != snap->record_of.end()) {
        const OperatorRecord& r = snap->operators[rec->second].second;
        c.operator_address = r.address;
        c.endpoint = r.endpoint;
    }
    c.price = e.amount;
    c.model = e.market < snap->market_model.size() ? snap->market_model[e.market] : Hash{};
    c.predicted_ms = e.predicted_ms;
    c.cost = cost;
    return c;
}

Result<Decision, RouteFailure> Matcher::route(const RouteRequest& req, std::int64_t now_ms, std::uint64_t random) const {
    thread_local std::vector<Eligible> found;
    thread_local std::vector<route::Scored> scored;
    thread_local std::vector<std::uint32_t> order;
    Decision d;
    const auto snap = snap_.load();
    if (auto ok = eligible_in(*snap, req, now_ms, true, found, d); !ok) return fail(ok.error());
    if (found.empty()) return fail(RouteFailure{RouteError::no_candidate, d.rejected});
    scored.resize(found.size());
    for (std::uint32_t i = 0; i < found.size(); ++i) {
        scored[i] = {i, found[i].price, found[i].predicted_ms, found[i].quality, found[i].stake, 0};
    }
    route::Query q;
    q.sort = req.sort;
    q.weights = req.weights;
    const std::uint32_t keep = std::min<std::uint32_t>(req.fallbacks, 16);
    // An operator serving several acceptable models has one offer per model; rank enough to
    // fill the list with distinct operators, keeping each operator's best offer.
    const auto models = static_cast<std::uint32_t>(std::min<std::size_t>(req.models.size(), kMaxModels));
    q.fallbacks = (keep + 1) * models - 1;
    route::rank(scored, q, random, order);
    d.ranked.reserve(keep + 1);
    for (std::uint32_t i : order) {
        const Eligible& e = found[scored[i].offer];
        bool dup = false;
        for (const Candidate& c : d.ranked) dup = dup || c.slot == e.slot;
        if (dup) continue;
        d.ranked.push_back(candidate_in(*snap, e, scored[i].cost));
        if (d.ranked.size() == keep + 1) break;
    }
    return d;
}

}  // namespace sigil::router
