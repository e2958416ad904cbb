#include "runtime/quant/calibrate.hpp"

#include <algorithm>
#include <cmath>

namespace sigil::runtime {

namespace {

struct Collector {
    bool keep_values = false;
    std::map<std::string, ValueRange> ranges;
    std::map<std::string, std::vector<float>> values;
    std::string shape_error;

    void add(const std::string& name, const Tensor& t) {
        if (t.dtype != DType::F32 || t.f().empty()) return;
        auto [it, fresh] = ranges.try_emplace(name);
        ValueRange& r = it->second;
        const auto [mn, mx] = std::minmax_element(t.f().begin(), t.f().end());
        if (fresh) {
            r = ValueRange{static_cast<double>(*mn), static_cast<double>(*mx), t.shape};
        } else {
            if (r.shape != t.shape && shape_error.empty()) shape_error = "'" + name + "' changes shape between samples";
            r.lo = std::min(r.lo, static_cast<double>(*mn));
            r.hi = std::max(r.hi, static_cast<double>(*mx));
        }
        if (keep_values) values[name].insert(values[name].end(), t.f().begin(), t.f().end());
    }
};

double percentile_of(std::vector<float>& v, double p) {
    const auto k = static_cast<std::size_t>(std::llround(p / 100.0 * static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<double>(v[k]);
}

}  // namespace

Result<Calibration, QuantError> calibrate(const FloatExecutor& fx, const std::vector<std::vector<Tensor>>& samples,
                                          const CalibrationOptions& opts) {
    if (samples.empty()) return fail(QuantError{QuantErrc::calibration_empty, ""});
    if (!(opts.percentile > 50 && opts.percentile <= 100))
        return fail(QuantError{QuantErrc::calibration_mismatch, "percentile must be in (50, 100]"});
    Collector col;
    col.keep_values = opts.percentile < 100;
    // The smallest row maximum (rows along the last axis) of every graph output, for the window.
    std::map<std::string, double> row_max;
    const auto rows = [&](const std::string& name, const Tensor& t) {
        if (opts.logit_window <= 0 || t.dtype != DType::F32 || t.shape.empty() || t.shape.back() <= 0) return;
        const auto& out = fx.model().outputs;
        if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.name == name; })) return;
        const auto len = static_cast<std::size_t>(t.shape.back());
        for (std::size_t at = 0; at + len <= t.f().size(); at += len) {
            const double m = *std::max_element(t.f().begin() + static_cast<std::ptrdiff_t>(at),
                                               t.f().begin() + static_cast<std::ptrdiff_t>(at + len));
            auto [it, fresh] = row_max.try_emplace(name, m);
            if (!fresh) it->second = std::min(it->second, m);
        }
    };
    for (std::size_t s = 0; s < samples.size(); ++s) {
        const auto& inputs = samples[s];
        for (std::size_t i = 0; i < inputs.size() && i < fx.model().inputs.size(); ++i)
            col.add(fx.model().inputs[i].name, inputs[i]);
        auto r = fx.run(inputs, [&](std::size_t, const OnnxNode& n, const std::vector<Tensor>& outs) {
            for (std::size_t i = 0; i < n.outputs.size() && i < outs.size(); ++i)
                if (!n.outputs[i].empty()) {
                    col.add(n.outputs[i], outs[i]);
                    rows(n.outputs[i], outs[i]);
                }
        });
        if (!r) return fail(QuantError{QuantErrc::float_failed, "sample " + std::to_string(s) + ": " + r.error().message()});
    }
    if (!col.shape_error.empty()) return fail(QuantError{QuantErrc::calibration_mismatch, col.shape_error});
    if (!(opts.logit_window >= 0)) return fail(QuantError{QuantErrc::calibration_mismatch, "logit window must be >= 0"});
    if (col.keep_values)
        for (auto& [name, v] : col.values) {
            col.ranges[name].lo = percentile_of(v, 100.0 - opts.percentile);
            col.ranges[name].hi = percentile_of(v, opts.percentile);
        }
    if (opts.logit_window > 0) {
        for (const auto& [name, least] : row_max) {
            ValueRange& r = col.ranges[name];
            r.lo = std::max(r.lo, std::min(least - opts.logit_window, r.hi));
        }
    }
    return col.ranges;
}

}  // namespace sigil::runtime
