#include "devnet/workload.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "bindings/coordinator.hpp"
#include "bindings/fashion_classifier.hpp"
#include "bindings/test_token.hpp"
#include "core/trace/chunks.hpp"
#include "devnet/artifacts.hpp"
#include "devnet/client.hpp"
#include "devnet/events.hpp"
#include "devnet/process.hpp"

namespace sigil::devnet {
namespace {

using abi::Value;
using Clock = std::chrono::steady_clock;

constexpr std::uint8_t kStatusSettled = 5;

Value addr(const Address& a) { return Value::address(a); }
Value u(const u256& v, std::size_t bits = 256) { return Value::uint(v, bits); }

std::string base64(BytesView data) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const unsigned v = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8) | data[i + 2];
        for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63U];
    }
    if (i < data.size()) {
        unsigned v = unsigned{data[i]} << 16;
        if (i + 1 < data.size()) v |= unsigned{data[i + 1]} << 8;
        out += kAlphabet[(v >> 18) & 63U];
        out += kAlphabet[(v >> 12) & 63U];
        out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63U] : '=';
        out += '=';
    }
    return out;
}

std::vector<chain::Log> logs_for(Session& s, const Deployment& d, const Address& where, std::string_view ev,
                                 const std::optional<Hash>& topic1) {
    chain::LogFilter f;
    f.from_block = d.deploy_block;
    f.addresses = {where};
    f.topics = {{topic_of(ev)}};
    if (topic1) f.topics.push_back({*topic1});
    auto logs = s.eth().get_logs(f);
    if (!logs) throw DevnetError("eth_getLogs: " + describe_rpc_error(logs.error()));
    return *logs;
}



u256 gas_of(Session& s, const Hash& tx) {
    auto rc = s.eth().get_transaction_receipt(tx);
    return rc && *rc ? (*rc)->gas_used : u256(0);
}

u256 credit(Session& s, const Deployment& d, const Address& who) {
    return s
        .call_values(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::credits),
                     {addr(who), addr(d.pay_token)})
        .at(0)
        .num;
}

}  // namespace

std::uint8_t status_of(Session& s, const Deployment& d, const Hash& id) {
    auto v = s.call_values(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::getRequest),
                           {Value::bytes_n(id)});
    return static_cast<std::uint8_t>(v.at(0).elems.at(bindings::coordinator::field::Request::status).num);
}

std::optional<Value> answer_claim(Session& s, const Deployment& d, const Hash& id) {
    std::optional<Value> claim;
    for (const char* ev : {"Delivered", "Revealed"}) {
        for (const auto& l : logs_for(s, d, d.coordinator, ev, id)) {
            if (auto v = decode_event(ev, l)) claim = (*v)[bindings::coordinator::arg::Delivered::claim];
        }
    }
    return claim;
}

void settle_answered(Signer& owner, const Deployment& d, const Hash& id, const Value& job, std::ostream& progress) {
    Session& s = owner.session();
    if (status_of(s, d, id) == kStatusSettled) return;
    auto claim = answer_claim(s, d, id);
    if (!claim) return;
    try {
        owner.send_values(d.coordinator, bindings::coordinator::fn::settle.signature,
                          {Value::bytes_n(id), job, *claim});
    } catch (const DevnetError& e) {
        // A node may have settled it meanwhile.
        if (status_of(s, d, id) != kStatusSettled) progress << "settle " << to_hex(id) << ": " << e.what() << "\n";
    }
}

Value template_params(const Deployment& d, const ModelFile& m, const u256& price, std::uint8_t k) {
    return Value::tuple({Value::bytes_n(m.root), Value::bytes_n(Hash{}), addr(d.pay_token), u(price, 96), u(k, 8),
                         Value::boolean(false), u(300'000, 32), u(3600, 32), u(k > 1 ? 120 : 0, 32), addr(Address{})});
}

std::pair<Hash, std::vector<Value>> requested_of(const chain::Receipt& r) {
    auto v = find_event("Requested", r.logs);
    if (!v) throw DevnetError("transaction " + to_hex(r.transaction_hash) + " emitted no Requested event");
    namespace R = bindings::coordinator::arg::Requested;
    return {as_hash((*v)[R::id]), {(*v)[R::job]}};
}

void wait_for_callbacks(Session& s, const Deployment& d, std::map<Hash, std::size_t>& pending, std::uint64_t& from,
                        Clock::time_point until, const std::function<void(std::size_t, Clock::time_point)>& seen) {
    while (!pending.empty() && Clock::now() < until) {
        if (!sleep_unless_stopped(std::chrono::milliseconds(50))) throw DevnetError("stopped");
        auto head = s.eth().block_number();
        if (!head || *head < from) continue;
        chain::LogFilter f;
        f.from_block = from;
        f.to_block = *head;
        f.addresses = {d.coordinator};
        f.topics = {{topic_of("CallbackResult")}};
        auto logs = s.eth().get_logs(f);
        if (!logs) continue;
        const auto now = Clock::now();
        for (const auto& l : *logs) {
            if (l.topics.size() < 2) continue;
            auto it = pending.find(l.topics[1]);
            if (it == pending.end()) continue;
            seen(it->second, now);
            pending.erase(it);
        }
        from = *head + 1;
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const auto idx = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
    return values[idx];
}

Summary run_workload(Signer& owner, const Deployment& d, const World& w, const WorkloadParams& params,
                     std::ostream& progress) {
    Session& s = owner.session();
    if (w.models.empty()) throw DevnetError("no models registered");
    const ModelFile& model = w.models.at(std::min(params.model_index, w.models.size() - 1));
    const data::Dataset images = load_test_images();
    Signer consumer(s, w.consumer.key());

    const Bytes classifier_code = creation_code("FashionClassifier");
    const char* ctor = bindings::fashion_classifier::kConstructor;
    const Address k1 = consumer.deploy(classifier_code, ctor, {addr(d.coordinator), template_params(d, model, w.params.price, 1)});
    const Address k3 = consumer.deploy(classifier_code, ctor, {addr(d.coordinator), template_params(d, model, w.params.price, 3)});
    const u256 budget = u256(100) * kWad;
    for (const auto& c : {k1, k3})
        owner.send_values(d.pay_token, bindings::test_token::fn::mint.signature, {addr(c), u(budget)});
    progress << "consumer contracts: FashionClassifier k=1 " << to_hex(k1) << ", k=3 " << to_hex(k3) << "\n";

    std::vector<RequestRecord> records;
    auto expect = [&](RequestRecord& r) {
        const Bytes input = encode_image(model, images.image(r.image));
        const LocalAnswer a = run_local(model, input);
        r.expected_label = a.label;
        r.expected_output = a.output;
        r.true_label = images.labels.at(r.image);
        return input;
    };
    auto record_request = [&](RequestRecord r, const chain::Receipt& receipt) {
        auto [id, job] = requested_of(receipt);
        r.id = id;
        r.job = std::move(job);
        r.request_gas = receipt.gas_used;
        r.sent = Clock::now();
        records.push_back(std::move(r));
    };

    // Callbacks: a CallbackResult log per request (latency = request receipt -> the poll that saw it).
    std::map<Hash, std::size_t> pending;
    std::uint64_t from = d.deploy_block;
    auto wait_for = [&](Clock::time_point until) {
        wait_for_callbacks(s, d, pending, from, until, [&](std::size_t i, Clock::time_point now) {
            records[i].latency_ms = std::chrono::duration<double, std::milli>(now - records[i].sent).count();
        });
    };
    const auto deadline = Clock::now() + params.timeout;
    for (unsigned i = 0; i < params.singles + params.redundant; ++i) {
        RequestRecord r;
        const bool redundant = i >= params.singles;
        r.kind = redundant ? "k3" : "single";
        r.consumer = redundant ? k3 : k1;
        r.item = i + 1;
        r.image = i + 1;
        const Bytes input = expect(r);
        const auto receipt = consumer.send_values(r.consumer, bindings::fashion_classifier::fn::classify.signature,
                                                  {u(r.item), Value::dyn_bytes(input), addr(Address{})});
        record_request(std::move(r), receipt);
    }

    // Routed requests: the consumer account asks the router, then calls requestRouted with the
    // signed assignment; the assigned node has the exclusive window.
    std::map<Hash, RoutedAssignment> routed;
    if (!params.router_url.empty() && params.routed > 0) {
        owner.send_values(d.pay_token, bindings::test_token::fn::mint.signature, {addr(consumer.address()), u(budget)});
        consumer.send_values(d.pay_token, bindings::test_token::fn::approve.signature,
                             {addr(d.coordinator), u(budget)});
        Value p = template_params(d, model, w.params.price, 1);
        p.elems.at(bindings::coordinator::field::RequestParams::commitWindow) = u(params.routed_window, 32);
        for (unsigned i = 0; i < params.routed; ++i) {
            RequestRecord r;
            r.kind = "routed";
            r.consumer = consumer.address();
            r.image = params.singles + params.redundant + 1 + i;
            const Bytes input = expect(r);
            auto a = route_request(params.router_url, consumer.address(), p, u256(s.timestamp() + 3600));
            const auto receipt = request_routed(consumer, d, a, input);
            routed.emplace(requested_of(receipt).first, std::move(a));
            record_request(std::move(r), receipt);
        }
        progress << params.routed << " requests routed through " << params.router_url << "\n";
    }

    for (std::size_t i = 0; i < records.size(); ++i) pending[records[i].id] = i;
    progress << records.size() << " requests sent; waiting for callbacks\n";
    wait_for(deadline);
    progress << (records.size() - pending.size()) << "/" << records.size() << " callbacks arrived\n";

    // Then the subscription. Its intervals carry their input only by commitment and a data: URI,
    // which the nodes resolve and check against the commitment; they are answered like the rest.
    const std::size_t first_interval = records.size();
    if (params.subscription_intervals > 0) {
        RequestRecord proto;
        proto.kind = "subscription";
        proto.consumer = k1;
        proto.item = 0;
        proto.image = 0;
        const Bytes input = expect(proto);
        const Hash input_root = trace::tensor_root(input);
        const std::string uri = "data:application/octet-stream;base64," + base64(input);
        const auto sub =
            consumer.send_values(k1, bindings::fashion_classifier::fn::subscribe.signature,
                                 {Value::bytes_n(input_root), Value::string(uri), u(params.subscription_period, 32),
                                  u(params.subscription_intervals, 16)});
        auto ev = find_event("Subscribed", sub.logs);
        if (!ev) throw DevnetError("subscribe emitted no Subscribed event");
        const u256 sub_id = (*ev)[bindings::coordinator::arg::Subscribed::subId].num;
        const Value terms = (*ev)[bindings::coordinator::arg::Subscribed::terms];
        for (unsigned i = 0; i < params.subscription_intervals; ++i) {
            if (i > 0) s.advance_time(params.subscription_period);
            const auto r =
                owner.send_values(d.coordinator, bindings::coordinator::fn::trigger.signature, {u(sub_id), terms});
            record_request(proto, r);
        }
        progress << "subscription " << to_dec(sub_id) << ": " << params.subscription_intervals << " intervals triggered\n";
    }
    for (std::size_t i = first_interval; i < records.size(); ++i) pending[records[i].id] = i;
    if (records.size() > first_interval) {
        wait_for(deadline);
        progress << (records.size() - pending.size()) << "/" << records.size() << " callbacks arrived\n";
    }


    // Settle after the challenge window (nodes may have settled some already).
    s.advance_time(params.challenge_window + 1);
    Summary sum;
    for (const auto& r : records) {
        if (pending.count(r.id) == 0) settle_answered(owner, d, r.id, r.job.at(0), progress);
    }
    // Requests nobody answered: past their deadline the escrow goes back to the consumer.
    if (!pending.empty()) {
        s.advance_time(3600 + 1);
        for (const auto& [id, idx] : pending) {
            try {
                owner.send_values(d.coordinator, bindings::coordinator::fn::refundExpired.signature,
                                  {Value::bytes_n(id), records[idx].job.at(0)});
                ++sum.refunded;
            } catch (const DevnetError& e) {
                progress << "refundExpired " << to_hex(id) << ": " << e.what() << "\n";
            }
        }
    }

    // Read the outcome back.
    std::vector<double> latencies;
    for (auto& r : records) {
        ++sum.requested;
        sum.request_gas_total += r.request_gas;
        std::string label = "-";
        int onchain = -1;
        for (const auto& l : logs_for(s, d, r.consumer, "Classified", std::nullopt)) {
            if (l.topics.size() >= 3 && l.topics[2] == r.id) {
                if (auto v = decode_event("Classified", l))
                    onchain = static_cast<int>((*v)[bindings::fashion_classifier::arg::Classified::label].num);
            }
        }
        if (r.kind == "routed") {  // the consumer is an account: the label is the delivered claim's
            if (auto c = answer_claim(s, d, r.id)) onchain = label_of_output(c->elems.at(bindings::coordinator::field::Claim::output).bytes);
        }
        for (const auto& l : logs_for(s, d, d.coordinator, "CallbackResult", r.id)) {
            if (auto v = decode_event("CallbackResult", l);
                v && (*v)[bindings::coordinator::arg::CallbackResult::success].num != 0) {
                ++sum.callbacks_ok;
            }
        }
        if (r.kind == "subscription") ++sum.subscription_requested;
        if (r.latency_ms >= 0) {
            ++sum.answered;
            if (r.kind == "subscription") ++sum.subscription_answered;
            latencies.push_back(r.latency_ms);
        }
        std::set<Hash> txs;
        for (const char* ev : {"Delivered", "Committed", "Revealed"}) {
            for (const auto& l : logs_for(s, d, d.coordinator, ev, r.id)) txs.insert(l.transaction_hash);
        }
        for (const auto& h : txs) r.node_gas += gas_of(s, h);
        for (const auto& l : logs_for(s, d, d.coordinator, "Settled", r.id)) r.settle_gas += gas_of(s, l.transaction_hash);
        sum.node_gas_total += r.node_gas;
        sum.settle_gas_total += r.settle_gas;
        if (r.latency_ms >= 0) {
            auto it = std::find_if(sum.gas_by_kind.begin(), sum.gas_by_kind.end(),
                                   [&](const auto& k) { return k.kind == r.kind; });
            if (it == sum.gas_by_kind.end()) it = sum.gas_by_kind.insert(sum.gas_by_kind.end(), {r.kind, 0, 0, 0, 0});
            ++it->answered;
            it->request += r.request_gas;
            it->node += r.node_gas;
            it->settle += r.settle_gas;
        }
        const std::uint8_t status = status_of(s, d, r.id);
        if (status == kStatusSettled) ++sum.settled;
        if (onchain >= 0 && onchain == r.expected_label) {
            ++sum.correct;
            if (r.kind == "subscription") ++sum.subscription_correct;
        }
        std::ostringstream line;
        line << r.kind << " " << to_hex(r.id).substr(0, 10) << " image " << r.image << ": on-chain "
             << (onchain >= 0 ? std::to_string(onchain) : label) << ", local " << r.expected_label << ", data set "
             << r.true_label << ", status " << int{status};
        if (r.latency_ms >= 0) line << ", " << static_cast<long>(r.latency_ms) << " ms";
        sum.per_request.push_back(line.str());
    }
    sum.routing.enabled = !params.router_url.empty();
    if (sum.routing.enabled) {
        sum.routing.router_url = params.router_url;
        sum.routing.registry = params.router_registry;
        sum.routing.window_s = params.routed_window;
        for (const auto& r : records) {
            if (r.kind != "routed") continue;
            const auto& a = routed.at(r.id);
            sum.routing.router = a.router;
            auto o = routed_outcome(s, d, r.id, r.job.at(0), a);
            ++sum.routing.routed;
            if (o.in_window) ++sum.routing.by_assigned_in_window;
            if (o.fallback) ++sum.routing.by_fallback;
            if (o.answered_by == Address{}) ++sum.routing.unanswered;
            sum.routing.outcomes.push_back(std::move(o));
        }
        sum.routing.assignments_used =
            static_cast<unsigned>(assignment_uses(s, params.router_registry, d.deploy_block).size());
    }
    sum.latency_p50_ms = percentile(latencies, 50);
    sum.latency_p90_ms = percentile(latencies, 90);
    sum.latency_p99_ms = percentile(latencies, 99);
    sum.latency_max_ms = percentile(latencies, 100);

    const std::vector<Address> strategies{d.strategy};
    u256 credits = 0;
    for (const auto& op : w.operators) {
        sum.payees.push_back({"operator", op.self.label, op.self.address, claimable(s, d, op.self.address, d.pay_token, strategies)});
        credits += credit(s, d, op.self.address);
        for (const auto& del : op.delegators) {
            sum.payees.push_back({"delegator", del.label, del.address, claimable(s, d, del.address, d.pay_token, strategies)});
        }
    }
    const u256 creator_credit = credit(s, d, w.creator.address);
    const u256 treasury_credit = credit(s, d, d.treasury);
    const u256 refunds = credit(s, d, k1) + credit(s, d, k3) + credit(s, d, consumer.address());
    sum.payees.push_back({"creator", w.creator.label, w.creator.address, creator_credit});
    sum.payees.push_back({"treasury", "treasury", d.treasury, treasury_credit});
    sum.payees.push_back({"consumer refunds", "FashionClassifier k=1 + k=3 + routed account", k1, refunds});
    credits += creator_credit + treasury_credit + refunds;
    sum.coordinator_balance = token_balance(s, d.pay_token, d.coordinator);
    sum.outstanding_credits = credits;
    sum.escrow_paid_out = sum.coordinator_balance == credits;
    sum.requests = std::move(records);
    return sum;
}

std::string Summary::to_text() const {
    std::ostringstream o;
    o << "requests          " << requested << " sent, " << answered << " answered, " << settled << " settled, "
      << correct << " correct (on-chain label == local runtime), " << callbacks_ok << " callbacks succeeded, "
      << refunded << " refunded after their deadline\n";
    o << "subscription      " << subscription_answered << "/" << subscription_requested << " intervals answered\n";
    o << "latency           request -> callback: p50 " << static_cast<long>(latency_p50_ms) << " ms, p90 "
      << static_cast<long>(latency_p90_ms) << " ms, p99 " << static_cast<long>(latency_p99_ms) << " ms, max "
      << static_cast<long>(latency_max_ms) << " ms\n";
    for (const auto& k : gas_by_kind) {
        const u256 n = k.answered;
        o << "gas (" << k.kind << ")" << std::string(k.kind.size() < 11 ? 11 - k.kind.size() : 1, ' ') << "per request: consumer "
          << to_dec(k.request / n) << ", nodes " << to_dec(k.node / n) << ", settlement " << to_dec(k.settle / n)
          << ", total " << to_dec((k.request + k.node + k.settle) / n) << " (" << k.answered << " answered)\n";
    }
    o << "payouts (PAY)\n";
    for (const auto& p : payees) {
        o << "  " << p.role << " " << p.label << " " << to_hex(p.address) << "  " << format_units(p.amount) << "\n";
    }
    o << "escrow            Coordinator holds " << format_units(coordinator_balance) << " PAY, credits outstanding "
      << format_units(outstanding_credits) << (escrow_paid_out ? " (no escrow left)" : " (ESCROW LEFT)") << "\n";
    o << routing.to_text();
    for (const auto& l : per_request) o << "  " << l << "\n";
    return o.str();
}

chain::Json Summary::to_json() const {
    chain::Json j = {{"requested", requested},       {"answered", answered},
                     {"settled", settled},           {"correct", correct},
                     {"callbacksOk", callbacks_ok},  {"refunded", refunded},
                     {"subscriptionRequested", subscription_requested},
                     {"subscriptionAnswered", subscription_answered},  {"latencyP50Ms", latency_p50_ms},
                     {"latencyP90Ms", latency_p90_ms}, {"latencyP99Ms", latency_p99_ms},
                     {"requestGasTotal", to_dec(request_gas_total)}, {"nodeGasTotal", to_dec(node_gas_total)},
                     {"settleGasTotal", to_dec(settle_gas_total)}, {"coordinatorBalance", to_dec(coordinator_balance)},
                     {"outstandingCredits", to_dec(outstanding_credits)}, {"escrowPaidOut", escrow_paid_out}};
    j["gasByKind"] = chain::Json::array();
    for (const auto& k : gas_by_kind) {
        j["gasByKind"].push_back({{"kind", k.kind}, {"answered", k.answered}, {"request", to_dec(k.request)},
                                  {"node", to_dec(k.node)}, {"settle", to_dec(k.settle)}});
    }
    j["routing"] = routing.to_json();
    j["payees"] = chain::Json::array();
    for (const auto& p : payees) {
        j["payees"].push_back({{"role", p.role}, {"label", p.label}, {"address", to_hex(p.address)}, {"amount", to_dec(p.amount)}});
    }
    j["requests"] = chain::Json::array();
    for (const auto& r : requests) {
        j["requests"].push_back({{"id", to_hex(r.id)}, {"kind", r.kind}, {"consumer", to_hex(r.consumer)},
                                 {"item", r.item}, {"image", r.image}, {"expectedLabel", r.expected_label},
                                 {"trueLabel", r.true_label}, {"expectedOutput", to_hex(r.expected_output)},
                                 {"latencyMs", r.latency_ms}, {"requestGas", to_dec(r.request_gas)},
                                 {"nodeGas", to_dec(r.node_gas)}, {"settleGas", to_dec(r.settle_gas)}});
    }
    return j;
}

}  // namespace sigil::devnet
