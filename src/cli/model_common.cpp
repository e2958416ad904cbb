#include "cli/model_common.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "cli/commands.hpp"
#include "core/ir/codec.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace sigil::cli {

ir::Program load_sigil(const std::string& path) {
    auto b = runtime::read_file_bytes(path);
    if (!b) throw CliError(b.error().message());
    auto p = ir::load_program(*b);
    if (!p) throw CliError(path + ": " + std::string(ir::to_string(p.error())));
    return std::move(*p);
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

nlohmann::json profile_json(const ir::Program& p, const std::vector<runtime::RunProfile>& runs) {
    using nlohmann::json;
    const auto us_median = [&](auto&& pick) {
        std::vector<double> v;
        for (const auto& r : runs) v.push_back(static_cast<double>(pick(r)) / 1e3);
        return median(std::move(v));
    };
    json ops = json::array();
    std::map<std::string, std::pair<unsigned, double>> kinds;
    double op_total = 0;
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const double us = us_median([&](const runtime::RunProfile& r) { return r.op_ns[i]; });
        const std::string kind(ir::to_string(p.ops[i].kind));
        ops.push_back({{"op", i}, {"kind", kind}, {"median_us", us}});
        kinds[kind].first += 1;
        kinds[kind].second += us;
        op_total += us;
    }
    json by_kind = json::object();
    for (const auto& [kind, v] : kinds) by_kind[kind] = {{"ops", v.first}, {"median_us", v.second}};
    const double commit_us = us_median([](const runtime::RunProfile& r) { return r.commit_ns; });
    return {{"ops", ops}, {"by_kind", by_kind}, {"ops_median_us", op_total}, {"commit_median_us", commit_us},
            {"commit_share", op_total > 0 ? commit_us / op_total : 0.0}};
}

}  // namespace sigil::cli
