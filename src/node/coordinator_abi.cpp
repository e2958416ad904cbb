#include "node/coordinator_abi.hpp"

#include "bindings/coordinator.hpp"
#include "bindings/operator_registry.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"

namespace sigil::node {

namespace {


using detail::kClaimType;
using detail::kJobType;
using detail::must_fn;
using detail::must_type;

const abi::Function& fn_deliver() {
    static const abi::Function f = must_fn(bindings::coordinator::fn::deliver.signature);
    return f;
}
const abi::Function& fn_commit() {
    static const abi::Function f = must_fn(bindings::coordinator::fn::commit.signature);
    return f;
}
const abi::Function& fn_reveal() {
    static const abi::Function f =
        must_fn(bindings::coordinator::fn::reveal.signature);
    return f;
}
const abi::Function& fn_settle() {
    static const abi::Function f = must_fn(bindings::coordinator::fn::settle.signature);
    return f;
}

Hash word(const abi::Value& v) {
    Hash h{};
    if (v.bytes.size() == 32) std::copy(v.bytes.begin(), v.bytes.end(), h.begin());
    return h;
}

template <typename T>
T narrow(const abi::Value& v) {
    return static_cast<T>(v.num);
}

abi::Value b32(const Hash& h) { return abi::Value::bytes_n(BytesView(h.data(), h.size())); }

}  // namespace

const abi::Type& job_type() {
    static const abi::Type t = must_type(kJobType);
    return t;
}

const abi::Type& claim_type() {
    static const abi::Type t = must_type(kClaimType);
    return t;
}

const Hash& requested_topic() {
    static const Hash h = bindings::topic(bindings::coordinator::event::Requested);
    return h;
}

const Hash& committed_topic() {
    static const Hash h = bindings::topic(bindings::coordinator::event::Committed);
    return h;
}

namespace {
constexpr const char* kTermsType = bindings::coordinator::type::SubscriptionTerms;
}  // namespace

const Hash& subscribed_topic() {
    static const Hash h =
        bindings::topic(bindings::coordinator::event::Subscribed);
    return h;
}

std::optional<SubscribedInput> decode_subscribed(const chain::Log& log) {
    namespace A = bindings::coordinator::arg::Subscribed;
    auto v = bindings::decode_event(bindings::coordinator::event::Subscribed, log.topics, log.data);
    if (!v) return std::nullopt;
    SubscribedInput s;
    s.subscription = (*v)[A::subId].num;
    s.input = (*v)[A::input].bytes;
    s.input_uri = (*v)[A::inputURI].as_string();
    return s;
}

std::optional<RequestedEvent> decode_requested(const chain::Log& log) {
    namespace A = bindings::coordinator::arg::Requested;
    auto v = bindings::decode_event(bindings::coordinator::event::Requested, log.topics, log.data);
    if (!v) return std::nullopt;
    auto e = requested_event(log.topics[1], (*v)[A::job], (*v)[A::input].bytes, (*v)[A::inputURI].as_string());
    if (!e || e->consumer != (*v)[A::consumer].as_address()) return std::nullopt;
    return e;
}

std::optional<RequestedEvent> requested_event(const Hash& id, abi::Value job, Bytes input, std::string input_uri) {
    namespace J = bindings::coordinator::field::Job;
    namespace P = bindings::coordinator::field::RequestParams;
    constexpr std::size_t kJobFields = J::subscriptionId + 1, kParamFields = P::assigned + 1;
    if (job.elems.size() != kJobFields || job.elems[J::params].elems.size() != kParamFields) return std::nullopt;
    RequestedEvent e;
    e.id = id;
    e.job = std::move(job);
    e.input = std::move(input);
    e.input_uri = std::move(input_uri);
    const auto& j = e.job.elems;
    const auto& p = j[J::params].elems;
    e.consumer = j[J::consumer].as_address();
    e.model_root = word(p[P::modelRoot]);
    e.input_root = word(p[P::inputRoot]);
    e.token = p[P::token].as_address();
    e.price = p[P::price].num;
    e.k = narrow<std::uint8_t>(p[P::redundancy]);
    e.after_window = p[P::afterWindow].num != 0;
    e.ttl = narrow<std::uint32_t>(p[P::ttl]);
    e.commit_window = narrow<std::uint32_t>(p[P::commitWindow]);
    e.assigned = p[P::assigned].as_address();
    e.input_hash = word(j[J::inputHash]);
    e.created_at = narrow<std::uint32_t>(j[J::createdAt]);
    e.subscription = j[J::subscriptionId].num;
    return e;
}

abi::Value claim_value(const Claim& c) {
    return abi::Value::tuple({abi::Value::dyn_bytes(c.output), b32(c.output_root), b32(c.trace_root),
                              abi::Value::uint(c.steps, 64), b32(c.input_root)});
}

Hash hash_claim(const Claim& c) {
    const Hash out = keccak256(c.output);
    const Bytes enc = abi::encode({abi::Type::bytes_n(32), abi::Type::bytes_n(32), abi::Type::bytes_n(32),
                                   abi::Type::uint(64), abi::Type::bytes_n(32)},
                                  {b32(out), b32(c.output_root), b32(c.trace_root), abi::Value::uint(c.steps, 64),
                                   b32(c.input_root)});
    return keccak256(enc);
}

Hash commitment_of(const Hash& id, const Address& op, const Hash& claim_hash, const Hash& salt) {
    const Bytes enc = abi::encode(
        {abi::Type::bytes_n(32), abi::Type::address(), abi::Type::bytes_n(32), abi::Type::bytes_n(32)},
        {b32(id), abi::Value::address(op), b32(claim_hash), b32(salt)});
    return keccak256(enc);
}

Bytes deliver_call(const Hash& id, const abi::Value& job, const Claim& c) {
    return abi::encode_call(fn_deliver(), {b32(id), job, claim_value(c)});
}

Bytes commit_call(const Hash& id, const abi::Value& job, const Hash& commitment) {
    return abi::encode_call(fn_commit(), {b32(id), job, b32(commitment)});
}

Bytes reveal_call(const Hash& id, const abi::Value& job, std::uint8_t seat, const Claim& c, const Hash& salt) {
    return abi::encode_call(fn_reveal(), {b32(id), job, abi::Value::uint(seat, 8), claim_value(c), b32(salt)});
}

Bytes settle_call(const Hash& id, const abi::Value& job, const Claim& c) {
    return abi::encode_call(fn_settle(), {b32(id), job, claim_value(c)});
}

Bytes encode_job(const abi::Value& job) { return abi::encode({job_type()}, {job}); }

Address assigned_of(const abi::Value& job) {
    namespace J = bindings::coordinator::field::Job;
    namespace P = bindings::coordinator::field::RequestParams;
    return job.elems[J::params].elems[P::assigned].as_address();
}

std::optional<abi::Value> decode_job(BytesView b) {
    auto v = abi::decode({job_type()}, b);
    if (!v) return std::nullopt;
    return (*v)[0];
}

Bytes get_request_call(const Hash& id) {
    static const abi::Function f = must_fn(bindings::coordinator::fn::getRequest.signature);
    return abi::encode_call(f, {b32(id)});
}

std::optional<RequestView> decode_request_view(BytesView ret) {
    namespace F = bindings::coordinator::field::Request;
    auto v = abi::decode({must_type(bindings::coordinator::type::Request)}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    RequestView r;
    r.seat0 = e[F::seat0].as_address();
    r.deadline = narrow<std::uint32_t>(e[F::deadline]);
    r.final_at = narrow<std::uint32_t>(e[F::finalAt]);
    const auto st = narrow<std::uint8_t>(e[F::status]);
    if (st > static_cast<std::uint8_t>(RequestStatus::refuted)) return std::nullopt;
    r.status = static_cast<RequestStatus>(st);
    r.commits = narrow<std::uint8_t>(e[F::commits]);
    r.revealed_mask = narrow<std::uint8_t>(e[F::revealedMask]);
    r.k = narrow<std::uint8_t>(e[F::k]);
    return r;
}

Bytes seat_of_call(const Hash& id, std::uint64_t seat) {
    static const abi::Function f = must_fn(bindings::coordinator::fn::seatOf.signature);
    return abi::encode_call(f, {b32(id), abi::Value::uint(seat)});
}

Bytes entry_of_call(const Hash& id, const Address& op) {
    static const abi::Function f = must_fn(bindings::coordinator::fn::entryOf.signature);
    return abi::encode_call(f, {b32(id), abi::Value::address(op)});
}

Bytes answer_of_call(const Hash& id) {
    static const abi::Function f = must_fn(bindings::coordinator::fn::answerOf.signature);
    return abi::encode_call(f, {b32(id)});
}

std::string revert_name(BytesView data) {
    // The Coordinator's errors, and the OperatorRegistry's that its seat check (checkSeat) raises.
    return bindings::revert_name(data, {bindings::coordinator::kErrors, bindings::operator_registry::kErrors});
}

}  // namespace sigil::node
