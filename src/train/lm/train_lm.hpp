#pragma once
/// Sigil's own language model: a GPT-2-architecture decoder (learned token and position
/// embeddings, pre-LayerNorm blocks with fused QKV, tanh-GELU MLP, tied head) trained with libtorch
/// on WordNet's glosses (corpus.hpp) over a SentencePiece BPE vocabulary (tokenizer.hpp).
/// This header does not include libtorch.
///
/// Reproducibility: the same options give the same weights at the same thread count. Weights are
/// initialized from torch's generator seeded with `seed`; the window of batch row r at step s
/// starts at SplitMix64(derive(seed, s, r)) mod (tokens - context); the learning rate is a
/// function of the step; there is no dropout. A run stopped after any step and resumed from its
/// checkpoint ends with the same weights as an uninterrupted one.
///
/// Everything goes into one directory (`out`):
///   vocab.json         token texts in id order (what `sigil lm generate --vocab` reads)
///   lm.ckpt            options, steps done, loss curve, weights and AdamW state (for --resume)
///   lm.safetensors     the final float32 weights, named as PyTorch's state_dict names them
///   lm.config.json     the shape, the vocabulary root and a probe (ids and float logits) that
///                      an exporter checks its own forward pass against
///   calibration.npy    int64 [N, 1, context]: training windows for `sigil model import --calib`
///   heldout.npy        int64 [M, context + 1]: held-out windows for `sigil lm eval`
///   train.json         the report below (written by the CLI)

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "train/lm/corpus.hpp"

namespace sigil::train::lm {

struct GptShape {
    std::uint32_t vocab = 4096, d = 192, heads = 6, layers = 4, context = 64;
};

/// Everything that determines a run; stored in the checkpoint so --resume needs nothing else.
struct LmOptions {
    GptShape shape;
    std::uint32_t batch = 32;
    std::uint32_t steps = 600;
    std::uint32_t warmup = 30;  ///< steps of linear warm-up
    double lr = 3e-3;           ///< peak learning rate; cosine decay to lr * min_lr_ratio
    double min_lr_ratio = 0.1;
    double weight_decay = 0.1;  ///< AdamW, on matrices and embeddings only
    double clip = 1.0;          ///< gradient norm clip
    std::uint64_t seed = 1;
    int threads = 2;
    std::string corpus = std::string(kWordnetDefaultDir);
    std::uint32_t limit = 0;          ///< when non-zero: only the first `limit` documents
    std::uint32_t eval_every = 50;    ///< steps between held-out evaluations (and checkpoints)
    std::uint32_t eval_windows = 64;  ///< held-out windows per evaluation (and in heldout.npy)
    std::uint32_t calibration = 32;   ///< windows in calibration.npy
};
nlohmann::json to_json(const LmOptions& o);
/// Throws std::invalid_argument naming the bad field.
LmOptions lm_options_from_json(const nlohmann::json& j);
/// Throws std::invalid_argument naming the bad option (zero sizes, d not divisible by heads, ...).
void validate(const LmOptions& o);

/// The learning rate after `step` (0-based) steps.
double lm_learning_rate(const LmOptions& o, std::uint32_t step) noexcept;

/// One point of the loss curve.
struct LmPoint {
    std::uint32_t step = 0;  ///< steps done
    double lr = 0;
    double train_loss = 0;    ///< mean over the steps since the previous point
    double heldout_loss = 0;  ///< mean cross-entropy (nats per token) on the held-out windows
    double seconds = 0;       ///< wall time of those steps
};

struct LmProgress {
    std::uint32_t step = 0, steps = 0;
    double loss = 0;  ///< running mean since the last point
};

struct LmControl {
    std::filesystem::path out;     ///< the run's directory (created)
    bool resume = false;           ///< continue from out/lm.ckpt with its stored options
    std::uint32_t stop_after = 0;  ///< when non-zero: stop after this many steps in this call
    std::function<void(const LmProgress&)> progress;
    std::filesystem::path spm_tool;  ///< `sigil-spm`; empty = beside the running executable
};

struct LmReport {
    LmOptions options;
    std::uint64_t parameters = 0;
    std::uint32_t steps_done = 0;
    bool complete = false;
    std::vector<LmPoint> history;
    std::uint64_t documents = 0, train_tokens = 0, heldout_tokens = 0, skipped_documents = 0;
    std::string vocab_root;  ///< 0x-hex merkle root of the token texts
};
nlohmann::json to_json(const LmReport& r);

/// Trains (or resumes) into control.out. A fresh run refuses a directory that already holds a
/// checkpoint. Throws std::runtime_error with a clear message.
LmReport train_lm(const LmOptions& options, const LmControl& control);

/// Float cross-entropy and next-token predictions of a checkpoint on windows of context + 1
/// tokens (heldout.npy's rows): per window, the argmax of every position and the summed loss.
struct FloatScores {
    double loss_sum = 0;  ///< nats, over every predicted token
    std::uint64_t tokens = 0;
    std::vector<std::uint32_t> argmax;  ///< windows * context, row-major
};
FloatScores score_checkpoint(const std::filesystem::path& checkpoint, const std::vector<std::int64_t>& windows,
                             std::uint32_t window_len, int threads);

}  // namespace sigil::train::lm
