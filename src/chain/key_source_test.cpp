#include "chain/key_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace sigil::chain {
namespace {

constexpr const char* kSecret = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

TEST(key_source, raw_key_and_keystore_with_password_file) {
    auto dir = std::filesystem::temp_directory_path() / ("sigil-keysrc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto key = *PrivateKey::from_hex(kSecret);
    auto file = *write_keystore_file(key, dir, "pw", ScryptParams{1024, 8, 1});
    std::ofstream(dir / "pwfile") << "pw\r\n";

    EXPECT_EQ(load_key({kSecret, "", "", ""})->secret(), key.secret());
    EXPECT_EQ(load_key({"", file.string(), "", (dir / "pwfile").string()})->secret(), key.secret());
    EXPECT_EQ(load_key({"", file.string(), "pw", ""})->secret(), key.secret());

    auto kind = [](const KeySource& s) { return load_key(s).error().kind; };
    EXPECT_EQ(kind({}), KeySourceErrorKind::no_key);
    EXPECT_EQ(kind({kSecret, file.string(), "pw", ""}), KeySourceErrorKind::conflicting_sources);
    EXPECT_EQ(kind({"0x1234", "", "", ""}), KeySourceErrorKind::bad_private_key);
    EXPECT_EQ(kind({"", file.string(), "", ""}), KeySourceErrorKind::no_password);
    EXPECT_EQ(kind({"", file.string(), "", (dir / "missing").string()}), KeySourceErrorKind::password_file);
    auto wrong = load_key({"", file.string(), "px", ""});
    EXPECT_EQ(wrong.error().kind, KeySourceErrorKind::keystore);
    EXPECT_EQ(wrong.error().keystore_error, KeystoreError::wrong_password);
    EXPECT_EQ(wrong.error().describe(), "keystore: wrong_password");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::chain
