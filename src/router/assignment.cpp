#include "router/assignment.hpp"

#include <nlohmann/json.hpp>

#include "chain/typed_data.hpp"
#include "core/keccak.hpp"

namespace sigil::router {

namespace {

void put_word(Bytes& out, const u256& v) {
    const Bytes32 w = to_be32(v);
    out.insert(out.end(), w.begin(), w.end());
}

void put_bytes32(Bytes& out, const Hash& h) { out.insert(out.end(), h.begin(), h.end()); }

void put_address(Bytes& out, const Address& a) {
    out.insert(out.end(), 12, 0);
    out.insert(out.end(), a.begin(), a.end());
}

}  // namespace

Hash params_hash(const RequestParams& p) {
    Bytes enc;
    enc.reserve(320);
    put_bytes32(enc, p.model_root);
    put_bytes32(enc, p.input_root);
    put_address(enc, p.token);
    put_word(enc, p.price);
    put_word(enc, p.redundancy);
    put_word(enc, p.after_window ? 1 : 0);
    put_word(enc, p.callback_gas_limit);
    put_word(enc, p.ttl);
    put_word(enc, p.commit_window);
    put_address(enc, p.assigned);
    return keccak256(enc);
}

std::string assignment_typed_data(const Assignment& a, const AssignmentDomain& d) {
    nlohmann::json j;
    j["types"]["EIP712Domain"] = nlohmann::json::array({
        {{"name", "name"}, {"type", "string"}},
        {{"name", "version"}, {"type", "string"}},
        {{"name", "chainId"}, {"type", "uint256"}},
        {{"name", "verifyingContract"}, {"type", "address"}},
    });
    j["types"]["Assignment"] = nlohmann::json::array({
        {{"name", "consumer"}, {"type", "address"}},
        {{"name", "paramsHash"}, {"type", "bytes32"}},
        {{"name", "node"}, {"type", "address"}},
        {{"name", "coordinator"}, {"type", "address"}},
        {{"name", "nonce"}, {"type", "uint256"}},
        {{"name", "deadline"}, {"type", "uint256"}},
    });
    j["primaryType"] = "Assignment";
    j["domain"] = {{"name", "SigilRouterRegistry"},
                   {"version", "1"},
                   {"chainId", d.chain_id},
                   {"verifyingContract", to_checksum(d.registry)}};
    j["message"] = {{"consumer", to_checksum(a.consumer)},
                    {"paramsHash", to_hex(a.params_hash)},
                    {"node", to_checksum(a.node)},
                    {"coordinator", to_checksum(a.coordinator)},
                    {"nonce", to_dec(a.nonce)},
                    {"deadline", to_dec(a.deadline)}};
    return j.dump();
}

Hash assignment_digest(const Assignment& a, const AssignmentDomain& d) {
    // The document is built here from valid values, so parsing and hashing cannot fail.
    auto td = chain::TypedData::parse(assignment_typed_data(a, d));
    assert(td);
    auto h = td->signing_hash();
    assert(h);
    return *h;
}

Bytes sign_assignment(const chain::PrivateKey& key, const Assignment& a, const AssignmentDomain& d) {
    return key.sign(assignment_digest(a, d)).to_rsv();
}

}  // namespace sigil::router
