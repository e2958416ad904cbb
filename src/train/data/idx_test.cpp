#include "train/data/idx.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <random>

#include "train/data/dataset.hpp"

namespace sigil::data {
namespace {

Bytes gzip(const Bytes& raw) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    Bytes out(deflateBound(&zs, static_cast<uLong>(raw.size())) + 64);
    zs.next_in = const_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

Bytes idx_bytes(std::uint8_t dtype, std::vector<std::uint32_t> dims, std::size_t data_len, std::uint8_t fill = 1) {
    Bytes out{0, 0, dtype, static_cast<std::uint8_t>(dims.size())};
    for (auto d : dims) {
        for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(d >> s));
    }
    out.resize(out.size() + data_len, fill);
    return out;
}

/// A scratch directory removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("sigil-data-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::filesystem::path write(const std::string& name, const Bytes& bytes) const {
        const auto p = path_ / name;
        std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                                                  static_cast<std::streamsize>(bytes.size()));
        return p;
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

DataError idx_error(const Bytes& raw, std::uint8_t rank) {
    auto r = parse_idx(raw, rank);
    EXPECT_FALSE(r.has_value());
    return r ? DataError::open_failed : r.error();
}

TEST(idx, parses_well_formed_array) {
    auto r = parse_idx(idx_bytes(0x08, {2, 3}, 6, 7), 2);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->dims, (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(r->data, Bytes(6, 7));
}

TEST(idx, names_every_header_error) {
    EXPECT_EQ(idx_error({0, 0, 8}, 1), DataError::truncated);
    auto bad_magic = idx_bytes(0x08, {4}, 4);
    bad_magic[1] = 1;
    EXPECT_EQ(idx_error(bad_magic, 1), DataError::bad_magic);
    EXPECT_EQ(idx_error(idx_bytes(0x0D, {4}, 16), 1), DataError::bad_dtype);  // 0x0D = float32
    EXPECT_EQ(idx_error(idx_bytes(0x08, {2, 2}, 4), 1), DataError::bad_rank);
    EXPECT_EQ(idx_error(idx_bytes(0x08, {2, 0}, 0), 2), DataError::bad_dims);
    auto short_dims = idx_bytes(0x08, {2, 2, 2}, 0);
    short_dims.resize(10);
    EXPECT_EQ(idx_error(short_dims, 3), DataError::truncated);
    EXPECT_EQ(idx_error(idx_bytes(0x08, {2, 3}, 5), 2), DataError::truncated);
    EXPECT_EQ(idx_error(idx_bytes(0x08, {2, 3}, 7), 2), DataError::trailing_bytes);
    EXPECT_EQ(idx_error(idx_bytes(0x08, {0xFFFFFFFF, 0xFFFFFFFF}, 0), 2), DataError::too_large);
}

TEST(gzip, round_trips_and_detects_truncation_and_corruption) {
    Bytes raw(100000);
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>((i * 7919) >> 5);
    const Bytes gz = gzip(raw);
    auto ok = gunzip(gz);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, raw);

    for (std::size_t cut : {gz.size() - 1, gz.size() - 8, gz.size() / 2, std::size_t{12}, std::size_t{0}}) {
        auto r = gunzip(BytesView(gz).first(cut));
        ASSERT_FALSE(r) << cut;
        EXPECT_EQ(r.error(), DataError::gzip_truncated) << cut;
    }
    Bytes crc = gz;
    crc[crc.size() - 6] ^= 0xFF;  // inside the CRC32 of the trailer
    ASSERT_FALSE(gunzip(crc));
    EXPECT_EQ(gunzip(crc).error(), DataError::gzip_corrupt);
    Bytes not_gzip = raw;
    not_gzip.resize(64);
    EXPECT_EQ(gunzip(not_gzip).error(), DataError::gzip_corrupt);
    Bytes trailing = gz;
    trailing.push_back(0);
    EXPECT_EQ(gunzip(trailing).error(), DataError::gzip_corrupt);
    EXPECT_EQ(gunzip(gz, 1000).error(), DataError::too_large);
}

TEST(idx_file, reads_gzip_and_plain_files_and_names_file_errors) {
    TempDir dir;
    const Bytes raw = idx_bytes(0x08, {3}, 3, 2);
    auto plain = read_idx(dir.write("a-idx1-ubyte", raw), 1);
    ASSERT_TRUE(plain);
    auto gz = read_idx(dir.write("a-idx1-ubyte.gz", gzip(raw)), 1);
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->data, plain->data);
    EXPECT_EQ(read_idx(dir.path() / "missing.gz", 1).error(), DataError::open_failed);
    Bytes cut = gzip(raw);
    cut.resize(cut.size() - 3);
    EXPECT_EQ(read_idx(dir.write("cut.gz", cut), 1).error(), DataError::gzip_truncated);
}

/// Writes a Fashion-MNIST-shaped file pair with `images` images and `labels` labels.
void write_pair(const TempDir& dir, const std::string& prefix, std::uint32_t images, std::uint32_t labels,
                std::uint8_t label_value = 3, std::uint32_t side = 28) {
    dir.write(prefix + "-images-idx3-ubyte.gz", gzip(idx_bytes(0x08, {images, side, side}, std::size_t{images} * side * side)));
    dir.write(prefix + "-labels-idx1-ubyte.gz", gzip(idx_bytes(0x08, {labels}, labels, label_value)));
}

TEST(fashion_mnist, loader_checks_pair_consistency) {
    TempDir dir;
    write_pair(dir, "train", 5, 5);
    auto ok = load_fashion_mnist(dir.path(), FashionSplit::train);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->size(), 5U);
    EXPECT_EQ(ok->labels[4], 3);

    write_pair(dir, "t10k", 5, 4);
    EXPECT_EQ(load_fashion_mnist(dir.path(), FashionSplit::test).error(), DataError::count_mismatch);
    write_pair(dir, "t10k", 5, 5, 10);
    EXPECT_EQ(load_fashion_mnist(dir.path(), FashionSplit::test).error(), DataError::bad_label);
    write_pair(dir, "t10k", 5, 5, 1, 27);
    EXPECT_EQ(load_fashion_mnist(dir.path(), FashionSplit::test).error(), DataError::bad_dims);
    std::filesystem::remove(dir.path() / "t10k-labels-idx1-ubyte.gz");
    EXPECT_EQ(load_fashion_mnist(dir.path(), FashionSplit::test).error(), DataError::open_failed);
}

TEST(data_error, names_are_stable) {
    EXPECT_EQ(to_string(DataError::gzip_truncated), "gzip_truncated");
    EXPECT_EQ(to_string(DataError::count_mismatch), "count_mismatch");
    EXPECT_EQ(to_string(DataError::bad_label), "bad_label");
}

}  // namespace
}  // namespace sigil::data
