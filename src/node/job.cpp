#include "node/job.hpp"

#include <array>

namespace sigil::node {

namespace {
constexpr std::array<std::string_view, kJobStateCount> kNames = {
    "seen",      "running", "computed", "delivering", "delivered", "committing", "committed",
    "revealing", "revealed", "settling", "settled",   "failed",    "skipped",    "removed"};
}

std::string_view to_string(JobState s) noexcept { return kNames[static_cast<std::size_t>(s)]; }

std::optional<JobState> job_state_from_string(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == s) return static_cast<JobState>(i);
    }
    return std::nullopt;
}

bool is_final(JobState s) noexcept {
    return s == JobState::settled || s == JobState::failed || s == JobState::skipped || s == JobState::removed;
}

}  // namespace sigil::node
