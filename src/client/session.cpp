#include "client/session.hpp"

#include "bindings/abi_tables.hpp"
#include "chain/transport.hpp"
#include "chain/units.hpp"

namespace sigil::client {
namespace {

using chain::Json;

abi::Function parse_sig(std::string_view sig) {
    auto fn = abi::parse_function(sig);
    if (!fn)
        throw ClientError("invalid signature '" + std::string(sig) + "': " + std::string(abi::to_string(fn.error())));
    return *fn;
}

template <typename T>
T need(Result<T, chain::RpcError> r) {
    if (!r) throw ClientError(describe_rpc_error(r.error()));
    return std::move(*r);
}

}  // namespace

std::string describe_rpc_error(const chain::RpcError& e) {
    if (e.kind == chain::RpcErrorKind::execution_reverted && !e.data.empty()) {
        auto rev = abi::decode_revert(e.data, bindings::all_error_signatures(), abi::DecodeMode::lenient);
        if (rev) return "execution reverted: " + abi::describe(*rev);
        return "execution reverted: custom error " + to_hex(e.data);
    }
    return e.describe();
}

Bytes encode_call(std::string_view sig, const std::vector<std::string>& args) {
    const auto fn = parse_sig(sig);
    auto values = abi::parse_args(fn.input_types(), args);
    if (!values) {
        throw ClientError("invalid arguments for " + fn.signature() + ": " +
                          std::string(abi::to_string(values.error())));
    }
    return abi::encode_call(fn, *values);
}

Bytes encode_call_values(std::string_view sig, const std::vector<abi::Value>& args) {
    const auto fn = parse_sig(sig);
    if (!abi::conforms(fn.input_types(), args)) throw ClientError("arguments do not match " + fn.signature());
    return abi::encode_call(fn, args);
}

Address parse_address_arg(const std::string& text, std::string_view what) {
    auto a = parse_address(text);
    if (!a) throw ClientError("invalid " + std::string(what) + " '" + text + "': " + std::string(to_string(a.error())));
    return *a;
}

u256 parse_amount_arg(const std::string& text, std::string_view what) {
    auto v = chain::parse_amount(text);
    if (!v)
        throw ClientError("invalid " + std::string(what) + " '" + text +
                          "': " + std::string(chain::to_string(v.error())));
    return *v;
}

Session::Session(const std::string& url, std::chrono::milliseconds timeout)
    : url_(url),
      rpc_(std::make_shared<chain::HttpTransport>(url),
           chain::RpcOptions{timeout, 2, std::chrono::milliseconds(100), std::chrono::milliseconds(500)}),
      eth_(rpc_) {
    chain_id_ = need(eth_.chain_id());
}

std::vector<abi::Value> Session::call_values(const Address& to, std::string_view sig,
                                             const std::vector<abi::Value>& args) const {
    const auto fn = parse_sig(sig);
    chain::CallRequest req;
    req.to = to;
    req.data = encode_call_values(sig, args);
    const Bytes out = need(eth_.call(req));
    auto values = abi::decode(fn.output_types(), out, abi::DecodeMode::lenient);
    if (!values) {
        throw ClientError("cannot decode the result of " + fn.signature() + " at " + to_hex(to) + ": " +
                          std::string(abi::to_string(values.error())));
    }
    return *values;
}

std::vector<abi::Value> Session::call(const Address& to, std::string_view sig,
                                      const std::vector<std::string>& args) const {
    const auto fn = parse_sig(sig);
    auto values = abi::parse_args(fn.input_types(), args);
    if (!values) {
        throw ClientError("invalid arguments for " + fn.signature() + ": " +
                          std::string(abi::to_string(values.error())));
    }
    return call_values(to, sig, *values);
}

u256 Session::call_uint(const Address& to, std::string_view sig, const std::vector<std::string>& args) const {
    auto v = call(to, sig, args);
    if (v.empty()) throw ClientError(std::string(sig) + " returned nothing");
    return v[0].num;
}

Address Session::call_address(const Address& to, std::string_view sig, const std::vector<std::string>& args) const {
    auto v = call(to, sig, args);
    if (v.empty() || v[0].kind != abi::Kind::address) throw ClientError(std::string(sig) + " returned no address");
    return v[0].as_address();
}

bool Session::call_bool(const Address& to, std::string_view sig, const std::vector<std::string>& args) const {
    auto v = call(to, sig, args);
    if (v.empty()) throw ClientError(std::string(sig) + " returned nothing");
    return v[0].num != 0;
}

std::uint64_t Session::timestamp() {
    auto b = need(eth_.get_block(chain::BlockId::latest()));
    if (!b) throw ClientError("no latest block");
    return b->timestamp;
}

void Session::advance_time(std::uint64_t seconds) {
    need(rpc_.call("evm_increaseTime", Json::array({seconds})));
    mine(1);
}

void Session::mine(std::uint64_t blocks) {
    auto r = eth_.anvil_mine(blocks);
    if (!r) throw ClientError(describe_rpc_error(r.error()));
}

Signer::Signer(Session& session, const chain::PrivateKey& key) : session_(session) {
    nonces_ = std::make_unique<chain::NonceManager>(session.eth(), key.address());
    chain::SenderOptions opts;
    opts.receipt_timeout = std::chrono::milliseconds(60'000);
    opts.receipt_poll = std::chrono::milliseconds(20);
    sender_ = std::make_unique<chain::Sender>(session.eth(), key, *nonces_, session.chain_id(), opts);
}

chain::Receipt Signer::send_data(const std::optional<Address>& to, Bytes data, const u256& value) {
    chain::TxRequest req;
    req.to = to;
    req.data = std::move(data);
    req.value = value;
    auto receipt = sender_->send_and_wait(req);
    if (!receipt) throw ClientError(describe_rpc_error(receipt.error()));
    if (!receipt->status) throw ClientError("transaction " + to_hex(receipt->transaction_hash) + " reverted");
    return *receipt;
}

chain::Receipt Signer::send(const Address& to, std::string_view sig, const std::vector<std::string>& args,
                            const u256& value) {
    try {
        return send_data(to, encode_call(sig, args), value);
    } catch (const ClientError& e) {
        throw ClientError(std::string(parse_sig(sig).name) + ": " + e.what());
    }
}

chain::Receipt Signer::send_values(const Address& to, std::string_view sig, const std::vector<abi::Value>& args,
                                   const u256& value) {
    try {
        return send_data(to, encode_call_values(sig, args), value);
    } catch (const ClientError& e) {
        throw ClientError(std::string(parse_sig(sig).name) + ": " + e.what());
    }
}

Address Signer::deploy(const Bytes& code, std::string_view ctor, const std::vector<abi::Value>& args) {
    Bytes data = code;
    if (!ctor.empty()) {
        const auto fn = parse_sig(ctor);
        auto enc = abi::try_encode(fn.input_types(), args);
        if (!enc) throw ClientError("constructor arguments do not match " + fn.signature());
        data.insert(data.end(), enc->begin(), enc->end());
    }
    const auto receipt = send_data(std::nullopt, std::move(data));
    if (!receipt.contract_address) throw ClientError("deployment receipt has no contract address");
    return *receipt.contract_address;
}

}  // namespace sigil::client
