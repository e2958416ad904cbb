#pragma once
/// A request the node has seen on chain and everything it decided and did about it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/abi/value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"

namespace sigil::node {

/// Life cycle of a job (docs/node.md, "Job states"). Every transition is stored before the
/// action it allows, so a restart resumes from the stored state.
enum class JobState {
    seen,        ///< accepted, waiting for a worker
    running,     ///< handed to a worker (a restart puts it back to `seen`)
    computed,    ///< claim computed and stored
    delivering,  ///< k = 1: deliver intent stored; a transaction may be in flight
    delivered,   ///< k = 1: our delivery is on chain (final unless settlement is ours to do)
    committing,  ///< k > 1: salt and commit intent stored; a transaction may be in flight
    committed,   ///< k > 1: we hold a seat
    revealing,   ///< k > 1: reveal intent stored; a transaction may be in flight
    revealed,    ///< k > 1: our reveal is on chain
    settling,    ///< settle intent stored (requests with finality after the window)
    settled,     ///< settled on chain
    failed,      ///< the chain refused us (seat taken, answered by another node, deadline)
    skipped,     ///< not served (see `reason`)
    removed,     ///< the request's log was removed by a reorg
};
inline constexpr int kJobStateCount = 14;
std::string_view to_string(JobState s) noexcept;
std::optional<JobState> job_state_from_string(std::string_view s) noexcept;
/// States after which nothing more happens.
bool is_final(JobState s) noexcept;

/// One job.
struct JobRecord {
    Hash id{};
    JobState state = JobState::seen;
    std::string reason;  ///< why skipped / failed
    abi::Value job;      ///< the Coordinator's Job tuple as emitted, passed back in every call (stored ABI-encoded)
    Bytes input;
    Address consumer{};
    Hash model_root{};
    std::uint8_t k = 1;
    bool after_window = false;
    std::uint64_t created_at = 0;     ///< chain time (s)
    std::uint64_t deadline = 0;       ///< chain time (s)
    std::uint64_t commit_end = 0;     ///< chain time (s): createdAt + commitWindow
    std::uint64_t block_number = 0;   ///< of the Requested log
    std::int64_t seen_ms = 0;         ///< wall clock (ms) when the log was read
    // The claim, once computed.
    Bytes output;
    Hash output_root{};
    Hash trace_root{};
    std::uint64_t steps = 0;
    Hash input_root{};
    // Transactions.
    std::optional<Hash> salt;  ///< k > 1: stored before the commit is sent
    int seat = -1;             ///< k > 1: our seat
    std::optional<Hash> tx_hash;  ///< the last transaction sent for the current intent
    std::uint64_t final_at = 0;   ///< chain time (s) the answer becomes final
    int attempts = 0;
    std::int64_t next_attempt_ms = 0;  ///< wall clock (ms) before which no retry is made
    std::int64_t done_ms = 0;          ///< wall clock (ms) of the delivering / revealing receipt
    std::uint64_t gas_used = 0;        ///< total over our transactions for this job
    std::int64_t run_us = 0;           ///< inference time of the run (microseconds)
};

}  // namespace sigil::node
