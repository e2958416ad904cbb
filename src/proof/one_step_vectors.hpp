#pragma once
/// Differential vectors for the Solidity one-step verifier: random op instances (kernels::gen) run
/// into small programs, honest and tampered element proofs, and the decision trace::verify_element
/// takes on each. contracts/test/dispute/OneStepDifferential.t.sol replays them on-chain and
/// requires identical decisions and values.

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/model_root.hpp"
#include "core/trace/state.hpp"
#include "core/trace/verify.hpp"

namespace sigil::proof {

/// One vector: the verifier's inputs and the C++ answers.
struct OneStepCase {
    Hash model_root{};
    Hash state_prev{};
    trace::ElementProof proof;
    std::int32_t claimed = 0;
    std::uint8_t verify_code = 0;     ///< proof::verify_code(verify_element(..., claimed))
    std::uint8_t recompute_code = 0;  ///< the same for recompute_element (never value_mismatch)
    std::int32_t value = 0;           ///< recompute_element's value when accepted, else 0
    std::uint8_t op_kind = 0;
    std::string tamper;  ///< which corruption was applied ("" for honest)
};

/// The honest proof of output element `e` of step `k` (1-based) of a traced run (`values`: every
/// tensor's bytes), claiming the computed value, with the C++ verifier's decisions filled in.
OneStepCase honest_case(const ir::Program& p, const std::vector<Bytes>& values, const trace::ExecutionTrace& trace,
                        const ir::ModelCommitment& model, std::size_t k, std::uint64_t e);

/// `programs_per_kind` random programs per op kind (the op, then clip and concat steps reading it),
/// each giving honest proofs for one element of every step and a set of corruptions.
std::vector<OneStepCase> one_step_cases(std::uint64_t seed, int programs_per_kind);

/// abi.encode of the tuple (bytes32 modelRoot, bytes32 statePrev, ElementProof proof, int32 claimed,
///            uint8 verifyCode, uint8 recomputeCode, int32 value, uint8 opKind) as one argument
Bytes encode_case(const OneStepCase& c);

}  // namespace sigil::proof
