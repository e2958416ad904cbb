#pragma once
/// What `sigil model` and `sigil lm` share: reading a .sigil program, timing summaries.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ir/program.hpp"
#include "runtime/exec/executor.hpp"

namespace sigil::cli {

/// The program in a .sigil file; CliError naming the file when it cannot be read or decoded.
ir::Program load_sigil(const std::string& path);

/// The median of `v` (0 for none).
double median(std::vector<double> v);

/// Medians over the profiled runs of `p`: per op, summed per op kind, and of the commitment, in
/// microseconds; commit_share is the commitment's median over the summed op medians.
nlohmann::json profile_json(const ir::Program& p, const std::vector<runtime::RunProfile>& runs);

}  // namespace sigil::cli
