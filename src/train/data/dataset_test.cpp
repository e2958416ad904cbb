#include "train/data/dataset.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "train/data/split.hpp"

namespace sigil::data {
namespace {

const Dataset& fashion_test() {
    static const Dataset ds = [] {
        auto r = load_fashion_mnist(std::string(kFashionDefaultDir), FashionSplit::test);
        return r ? std::move(*r) : Dataset{};
    }();
    return ds;
}

TEST(fashion_mnist, debian_test_set_loads) {
    const Dataset& ds = fashion_test();
    ASSERT_EQ(ds.size(), 10000U) << "dataset-fashion-mnist not installed?";
    EXPECT_EQ(ds.rows, 28U);
    EXPECT_EQ(ds.cols, 28U);
    EXPECT_EQ(ds.labels[0], 9);  // the first test image is an ankle boot
    EXPECT_EQ(ds.labels[1], 2);
}

TEST(dataset_root, sample_leaves_match_cast) {
    const Dataset& ds = fashion_test();
    ASSERT_EQ(ds.size(), 10000U);
    // Independent: python3 builds u32be(28)||u32be(28)||pixels||label from the gzip files and
    // `cast keccak 0x<bytes>` hashes it; the pair is `cast keccak <leaf0><leaf1>`.
    EXPECT_EQ(to_hex(sample_leaf(ds, 0)), "0xb91caea2574f873cf79cd7d21a2fa1d03ec995f4954b30aec7d26662552574f7");
    EXPECT_EQ(to_hex(sample_leaf(ds, 1)), "0x36a7852d408cd86d8955140e0e011a28e1dcfefd1db0ec880aef815d7d984a24");
    const std::uint32_t first_two[] = {0, 1};
    EXPECT_EQ(to_hex(dataset_root(select(ds, first_two))),
              "0x689e50432915b791f29382624e8857047416c09f6ff8d74c36900b37652632a3");
}

TEST(dataset_root, stable_and_sensitive_to_content_order_and_labels) {
    const Dataset& ds = fashion_test();
    ASSERT_EQ(ds.size(), 10000U);
    const Hash root = dataset_root(ds);
    EXPECT_EQ(root, dataset_root(fashion_test()));
    EXPECT_EQ(root, merkle_root(sample_leaves(ds)));

    std::vector<std::uint32_t> idx(64);
    for (std::uint32_t i = 0; i < 64; ++i) idx[i] = i;
    const Dataset small = select(ds, idx);
    const Hash small_root = dataset_root(small);
    Dataset pixel = small;
    pixel.pixels[100] ^= 1;
    EXPECT_NE(dataset_root(pixel), small_root);
    Dataset label = small;
    label.labels[5] = static_cast<std::uint8_t>((label.labels[5] + 1) % 10);
    EXPECT_NE(dataset_root(label), small_root);
    std::swap(idx[0], idx[1]);
    EXPECT_NE(dataset_root(select(ds, idx)), small_root);
    idx.pop_back();
    EXPECT_NE(dataset_root(select(ds, idx)), small_root);
}

TEST(dataset, restrict_and_invert) {
    const Dataset& ds = fashion_test();
    ASSERT_EQ(ds.size(), 10000U);
    const Dataset five = restrict_classes(ds, 5);
    EXPECT_EQ(five.classes, 5U);
    EXPECT_EQ(five.size(), 5000U);  // the test set is balanced: 1000 per class
    for (auto l : five.labels) EXPECT_LT(l, 5);
    const Dataset inv = invert(ds);
    EXPECT_EQ(inv.pixels[0], 255 - ds.pixels[0]);
    EXPECT_EQ(invert(inv).pixels, ds.pixels);
}

}  // namespace
}  // namespace sigil::data
