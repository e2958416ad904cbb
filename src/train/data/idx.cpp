#include "train/data/idx.hpp"

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <limits>

namespace sigil::data {

Result<Bytes, DataError> gunzip(BytesView compressed, std::size_t max_output) {
    z_stream zs{};
    // 16 + MAX_WBITS: expect a gzip header and trailer (zlib manual, inflateInit2).
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return fail(DataError::gzip_corrupt);
    if (compressed.size() > std::numeric_limits<uInt>::max()) {
        inflateEnd(&zs);
        return fail(DataError::too_large);
    }
    zs.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
    zs.avail_in = static_cast<uInt>(compressed.size());
    Bytes out;
    std::size_t chunk = std::max<std::size_t>(compressed.size() * 4, 1 << 16);
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (out.size() >= max_output) {
            inflateEnd(&zs);
            return fail(DataError::too_large);
        }
        const std::size_t have = out.size();
        const std::size_t grow = std::min(chunk, max_output - have);
        out.resize(have + grow);
        zs.next_out = out.data() + have;
        zs.avail_out = static_cast<uInt>(grow);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(have + (grow - zs.avail_out));
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            inflateEnd(&zs);
            return fail(DataError::gzip_truncated);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            inflateEnd(&zs);
            return fail(DataError::gzip_corrupt);
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            return fail(DataError::gzip_truncated);
        }
    }
    const bool trailing = zs.avail_in != 0;
    inflateEnd(&zs);
    if (trailing) return fail(DataError::gzip_corrupt);
    return out;
}

namespace {

std::uint32_t read_be32(BytesView b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

}  // namespace

Result<IdxArray, DataError> parse_idx(BytesView bytes, std::uint8_t expected_rank) {
    if (bytes.size() < 4) return fail(DataError::truncated);
    if (bytes[0] != 0 || bytes[1] != 0) return fail(DataError::bad_magic);
    if (bytes[2] != kIdxUnsignedByte) return fail(DataError::bad_dtype);
    const std::uint8_t rank = bytes[3];
    if (rank != expected_rank) return fail(DataError::bad_rank);
    const std::size_t header = 4 + std::size_t{rank} * 4;
    if (bytes.size() < header) return fail(DataError::truncated);
    IdxArray out;
    std::uint64_t count = 1;
    for (std::size_t i = 0; i < rank; ++i) {
        const std::uint32_t d = read_be32(bytes, 4 + 4 * i);
        if (d == 0) return fail(DataError::bad_dims);
        count *= d;
        if (count > (std::uint64_t{1} << 40)) return fail(DataError::too_large);
        out.dims.push_back(d);
    }
    const std::uint64_t body = bytes.size() - header;
    if (body < count) return fail(DataError::truncated);
    if (body > count) return fail(DataError::trailing_bytes);
    out.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return out;
}

Result<Bytes, DataError> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(DataError::open_failed);
    Bytes out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return fail(DataError::read_failed);
    return out;
}

Result<IdxArray, DataError> read_idx(const std::filesystem::path& path, std::uint8_t expected_rank) {
    Bytes raw = SIGIL_TRY(read_file(path));
    if (path.extension() == ".gz") raw = SIGIL_TRY(gunzip(raw));
    return parse_idx(raw, expected_rank);
}

}  // namespace sigil::data
