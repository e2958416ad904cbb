#include "node/claim_proofs.hpp"

#include <algorithm>

#include "bindings/coordinator.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::node {

std::string_view to_string(ClaimProof p) noexcept {
    switch (p) {
        case ClaimProof::input_mismatch:
            return "input_mismatch";
        case ClaimProof::output_mismatch:
            return "output_mismatch";
        case ClaimProof::shape:
            return "shape";
    }
    return "unknown";
}

std::optional<ClaimProof> one_shot_proof(const Claim& claim, const Hash& input_hash, BytesView input) {
    // Inline bytes are the program's single input, so inputRoot = merkle_root([tensorRoot(input)])
    // = tensorRoot(input) (one leaf, depth 0).
    if (input_hash != Hash{} && keccak256(input) == input_hash && trace::tensor_root(input) != claim.input_root) {
        return ClaimProof::input_mismatch;
    }
    // An empty output delivers outputRoot alone: nothing to compare.
    if (!claim.output.empty() && trace::tensor_root(claim.output) != claim.output_root) {
        return ClaimProof::output_mismatch;
    }
    return std::nullopt;
}

bool shape_differs(const Claim& theirs, const Claim& ours) noexcept {
    return theirs.steps != ours.steps || theirs.output.size() != ours.output.size();
}

Hash job_input_hash(const abi::Value& job) {
    Hash h{};
    constexpr std::size_t kInputHash = bindings::coordinator::field::Job::inputHash;
    if (job.elems.size() > kInputHash && job.elems[kInputHash].bytes.size() == h.size()) {
        std::copy(job.elems[kInputHash].bytes.begin(), job.elems[kInputHash].bytes.end(), h.begin());
    }
    return h;
}

bool final_output_refutes(GameRole role, const GameView& gv, const Hash& output_root, std::uint64_t chain_time) {
    if (role != GameRole::challenger) return false;
    if (gv.phase != GamePhase::descend && gv.phase != GamePhase::one_step) return false;
    if (chain_time > gv.deadline) return false;
    if (gv.steps == 0 || gv.hi != gv.steps) return false;
    if (gv.height != merkle_depth(gv.chunk_count)) return false;
    return gv.node != output_root;
}

}  // namespace sigil::node
