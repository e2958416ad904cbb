// Runs the built `sigil` binary and cast 1.7.1 on the same inputs and compares their output byte for
// byte. Skipped when either binary is missing (cast comes from `npm install` in contracts/, sigil
// from the release build).

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

const std::string kSource = SIGIL_SOURCE_DIR;
const std::string kCast = kSource + "/contracts/node_modules/.bin/cast";
const std::string kSigil = kSource + "/build/release/src/cli/sigil";

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct Output {
    std::string out;
    int status = -1;
};

Output run(const std::string& binary, const std::vector<std::string>& args) {
    std::string cmd = shell_quote(binary);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " 2>/dev/null";
    Output r;
    FILE* pipe = popen(cmd.c_str(), "r");  // NOLINT(cert-env33-c): fixed binaries, quoted arguments
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    r.status = pclose(pipe);
    return r;
}

class cast_cli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(kCast)) GTEST_SKIP() << "cast not installed at " << kCast;
        if (!std::filesystem::exists(kSigil)) GTEST_SKIP() << "sigil not built at " << kSigil;
    }

    /// cast <cast_args> and sigil <sigil_args> must print the same bytes and both succeed.
    void same(const std::vector<std::string>& cast_args, const std::vector<std::string>& sigil_args) {
        const Output c = run(kCast, cast_args);
        const Output s = run(kSigil, sigil_args);
        ASSERT_EQ(c.status, 0) << "cast failed: " << cast_args[0];
        EXPECT_EQ(s.status, 0) << "sigil failed: " << sigil_args[0];
        EXPECT_EQ(s.out, c.out) << "cast " << cast_args[0] << " " << (cast_args.size() > 1 ? cast_args[1] : "");
    }

    std::string cast_out(const std::vector<std::string>& args) {
        std::string out = run(kCast, args).out;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    }
};

const std::string kTypes = "(int256,int16,uint256,string,bytes1,string[],(uint8,(bool,bytes)[])[2],address,bytes32)";
const std::vector<std::string> kArgs = {
    "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
    "-9999",
    "123456789",
    "tab\there\nnl\\ \x01 \"q\" \xc3\xa9\xe2\x80\x8b",
    "0x00",
    "[a b, \"c,d\", '']",
    "[(1,[]),(2,[(true,0x),(false,0x01)])]",
    "0xd8da6bf26964af9d7eed9e03e53415d37aa96045",
    "0x0100000000000000000000000000000000000000000000000000000000000002"};

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST_F(cast_cli, abi_encode_and_calldata) {
    same(with({"abi-encode", "f" + kTypes}, kArgs), with({"abi", "encode", "f" + kTypes}, kArgs));
    same({"abi-encode", "f(uint256,int8,uint256[])", "1.5 ether", "-5", "[ 1e3 , 0x10 ,]"},
         {"abi", "encode", "f(uint256,int8,uint256[])", "1.5 ether", "-5", "[ 1e3 , 0x10 ,]"});
    same({"calldata", "transfer(address to, uint256 amount)", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045", "1000"},
         {"calldata", "transfer(address to, uint256 amount)", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045", "1000"});
    same({"calldata", "f()"}, {"calldata", "f()"});
}

TEST_F(cast_cli, abi_decode_text_and_json) {
    const std::string enc = cast_out(with({"abi-encode", "f" + kTypes}, kArgs));
    ASSERT_FALSE(enc.empty());
    same({"abi-decode", "f()" + kTypes, enc}, {"abi", "decode", "f()" + kTypes, enc});
    same({"abi-decode", "--json", "f()" + kTypes, enc}, {"abi", "decode", "--json", "f()" + kTypes, enc});
}

TEST_F(cast_cli, calldata_decode) {
    const std::string sig = "f(uint256[][],(string,bool))";
    const std::string call = cast_out({"calldata", sig, "[[1,2],[]]", "(hello,true)"});
    same({"calldata-decode", sig, call}, {"abi", "decode", "--input", sig, call});
    same({"calldata-decode", "--json", sig, call}, {"abi", "decode", "--input", "--json", sig, call});
}

TEST_F(cast_cli, selectors_and_topics) {
    same({"sig", "function f((uint8,bytes)[] x, string s) external returns (bool)"},
         {"sig", "function f((uint8,bytes)[] x, string s) external returns (bool)"});
    same({"sig-event", "Transfer(address indexed from, address indexed to, uint256 value)"},
         {"sig-event", "Transfer(address indexed from, address indexed to, uint256 value)"});
}

TEST_F(cast_cli, decode_error_with_signature) {
    const std::string sig = "InsufficientBalance(uint256 available, uint256 required)";
    const std::string data = cast_out({"calldata", sig, "1", "20000"});
    same({"decode-error", "--sig", sig, data}, {"decode-error", "--sig", sig, data});
    const std::string err = cast_out({"calldata", "Error(string)", "boom"});
    same({"decode-error", "--sig", "Error(string)", err}, {"decode-error", "--sig", "Error(string)", err});
}

TEST_F(cast_cli, errors_are_one_line_and_non_zero) {
    const Output r = run(kSigil, {"abi", "encode", "f(uint8)", "256"});
    EXPECT_NE(r.status, 0);
    EXPECT_TRUE(r.out.empty());
    const Output bad = run(kSigil, {"sig", "f(uint7)"});
    EXPECT_NE(bad.status, 0);
}

}  // namespace
