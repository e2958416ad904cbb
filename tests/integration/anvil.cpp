#include "anvil.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sigil::itest {
namespace {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// The default anvil mnemonic's first ten keys ("test test ... junk").
constexpr std::array<const char*, 10> kAnvilKeys = {
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
};

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv) {
    std::string cmd;
    for (const auto& a : argv) cmd += shell_quote(a) + " ";
    cmd += "2>/dev/null";
    CommandResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
    return r;
}

std::string foundry_tool(const std::string& tool) {
    return std::string(SIGIL_SOURCE_DIR) + "/contracts/node_modules/.bin/" + tool;
}

Bytes fixture_bytecode() {
    namespace fs = std::filesystem;
    const fs::path contracts = fs::path(SIGIL_SOURCE_DIR) / "contracts";
    fs::path artifact = contracts / "out/Fixture.sol/Fixture.json";
    if (!fs::exists(artifact)) {
        // Build just the fixture into a private directory; never touch the source tree's out/.
        const fs::path tmp = fs::temp_directory_path() / ("sigil-itest-forge-" + std::to_string(::getpid()));
        const auto r = run_command({foundry_tool("forge"), "build", "--root", contracts.string(),
                                    "src/test/Fixture.sol", "--out", (tmp / "out").string(), "--cache-path",
                                    (tmp / "cache").string()});
        if (r.status != 0) throw std::runtime_error("forge build of Fixture.sol failed");
        artifact = tmp / "out/Fixture.sol/Fixture.json";
    }
    std::ifstream in(artifact);
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = chain::Json::parse(text.str());
    auto code = from_hex(doc["bytecode"]["object"].get<std::string>());
    if (!code || code->empty()) throw std::runtime_error("Fixture artifact has no bytecode");
    return *code;
}

Anvil::Anvil() {
    const int port = free_port();
    const std::string bin = foundry_tool("anvil");
    // No state snapshots on disk: anvil leaves them behind in ~/.foundry/anvil/tmp (gigabytes a run).
    std::vector<std::string> args = {bin,         "--port",   std::to_string(port), "--host", "127.0.0.1",
                                     "--silent", "--max-persisted-states", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("cannot fork for " + bin);
    if (pid_ == 0) {
        // The node dies with the test process, even if the test crashes.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        ::execve(bin.c_str(), argv.data(), environ);
        ::_exit(127);
    }
    url_ = "http://127.0.0.1:" + std::to_string(port);
    rpc_ = std::make_unique<chain::RpcClient>(std::make_shared<chain::HttpTransport>(url_),
                                              chain::RpcOptions{std::chrono::milliseconds(10'000), 1,
                                                                std::chrono::milliseconds(0),
                                                                std::chrono::milliseconds(0)});
    eth_ = std::make_unique<chain::EthClient>(*rpc_);
    for (int i = 0; i < 200; ++i) {
        if (eth_->chain_id()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("anvil did not start on " + url_);
}

Anvil::~Anvil() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

chain::PrivateKey Anvil::account(int i) { return *chain::PrivateKey::from_hex(kAnvilKeys.at(static_cast<std::size_t>(i))); }

Anvil& anvil() {
    static Anvil node;
    return node;
}

}  // namespace sigil::itest
