#pragma once
/// Every way a data set file can be refused (STYLE.md §6): one enum shared by the IDX reader, the
/// gzip layer and the Fashion-MNIST loader, with stable strings for logs, the CLI and tests.

#include <string_view>

namespace sigil::data {

enum class DataError {
    open_failed,         ///< the file cannot be opened
    read_failed,         ///< an I/O error while reading the file
    gzip_corrupt,        ///< not a gzip stream, bad deflate data, or a CRC/length mismatch
    gzip_truncated,      ///< the gzip stream ends before its end-of-stream marker
    too_large,           ///< the decompressed size exceeds the reader's limit
    bad_magic,           ///< the IDX magic does not start with two zero bytes
    bad_dtype,           ///< the IDX element type is not unsigned byte (0x08)
    bad_rank,            ///< the IDX file has a different number of dimensions than expected
    bad_dims,            ///< a dimension is zero, or image dimensions differ from the expected
    truncated,           ///< fewer data bytes than the dimensions announce
    trailing_bytes,      ///< more data bytes than the dimensions announce
    count_mismatch,      ///< image and label files hold different sample counts
    bad_label,           ///< a label is outside [0, classes)
};

/// Stable lower-case name of `e` (the enumerator's name).
std::string_view to_string(DataError e) noexcept;

}  // namespace sigil::data
