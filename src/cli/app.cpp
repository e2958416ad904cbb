#include "cli/app.hpp"

#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "cli/commands.hpp"

namespace sigil::cli {

namespace {

/// The leading words of `argv` that name subcommands, level by level: the first word that names
/// none of the current level's subcommands (while that level has any) is an unknown command.
/// Checked before parsing, so that `--help` after a misspelled command is an error too instead of
/// the parent's help with exit status 0.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
    CLI::App* level = &app;
    std::string path = app.get_name();
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.empty() || word[0] == '-') return std::nullopt;
        const auto subs = level->get_subcommands([](CLI::App*) { return true; });
        if (subs.empty()) return std::nullopt;
        CLI::App* next = nullptr;
        for (CLI::App* s : subs) {
            if (s->check_name(word)) next = s;
        }
        if (next == nullptr) return path + " " + word;
        level = next;
        path += " " + word;
    }
    return std::nullopt;
}

}  // namespace

int run_app(CLI::App& app, int argc, char** argv) {
    if (const auto unknown = unknown_command(app, argc, argv)) {
        std::cerr << "error: unknown command '" << *unknown << "' (see '" << unknown->substr(0, unknown->rfind(' '))
                  << " --help')\n";
        return 1;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const CliError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

}  // namespace sigil::cli
