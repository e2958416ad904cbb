#include "train/model_spec.hpp"

#include <gtest/gtest.h>

namespace sigil::train {
namespace {

TEST(parse_arch, presets_and_custom_architectures) {
    auto mlp = parse_arch("mlp", 10);
    ASSERT_TRUE(mlp);
    EXPECT_EQ(mlp->arch, "mlp:256,128");
    EXPECT_EQ(parameter_count(*mlp), 784U * 256 + 256 + 256U * 128 + 128 + 128U * 10 + 10);
    auto cnn = parse_arch("cnn", 10);
    ASSERT_TRUE(cnn);
    EXPECT_EQ(cnn->arch, "cnn:16,32:64");
    // conv 1->16 3x3, conv 16->32 3x3, linear 32*7*7->64, linear 64->10
    EXPECT_EQ(parameter_count(*cnn), 16U * 9 + 16 + 32U * 16 * 9 + 32 + 1568U * 64 + 64 + 64U * 10 + 10);
    auto flat = parse_arch("cnn:8:0", 5);
    ASSERT_TRUE(flat);
    EXPECT_EQ(flat->layers.back().in, 8U * 14 * 14);
    EXPECT_EQ(flat->layers.back().out, 5U);
    EXPECT_EQ(parse_arch(parse_arch("mlp:64,32", 10)->arch, 10)->arch, "mlp:64,32");
}

TEST(parse_arch, named_errors) {
    EXPECT_EQ(parse_arch("resnet", 10).error(), ArchError::unknown_family);
    EXPECT_EQ(parse_arch("mlp:12,x", 10).error(), ArchError::bad_number);
    EXPECT_EQ(parse_arch("mlp:12,", 10).error(), ArchError::bad_number);
    EXPECT_EQ(parse_arch("mlp:0", 10).error(), ArchError::empty_layer);
    EXPECT_EQ(parse_arch("cnn:4,8", 10).error(), ArchError::bad_number);
    EXPECT_EQ(parse_arch("cnn:1,1,1,1,1:0", 10).error(), ArchError::empty_layer);
    EXPECT_EQ(parse_arch("mlp:100000", 10).error(), ArchError::too_large);
    EXPECT_EQ(to_string(ArchError::bad_number), "bad_number");
}

TEST(weights_root, covers_names_shapes_and_values) {
    FloatModel m;
    m.params = {{"a", {2}, {1.0f, 2.0f}}, {"b", {1}, {3.0f}}};
    const Hash root = weights_root(m);
    FloatModel v = m;
    v.params[1].data[0] = 3.5f;
    EXPECT_NE(weights_root(v), root);
    FloatModel n = m;
    n.params[0].name = "c";
    EXPECT_NE(weights_root(n), root);
    FloatModel s = m;
    s.params[0].shape = {1, 2};
    EXPECT_NE(weights_root(s), root);
}

}  // namespace
}  // namespace sigil::train
