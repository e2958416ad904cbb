#include "chain/eth_types.hpp"

namespace sigil::chain {
namespace {

RpcError bad(std::string what) { return RpcError{RpcErrorKind::malformed_response, 0, std::move(what), {}}; }

const Json* field(const Json& obj, const char* name) {
    if (!obj.is_object() || !obj.contains(name)) return nullptr;
    return &obj[name];
}

template <typename T, typename F>
Result<T, RpcError> required(const Json& obj, const char* name, F decode) {
    const Json* f = field(obj, name);
    if (f == nullptr) return fail(bad(std::string("missing field ") + name));
    return decode(*f);
}

template <typename T, typename F>
Result<std::optional<T>, RpcError> optional_field(const Json& obj, const char* name, F decode) {
    const Json* f = field(obj, name);
    if (f == nullptr || f->is_null()) return std::optional<T>{};
    auto v = decode(*f);
    if (!v) return fail(v.error());
    return std::optional<T>(std::move(*v));
}

}  // namespace

Json BlockId::to_json() const {
    if (const auto* n = std::get_if<std::uint64_t>(&value)) return to_hex_quantity(u256(*n));
    return std::get<std::string>(value);
}

Json CallRequest::to_json() const {
    Json out = Json::object();
    if (from) out["from"] = to_hex(*from);
    if (to) out["to"] = to_hex(*to);
    if (value != 0) out["value"] = to_hex_quantity(value);
    if (!data.empty()) out["input"] = to_hex(data);
    if (gas) out["gas"] = to_hex_quantity(*gas);
    return out;
}

Json LogFilter::to_json() const {
    Json out = Json::object();
    if (block_hash) {
        out["blockHash"] = to_hex(*block_hash);
    } else {
        if (from_block) out["fromBlock"] = to_hex_quantity(u256(*from_block));
        if (to_block) out["toBlock"] = to_hex_quantity(u256(*to_block));
    }
    if (addresses.size() == 1) out["address"] = to_hex(addresses[0]);
    if (addresses.size() > 1) {
        out["address"] = Json::array();
        for (const auto& a : addresses) out["address"].push_back(to_hex(a));
    }
    if (!topics.empty()) {
        Json t = Json::array();
        for (const auto& alternatives : topics) {
            if (alternatives.empty()) {
                t.push_back(nullptr);
            } else if (alternatives.size() == 1) {
                t.push_back(to_hex(alternatives[0]));
            } else {
                Json any = Json::array();
                for (const auto& h : alternatives) any.push_back(to_hex(h));
                t.push_back(any);
            }
        }
        out["topics"] = t;
    }
    return out;
}

Result<u256, RpcError> json_quantity(const Json& v) {
    if (!v.is_string()) return fail(bad("quantity is not a string"));
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return fail(bad("quantity is not 0x-hex: " + s.substr(0, 80)));
    auto n = parse_u256(s);
    if (!n) return fail(bad("bad quantity: " + s.substr(0, 80)));
    return *n;
}

Result<std::uint64_t, RpcError> json_u64(const Json& v) {
    const u256 n = SIGIL_TRY(json_quantity(v));
    if (n > u256(std::numeric_limits<std::uint64_t>::max())) return fail(bad("quantity exceeds 64 bits"));
    return static_cast<std::uint64_t>(n);
}

Result<Bytes, RpcError> json_data(const Json& v) {
    if (!v.is_string()) return fail(bad("data is not a string"));
    auto b = from_hex(v.get_ref<const std::string&>());
    if (!b) return fail(bad("data is not hex"));
    return std::move(*b);
}

Result<Hash, RpcError> json_hash(const Json& v) {
    if (!v.is_string()) return fail(bad("hash is not a string"));
    auto h = fixed_from_hex<32>(v.get_ref<const std::string&>());
    if (!h) return fail(bad("hash is not 32 bytes of hex"));
    return *h;
}

Result<Address, RpcError> json_address(const Json& v) {
    if (!v.is_string()) return fail(bad("address is not a string"));
    auto a = fixed_from_hex<20>(v.get_ref<const std::string&>());
    if (!a) return fail(bad("address is not 20 bytes of hex"));
    return *a;
}

Result<Log, RpcError> json_log(const Json& v) {
    if (!v.is_object()) return fail(bad("log is not an object"));
    Log log;
    log.address = SIGIL_TRY(required<Address>(v, "address", json_address));
    const Json* topics = field(v, "topics");
    if (topics == nullptr || !topics->is_array()) return fail(bad("log topics missing"));
    for (const auto& t : *topics) log.topics.push_back(SIGIL_TRY(json_hash(t)));
    log.data = SIGIL_TRY(required<Bytes>(v, "data", json_data));
    log.block_number = SIGIL_TRY(required<std::uint64_t>(v, "blockNumber", json_u64));
    log.block_hash = SIGIL_TRY(required<Hash>(v, "blockHash", json_hash));
    log.transaction_hash = SIGIL_TRY(required<Hash>(v, "transactionHash", json_hash));
    log.log_index = SIGIL_TRY(required<std::uint64_t>(v, "logIndex", json_u64));
    const Json* removed = field(v, "removed");
    log.removed = removed != nullptr && removed->is_boolean() && removed->get<bool>();
    return log;
}

Result<Receipt, RpcError> json_receipt(const Json& v) {
    if (!v.is_object()) return fail(bad("receipt is not an object"));
    Receipt r;
    r.transaction_hash = SIGIL_TRY(required<Hash>(v, "transactionHash", json_hash));
    r.status = SIGIL_TRY(required<u256>(v, "status", json_quantity)) == 1;
    r.block_number = SIGIL_TRY(required<std::uint64_t>(v, "blockNumber", json_u64));
    r.block_hash = SIGIL_TRY(required<Hash>(v, "blockHash", json_hash));
    r.from = SIGIL_TRY(required<Address>(v, "from", json_address));
    r.to = SIGIL_TRY(optional_field<Address>(v, "to", json_address));
    r.contract_address = SIGIL_TRY(optional_field<Address>(v, "contractAddress", json_address));
    r.gas_used = SIGIL_TRY(required<u256>(v, "gasUsed", json_quantity));
    r.effective_gas_price = SIGIL_TRY(optional_field<u256>(v, "effectiveGasPrice", json_quantity)).value_or(0);
    const Json* logs = field(v, "logs");
    if (logs == nullptr || !logs->is_array()) return fail(bad("receipt logs missing"));
    for (const auto& l : *logs) r.logs.push_back(SIGIL_TRY(json_log(l)));
    return r;
}

Result<BlockHeader, RpcError> json_block_header(const Json& v) {
    if (!v.is_object()) return fail(bad("block is not an object"));
    BlockHeader h;
    h.number = SIGIL_TRY(required<std::uint64_t>(v, "number", json_u64));
    h.hash = SIGIL_TRY(required<Hash>(v, "hash", json_hash));
    h.parent_hash = SIGIL_TRY(required<Hash>(v, "parentHash", json_hash));
    h.timestamp = SIGIL_TRY(required<std::uint64_t>(v, "timestamp", json_u64));
    h.base_fee = SIGIL_TRY(optional_field<u256>(v, "baseFeePerGas", json_quantity));
    return h;
}

}  // namespace sigil::chain
