#include "train/quantize.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "core/kernels/program_run.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/float/executor.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "runtime/quant/agreement.hpp"
#include "runtime/quant/int_run.hpp"
#include "runtime/quant/quantize.hpp"

namespace sigil::train {
namespace {

runtime::Tensor image_tensor(const data::Dataset& ds, std::size_t i) {
    const BytesView img = ds.image(i);
    std::vector<float> v(img.size());
    std::transform(img.begin(), img.end(), v.begin(), [](std::uint8_t p) { return static_cast<float>(p) / 255.0f; });
    return runtime::Tensor::f32({1, 1, ds.rows, ds.cols}, std::move(v));
}

std::vector<std::vector<runtime::Tensor>> samples(const data::Dataset& ds, std::uint32_t count) {
    std::vector<std::vector<runtime::Tensor>> out;
    for (std::size_t i = 0; i < std::min<std::size_t>(count, ds.size()); ++i) out.push_back({image_tensor(ds, i)});
    return out;
}

}  // namespace

nlohmann::json to_json(const QuantizeReport& r) {
    return {{"modelRoot", to_hex(r.model_root)}, {"ops", r.ops}, {"bytes", r.bytes},
            {"calibrationSamples", r.calibration_samples}, {"holdoutSamples", r.holdout_samples},
            {"top1Agreement", r.top1_agreement}, {"maxAbsError", r.max_abs_error},
            {"meanAbsError", r.mean_abs_error}};
}

QuantizeReport quantize(const QuantizeRequest& request) {
    auto model = runtime::load_onnx_model(request.onnx.string());
    if (!model) throw std::runtime_error(request.onnx.string() + ": " + model.error().message());
    auto fx = runtime::FloatExecutor::create(std::move(*model));
    if (!fx) throw std::runtime_error(request.onnx.string() + ": " + fx.error().message());
    DataOptions d = request.data;
    d.subset = request.calibration;
    d.eval_limit = request.holdout;
    const Splits splits = load_splits(d);
    const auto calib = samples(splits.train, request.calibration);
    const auto held = samples(splits.validation, request.holdout);
    if (calib.empty()) throw std::runtime_error("no calibration samples");
    runtime::QuantizeOptions qo;
    qo.calibration.percentile = request.percentile;
    auto q = runtime::quantize_model(*fx, calib, qo);
    if (!q) throw std::runtime_error("quantization failed: " + q.error().message());
    const Bytes bytes = ir::save_program(q->program);
    if (auto w = runtime::write_file_bytes(request.output.string(), bytes); !w) throw std::runtime_error(w.error().message());
    QuantizeReport r;
    r.model_root = ir::model_root(q->program);
    r.ops = q->program.ops.size();
    r.bytes = bytes.size();
    r.calibration_samples = calib.size();
    if (!held.empty()) {
        auto ag = runtime::measure_agreement(*fx, q->program, held);
        if (!ag) throw std::runtime_error("agreement failed: " + ag.error().message());
        r.holdout_samples = ag->samples;
        r.top1_agreement = ag->top1_rate();
        r.max_abs_error = ag->max_abs_error;
        r.mean_abs_error = ag->mean_abs_error;
    }
    return r;
}

ir::Program load_sigil(const std::filesystem::path& path) {
    auto b = runtime::read_file_bytes(path.string());
    if (!b) throw std::runtime_error(b.error().message());
    auto p = ir::load_program(*b);
    if (!p) throw std::runtime_error(path.string() + ": " + std::string(ir::to_string(p.error())));
    return std::move(*p);
}

std::uint64_t program_parameters(const ir::Program& p) noexcept {
    std::uint64_t n = 0;
    for (const auto& t : p.tensors) {
        if (t.kind == ir::TensorKind::constant) n += ir::element_count(t.shape);
    }
    return n;
}

std::vector<std::uint8_t> predict_int8(const ir::Program& program, const data::Dataset& ds) {
    if (program.inputs.size() != 1 || program.outputs.empty()) throw std::invalid_argument("program must have one input");
    const ir::Tensor& in = program.tensors[program.inputs[0]];
    if (ir::element_count(in.shape) != ds.image_bytes()) {
        throw std::invalid_argument("program input does not hold one image of the data set");
    }
    const ir::Tensor& out = program.tensors[program.outputs[0]];
    const auto simd = runtime::detect_simd();
    std::vector<std::uint8_t> pred;
    pred.reserve(ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i) {
        const std::vector<Bytes> input{runtime::quantize_input(image_tensor(ds, i), in)};
        auto bufs = kernels::run_program(program, input, kernels::Path::fast, simd);
        if (!bufs) throw std::runtime_error("int8 run failed: " + std::string(kernels::to_string(bufs.error())));
        const runtime::Tensor logits = runtime::dequantize((*bufs)[program.outputs[0]], out);
        const auto& v = logits.f();
        pred.push_back(static_cast<std::uint8_t>(std::max_element(v.begin(), v.end()) - v.begin()));
    }
    return pred;
}

}  // namespace sigil::train
