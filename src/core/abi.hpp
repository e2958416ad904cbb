#pragma once
/// The Solidity ABI (namespace `sigil::abi`): types and signatures, values, argument text,
/// encoding and strict decoding, cast-compatible formatting, events and reverts.

#include "core/abi/args.hpp"    // IWYU pragma: export
#include "core/abi/codec.hpp"   // IWYU pragma: export
#include "core/abi/error.hpp"   // IWYU pragma: export
#include "core/abi/event.hpp"   // IWYU pragma: export
#include "core/abi/format.hpp"  // IWYU pragma: export
#include "core/abi/revert.hpp"  // IWYU pragma: export
#include "core/abi/type.hpp"    // IWYU pragma: export
#include "core/abi/value.hpp"   // IWYU pragma: export
