#pragma once
/// The devnet's proof-market scenario (`sigil devnet --bounties N`, docs/devnet.md): a verifier
/// joins the ProofMarket (a `sigil challenger` in `[challenger] mode = "bounty"`, bonded in the
/// bond token), and the consumer's FashionClassifier asks N classifications, each with a
/// full-check verification bounty attached in the request's own transaction
/// (`classifyVerified`). The honest operators answer; the verifier arms each bounty, draws it
/// (the devnet mines the ProofMarket's DRAW_DELAY blocks), re-executes the answer and attests.
/// The devnet then moves chain time past the challenge window, the verifier resolves and
/// withdraws its fees. The report is read back from the chain: per bounty the verifier drawn,
/// the gas of arm, draw, attest and resolve, the fee paid, and the request's status.
///
/// The ProofMarket takes a bounty only when the request's challenge window covers the draw and
/// the verifier's window (DRAW_SECONDS + verifyWindow); the devnet's protocol window is shorter,
/// so the scenario raises it (owner's `setChallengeWindow`) for its requests and restores it.

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "devnet/client.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {

struct BountyRecord {
    Hash request{};
    std::uint64_t item = 0;
    int expected_label = -1;  ///< the local runtime's answer
    int label = -1;           ///< FashionClassifier's label (after the callback)
    Address verifier{};       ///< the one drawn
    bool attested = false;    ///< BountyAttested logged
    bool paid_to_verifier = false;  ///< BountyClosed(toVerifier = true) to `verifier`
    u256 fee = 0;             ///< BountyClosed's fee
    std::vector<std::pair<std::string, std::uint64_t>> steps;  ///< (request+post|arm|draw|attest|resolve, gas)
    std::uint8_t status = 0;  ///< the request's final status (5 = Settled)
    double attest_ms = 0;     ///< request sent -> attestation seen
};

struct BountySummary {
    std::vector<BountyRecord> bounties;
    Address verifier{};
    u256 withdrawn = 0;        ///< the verifier's payment-token balance gained (withdraw)
    std::uint32_t window = 0;  ///< the challenge window the bounty requests had
    std::uint32_t restored_window = 0;
    /// Every bounty attested and paid to the drawn verifier, the fees withdrawn, labels right.
    bool all_paid() const;
    std::string to_text() const;
    chain::Json to_json() const;
};

/// Runs the scenario with `count` bounties; `sigil` runs the verifier (config and log in
/// `dir`/node-verifier). Throws DevnetError when a bounty does not progress within `timeout`.
BountySummary run_bounties(Signer& owner, const Deployment& d, const World& w, unsigned count,
                           const std::filesystem::path& dir, const std::filesystem::path& sigil, std::ostream& out,
                           std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace sigil::devnet
