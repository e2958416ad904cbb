// `sigil model import|inspect|run`: ONNX to quantized .sigil programs, and running either.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/model_common.hpp"
#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "core/kernels/program_run.hpp"
#include "core/trace/state.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/float/executor.hpp"
#include "runtime/float/fold.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "runtime/quant/agreement.hpp"
#include "runtime/quant/int_run.hpp"
#include "runtime/quant/quantize.hpp"

namespace sigil::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool ends_with(const std::string& s, std::string_view suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

runtime::FloatExecutor load_float(const std::string& path) {
    auto m = runtime::load_onnx_model(path);
    if (!m) throw CliError(path + ": " + m.error().message());
    auto fx = runtime::FloatExecutor::create(std::move(*m));
    if (!fx) throw CliError(path + ": " + fx.error().message());
    return std::move(*fx);
}

runtime::Tensor read_tensor(const std::string& path) {
    auto t = runtime::read_tensor_file(path);
    if (!t) throw CliError(path + ": " + t.error().message());
    return std::move(t->tensor);
}

bool integer_dtype(runtime::DType t) { return t == runtime::DType::I64 || t == runtime::DType::I32; }

/// A model to import and the shape of one calibration sample. A float input takes the declared
/// shape with symbolic dims as 1. An integer input (token ids) takes its symbolic dims (a
/// dynamic sequence axis) from the calibration data, and the graph is specialized to that shape.
struct ImportModel {
    runtime::FloatExecutor fx;
    runtime::Shape shape;
    bool integer = false;
};

ImportModel import_model(const std::string& path, const std::string& calib) {
    auto fx = load_float(path);
    if (fx.model().inputs.size() != 1) throw CliError("import takes models with exactly one input");
    const auto& in = fx.model().inputs[0];
    runtime::Shape s = in.shape;
    if (!integer_dtype(in.dtype)) {
        for (auto& d : s) d = d < 0 ? 1 : d;
        return {std::move(fx), s, false};
    }
    if (fs::is_directory(calib))
        throw CliError(calib + ": token-id samples come in one .npy of N samples along axis 0");
    const runtime::Tensor t = read_tensor(calib);
    if (!integer_dtype(t.dtype))
        throw CliError(calib + ": the model reads token ids, so samples must be int64 or int32");
    if (t.shape.size() != s.size() + 1)
        throw CliError(calib + ": " + runtime::shape_str(t.shape) + " is not N samples of rank " +
                       std::to_string(s.size()));
    bool dynamic = false;
    for (std::size_t k = 0; k < s.size(); ++k) {
        if (s[k] < 0) {
            s[k] = t.shape[k + 1];
            dynamic = true;
        } else if (s[k] != t.shape[k + 1]) {
            throw CliError(calib + ": sample dim " + std::to_string(k) + " is " + std::to_string(t.shape[k + 1]) +
                           ", the model's input has " + std::to_string(s[k]));
        }
    }
    if (!dynamic) return {std::move(fx), s, true};
    auto fixed = runtime::specialize(fx.model(), {s});
    if (!fixed) throw CliError(path + ": specializing to " + runtime::shape_str(s) + ": " + fixed.error().message());
    auto sfx = runtime::FloatExecutor::create(std::move(*fixed));
    if (!sfx) throw CliError(path + ": " + sfx.error().message());
    return {std::move(*sfx), s, true};
}

/// Samples from a .npy/.pb holding N samples along axis 0, or a directory of one-sample files.
/// Token ids (`integer`) come as int64 or int32 and are kept as int64.
std::vector<std::vector<runtime::Tensor>> read_samples(const std::string& path, const runtime::Shape& shape,
                                                       bool integer) {
    std::vector<runtime::Tensor> raw;
    if (fs::is_directory(path)) {
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(path))
            if (ends_with(e.path().string(), ".pb") || ends_with(e.path().string(), ".npy")) files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) raw.push_back(read_tensor(f));
    } else {
        raw.push_back(read_tensor(path));
    }
    const std::int64_t per = runtime::shape_numel(shape);
    std::vector<std::vector<runtime::Tensor>> out;
    for (const auto& t : raw) {
        if (integer ? !integer_dtype(t.dtype) : t.dtype != runtime::DType::F32)
            throw CliError(path + (integer ? ": token ids must be int64 or int32" : ": samples must be float32"));
        if (per == 0 || t.numel() % per != 0)
            throw CliError(path + ": " + runtime::shape_str(t.shape) + " is not a whole number of " + runtime::shape_str(shape) + " samples");
        for (std::int64_t i = 0; i < t.numel() / per; ++i) {
            if (!integer) {
                std::vector<float> v(t.f().begin() + i * per, t.f().begin() + (i + 1) * per);
                out.push_back({runtime::Tensor::f32(shape, std::move(v))});
                continue;
            }
            std::vector<std::int64_t> v;
            for (std::int64_t k = i * per; k < (i + 1) * per; ++k)
                v.push_back(static_cast<std::int64_t>(runtime::element_as_f64(t, static_cast<std::size_t>(k))));
            out.push_back({runtime::Tensor::i64(shape, std::move(v))});
        }
    }
    if (out.empty()) throw CliError(path + ": no samples");
    return out;
}

struct ImportArgs {
    std::string model, calib, holdout, out;
    double percentile = 100.0;
    std::optional<double> logit_window;
    std::string logits;  ///< "int8", "int32", or "" (int32 for token-id models)
    bool json = false;
};

/// Nats below the smallest row maximum that a language model's logits keep (QuantizeOptions).
constexpr double kDefaultLogitWindow = 12.0;

void run_import(const ImportArgs& a) {
    const ImportModel im = import_model(a.model, a.calib);
    const runtime::FloatExecutor& fx = im.fx;
    auto calib = read_samples(a.calib, im.shape, im.integer);
    std::vector<std::vector<runtime::Tensor>> held;
    if (!a.holdout.empty()) {
        held = read_samples(a.holdout, im.shape, im.integer);
    } else if (calib.size() >= 5) {  // hold out the last fifth
        const auto n = calib.size() / 5;
        held.assign(calib.end() - static_cast<std::ptrdiff_t>(n), calib.end());
        calib.resize(calib.size() - n);
    }
    runtime::QuantizeOptions qo;
    qo.calibration.percentile = a.percentile;
    // A token-id model's output is logits: int32 by default; int8 logits keep a window at the top
    // of each row.
    const std::string logits = a.logits.empty() ? (im.integer ? "int32" : "int8") : a.logits;
    qo.int32_logits = logits == "int32";
    qo.calibration.logit_window = a.logit_window.value_or(im.integer && !qo.int32_logits ? kDefaultLogitWindow : 0.0);
    if (!(qo.calibration.logit_window >= 0)) throw CliError("--logit-window must be >= 0");
    auto q = runtime::quantize_model(fx, calib, qo);
    if (!q) throw CliError(q.error().message());
    const Bytes bytes = ir::save_program(q->program);
    if (auto w = runtime::write_file_bytes(a.out, bytes); !w) throw CliError(w.error().message());
    json j{{"output", a.out},
           {"ops", q->program.ops.size()},
           {"bytes", bytes.size()},
           {"model_root", to_hex(ir::model_root(q->program))},
           {"calibration_samples", calib.size()},
           {"percentile", a.percentile},
           {"logit_window", qo.calibration.logit_window},
           {"logits", logits}};
    if (!held.empty()) {
        auto ag = runtime::measure_agreement(fx, q->program, held);
        if (!ag) throw CliError(ag.error().message());
        j["heldout_samples"] = ag->samples;
        j["top1_agreement"] = ag->top1_rate();
        j["max_abs_error"] = ag->max_abs_error;
        j["mean_abs_error"] = ag->mean_abs_error;
    }
    if (a.json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    for (const auto& [k, v] : j.items()) std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
}

std::uint64_t param_count(const ir::Program& p) {
    std::uint64_t n = 0;
    for (const auto& t : p.tensors)
        if (t.kind == ir::TensorKind::constant) n += ir::element_count(t.shape);
    return n;
}

json dims(const std::vector<std::uint32_t>& s) { return json(s); }

void inspect_sigil(const std::string& path, bool as_json) {
    const ir::Program p = load_sigil(path);
    json ops = json::array();
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const auto& op = p.ops[i];
        const auto& out = p.tensors[op.output];
        ops.push_back({{"step", i + 1}, {"kind", ir::to_string(op.kind)}, {"inputs", op.inputs}, {"output", op.output},
                       {"shape", dims(out.shape)}, {"zero_point", out.quant.zero_point}, {"requant", op.attrs.requant.size()}});
    }
    json j{{"file", path}, {"format_version", ir::kFormatVersion}, {"tensors", p.tensors.size()}, {"ops", ops},
           {"inputs", p.inputs}, {"outputs", p.outputs}, {"params", param_count(p)},
           {"model_root", to_hex(ir::model_root(p))}};
    if (as_json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    std::cout << "file: " << path << "\nmodel_root: " << to_hex(ir::model_root(p)) << "\nparams: " << param_count(p)
              << "\ntensors: " << p.tensors.size() << "\nops: " << p.ops.size() << '\n';
    for (const auto& o : ops)
        std::cout << "  " << o["step"] << ' ' << o["kind"].get<std::string>() << " in " << o["inputs"].dump() << " -> t"
                  << o["output"] << ' ' << o["shape"].dump() << " zp " << o["zero_point"] << '\n';
    for (auto id : p.inputs) std::cout << "input t" << id << ' ' << dims(p.tensors[id].shape).dump() << '\n';
    for (auto id : p.outputs) std::cout << "output t" << id << ' ' << dims(p.tensors[id].shape).dump() << '\n';
}

void inspect_onnx(const std::string& path, bool as_json) {
    const auto fx = load_float(path);
    const auto& m = fx.model();
    std::uint64_t params = 0;
    for (const auto& [name, t] : m.initializers) params += static_cast<std::uint64_t>(t.numel());
    json nodes = json::array();
    for (const auto& n : m.nodes) nodes.push_back({{"op", n.op_type}, {"inputs", n.inputs}, {"outputs", n.outputs}});
    json io = json::array();
    for (const auto& i : m.inputs) io.push_back({{"input", i.name}, {"shape", i.shape}, {"dtype", runtime::to_string(i.dtype)}});
    for (const auto& o : m.outputs) io.push_back({{"output", o.name}, {"shape", o.shape}, {"dtype", runtime::to_string(o.dtype)}});
    json j{{"file", path}, {"opset", m.opset}, {"producer", m.producer}, {"params", params}, {"nodes", nodes}, {"values", io}};
    if (as_json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    std::cout << "file: " << path << "\nopset: " << m.opset << "\nparams: " << params << "\nnodes: " << m.nodes.size() << '\n';
    for (const auto& n : nodes) std::cout << "  " << n["op"].get<std::string>() << ' ' << n["inputs"].dump() << " -> " << n["outputs"].dump() << '\n';
    for (const auto& v : io) std::cout << v.dump() << '\n';
}

struct RunArgs {
    std::string model;
    std::vector<std::string> inputs;
    unsigned threads = 1;
    unsigned repeat = 1;
    bool reference = false;
    bool no_commit = false;
    bool profile = false;
    bool json = false;
};

json values_json(const runtime::Tensor& t) {
    json v = json::array();
    for (std::size_t i = 0; i < static_cast<std::size_t>(t.numel()); ++i) v.push_back(runtime::element_as_f64(t, i));
    return v;
}

/// Times `fn` `repeat` times; returns the median milliseconds.
template <typename Fn>
double timed(unsigned repeat, Fn&& fn) {
    std::vector<double> ms;
    for (unsigned r = 0; r < std::max(repeat, 1U); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return median(ms);
}

void print_run(const json& j, bool as_json) {
    if (as_json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    for (const auto& o : j["outputs"]) std::cout << "output " << o["shape"].dump() << ": " << o["values"].dump() << '\n';
    for (const auto& [k, v] : j.items())
        if (k != "outputs") std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
}

void run_onnx(const RunArgs& a) {
    const auto fx = load_float(a.model);
    std::vector<runtime::Tensor> in;
    for (const auto& f : a.inputs) in.push_back(read_tensor(f));
    std::vector<runtime::Tensor> out;
    const double ms = timed(a.repeat, [&] {
        auto r = fx.run(in);
        if (!r) throw CliError(r.error().message());
        out = std::move(*r);
    });
    json outs = json::array();
    for (const auto& t : out) outs.push_back({{"shape", t.shape}, {"values", values_json(t)}});
    print_run({{"executor", "float (reference, not verifiable)"}, {"outputs", outs}, {"runs", a.repeat}, {"median_ms", ms}}, a.json);
}

void run_sigil(const RunArgs& a) {
    const ir::Program p = load_sigil(a.model);
    if (a.inputs.size() != p.inputs.size())
        throw CliError(std::to_string(p.inputs.size()) + " inputs expected, got " + std::to_string(a.inputs.size()));
    std::vector<Bytes> in;
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
        const runtime::Tensor t = read_tensor(a.inputs[i]);
        const auto& desc = p.tensors[p.inputs[i]];
        if (static_cast<std::uint64_t>(t.numel()) != ir::element_count(desc.shape))
            throw CliError(a.inputs[i] + ": " + runtime::shape_str(t.shape) + " does not fit input " + dims(desc.shape).dump());
        if (desc.dtype == ir::DType::int32) {  // token ids
            if (!integer_dtype(t.dtype))
                throw CliError(a.inputs[i] + ": input " + std::to_string(i) + " takes token ids (int64 or int32)");
            for (std::size_t k = 0; k < static_cast<std::size_t>(t.numel()); ++k) {
                const double v = runtime::element_as_f64(t, k);
                if (v < INT32_MIN || v > INT32_MAX)
                    throw CliError(a.inputs[i] + ": token id " + std::to_string(v) + " is outside int32");
            }
            in.push_back(runtime::quantize_input(t, desc));
        } else if (t.dtype == runtime::DType::F32) {
            in.push_back(runtime::quantize_input(t, desc));
        } else if (t.dtype == runtime::DType::I8) {
            const auto& v = t.vec<std::int8_t>();
            in.emplace_back(reinterpret_cast<const std::uint8_t*>(v.data()), reinterpret_cast<const std::uint8_t*>(v.data()) + v.size());
        } else {
            throw CliError(a.inputs[i] + ": inputs must be float32 (quantized here) or int8");
        }
    }
    std::vector<Bytes> outputs;
    Hash state{};
    double ms = 0;
    json profile;
    if (a.reference) {  // the scalar reference rule of every element, one thread
        std::vector<Bytes> values;
        ms = timed(a.repeat, [&] {
            auto r = kernels::run_program(p, in, kernels::Path::reference);
            if (!r) throw CliError(std::string(kernels::to_string(r.error())));
            values = std::move(*r);
        });
        for (auto id : p.outputs) outputs.push_back(values[id]);
        state = trace::ExecutionTrace(p, std::move(values)).state(p.ops.size());
    } else {
        runtime::Executor ex(p, runtime::ExecOptions{a.threads, std::nullopt, !a.no_commit});
        std::vector<runtime::RunProfile> profiles;
        ms = timed(a.repeat, [&] {
            runtime::RunProfile prof;
            auto r = ex.run(in, a.profile ? &prof : nullptr);
            if (!r) throw CliError(std::string(kernels::to_string(r.error())));
            outputs = std::move(r->outputs);
            state = r->state_root;
            if (a.profile) profiles.push_back(std::move(prof));
        });
        if (a.profile) profile = profile_json(p, profiles);
    }
    json outs = json::array();
    for (std::size_t i = 0; i < p.outputs.size(); ++i) {
        const runtime::Tensor t = runtime::dequantize(outputs[i], p.tensors[p.outputs[i]]);
        outs.push_back({{"shape", t.shape}, {"values", values_json(t)}});
    }
    json j{{"executor", a.reference ? "int8 reference" : "int8 fast"},
           {"outputs", outs},
           {"N", p.ops.size()},
           {"threads", a.reference ? 1U : a.threads},
           {"runs", a.repeat},
           {"median_ms", ms}};
    if (a.reference || !a.no_commit) j["S_N"] = to_hex(state);
    if (!profile.is_null()) j["profile"] = profile;
    print_run(j, a.json);
}

}  // namespace

void register_model_commands(CLI::App& app) {
    auto* model = app.add_subcommand("model", "Import ONNX models into quantized .sigil programs, inspect and run them");
    model->require_subcommand(1);

    auto ia = std::make_shared<ImportArgs>();
    auto* imp = model->add_subcommand("import", "Quantize an ONNX model with a calibration set into a .sigil program");
    imp->add_option("model", ia->model, "model.onnx")->required();
    imp->add_option(
           "--calib", ia->calib,
           "calibration samples: a .npy/.pb with N samples along axis 0, or a directory of .pb/.npy; "
           "token ids (int64/int32 [N, ...]) for a model that reads them, whose dynamic axes take the samples' dims")
        ->required();
    imp->add_option("-o,--output", ia->out, "output .sigil")->required();
    imp->add_option("--holdout", ia->holdout, "held-out samples for the float-vs-int8 report (default: last fifth of --calib)");
    imp->add_option("--percentile", ia->percentile, "activation range percentile (100 = min/max)")->capture_default_str();
    imp->add_option("--logit-window", ia->logit_window,
                    "keep outputs from (smallest row maximum - W) up; default 12 for int8 logits of token-id models, "
                    "0 (min/max) otherwise");
    imp->add_option("--logits", ia->logits,
                    "int32: an output written by a linear layer and read by nothing else is int32 on a fine grid "
                    "(default for token-id models); int8: every output int8 (default otherwise)")
        ->check(CLI::IsMember({"int8", "int32"}));
    imp->add_flag("--json", ia->json, "print JSON");
    imp->callback([ia] { run_import(*ia); });

    auto path = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* ins = model->add_subcommand("inspect", "Show a .sigil program (ops, shapes, params, modelRoot) or an .onnx graph");
    ins->add_option("file", *path, "model.sigil or model.onnx")->required();
    ins->add_flag("--json", *as_json, "print JSON");
    ins->callback([path, as_json] { ends_with(*path, ".onnx") ? inspect_onnx(*path, *as_json) : inspect_sigil(*path, *as_json); });

    auto ra = std::make_shared<RunArgs>();
    auto* run = model->add_subcommand("run", "Run a .sigil program (int8) or an .onnx model (float reference)");
    run->add_option("model", ra->model, "model.sigil or model.onnx")->required();
    run->add_option("--input", ra->inputs, "input tensors (.npy or TensorProto .pb), in input order")->required();
    run->add_option("--threads", ra->threads, "executor threads (.sigil)")->capture_default_str()->check(CLI::Range(1, 256));
    run->add_option("--repeat", ra->repeat, "runs to time (median reported)")->capture_default_str()->check(CLI::Range(1, 1000000));
    run->add_flag("--reference", ra->reference, "use the scalar reference rule of every op, one thread (.sigil)");
    run->add_flag("--no-commit", ra->no_commit, "skip tensor roots and S_N (times inference alone; .sigil)");
    run->add_flag("--profile", ra->profile, "also time every op and the commitment (medians; .sigil, fast executor)");
    run->add_flag("--json", ra->json, "print JSON");
    run->callback([ra] { ends_with(ra->model, ".onnx") ? run_onnx(*ra) : run_sigil(*ra); });
}

}  // namespace sigil::cli
