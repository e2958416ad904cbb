#pragma once
/// The PyTorch-exported test language models (tests/data/lm/make_lm_models.py) quantized at a
/// fixed context, for the generation tests. Needs SIGIL_LM_TEST_MODELS (the runtime tests have it).

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <tuple>

#include "runtime/float/executor.hpp"
#include "runtime/float/fold.hpp"
#include "runtime/onnx/model.hpp"
#include "runtime/quant/quantize.hpp"

namespace sigil::runtime::lm::testing {

inline constexpr std::int64_t kVocab = 96;

struct Lm {
    FloatExecutor fx;
    ir::Program program;
};

/// `name` (e.g. "gpt2_op17") specialized to [1, context] and quantized on 24 token-id prompts,
/// with int32 logits (QuantizeOptions::int32_logits, what `sigil model import` does for token-id
/// models) or int8 ones; built once per (name, context, int32_logits).
inline const Lm& quantized_lm(const std::string& name, std::int64_t context, bool int32_logits = true) {
    static std::map<std::tuple<std::string, std::int64_t, bool>, Lm> cache;
    auto it = cache.find({name, context, int32_logits});
    if (it != cache.end()) return it->second;
    auto model = load_onnx_model(std::string(SIGIL_LM_TEST_MODELS) + "/" + name + ".onnx");
    EXPECT_TRUE(model);
    auto fixed = specialize(*model, {{1, context}});
    EXPECT_TRUE(fixed);
    auto fx = FloatExecutor::create(std::move(*fixed));
    EXPECT_TRUE(fx);
    std::vector<std::vector<Tensor>> samples;
    for (std::int64_t s = 0; s < 24; ++s) {
        std::vector<std::int64_t> ids;
        for (std::int64_t k = 0; k < context; ++k) ids.push_back((s * 31 + k * 7 + k * k * s) % kVocab);
        samples.push_back({Tensor::i64({1, context}, ids)});
    }
    QuantizeOptions opts;
    opts.int32_logits = int32_logits;
    auto q = quantize_model(*fx, samples, opts);
    EXPECT_TRUE(q) << q.error().message();
    return cache.emplace(std::make_tuple(name, context, int32_logits), Lm{std::move(*fx), std::move(q->program)})
        .first->second;
}

/// The vocabulary the tests give these models: the 96 characters 32..127 as a JSON array (token
/// id = character - 32).
inline std::string ascii_vocab_json() {
    std::string v = "[";
    for (int c = 32; c < 128; ++c) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\"\\u%04x\"", c);
        v += std::string(c > 32 ? "," : "") + buf;
    }
    return v + "]";
}

}  // namespace sigil::runtime::lm::testing
