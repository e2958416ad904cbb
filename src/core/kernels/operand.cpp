#include "core/kernels/operand.hpp"

#include "core/trace/chunks.hpp"

namespace sigil::kernels {

std::int32_t load_element(BytesView data, ir::DType dtype, std::uint64_t flat) noexcept {
    if (dtype == ir::DType::int8) return static_cast<std::int8_t>(data[static_cast<std::size_t>(flat)]);
    const auto b = static_cast<std::size_t>(flat * 4);
    const std::uint32_t u = std::uint32_t{data[b]} | (std::uint32_t{data[b + 1]} << 8) |
                            (std::uint32_t{data[b + 2]} << 16) | (std::uint32_t{data[b + 3]} << 24);
    return static_cast<std::int32_t>(u);
}

void store_element(std::span<std::uint8_t> data, ir::DType dtype, std::uint64_t flat, std::int32_t v) noexcept {
    const auto u = static_cast<std::uint32_t>(v);
    if (dtype == ir::DType::int8) {
        data[static_cast<std::size_t>(flat)] = static_cast<std::uint8_t>(u);
        return;
    }
    const auto b = static_cast<std::size_t>(flat * 4);
    for (std::size_t i = 0; i < 4; ++i) data[b + i] = static_cast<std::uint8_t>(u >> (8 * i));
}

std::int32_t Operand::at(std::uint64_t flat) const noexcept {
    const std::uint64_t width = ir::dtype_size(desc_->dtype);
    const std::uint64_t chunk = flat * width / trace::kChunkSize;
    if (touched_ != nullptr) touched_->insert(chunk);
    if (present_ != nullptr && (chunk >= present_->size() || !(*present_)[static_cast<std::size_t>(chunk)])) {
        missing_ = true;
        return 0;
    }
    return load_element(data_, desc_->dtype, flat);
}

std::int32_t Operand::at(const std::vector<std::uint32_t>& coords) const noexcept {
    return at(ravel(desc_->shape, coords));
}

std::uint64_t ravel(const std::vector<std::uint32_t>& shape, const std::vector<std::uint32_t>& coords) noexcept {
    std::uint64_t flat = 0;
    for (std::size_t i = 0; i < shape.size(); ++i) flat = flat * shape[i] + coords[i];
    return flat;
}

std::vector<std::uint32_t> unravel(const std::vector<std::uint32_t>& shape, std::uint64_t flat) {
    std::vector<std::uint32_t> c(shape.size());
    for (std::size_t i = shape.size(); i-- > 0;) {
        c[i] = static_cast<std::uint32_t>(flat % shape[i]);
        flat /= shape[i];
    }
    return c;
}

}  // namespace sigil::kernels
