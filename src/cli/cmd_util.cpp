#include <iostream>

#include "cli/commands.hpp"
#include "core/bytes.hpp"
#include "core/keccak.hpp"

namespace sigil::cli {

void add_key_options(CLI::App* cmd, chain::KeySource& src) {
    cmd->add_option("--private-key", src.private_key, "Raw private key (hex)");
    cmd->add_option("--keystore", src.keystore, "Web3 Secret Storage keystore file");
    cmd->add_option("--password-file", src.password_file, "File holding the keystore password");
    cmd->add_option("--password", src.password, "Keystore password (prefer --password-file)");
}

void register_util_commands(CLI::App& app) {
    auto* keccak = app.add_subcommand("keccak", "Keccak-256 of 0x-prefixed hex data or of UTF-8 text");
    auto data = std::make_shared<std::string>();
    keccak->add_option("data", *data, "0x-prefixed hex bytes, or text")->required();
    keccak->callback([data] {
        const std::string& d = *data;
        if (d.size() >= 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
            auto bytes = from_hex(d);
            if (!bytes) throw CliError(std::string("invalid hex data: ") + std::string(to_string(bytes.error())));
            std::cout << to_hex(keccak256(*bytes)) << '\n';
        } else {
            std::cout << to_hex(keccak256(std::string_view(d))) << '\n';
        }
    });
}

}  // namespace sigil::cli
