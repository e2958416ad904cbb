#include "node_process.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/ir/codec.hpp"
#include "runtime/exec/sample_models.hpp"

extern char** environ;

namespace sigil::itest {

NodeProcess::NodeProcess(const Anvil& node, const AvsDeployment& d, const chain::PrivateKey& key, NodeSetup s) {
    std::filesystem::create_directories(s.dir);
    config_ = s.dir / "node.toml";
    log_ = s.dir / "node.log";
    command_ = s.command;
    // A whole configuration given as text turns the API on only through its own [api] table.
    api_ = s.config_text.empty() ? s.api : s.config_text.find("[api]") != std::string::npos;
    std::ofstream out(config_);
    if (!s.config_text.empty()) {
        out << s.config_text;
        return;
    }
    out << "[chain]\nrpc_url = \"" << node.url() << "\"\nchain_id = 31337\nconfirmations = " << s.confirmations
        << "\npoll_interval_ms = 50\nstart_block = " << s.start_block << "\n\n[contracts]\ncoordinator = \""
        << to_checksum(d.coordinator) << "\"\noperator_registry = \"" << to_checksum(d.operator_registry)
        << "\"\nmodel_registry = \"" << to_checksum(d.model_registry) << "\"\n";
    if (d.dispute_game != Address{}) out << "dispute_game = \"" << to_checksum(d.dispute_game) << "\"\n";
    if (d.proof_market != Address{}) out << "proof_market = \"" << to_checksum(d.proof_market) << "\"\n";
    if (d.generation_game != Address{}) out << "generation_game = \"" << to_checksum(d.generation_game) << "\"\n";
    out << "\n[operator]\nprivate_key = \"" << to_hex(key.secret())
        << "\"\n\n[node]\ndata_dir = \"data\"\nworkers = 2\n\n";
    if (s.api) out << "[api]\nlisten = \"127.0.0.1:0\"\nrate_limit_per_second = " << s.rate_limit << "\n\n";
    out << "[[model]]\nprogram = \"" << s.program.string() << "\"\n[[model.price]]\ntoken = \""
        << to_checksum(d.pay_token) << "\"\nmin = \"" << s.min_price << "\"\n";
    out << "\n" << s.extra_toml << "\n";
}

NodeProcess::~NodeProcess() {
    if (pid_ > 0) kill9();
}

void NodeProcess::start() {
    if (pid_ > 0) throw std::logic_error("node already running");
    const std::string bin = SIGIL_CLI_PATH;
    std::vector<std::string> args = {bin, command_, "--config", config_.string(), "--dev-key"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::streampos log_start =
        std::filesystem::exists(log_) ? static_cast<std::streamoff>(std::filesystem::file_size(log_)) : 0;
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            ::dup2(fd, 2);
            ::dup2(fd, 1);
        }
        ::execve(bin.c_str(), argv.data(), environ);
        ::_exit(127);
    }
    // Wait for the "api listening" line (or "node started" without an API).
    const std::regex port_re("\"msg\":\"api listening\".*\"port\":([0-9]+)");
    // 30 s: a sanitizer build on a loaded machine starts slowly.
    for (int i = 0; i < 1200; ++i) {
        std::ifstream in(log_);
        in.seekg(log_start);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        std::smatch m;
        if (std::regex_search(text, m, port_re)) {
            port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
            return;
        }
        if (!api_ && text.find("\"msg\":\"node started\"") != std::string::npos) return;
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("sigil node exited at start: " + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("sigil node did not start");
}

void NodeProcess::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
}

void NodeProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
}

std::filesystem::path write_test_program(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto file = dir / "mlp.sigil";
    const Bytes b = ir::save_program(runtime::sample_mlp(1, 7));
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return file;
}

HttpReply http_get(std::uint16_t port, const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get(path);
    if (!r) return {0, httplib::to_string(r.error())};
    return {r->status, r->body};
}

HttpReply http_post(std::uint16_t port, const std::string& path, const std::string& body) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    auto r = c.Post(path, body, "application/json");
    if (!r) return {0, httplib::to_string(r.error())};
    return {r->status, r->body};
}

}  // namespace sigil::itest
