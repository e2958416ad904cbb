// Resolving inputs given by commitment and URI: data: URIs (good and malformed), http with its
// size cap against a real local server, and the inputRoot check against the runtime's claim.

#include "node/input_uri.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/ir/codec.hpp"
#include "node/catalog.hpp"
#include "node/worker_pool.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node {
namespace {

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

InputUriErrorKind error_of(std::string_view uri, std::size_t cap = 1024) {
    auto r = decode_data_uri(uri, cap);
    EXPECT_FALSE(r.has_value()) << uri;
    return r.has_value() ? InputUriErrorKind::unreachable : r.error().kind;
}

TEST(node_input_uri, decodes_base64_and_percent_data_uris) {
    EXPECT_EQ(*decode_data_uri("data:application/octet-stream;base64,AAEC/w==", 16), (Bytes{0, 1, 2, 255}));
    EXPECT_EQ(*decode_data_uri("data:;base64,TWFu", 16), bytes_of("Man"));
    EXPECT_EQ(*decode_data_uri("data:;base64,TWE=", 16), bytes_of("Ma"));
    EXPECT_EQ(*decode_data_uri("DATA:;BASE64,TQ==", 16), bytes_of("M"));
    EXPECT_EQ(*decode_data_uri("data:;base64,", 16), Bytes{});
    EXPECT_EQ(*decode_data_uri("data:;base64,TW%46u", 16), bytes_of("Man"));  // %46 is "F"
    EXPECT_EQ(*decode_data_uri("data:,A%20brief%00note", 64), (Bytes{'A', ' ', 'b', 'r', 'i', 'e', 'f', 0, 'n', 'o', 't', 'e'}));
    EXPECT_EQ(*decode_data_uri("data:text/plain;charset=US-ASCII,hi", 64), bytes_of("hi"));
}

TEST(node_input_uri, rejects_malformed_data_uris) {
    EXPECT_EQ(error_of("http:,abc"), InputUriErrorKind::malformed);
    EXPECT_EQ(error_of("data:;base64AAAA"), InputUriErrorKind::malformed);  // no comma
    EXPECT_EQ(error_of("data:;base64,AAA"), InputUriErrorKind::malformed);  // length
    EXPECT_EQ(error_of("data:;base64,A=AA"), InputUriErrorKind::malformed);  // padding inside
    EXPECT_EQ(error_of("data:;base64,AA*A"), InputUriErrorKind::malformed);  // alphabet
    EXPECT_EQ(error_of("data:;base64,===="), InputUriErrorKind::malformed);
    EXPECT_EQ(error_of("data:;base64,TR=="), InputUriErrorKind::malformed);  // non-zero pad bits
    EXPECT_EQ(error_of("data:,ab%2"), InputUriErrorKind::malformed);         // truncated escape
    EXPECT_EQ(error_of("data:,ab%zz"), InputUriErrorKind::malformed);
    EXPECT_EQ(error_of("data:;base64,AAAAAAAA", 5), InputUriErrorKind::too_large);
    EXPECT_EQ(error_of("data:,abcdef", 5), InputUriErrorKind::too_large);
    EXPECT_TRUE(decode_data_uri("data:;base64,AAAAAAAA", 6).has_value());
    EXPECT_EQ(fetch_input("ipfs://x", {}).error().kind, InputUriErrorKind::unsupported_scheme);
}

TEST(node_input_uri, fetches_over_http_with_a_cap) {
    httplib::Server srv;
    srv.Get("/in", [](const httplib::Request&, httplib::Response& res) { res.set_content("abcd", "application/octet-stream"); });
    srv.Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(100000, 'x'), "application/octet-stream");
    });
    const int port = srv.bind_to_any_port("127.0.0.1");
    std::thread t([&] { srv.listen_after_bind(); });
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    FetchLimits lim;
    lim.max_bytes = 4;
    lim.timeout = std::chrono::milliseconds(3000);
    auto got = fetch_input(base + "/in", lim);
    EXPECT_TRUE(got.has_value() && *got == bytes_of("abcd"));
    EXPECT_EQ(fetch_input(base + "/big", lim).error().kind, InputUriErrorKind::too_large);
    EXPECT_EQ(fetch_input(base + "/none", lim).error().kind, InputUriErrorKind::http_status);
    srv.stop();
    t.join();
    EXPECT_EQ(fetch_input("http://127.0.0.1:1/in", lim).error().kind, InputUriErrorKind::unreachable);
}

std::string base64(const Bytes& b) {
    static constexpr char kA[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < b.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, b.size() - i);
        unsigned v = 0;
        for (std::size_t j = 0; j < 3; ++j) v = (v << 8) | (j < n ? unsigned{b[i + j]} : 0U);
        for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kA[(v >> (18 - 6 * j)) & 63U] : '=';
    }
    return out;
}

TEST(node_input_uri, root_check_matches_the_runtime_and_refuses_mismatches) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-input-uri-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const Bytes prog = ir::save_program(runtime::sample_mlp(1, 7));
    std::ofstream(dir / "m.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));
    ModelConfig mc;
    mc.program = dir / "m.sigil";
    auto cat = Catalog::load({mc});
    ASSERT_TRUE(cat.has_value());
    const ServedModel& m = cat->models()[0];
    Bytes input(m.input_bytes);
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i * 7 + 3);
    auto claim = run_model(m, input);
    ASSERT_TRUE(claim.has_value()) << claim.error();
    EXPECT_EQ(single_input_root(input), claim->input_root);

    RequestedEvent ev;
    ev.model_root = m.root;
    ev.input_root = claim->input_root;
    ev.input_uri = "data:application/octet-stream;base64," + base64(input);
    std::string detail;
    RequestedEvent ok = ev;
    EXPECT_EQ(resolve_input(ok, *cat, {}, detail), std::nullopt) << detail;
    EXPECT_EQ(ok.input, input);

    Bytes other = input;
    other[5] ^= 1;
    RequestedEvent bad = ev;
    bad.input_uri = "data:;base64," + base64(other);
    EXPECT_EQ(resolve_input(bad, *cat, {}, detail), SkipReason::input_mismatch);
    EXPECT_TRUE(bad.input.empty());

    Bytes longer = input;
    longer.push_back(0);
    RequestedEvent big = ev;
    big.input_uri = "data:;base64," + base64(longer);
    EXPECT_EQ(resolve_input(big, *cat, {}, detail), SkipReason::input_too_large);

    RequestedEvent broken = ev;
    broken.input_uri = "data:;base64,%%%";
    EXPECT_EQ(resolve_input(broken, *cat, {}, detail), SkipReason::input_unavailable);
    broken.input_uri = "http://127.0.0.1:1/x";
    EXPECT_EQ(resolve_input(broken, *cat, {}, detail), SkipReason::input_unavailable);

    RequestedEvent uncommitted = ev;
    uncommitted.input_root = Hash{};
    EXPECT_EQ(resolve_input(uncommitted, *cat, {}, detail), SkipReason::input_missing);
    RequestedEvent no_uri = ev;
    no_uri.input_uri.clear();
    EXPECT_EQ(resolve_input(no_uri, *cat, {}, detail), SkipReason::input_missing);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::node
