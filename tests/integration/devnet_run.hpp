#pragma once
/// What the `sigil devnet` end-to-end tests share: running the CLI with its output in a log file,
/// reading a file whole, a scratch directory per test (kept when the test failed), and the
/// devnet command line they all start from.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "anvil.hpp"

namespace sigil::itest {

/// Runs `args` with stdout and stderr in `log`; the exit status, or -1 when it did not exit.
inline int run_status(const std::vector<std::string>& args, const std::filesystem::path& log) {
    std::string cmd;
    for (const auto& a : args) cmd += "'" + a + "' ";
    cmd += ">'" + log.string() + "' 2>&1";
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A fresh directory `<tmp>/<prefix><pid>-<n>`, removed at the end unless the test failed.
struct Dir {
    explicit Dir(const std::string& prefix)
        : path(std::filesystem::temp_directory_path() /
               (prefix + std::to_string(::getpid()) + "-" + std::to_string(n++))) {
        std::filesystem::create_directories(path);
    }
    ~Dir() {
        if (!::testing::Test::HasFailure()) std::filesystem::remove_all(path);
    }
    Dir(const Dir&) = delete;
    Dir& operator=(const Dir&) = delete;

    std::filesystem::path path;
    static inline int n = 0;
};

/// The quick model is trained once per build tree and reused by every run.
inline const std::string kModelCache = std::string(SIGIL_BUILD_DIR) + "/devnet-models";

/// `sigil devnet --once` with three operators on `chain`, working in `dir`.
inline std::vector<std::string> devnet_args(const Anvil& chain, const Dir& dir) {
    return {SIGIL_CLI_PATH,    "devnet",        "--once",    "--rpc-url",   chain.url(), "--dir",
            dir.path.string(), "--model-cache", kModelCache, "--operators", "3"};
}

}  // namespace sigil::itest
