#pragma once
// The shapes of the generated contract bindings (build/.../bindings/<contract>.hpp, written by
// sigil-abigen from the forge artifacts) and lookups over them.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi/event.hpp"
#include "core/bytes.hpp"

namespace sigil::bindings {

/// A custom error: name, canonical signature, 4-byte selector.
struct ErrorInfo {
    std::string_view name;
    std::string_view signature;
    std::array<std::uint8_t, 4> selector;
};

/// An event: name, canonical signature, topic 0 (keccak256 of the signature), and its declaration
/// with `indexed` markers and parameter names (what a log decoder needs).
struct EventInfo {
    std::string_view name;
    std::string_view signature;
    std::array<std::uint8_t, 32> topic;
    std::string_view declaration;
};

/// A function: name, canonical signature, 4-byte selector, and the canonical tuple of its return
/// values ("()" when none).
struct FunctionInfo {
    std::string_view name;
    std::string_view signature;
    std::array<std::uint8_t, 4> selector;
    std::string_view outputs;
};

/// The error among `errors` whose selector starts `revert_data`, if any.
std::optional<ErrorInfo> find_error(BytesView revert_data, std::span<const ErrorInfo> errors);

/// The name of the error `revert_data` starts with, searching each table in turn: "empty" for
/// fewer than 4 bytes, the selector in hex when no table knows it.
std::string revert_name(BytesView revert_data, std::initializer_list<std::span<const ErrorInfo>> tables);

/// The signature of every custom error of every bound contract (sorted, each once), for decoding
/// a revert from any of them.
const std::vector<std::string>& all_error_signatures();

/// topic 0 of the event.
inline Hash topic(const EventInfo& e) {
    Hash h{};
    std::copy(e.topic.begin(), e.topic.end(), h.begin());
    return h;
}

/// The event of `e` parsed from its declaration (once; thread-safe).
const abi::Event& event_abi(const EventInfo& e);

/// A log of event `e`: every parameter in declaration order (index it with
/// `arg::<Event>::<param>`); nothing when topic 0 is not the event's or the log does not decode.
std::optional<std::vector<abi::Value>> decode_event(const EventInfo& e, std::span<const Hash> topics, BytesView data);

/// The signature with the return types appended, "name(inputs)(outputs)", the form the devnet's
/// and the CLI's calls decode their results by.
inline std::string with_outputs(const FunctionInfo& f) { return std::string(f.signature) + std::string(f.outputs); }

/// The selector as bytes.
inline Bytes selector_bytes(const FunctionInfo& f) { return Bytes(f.selector.begin(), f.selector.end()); }

}  // namespace sigil::bindings
