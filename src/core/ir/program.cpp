#include "core/ir/program.hpp"

#include "core/ir/errors.hpp"

namespace sigil::ir {

std::uint32_t dtype_size(DType t) noexcept { return t == DType::int32 ? 4U : 1U; }

std::string_view to_string(DType t) noexcept {
    switch (t) {
        case DType::int8: return "int8";
        case DType::int32: return "int32";
    }
    return "unknown";
}

std::string_view to_string(TensorKind k) noexcept {
    switch (k) {
        case TensorKind::input: return "input";
        case TensorKind::constant: return "constant";
        case TensorKind::activation: return "activation";
    }
    return "unknown";
}

std::string_view to_string(OpKind k) noexcept {
    switch (k) {
        case OpKind::fully_connected: return "fully_connected";
        case OpKind::matmul: return "matmul";
        case OpKind::conv2d: return "conv2d";
        case OpKind::add: return "add";
        case OpKind::mul: return "mul";
        case OpKind::clip: return "clip";
        case OpKind::max_pool: return "max_pool";
        case OpKind::average_pool: return "average_pool";
        case OpKind::global_average_pool: return "global_average_pool";
        case OpKind::reshape: return "reshape";
        case OpKind::transpose: return "transpose";
        case OpKind::concat: return "concat";
        case OpKind::gather: return "gather";
        case OpKind::softmax: return "softmax";
        case OpKind::gelu: return "gelu";
        case OpKind::layer_norm: return "layer_norm";
        case OpKind::requantize: return "requantize";
        case OpKind::causal_softmax:
            return "causal_softmax";
        case OpKind::rms_norm:
            return "rms_norm";
        case OpKind::silu:
            return "silu";
        case OpKind::cache_write:
            return "cache_write";
    }
    return "unknown";
}

std::string_view to_string(ProgramError e) noexcept {
    switch (e) {
        case ProgramError::truncated: return "truncated";
        case ProgramError::bad_magic: return "bad_magic";
        case ProgramError::unsupported_version: return "unsupported_version";
        case ProgramError::trailing_bytes: return "trailing_bytes";
        case ProgramError::too_many_tensors: return "too_many_tensors";
        case ProgramError::too_many_ops: return "too_many_ops";
        case ProgramError::bad_dtype: return "bad_dtype";
        case ProgramError::bad_tensor_kind: return "bad_tensor_kind";
        case ProgramError::bad_rank: return "bad_rank";
        case ProgramError::zero_dim: return "zero_dim";
        case ProgramError::too_many_elements: return "too_many_elements";
        case ProgramError::bad_zero_point: return "bad_zero_point";
        case ProgramError::bad_scale: return "bad_scale";
        case ProgramError::bad_quant_axis: return "bad_quant_axis";
        case ProgramError::constant_size_mismatch: return "constant_size_mismatch";
        case ProgramError::data_on_non_constant: return "data_on_non_constant";
        case ProgramError::bad_input_list: return "bad_input_list";
        case ProgramError::bad_output_list: return "bad_output_list";
        case ProgramError::bad_op_kind: return "bad_op_kind";
        case ProgramError::bad_arity: return "bad_arity";
        case ProgramError::tensor_id_out_of_range: return "tensor_id_out_of_range";
        case ProgramError::not_topological: return "not_topological";
        case ProgramError::bad_op_output: return "bad_op_output";
        case ProgramError::unproduced_activation: return "unproduced_activation";
        case ProgramError::dtype_mismatch: return "dtype_mismatch";
        case ProgramError::shape_mismatch: return "shape_mismatch";
        case ProgramError::quant_mismatch: return "quant_mismatch";
        case ProgramError::weight_not_constant: return "weight_not_constant";
        case ProgramError::bad_attribute: return "bad_attribute";
        case ProgramError::unused_attribute_set: return "unused_attribute_set";
        case ProgramError::bad_requant_count: return "bad_requant_count";
    }
    return "unknown";
}

std::uint64_t element_count(const std::vector<std::uint32_t>& shape) noexcept {
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::uint64_t byte_size(const Tensor& t) noexcept { return element_count(t.shape) * dtype_size(t.dtype); }

}  // namespace sigil::ir
