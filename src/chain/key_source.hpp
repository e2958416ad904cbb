#pragma once
/// Loading a signing key from what an operator configures: a raw private key, or a keystore file
/// plus its password (inline or in a file). Exactly one source must be given.

#include <string>
#include <string_view>

#include "chain/keys.hpp"
#include "chain/keystore.hpp"

namespace sigil::chain {

enum class KeySourceErrorKind {
    no_key,              ///< neither a private key nor a keystore given
    conflicting_sources, ///< both a private key and a keystore given
    bad_private_key,     ///< the private key text is not a valid secp256k1 key
    no_password,         ///< a keystore without a password or password file
    password_file,       ///< the password file cannot be read
    keystore,            ///< the keystore cannot be read or decrypted (see `keystore_error`)
};
std::string_view to_string(KeySourceErrorKind k) noexcept;

struct KeySourceError {
    KeySourceErrorKind kind = KeySourceErrorKind::no_key;
    KeystoreError keystore_error = KeystoreError::io_error;  ///< for `keystore`
    /// One line for users, e.g. "keystore: wrong_password".
    std::string describe() const;
};

struct KeySource {
    std::string private_key;    ///< hex, with or without 0x
    std::string keystore;       ///< path of a keystore file
    std::string password;       ///< inline password (discouraged)
    std::string password_file;  ///< file whose content (trailing newlines removed) is the password
};

/// Loads the key described by `src`.
Result<PrivateKey, KeySourceError> load_key(const KeySource& src);

/// Reads a password file, removing trailing CR/LF.
Result<std::string, KeySourceError> read_password_file(const std::string& path);

}  // namespace sigil::chain
