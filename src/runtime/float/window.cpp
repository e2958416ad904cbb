#include "runtime/float/detail/window.hpp"

namespace sigil::runtime::detail {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

Result<void, FloatError> read_attrs(const OpContext& c, Window& w) {
    const std::size_t k = w.in.size();
    w.strides = c.node.ints_or("strides", std::vector<std::int64_t>(k, 1));
    w.dilations = c.node.ints_or("dilations", std::vector<std::int64_t>(k, 1));
    const auto pads = c.node.ints_or("pads", std::vector<std::int64_t>(2 * k, 0));
    if (w.strides.size() != k || w.dilations.size() != k || pads.size() != 2 * k)
        return fail(c.err(FloatErrc::bad_attribute, "strides/dilations/pads length does not match spatial rank"));
    for (std::size_t i = 0; i < k; ++i) {
        if (w.strides[i] < 1 || w.dilations[i] < 1 || pads[i] < 0 || pads[k + i] < 0 || w.kernel[i] < 1)
            return fail(c.err(FloatErrc::bad_attribute, "non-positive stride/dilation/kernel or negative pad"));
    }
    w.pad_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(k));
    w.pad_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(k), pads.end());
    return {};
}

Result<void, FloatError> output_dims(const OpContext& c, Window& w, bool ceil_mode) {
    const std::string auto_pad = c.node.string_or("auto_pad", "NOTSET");
    const std::size_t k = w.in.size();
    w.out.resize(k);
    for (std::size_t i = 0; i < k; ++i) {
        const std::int64_t ek = (w.kernel[i] - 1) * w.dilations[i] + 1;
        const std::int64_t s = w.strides[i];
        if (auto_pad == "NOTSET") {
            const std::int64_t span = w.in[i] + w.pad_begin[i] + w.pad_end[i] - ek;
            w.out[i] = (ceil_mode ? ceil_div(span, s) : floor_div(span, s)) + 1;
        } else if (auto_pad == "VALID") {
            w.pad_begin[i] = w.pad_end[i] = 0;
            w.out[i] = (ceil_mode ? ceil_div(w.in[i] - ek, s) : floor_div(w.in[i] - ek, s)) + 1;
        } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
            w.out[i] = ceil_div(w.in[i], s);
            const std::int64_t total = std::max<std::int64_t>(0, (w.out[i] - 1) * s + ek - w.in[i]);
            const std::int64_t small = total / 2;
            w.pad_begin[i] = auto_pad == "SAME_UPPER" ? small : total - small;
            w.pad_end[i] = total - w.pad_begin[i];
        } else {
            return fail(c.err(FloatErrc::bad_attribute, "auto_pad='" + auto_pad + "'"));
        }
        if (w.out[i] < 1) return fail(c.err(FloatErrc::shape_mismatch, "window larger than padded input"));
    }
    return {};
}

void build_table(Window& w) {
    const std::size_t k = w.in.size();
    const std::int64_t no = w.out_size();
    const std::int64_t nk = w.kernel_size();
    const auto in_strides = strides_of(w.in);
    const auto out_strides = strides_of(w.out);
    const auto k_strides = strides_of(w.kernel);
    w.table.assign(static_cast<std::size_t>(no * nk), 0);
    for (std::int64_t o = 0; o < no; ++o) {
        for (std::int64_t q = 0; q < nk; ++q) {
            std::int64_t flat = 0;
            std::int64_t mark = 0;
            for (std::size_t d = 0; d < k; ++d) {
                const std::int64_t od = (o / out_strides[d]) % w.out[d];
                const std::int64_t kd = (q / k_strides[d]) % w.kernel[d];
                const std::int64_t id = od * w.strides[d] - w.pad_begin[d] + kd * w.dilations[d];
                if (id < 0 || id >= w.in[d]) {
                    const bool in_pads = id >= -w.pad_begin[d] && id < w.in[d] + w.pad_end[d];
                    mark = (mark == kOutsidePos || !in_pads) ? kOutsidePos : kPadPos;
                }
                flat += id * in_strides[d];
            }
            w.table[static_cast<std::size_t>(o * nk + q)] = mark != 0 ? mark : flat;
        }
    }
}

}  // namespace

Result<Window, FloatError> make_window(const OpContext& c, const Shape& in, const Shape& kernel, bool ceil_mode) {
    Window w;
    w.in = in;
    w.kernel = kernel;
    if (kernel.size() != in.size()) return fail(c.err(FloatErrc::bad_attribute, "kernel rank does not match spatial rank"));
    SIGIL_TRY_VOID(read_attrs(c, w));
    SIGIL_TRY_VOID(output_dims(c, w, ceil_mode));
    build_table(w);
    return w;
}

}  // namespace sigil::runtime::detail
