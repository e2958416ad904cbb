#include "chain/keystore.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

namespace sigil::chain {
namespace {

constexpr const char* kSecret = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
constexpr const char* kAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

// cast wallet import ks1 --private-key 0x4c0883a6...362318 --keystore-dir /tmp/ks --unsafe-password pw
// (cast 1.7.1; scrypt n=8192 r=8 p=1, no "address" field)
constexpr const char* kCastKeystore =
    R"({"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"9f196792e92fd0c78e4df78a7b25010a"},)"
    R"("ciphertext":"12a2adffdee34a43c117b8f9a300a3e2c493fc0b3123f96675a68a78e60caa8f","kdf":"scrypt",)"
    R"("kdfparams":{"dklen":32,"n":8192,"p":1,"r":8,)"
    R"("salt":"eeac8a3d5a6aff5665b351e764bf51340cafa9306bab715698c28ebc78ab338a"},)"
    R"("mac":"e7de4d686cbace4898f783249b7da6bac8245cda360733c0832b58c402b9235e"},)"
    R"("id":"65fdfa10-7e58-482e-b3f0-d75fdaa5999b","version":3})";

// pbkdf2 keystore built independently: Python hashlib.pbkdf2_hmac("sha256", b"sigil-pbkdf2",
// bytes(range(32)), 4096, 32), AES-128-CTR from the `cryptography` package with iv bytes(range(100,116)),
// MAC from `cast keccak 0x<dk[16:32] || ciphertext>`.
constexpr const char* kPbkdf2Keystore =
    R"({"crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "6465666768696a6b6c6d6e6f70717273"},)"
    R"( "ciphertext": "fa9ab2d96b71911f54110028c3eb9e49fe923b6318670374511a7ad4fc7c790b", "kdf": "pbkdf2",)"
    R"( "kdfparams": {"c": 4096, "dklen": 32, "prf": "hmac-sha256",)"
    R"( "salt": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},)"
    R"( "mac": "296c4e812cc0ca42ae92c1d92f186fc9f0f2d8bd39127b99438c5c1d6deee11e"},)"
    R"( "id": "00000000-0000-4000-8000-000000000000", "version": 3})";

TEST(keystore, decrypts_cast_scrypt_keystore) {
    auto key = decrypt_keystore(kCastKeystore, "pw");
    ASSERT_TRUE(key) << to_string(key.error());
    EXPECT_EQ(to_hex(key->secret()), kSecret);
    EXPECT_EQ(to_checksum(key->address()), kAddress);
}

TEST(keystore, decrypts_pbkdf2_keystore) {
    auto key = decrypt_keystore(kPbkdf2Keystore, "sigil-pbkdf2");
    ASSERT_TRUE(key) << to_string(key.error());
    EXPECT_EQ(to_hex(key->secret()), kSecret);
}

TEST(keystore, wrong_password_is_named) {
    EXPECT_EQ(decrypt_keystore(kCastKeystore, "px").error(), KeystoreError::wrong_password);
    EXPECT_EQ(decrypt_keystore(kPbkdf2Keystore, "").error(), KeystoreError::wrong_password);
}

TEST(keystore, write_then_read_round_trips_with_fresh_salt) {
    auto key = *PrivateKey::from_hex(kSecret);
    ScryptParams fast{1024, 8, 1};
    auto a = encrypt_keystore(key, "secret", fast);
    auto b = encrypt_keystore(key, "secret", fast);
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);  // fresh salt, IV and id every time
    auto doc = nlohmann::json::parse(*a);
    EXPECT_EQ(doc["version"], 3);
    EXPECT_EQ(doc["crypto"]["kdf"], "scrypt");
    EXPECT_EQ(doc["crypto"]["kdfparams"]["n"], 1024);
    EXPECT_EQ(doc["id"].get<std::string>().size(), 36u);
    EXPECT_EQ(doc["id"].get<std::string>()[14], '4');
    auto back = decrypt_keystore(*a, "secret");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->secret(), key.secret());
    EXPECT_EQ(decrypt_keystore(*a, "Secret").error(), KeystoreError::wrong_password);
}

TEST(keystore, file_round_trip) {
    auto dir = std::filesystem::temp_directory_path() / ("sigil-ks-" + std::to_string(::getpid()));
    auto key = *PrivateKey::generate();
    auto file = write_keystore_file(key, dir, "pw", ScryptParams{1024, 8, 1});
    ASSERT_TRUE(file);
    auto perms = std::filesystem::status(*file).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
    auto back = read_keystore_file(*file, "pw");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->address(), key.address());
    EXPECT_EQ(read_keystore_file(dir / "missing", "pw").error(), KeystoreError::io_error);
    std::filesystem::remove_all(dir);
}

TEST(keystore, rejects_malformed_files_with_named_errors) {
    using nlohmann::json;
    auto base = json::parse(kCastKeystore);
    auto with = [&](auto mutate) {
        json d = base;
        mutate(d);
        return decrypt_keystore(d.dump(), "pw").error();
    };
    EXPECT_EQ(decrypt_keystore("not json", "pw").error(), KeystoreError::invalid_json);
    EXPECT_EQ(decrypt_keystore("[]", "pw").error(), KeystoreError::invalid_json);
    EXPECT_EQ(with([](json& d) { d["version"] = 1; }), KeystoreError::unsupported_version);
    EXPECT_EQ(with([](json& d) { d["crypto"]["cipher"] = "aes-128-cbc"; }), KeystoreError::unsupported_cipher);
    EXPECT_EQ(with([](json& d) { d["crypto"]["kdf"] = "argon2"; }), KeystoreError::unsupported_kdf);
    EXPECT_EQ(with([](json& d) { d["crypto"]["kdfparams"]["n"] = 1000; }), KeystoreError::bad_kdf_params);
    EXPECT_EQ(with([](json& d) { d["crypto"]["kdfparams"]["n"] = 1u << 30; }), KeystoreError::bad_kdf_params);
    EXPECT_EQ(with([](json& d) { d["crypto"]["kdfparams"]["dklen"] = 16; }), KeystoreError::bad_kdf_params);
    EXPECT_EQ(with([](json& d) { d["crypto"]["mac"] = "zz"; }), KeystoreError::bad_hex);
    EXPECT_EQ(with([](json& d) { d["crypto"]["cipherparams"]["iv"] = "00"; }), KeystoreError::bad_hex);
    EXPECT_EQ(with([](json& d) { d["crypto"].erase("ciphertext"); }), KeystoreError::invalid_json);
    EXPECT_EQ(with([](json& d) { d["crypto"]["kdfparams"]["n"] = "8192"; }), KeystoreError::invalid_json);
    // A flipped ciphertext byte fails the MAC: never a wrong key.
    EXPECT_EQ(with([](json& d) {
                  std::string c = d["crypto"]["ciphertext"];
                  c[0] = c[0] == '1' ? '2' : '1';
                  d["crypto"]["ciphertext"] = c;
              }),
              KeystoreError::wrong_password);
}

}  // namespace
}  // namespace sigil::chain
