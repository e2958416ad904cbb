#include "runtime/float/conformance.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>

#include "runtime/float/executor.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace sigil::runtime {

namespace fs = std::filesystem;

std::string_view to_string(ConformanceStatus s) {
    switch (s) {
        case ConformanceStatus::pass: return "PASS";
        case ConformanceStatus::fail: return "FAIL";
        case ConformanceStatus::unsupported: return "UNSUPPORTED";
    }
    return "unknown";
}

namespace {

bool unsupported_load(OnnxErrc e) {
    switch (e) {
        case OnnxErrc::unsupported_dtype:
        case OnnxErrc::unsupported_domain:
        case OnnxErrc::unsupported_attribute:
        case OnnxErrc::unsupported_value_type:
        case OnnxErrc::external_data:
        case OnnxErrc::opset_too_old:
        case OnnxErrc::opset_too_new: return true;
        default: return false;
    }
}

bool unsupported_run(FloatErrc e) {
    return e == FloatErrc::unsupported_op || e == FloatErrc::unsupported_dtype || e == FloatErrc::unsupported_attribute;
}

ConformanceResult verdict(const std::string& name, ConformanceStatus s, std::string reason) {
    return ConformanceResult{name, s, std::move(reason)};
}

/// Reads <set>/<prefix>_0.pb, _1.pb, ... until the first missing index.
Result<std::vector<Tensor>, OnnxError> read_series(const fs::path& set, const std::string& prefix) {
    std::vector<Tensor> v;
    for (int i = 0;; ++i) {
        const fs::path p = set / (prefix + "_" + std::to_string(i) + ".pb");
        if (!fs::exists(p)) break;
        NamedTensor t = SIGIL_TRY(read_tensor_file(p.string()));
        v.push_back(std::move(t.tensor));
    }
    return v;
}

bool close(double a, double e, double rtol, double atol) {
    if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
    if (std::isinf(e)) return a == e;
    return std::fabs(a - e) <= atol + rtol * std::fabs(e);
}

/// Empty when equal within tolerance, else why not.
std::string compare(const Tensor& got, const Tensor& want, double rtol, double atol) {
    if (got.dtype != want.dtype)
        return "dtype " + std::string(to_string(got.dtype)) + " != " + std::string(to_string(want.dtype));
    if (got.shape != want.shape) return "shape " + shape_str(got.shape) + " != " + shape_str(want.shape);
    std::size_t bad = 0;
    std::size_t first = 0;
    const auto n = static_cast<std::size_t>(got.numel());
    for (std::size_t i = 0; i < n; ++i)
        if (!close(element_as_f64(got, i), element_as_f64(want, i), rtol, atol) && bad++ == 0) first = i;
    if (bad == 0) return "";
    return std::to_string(bad) + "/" + std::to_string(n) + " elements differ; first at " + std::to_string(first) + ": got " +
           std::to_string(element_as_f64(got, first)) + ", want " + std::to_string(element_as_f64(want, first));
}

}  // namespace

ConformanceResult run_node_test(const std::string& test_dir, double rtol, double atol) {
    const fs::path dir(test_dir);
    const std::string name = dir.filename().string();
    auto model = load_onnx_model((dir / "model.onnx").string());
    if (!model) {
        const auto s = unsupported_load(model.error().code) ? ConformanceStatus::unsupported : ConformanceStatus::fail;
        return verdict(name, s, model.error().message());
    }
    auto exec = FloatExecutor::create(std::move(*model));
    if (!exec) {
        const auto s = unsupported_run(exec.error().code) ? ConformanceStatus::unsupported : ConformanceStatus::fail;
        return verdict(name, s, exec.error().message());
    }
    std::vector<fs::path> sets;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && e.path().filename().string().starts_with("test_data_set_")) sets.push_back(e.path());
    std::sort(sets.begin(), sets.end());
    if (sets.empty()) return verdict(name, ConformanceStatus::fail, "no test_data_set_* directory");
    for (const auto& set : sets) {
        auto inputs = read_series(set, "input");
        auto expected = read_series(set, "output");
        for (const auto* r : {&inputs, &expected})
            if (!*r) {
                const auto s = unsupported_load(r->error().code) ? ConformanceStatus::unsupported : ConformanceStatus::fail;
                return verdict(name, s, "test data: " + r->error().message());
            }
        auto got = exec->run(*inputs);
        if (!got) {
            const auto s = unsupported_run(got.error().code) ? ConformanceStatus::unsupported : ConformanceStatus::fail;
            return verdict(name, s, got.error().message());
        }
        if (got->size() != expected->size())
            return verdict(name, ConformanceStatus::fail, std::to_string(got->size()) + " outputs, expected " +
                                                              std::to_string(expected->size()));
        for (std::size_t i = 0; i < got->size(); ++i) {
            const std::string why = compare((*got)[i], (*expected)[i], rtol, atol);
            if (!why.empty())
                return verdict(name, ConformanceStatus::fail,
                               set.filename().string() + " output " + std::to_string(i) + ": " + why);
        }
    }
    return verdict(name, ConformanceStatus::pass, "");
}

std::vector<ConformanceResult> run_conformance(const ConformanceOptions& opts) {
    const std::regex re(opts.filter.empty() ? std::string(".*") : opts.filter);
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(opts.dir, ec)) {
        const std::string n = e.path().filename().string();
        if (e.is_directory() && n.starts_with("test_") && std::regex_search(n, re)) names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    std::vector<ConformanceResult> out;
    for (const auto& n : names) out.push_back(run_node_test((fs::path(opts.dir) / n).string(), opts.rtol, opts.atol));
    return out;
}

}  // namespace sigil::runtime
