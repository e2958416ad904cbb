#include "devnet/models.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "devnet/client.hpp"
#include "devnet/process.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/quant/int_run.hpp"

namespace sigil::devnet {
namespace {

std::vector<std::uint32_t> shape_of(const ir::Tensor& t) {
    std::vector<std::uint32_t> out;
    for (auto d : t.shape) out.push_back(static_cast<std::uint32_t>(d));
    return out;
}

void run_tool(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    ChildProcess p(argv, log);
    while (p.running()) {
        if (!sleep_unless_stopped(std::chrono::milliseconds(100))) {
            p.stop();
            throw DevnetError("stopped while running " + argv.at(1));
        }
    }
    if (p.exit_status() != 0) {
        throw DevnetError("`" + argv.at(0) + " " + argv.at(1) + "` failed (exit " + std::to_string(p.exit_status()) +
                          "); see " + log.string());
    }
}

}  // namespace

ModelFile load_model(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DevnetError("cannot read model " + path.string());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    auto program = ir::load_program(as_bytes(text));
    if (!program) throw DevnetError("invalid model " + path.string() + ": " + std::string(ir::to_string(program.error())));
    ModelFile m;
    m.name = path.stem().string();
    m.path = path;
    m.program = std::make_shared<const ir::Program>(std::move(*program));
    if (m.program->inputs.size() != 1 || m.program->outputs.empty()) {
        throw DevnetError("model " + path.string() + " must have one input and an output");
    }
    m.root = ir::model_root(*m.program);
    m.input_shape = shape_of(m.program->tensors[m.program->inputs[0]]);
    m.output_shape = shape_of(m.program->tensors[m.program->outputs[0]]);
    return m;
}

std::vector<std::filesystem::path> zoo_models(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".sigil") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::filesystem::path build_quick_model(const std::filesystem::path& sigil_train, const std::filesystem::path& dir,
                                        const std::filesystem::path& log, const QuickModelRecipe& r) {
    std::filesystem::create_directories(dir);
    const auto sigil = dir / "quick-mlp.sigil";
    if (std::filesystem::exists(sigil)) return sigil;
    const auto ckpt = dir / "quick-mlp.ckpt";
    const auto onnx = dir / "quick-mlp.onnx";
    const std::string exe = sigil_train.string();
    run_tool({exe, "train", "--arch", r.arch, "--epochs", std::to_string(r.epochs), "--subset", std::to_string(r.subset),
              "--threads", "1", "--seed", "1", "--no-progress", "--checkpoint", ckpt.string(), "--onnx", onnx.string()},
             log);
    const auto tmp = dir / "quick-mlp.sigil.tmp";
    run_tool({exe, "quantize", "--onnx", onnx.string(), "--out", tmp.string(), "--calibration",
              std::to_string(r.calibration), "--holdout", std::to_string(r.holdout)},
             log);
    std::filesystem::rename(tmp, sigil);
    return sigil;
}

Bytes encode_image(const ModelFile& m, BytesView pixels) {
    const ir::Tensor& in = m.program->tensors[m.program->inputs[0]];
    if (ir::element_count(in.shape) != pixels.size()) {
        throw DevnetError("model " + m.name + " does not take one " + std::to_string(pixels.size()) + "-pixel image");
    }
    std::vector<float> v(pixels.size());
    std::transform(pixels.begin(), pixels.end(), v.begin(),
                   [](std::uint8_t p) { return static_cast<float>(p) / 255.0f; });
    std::vector<std::int64_t> shape;
    for (auto d : in.shape) shape.push_back(static_cast<std::int64_t>(d));
    return runtime::quantize_input(runtime::Tensor::f32(shape, std::move(v)), in);
}

int decode_label(BytesView output) {
    if (output.size() == 1) return output[0] < 10 ? output[0] : -1;
    if (output.size() != 10) return -1;
    int best = 0;
    for (int i = 1; i < 10; ++i) {
        if (static_cast<std::int8_t>(output[static_cast<std::size_t>(i)]) >
            static_cast<std::int8_t>(output[static_cast<std::size_t>(best)]))
            best = i;
    }
    return best;
}

LocalAnswer run_local(const ModelFile& m, const Bytes& input) {
    runtime::Executor exec(*m.program, runtime::ExecOptions{});
    const std::vector<Bytes> inputs{input};
    auto r = exec.run(inputs);
    if (!r) throw DevnetError("local run of " + m.name + " failed: " + std::string(kernels::to_string(r.error())));
    LocalAnswer a;
    a.output = r->outputs.at(0);
    a.state_root = r->state_root;
    a.steps = r->steps;
    a.label = decode_label(a.output);
    return a;
}

data::Dataset load_test_images() {
    const char* env = std::getenv("SIGIL_FASHION_DIR");
    const std::filesystem::path dir = env != nullptr && *env != '\0' ? env : std::string(data::kFashionDefaultDir);
    auto ds = data::load_fashion_mnist(dir, data::FashionSplit::test);
    if (!ds) {
        throw DevnetError("cannot load Fashion-MNIST test images from " + dir.string() + ": " +
                          std::string(data::to_string(ds.error())) + " (Debian package dataset-fashion-mnist)");
    }
    return std::move(*ds);
}

}  // namespace sigil::devnet
