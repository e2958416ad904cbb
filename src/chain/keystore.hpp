#pragma once
/// Web3 Secret Storage v3 keystore files
/// (https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/).
///
/// Reading accepts the scrypt and pbkdf2 (hmac-sha256) KDFs with aes-128-ctr; writing uses scrypt
/// with a fresh random salt and IV and a random (v4) UUID. The MAC, keccak256(dk[16..32] ||
/// ciphertext), is checked before anything is decrypted, so a wrong password is always reported
/// as `wrong_password` and never yields a wrong key.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "chain/keys.hpp"
#include "core/result.hpp"

namespace sigil::chain {

/// Every way a keystore can be refused.
enum class KeystoreError {
    invalid_json,          ///< not JSON, or a required field is missing or of the wrong type
    unsupported_version,   ///< `version` is not 3
    unsupported_kdf,       ///< a KDF other than scrypt / pbkdf2 with hmac-sha256
    unsupported_cipher,    ///< a cipher other than aes-128-ctr
    bad_kdf_params,        ///< KDF parameters out of range (dklen < 32, n not a power of two, ...)
    bad_hex,               ///< a hex field (salt, iv, ciphertext, mac) does not decode or has the wrong size
    wrong_password,        ///< the MAC does not match: wrong password (or a corrupted file)
    invalid_key,           ///< the decrypted secret is not a valid secp256k1 key
    crypto_failure,        ///< the KDF or cipher failed inside OpenSSL (e.g. out of memory)
    entropy_unavailable,   ///< no randomness for a new salt/IV
    io_error,              ///< the file could not be read or written
};
std::string_view to_string(KeystoreError e) noexcept;

/// scrypt cost parameters for new keystores. The default matches `cast wallet new` (n = 2^13);
/// geth's "standard" strength is n = 2^18.
struct ScryptParams {
    std::uint64_t n = 8192;
    std::uint32_t r = 8;
    std::uint32_t p = 1;
};

/// Decrypts a keystore's JSON text with `password`.
Result<PrivateKey, KeystoreError> decrypt_keystore(std::string_view json_text, std::string_view password);

/// Encrypts `key` into keystore JSON text (scrypt, aes-128-ctr, fresh salt/IV/UUID).
Result<std::string, KeystoreError> encrypt_keystore(const PrivateKey& key, std::string_view password,
                                                    const ScryptParams& params = {});

/// Reads and decrypts a keystore file.
Result<PrivateKey, KeystoreError> read_keystore_file(const std::filesystem::path& file, std::string_view password);

/// Encrypts `key` and writes it as `<dir>/<uuid>` (mode 0600), returning the file's path.
Result<std::filesystem::path, KeystoreError> write_keystore_file(const PrivateKey& key, const std::filesystem::path& dir,
                                                                 std::string_view password,
                                                                 const ScryptParams& params = {});

}  // namespace sigil::chain
