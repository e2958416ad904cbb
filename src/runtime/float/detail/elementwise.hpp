#pragma once
/// Broadcasting loops shared by the elementwise op files. Internal to runtime/float.

#include <type_traits>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

/// out[i] = f(a[ia], b[ib]) over the numpy broadcast of a's and b's shapes.
template <typename T, typename R, typename F>
void broadcast_binary(const Tensor& a, const Tensor& b, Tensor& out, F f) {
    const auto& va = a.vec<T>();
    const auto& vb = b.vec<T>();
    auto& vo = out.vec<R>();
    if (a.shape == b.shape) {
        for (std::size_t i = 0; i < vo.size(); ++i) vo[i] = f(va[i], vb[i]);
        return;
    }
    const Shape& os = out.shape;
    if (vo.empty()) return;
    if (os.empty()) {
        vo[0] = f(va[0], vb[0]);
        return;
    }
    const auto sa = broadcast_strides(a.shape, os);
    const auto sb = broadcast_strides(b.shape, os);
    const std::size_t r = os.size();
    const std::int64_t inner = os[r - 1];
    std::vector<std::int64_t> idx(r, 0);
    std::int64_t ia = 0;
    std::int64_t ib = 0;
    std::size_t o = 0;
    while (true) {
        std::int64_t pa = ia;
        std::int64_t pb = ib;
        for (std::int64_t k = 0; k < inner; ++k, pa += sa[r - 1], pb += sb[r - 1])
            vo[o++] = f(va[static_cast<std::size_t>(pa)], vb[static_cast<std::size_t>(pb)]);
        // Advance the outer multi-index (axes 0..r-2), odometer style.
        std::size_t d = r - 1;
        for (;;) {
            if (d == 0) return;
            --d;
            ++idx[d];
            ia += sa[d];
            ib += sb[d];
            if (idx[d] < os[d]) break;
            ia -= sa[d] * os[d];
            ib -= sb[d] * os[d];
            idx[d] = 0;
        }
    }
}

/// Wrapping (two's complement) add/sub/mul for integers; plain for floats.
template <typename T>
T wrap_add(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<decltype(a + b)>;
        return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
    } else {
        return a + b;
    }
}
template <typename T>
T wrap_sub(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<decltype(a + b)>;
        return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
    } else {
        return a - b;
    }
}
template <typename T>
T wrap_mul(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<decltype(a * b)>;
        return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
    } else {
        return a * b;
    }
}

}  // namespace sigil::runtime::detail
