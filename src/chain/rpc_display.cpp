#include "chain/rpc_display.hpp"

#include <array>

#include "core/address.hpp"
#include "core/u256.hpp"

namespace sigil::chain {
namespace {

std::string quantity_dec(const Json& v) {
    if (!v.is_string()) return v.is_null() ? "" : v.dump();
    auto n = parse_u256(v.get_ref<const std::string&>());
    return n ? to_dec(*n) : v.get<std::string>();
}

std::string address_text(const Json& v) {
    if (!v.is_string()) return "";
    auto a = fixed_from_hex<20>(v.get_ref<const std::string&>());
    return a ? to_checksum(*a) : v.get<std::string>();
}

std::string plain(const Json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

const Json& at(const Json& obj, const char* key) {
    static const Json kNull;
    return obj.is_object() && obj.contains(key) ? obj[key] : kNull;
}

bool is_quantity_field(const std::string& f) {
    static const std::array<const char*, 9> kFields = {"blockNumber",       "cumulativeGasUsed", "effectiveGasPrice",
                                                       "gasUsed",           "transactionIndex",  "type",
                                                       "blobGasPrice",      "blobGasUsed",       "blockTimestamp"};
    for (const char* k : kFields) {
        if (f == k) return true;
    }
    return false;
}

std::string field_text(const Json& r, const std::string& f) {
    const Json& v = at(r, f.c_str());
    if (is_quantity_field(f)) return quantity_dec(v);
    if (f == "from" || f == "to" || f == "contractAddress") return address_text(v);
    return plain(v);
}

std::string pad(const std::string& key) { return key + std::string(key.size() < 21 ? 21 - key.size() : 1, ' '); }

}  // namespace

std::string format_receipt(const Json& r) {
    std::string out = "\n";
    for (const char* k : {"blockHash", "blockNumber", "contractAddress", "cumulativeGasUsed", "effectiveGasPrice",
                          "from", "gasUsed", "logs", "logsBloom", "root"}) {
        out += pad(k) + field_text(r, k) + "\n";
    }
    const std::string status = quantity_dec(at(r, "status"));
    out += pad("status") + status + (status == "1" ? " (success)" : " (failed)") + "\n";
    for (const char* k : {"transactionHash", "transactionIndex", "type", "blobGasPrice", "blobGasUsed"}) {
        out += pad(k) + field_text(r, k) + "\n";
    }
    if (!at(r, "to").is_null()) out += pad("to") + field_text(r, "to") + "\n";
    if (!at(r, "blockTimestamp").is_null()) out += pad("blockTimestamp") + field_text(r, "blockTimestamp") + "\n";
    return out + "\n";
}

std::string format_receipt_field(const Json& r, const std::string& field) {
    if (field == "status") return quantity_dec(at(r, "status")) == "1" ? "true" : "false";
    return field_text(r, field);
}

Json receipt_json(const Json& r) {
    if (!r.is_object()) return r;
    Json out = Json::object();
    for (const char* k : {"status", "cumulativeGasUsed", "logs", "logsBloom", "type"}) {
        if (r.contains(k)) out[k] = r[k];
    }
    for (const auto& [k, v] : r.items()) {
        if (out.contains(k)) continue;
        if (k == "blockTimestamp" && v.is_string()) {
            auto n = parse_u256(v.get_ref<const std::string&>());
            if (n && *n <= u256(std::numeric_limits<std::uint64_t>::max())) {
                out[k] = static_cast<std::uint64_t>(*n);
                continue;
            }
        }
        out[k] = v;
    }
    return out;
}

std::string format_logs(const Json& logs) {
    std::string out;
    if (!logs.is_array()) return out;
    for (const auto& l : logs) {
        out += "- address: " + address_text(at(l, "address")) + "\n";
        out += "  blockHash: " + plain(at(l, "blockHash")) + "\n";
        out += "  blockNumber: " + quantity_dec(at(l, "blockNumber")) + "\n";
        out += "  data: " + plain(at(l, "data")) + "\n";
        out += "  logIndex: " + quantity_dec(at(l, "logIndex")) + "\n";
        out += "  removed: " + plain(at(l, "removed")) + "\n";
        out += "  topics: [\n";
        if (at(l, "topics").is_array()) {
            for (const auto& t : at(l, "topics")) out += "  \t" + plain(t) + "\n";
        }
        out += "  ]\n";
        out += "  transactionHash: " + plain(at(l, "transactionHash")) + "\n";
        out += "  transactionIndex: " + quantity_dec(at(l, "transactionIndex")) + "\n";
    }
    return out;
}

}  // namespace sigil::chain
