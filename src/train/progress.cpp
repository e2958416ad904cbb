#include "train/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <ostream>
#include <string>

namespace sigil::train {

namespace {
constexpr std::uint64_t kCells = 30;
}

void ProgressBar::update(const Progress& p) {
    if (!enabled_ || p.batches == 0) return;
    const std::uint64_t cells = p.batch * kCells / p.batches;
    if (p.epoch == last_epoch_ && cells == last_cells_ && p.batch != p.batches) return;
    if (p.epoch != last_epoch_ && drawn_) out_ << '\n';
    last_epoch_ = p.epoch;
    last_cells_ = cells;
    char loss[32];
    std::snprintf(loss, sizeof loss, "%.4f", p.loss);
    out_ << "\repoch " << p.epoch << '/' << p.epochs << " [" << std::string(cells, '#')
         << std::string(kCells - cells, '.') << "] " << p.batch << '/' << p.batches << " loss " << loss << std::flush;
    drawn_ = true;
}

void ProgressBar::finish() {
    if (drawn_) out_ << '\n' << std::flush;
    drawn_ = false;
}

bool stderr_is_tty() noexcept { return isatty(STDERR_FILENO) == 1; }

}  // namespace sigil::train
