#pragma once
/// The models a devnet serves: `.sigil` programs from the zoo (scripts/build-zoo.sh output), or a
/// small MLP trained on the spot with `sigil-train` when there is no zoo; Fashion-MNIST test images
/// as each model's input bytes; and the local run the devnet checks on-chain answers against.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "train/data/dataset.hpp"

namespace sigil::devnet {

/// A loaded, validated program and its on-chain identity.
struct ModelFile {
    std::string name;
    std::filesystem::path path;
    std::shared_ptr<const ir::Program> program;
    Hash root{};                ///< modelRoot
    std::vector<std::uint32_t> input_shape, output_shape;
    /// A language model (registered by its decode-step program's root, served as
    /// [[language_model]] with this vocabulary) rather than a classifier.
    bool language_model = false;
    std::filesystem::path vocab;
};

/// Loads and validates a `.sigil` file (throws DevnetError).
ModelFile load_model(const std::filesystem::path& path);

/// Every `*.sigil` in `dir`, sorted by name (none when `dir` does not exist).
std::vector<std::filesystem::path> zoo_models(const std::filesystem::path& dir);

/// How the quick model is trained when there is no zoo.
struct QuickModelRecipe {
    std::string arch = "mlp:64";
    unsigned epochs = 1;
    unsigned subset = 20000;  ///< train samples
    unsigned calibration = 200;
    unsigned holdout = 200;
};

/// Trains, exports and quantizes the quick model into `dir/quick-mlp.sigil` with `sigil_train`
/// (skipped when the file exists); output of the tools goes to `log`. Returns the path.
std::filesystem::path build_quick_model(const std::filesystem::path& sigil_train, const std::filesystem::path& dir,
                                        const std::filesystem::path& log, const QuickModelRecipe& recipe = {});

/// The model's input bytes for one 8-bit image: pixels / 255 quantized with the program's input
/// quantization, in the canonical layout (what a consumer sends and a node runs).
Bytes encode_image(const ModelFile& m, BytesView pixels);

/// A local run with the deterministic runtime.
struct LocalAnswer {
    Bytes output;       ///< canonical bytes of the first output (e.g. 10 int8 logits)
    Hash state_root{};  ///< S_N
    std::uint64_t steps = 0;
    int label = -1;     ///< FashionClassifier's decoding: argmax of 10 int8 logits, lowest on ties
};
LocalAnswer run_local(const ModelFile& m, const Bytes& input);

/// FashionClassifier.decode: one label byte 0..9 or the argmax of 10 int8 logits; -1 otherwise.
int decode_label(BytesView output);

/// The Fashion-MNIST test split from Debian's location ($SIGIL_FASHION_DIR overrides).
data::Dataset load_test_images();

}  // namespace sigil::devnet
