#pragma once
/// Per-family fast paths, dispatched by run_items (internal to kernels).

#include <array>
#include <cstdint>
#include <vector>

#include "core/kernels/fast.hpp"
#include "core/kernels/operand.hpp"

namespace sigil::kernels::detail {

/// Items and runners per family; see fast.hpp for the contract.
std::uint64_t fully_connected_items(const OpIO& io);
void fully_connected_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd);
std::uint64_t conv2d_items(const OpIO& io);
void conv2d_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd);
std::uint64_t matmul_items(const OpIO& io);
void matmul_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);

std::uint64_t elementwise_items(const OpIO& io);
void elementwise_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t pool_items(const OpIO& io);
void pool_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t shape_items(const OpIO& io);
void shape_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t row_items(const OpIO& io);
void row_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);

/// Element-wise items cover this many output elements each.
inline constexpr std::uint64_t kBlock = 4096;

/// Per output axis, the element stride of an operand of shape `in` broadcast (numpy rules) to
/// `out`: 0 on the axes it is broadcast along.
std::vector<std::uint64_t> broadcast_strides(const std::vector<std::uint32_t>& in,
                                             const std::vector<std::uint32_t>& out);

/// Calls f(i, offset[0], .., offset[N-1]) for output elements i in [lo, hi) of shape `out`, the
/// offsets walking each operand by its per-axis `strides` (no division per element).
template <std::size_t N, typename F>
void strided_walk(const std::vector<std::uint32_t>& out, const std::array<std::vector<std::uint64_t>, N>& strides,
                  std::uint64_t lo, std::uint64_t hi, F&& f) {
    const std::size_t r = out.size();
    std::vector<std::uint32_t> c(r, 0);
    std::array<std::uint64_t, N> off{};
    std::uint64_t rest = lo;
    for (std::size_t k = r; k-- > 0;) {
        c[k] = static_cast<std::uint32_t>(rest % out[k]);
        rest /= out[k];
        for (std::size_t n = 0; n < N; ++n) off[n] += c[k] * strides[n][k];
    }
    for (std::uint64_t i = lo; i < hi; ++i) {
        f(i, off);
        for (std::size_t k = r; k-- > 0;) {
            ++c[k];
            for (std::size_t n = 0; n < N; ++n) off[n] += strides[n][k];
            if (c[k] < out[k]) break;
            for (std::size_t n = 0; n < N; ++n) off[n] -= strides[n][k] * out[k];
            c[k] = 0;
        }
    }
}

/// Operands of `io` as reference Operands (for rules computed element by element).
std::vector<Operand> operands(const OpIO& io);

/// int32 element `i` of a little-endian int32 layout.
inline std::int32_t load_i32(BytesView data, std::uint64_t i) noexcept {
    return load_element(data, ir::DType::int32, i);
}

}  // namespace sigil::kernels::detail
