#pragma once
/// Runs ONNX's own node tests (onnx/backend/test/data/node: model.onnx plus
/// test_data_set_*/input_<i>.pb and output_<i>.pb) against the float executor.
///
/// Comparison follows ONNX's backend test runner (onnx/backend/test/runner, ONNX 1.12): output
/// count, dtype and shape must match exactly, values must satisfy numpy.testing.assert_allclose
/// with rtol = 1e-3, atol = 1e-7, i.e. |actual - expected| <= atol + rtol * |expected|, NaN
/// matching NaN.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sigil::runtime {

/// Default location of the node tests (Debian package libonnx-testdata).
inline constexpr std::string_view kOnnxNodeTestDir = "/usr/share/libonnx-testdata/data/node";

enum class ConformanceStatus : std::uint8_t {
    pass,
    fail,         ///< we ran it and got a wrong answer, or valid data was refused as malformed
    unsupported,  ///< the model needs an op, dtype, attribute or opset outside our claim
};

std::string_view to_string(ConformanceStatus s);

struct ConformanceResult {
    std::string name;  ///< the test directory's name, e.g. "test_gemm_alpha"
    ConformanceStatus status = ConformanceStatus::fail;
    std::string reason;  ///< empty on pass
};

struct ConformanceOptions {
    std::string dir{kOnnxNodeTestDir};
    std::string filter;  ///< ECMAScript regex searched in the test name; empty = all
    double rtol = 1e-3;
    double atol = 1e-7;
};

/// Runs one test directory.
ConformanceResult run_node_test(const std::string& test_dir, double rtol, double atol);

/// Runs every `test_*` directory under `opts.dir` whose name matches the filter, sorted by
/// name. Throws std::regex_error for an invalid filter; an unreadable dir gives no results.
std::vector<ConformanceResult> run_conformance(const ConformanceOptions& opts);

}  // namespace sigil::runtime
