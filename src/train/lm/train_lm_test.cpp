// Sigil's language model on a small slice of WordNet: the learned vocabulary, the loss going
// down, a resumed run ending with the same weights, the exported files, float scoring and bad
// options.
#include "train/lm/train_lm.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "runtime/lm/vocab.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "train/lm/tokenizer.hpp"

namespace sigil::train::lm {
namespace {

namespace fs = std::filesystem;

struct Dir {
    fs::path path = fs::temp_directory_path() / ("sigil-lm-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    Dir() { fs::create_directories(path); }
    ~Dir() { fs::remove_all(path); }
    static inline int n = 0;
};

LmOptions tiny() {
    LmOptions o;
    o.shape = {160, 32, 2, 1, 16};
    o.batch = 8;
    o.steps = 24;
    o.warmup = 2;
    o.lr = 1e-2;
    o.limit = 1500;
    o.threads = 1;
    o.eval_every = 8;
    o.eval_windows = 12;
    o.calibration = 6;
    return o;
}

LmControl control(const fs::path& out) {
    LmControl c;
    c.out = out;
    c.spm_tool = SIGIL_SPM_TOOL;
    return c;
}

std::string bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(learn_vocabulary, bpe_pieces_with_unknown_and_end_first_and_the_same_every_time) {
    Dir dir;
    const auto corpus = load_wordnet(kWordnetDefaultDir, 800);
    ASSERT_TRUE(corpus) << corpus.error();
    const auto a = learn_vocabulary(corpus->train, 128, SIGIL_SPM_TOOL, dir.path);
    ASSERT_TRUE(a) << a.error();
    ASSERT_EQ(a->size(), 128u);
    EXPECT_EQ((*a)[kUnknownToken], "\xe2\x81\x87");
    EXPECT_EQ((*a)[kEndToken], "\n");
    EXPECT_NE(std::find(a->begin(), a->end(), " the"), a->end());  // word-start pieces carry their space
    const auto b = learn_vocabulary(corpus->train, 128, SIGIL_SPM_TOOL, dir.path);
    ASSERT_TRUE(b);
    EXPECT_EQ(*a, *b);
    EXPECT_TRUE(fs::is_empty(dir.path)) << "the tool's files are removed";
    // Every training document encodes, each followed by the end token.
    auto vocab = runtime::lm::Vocabulary::from_json(nlohmann::json(*a).dump());
    ASSERT_TRUE(vocab) << vocab.error();
    std::uint64_t skipped = 9;
    const auto ids = encode_documents(*vocab, corpus->train, &skipped);
    EXPECT_EQ(skipped, 0u);
    EXPECT_EQ(static_cast<std::size_t>(std::count(ids.begin(), ids.end(), kEndToken)), corpus->train.size());
    EXPECT_EQ(*vocab->decode({ids.begin(), std::find(ids.begin(), ids.end(), kEndToken) + 1}),
              corpus->train.front() + "\n");

    const auto missing = learn_vocabulary(corpus->train, 128, dir.path / "no-such-tool", dir.path);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("cannot run"), std::string::npos) << missing.error();
    const auto too_big = learn_vocabulary({"ab ab", "ba"}, 5000, SIGIL_SPM_TOOL, dir.path);
    EXPECT_FALSE(too_big);
}

TEST(train_lm, loss_falls_and_a_resumed_run_ends_with_the_same_weights) {
    Dir whole, parts;
    const LmReport r = train_lm(tiny(), control(whole.path));
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.steps_done, 24u);
    ASSERT_EQ(r.history.size(), 3u);
    EXPECT_LT(r.history.back().heldout_loss, r.history.front().heldout_loss);
    EXPECT_LT(r.history.front().heldout_loss, std::log(160.0) + 0.5) << "near uniform at worst";
    EXPECT_EQ(r.parameters, 160u * 32 + 16u * 32 + 12u * 32 * 32 + 13u * 32 + 2u * 32);

    LmControl first = control(parts.path);
    first.stop_after = 11;  // between two evaluation points
    const LmReport p = train_lm(tiny(), first);
    EXPECT_FALSE(p.complete);
    EXPECT_EQ(p.steps_done, 11u);
    EXPECT_FALSE(fs::exists(parts.path / "lm.safetensors"));
    LmControl rest = control(parts.path);
    rest.resume = true;
    LmOptions ignored = tiny();
    ignored.steps = 999;  // the checkpoint's options win
    const LmReport q = train_lm(ignored, rest);
    EXPECT_TRUE(q.complete);
    EXPECT_EQ(q.steps_done, 24u);
    ASSERT_EQ(q.history.size(), r.history.size());
    for (std::size_t i = 0; i < r.history.size(); ++i) {
        EXPECT_EQ(q.history[i].heldout_loss, r.history[i].heldout_loss) << i;
        EXPECT_EQ(q.history[i].train_loss, r.history[i].train_loss) << i;
    }
    for (const char* f : {"lm.safetensors", "vocab.json", "lm.config.json", "calibration.npy", "heldout.npy"}) {
        EXPECT_EQ(bytes_of(whole.path / f), bytes_of(parts.path / f)) << f;
    }
}

TEST(train_lm, exported_windows_and_float_scores_agree_with_the_run) {
    Dir dir;
    const LmReport r = train_lm(tiny(), control(dir.path));
    auto calib = runtime::read_tensor_file((dir.path / "calibration.npy").string());
    ASSERT_TRUE(calib);
    EXPECT_EQ(calib->tensor.shape, (runtime::Shape{6, 1, 16}));
    auto held = runtime::read_tensor_file((dir.path / "heldout.npy").string());
    ASSERT_TRUE(held);
    EXPECT_EQ(held->tensor.shape, (runtime::Shape{12, 17}));
    const auto rows = held->tensor.vec<std::int64_t>();
    const FloatScores s = score_checkpoint(dir.path / "lm.ckpt", rows, 17, 1);
    EXPECT_EQ(s.tokens, 12u * 16);
    EXPECT_EQ(s.argmax.size(), 12u * 16);
    EXPECT_NEAR(s.loss_sum / static_cast<double>(s.tokens), r.history.back().heldout_loss, 1e-5);
    const auto config = nlohmann::json::parse(bytes_of(dir.path / "lm.config.json"));
    EXPECT_EQ(config["vocabRoot"], r.vocab_root);
    EXPECT_EQ(config["probe"]["ids"].size(), 16u);
    EXPECT_EQ(config["probe"]["lastLogits"].size(), 160u);
    // safetensors: a little-endian header length, then a JSON header naming every parameter.
    const std::string st = bytes_of(dir.path / "lm.safetensors");
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(st[static_cast<std::size_t>(i)]);
    const auto header = nlohmann::json::parse(st.substr(8, n));
    EXPECT_EQ(header["wte.weight"]["shape"], nlohmann::json({160, 32}));
    EXPECT_EQ(header["h.0.c_attn.weight"]["shape"], nlohmann::json({96, 32}));
    EXPECT_EQ(8 + n + 4 * r.parameters, st.size());

    EXPECT_THROW(score_checkpoint(dir.path / "lm.ckpt", rows, 16, 1), std::runtime_error);  // wrong window
    auto bad = rows;
    bad[3] = 160;
    EXPECT_THROW(score_checkpoint(dir.path / "lm.ckpt", bad, 17, 1), std::runtime_error);
    EXPECT_THROW(score_checkpoint(dir.path / "vocab.json", rows, 17, 1), std::runtime_error);
}

TEST(train_lm, bad_options_and_missing_checkpoints_are_named) {
    Dir dir;
    LmOptions o = tiny();
    o.shape.heads = 3;
    try {
        train_lm(o, control(dir.path));
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "d must be a positive multiple of heads");
    }
    o = tiny();
    o.warmup = o.steps;
    EXPECT_THROW(train_lm(o, control(dir.path)), std::invalid_argument);
    LmControl c = control(dir.path);
    c.resume = true;
    try {
        train_lm(tiny(), c);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no checkpoint at"), std::string::npos) << e.what();
    }
    {  // a finished run is never overwritten by a fresh one
        Dir done;
        train_lm(tiny(), control(done.path));
        try {
            train_lm(tiny(), control(done.path));
            FAIL();
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("lm.ckpt exists: --resume continues that run"), std::string::npos);
        }
    }
    o = tiny();
    o.corpus = (dir.path / "nowhere").string();
    EXPECT_THROW(train_lm(o, control(dir.path)), std::runtime_error);
    EXPECT_THROW(lm_options_from_json({{"vocab", 160}}), std::invalid_argument);
}

TEST(lm_learning_rate, warms_up_then_decays_to_the_floor) {
    LmOptions o = tiny();
    EXPECT_LT(lm_learning_rate(o, 0), lm_learning_rate(o, 1));
    EXPECT_DOUBLE_EQ(lm_learning_rate(o, o.warmup), o.lr);
    EXPECT_GT(lm_learning_rate(o, 10), lm_learning_rate(o, 20));
    EXPECT_NEAR(lm_learning_rate(o, o.steps), o.lr * o.min_lr_ratio, 1e-12);
}

}  // namespace
}  // namespace sigil::train::lm
