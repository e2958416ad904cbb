#include "node/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace sigil::node {

namespace {
std::mutex g_mu;
std::atomic<int> g_level{static_cast<int>(LogLevel::info)};

const char* name(LogLevel l) {
    switch (l) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "info";
}

std::string timestamp() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}
}  // namespace

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }

void log_json(LogLevel level, std::string_view msg, const nlohmann::json& fields) {
    if (static_cast<int>(level) < g_level.load()) return;
    nlohmann::ordered_json line = {{"ts", timestamp()}, {"level", name(level)}, {"msg", msg}};
    if (fields.is_object()) {
        for (const auto& [k, v] : fields.items()) line[k] = nlohmann::ordered_json(v);
    }
    const std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    std::lock_guard lock(g_mu);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace sigil::node
