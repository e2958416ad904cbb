#pragma once
// Shared by the sigil_train tests: tiny, fast training options and a scratch directory.

#include <filesystem>
#include <random>
#include <string>

#include "train/ops.hpp"

namespace sigil::train::testing {

/// A few hundred samples, one thread: a run takes well under a second of compute.
inline TrainOptions tiny_options(const std::string& arch = "cnn:4,8:16") {
    TrainOptions o;
    o.arch = arch;
    o.epochs = 3;
    o.batch_size = 32;
    o.lr = 3e-3;
    o.weight_decay = 1e-4;
    o.seed = 11;
    o.threads = 1;
    o.data.validation = 500;
    o.data.subset = 256;
    o.data.eval_limit = 200;
    return o;
}

/// A scratch directory removed at the end of the scope.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("sigil-train-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace sigil::train::testing
