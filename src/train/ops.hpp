#pragma once
/// Float model operations on Fashion-MNIST with libtorch: train, fine-tune, distill, evaluate.
/// This header does not include libtorch; only the implementation files under torch/ do.
///
/// Reproducibility: the same options (seed included) and the same thread count give
/// bit-identical weights. Weight init uses torch's CPU generator seeded with `seed`; batch order
/// is SplitMix64 (train/data/split.hpp) seeded with derive_seed(seed, epoch); the learning rate
/// is a function of the epoch. A different thread count may change the summation order inside
/// libtorch's kernels and so the last bits of the weights (docs/training.md).
///
/// Thread safety: each call sets libtorch's global intra-op thread count; run one at a time.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "train/data/dataset.hpp"
#include "train/model_spec.hpp"

namespace sigil::train {

enum class Operation { train, finetune, distill };
enum class Optimizer { sgd, adam };
enum class Schedule { constant, step, cosine };
enum class Shift { none, invert };

std::string_view to_string(Operation v) noexcept;
std::string_view to_string(Optimizer v) noexcept;
std::string_view to_string(Schedule v) noexcept;
std::string_view to_string(Shift v) noexcept;

/// Where the samples come from. The train file is split into train and validation by
/// data::split_indices(60000, validation, 0, split_seed); the t10k file is the test set.
struct DataOptions {
    std::string dir = std::string(data::kFashionDefaultDir);
    std::uint32_t validation = 5000;  ///< validation samples taken from the train file
    std::uint64_t split_seed = 0;
    std::uint32_t subset = 0;         ///< when non-zero: only the first `subset` train samples
    std::uint32_t eval_limit = 0;     ///< when non-zero: only the first validation/test samples
    std::uint32_t classes = 10;       ///< keep labels < classes (5 trains a five-class model)
    Shift shift = Shift::none;        ///< applied to every split
};

/// Everything that determines a run; stored in every checkpoint so --resume needs nothing else.
struct TrainOptions {
    Operation op = Operation::train;
    std::string arch = "cnn";
    std::uint32_t epochs = 5;
    std::uint32_t batch_size = 64;
    Optimizer optimizer = Optimizer::adam;
    double lr = 1e-3;
    double momentum = 0.9;       ///< sgd only
    double weight_decay = 0.0;   ///< L2 penalty added to the gradient
    Schedule schedule = Schedule::cosine;
    std::uint32_t step_size = 1;  ///< step schedule: epochs between decays
    double gamma = 0.5;           ///< step schedule: decay factor
    std::uint64_t seed = 1;
    int threads = 1;
    DataOptions data;
    std::string init_from;        ///< finetune: checkpoint to start from
    std::string teacher;          ///< distill: teacher checkpoint
    double temperature = 4.0;     ///< distill: softmax temperature T
    double alpha = 0.7;           ///< distill: weight of the KD term; 1 - alpha weighs hard labels
};

/// The learning rate of 0-based `epoch`: constant; step: lr * gamma^floor(epoch / step_size);
/// cosine: lr * (1 + cos(pi * epoch / epochs)) / 2.
double learning_rate(const TrainOptions& o, std::uint32_t epoch) noexcept;

nlohmann::json to_json(const TrainOptions& o);
/// Throws std::invalid_argument naming the bad field.
TrainOptions options_from_json(const nlohmann::json& j);

/// One finished epoch.
struct EpochStats {
    std::uint32_t epoch = 0;  ///< 1-based
    double lr = 0, loss = 0, train_accuracy = 0, validation_accuracy = 0, seconds = 0;
};

/// Progress within an epoch, for progress bars.
struct Progress {
    std::uint32_t epoch = 0, epochs = 0;  ///< epoch is 1-based
    std::uint64_t batch = 0, batches = 0;
    double loss = 0;  ///< running mean over the epoch so far
};
using ProgressFn = std::function<void(const Progress&)>;

/// Control of one invocation, not part of the run's identity.
struct RunControl {
    std::filesystem::path checkpoint;  ///< written after every epoch (atomically); empty = none
    bool resume = false;               ///< continue from `checkpoint` with its stored options
    std::uint32_t stop_after = 0;      ///< when non-zero: stop after this many epochs in this call
    ProgressFn progress;
};

/// Result of train/finetune/distill.
struct TrainReport {
    TrainOptions options;
    FloatModel model;
    std::uint64_t parameters = 0;
    std::uint32_t epochs_done = 0;
    bool complete = false;  ///< epochs_done == options.epochs
    std::vector<EpochStats> history;
    double test_accuracy = 0;
    /// finetune: accuracy of the starting model on the target test set (new classes / shift).
    std::optional<double> accuracy_before;
    /// distill: the teacher's size and test accuracy.
    std::optional<std::uint64_t> teacher_parameters;
    std::optional<double> teacher_accuracy;
};
nlohmann::json to_json(const TrainReport& r);

/// Runs `options.op` (train, finetune from options.init_from, distill from options.teacher).
/// With control.resume, options are ignored and read from control.checkpoint.
/// Throws std::runtime_error with a clear message on bad files or options.
TrainReport run(const TrainOptions& options, const RunControl& control);

/// Loads the model of a checkpoint.
FloatModel load_checkpoint_model(const std::filesystem::path& checkpoint);

/// The stored options of a checkpoint.
TrainOptions load_checkpoint_options(const std::filesystem::path& checkpoint);

/// Float logits of `model` for `count` images of `pixels_per_image` float values each
/// (shape [count, 1, rows, cols], values in [0, 1]); returns count * classes floats.
std::vector<float> forward(const FloatModel& model, const std::vector<float>& inputs, std::size_t count,
                           int threads = 1);

/// Predicted class of every sample of `ds` (pixels scaled by 1/255).
std::vector<std::uint8_t> predict(const FloatModel& model, const data::Dataset& ds, int threads = 1);

/// Loads the named splits of DataOptions.
struct Splits {
    data::Dataset train, validation, test;
};
Splits load_splits(const DataOptions& d);

}  // namespace sigil::train
