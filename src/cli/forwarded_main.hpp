#pragma once
/// The main() of an executable that serves commands `sigil` forwards to it (sigil-train,
/// sigil-devnet): registers them and refuses to run when the forwarding table names other
/// commands than the ones registered.

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <span>

#include "cli/app.hpp"
#include "cli/commands.hpp"

namespace sigil::cli {

inline int forwarded_main(int argc, char** argv, const char* description, void (*register_commands)(CLI::App&),
                          std::span<const ForwardedCommand> table) {
    CLI::App app{description, "sigil"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sigil 0.1.0");
    register_commands(app);
    const auto subs = app.get_subcommands([](CLI::App*) { return true; });
    bool same = subs.size() == table.size();
    for (const auto& cmd : table) {
        same =
            same && std::any_of(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == cmd.name; });
    }
    if (!same) {
        std::cerr << "internal error: the forwarding table in `sigil` does not match the registered commands\n";
        return EXIT_FAILURE;
    }
    return run_app(app, argc, argv);
}

}  // namespace sigil::cli
