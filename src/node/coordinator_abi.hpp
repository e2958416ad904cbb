#pragma once
/// The Coordinator's ABI as the node uses it (contracts/src/avs/Coordinator.sol and
/// CoordinatorTypes.sol): the `Requested` event, the calls a node makes, the views it reads to
/// reconcile after a restart, and decoding of the contract's named reverts.

#include <cstdint>
#include <optional>
#include <string>

#include "chain/eth_types.hpp"
#include "core/abi/codec.hpp"
#include "core/abi/value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"

namespace sigil::node {

/// The `Job` tuple type and the `Claim` tuple type.
const abi::Type& job_type();
const abi::Type& claim_type();

/// topic0 of `Requested(bytes32 indexed id, address indexed consumer, Job job, bytes input,
/// string inputURI)`.
const Hash& requested_topic();
/// topic0 of `Committed(bytes32 indexed id, address indexed operator, uint8 seat, bytes32)`.
const Hash& committed_topic();

/// A decoded `Requested` log.
struct RequestedEvent {
    Hash id{};
    Address consumer{};
    abi::Value job;  ///< the Job tuple, passed back in calls
    Bytes input;
    std::string input_uri;
    // Fields of the job the node decides on.
    Hash model_root{};
    Hash input_root{};
    Address token{};
    u256 price = 0;
    std::uint8_t k = 1;
    bool after_window = false;
    std::uint32_t ttl = 0;
    std::uint32_t commit_window = 0;
    Address assigned{};
    Hash input_hash{};
    std::uint32_t created_at = 0;
    u256 subscription = 0;  ///< the subscription that opened it (0 for a plain request)
};

/// topic0 of `Subscribed(uint256 indexed subId, address indexed consumer, SubscriptionTerms terms,
/// uint16 intervals, bytes input, string inputURI)`.
const Hash& subscribed_topic();

/// The input of a subscription, from its `Subscribed` log (an interval's `Requested` log
/// carries neither the input nor its URI).
struct SubscribedInput {
    u256 subscription = 0;
    Bytes input;
    std::string input_uri;
};
std::optional<SubscribedInput> decode_subscribed(const chain::Log& log);

/// Decodes a log as `Requested`; nothing when it is another event or malformed.
std::optional<RequestedEvent> decode_requested(const chain::Log& log);
/// The request `id` of the decoded Job tuple `job` with its inline input (the fields of a
/// Requested log; also how an adopted off-chain claim's job is read). Nullopt when `job` is not a
/// Job tuple.
std::optional<RequestedEvent> requested_event(const Hash& id, abi::Value job, Bytes input, std::string input_uri);

/// The claim an operator posts.
struct Claim {
    Bytes output;
    Hash output_root{};
    Hash trace_root{};
    std::uint64_t steps = 0;
    Hash input_root{};
};
abi::Value claim_value(const Claim& c);
/// Coordinator.hashClaim: keccak256(abi.encode(keccak256(output), outputRoot, traceRoot, steps, inputRoot)).
Hash hash_claim(const Claim& c);
/// Coordinator.commitmentOf: keccak256(abi.encode(id, operator, claimHash, salt)).
Hash commitment_of(const Hash& id, const Address& op, const Hash& claim_hash, const Hash& salt);

/// Calldata of the node's calls. `job` is the Job tuple (JobRecord::job).
Bytes deliver_call(const Hash& id, const abi::Value& job, const Claim& c);
Bytes commit_call(const Hash& id, const abi::Value& job, const Hash& commitment);
Bytes reveal_call(const Hash& id, const abi::Value& job, std::uint8_t seat, const Claim& c, const Hash& salt);
Bytes settle_call(const Hash& id, const abi::Value& job, const Claim& c);

/// The address the request's job is assigned to (zero: any node).
Address assigned_of(const abi::Value& job);

/// The Job tuple of stored bytes (encode / decode of one tuple).
Bytes encode_job(const abi::Value& job);
std::optional<abi::Value> decode_job(BytesView b);

/// Coordinator.Status.
enum class RequestStatus : std::uint8_t { none, open, answered, conflict, disputed, settled, refunded, refuted };

/// Coordinator.getRequest(id).
struct RequestView {
    Address seat0{};
    std::uint32_t deadline = 0;
    std::uint32_t final_at = 0;
    RequestStatus status = RequestStatus::none;
    std::uint8_t commits = 0;
    std::uint8_t revealed_mask = 0;
    std::uint8_t k = 0;
};
Bytes get_request_call(const Hash& id);
std::optional<RequestView> decode_request_view(BytesView ret);
Bytes seat_of_call(const Hash& id, std::uint64_t seat);
Bytes entry_of_call(const Hash& id, const Address& op);
Bytes answer_of_call(const Hash& id);

/// The name of a Coordinator custom error in revert data (e.g. "AlreadyAnswered"), or the
/// selector in hex when unknown.
std::string revert_name(BytesView data);

}  // namespace sigil::node
