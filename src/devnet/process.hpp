#pragma once
/// Child processes the devnet starts (anvil, nodes): started with their output in a log file,
/// killed with the devnet even if it crashes (PR_SET_PDEATHSIG), stopped (SIGTERM, then SIGKILL
/// after a grace period) and reaped when the object goes away. Plus the stop flag that SIGINT and
/// SIGTERM raise, which the devnet's loops poll.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace sigil::devnet {

class ChildProcess {
public:
    /// Starts argv[0] (a path) with `argv`; stdout and stderr go to `log` (appended).
    ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    /// Whether it is still running (reaps it if it exited).
    bool running();
    /// Exit status once it exited (-1 while running or when killed by a signal).
    int exit_status() const noexcept { return status_; }
    /// SIGTERM, then SIGKILL after `grace`; waits for it.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

private:
    pid_t pid_ = -1;
    int status_ = -1;
    bool reaped_ = false;
};

/// A free TCP port on 127.0.0.1 (bound and released; good enough for a local devnet).
int free_port();

/// Installs SIGINT/SIGTERM handlers that raise the stop flag (idempotent).
void install_stop_handlers();
/// Whether SIGINT or SIGTERM arrived.
bool stop_requested() noexcept;
/// Sleeps up to `d`, returning early (false) when a stop was requested.
bool sleep_unless_stopped(std::chrono::milliseconds d);

}  // namespace sigil::devnet
