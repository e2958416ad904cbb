#include "core/abi/error.hpp"

namespace sigil::abi {

std::string_view to_string(AbiError e) noexcept {
    switch (e) {
        case AbiError::bad_signature: return "bad_signature";
        case AbiError::bad_type: return "bad_type";
        case AbiError::bad_int_size: return "bad_int_size";
        case AbiError::bad_bytes_size: return "bad_bytes_size";
        case AbiError::bad_array_size: return "bad_array_size";
        case AbiError::zero_size_type: return "zero_size_type";
        case AbiError::type_too_deep: return "type_too_deep";
        case AbiError::bad_indexed: return "bad_indexed";
        case AbiError::arg_count_mismatch: return "arg_count_mismatch";
        case AbiError::bad_bool: return "bad_bool";
        case AbiError::bad_number: return "bad_number";
        case AbiError::number_out_of_range: return "number_out_of_range";
        case AbiError::fraction_not_allowed: return "fraction_not_allowed";
        case AbiError::negative_units: return "negative_units";
        case AbiError::bad_hex: return "bad_hex";
        case AbiError::bad_length: return "bad_length";
        case AbiError::bad_string: return "bad_string";
        case AbiError::bad_list: return "bad_list";
        case AbiError::array_length_mismatch: return "array_length_mismatch";
        case AbiError::value_mismatch: return "value_mismatch";
        case AbiError::trailing_text: return "trailing_text";
        case AbiError::data_too_short: return "data_too_short";
        case AbiError::offset_out_of_range: return "offset_out_of_range";
        case AbiError::length_out_of_range: return "length_out_of_range";
        case AbiError::non_canonical_offset: return "non_canonical_offset";
        case AbiError::dirty_padding: return "dirty_padding";
        case AbiError::trailing_data: return "trailing_data";
        case AbiError::dirty_address: return "dirty_address";
        case AbiError::dirty_uint: return "dirty_uint";
        case AbiError::dirty_int: return "dirty_int";
        case AbiError::dirty_bool: return "dirty_bool";
        case AbiError::dirty_bytes: return "dirty_bytes";
        case AbiError::data_reused: return "data_reused";
        case AbiError::selector_mismatch: return "selector_mismatch";
        case AbiError::topic_count_mismatch: return "topic_count_mismatch";
        case AbiError::topic0_mismatch: return "topic0_mismatch";
        case AbiError::unknown_error: return "unknown_error";
        case AbiError::empty_revert: return "empty_revert";
    }
    return "unknown";
}

}  // namespace sigil::abi
