#include "train/onnx_export.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "train/data/split.hpp"
#include "train/ops.hpp"
#include "train/test_util.hpp"

namespace sigil::train {
namespace {

const std::filesystem::path kRoot = SIGIL_SOURCE_DIR;

bool onnxruntime_available() {
    return std::system("command -v node > /dev/null 2>&1") == 0 &&
           std::filesystem::exists(kRoot / "bench/node_modules/onnxruntime-node/package.json");
}

void write_floats(const std::filesystem::path& p, const std::vector<float>& v) {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(v.data()),  // NOLINT
                                             static_cast<std::streamsize>(v.size() * sizeof(float)));
}

std::vector<float> read_floats(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary | std::ios::ate);
    const auto size = static_cast<std::size_t>(in.tellg());
    std::vector<float> v(size / sizeof(float));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(size));  // NOLINT
    return v;
}

/// Eight real test images, then eight images of seeded values in [-1, 2).
std::vector<float> inputs(const Splits& s) {
    std::vector<float> x;
    for (std::size_t i = 0; i < 8 * 784; ++i) x.push_back(static_cast<float>(s.test.pixels[i]) / 255.0f);
    data::SplitMix64 rng(5);
    for (std::size_t i = 0; i < 8 * 784; ++i) {
        x.push_back(static_cast<float>(rng.next() >> 40) / static_cast<float>(1 << 24) * 3.0f - 1.0f);
    }
    return x;
}

TEST(onnx_export, deterministic_bytes) {
    TrainOptions o = testing::tiny_options("mlp:8");
    o.epochs = 1;
    const FloatModel m = run(o, {}).model;
    EXPECT_EQ(onnx_bytes(m), onnx_bytes(m));
    FloatModel broken = m;
    broken.params.pop_back();
    EXPECT_THROW(onnx_bytes(broken), std::invalid_argument);
}

TEST(onnx_export, onnxruntime_matches_libtorch) {
    if (!onnxruntime_available()) GTEST_SKIP() << "node or bench/node_modules/onnxruntime-node missing";
    testing::TempDir dir;
    for (const char* arch : {"mlp:32,16", "cnn:4,8:16", "cnn:4,8,8:0"}) {
        TrainOptions o = testing::tiny_options(arch);
        o.epochs = 1;
        const TrainReport r = run(o, {});
        const Splits s = load_splits(o.data);
        const std::vector<float> x = inputs(s);
        const std::vector<float> expect = forward(r.model, x, 16);
        write_onnx(r.model, dir / "m.onnx");
        write_floats(dir / "x.f32", x);
        const std::string cmd = "node '" + (kRoot / "src/train/tools/ort_run.cjs").string() + "' '" +
                                (dir / "m.onnx").string() + "' '" + (dir / "x.f32").string() + "' 16 1 28 28 '" +
                                (dir / "y.f32").string() + "' > /dev/null";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << arch;
        const std::vector<float> got = read_floats(dir / "y.f32");
        ASSERT_EQ(got.size(), expect.size()) << arch;
        float worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(got[i] - expect[i]));
        EXPECT_LE(worst, 1e-5f) << arch;
    }
}

}  // namespace
}  // namespace sigil::train
