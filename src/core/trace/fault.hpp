#pragma once
/// Deliberate faults, for the faulty-node demonstration and the dispute tests: where a node
/// configured to lie changes its claim on a request. A pure function of the request id, the
/// fault's seed and the program's shape, so a restarted node tells the same lie and anyone who
/// knows the fault (the devnet that configured it, a test) can tell where the lie is without
/// asking the node.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::trace {

/// How a faulty node's claim lies.
enum class FaultKind : std::uint8_t {
    trace,         ///< one element of one step's output is changed: the game ends in a one-step proof
    input_root,    ///< inputRoot is not the root of the inline input: proveInputMismatch
    output_bytes,  ///< the output bytes are not the tensor outputRoot commits: proveOutputMismatch
    output_root,   ///< output bytes and outputRoot agree, but not with step N: proveFinalOutput
    steps,         ///< the claim counts one step more than the model has: proveShape
    token,         ///< generation requests: one generated token is replaced (GenerationGame.proveToken)
};
std::string_view to_string(FaultKind k) noexcept;
std::optional<FaultKind> fault_kind_from_string(std::string_view s) noexcept;

/// A node's fault: it lies on a deterministic share `probability` of requests, drawn with `seed`.
struct FaultSpec {
    double probability = 0.0;  ///< chance per request, in [0, 1]; 0: honest
    std::uint64_t seed = 0;
    FaultKind kind = FaultKind::trace;
};

/// Where and how a faulty node lies on one request; `mask` (never 0) is XORed into one byte.
///   - trace: element `element` of step `step`'s output gets its first byte changed. Every other
///     tensor keeps its honest value, so step `step` is the trace's only wrong step and a game
///     against it ends in a one-step proof there.
///   - input_root: byte `element` (0..31) of the claim's inputRoot; the trace stays honest.
///   - output_bytes: element `element` of the claim's output bytes; outputRoot, the trace and its
///     S_N stay honest.
///   - output_root: element `element` of the output bytes, and outputRoot is the root of the
///     changed bytes; the trace and its S_N (so its out_N) stay honest.
///   - steps: the claim counts one step more.
///   - token (generation requests): generated token `element mod m` (m tokens honestly generated)
///     becomes (honest + 1 + mask mod (V - 1)) mod V, and generation goes on from it.
struct Lie {
    FaultKind kind = FaultKind::trace;
    std::uint64_t step = 0;  ///< trace: 1..N; the other kinds: 0
    std::uint64_t element = 0;
    std::uint8_t mask = 1;
    bool operator==(const Lie&) const = default;
};

/// Whether and where a node with `fault` lies on request `id` of `program`:
/// keccak256("sigil.fault" || be64(seed) || id) gives the draw (word 0, against `probability`)
/// and the place (words 1 to 3). Nothing when the draw is above the probability (or the fault is
/// off).
std::optional<Lie> lie_for(const Hash& id, const FaultSpec& fault, const ir::Program& program);

}  // namespace sigil::trace
