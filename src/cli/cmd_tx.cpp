// `sigil tx`: offline transactions. `tx sign` prints the raw signed transaction like `cast mktx`.
#include <iostream>
#include <nlohmann/json.hpp>

#include "chain/key_source.hpp"
#include "chain/transaction.hpp"
#include "chain/units.hpp"
#include "cli/commands.hpp"

namespace sigil::cli {
namespace {

u256 amount(const std::string& text, const char* what) {
    auto v = chain::parse_amount(text);
    if (!v) throw CliError(std::string("invalid ") + what + " '" + text + "': " + std::string(to_string(v.error())));
    return *v;
}

struct TxOpts {
    chain::KeySource src;
    std::string chain_id, nonce, gas_limit, max_fee, priority_fee, gas_price, to, value = "0", data;
    bool legacy = false;
    bool json = false;
};

chain::Transaction build(const TxOpts& o) {
    std::optional<Address> to;
    if (!o.to.empty()) {
        auto a = parse_address(o.to);
        if (!a) throw CliError("invalid --to address: " + std::string(to_string(a.error())));
        to = *a;
    }
    Bytes data;
    if (!o.data.empty()) {
        auto d = from_hex(o.data);
        if (!d) throw CliError("invalid --data hex: " + std::string(to_string(d.error())));
        data = *d;
    }
    const u256 chain_id = amount(o.chain_id, "--chain-id");
    if (chain_id > u256(std::numeric_limits<std::uint64_t>::max())) throw CliError("--chain-id too large");
    const auto cid = static_cast<std::uint64_t>(chain_id);
    const u256 nonce = amount(o.nonce, "--nonce");
    const u256 gas = amount(o.gas_limit, "--gas-limit");
    const u256 value = amount(o.value, "--value");
    if (o.legacy || !o.gas_price.empty()) {
        if (o.gas_price.empty()) throw CliError("a legacy transaction needs --gas-price");
        if (!o.max_fee.empty() || !o.priority_fee.empty())
            throw CliError("--gas-price cannot be combined with --max-fee/--priority-fee");
        return chain::LegacyTx{cid, nonce, amount(o.gas_price, "--gas-price"), gas, to, value, data};
    }
    if (o.max_fee.empty() || o.priority_fee.empty())
        throw CliError("an EIP-1559 transaction needs --max-fee and --priority-fee (or --gas-price for legacy)");
    const u256 max_fee = amount(o.max_fee, "--max-fee");
    const u256 tip = amount(o.priority_fee, "--priority-fee");
    if (tip > max_fee) throw CliError("--priority-fee exceeds --max-fee");
    return chain::Eip1559Tx{cid, nonce, tip, max_fee, gas, to, value, data, {}};
}

void register_sign(CLI::App* tx) {
    auto* cmd = tx->add_subcommand("sign", "Sign a transaction offline and print its raw bytes (like `cast mktx`)");
    auto o = std::make_shared<TxOpts>();
    cmd->add_option("--chain-id", o->chain_id, "Chain id")->required();
    cmd->add_option("--nonce", o->nonce, "Sender nonce")->required();
    cmd->add_option("--gas-limit", o->gas_limit, "Gas limit")->required();
    cmd->add_option("--max-fee", o->max_fee, "EIP-1559 max fee per gas (wei, or e.g. 30gwei)");
    cmd->add_option("--priority-fee", o->priority_fee, "EIP-1559 max priority fee per gas");
    cmd->add_option("--gas-price", o->gas_price, "Gas price: makes a legacy EIP-155 transaction");
    cmd->add_flag("--legacy", o->legacy, "Legacy (EIP-155) transaction; needs --gas-price");
    cmd->add_option("--to", o->to, "Recipient; omit to create a contract");
    cmd->add_option("--value", o->value, "Value (wei, or e.g. 1ether)");
    cmd->add_option("--data", o->data, "Calldata or init code (0x-hex)");
    add_key_options(cmd, o->src);
    cmd->add_flag("--json", o->json, "Print {raw, hash, from} as JSON");
    cmd->callback([o] {
        const auto tx_value = build(*o);
        auto key = chain::load_key(o->src);
        if (!key) throw CliError(key.error().describe());
        const auto signed_tx = chain::sign_transaction(tx_value, *key);
        if (o->json) {
            nlohmann::ordered_json j = {{"raw", to_hex(signed_tx.raw)},
                                        {"hash", to_hex(signed_tx.hash)},
                                        {"from", to_checksum(key->address())}};
            std::cout << j.dump(2) << '\n';
        } else {
            std::cout << to_hex(signed_tx.raw) << '\n';
        }
    });
}

void register_decode(CLI::App* tx) {
    auto* cmd = tx->add_subcommand("decode", "Decode raw signed transaction bytes and recover the sender");
    auto raw = std::make_shared<std::string>();
    cmd->add_option("raw", *raw, "0x-prefixed raw transaction")->required();
    cmd->callback([raw] {
        auto bytes = from_hex(*raw);
        if (!bytes) throw CliError("invalid hex");
        auto decoded = chain::decode_transaction(*bytes);
        if (!decoded) {
            std::string msg = "invalid transaction: " + std::string(to_string(decoded.error().error));
            if (decoded.error().rlp_error) msg += " (" + std::string(rlp::to_string(*decoded.error().rlp_error)) + ")";
            throw CliError(msg);
        }
        auto from = chain::recover_sender(*decoded);
        nlohmann::ordered_json j;
        std::visit(
            [&](const auto& t) {
                using T = std::decay_t<decltype(t)>;
                j["type"] = std::is_same_v<T, chain::LegacyTx> ? 0 : 2;
                j["chainId"] = t.chain_id;
                j["nonce"] = to_dec(t.nonce);
                if constexpr (std::is_same_v<T, chain::LegacyTx>) {
                    j["gasPrice"] = to_dec(t.gas_price);
                } else {
                    j["maxPriorityFeePerGas"] = to_dec(t.max_priority_fee_per_gas);
                    j["maxFeePerGas"] = to_dec(t.max_fee_per_gas);
                }
                j["gas"] = to_dec(t.gas_limit);
                j["to"] = t.to ? nlohmann::ordered_json(to_checksum(*t.to)) : nlohmann::ordered_json();
                j["value"] = to_dec(t.value);
                j["input"] = to_hex(t.data);
            },
            decoded->tx);
        j["hash"] = to_hex(decoded->hash);
        j["from"] = from ? nlohmann::ordered_json(to_checksum(*from)) : nlohmann::ordered_json();
        std::cout << j.dump(2) << '\n';
    });
}

}  // namespace

void register_tx_commands(CLI::App& app) {
    auto* tx = app.add_subcommand("tx", "Offline transactions: sign, decode");
    tx->require_subcommand(1);
    register_sign(tx);
    register_decode(tx);
}

}  // namespace sigil::cli
