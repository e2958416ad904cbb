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
                          std::span<const ForwardedCommand> table, const char* group = nullptr,
                          std::span<const ForwardedCommand> group_table = {}) {
    CLI::App app{description, "sigil"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sigil 0.1.0");
    register_commands(app);
    const auto subs = app.get_subcommands([](CLI::App*) { return true; });
    const auto same_names = [](const std::vector<CLI::App*>& have, std::span<const ForwardedCommand> want,
                               std::size_t extra) {
        bool ok = have.size() == want.size() + extra;
        for (const auto& cmd : want) {
            ok = ok &&
                 std::any_of(have.begin(), have.end(), [&](const CLI::App* s) { return s->get_name() == cmd.name; });
        }
        return ok;
    };
    bool same = same_names(subs, table, group != nullptr ? 1 : 0);
    if (group != nullptr) {
        const auto it =
            std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == group; });
        same = same && it != subs.end() &&
               same_names((*it)->get_subcommands([](CLI::App*) { return true; }), group_table, 0);
    }
    if (!same) {
        std::cerr << "internal error: the forwarding table in `sigil` does not match the registered commands\n";
        return EXIT_FAILURE;
    }
    return run_app(app, argc, argv);
}

}  // namespace sigil::cli
