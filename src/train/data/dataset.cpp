#include "train/data/dataset.hpp"

#include <array>

#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "train/data/idx.hpp"

namespace sigil::data {

Result<Dataset, DataError> make_dataset(const IdxArray& images, const IdxArray& labels, std::uint32_t classes,
                                        std::uint32_t rows, std::uint32_t cols) {
    if (images.dims.size() != 3 || labels.dims.size() != 1) return fail(DataError::bad_rank);
    if (images.dims[0] != labels.dims[0]) return fail(DataError::count_mismatch);
    if ((rows != 0 && images.dims[1] != rows) || (cols != 0 && images.dims[2] != cols)) {
        return fail(DataError::bad_dims);
    }
    Dataset ds;
    ds.rows = images.dims[1];
    ds.cols = images.dims[2];
    ds.classes = classes;
    for (std::uint8_t label : labels.data) {
        if (label >= classes) return fail(DataError::bad_label);
    }
    ds.pixels = images.data;
    ds.labels.assign(labels.data.begin(), labels.data.end());
    return ds;
}

Result<Dataset, DataError> load_fashion_mnist(const std::filesystem::path& dir, FashionSplit split) {
    const std::string prefix = split == FashionSplit::train ? "train" : "t10k";
    const IdxArray images = SIGIL_TRY(read_idx(dir / (prefix + "-images-idx3-ubyte.gz"), 3));
    const IdxArray labels = SIGIL_TRY(read_idx(dir / (prefix + "-labels-idx1-ubyte.gz"), 1));
    return make_dataset(images, labels, 10, 28, 28);
}

namespace {

void put_be32(Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

Bytes sample_bytes(const Dataset& ds, std::size_t i) {
    Bytes out;
    out.reserve(8 + ds.image_bytes() + 1);
    put_be32(out, ds.rows);
    put_be32(out, ds.cols);
    const BytesView img = ds.image(i);
    out.insert(out.end(), img.begin(), img.end());
    out.push_back(ds.labels[i]);
    return out;
}

Hash sample_leaf(const Dataset& ds, std::size_t i) { return keccak256(sample_bytes(ds, i)); }

std::vector<Hash> sample_leaves(const Dataset& ds) {
    std::vector<Hash> leaves;
    leaves.reserve(ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i) leaves.push_back(sample_leaf(ds, i));
    return leaves;
}

Hash dataset_root(const Dataset& ds) { return merkle_root(sample_leaves(ds)); }

Dataset select(const Dataset& ds, std::span<const std::uint32_t> indices) {
    Dataset out;
    out.rows = ds.rows;
    out.cols = ds.cols;
    out.classes = ds.classes;
    out.pixels.reserve(indices.size() * ds.image_bytes());
    out.labels.reserve(indices.size());
    for (std::uint32_t i : indices) {
        const BytesView img = ds.image(i);
        out.pixels.insert(out.pixels.end(), img.begin(), img.end());
        out.labels.push_back(ds.labels[i]);
    }
    return out;
}

Dataset restrict_classes(const Dataset& ds, std::uint32_t classes) {
    std::vector<std::uint32_t> keep;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (ds.labels[i] < classes) keep.push_back(static_cast<std::uint32_t>(i));
    }
    Dataset out = select(ds, keep);
    out.classes = classes;
    return out;
}

Dataset invert(const Dataset& ds) {
    Dataset out = ds;
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(255 - p);
    return out;
}

}  // namespace sigil::data
