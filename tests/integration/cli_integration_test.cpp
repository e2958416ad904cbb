// The `sigil` binary against cast on the same inputs (and the same anvil): outputs must agree
// byte for byte where the commands overlap.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "anvil.hpp"
#include "chain/keystore.hpp"
#include "fixture_abi.hpp"
#ifdef SIGIL_LM_TEST_MODELS
#include "runtime/lm/testing/lm_models.hpp"
#endif

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

CommandResult sigil(std::vector<std::string> args) {
    args.insert(args.begin(), SIGIL_CLI_PATH);
    return run_command(args);
}
CommandResult cast(std::vector<std::string> args) {
    args.insert(args.begin(), foundry_tool("cast"));
    return run_command(args);
}

/// Both tools succeed and print the same bytes.
void expect_same(const std::vector<std::string>& sigil_args, const std::vector<std::string>& cast_args) {
    const auto s = sigil(sigil_args);
    const auto c = cast(cast_args);
    EXPECT_EQ(c.status, 0) << "cast failed";
    EXPECT_EQ(s.status, 0) << "sigil failed";
    EXPECT_EQ(s.out, c.out);
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("sigil-cli-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(counter++));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return path / name;
    }
    static inline int counter = 0;
};

TEST(cli_vs_cast, wallet_address_and_signatures) {
    expect_same({"wallet", "address", "--private-key", kKey0}, {"wallet", "address", "--private-key", kKey0});
    for (const char* msg : {"hello sigil", "0xdeadbeef"}) {
        expect_same({"wallet", "sign", msg, "--private-key", kKey0}, {"wallet", "sign", "--private-key", kKey0, msg});
    }
    // Invalid hex after 0x is refused: cast prints an error (with exit status 0), sigil exits 1.
    EXPECT_EQ(sigil({"wallet", "sign", "0xnot hex", "--private-key", kKey0}).status, 1);
    EXPECT_TRUE(cast({"wallet", "sign", "--private-key", kKey0, "0xnot hex"}).out.empty());
    TempDir dir;
    const auto mail = dir.write(
        "mail.json",
        R"({"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},)"
        R"({"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],)"
        R"("Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],)"
        R"("Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},)"
        R"("primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,)"
        R"("verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},)"
        R"("message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},)"
        R"("to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}})");
    expect_same({"wallet", "sign-typed-data", mail.string(), "--private-key", kKey0},
                {"wallet", "sign", "--private-key", kKey0, "--data", "--from-file", mail.string()});
}

TEST(cli_vs_cast, tx_sign_matches_mktx) {
    expect_same({"tx", "sign", "--chain-id", "1", "--nonce", "7", "--gas-limit", "21000", "--max-fee", "2gwei",
                 "--priority-fee", "1gwei", "--value", "1ether", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                 "--private-key", kKey0},
                {"mktx", "--private-key", kKey0, "--chain", "1", "--nonce", "7", "--gas-limit", "21000", "--gas-price",
                 "2gwei", "--priority-gas-price", "1gwei", "--value", "1ether",
                 "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"});
    expect_same({"tx", "sign", "--chain-id", "31337", "--nonce", "300", "--gas-limit", "500000", "--gas-price", "1",
                 "--to", "0x3535353535353535353535353535353535353535", "--data", "0xdeadbeef", "--private-key", kKey0},
                {"mktx", "--private-key", kKey0, "--legacy", "--chain", "31337", "--nonce", "300", "--gas-limit",
                 "500000", "--gas-price", "1", "0x3535353535353535353535353535353535353535", "0xdeadbeef"});
    const auto bad = sigil({"tx", "sign", "--chain-id", "1", "--nonce", "0", "--gas-limit", "1", "--private-key", kKey0});
    EXPECT_EQ(bad.status, 1);
}

TEST(cli_vs_cast, keystores_cross_decrypt) {
    TempDir dir;
    const auto pw = dir.write("pw", "correct horse\n");
    // Ours, read by cast.
    const auto made = sigil({"wallet", "new", "--keystore-dir", (dir.path / "ours").string(), "--password-file",
                             pw.string(), "--json"});
    ASSERT_EQ(made.status, 0);
    const auto info = chain::Json::parse(made.out)[0];
    const std::string file = info["path"];
    const auto by_cast = cast({"wallet", "address", "--keystore", file, "--password", "correct horse"});
    EXPECT_EQ(by_cast.status, 0);
    EXPECT_EQ(by_cast.out, info["address"].get<std::string>());
    // cast's, read by us.
    fs::create_directories(dir.path / "theirs");
    const auto cast_new = cast({"wallet", "new", (dir.path / "theirs").string(), "--unsafe-password", "correct horse"});
    ASSERT_EQ(cast_new.status, 0);
    const auto theirs = fs::directory_iterator(dir.path / "theirs")->path();
    const auto ours = sigil({"wallet", "address", "--keystore", theirs.string(), "--password-file", pw.string()});
    EXPECT_EQ(ours.status, 0);
    EXPECT_NE(cast_new.out.find(ours.out), std::string::npos);
    const auto wrong = sigil({"wallet", "address", "--keystore", theirs.string(), "--password", "nope"});
    EXPECT_EQ(wrong.status, 1);
}

TEST(cli_vs_cast, chain_reads_receipts_calls_and_logs) {
    const std::string url = anvil().url();
    const std::string who = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect_same({"chain-id", "--rpc-url", url}, {"chain-id", "--rpc-url", url});
    expect_same({"balance", who, "--rpc-url", url}, {"balance", who, "--rpc-url", url});
    expect_same({"nonce", who, "--rpc-url", url}, {"nonce", who, "--rpc-url", url});

    // Deploy the fixture with `sigil send --create` (account 9 is used by no other test).
    const std::string key9 = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
    const auto deployed = sigil({"send", "--create", to_hex(fixture_bytecode()), "--private-key", key9, "--rpc-url",
                                 url, "--json"});
    ASSERT_EQ(deployed.status, 0);
    const std::string fixture = chain::Json::parse(deployed.out)["contractAddress"];

    const auto sent = sigil({"send", fixture, "store(uint256,string)", "7", "hello", "--private-key", key9,
                             "--rpc-url", url, "--async"});
    ASSERT_EQ(sent.status, 0);
    const std::string hash = sent.out;
    expect_same({"receipt", hash, "--rpc-url", url}, {"receipt", hash, "--rpc-url", url});
    expect_same({"receipt", hash, "--rpc-url", url, "--json"}, {"receipt", hash, "--rpc-url", url, "--json"});
    for (const char* field : {"status", "gasUsed", "to"}) {
        expect_same({"receipt", hash, field, "--rpc-url", url}, {"receipt", hash, field, "--rpc-url", url});
    }
    expect_same({"call", fixture, "values(uint256)(string)", "7", "--rpc-url", url},
                {"call", fixture, "values(uint256)(string)", "7", "--rpc-url", url});
    expect_same({"call", fixture, "counter()(uint256)", "--rpc-url", url},
                {"call", fixture, "counter()(uint256)", "--rpc-url", url});
    expect_same({"call", fixture, "counter()", "--rpc-url", url}, {"call", fixture, "counter()", "--rpc-url", url});
    expect_same({"logs", "--address", fixture, "--from-block", "0", "--rpc-url", url},
                {"logs", "--address", fixture, "--from-block", "0", "--rpc-url", url});
    expect_same({"logs", "Stored(address indexed,uint256 indexed,string)", "--address", fixture, "--from-block", "0",
                 "--json", "--rpc-url", url},
                {"logs", "Stored(address indexed,uint256 indexed,string)", "--address", fixture, "--from-block", "0",
                 "--json", "--rpc-url", url});

    // Reverts are one decoded line and a non-zero exit.
    const auto reverted = sigil({"call", fixture, "failString(string)", "boom", "--rpc-url", url});
    EXPECT_EQ(reverted.status, 1);
    const auto custom = sigil({"call", fixture, "failCustom(uint256)", "5", "--errors",
                               "NotAllowed(address,uint256)", "--rpc-url", url});
    EXPECT_EQ(custom.status, 1);
}

// A misspelled command is an error naming it, with or without --help (which used to print the
// parent's help and exit 0); real commands and their help still work.
TEST(cli_commands, unknown_commands_are_errors_even_with_help) {
    for (const auto& [args, named] :
         {std::pair<std::vector<std::string>, std::string>{{"nosuchcmd", "--help"}, "sigil nosuchcmd"},
          {{"nosuchcmd"}, "sigil nosuchcmd"},
          {{"model", "nosuch", "--help"}, "sigil model nosuch"},
          {{"wallet", "nosuch"}, "sigil wallet nosuch"}}) {
        std::vector<std::string> cmd{"sh", "-c", std::string(SIGIL_CLI_PATH)};
        for (const auto& a : args) cmd[2] += " " + a;
        cmd[2] += " 2>&1";
        const auto r = run_command(cmd);
        EXPECT_EQ(r.status, 1) << cmd[2];
        EXPECT_NE(r.out.find("error: unknown command '" + named + "'"), std::string::npos) << r.out;
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"model", "--help"}, {"abi", "encode", "--help"}, {"devnet", "--help"}, {"keccak", "hello"}}) {
        EXPECT_EQ(sigil(args).status, 0) << args.front();
    }
}

#ifdef SIGIL_LM_TEST_MODELS
/// A .npy of `shape` with element type `descr` ('<i8', '<f4') and raw little-endian `data`.
std::string npy(const std::string& descr, const std::vector<std::int64_t>& shape, const std::string& data) {
    std::string dims;
    for (auto d : shape) dims += std::to_string(d) + ",";
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    header.append(63 - (10 + header.size()) % 64, ' ');  // header + newline ends on a 64-byte boundary
    header += '\n';
    std::string out = std::string("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    return out + header + data;
}

std::string npy_i64(const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values) {
    std::string data;
    for (auto v : values)
        for (int b = 0; b < 8; ++b) data += static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * b));
    return npy("<i8", shape, data);
}

// A language model exported by PyTorch with a dynamic sequence axis imports from token-id
// calibration prompts (specialized to their length), and `sigil model run` takes token ids; float
// calibration data or float inputs for a token-id model are refused by name.
TEST(cli_model, token_id_models_import_and_run) {
    TempDir dir;
    std::vector<std::int64_t> ids;
    for (std::int64_t k = 0; k < 20 * 9; ++k) ids.push_back((k * 37 + 5) % 96);
    const auto calib = dir.write("calib.npy", npy_i64({20, 1, 9}, ids));
    const auto prompt =
        dir.write("prompt.npy", npy_i64({1, 9}, {std::vector<std::int64_t>(ids.begin(), ids.begin() + 9)}));
    for (const char* name : {"gpt2_op14", "llama_op17"}) {
        const std::string onnx = std::string(SIGIL_LM_TEST_MODELS) + "/" + name + ".onnx";
        const auto out = (dir.path / (std::string(name) + ".sigil")).string();
        const auto imported = sigil({"model", "import", onnx, "--calib", calib.string(), "-o", out, "--json"});
        ASSERT_EQ(imported.status, 0) << imported.out;
        EXPECT_NE(imported.out.find("\"top1_agreement\""), std::string::npos) << imported.out;
        EXPECT_NE(imported.out.find("\"logits\": \"int32\""), std::string::npos) << imported.out;  // the default
        const auto ran = sigil({"model", "run", out, "--input", prompt.string(), "--threads", "2", "--json"});
        ASSERT_EQ(ran.status, 0) << ran.out;
        EXPECT_NE(ran.out.find("\"shape\": [\n        1,\n        9,\n        96\n      ]"), std::string::npos)
            << ran.out;
    }
    const auto floats = dir.write("floats.npy", npy("<f4", {2, 1, 9}, std::string(72, '\0')));
    const std::string gpt2 = std::string(SIGIL_LM_TEST_MODELS) + "/gpt2_op14.onnx";
    auto r = run_command({"sh", "-c",
                          std::string(SIGIL_CLI_PATH) + " model import " + gpt2 + " --calib " + floats.string() +
                              " -o " + (dir.path / "x.sigil").string() + " 2>&1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("samples must be int64 or int32"), std::string::npos) << r.out;
    r = run_command({"sh", "-c",
                     std::string(SIGIL_CLI_PATH) + " model import " + gpt2 + " --calib " + calib.string() +
                         " --logits int16 -o " + (dir.path / "x.sigil").string() + " 2>&1"});
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.out.find("--logits"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir.path / "x.sigil"));
    const auto narrow = sigil({"model", "import", gpt2, "--calib", calib.string(), "--logits", "int8", "-o",
                               (dir.path / "int8.sigil").string(), "--json"});
    ASSERT_EQ(narrow.status, 0) << narrow.out;
    EXPECT_NE(narrow.out.find("\"logits\": \"int8\""), std::string::npos) << narrow.out;
    EXPECT_NE(narrow.out.find("\"logit_window\": 12.0"), std::string::npos) << narrow.out;
}

/// The value of `"key": ` in a JSON text printed by sigil (a string or a number), or "".
std::string json_field(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\": ");
    if (at == std::string::npos) return "";
    const auto start = at + key.size() + 4;
    const auto end = text.find_first_of(",\n", start);
    return text.substr(start, end - start);
}

// `sigil lm generate` on a GPT-2 export imported at a 16-token context, with a vocabulary of the
// 96 printable ASCII characters: text in, text out, the same commitment on 1 and 2 threads and
// for the same seed, another for another seed; bad requests are named.
TEST(cli_lm, generate_text_with_a_committed_vocabulary) {
    TempDir dir;
    std::vector<std::int64_t> ids;
    for (std::int64_t k = 0; k < 24 * 16; ++k) ids.push_back((k * 53 + k / 16) % 96);
    const auto calib = dir.write("calib.npy", npy_i64({24, 1, 16}, ids));
    const auto model = (dir.path / "gpt2.sigil").string();
    ASSERT_EQ(sigil({"model", "import", std::string(SIGIL_LM_TEST_MODELS) + "/gpt2_op17.onnx", "--calib",
                     calib.string(), "-o", model})
                  .status,
              0);
    const auto vocab_file = dir.write("vocab.json", runtime::lm::testing::ascii_vocab_json());
    const auto gen = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"lm",       "generate", model,          "--vocab", vocab_file.string(),
                                      "--prompt", "Hello",    "--max-tokens", "6",       "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return sigil(args);
    };
    const auto greedy = gen({});
    ASSERT_EQ(greedy.status, 0) << greedy.out;
    EXPECT_EQ(json_field(greedy.out, "finish"), "\"length\"");
    EXPECT_EQ(json_field(greedy.out, "steps"), "6");
    EXPECT_EQ(json_field(greedy.out, "text").size(), 6u + 2u) << greedy.out;  // one character a token, quoted
    // Without the trace there is no commitment; --profile adds the op kinds of the generating steps.
    const auto plain = gen({"--no-commit", "--profile"});
    ASSERT_EQ(plain.status, 0) << plain.out;
    EXPECT_EQ(json_field(plain.out, "commitment"), "");
    EXPECT_EQ(json_field(plain.out, "text"), json_field(greedy.out, "text"));
    EXPECT_NE(plain.out.find("\"cache_write\": {"), std::string::npos) << plain.out;
    const auto sampled = [&](const char* seed, const char* threads) {
        return json_field(gen({"--temperature", "10", "--top-k", "40", "--seed", seed, "--threads", threads}).out,
                          "commitment");
    };
    const auto c1 = sampled("7", "1");
    EXPECT_EQ(c1.size(), 68u);
    EXPECT_EQ(c1, sampled("7", "2"));
    EXPECT_NE(c1, sampled("8", "1"));
    EXPECT_NE(c1, json_field(greedy.out, "commitment"));
    for (const auto& [extra, named] :
         {std::pair<std::vector<std::string>, std::string>{{"--top-p", "0"}, "--top-p must be in (0, 1]"},
          {{"--prompt-ids", "1,2"}, "give either --prompt (with --vocab) or --prompt-ids"},
          {{"--seed", "0xzz"}, "--seed: not a decimal or 0x-hex number"}}) {
        std::string cmd = std::string(SIGIL_CLI_PATH) + " lm generate " + model + " --vocab " + vocab_file.string() +
                          " --prompt Hello";
        for (const auto& e : extra) cmd += " " + e;
        const auto r = run_command({"sh", "-c", cmd + " 2>&1"});
        EXPECT_EQ(r.status, 1) << cmd;
        EXPECT_NE(r.out.find(named), std::string::npos) << r.out;
    }
    const auto r = run_command({"sh", "-c",
                                std::string(SIGIL_CLI_PATH) + " lm generate " + model + " --vocab " +
                                    vocab_file.string() + " --prompt 'caf\xc3\xa9' 2>&1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("--prompt: no token matches the text at byte 3"), std::string::npos) << r.out;
}

#ifdef SIGIL_HAS_TRAIN
// Sigil's own language model end to end, small: `sigil lm train` on a slice of WordNet, the
// export a PyTorch user would make (src/train/tools/export_lm.py), `sigil model import` with the
// run's calibration windows, `sigil lm eval` (int8 tracks float), and `sigil lm generate` with
// the learned vocabulary. Bad runs and files are named.
TEST(cli_lm, train_export_import_evaluate_generate) {
    TempDir dir;
    const auto run = (dir.path / "run").string();
    const auto trained = sigil({"lm",
                                "train",
                                "--out",
                                run,
                                "--limit",
                                "3000",
                                "--vocab-size",
                                "192",
                                "--d",
                                "48",
                                "--heads",
                                "4",
                                "--layers",
                                "2",
                                "--context",
                                "24",
                                "--batch-size",
                                "16",
                                "--steps",
                                "60",
                                "--warmup",
                                "5",
                                "--lr",
                                "1e-2",
                                "--eval-every",
                                "20",
                                "--eval-windows",
                                "24",
                                "--calibration",
                                "24",
                                "--threads",
                                "1",
                                "--no-progress",
                                "--json"});
    ASSERT_EQ(trained.status, 0) << trained.out;
    EXPECT_EQ(json_field(trained.out, "complete"), "true");
    const auto onnx = run + "/lm.onnx";
    const auto exported = run_command({"sh", "-c",
                                       "/usr/bin/python3 " + std::string(SIGIL_SOURCE_DIR) +
                                           "/src/train/tools/export_lm.py " + run + " " + onnx + " 2>&1"});
    ASSERT_EQ(exported.status, 0) << exported.out;
    EXPECT_NE(exported.out.find("\"probeMaxAbsError\""), std::string::npos) << exported.out;
    const auto program = run + "/lm.sigil";
    ASSERT_EQ(sigil({"model", "import", onnx, "--calib", run + "/calibration.npy", "-o", program}).status, 0);
    const auto eval = sigil(
        {"lm", "eval", "--checkpoint", run + "/lm.ckpt", "--sigil", program, "--data", run + "/heldout.npy", "--json"});
    ASSERT_EQ(eval.status, 0) << eval.out;
    EXPECT_EQ(json_field(eval.out, "tokens"), std::to_string(24 * 24));
    const double ratio = std::stod(json_field(eval.out, "perplexityRatio"));
    const double agree = std::stod(json_field(eval.out, "nextTokenAgreement"));
    const double float_ppl = std::stod(json_field(eval.out, "floatPerplexity"));
    EXPECT_LT(float_ppl, 0.7 * 192) << "below uniform (192): " << eval.out;
    EXPECT_LT(std::abs(ratio - 1), 0.05) << eval.out;
    EXPECT_GE(agree, 0.9) << eval.out;
    const auto gen = [&](const char* threads) {
        return sigil({"lm", "generate", program, "--vocab", run + "/vocab.json", "--prompt", "dog:", "--max-tokens",
                      "12", "--temperature", "0.8", "--seed", "5", "--threads", threads, "--json"});
    };
    const auto one = gen("1");
    ASSERT_EQ(one.status, 0) << one.out;
    EXPECT_GT(json_field(one.out, "text").size(), 2u) << one.out;
    EXPECT_EQ(json_field(one.out, "commitment"), json_field(gen("2").out, "commitment"));

    const auto fails = [&](const std::string& cmd, const std::string& named) {
        const auto r = run_command({"sh", "-c", std::string(SIGIL_CLI_PATH) + " " + cmd + " 2>&1"});
        EXPECT_EQ(r.status, 1) << cmd;
        EXPECT_NE(r.out.find(named), std::string::npos) << r.out;
    };
    fails("lm train --out " + run + "/other --d 30 --heads 4", "d must be a positive multiple of heads");
    fails("lm train --out " + run + "/none --resume", "no checkpoint at");
    fails("lm eval --checkpoint " + run + "/lm.ckpt --sigil " + program + " --data " + run + "/calibration.npy",
          "expected int64 [windows, context + 1]");
    fails("lm eval --checkpoint " + run + "/vocab.json --sigil " + program + " --data " + run + "/heldout.npy",
          "not a checkpoint");
}
#endif  // SIGIL_HAS_TRAIN
#endif

// `sigil claim verify` names what is wrong with a POST /jobs reply (a fresh one is checked end to
// end in dispute_integration_test.cpp).
TEST(cli_claim, malformed_replies_are_refused_by_name) {
    const fs::path dir = fs::temp_directory_path() / ("sigil-cli-claim-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto verify_text = [&](const std::string& body) {
        const fs::path f = dir / "reply.json";
        std::ofstream(f) << body;
        return run_command({"sh", "-c", std::string(SIGIL_CLI_PATH) + " claim verify " + f.string() + " 2>&1"});
    };
    const auto missing = run_command({"sh", "-c", std::string(SIGIL_CLI_PATH) + " claim verify /nonexistent/r.json 2>&1"});
    EXPECT_NE(missing.status, 0);
    EXPECT_NE(missing.out.find("cannot read"), std::string::npos) << missing.out;
    auto r = verify_text("not json");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.out.find("not a JSON object"), std::string::npos) << r.out;
    r = verify_text("{}");
    EXPECT_NE(r.out.find("reply.claim: missing"), std::string::npos) << r.out;
    const std::string h32 = "\"0x" + std::string(64, '1') + "\"";
    const std::string claim = "{\"modelRoot\":" + h32 + ",\"inputRoot\":" + h32 + ",\"outputRoot\":" + h32 +
                              ",\"traceRoot\":" + h32 + ",\"steps\":3,\"disputeUntil\":9,\"output\":\"0x01\"}";
    r = verify_text("{\"claim\":" + claim + "}");
    EXPECT_NE(r.out.find("reply.signature: missing"), std::string::npos) << r.out;
    r = verify_text("{\"claim\":{\"modelRoot\":\"0x12\"}}");
    EXPECT_NE(r.out.find("reply.claim.modelRoot: not 32-byte hex"), std::string::npos) << r.out;
    // A well-formed reply whose signature is some other claim's: the signer does not match.
    const std::string sig = "\"0x" + std::string(128, 'a') + "1b\"";
    const std::string doc = "{\"claim\":" + claim + ",\"signature\":" + sig +
                            ",\"signer\":\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\",\"typed_data\":{\"domain\":{"
                            "\"chainId\":31337,\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}}}";
    r = verify_text(doc);
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.out.find("signature:"), std::string::npos) << r.out;
    // A completion's reply: the claim under `sigil`, with its input; a step count as a decimal
    // string must be a number.
    r = verify_text("{\"sigil\":{\"claim\":null}}");
    EXPECT_NE(r.out.find("reply.sigil.claim: null"), std::string::npos) << r.out;
    std::string text_steps = claim;
    text_steps.replace(text_steps.find("\"steps\":3"), 9, "\"steps\":\"3x\"");
    r = verify_text("{\"sigil\":{\"claim\":" + text_steps + "}}");
    EXPECT_NE(r.out.find("reply.claim.steps: missing"), std::string::npos) << r.out;
    r = verify_text("{\"sigil\":" + doc + "}");
    EXPECT_NE(r.out.find("reply.sigil.input: missing"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sigil::itest
