#include "train/data/errors.hpp"

namespace sigil::data {

std::string_view to_string(DataError e) noexcept {
    switch (e) {
        case DataError::open_failed: return "open_failed";
        case DataError::read_failed: return "read_failed";
        case DataError::gzip_corrupt: return "gzip_corrupt";
        case DataError::gzip_truncated: return "gzip_truncated";
        case DataError::too_large: return "too_large";
        case DataError::bad_magic: return "bad_magic";
        case DataError::bad_dtype: return "bad_dtype";
        case DataError::bad_rank: return "bad_rank";
        case DataError::bad_dims: return "bad_dims";
        case DataError::truncated: return "truncated";
        case DataError::trailing_bytes: return "trailing_bytes";
        case DataError::count_mismatch: return "count_mismatch";
        case DataError::bad_label: return "bad_label";
    }
    return "unknown";
}

}  // namespace sigil::data
