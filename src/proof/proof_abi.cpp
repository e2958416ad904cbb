#include "proof/proof_abi.hpp"

#include "core/abi/codec.hpp"

namespace sigil::proof {
namespace {

using abi::Type;
using abi::Value;

Type hashes_type() { return Type::array(Type::bytes_n(32)); }

Value hashes(const std::vector<Hash>& v) {
    std::vector<Value> out;
    out.reserve(v.size());
    for (const auto& h : v) out.push_back(Value::bytes_n(h));
    return Value::array(std::move(out));
}

Type chunk_type() { return Type::tuple({Type::uint(64), Type::bytes_n(32), hashes_type()}); }

Type opening_type() {
    return Type::tuple(
        {Type::uint(8), Type::uint(64), Type::bytes_n(32), hashes_type(), hashes_type(), Type::array(chunk_type())});
}

Value opening_value(const trace::TensorOpening& o) {
    std::vector<Value> chunks;
    for (const auto& c : o.chunks) {
        chunks.push_back(Value::tuple({Value::uint(c.index, 64), Value::bytes_n(c.chunk), hashes(c.siblings)}));
    }
    return Value::tuple({Value::uint(static_cast<std::uint8_t>(o.source), 8), Value::uint(o.position, 64),
                         Value::bytes_n(o.tensor_root), hashes(o.inner_path), hashes(o.outer_path),
                         Value::array(std::move(chunks))});
}

}  // namespace

abi::Type element_proof_type() {
    return Type::tuple(
        {Type::uint(64), Type::uint(64), Type::bytes(), hashes_type(), hashes_type(), Type::array(opening_type())});
}

abi::Value element_proof_value(const trace::ElementProof& p) {
    std::vector<Value> ops;
    for (const auto& o : p.operands) ops.push_back(opening_value(o));
    return Value::tuple({Value::uint(p.step, 64), Value::uint(p.element, 64), Value::dyn_bytes(p.op_record),
                         hashes(p.op_path), hashes(p.op_table_path), Value::array(std::move(ops))});
}

Bytes encode_element_proof(const trace::ElementProof& p) {
    return abi::encode({element_proof_type()}, {element_proof_value(p)});
}

abi::Type output_reveal_type() {
    return Type::tuple({Type::bytes_n(32), hashes_type(), Type::bytes(), hashes_type(), hashes_type()});
}

abi::Value output_reveal_value(const OutputReveal& r) {
    return Value::tuple({Value::bytes_n(r.out_root), hashes(r.state_path), Value::dyn_bytes(r.op_record),
                         hashes(r.op_path), hashes(r.op_table_path)});
}

std::uint8_t verify_code(const Result<void, trace::VerifyError>& r) noexcept {
    if (r) return 0;
    return static_cast<std::uint8_t>(static_cast<int>(r.error()) + 1);
}

}  // namespace sigil::proof
