// `sigil onnx ...`: ONNX conformance of the float reference executor.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/commands.hpp"
#include "runtime/float/conformance.hpp"

namespace sigil::cli {

namespace {

struct ConformanceArgs {
    std::string dir{runtime::kOnnxNodeTestDir};
    std::string filter;
    bool json = false;
};

void run_conformance_command(const ConformanceArgs& a) {
    runtime::ConformanceOptions opts;
    opts.dir = a.dir;
    opts.filter = a.filter;
    std::vector<runtime::ConformanceResult> results;
    try {
        results = runtime::run_conformance(opts);
    } catch (const std::regex_error& e) {
        throw CliError("invalid --filter regex: " + std::string(e.what()));
    }
    if (results.empty()) throw CliError("no test_* directories matched in " + a.dir);
    std::size_t counts[3] = {0, 0, 0};
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : results) {
        ++counts[static_cast<std::size_t>(r.status)];
        if (a.json) {
            rows.push_back({{"name", r.name}, {"status", runtime::to_string(r.status)}, {"reason", r.reason}});
        } else {
            std::cout << runtime::to_string(r.status) << ' ' << r.name << (r.reason.empty() ? "" : ": " + r.reason) << '\n';
        }
    }
    if (a.json) {
        nlohmann::json out{{"dir", a.dir},          {"rtol", opts.rtol},         {"atol", opts.atol},
                           {"results", rows},       {"passed", counts[0]},       {"failed", counts[1]},
                           {"unsupported", counts[2]}};
        std::cout << out.dump(2) << '\n';
    } else {
        std::cout << "passed/failed/unsupported: " << counts[0] << '/' << counts[1] << '/' << counts[2]
                  << " (rtol " << opts.rtol << ", atol " << opts.atol << ")\n";
    }
}

}  // namespace

void register_onnx_commands(CLI::App& app) {
    auto* onnx = app.add_subcommand("onnx", "ONNX tools for the float reference executor");
    onnx->require_subcommand(1);
    auto args = std::make_shared<ConformanceArgs>();
    auto* conf = onnx->add_subcommand(
        "conformance",
        "Run ONNX node tests (model.onnx + test_data_set_*) against the float executor; compares like ONNX's "
        "backend runner (assert_allclose, rtol 1e-3, atol 1e-7)");
    conf->add_option("dir", args->dir, "directory of test_* node tests")->capture_default_str();
    conf->add_option("--filter", args->filter, "ECMAScript regex searched in test names");
    conf->add_flag("--json", args->json, "print JSON");
    conf->callback([args] { run_conformance_command(*args); });
}

}  // namespace sigil::cli
