#pragma once
/// A one-line progress bar for training loops, redrawn in place with '\r'.

#include <cstdint>
#include <iosfwd>

#include "train/ops.hpp"

namespace sigil::train {

/// Draws `epoch e/E [#####.....] b/B loss x` on `out`, redrawing only when the bar or the epoch
/// changes. Disabled bars print nothing. Not thread-safe.
class ProgressBar {
public:
    ProgressBar(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}
    ~ProgressBar() { finish(); }
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(const Progress& p);
    /// Ends the line if anything was drawn.
    void finish();

private:
    std::ostream& out_;
    bool enabled_;
    bool drawn_ = false;
    std::uint32_t last_epoch_ = 0;
    std::uint64_t last_cells_ = ~std::uint64_t{0};
};

/// True when stderr is a terminal.
bool stderr_is_tty() noexcept;

}  // namespace sigil::train
