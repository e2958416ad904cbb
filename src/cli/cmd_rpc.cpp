// Chain-facing commands over JSON-RPC: chain-id, block-number, balance, nonce, receipt, logs,
// call, send. Output matches cast's where the commands overlap.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "chain/eth_client.hpp"
#include "chain/key_source.hpp"
#include "chain/sender.hpp"
#include "chain/units.hpp"
#include "cli/commands.hpp"
#include "chain/rpc_display.hpp"
#include "core/abi.hpp"
#include "core/keccak.hpp"

namespace sigil::cli {
namespace {

using chain::Json;

std::string default_rpc_url() {
    const char* env = std::getenv("ETH_RPC_URL");
    return env != nullptr && *env != '\0' ? env : "http://127.0.0.1:8545";
}

/// A connection to the node named by --rpc-url.
struct Node {
    explicit Node(const std::string& url)
        : rpc(std::make_shared<chain::HttpTransport>(url)), eth(rpc) {}
    chain::RpcClient rpc;
    chain::EthClient eth;
};

template <typename T>
T need(Result<T, chain::RpcError> r) {
    if (!r) throw CliError(r.error().describe());
    return std::move(*r);
}

void add_rpc_url(CLI::App* cmd, std::string& url) {
    url = default_rpc_url();
    cmd->add_option("--rpc-url,-r", url, "JSON-RPC endpoint (default $ETH_RPC_URL or http://127.0.0.1:8545)");
}

Address address_arg(const std::string& text, const char* what) {
    auto a = parse_address(text);
    if (!a) throw CliError(std::string("invalid ") + what + " '" + text + "': " + std::string(to_string(a.error())));
    return *a;
}

chain::BlockId block_arg(const std::string& text) {
    if (text == "latest" || text == "pending" || text == "earliest" || text == "safe" || text == "finalized")
        return chain::BlockId{text};
    auto n = parse_u256(text);
    if (!n || *n > u256(std::numeric_limits<std::uint64_t>::max())) throw CliError("invalid block '" + text + "'");
    return chain::BlockId::number(static_cast<std::uint64_t>(*n));
}

Hash hash_arg(const std::string& text, const char* what) {
    auto h = fixed_from_hex<32>(text);
    if (!h) throw CliError(std::string("invalid ") + what + " '" + text + "'");
    return *h;
}

/// topic0 of an event signature such as `Transfer(address indexed,address,uint256)`.
Hash event_topic0(const std::string& sig) {
    auto ev = abi::parse_event(sig);
    if (!ev) throw CliError("invalid event signature '" + sig + "': " + std::string(abi::to_string(ev.error())));
    return abi::topic0(*ev);
}

void register_simple_reads(CLI::App& app) {
    auto url = std::make_shared<std::string>();
    auto* chain_id = app.add_subcommand("chain-id", "Print the chain id");
    add_rpc_url(chain_id, *url);
    chain_id->callback([url] { std::cout << need(Node(*url).eth.chain_id()) << '\n'; });

    auto url2 = std::make_shared<std::string>();
    auto* block_number = app.add_subcommand("block-number", "Print the latest block number");
    add_rpc_url(block_number, *url2);
    block_number->callback([url2] { std::cout << need(Node(*url2).eth.block_number()) << '\n'; });

    struct Opts {
        std::string url, who, block = "latest";
    };
    auto b = std::make_shared<Opts>();
    auto* balance = app.add_subcommand("balance", "Print an account's balance in wei");
    balance->add_option("who", b->who, "Address")->required();
    balance->add_option("--block,-B", b->block, "Block number or tag");
    add_rpc_url(balance, b->url);
    balance->callback([b] {
        std::cout << to_dec(need(Node(b->url).eth.get_balance(address_arg(b->who, "address"), block_arg(b->block))))
                  << '\n';
    });

    auto n = std::make_shared<Opts>();
    auto* nonce = app.add_subcommand("nonce", "Print an account's nonce (transaction count)");
    nonce->add_option("who", n->who, "Address")->required();
    nonce->add_option("--block,-B", n->block, "Block number or tag (pending counts the mempool)");
    add_rpc_url(nonce, n->url);
    nonce->callback([n] {
        std::cout << to_dec(need(
                         Node(n->url).eth.get_transaction_count(address_arg(n->who, "address"), block_arg(n->block))))
                  << '\n';
    });
}

void register_receipt(CLI::App& app) {
    struct Opts {
        std::string url, hash, field;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("receipt", "Print a transaction receipt (like `cast receipt`)");
    cmd->add_option("hash", o->hash, "Transaction hash")->required();
    cmd->add_option("field", o->field, "Print only this field");
    cmd->add_flag("--json", o->json, "Print JSON");
    add_rpc_url(cmd, o->url);
    cmd->callback([o] {
        Node node(o->url);
        const Json r = need(node.rpc.call("eth_getTransactionReceipt", Json::array({to_hex(hash_arg(o->hash, "hash"))})));
        if (r.is_null()) throw CliError("transaction not found or not yet mined: " + o->hash);
        if (!o->field.empty()) {
            std::cout << chain::format_receipt_field(r, o->field) << '\n';
        } else if (o->json) {
            std::cout << chain::receipt_json(r).dump() << '\n';
        } else {
            std::cout << chain::format_receipt(r);
        }
    });
}

void register_logs(CLI::App& app) {
    struct Opts {
        std::string url, from = "0", to = "latest";
        std::vector<std::string> addresses, topics;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("logs", "Print logs matching a filter (like `cast logs`)");
    cmd->add_option("topics", o->topics,
                    "Event signature or topic0, then topics 1-3 (32-byte hex; `null` for any)");
    cmd->add_option("--address", o->addresses, "Emitting contract(s)");
    cmd->add_option("--from-block", o->from, "First block (number or tag)");
    cmd->add_option("--to-block", o->to, "Last block (number or tag)");
    cmd->add_flag("--json", o->json, "Print JSON");
    add_rpc_url(cmd, o->url);
    cmd->callback([o] {
        Json filter = Json::object();
        filter["fromBlock"] = block_arg(o->from).to_json();
        filter["toBlock"] = block_arg(o->to).to_json();
        if (o->addresses.size() == 1) filter["address"] = to_hex(address_arg(o->addresses[0], "address"));
        if (o->addresses.size() > 1) {
            filter["address"] = Json::array();
            for (const auto& a : o->addresses) filter["address"].push_back(to_hex(address_arg(a, "address")));
        }
        if (!o->topics.empty()) {
            Json topics = Json::array();
            for (std::size_t i = 0; i < o->topics.size(); ++i) {
                const std::string& t = o->topics[i];
                if (t == "null" || t.empty()) {
                    topics.push_back(nullptr);
                } else if (t.size() == 66 && t.rfind("0x", 0) == 0) {
                    topics.push_back(to_hex(hash_arg(t, "topic")));
                } else if (i == 0) {
                    topics.push_back(to_hex(event_topic0(t)));
                } else {
                    throw CliError("invalid topic '" + t + "' (expected 32-byte hex)");
                }
            }
            filter["topics"] = topics;
        }
        Node node(o->url);
        const Json logs = need(node.rpc.call("eth_getLogs", Json::array({filter})));
        if (!logs.is_array()) throw CliError("malformed eth_getLogs result");
        if (o->json) {
            std::cout << logs.dump() << '\n';
        } else {
            std::cout << chain::format_logs(logs);
        }
    });
}

/// Calldata from `--data` or from a signature and its arguments (cast's argument syntax).
Bytes calldata(const std::string& sig, const std::vector<std::string>& args, const std::string& data) {
    if (!data.empty()) {
        if (!sig.empty()) throw CliError("give either a signature or --data, not both");
        auto d = from_hex(data);
        if (!d) throw CliError("invalid --data hex");
        return *d;
    }
    if (sig.empty()) return {};
    auto fn = abi::parse_function(sig);
    if (!fn) throw CliError("invalid signature '" + sig + "': " + std::string(abi::to_string(fn.error())));
    auto values = abi::parse_args(fn->input_types(), args);
    if (!values) throw CliError("invalid arguments for " + fn->signature() + ": " + std::string(abi::to_string(values.error())));
    return abi::encode_call(*fn, *values);
}

/// A JSON-RPC failure as one line; reverts are decoded (Error/Panic/custom errors from --errors).
[[noreturn]] void throw_rpc(const chain::RpcError& e, const std::vector<std::string>& error_sigs) {
    if (e.kind == chain::RpcErrorKind::execution_reverted && !e.data.empty()) {
        auto rev = abi::decode_revert(e.data, error_sigs, abi::DecodeMode::lenient);
        if (rev) throw CliError("execution reverted: " + abi::describe(*rev));
        throw CliError("execution reverted: custom error " + to_hex(e.data));
    }
    throw CliError(e.describe());
}

void register_call(CLI::App& app) {
    struct Opts {
        std::string url, to, sig, data, from, block = "latest";
        std::vector<std::string> args, errors;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("call", "Call a contract without a transaction (like `cast call`)");
    cmd->add_option("to", o->to, "Contract address")->required();
    cmd->add_option("sig", o->sig, "Function signature, e.g. 'balanceOf(address)(uint256)'");
    cmd->add_option("args", o->args, "Arguments in cast syntax");
    cmd->add_option("--data", o->data, "Raw calldata (0x-hex) instead of a signature");
    cmd->add_option("--from", o->from, "Caller address");
    cmd->add_option("--block,-b", o->block, "Block number or tag");
    cmd->add_option("--errors", o->errors, "Custom error signatures to decode reverts with");
    cmd->add_flag("--json", o->json, "Print decoded outputs as JSON");
    add_rpc_url(cmd, o->url);
    cmd->callback([o] {
        chain::CallRequest req;
        req.to = address_arg(o->to, "address");
        if (!o->from.empty()) req.from = address_arg(o->from, "--from address");
        req.data = calldata(o->sig, o->args, o->data);
        Node node(o->url);
        auto out = node.eth.call(req, block_arg(o->block));
        if (!out) throw_rpc(out.error(), o->errors);
        std::optional<abi::Function> fn;
        if (!o->sig.empty()) fn = *abi::parse_function(o->sig);
        if (!fn || fn->outputs.empty()) {
            std::cout << to_hex(*out) << '\n';
            return;
        }
        auto values = abi::decode(fn->output_types(), *out, abi::DecodeMode::lenient);
        if (!values) throw CliError("cannot decode the result: " + std::string(abi::to_string(values.error())));
        if (o->json) {
            std::cout << abi::format_json(*values) << '\n';
            return;
        }
        for (const auto& v : *values) std::cout << abi::format(v) << '\n';
    });
}

void register_send(CLI::App& app) {
    struct Opts {
        std::string url, create, data, value = "0", gas_limit, gas_price, priority_gas_price;
        std::vector<std::string> positional, errors;
        chain::KeySource src;
        bool legacy = false, async = false, json = false;
        int timeout_s = 60;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("send", "Sign and send a transaction, then wait for its receipt (like `cast send`)");
    cmd->add_option("to_sig_args", o->positional, "<to> [sig] [args...]  (with --create: [sig] [args...])");
    cmd->add_option("--create", o->create, "Deploy this init code (0x-hex) instead of calling <to>");
    cmd->add_option("--data", o->data, "Raw calldata (0x-hex) instead of a signature");
    cmd->add_option("--value", o->value, "Value (wei, or e.g. 1ether)");
    cmd->add_option("--gas-limit", o->gas_limit, "Gas limit (default: estimate + 20%)");
    cmd->add_option("--gas-price", o->gas_price, "Max fee per gas (EIP-1559) or gas price (--legacy)");
    cmd->add_option("--priority-gas-price", o->priority_gas_price, "Max priority fee per gas (EIP-1559)");
    cmd->add_flag("--legacy", o->legacy, "Send a legacy (EIP-155) transaction");
    cmd->add_flag("--async", o->async, "Print the transaction hash without waiting for the receipt");
    cmd->add_flag("--json", o->json, "Print the receipt as JSON");
    cmd->add_option("--timeout", o->timeout_s, "Seconds to wait for the receipt");
    cmd->add_option("--errors", o->errors, "Custom error signatures to decode reverts with");
    add_key_options(cmd, o->src);
    add_rpc_url(cmd, o->url);
    cmd->callback([o] {
        auto key = chain::load_key(o->src);
        if (!key) throw CliError(key.error().describe());
        chain::TxRequest req;
        std::vector<std::string> rest = o->positional;
        if (o->create.empty()) {
            if (rest.empty()) throw CliError("missing <to> (or use --create)");
            req.to = address_arg(rest.front(), "address");
            rest.erase(rest.begin());
        }
        const std::string sig = rest.empty() ? "" : rest.front();
        if (!rest.empty()) rest.erase(rest.begin());
        if (o->create.empty()) {
            req.data = calldata(sig, rest, o->data);
        } else {
            auto code = from_hex(o->create);
            if (!code) throw CliError("invalid --create hex");
            req.data = *code;
            if (!sig.empty()) {
                // Constructor arguments: encode the tuple without a selector.
                auto fn = abi::parse_function(sig);
                if (!fn) throw CliError("invalid constructor signature '" + sig + "'");
                auto values = abi::parse_args(fn->input_types(), rest);
                if (!values) throw CliError("invalid constructor arguments: " + std::string(abi::to_string(values.error())));
                const Bytes enc = abi::encode(fn->input_types(), *values);
                req.data.insert(req.data.end(), enc.begin(), enc.end());
            }
        }
        auto amount = [](const std::string& text, const char* what) {
            auto v = chain::parse_amount(text);
            if (!v) throw CliError(std::string("invalid ") + what + ": " + std::string(to_string(v.error())));
            return *v;
        };
        req.value = amount(o->value, "--value");
        if (!o->gas_limit.empty()) req.gas_limit = amount(o->gas_limit, "--gas-limit");
        Node node(o->url);
        if (o->legacy) {
            req.gas_price = o->gas_price.empty() ? need(node.eth.gas_price()) : amount(o->gas_price, "--gas-price");
        } else if (!o->gas_price.empty() || !o->priority_gas_price.empty()) {
            auto fees = need(node.eth.suggest_fees());
            if (!o->gas_price.empty()) fees.max_fee_per_gas = amount(o->gas_price, "--gas-price");
            if (!o->priority_gas_price.empty())
                fees.max_priority_fee_per_gas = amount(o->priority_gas_price, "--priority-gas-price");
            req.fees = fees;
        }
        const std::uint64_t chain_id = need(node.eth.chain_id());
        chain::NonceManager nonces(node.eth, key->address());
        chain::SenderOptions opts;
        opts.receipt_timeout = std::chrono::seconds(o->timeout_s);
        chain::Sender sender(node.eth, *key, nonces, chain_id, opts);
        auto sent = sender.send(req);
        if (!sent) throw_rpc(sent.error(), o->errors);
        if (o->async) {
            std::cout << to_hex(sent->hash) << '\n';
            return;
        }
        auto receipt = sender.wait(*sent, req);
        if (!receipt) throw_rpc(receipt.error(), o->errors);
        const Json raw = need(node.rpc.call("eth_getTransactionReceipt", Json::array({to_hex(receipt->transaction_hash)})));
        if (o->json) {
            std::cout << chain::receipt_json(raw).dump() << '\n';
        } else {
            std::cout << chain::format_receipt(raw);
        }
    });
}

}  // namespace

void register_rpc_commands(CLI::App& app) {
    register_simple_reads(app);
    register_receipt(app);
    register_logs(app);
    register_call(app);
    register_send(app);
}

}  // namespace sigil::cli
