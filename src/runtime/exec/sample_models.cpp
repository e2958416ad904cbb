#include "runtime/exec/sample_models.hpp"

#include <cmath>
#include <random>
#include <stdexcept>

#include "core/ir/builder.hpp"

namespace sigil::runtime {
namespace {

constexpr double kStdUniform8 = 73.9;  // std of uniform int8 in [-128, 127]

std::vector<std::int8_t> weights(std::size_t n, std::mt19937_64& rng) {
    std::uniform_int_distribution<int> d(-127, 127);
    std::vector<std::int8_t> w(n);
    for (auto& v : w) v = static_cast<std::int8_t>(d(rng));
    return w;
}

std::vector<std::int32_t> biases(std::size_t n, std::mt19937_64& rng) {
    std::uniform_int_distribution<int> d(-20000, 20000);
    std::vector<std::int32_t> b(n);
    for (auto& v : b) v = d(rng);
    return b;
}

/// Requant that maps an accumulator over K products of int8 to roughly +-40.
ir::QScale fit_scale(std::uint64_t k) {
    return qscale_from_real(40.0 / (std::sqrt(static_cast<double>(k)) * kStdUniform8 * kStdUniform8));
}

ir::Quant act(std::int32_t zp) { return ir::Quant::per_tensor(zp, qscale_from_real(0.05)); }

ir::Program finish(ir::Builder&& b) {
    auto p = std::move(b).finish();
    if (!p) throw std::logic_error(std::string("sample model invalid: ") + std::string(ir::to_string(p.error())));
    return std::move(p).value();
}

ir::TensorId dense(ir::Builder& b, ir::TensorId x, std::uint32_t k, std::uint32_t n, bool relu, std::mt19937_64& rng) {
    const auto w = weights(std::size_t{n} * k, rng);
    const auto bias = biases(n, rng);
    const auto wt = b.constant_int8({n, k}, w, ir::Quant::per_channel(0, std::vector<ir::QScale>(n, qscale_from_real(0.01)), 0));
    const auto bt = b.constant_int32({n}, bias);
    return b.fully_connected(x, wt, bt, {fit_scale(k)}, act(-10), relu ? ir::Clamp{-10, 127} : ir::Clamp{});
}

ir::TensorId conv(ir::Builder& b, ir::TensorId x, std::uint32_t c, std::uint32_t oc, std::mt19937_64& rng) {
    const auto w = weights(std::size_t{oc} * c * 9, rng);
    const auto bias = biases(oc, rng);
    const auto wt = b.constant_int8({oc, c, 3, 3}, w, ir::Quant::per_tensor(0, qscale_from_real(0.01)));
    const auto bt = b.constant_int32({oc}, bias);
    ir::Window2d win;
    win.pads = {1, 1, 1, 1};
    return b.conv2d(x, wt, bt, win, {fit_scale(std::uint64_t{c} * 9)}, act(-10), {-10, 127});
}

}  // namespace

ir::QScale qscale_from_real(double r) {
    int exp = 0;
    const double frac = std::frexp(r, &exp);  // r = frac * 2^exp, frac in [0.5, 1)
    auto m = static_cast<std::int64_t>(std::llround(frac * 2147483648.0));
    if (m == (std::int64_t{1} << 31)) {
        m /= 2;
        ++exp;
    }
    // r = m * 2^-31 * 2^exp  =>  shift = -exp.
    return {static_cast<std::int32_t>(m), -exp};
}

ir::Program sample_mlp(std::uint32_t batch, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    ir::Builder b;
    auto x = b.input(ir::DType::int8, {batch, 784}, act(-5));
    x = dense(b, x, 784, 1024, true, rng);
    x = dense(b, x, 1024, 1024, true, rng);
    x = dense(b, x, 1024, 10, false, rng);
    b.mark_output(x);
    return finish(std::move(b));
}

ir::Program sample_cnn(std::uint32_t batch, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    ir::Builder b;
    auto x = b.input(ir::DType::int8, {batch, 1, 28, 28}, act(-5));
    ir::Window2d pool;
    pool.kernel = {2, 2};
    pool.stride = {2, 2};
    x = b.max_pool(conv(b, x, 1, 16, rng), pool);
    x = b.max_pool(conv(b, x, 16, 32, rng), pool);
    x = b.reshape(x, {batch, 32 * 7 * 7});
    x = dense(b, x, 32 * 7 * 7, 128, true, rng);
    x = dense(b, x, 128, 10, false, rng);
    b.mark_output(x);
    return finish(std::move(b));
}

}  // namespace sigil::runtime
