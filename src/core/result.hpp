#pragma once
/// A value or a named error, for the pure core where nothing throws (STYLE.md §5).

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace sigil {

/// Wraps an error value so that `Result<T, E>` can be built from it unambiguously.
template <typename E>
struct Unexpected {
    E error;
};

template <typename E>
Unexpected<std::decay_t<E>> fail(E&& e) {
    return {std::forward<E>(e)};
}

/// Either a `T` or an `E`. Accessing the wrong alternative is a bug (asserted), not an input error.
template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    template <typename G>
    Result(Unexpected<G> e) : v_(std::in_place_index<1>, E(std::move(e.error))) {}  // NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(v_); }
    const T& value() const& { assert(has_value()); return std::get<0>(v_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
    const E& error() const { assert(!has_value()); return std::get<1>(v_); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    template <typename U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> v_;
};

/// `Result<void, E>`: success or a named error.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    template <typename G>
    Result(Unexpected<G> e) : err_(E(std::move(e.error))), ok_(false) {}  // NOLINT

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const E& error() const { assert(!ok_); return err_; }

private:
    E err_{};
    bool ok_ = true;
};

}  // namespace sigil

/// Yields the value of a `Result` expression, or returns its error from the enclosing function
/// (a GNU statement expression, which g++ and clang support; `__extension__` keeps -Wpedantic quiet).
#define SIGIL_TRY(expr)                                                \
    __extension__({                                                    \
        auto&& sigil_try_r_ = (expr);                                  \
        if (!sigil_try_r_) return ::sigil::fail(sigil_try_r_.error()); \
        std::move(*sigil_try_r_);                                      \
    })

/// Returns the error of a `Result<void, E>` expression from the enclosing function.
#define SIGIL_TRY_VOID(expr)                                           \
    do {                                                               \
        auto&& sigil_try_r_ = (expr);                                  \
        if (!sigil_try_r_) return ::sigil::fail(sigil_try_r_.error()); \
    } while (false)
