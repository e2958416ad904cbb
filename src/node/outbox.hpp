#pragma once
/// The node's one way to act on the chain, shared by the engine and the dispute and bounty agents:
/// reads (eth_call), the pending check, and the intent-send-record protocol of every transaction
/// they send. It also holds the node's time and randomness, injected like the chain layer's
/// `Clock`, so the engine and the agents run under a manual clock, a seeded random source and
/// an in-memory JSON-RPC node in unit tests.
///
/// The protocol (exactly-once across crashes), for a record with a `tx_hash`:
///   1. the caller sets the record's intent (its state or intent string) and `submit` stores it
///      with no transaction hash;
///   2. the transaction is built, signed and submitted;
///   3. its hash is stored before the wait, so a restarted node finds the transaction and waits
///      for it (`pending`) instead of sending a second one;
///   4. once a receipt is in, the hash is cleared: nothing of ours is pending any more.
/// Before sending again for a stored intent, the caller checks `pending(record.tx_hash)`.
///
/// Thread-safe as far as its parts are (the engine's thread is its only user).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "chain/clock.hpp"
#include "chain/eth_client.hpp"
#include "chain/random.hpp"
#include "chain/sender.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "node/catalog.hpp"
#include "node/config.hpp"
#include "node/metrics.hpp"
#include "node/store.hpp"

namespace sigil::node {

/// How one transaction ended, as far as its sender needs to tell.
enum class TxStatus : std::uint8_t {
    landed,       ///< mined with status 1
    reverted,     ///< mined with status 0: refused by the contract after it was sent (gas spent)
    refused,      ///< the gas estimate reverted: the contract refuses the call now; nothing was sent
    not_sent,     ///< an RPC failure before the chain accepted it; nothing was sent
    unconfirmed,  ///< accepted, but no receipt came (still pending, or the RPC failed while waiting)
};
std::string_view to_string(TxStatus s) noexcept;

/// What became of one transaction.
struct SentTx {
    TxStatus status = TxStatus::not_sent;
    std::optional<Hash> hash;  ///< set once the chain accepted it
    std::uint64_t gas = 0;     ///< gas used, when mined
    std::string revert;  ///< refused: the custom error's name; reverted: "reverted on chain"; else the RPC failure

    bool success() const { return status == TxStatus::landed; }
    /// A receipt was seen.
    bool mined() const { return status == TxStatus::landed || status == TxStatus::reverted; }
    /// Refused by the contract (at the estimate or on chain), not an RPC failure.
    bool reverted() const { return status == TxStatus::refused || status == TxStatus::reverted; }
};

/// How a sender's transactions are logged and their reverts named (one per engine and agent).
struct TxChannel {
    const char* log_msg;                    ///< the log line of each mined transaction
    std::string (*revert_name)(BytesView);  ///< a revert's custom error name
};

class Outbox {
public:
    Outbox(chain::EthClient& eth, chain::Sender& sender, Store& store, Metrics& metrics, chain::Clock& clock,
           chain::RandomSource& random);

    /// What an eth_call of `data` to `to` returned, or nullopt when the RPC failed (counted).
    std::optional<Bytes> call(const Address& to, const Bytes& data,
                              const chain::BlockId& at = chain::BlockId::latest());
    /// The one 32-byte word an eth_call returned; nullopt when the RPC failed or returned another size.
    std::optional<Bytes32> call_word(const Address& to, const Bytes& data);
    /// That word as a uint256.
    std::optional<u256> call_uint(const Address& to, const Bytes& data);
    /// Whether `tx` is still pending at the node: no receipt yet, and the node still knows it.
    /// False for none.
    bool pending(const std::optional<Hash>& tx);

    /// Steps 1 to 4 of the protocol for `rec` (a job, game, claim check or bounty record whose
    /// intent the caller has just set): stores it with no hash, sends `data` to `to`, stores the
    /// hash before the wait and clears it after a receipt. `request` is the request the record is
    /// about (logged). A store failure is the error.
    template <class Record>
    Result<SentTx, StoreError> submit(Record& rec, const Hash& request, const Address& to, const Bytes& data,
                                      const char* kind, const TxChannel& channel) {
        rec.tx_hash.reset();
        if (auto r = store_.put(rec); !r) return fail(r.error());
        std::optional<StoreError> store_failure;
        SentTx out = send(
            to, data, kind, channel,
            [&](const Hash& h) {
                rec.tx_hash = h;
                if (auto r = store_.put(rec); !r) store_failure = r.error();
            },
            request);
        if (store_failure) return fail(*store_failure);
        if (out.mined()) rec.tx_hash.reset();
        return out;
    }

    /// A transaction that needs no record (an approval, a registration): sends `data` to `to` and
    /// waits for its receipt; `on_sent` gets the hash before the wait. `request`, when given, is
    /// logged with the outcome.
    SentTx send(const Address& to, const Bytes& data, const char* kind, const TxChannel& channel,
                const std::function<void(const Hash&)>& on_sent = nullptr,
                const std::optional<Hash>& request = std::nullopt);

    /// 32 bytes from the random source (a commitment salt); nullopt when it has none.
    std::optional<Hash> random_word();

    chain::EthClient& eth() { return eth_; }
    Metrics& metrics() { return metrics_; }
    chain::Clock& clock() { return clock_; }
    /// Wall-clock milliseconds (stored retry times and latencies).
    std::int64_t now_ms() const { return clock_.unix_ms(); }
    /// Counts a failed RPC by its kind.
    void rpc_failed(const chain::RpcError& e);

private:
    chain::EthClient& eth_;
    chain::Sender& sender_;
    Store& store_;
    Metrics& metrics_;
    chain::Clock& clock_;
    chain::RandomSource& random_;
};

/// What the engine and its agents share: the configuration, this node's address, the served
/// models, the store and the outbox. All outlive the engine.
struct NodeContext {
    const NodeConfig& cfg;
    Address self;
    const Catalog& catalog;
    Store& store;
    Outbox& outbox;
};

}  // namespace sigil::node
