#include "chain/keystore.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "chain/random.hpp"
#include "core/keccak.hpp"

namespace sigil::chain {
namespace {

using nlohmann::json;

constexpr std::size_t kDkLen = 32;

Result<Bytes, KeystoreError> random_bytes(std::size_t n) {
    Bytes out(n);
    if (!system_random().fill(out)) return fail(KeystoreError::entropy_unavailable);
    return out;
}

Result<Bytes, KeystoreError> scrypt(std::string_view password, BytesView salt, std::uint64_t n, std::uint64_t r,
                                    std::uint64_t p, std::size_t dklen) {
    Bytes dk(dklen);
    // Memory needed is about 128 * r * (n + p); give OpenSSL that plus headroom.
    const std::uint64_t maxmem = 128 * r * (n + p + 2) + (1u << 20);
    if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n, r, p, maxmem, dk.data(),
                       dk.size()) != 1)
        return fail(KeystoreError::crypto_failure);
    return dk;
}

Result<Bytes, KeystoreError> pbkdf2_sha256(std::string_view password, BytesView salt, std::uint64_t c,
                                           std::size_t dklen) {
    Bytes dk(dklen);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), static_cast<int>(c), EVP_sha256(),
                          static_cast<int>(dk.size()), dk.data()) != 1)
        return fail(KeystoreError::crypto_failure);
    return dk;
}

/// AES-128-CTR is its own inverse: the same call encrypts and decrypts.
Result<Bytes, KeystoreError> aes128_ctr(BytesView key16, BytesView iv16, BytesView in) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (ctx == nullptr) return fail(KeystoreError::crypto_failure);
    Bytes out(in.size() + 16);
    int len = 0;
    int fin = 0;
    const bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key16.data(), iv16.data()) == 1 &&
                    EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
                    EVP_EncryptFinal_ex(ctx, out.data() + len, &fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) return fail(KeystoreError::crypto_failure);
    out.resize(static_cast<std::size_t>(len + fin));
    return out;
}

Hash mac_of(BytesView dk, BytesView ciphertext) { return keccak256(concat({dk.subspan(16, 16), ciphertext})); }

Result<Bytes, KeystoreError> hex_field(const json& obj, const char* name) {
    if (!obj.contains(name) || !obj[name].is_string()) return fail(KeystoreError::invalid_json);
    auto bytes = from_hex(obj[name].get<std::string>());
    if (!bytes) return fail(KeystoreError::bad_hex);
    return std::move(*bytes);
}

Result<std::uint64_t, KeystoreError> uint_field(const json& obj, const char* name) {
    if (!obj.contains(name) || !obj[name].is_number_unsigned()) return fail(KeystoreError::invalid_json);
    return obj[name].get<std::uint64_t>();
}

Result<Bytes, KeystoreError> derive_key(const json& crypto, std::string_view password) {
    if (!crypto.contains("kdf") || !crypto["kdf"].is_string() || !crypto.contains("kdfparams") ||
        !crypto["kdfparams"].is_object())
        return fail(KeystoreError::invalid_json);
    const std::string kdf = crypto["kdf"].get<std::string>();
    const json& params = crypto["kdfparams"];
    const auto dklen = SIGIL_TRY(uint_field(params, "dklen"));
    if (dklen < kDkLen || dklen > 64) return fail(KeystoreError::bad_kdf_params);
    const Bytes salt = SIGIL_TRY(hex_field(params, "salt"));
    if (kdf == "scrypt") {
        const auto n = SIGIL_TRY(uint_field(params, "n"));
        const auto r = SIGIL_TRY(uint_field(params, "r"));
        const auto p = SIGIL_TRY(uint_field(params, "p"));
        // Power-of-two n; bounded so a hostile file cannot demand unbounded memory (2^20 * r=8: 1 GiB).
        if (n < 2 || (n & (n - 1)) != 0 || n > (1u << 20) || r == 0 || r > 32 || p == 0 || p > 16)
            return fail(KeystoreError::bad_kdf_params);
        return scrypt(password, salt, n, r, p, dklen);
    }
    if (kdf == "pbkdf2") {
        if (!params.contains("prf") || params["prf"] != "hmac-sha256") return fail(KeystoreError::unsupported_kdf);
        const auto c = SIGIL_TRY(uint_field(params, "c"));
        if (c == 0 || c > (1u << 24)) return fail(KeystoreError::bad_kdf_params);
        return pbkdf2_sha256(password, salt, c, dklen);
    }
    return fail(KeystoreError::unsupported_kdf);
}

Result<json, KeystoreError> parse_json(std::string_view text) {
    json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return fail(KeystoreError::invalid_json);
    return doc;
}

std::string uuid_v4(const Bytes& r) {
    Bytes b(r.begin(), r.begin() + 16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const std::string h = to_hex(b, false);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace

std::string_view to_string(KeystoreError e) noexcept {
    switch (e) {
        case KeystoreError::invalid_json: return "invalid_json";
        case KeystoreError::unsupported_version: return "unsupported_version";
        case KeystoreError::unsupported_kdf: return "unsupported_kdf";
        case KeystoreError::unsupported_cipher: return "unsupported_cipher";
        case KeystoreError::bad_kdf_params: return "bad_kdf_params";
        case KeystoreError::bad_hex: return "bad_hex";
        case KeystoreError::wrong_password: return "wrong_password";
        case KeystoreError::invalid_key: return "invalid_key";
        case KeystoreError::crypto_failure: return "crypto_failure";
        case KeystoreError::entropy_unavailable: return "entropy_unavailable";
        case KeystoreError::io_error: return "io_error";
    }
    return "unknown";
}

Result<PrivateKey, KeystoreError> decrypt_keystore(std::string_view json_text, std::string_view password) {
    const json doc = SIGIL_TRY(parse_json(json_text));
    if (!doc.contains("version") || !doc["version"].is_number_integer()) return fail(KeystoreError::invalid_json);
    if (doc["version"].get<std::int64_t>() != 3) return fail(KeystoreError::unsupported_version);
    // Some writers use "Crypto" (geth before 1.4).
    const char* crypto_key = doc.contains("crypto") ? "crypto" : "Crypto";
    if (!doc.contains(crypto_key) || !doc[crypto_key].is_object()) return fail(KeystoreError::invalid_json);
    const json& crypto = doc[crypto_key];
    if (!crypto.contains("cipher") || !crypto["cipher"].is_string()) return fail(KeystoreError::invalid_json);
    if (crypto["cipher"] != "aes-128-ctr") return fail(KeystoreError::unsupported_cipher);
    if (!crypto.contains("cipherparams") || !crypto["cipherparams"].is_object())
        return fail(KeystoreError::invalid_json);
    const Bytes iv = SIGIL_TRY(hex_field(crypto["cipherparams"], "iv"));
    const Bytes ciphertext = SIGIL_TRY(hex_field(crypto, "ciphertext"));
    const Bytes mac = SIGIL_TRY(hex_field(crypto, "mac"));
    if (iv.size() != 16 || mac.size() != 32 || ciphertext.size() != 32) return fail(KeystoreError::bad_hex);
    Bytes dk = SIGIL_TRY(derive_key(crypto, password));
    const Hash expected = mac_of(dk, ciphertext);
    if (!std::equal(expected.begin(), expected.end(), mac.begin())) return fail(KeystoreError::wrong_password);
    Bytes secret = SIGIL_TRY(aes128_ctr(BytesView(dk).first(16), iv, ciphertext));
    auto key = PrivateKey::from_bytes(secret);
    std::fill(secret.begin(), secret.end(), std::uint8_t{0});
    std::fill(dk.begin(), dk.end(), std::uint8_t{0});
    if (!key) return fail(KeystoreError::invalid_key);
    return std::move(*key);
}

Result<std::string, KeystoreError> encrypt_keystore(const PrivateKey& key, std::string_view password,
                                                    const ScryptParams& params) {
    const Bytes rnd = SIGIL_TRY(random_bytes(32 + 16 + 16));
    const BytesView salt = BytesView(rnd).first(32);
    const BytesView iv = BytesView(rnd).subspan(32, 16);
    Bytes dk = SIGIL_TRY(scrypt(password, salt, params.n, params.r, params.p, kDkLen));
    const Bytes ciphertext = SIGIL_TRY(aes128_ctr(BytesView(dk).first(16), iv, as_bytes(key.secret())));
    const Hash mac = mac_of(dk, ciphertext);
    std::fill(dk.begin(), dk.end(), std::uint8_t{0});
    json doc = {
        {"version", 3},
        {"id", uuid_v4(Bytes(rnd.begin() + 48, rnd.end()))},
        {"address", to_hex(key.address(), false)},
        {"crypto",
         {{"cipher", "aes-128-ctr"},
          {"cipherparams", {{"iv", to_hex(iv, false)}}},
          {"ciphertext", to_hex(ciphertext, false)},
          {"kdf", "scrypt"},
          {"kdfparams",
           {{"dklen", kDkLen}, {"n", params.n}, {"r", params.r}, {"p", params.p}, {"salt", to_hex(salt, false)}}},
          {"mac", to_hex(mac, false)}}},
    };
    return doc.dump();
}

Result<PrivateKey, KeystoreError> read_keystore_file(const std::filesystem::path& file, std::string_view password) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(KeystoreError::io_error);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return fail(KeystoreError::io_error);
    return decrypt_keystore(text.str(), password);
}

Result<std::filesystem::path, KeystoreError> write_keystore_file(const PrivateKey& key,
                                                                 const std::filesystem::path& dir,
                                                                 std::string_view password,
                                                                 const ScryptParams& params) {
    const std::string text = SIGIL_TRY(encrypt_keystore(key, password, params));
    const json doc = json::parse(text);
    const std::filesystem::path file = dir / doc["id"].get<std::string>();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(KeystoreError::io_error);
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        if (!out) return fail(KeystoreError::io_error);
        out << text;
        if (!out) return fail(KeystoreError::io_error);
    }
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    if (ec) return fail(KeystoreError::io_error);
    return file;
}

}  // namespace sigil::chain
