#pragma once
/// Structured logs: one JSON object per line on stderr, `{"ts":..., "level":..., "msg":..., ...}`.
/// Thread-safe.

#include <nlohmann/json.hpp>
#include <string_view>

namespace sigil::node {

enum class LogLevel { debug, info, warn, error };

/// Writes one line with `fields` merged in (fields must be a JSON object or null).
void log_json(LogLevel level, std::string_view msg, const nlohmann::json& fields = nullptr);

/// Messages below `level` are dropped (default info).
void set_log_level(LogLevel level);

}  // namespace sigil::node
