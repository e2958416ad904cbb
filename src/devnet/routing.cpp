#include "devnet/routing.hpp"

#include <httplib.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "bindings/coordinator.hpp"
#include "bindings/router_registry.hpp"
#include "bindings/test_token.hpp"
#include "core/abi/codec.hpp"
#include "core/abi/event.hpp"
#include "core/abi/type.hpp"
#include "devnet/artifacts.hpp"
#include "devnet/events.hpp"
#include "devnet/process.hpp"

namespace sigil::devnet {
namespace {

using abi::Value;
using Json = chain::Json;
namespace P = bindings::coordinator::field::RequestParams;

Value addr(const Address& a) { return Value::address(a); }
Value u(const u256& v, std::size_t bits = 256) { return Value::uint(v, bits); }

Address address_field(const Json& j, const char* what) {
    if (!j.is_string()) throw DevnetError(std::string("router answer: ") + what + " is not a string");
    auto a = parse_address(j.get<std::string>());
    if (!a) throw DevnetError(std::string("router answer: bad ") + what);
    return *a;
}

u256 uint_field(const Json& j, const char* what) {
    if (!j.is_string()) throw DevnetError(std::string("router answer: ") + what + " is not a string");
    auto v = parse_u256(j.get<std::string>());
    if (!v) throw DevnetError(std::string("router answer: bad ") + what);
    return *v;
}

const abi::Event& assignment_used_event() {
    static const abi::Event ev = [] {
        auto e = abi::parse_event(bindings::router_registry::event::AssignmentUsed.declaration);
        if (!e) throw DevnetError("bad AssignmentUsed signature");
        return *e;
    }();
    return ev;
}

/// `p` with `assigned` replaced.
Value with_assigned(Value p, const Address& node) {
    p.elems.at(bindings::coordinator::field::RequestParams::assigned) = addr(node);
    return p;
}

}  // namespace

void RouterInfo::save(const std::filesystem::path& path) const {
    Json j = {{"registry", to_checksum(registry)}, {"router", to_checksum(router.address)}, {"url", url}};
    std::ofstream(path) << j.dump(2) << '\n';
}

RouterInfo setup_router(Signer& owner, const Deployment& d, const RouterParams& p, int port) {
    if (p.bond < p.min_bond || p.bond == 0) throw DevnetError("router bond below the registry's minimum bond");
    Session& s = owner.session();
    RouterInfo r;
    r.port = port;
    r.url = "http://127.0.0.1:" + std::to_string(port);
    r.registry = owner.deploy(creation_code("RouterRegistry"), bindings::router_registry::kConstructor,
                              {addr(d.owner), addr(d.stake_token), u(p.min_bond), u(p.unbonding_delay, 64)});
    owner.send_values(r.registry, bindings::router_registry::fn::setCoordinator.signature, {addr(d.coordinator)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::setRouterRegistry.signature, {addr(r.registry)});

    const auto key = devnet_key("router");
    r.router.label = "router";
    r.router.secret = key.secret();
    r.router.address = key.address();
    r.router.stake = p.bond;
    fund_eth(s, r.router.address, u256(100) * u256(1'000'000'000'000'000'000ULL));
    owner.send_values(d.stake_token, bindings::test_token::fn::mint.signature, {addr(r.router.address), u(p.bond)});
    Signer router(s, key);
    router.send_values(d.stake_token, bindings::test_token::fn::approve.signature, {addr(r.registry), u(p.bond)});
    router.send_values(r.registry, bindings::router_registry::fn::register_.signature,
                       {Value::string(r.url), u(p.bond)});
    return r;
}

std::vector<std::string> router_command(const std::filesystem::path& sigil, const Deployment& d, const RouterInfo& r,
                                        const std::string& rpc_url, std::uint32_t poll_ms) {
    // The router key is a deterministic devnet key (like the nodes' --dev-key), so passing it on
    // the command line reveals nothing that is not already public.
    return {sigil.string(),
            "router",
            "--rpc-url",
            rpc_url,
            "--operator-registry",
            to_hex(d.operator_registry),
            "--model-registry",
            to_hex(d.model_registry),
            "--router-registry",
            to_hex(r.registry),
            "--coordinator",
            to_hex(d.coordinator),
            "--private-key",
            to_hex(r.router.secret),
            "--port",
            std::to_string(r.port),
            "--poll-ms",
            std::to_string(poll_ms)};
}

void wait_for_router(const std::string& url, std::size_t operators, std::chrono::milliseconds timeout,
                     const std::function<bool()>& alive) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::string last = "no answer";
    while (std::chrono::steady_clock::now() < until) {
        if (!alive()) throw DevnetError("the router exited at start; see router.log");
        httplib::Client c(url);
        c.set_connection_timeout(std::chrono::milliseconds(500));
        c.set_read_timeout(std::chrono::milliseconds(2000));
        if (auto res = c.Get("/health"); res && res->status == 200) {
            const Json j = Json::parse(res->body, nullptr, false);
            const std::size_t n = j.is_object() ? j.value("operators", std::size_t{0}) : 0;
            if (n >= operators) return;
            last = std::to_string(n) + " operators";
        }
        if (!sleep_unless_stopped(std::chrono::milliseconds(100))) throw DevnetError("stopped");
    }
    throw DevnetError("the router at " + url + " is not ready (" + last + ")");
}

Json params_json(const Value& p) {
    const auto& e = p.elems;
    return {{"modelRoot", to_hex(e.at(P::modelRoot).bytes)},
            {"inputRoot", to_hex(e.at(P::inputRoot).bytes)},
            {"token", to_hex(e.at(P::token).bytes)},
            {"price", to_dec(e.at(P::price).num)},
            {"redundancy", static_cast<unsigned>(e.at(P::redundancy).num)},
            {"afterWindow", e.at(P::afterWindow).num != 0},
            {"callbackGasLimit", static_cast<std::uint32_t>(e.at(P::callbackGasLimit).num)},
            {"ttl", static_cast<std::uint32_t>(e.at(P::ttl).num)},
            {"commitWindow", static_cast<std::uint32_t>(e.at(P::commitWindow).num)}};
}

Bytes RoutedAssignment::encoded() const {
    static const std::vector<abi::Type> types = [] {
        std::vector<abi::Type> t;
        for (const char* s : {"uint256", "uint256", "bytes"}) t.push_back(*abi::parse_type(s));
        return t;
    }();
    return abi::encode(types, {u(nonce), u(deadline), Value::dyn_bytes(signature)});
}

RoutedAssignment route_request(const std::string& url, const Address& consumer, const Value& params,
                               const u256& deadline, unsigned fallbacks) {
    const Json body = {
        {"models", Json::array({to_hex(params.elems.at(P::modelRoot).bytes)})},
        {"token", to_hex(params.elems.at(P::token).bytes)},
        {"fallbacks", fallbacks},
        {"assignment",
         {{"consumer", to_hex(consumer)}, {"params", params_json(params)}, {"deadline", static_cast<std::uint64_t>(deadline)}}}};
    httplib::Client c(url);
    c.set_connection_timeout(std::chrono::milliseconds(1000));
    c.set_read_timeout(std::chrono::milliseconds(5000));
    auto res = c.Post("/route", body.dump(), "application/json");
    if (!res) throw DevnetError("POST " + url + "/route: " + httplib::to_string(res.error()));
    const Json j = Json::parse(res->body, nullptr, false);
    if (res->status != 200) {
        std::string name = "http_" + std::to_string(res->status), message;
        if (j.is_object()) {
            name = j.value("error", name);
            message = j.value("message", std::string());
        }
        throw DevnetError("router refused the request: " + name + (message.empty() ? "" : ": " + message));
    }
    if (!j.is_object() || !j.contains("assignment") || !j["assignment"].is_object())
        throw DevnetError("router answer without an assignment");
    const Json& a = j["assignment"];
    RoutedAssignment out;
    out.router = address_field(a.value("router", Json()), "assignment.router");
    out.node = address_field(a.value("node", Json()), "assignment.node");
    if (address_field(a.value("consumer", Json()), "assignment.consumer") != consumer)
        throw DevnetError("router signed for another consumer");
    out.nonce = uint_field(a.value("nonce", Json()), "assignment.nonce");
    out.deadline = uint_field(a.value("deadline", Json()), "assignment.deadline");
    auto sig = from_hex(a.value("signature", std::string()));
    if (!sig || sig->size() != 65) throw DevnetError("router answer: bad assignment.signature");
    out.signature = *sig;
    for (const auto& cand : j.value("candidates", Json::array())) {
        out.candidates.push_back(address_field(cand.value("operator", Json()), "candidates[].operator"));
    }
    if (out.candidates.empty() || out.candidates.front() != out.node)
        throw DevnetError("router answer: the assigned node is not its first candidate");
    out.params = with_assigned(params, out.node);
    return out;
}

chain::Receipt request_routed(Signer& consumer, const Deployment& d, const RoutedAssignment& a, const Bytes& input) {
    return consumer.send_values(d.coordinator, bindings::coordinator::fn::requestRouted.signature,
                                {a.params, Value::dyn_bytes(input), Value::string(""), Value::dyn_bytes(a.encoded())});
}

std::vector<AssignmentUse> assignment_uses(Session& s, const Address& registry, std::uint64_t from) {
    const auto& ev = assignment_used_event();
    chain::LogFilter f;
    f.from_block = from;
    f.addresses = {registry};
    f.topics = {{abi::topic0(ev)}};
    auto logs = s.eth().get_logs(f);
    if (!logs) throw DevnetError("eth_getLogs: " + describe_rpc_error(logs.error()));
    std::vector<AssignmentUse> out;
    for (const auto& l : *logs) {
        auto v = abi::decode_log(ev, l.topics, l.data, abi::DecodeMode::lenient);
        if (!v) continue;
        AssignmentUse use;
        use.router = (*v)[0].as_address();
        use.request_id = as_hash((*v)[1]);
        use.node = (*v)[2].as_address();
        use.consumer = (*v)[3].as_address();
        use.nonce = (*v)[4].num;
        out.push_back(use);
    }
    return out;
}

RoutedOutcome routed_outcome(Session& s, const Deployment& d, const Hash& id, const Value& job,
                             const RoutedAssignment& a) {
    RoutedOutcome o;
    o.id = id;
    o.assigned = a.node;
    o.candidates = a.candidates;
    o.nonce = a.nonce;
    o.deadline = a.deadline;
    o.signature = a.signature;
    namespace J = bindings::coordinator::field::Job;
    const auto created_at = static_cast<std::uint64_t>(job.elems.at(J::createdAt).num);
    const auto window = static_cast<std::uint64_t>(job.elems.at(J::params).elems.at(P::commitWindow).num);
    chain::LogFilter f;
    f.from_block = d.deploy_block;
    f.addresses = {d.coordinator};
    f.topics = {{topic_of("Delivered")}, {id}};
    auto logs = s.eth().get_logs(f);
    if (!logs) throw DevnetError("eth_getLogs: " + describe_rpc_error(logs.error()));
    for (const auto& l : *logs) {
        auto v = decode_event("Delivered", l);
        if (!v) continue;
        o.answered_by = (*v)[bindings::coordinator::arg::Delivered::operator_].as_address();
        auto block = s.eth().get_block(chain::BlockId::number(l.block_number));
        if (!block || !*block) throw DevnetError("no block " + std::to_string(l.block_number));
        const std::uint64_t at = (*block)->timestamp;
        o.delivered_after_s = at >= created_at ? at - created_at : 0;
        o.in_window = o.answered_by == o.assigned && at < created_at + window;
        o.fallback = o.answered_by != o.assigned;
    }
    return o;
}

int label_of_output(BytesView output) {
    if (output.size() == 1) return output[0] < 10 ? output[0] : -1;
    if (output.size() != 10) return -1;
    int best = static_cast<std::int8_t>(output[0]), label = 0;
    for (int i = 1; i < 10; ++i) {
        const int v = static_cast<std::int8_t>(output[static_cast<std::size_t>(i)]);
        if (v > best) {
            best = v;
            label = i;
        }
    }
    return label;
}

std::string RoutingSummary::to_text() const {
    std::ostringstream o;
    if (!enabled) {
        o << "routing           off (--no-routing)\n";
        return o.str();
    }
    o << "routing           " << routed << " routed through " << router_url << " (router " << to_hex(router)
      << "): " << by_assigned_in_window << " answered by the assigned node within its " << window_s << " s window, "
      << by_fallback << " by a fallback after it, " << unanswered << " unanswered; " << assignments_used
      << " assignments used on-chain\n";
    for (const auto& r : outcomes) {
        o << "  routed " << to_hex(r.id).substr(0, 10) << " assigned " << to_hex(r.assigned).substr(0, 10)
          << " (fallbacks";
        for (std::size_t i = 1; i < r.candidates.size(); ++i) o << " " << to_hex(r.candidates[i]).substr(0, 10);
        if (r.candidates.size() <= 1) o << " none";
        o << "), answered by "
          << (r.answered_by == Address{} ? std::string("nobody") : to_hex(r.answered_by).substr(0, 10));
        if (r.answered_by != Address{}) {
            o << " after " << r.delivered_after_s << " s" << (r.in_window ? " (in its window)" : "");
        }
        o << "\n";
    }
    return o.str();
}

Json RoutingSummary::to_json() const {
    Json j = {{"enabled", enabled}};
    if (!enabled) return j;
    j.update({{"routerUrl", router_url},
              {"router", to_hex(router)},
              {"registry", to_hex(registry)},
              {"routed", routed},
              {"byAssignedInWindow", by_assigned_in_window},
              {"byFallback", by_fallback},
              {"unanswered", unanswered},
              {"assignmentsUsed", assignments_used},
              {"windowS", window_s}});
    j["requests"] = Json::array();
    for (const auto& r : outcomes) {
        Json c = Json::array();
        for (const auto& a : r.candidates) c.push_back(to_hex(a));
        j["requests"].push_back({{"id", to_hex(r.id)},
                                 {"assigned", to_hex(r.assigned)},
                                 {"candidates", c},
                                 {"answeredBy", to_hex(r.answered_by)},
                                 {"inWindow", r.in_window},
                                 {"fallback", r.fallback},
                                 {"deliveredAfterS", r.delivered_after_s},
                                 {"nonce", to_dec(r.nonce)},
                                 {"deadline", to_dec(r.deadline)},
                                 {"signature", to_hex(r.signature)}});
    }
    return j;
}

}  // namespace sigil::devnet
