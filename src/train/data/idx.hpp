#pragma once
/// IDX files (the MNIST family's format, http://yann.lecun.com/exdb/mnist/), optionally gzipped.
///
/// Layout: magic = {0x00, 0x00, dtype, rank}, then `rank` big-endian uint32 dimensions, then the
/// elements in row-major order. Only dtype 0x08 (unsigned byte) is accepted; that is what image
/// and label files use.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "train/data/errors.hpp"

namespace sigil::data {

/// The IDX element type code for unsigned bytes.
inline constexpr std::uint8_t kIdxUnsignedByte = 0x08;

/// A decoded IDX array of unsigned bytes.
struct IdxArray {
    std::vector<std::uint32_t> dims;  ///< outermost first
    Bytes data;                       ///< product(dims) bytes, row-major
};

/// Decompresses a whole gzip stream (RFC 1952) with zlib. Fails with gzip_truncated when the
/// input ends early, gzip_corrupt on bad data, CRC mismatch or bytes after the stream, and
/// too_large past `max_output` bytes.
Result<Bytes, DataError> gunzip(BytesView compressed, std::size_t max_output = std::size_t{1} << 30);

/// Parses raw (uncompressed) IDX bytes whose rank must be `expected_rank`.
Result<IdxArray, DataError> parse_idx(BytesView bytes, std::uint8_t expected_rank);

/// Reads a whole file.
Result<Bytes, DataError> read_file(const std::filesystem::path& path);

/// Reads an IDX file; a name ending in `.gz` is decompressed first.
Result<IdxArray, DataError> read_idx(const std::filesystem::path& path, std::uint8_t expected_rank);

}  // namespace sigil::data
