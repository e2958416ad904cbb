// `sigil claim verify|adopt`: a client's side of the signed claims a node's API returns for
// off-chain jobs (POST /jobs) and completions (/v1/completions, /v1/chat/completions: the claim is
// under `sigil`, with the generation spec as `sigil.input`). `verify` checks a reply offline: the EIP-712 signature
// recovers the signer the reply names, and the input bytes (when given) are the tensor the claim commits to. `adopt`
// brings the claim on chain (OffchainClaims.adopt, the contract DisputeGame created), so that it can be disputed like a
// delivered answer until its disputeUntil; it prints the request id.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bindings/dispute_game.hpp"
#include "bindings/offchain_claims.hpp"
#include "chain/key_source.hpp"
#include "cli/commands.hpp"
#include "client/deployment.hpp"
#include "client/session.hpp"
#include "core/trace/chunks.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/signed_claim.hpp"

namespace sigil::cli {
namespace {

using nlohmann::json;

/// A POST /jobs reply, parsed and checked field by field.
struct SignedReply {
    Hash model{};
    node::Claim claim;
    std::uint64_t dispute_until = 0;
    chain::Signature signature;
    Address signer{};
    std::uint64_t chain_id = 0;
    Address coordinator{};
    Bytes input;  ///< a completion's spec, the input its claim commits to (empty for /jobs)
};

template <std::size_t N>
std::array<std::uint8_t, N> fixed_field(const json& o, const char* key, const std::string& where) {
    if (!o.contains(key) || !o[key].is_string()) throw CliError(where + "." + key + ": missing (hex string)");
    auto v = fixed_from_hex<N>(o[key].get<std::string>());
    if (!v) throw CliError(where + "." + key + ": not " + std::to_string(N) + "-byte hex");
    return *v;
}

std::uint64_t uint_field(const json& o, const char* key, const std::string& where) {
    if (!o.contains(key) || !o[key].is_number_unsigned()) throw CliError(where + "." + key + ": missing (unsigned)");
    return o[key].get<std::uint64_t>();
}

SignedReply read_reply(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw CliError("reply " + path + ": cannot read");
    std::stringstream text;
    text << in.rdbuf();
    const json whole = json::parse(text.str(), nullptr, false);
    if (whole.is_discarded() || !whole.is_object()) throw CliError("reply " + path + ": not a JSON object");
    // A completion holds the signed claim under `sigil`.
    const bool completion = whole.contains("sigil") && whole["sigil"].is_object();
    const json& doc = completion ? whole["sigil"] : whole;
    if (completion && doc.contains("claim") && doc["claim"].is_null()) {
        throw CliError("reply.sigil.claim: null (the node signed no claim for this completion)");
    }
    if (!doc.contains("claim") || !doc["claim"].is_object()) throw CliError("reply.claim: missing (object)");
    const json& c = doc["claim"];
    SignedReply r;
    r.model = fixed_field<32>(c, "modelRoot", "reply.claim");
    r.claim.input_root = fixed_field<32>(c, "inputRoot", "reply.claim");
    r.claim.output_root = fixed_field<32>(c, "outputRoot", "reply.claim");
    r.claim.trace_root = fixed_field<32>(c, "traceRoot", "reply.claim");
    auto steps = c.contains("steps") ? node::uint64_of_json(c["steps"]) : std::nullopt;
    if (!steps) throw CliError("reply.claim.steps: missing (unsigned, or a decimal string)");
    r.claim.steps = *steps;
    r.dispute_until = uint_field(c, "disputeUntil", "reply.claim");
    if (!c.contains("output") || !c["output"].is_string()) throw CliError("reply.claim.output: missing (hex string)");
    auto out = from_hex(c["output"].get<std::string>());
    if (!out) throw CliError("reply.claim.output: not hex");
    r.claim.output = std::move(*out);
    if (!doc.contains("signature") || !doc["signature"].is_string()) throw CliError("reply.signature: missing");
    auto sig_bytes = from_hex(doc["signature"].get<std::string>());
    if (!sig_bytes) throw CliError("reply.signature: not hex");
    auto sig = chain::Signature::from_rsv(*sig_bytes);
    if (!sig) throw CliError("reply.signature: not a 65-byte r || s || v signature");
    r.signature = *sig;
    if (!doc.contains("signer") || !doc["signer"].is_string()) throw CliError("reply.signer: missing");
    auto signer = parse_address(doc["signer"].get<std::string>());
    if (!signer) throw CliError("reply.signer: not an address");
    r.signer = *signer;
    if (!doc.contains("typed_data") || !doc["typed_data"].is_object() || !doc["typed_data"].contains("domain")) {
        throw CliError("reply.typed_data.domain: missing");
    }
    const json& dom = doc["typed_data"]["domain"];
    r.chain_id = uint_field(dom, "chainId", "reply.typed_data.domain");
    if (!dom.contains("verifyingContract") || !dom["verifyingContract"].is_string()) {
        throw CliError("reply.typed_data.domain.verifyingContract: missing");
    }
    auto coord = parse_address(dom["verifyingContract"].get<std::string>());
    if (!coord) throw CliError("reply.typed_data.domain.verifyingContract: not an address");
    r.coordinator = *coord;
    if (completion) {
        if (!doc.contains("input") || !doc["input"].is_string()) throw CliError("reply.sigil.input: missing (hex)");
        auto bytes = from_hex(doc["input"].get<std::string>());
        if (!bytes || bytes->empty()) throw CliError("reply.sigil.input: not hex");
        r.input = std::move(*bytes);
    }
    return r;
}

/// The input bytes from --input (hex) or --input-file (raw bytes); when neither, the reply's own
/// (a completion's spec), else empty.
Bytes read_input(const std::string& hex, const std::string& file, const SignedReply& r) {
    if (!hex.empty() && !file.empty()) throw CliError("give --input or --input-file, not both");
    if (hex.empty() && file.empty()) return r.input;
    if (!hex.empty()) {
        auto b = from_hex(hex);
        if (!b) throw CliError("--input: not hex");
        return *b;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CliError("--input-file " + file + ": cannot read");
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Checks the signature (it must recover the reply's signer) and, when `input` is not empty,
/// that it is the tensor the claim commits to.
void check_reply(const SignedReply& r, const Bytes& input) {
    auto who = node::recover_claim_signer(r.model, r.claim, r.dispute_until, r.chain_id, r.coordinator, r.signature);
    if (!who) throw CliError("signature: " + who.error());
    if (*who != r.signer) {
        throw CliError("signature: recovers " + to_checksum(*who) + ", not the reply's signer " + to_checksum(r.signer));
    }
    if (!input.empty() && trace::tensor_root(input) != r.claim.input_root) {
        throw CliError("input: its tensor root is not the claim's inputRoot (not the input this claim was run on)");
    }
}

struct Options {
    std::string reply, input, input_file;
    std::string url, deployment, game;
    chain::KeySource key;
};

}  // namespace

void register_claim_commands(CLI::App& app) {
    auto* claim = app.add_subcommand(
        "claim", "Signed off-chain claims (POST /jobs and completion replies): verify, adopt on chain");
    claim->require_subcommand(1);

    auto v = std::make_shared<Options>();
    auto* verify = claim->add_subcommand("verify", "Check a reply's EIP-712 signature and (optionally) its input");
    verify->add_option("reply", v->reply, "The POST /jobs or completion reply (JSON file)")->required();
    verify->add_option("--input", v->input, "The job's input bytes (hex)");
    verify->add_option("--input-file", v->input_file, "The job's input bytes (raw file)");
    verify->callback([v] {
        const SignedReply r = read_reply(v->reply);
        const Bytes input = read_input(v->input, v->input_file, r);
        check_reply(r, input);
        std::cout << json{{"signer", to_checksum(r.signer)},
                          {"model", to_hex(r.model)},
                          {"chainId", r.chain_id},
                          {"coordinator", to_checksum(r.coordinator)},
                          {"disputeUntil", r.dispute_until},
                          {"inputChecked", !input.empty()}}
                         .dump()
                  << "\n";
    });

    auto a = std::make_shared<Options>();
    auto* adopt = claim->add_subcommand("adopt", "Bring a signed claim on chain (OffchainClaims.adopt); prints the request id");
    const char* env_url = std::getenv("ETH_RPC_URL");
    const char* env_dep = std::getenv("SIGIL_DEPLOYMENT");
    a->url = env_url != nullptr && *env_url != '\0' ? env_url : "http://127.0.0.1:8545";
    a->deployment = env_dep != nullptr ? env_dep : "";
    adopt->add_option("reply", a->reply, "The POST /jobs or completion reply (JSON file)")->required();
    adopt->add_option("--input", a->input, "The job's input bytes (hex)");
    adopt->add_option("--input-file", a->input_file, "The job's input bytes (raw file)");
    adopt->add_option("--rpc-url,-r", a->url, "JSON-RPC endpoint (default $ETH_RPC_URL or http://127.0.0.1:8545)");
    adopt->add_option("--deployment", a->deployment, "Deployment JSON with the DisputeGame (default $SIGIL_DEPLOYMENT)");
    adopt->add_option("--dispute-game", a->game, "DisputeGame address (overrides the deployment)");
    add_key_options(adopt, a->key);
    adopt->callback([a] {
        const SignedReply r = read_reply(a->reply);
        const Bytes input = read_input(a->input, a->input_file, r);
        if (input.empty()) {
            throw CliError("--input or --input-file: the job's input is required to adopt a claim");
        }
        check_reply(r, input);
        try {
            Address game{};
            if (!a->game.empty()) {
                game = client::parse_address_arg(a->game, "--dispute-game address");
            } else if (!a->deployment.empty()) {
                game = client::Deployment::load(a->deployment).dispute_game;
            }
            if (game == Address{}) throw CliError("missing --dispute-game (or a --deployment file that has it)");
            auto key = chain::load_key(a->key);
            if (!key) throw CliError(key.error().describe());
            client::Session s(a->url);
            if (s.chain_id() != r.chain_id) {
                throw CliError("the claim is signed for chain " + std::to_string(r.chain_id) + ", the RPC is chain " +
                               std::to_string(s.chain_id()));
            }
            const Address oc =
                s.call_address(game, bindings::with_outputs(bindings::dispute_game::fn::offchainClaims), {});
            if (r.dispute_until <= s.timestamp()) throw CliError("the claim's disputeUntil has passed");
            client::Signer signer(s, *key);
            const auto receipt =
                signer.send_values(oc, bindings::offchain_claims::fn::adopt.signature,
                                   {abi::Value::bytes_n(BytesView(r.model.data(), 32)), node::claim_value(r.claim),
                                    abi::Value::uint(r.dispute_until, 64), abi::Value::dyn_bytes(input),
                                    abi::Value::dyn_bytes(r.signature.to_rsv())});
            for (const auto& l : receipt.logs) {
                if (auto ad = node::decode_claim_adopted(l)) {
                    std::cout << json{{"request", to_hex(ad->request.id)},
                                      {"operator", to_checksum(ad->posted.op)},
                                      {"finalAt", ad->request.created_at + ad->request.ttl},
                                      {"tx", to_hex(receipt.transaction_hash)}}
                                     .dump()
                              << "\n";
                    return;
                }
            }
            throw CliError("adopt: no ClaimAdopted log in the receipt");
        } catch (const client::ClientError& e) {
            throw CliError(e.what());
        }
    });
}

}  // namespace sigil::cli
