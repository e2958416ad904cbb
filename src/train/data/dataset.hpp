#pragma once
/// An image classification data set held in memory, its Fashion-MNIST loader, and its content
/// commitment.
///
/// Commitment (what a job names to say exactly which data it used):
///   sample bytes  = u32be(rows) || u32be(cols) || pixels (rows*cols bytes, row-major) || u8(label)
///   sample leaf   = keccak256(sample bytes)
///   data set root = merkle_root(leaves in data set order)   (core/merkle.hpp padding rule)
/// The root changes when any pixel, any label, the order or the sample count changes.

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "train/data/errors.hpp"
#include "train/data/idx.hpp"

namespace sigil::data {

/// Single-channel 8-bit images with a class label each.
struct Dataset {
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::uint32_t classes = 0;
    Bytes pixels;                     ///< size() * rows * cols bytes, sample-major
    std::vector<std::uint8_t> labels; ///< one per sample, each < classes

    std::size_t size() const noexcept { return labels.size(); }
    std::size_t image_bytes() const noexcept { return std::size_t{rows} * cols; }
    /// Pixels of sample `i`. Precondition: i < size().
    BytesView image(std::size_t i) const noexcept {
        return BytesView(pixels).subspan(i * image_bytes(), image_bytes());
    }
};

/// Which Fashion-MNIST file pair to load.
enum class FashionSplit { train, test };

/// Fashion-MNIST's ten class names, in label order.
inline constexpr std::array<std::string_view, 10> kFashionClassNames = {
    "t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"};

/// Debian's location of the data set (package dataset-fashion-mnist).
inline constexpr std::string_view kFashionDefaultDir = "/usr/share/datasets/fashion-mnist";

/// Builds a data set from an image IDX array (rank 3) and a label IDX array (rank 1).
/// Errors: count_mismatch, bad_label (label >= classes), bad_dims (image size differs from
/// rows x cols when those are non-zero).
Result<Dataset, DataError> make_dataset(const IdxArray& images, const IdxArray& labels,
                                        std::uint32_t classes, std::uint32_t rows = 0, std::uint32_t cols = 0);

/// Loads `{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz` from `dir` (28x28 images, 10 classes).
Result<Dataset, DataError> load_fashion_mnist(const std::filesystem::path& dir, FashionSplit split);

/// The canonical bytes of sample `i` (layout above). Precondition: i < ds.size().
Bytes sample_bytes(const Dataset& ds, std::size_t i);

/// keccak256(sample_bytes(ds, i)).
Hash sample_leaf(const Dataset& ds, std::size_t i);

/// Every sample leaf, in order.
std::vector<Hash> sample_leaves(const Dataset& ds);

/// The data set root: merkle_root(sample_leaves(ds)).
Hash dataset_root(const Dataset& ds);

/// The samples at `indices`, in that order. Precondition: every index < ds.size().
Dataset select(const Dataset& ds, std::span<const std::uint32_t> indices);

/// The samples whose label is in [0, classes), relabelled to a data set of `classes` classes.
Dataset restrict_classes(const Dataset& ds, std::uint32_t classes);

/// The data set with every pixel p replaced by 255 - p (a shifted distribution for fine-tuning).
Dataset invert(const Dataset& ds);

}  // namespace sigil::data
