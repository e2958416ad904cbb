#include "runtime/quant/agreement.hpp"

#include <algorithm>
#include <cmath>

#include "core/kernels/program_run.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/quant/int_run.hpp"

namespace sigil::runtime {

namespace {

std::size_t argmax(const float* v, std::size_t n) { return static_cast<std::size_t>(std::max_element(v, v + n) - v); }

}  // namespace

Result<Agreement, QuantError> measure_agreement(const FloatExecutor& fx, const ir::Program& program,
                                                const std::vector<std::vector<Tensor>>& samples) {
    Agreement a;
    double err_sum = 0;
    std::size_t err_n = 0;
    for (const auto& inputs : samples) {
        auto want = fx.run(inputs);
        if (!want) return fail(QuantError{QuantErrc::float_failed, want.error().message()});
        if (inputs.size() != program.inputs.size() || want->size() != program.outputs.size())
            return fail(QuantError{QuantErrc::calibration_mismatch, "input/output count differs from the program"});
        std::vector<Bytes> qin;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const auto& desc = program.tensors[program.inputs[i]];
            if (static_cast<std::uint64_t>(inputs[i].numel()) != ir::element_count(desc.shape))
                return fail(QuantError{QuantErrc::calibration_mismatch, "sample shape " + shape_str(inputs[i].shape)});
            qin.push_back(quantize_input(inputs[i], desc));
        }
        auto run = kernels::run_program(program, qin, kernels::Path::fast, detect_simd());
        if (!run) return fail(QuantError{QuantErrc::calibration_mismatch, std::string(kernels::to_string(run.error()))});
        const auto& bufs = *run;
        for (std::size_t o = 0; o < want->size(); ++o) {
            const auto& desc = program.tensors[program.outputs[o]];
            const Tensor got = dequantize(bufs[program.outputs[o]], desc);
            const auto& wf = (*want)[o].f();
            for (std::size_t i = 0; i < wf.size() && i < got.f().size(); ++i) {
                const double e = std::fabs(static_cast<double>(wf[i]) - static_cast<double>(got.f()[i]));
                a.max_abs_error = std::max(a.max_abs_error, e);
                a.float_abs_max = std::max(a.float_abs_max, std::fabs(static_cast<double>(wf[i])));
                err_sum += e;
                ++err_n;
            }
            if (o == 0 && !(*want)[0].shape.empty()) {
                const auto row = static_cast<std::size_t>((*want)[0].shape.back());
                for (std::size_t r = 0; row && r + row <= wf.size(); r += row) {
                    ++a.rows;
                    a.top1_agree += argmax(wf.data() + r, row) == argmax(got.f().data() + r, row);
                }
            }
        }
        ++a.samples;
    }
    a.mean_abs_error = err_n ? err_sum / static_cast<double>(err_n) : 0.0;
    return a;
}

}  // namespace sigil::runtime
