#pragma once
/// Which characters Rust's `{:?}` (and so cast's output) escapes as `\u{..}`.

namespace sigil::abi::detail {

/// Whether `{:?}` of a string writes `cp` as `\u{hex}`: control, format, private-use and
/// separator characters other than ' ', grapheme extenders (combining marks), noncharacters.
bool debug_escapes(char32_t cp) noexcept;

}  // namespace sigil::abi::detail
