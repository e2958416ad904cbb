#pragma once
/// The shared front of the `sigil` executables: parse, run, and turn every failure into one line.

#include <CLI/CLI.hpp>

namespace sigil::cli {

/// Parses argv into `app` and runs the chosen command. Returns the process exit code: 0 on
/// success, 1 with `error: <message>` on stderr for a failure, CLI11's code for a usage error.
int run_app(CLI::App& app, int argc, char** argv);

}  // namespace sigil::cli
