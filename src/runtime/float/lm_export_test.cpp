// Decoder-only transformers as PyTorch exports them (tests/data/lm/make_lm_models.py: GPT-2 and
// Llama architectures, opsets 14 and 17, dynamic sequence length) run on the float reference
// executor and give torch's logits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "runtime/float/executor.hpp"
#include "runtime/float/fold.hpp"
#include "runtime/onnx/model.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "runtime/quant/agreement.hpp"
#include "runtime/quant/quantize.hpp"

namespace sigil::runtime {
namespace {

const std::string kDir = SIGIL_LM_TEST_MODELS;

Tensor npy(const std::string& file) {
    auto bytes = read_file_bytes(kDir + "/" + file);
    EXPECT_TRUE(bytes) << file;
    auto t = parse_npy(*bytes);
    EXPECT_TRUE(t) << file;
    return *t;
}

class LmExport : public ::testing::TestWithParam<std::string> {};

TEST_P(LmExport, float_executor_gives_torchs_logits) {
    const std::string name = GetParam();
    const std::string arch = name.substr(0, name.find('_'));
    auto model = load_onnx_model(kDir + "/" + name + ".onnx");
    ASSERT_TRUE(model) << model.error().message();
    auto exec = FloatExecutor::create(std::move(*model));
    ASSERT_TRUE(exec) << exec.error().message();
    const Tensor ids = npy(arch + "_ids.npy");
    const Tensor want = npy(arch + "_logits.npy");
    ASSERT_EQ(ids.dtype, DType::I64);
    auto out = exec->run({ids});
    ASSERT_TRUE(out) << out.error().message();
    ASSERT_EQ(out->size(), 1u);
    const Tensor& got = (*out)[0];
    ASSERT_EQ(got.dtype, DType::F32);
    ASSERT_EQ(got.shape, want.shape);
    double worst = 0;
    std::size_t argmax_same = 0;
    const std::int64_t vocab = want.shape.back();
    for (std::size_t i = 0; i < want.f().size(); ++i)
        worst = std::max(worst, std::abs(double(got.f()[i]) - double(want.f()[i])));
    for (std::int64_t row = 0; row < want.numel() / vocab; ++row) {
        const auto at = [&](const Tensor& t) {
            const float* p = t.f().data() + row * vocab;
            return std::max_element(p, p + vocab) - p;
        };
        argmax_same += at(got) == at(want);
    }
    EXPECT_LT(worst, 1e-4) << name;
    EXPECT_EQ(argmax_same, static_cast<std::size_t>(want.numel() / vocab)) << name;

    // The sequence axis is dynamic: a shorter prompt runs through the same graph, and its logits
    // are the longer prompt's first rows (causal attention).
    Tensor prefix = Tensor::i64({1, 4}, {ids.vec<std::int64_t>().begin(), ids.vec<std::int64_t>().begin() + 4});
    auto short_out = exec->run({prefix});
    ASSERT_TRUE(short_out) << short_out.error().message();
    const Tensor& s = (*short_out)[0];
    ASSERT_EQ(s.shape, (Shape{1, 4, vocab}));
    double prefix_worst = 0;
    for (std::size_t i = 0; i < s.f().size(); ++i)
        prefix_worst = std::max(prefix_worst, std::abs(double(s.f()[i]) - double(want.f()[i])));
    EXPECT_LT(prefix_worst, 1e-4) << name;
}

TEST_P(LmExport, specialized_to_a_prompt_length_only_the_data_dependent_ops_remain) {
    const std::string name = GetParam();
    const std::string arch = name.substr(0, name.find('_'));
    auto model = load_onnx_model(kDir + "/" + name + ".onnx");
    ASSERT_TRUE(model) << model.error().message();
    const Tensor ids = npy(arch + "_ids.npy");
    FoldStats stats;
    auto fixed = specialize(*model, {ids.shape}, &stats);
    ASSERT_TRUE(fixed) << fixed.error().message();
    EXPECT_GT(stats.folded, 0u);
    EXPECT_EQ(stats.kept, fixed->nodes.size());
    EXPECT_LT(fixed->nodes.size(), model->nodes.size());
    std::map<std::string, int> ops;
    for (const auto& n : fixed->nodes) ++ops[n.op_type];
    std::string listing;
    for (const auto& [op, k] : ops) listing += op + "=" + std::to_string(k) + " ";
    // Position ids, masks, reshape targets and every other shape computation are gone.
    for (const char* shape_op : {"Shape", "Range", "ConstantOfShape", "Equal", "Cast", "Constant"}) {
        EXPECT_EQ(ops.count(shape_op), 0u) << shape_op << " left in " << name << ": " << listing;
    }
    // The same values as the dynamic graph, bit for bit (the same ops on the same numbers).
    auto dynamic = FloatExecutor::create(std::move(*model));
    auto specialized = FloatExecutor::create(std::move(*fixed));
    ASSERT_TRUE(dynamic && specialized);
    auto a = dynamic->run({ids});
    auto b = specialized->run({ids});
    ASSERT_TRUE(a && b) << (a ? b.error().message() : a.error().message());
    EXPECT_EQ((*a)[0].f(), (*b)[0].f());
    // The specialized graph takes only its own shape.
    Tensor longer = Tensor::i64({1, 8}, std::vector<std::int64_t>(8, 1));
    EXPECT_EQ(specialized->run({longer}).error().code, FloatErrc::bad_input);
}

// How far the integer lowering gets today: token and position embeddings (an int32 token-id
// input gathering a quantized table), LayerNorm, the linear layers and the QKV Split lower; the
// first op without an integer rule is refused naming the op and its node, never approximated.
TEST(LmQuantize, the_first_op_without_an_integer_rule_is_refused_by_name) {
    for (const auto& [name, first_refused] : {std::pair<std::string, std::string>{"gpt2_op17", "Where"},
                                              std::pair<std::string, std::string>{"llama_op17", "Pow"}}) {
        const std::string arch = name.substr(0, name.find('_'));
        auto model = load_onnx_model(kDir + "/" + name + ".onnx");
        ASSERT_TRUE(model) << model.error().message();
        const Tensor ids = npy(arch + "_ids.npy");
        auto fixed = specialize(*model, {ids.shape});
        ASSERT_TRUE(fixed) << fixed.error().message();
        auto fx = FloatExecutor::create(std::move(*fixed));
        ASSERT_TRUE(fx);
        auto q = quantize_model(*fx, {{ids}});
        ASSERT_FALSE(q) << name;
        EXPECT_EQ(q.error().code, QuantErrc::unsupported_op) << q.error().message();
        EXPECT_EQ(q.error().detail.rfind(first_refused + " '", 0), 0u) << name << ": " << q.error().detail;
    }
}

// The part that lowers runs in integers and tracks float: GPT-2 cut after its first QKV Split
// (token and position embeddings, LayerNorm, the fused projection, the split) gives each of q, k
// and v within a few quantization steps of float.
TEST(LmQuantize, the_lowered_prefix_of_gpt2_tracks_float) {
    auto model = load_onnx_model(kDir + "/gpt2_op17.onnx");
    ASSERT_TRUE(model) << model.error().message();
    const Tensor ids = npy("gpt2_ids.npy");
    auto fixed = specialize(*model, {ids.shape});
    ASSERT_TRUE(fixed) << fixed.error().message();
    // Cut after the first Split: its three outputs become the graph's outputs.
    auto split =
        std::find_if(fixed->nodes.begin(), fixed->nodes.end(), [](const OnnxNode& n) { return n.op_type == "Split"; });
    ASSERT_NE(split, fixed->nodes.end());
    fixed->outputs.clear();
    for (const auto& o : split->outputs) fixed->outputs.push_back(OnnxValueInfo{o, DType::F32, {}, false});
    fixed->nodes.erase(split + 1, fixed->nodes.end());
    auto fx = FloatExecutor::create(std::move(*fixed));
    ASSERT_TRUE(fx) << fx.error().message();
    std::vector<std::vector<Tensor>> samples;
    for (std::int64_t s = 0; s < 8; ++s) {  // calibration prompts: the test prompt shifted through the vocabulary
        std::vector<std::int64_t> v = ids.vec<std::int64_t>();
        for (auto& t : v) t = (t + 11 * s) % 96;
        samples.push_back({Tensor::i64(ids.shape, v)});
    }
    auto q = quantize_model(*fx, samples);
    ASSERT_TRUE(q) << q.error().message();
    EXPECT_EQ(q->program.tensors[q->program.inputs[0]].dtype, ir::DType::int32);  // token ids
    auto agree = measure_agreement(*fx, q->program, samples);
    ASSERT_TRUE(agree) << agree.error().message();
    // int8 over the float range: a few steps of 2 * max|x| / 255 at most.
    EXPECT_LT(agree->max_abs_error, 0.05 * agree->float_abs_max)
        << agree->max_abs_error << " of " << agree->float_abs_max;
    EXPECT_GT(agree->max_abs_error, 0.0);  // it really ran in integers
    RecordProperty("max_abs_error",
                   std::to_string(agree->max_abs_error) + " of " + std::to_string(agree->float_abs_max));
}

INSTANTIATE_TEST_SUITE_P(torch_exports, LmExport,
                         ::testing::Values("gpt2_op14", "gpt2_op17", "llama_op14", "llama_op17"));

}  // namespace
}  // namespace sigil::runtime
