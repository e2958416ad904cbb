// `sigil wallet`: keys, keystores and message signing, matching `cast wallet` output.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chain/key_source.hpp"
#include "chain/keystore.hpp"
#include "chain/personal_message.hpp"
#include "chain/typed_data.hpp"
#include "cli/commands.hpp"

namespace sigil::cli {
namespace {

using chain::KeySource;

chain::PrivateKey require_key(const KeySource& src) {
    auto key = chain::load_key(src);
    if (!key) throw CliError(key.error().describe());
    return std::move(*key);
}

/// cast's rule: 0x-prefixed text is hex bytes (and must be valid hex), anything else UTF-8 text.
Bytes message_bytes(const std::string& msg) {
    if (msg.size() >= 2 && msg[0] == '0' && (msg[1] == 'x' || msg[1] == 'X')) {
        auto b = from_hex(msg);
        if (!b) throw CliError("invalid hex message: " + std::string(to_string(b.error())));
        return *b;
    }
    return Bytes(msg.begin(), msg.end());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CliError("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void register_new(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand("new", "Create a new random key (optionally as an encrypted keystore)");
    struct Opts {
        std::string dir, password, password_file;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--keystore-dir", o->dir, "Write an encrypted keystore into this directory");
    cmd->add_option("--password-file", o->password_file, "File holding the keystore password");
    cmd->add_option("--password", o->password, "Keystore password (prefer --password-file)");
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->callback([o] {
        auto key = chain::PrivateKey::generate();
        if (!key) throw CliError(std::string("cannot generate a key: ") + std::string(to_string(key.error())));
        const std::string address = to_checksum(key->address());
        if (o->dir.empty()) {
            if (o->json) {
                nlohmann::ordered_json j = nlohmann::ordered_json::array(
                    {{{"address", address}, {"private_key", to_hex(key->secret())}}});
                std::cout << j.dump(2) << '\n';
            } else {
                std::cout << "Successfully created new keypair.\nAddress:     " << address
                          << "\nPrivate key: " << to_hex(key->secret()) << '\n';
            }
            return;
        }
        std::string password = o->password;
        if (!o->password_file.empty()) {
            auto pw = chain::read_password_file(o->password_file);
            if (!pw) throw CliError(pw.error().describe());
            password = *pw;
        } else if (password.empty()) {
            throw CliError("a keystore needs --password-file (or --password)");
        }
        auto file = chain::write_keystore_file(*key, o->dir, password);
        if (!file) throw CliError(std::string("cannot write keystore: ") + std::string(to_string(file.error())));
        if (o->json) {
            nlohmann::ordered_json j = nlohmann::ordered_json::array({{{"address", address}, {"path", file->string()}}});
            std::cout << j.dump(2) << '\n';
        } else {
            std::cout << "Created new encrypted keystore file: " << file->string() << "\nAddress:    " << address
                      << '\n';
        }
    });
}

void register_address(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand("address", "Print the checksummed address of a key");
    auto src = std::make_shared<KeySource>();
    add_key_options(cmd, *src);
    cmd->callback([src] { std::cout << to_checksum(require_key(*src).address()) << '\n'; });
}

void register_sign(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand("sign", "Sign a message with EIP-191 personal_sign (like `cast wallet sign`)");
    struct Opts {
        KeySource src;
        std::string message;
        bool no_hash = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("message", o->message, "Text, or 0x-prefixed hex bytes")->required();
    cmd->add_flag("--no-hash", o->no_hash, "Sign the 32-byte message itself (no EIP-191 prefix)");
    add_key_options(cmd, o->src);
    cmd->callback([o] {
        const auto key = require_key(o->src);
        const Bytes msg = message_bytes(o->message);
        chain::Signature sig;
        if (o->no_hash) {
            if (msg.size() != 32) throw CliError("--no-hash needs a 32-byte 0x-prefixed hash");
            Hash h{};
            std::copy(msg.begin(), msg.end(), h.begin());
            sig = key.sign(h);
        } else {
            sig = chain::sign_personal_message(key, msg);
        }
        std::cout << to_hex(sig.to_rsv()) << '\n';
    });
}

void register_sign_typed_data(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand(
        "sign-typed-data", "Sign EIP-712 typed data from a JSON file (like `cast wallet sign --data --from-file`)");
    struct Opts {
        KeySource src;
        std::string file;
        bool hash_only = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("file", o->file, "JSON file with types, primaryType, domain, message")->required();
    cmd->add_flag("--hash", o->hash_only, "Print the EIP-712 digest instead of signing");
    add_key_options(cmd, o->src);
    cmd->callback([o] {
        auto td = chain::TypedData::parse(read_file(o->file));
        if (!td) throw CliError(std::string("invalid typed data: ") + std::string(to_string(td.error())));
        auto digest = td->signing_hash();
        if (!digest) throw CliError(std::string("invalid typed data: ") + std::string(to_string(digest.error())));
        if (o->hash_only) {
            std::cout << to_hex(*digest) << '\n';
            return;
        }
        std::cout << to_hex(require_key(o->src).sign(*digest).to_rsv()) << '\n';
    });
}

void register_verify(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand("verify", "Check an EIP-191 signature against an address");
    struct Opts {
        std::string message, signature, address;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("message", o->message, "Text, or 0x-prefixed hex bytes")->required();
    cmd->add_option("signature", o->signature, "65-byte signature r||s||v")->required();
    cmd->add_option("--address", o->address, "Expected signer")->required();
    cmd->callback([o] {
        auto sig_bytes = from_hex(o->signature);
        if (!sig_bytes) throw CliError("invalid signature hex");
        auto sig = chain::Signature::from_rsv(*sig_bytes);
        if (!sig) throw CliError(std::string("invalid signature: ") + std::string(to_string(sig.error())));
        auto expected = parse_address(o->address);
        if (!expected) throw CliError(std::string("invalid address: ") + std::string(to_string(expected.error())));
        auto who = chain::recover_personal_message(message_bytes(o->message), *sig);
        if (!who || *who != *expected) throw CliError("signature does not match " + to_checksum(*expected));
        std::cout << "Validation succeeded. Address " << to_checksum(*expected) << " signed this message.\n";
    });
}

void register_decrypt(CLI::App* wallet) {
    auto* cmd = wallet->add_subcommand("decrypt-keystore", "Print the private key inside a keystore file");
    auto src = std::make_shared<KeySource>();
    cmd->add_option("keystore", src->keystore, "Keystore file")->required();
    cmd->add_option("--password-file", src->password_file, "File holding the keystore password");
    cmd->add_option("--password", src->password, "Keystore password (prefer --password-file)");
    cmd->callback([src] { std::cout << to_hex(require_key(*src).secret()) << '\n'; });
}

}  // namespace

void register_wallet_commands(CLI::App& app) {
    auto* wallet = app.add_subcommand("wallet", "Keys, keystores and signatures");
    wallet->require_subcommand(1);
    register_new(wallet);
    register_address(wallet);
    register_sign(wallet);
    register_sign_typed_data(wallet);
    register_verify(wallet);
    register_decrypt(wallet);
}

}  // namespace sigil::cli
