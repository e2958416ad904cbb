#include "runtime/quant/quantize.hpp"

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime {

Result<QuantizedModel, QuantError> quantize_model(const FloatExecutor& fx, const std::vector<std::vector<Tensor>>& samples,
                                                  const QuantizeOptions& opts) {
    for (const auto& in : fx.model().inputs)
        if (in.dtype != DType::F32 && in.dtype != DType::I64 && in.dtype != DType::I32)
            return fail(QuantError{QuantErrc::unsupported_shape, "input '" + in.name + "' is not float32 or integer"});
    Calibration cal = SIGIL_TRY(calibrate(fx, samples, opts.calibration));
    detail::Lowerer L(fx.model(), cal);
    L.int32_logits = opts.int32_logits;
    SIGIL_TRY_VOID(L.run());
    auto program = std::move(L.b).finish();
    if (!program) return fail(QuantError{QuantErrc::program_invalid, std::string(ir::to_string(program.error()))});
    return QuantizedModel{std::move(*program), std::move(cal)};
}

}  // namespace sigil::runtime
