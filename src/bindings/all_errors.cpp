#include <set>
#include <span>

#include "bindings/abi_tables.hpp"
#include "bindings/allocation_manager.hpp"
#include "bindings/coordinator.hpp"
#include "bindings/delegation_manager.hpp"
#include "bindings/dispute_game.hpp"
#include "bindings/fashion_classifier.hpp"
#include "bindings/game_lib.hpp"
#include "bindings/generation_claims.hpp"
#include "bindings/generation_game.hpp"
#include "bindings/generation_lib.hpp"
#include "bindings/model_registry.hpp"
#include "bindings/offchain_claims.hpp"
#include "bindings/one_step_verifier.hpp"
#include "bindings/operator_registry.hpp"
#include "bindings/proof_market.hpp"
#include "bindings/rewards_coordinator.hpp"
#include "bindings/router_registry.hpp"
#include "bindings/sigil_consumer.hpp"
#include "bindings/slash_lib.hpp"
#include "bindings/slash_terms.hpp"
#include "bindings/strategy.hpp"
#include "bindings/strategy_manager.hpp"
#include "bindings/test_token.hpp"

namespace sigil::bindings {

const std::vector<std::string>& all_error_signatures() {
    static const std::vector<std::string> sigs = [] {
        std::set<std::string> out;
        for (const auto table : {std::span<const ErrorInfo>(allocation_manager::kErrors),
                                 std::span<const ErrorInfo>(coordinator::kErrors),
                                 std::span<const ErrorInfo>(delegation_manager::kErrors),
                                 std::span<const ErrorInfo>(dispute_game::kErrors),
                                 std::span<const ErrorInfo>(fashion_classifier::kErrors),
                                 std::span<const ErrorInfo>(game_lib::kErrors),
                                 std::span<const ErrorInfo>(generation_game::kErrors),
                                 std::span<const ErrorInfo>(generation_claims::kErrors),
                                 std::span<const ErrorInfo>(generation_lib::kErrors),
                                 std::span<const ErrorInfo>(model_registry::kErrors),
                                 std::span<const ErrorInfo>(offchain_claims::kErrors),
                                 std::span<const ErrorInfo>(one_step_verifier::kErrors),
                                 std::span<const ErrorInfo>(operator_registry::kErrors),
                                 std::span<const ErrorInfo>(proof_market::kErrors),
                                 std::span<const ErrorInfo>(rewards_coordinator::kErrors),
                                 std::span<const ErrorInfo>(router_registry::kErrors),
                                 std::span<const ErrorInfo>(sigil_consumer::kErrors),
                                 std::span<const ErrorInfo>(slash_lib::kErrors),
                                 std::span<const ErrorInfo>(slash_terms::kErrors),
                                 std::span<const ErrorInfo>(strategy::kErrors),
                                 std::span<const ErrorInfo>(strategy_manager::kErrors),
                                 std::span<const ErrorInfo>(test_token::kErrors)}) {
            for (const auto& e : table) out.insert(std::string(e.signature));
        }
        return std::vector<std::string>(out.begin(), out.end());
    }();
    return sigs;
}

}  // namespace sigil::bindings
