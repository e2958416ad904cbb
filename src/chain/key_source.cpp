#include "chain/key_source.hpp"

#include <fstream>
#include <sstream>

namespace sigil::chain {

std::string_view to_string(KeySourceErrorKind k) noexcept {
    switch (k) {
        case KeySourceErrorKind::no_key: return "no_key";
        case KeySourceErrorKind::conflicting_sources: return "conflicting_sources";
        case KeySourceErrorKind::bad_private_key: return "bad_private_key";
        case KeySourceErrorKind::no_password: return "no_password";
        case KeySourceErrorKind::password_file: return "password_file";
        case KeySourceErrorKind::keystore: return "keystore";
    }
    return "unknown";
}

std::string KeySourceError::describe() const {
    switch (kind) {
        case KeySourceErrorKind::no_key: return "no key given (use --private-key or --keystore)";
        case KeySourceErrorKind::conflicting_sources: return "give either --private-key or --keystore, not both";
        case KeySourceErrorKind::bad_private_key: return "invalid private key";
        case KeySourceErrorKind::no_password: return "a keystore needs --password-file (or --password)";
        case KeySourceErrorKind::password_file: return "cannot read the password file";
        case KeySourceErrorKind::keystore: return "keystore: " + std::string(to_string(keystore_error));
    }
    return "unknown key source error";
}

Result<std::string, KeySourceError> read_password_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(KeySourceError{KeySourceErrorKind::password_file, {}});
    std::ostringstream text;
    text << in.rdbuf();
    std::string pw = text.str();
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
    return pw;
}

Result<PrivateKey, KeySourceError> load_key(const KeySource& src) {
    if (!src.private_key.empty() && !src.keystore.empty())
        return fail(KeySourceError{KeySourceErrorKind::conflicting_sources, {}});
    if (!src.private_key.empty()) {
        auto key = PrivateKey::from_hex(src.private_key);
        if (!key) return fail(KeySourceError{KeySourceErrorKind::bad_private_key, {}});
        return std::move(*key);
    }
    if (src.keystore.empty()) return fail(KeySourceError{KeySourceErrorKind::no_key, {}});
    std::string password = src.password;
    if (!src.password_file.empty()) {
        password = SIGIL_TRY(read_password_file(src.password_file));
    } else if (src.password.empty()) {
        return fail(KeySourceError{KeySourceErrorKind::no_password, {}});
    }
    auto key = read_keystore_file(src.keystore, password);
    if (!key) return fail(KeySourceError{KeySourceErrorKind::keystore, key.error()});
    return std::move(*key);
}

}  // namespace sigil::chain
