#include "core/ir/codec.hpp"

#include <gtest/gtest.h>

#include "core/ir/builder.hpp"
#include "core/ir/model_root.hpp"
#include "core/ir/validate.hpp"

namespace sigil::ir {
namespace {

Program small_mlp() {
    Builder b;
    const auto x = b.input(DType::int8, {1, 4}, Quant::per_tensor(-3, {1 << 30, 6}));
    const std::vector<std::int8_t> w = {1, -2, 3, -4, 5, -6, 7, -8};
    const auto wt = b.constant_int8({2, 4}, w, Quant::per_channel(0, {{1 << 30, 7}, {1 << 30, 8}}, 0));
    const std::vector<std::int32_t> bias = {100, -100};
    const auto bt = b.constant_int32({2}, bias);
    const auto y = b.fully_connected(x, wt, bt, {{1 << 30, 3}, {1 << 30, 4}}, Quant::per_tensor(5, {1 << 30, 5}),
                                     {5, 127});
    const auto r = b.reshape(y, {2, 1});
    b.mark_output(r);
    auto p = std::move(b).finish();
    EXPECT_TRUE(p.has_value()) << to_string(p.error());
    return std::move(p).value();
}

TEST(ir_codec, round_trip_is_byte_exact) {
    const Program p = small_mlp();
    const Bytes bytes = save_program(p);
    auto loaded = load_program(bytes);
    ASSERT_TRUE(loaded.has_value()) << to_string(loaded.error());
    EXPECT_EQ(*loaded, p);
    EXPECT_EQ(save_program(*loaded), bytes);
}

TEST(ir_codec, refuses_bad_magic_version_truncation_and_trailing_bytes) {
    const Bytes good = save_program(small_mlp());
    Bytes b = good;
    b[0] = 'X';
    EXPECT_EQ(load_program(b).error(), ProgramError::bad_magic);
    b = good;
    b[4] = 2;
    EXPECT_EQ(load_program(b).error(), ProgramError::unsupported_version);
    for (std::size_t n = 0; n < good.size(); ++n) {
        EXPECT_EQ(load_program(BytesView(good.data(), n)).error(), ProgramError::truncated) << n;
    }
    b = good;
    b.push_back(0);
    EXPECT_EQ(load_program(b).error(), ProgramError::trailing_bytes);
}

TEST(ir_codec, model_root_changes_with_any_weight_byte) {
    Program p = small_mlp();
    const Hash before = model_root(p);
    p.tensors[1].data[3] ^= 1;
    EXPECT_NE(model_root(p), before);
}

TEST(ir_validate, named_errors) {
    Program p = small_mlp();
    p.ops[0].inputs[0] = 99;
    EXPECT_EQ(validate(p).error(), ProgramError::tensor_id_out_of_range);
    p = small_mlp();
    std::swap(p.ops[0], p.ops[1]);
    EXPECT_EQ(validate(p).error(), ProgramError::not_topological);
    p = small_mlp();
    p.tensors[1].shape = {2, 5};
    EXPECT_EQ(validate(p).error(), ProgramError::constant_size_mismatch);
    p = small_mlp();
    p.ops[0].attrs.perm = {0};
    EXPECT_EQ(validate(p).error(), ProgramError::unused_attribute_set);
    p = small_mlp();
    p.ops[0].attrs.requant.push_back({1, 1});
    EXPECT_EQ(validate(p).error(), ProgramError::bad_requant_count);
    p = small_mlp();
    p.tensors[0].quant.zero_point = 200;
    EXPECT_EQ(validate(p).error(), ProgramError::bad_zero_point);
    p = small_mlp();
    p.ops[1].output = 3;
    EXPECT_EQ(validate(p).error(), ProgramError::bad_op_output);
    p = small_mlp();
    p.tensors[0].shape = {0, 4};
    EXPECT_EQ(validate(p).error(), ProgramError::zero_dim);
    p = small_mlp();
    p.tensors[0].shape = {65536, 65536};
    EXPECT_EQ(validate(p).error(), ProgramError::too_many_elements);
    p = small_mlp();
    p.outputs = {1};
    EXPECT_EQ(validate(p).error(), ProgramError::bad_output_list);
}

// fully_connected alone may write int32 (wide logits), clamped anywhere in int32; an int8 output
// keeps the int8 clamp, and no other op writes int32 unless it keeps its input's dtype.
TEST(ir_validate, int32_fully_connected_outputs) {
    Program p = small_mlp();
    p.tensors[p.ops[0].output].dtype = DType::int32;
    p.tensors[p.ops[0].output].quant.zero_point = 0;
    p.tensors[p.ops[1].output].dtype = DType::int32;  // the reshape keeps the dtype
    p.tensors[p.ops[1].output].quant.zero_point = 0;
    p.ops[0].attrs.act_min = -(1 << 20);
    p.ops[0].attrs.act_max = 1 << 20;
    EXPECT_TRUE(validate(p).has_value());
    p.ops[0].attrs.act_min = INT32_MIN, p.ops[0].attrs.act_max = INT32_MAX;
    EXPECT_TRUE(validate(p).has_value());
    p.ops[0].attrs.act_min = 5, p.ops[0].attrs.act_max = 4;
    EXPECT_EQ(validate(p).error(), ProgramError::bad_attribute);
    p = small_mlp();
    p.ops[0].attrs.act_max = 128;  // int8 output: int8 clamp
    EXPECT_EQ(validate(p).error(), ProgramError::bad_attribute);

    Builder b;
    const auto x = b.input(DType::int8, {2, 3}, Quant::per_tensor(0, {1 << 30, 0}));
    const auto y = b.input(DType::int8, {3, 2}, Quant::per_tensor(0, {1 << 30, 0}));
    b.mark_output(b.matmul(x, y, QScale::identity(), Quant::per_tensor(0, {1 << 30, 0})));
    Program m = std::move(b).finish().value();
    m.tensors[m.ops[0].output].dtype = DType::int32;
    m.tensors[m.ops[0].output].quant.zero_point = 0;
    EXPECT_EQ(validate(m).error(), ProgramError::dtype_mismatch);
}

TEST(ir_builder, reports_shape_errors) {
    Builder b;
    const auto x = b.input(DType::int8, {1, 4}, Quant::per_tensor(0, {1 << 30, 0}));
    const std::vector<std::int8_t> w(10, 1);
    const auto wt = b.constant_int8({2, 5}, w, Quant::per_tensor(0, {1 << 30, 0}));
    b.mark_output(b.fully_connected(x, wt, std::nullopt, {QScale::identity()}, Quant::per_tensor(0, {1 << 30, 0})));
    EXPECT_EQ(std::move(b).finish().error(), ProgramError::shape_mismatch);
}

}  // namespace
}  // namespace sigil::ir

#include <rapidcheck/gtest.h>

#include <random>

#include "core/ir/op_record.hpp"
#include "core/kernels/op_gen.hpp"

namespace sigil::ir {
namespace {

// Any generated program round-trips byte for byte, and every op record decodes to its op.
RC_GTEST_PROP(ir_codec, random_programs_round_trip, (std::uint64_t seed)) {
    std::mt19937_64 rng(seed);
    const kernels::gen::ChoiceSource pick = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const auto c = kernels::gen::random_op(pick);
    const Bytes bytes = save_program(c.program);
    const auto loaded = load_program(bytes);
    RC_ASSERT(loaded.has_value());
    RC_ASSERT(*loaded == c.program);
    RC_ASSERT(save_program(*loaded) == bytes);
    const auto rec = decode_op_record(encode_op_record(c.program, 0));
    RC_ASSERT(rec.has_value());
    RC_ASSERT(rec->op.kind == c.program.ops[0].kind);
    // A list of more than kInlineScales entries comes back as its count and root.
    const auto compact = [](std::vector<QScale> list) {
        std::pair<std::vector<QScale>, std::optional<ScaleRoot>> out{list, std::nullopt};
        if (list.size() > kInlineScales) {
            out.second = ScaleRoot{static_cast<std::uint32_t>(list.size()), scale_list_root(list)};
            out.first.clear();
        }
        return out;
    };
    OpAttrs want = c.program.ops[0].attrs;
    const auto rq = compact(want.requant);
    want.requant = rq.first;
    RC_ASSERT(rec->op.attrs == want);
    RC_ASSERT(rec->requant_root == rq.second);
    for (std::size_t i = 0; i < rec->operands.size(); ++i) {
        const auto sc = compact(c.program.tensors[c.program.ops[0].inputs[i]].quant.scales);
        RC_ASSERT(rec->operands[i].quant.scales == sc.first);
        RC_ASSERT(rec->operand_scale_roots[i] == sc.second);
    }
    // Any single corrupted byte is either refused or yields a different, still valid program.
    Bytes bad = bytes;
    const auto at = std::uniform_int_distribution<std::size_t>(0, bad.size() - 1)(rng);
    bad[at] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
    const auto reloaded = load_program(bad);
    if (reloaded) RC_ASSERT(save_program(*reloaded) == bad);
}

}  // namespace
}  // namespace sigil::ir
