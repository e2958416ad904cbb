#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/abi/codec.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "core/trace/state.hpp"

namespace sigil::proof {
namespace {

/// Byte lengths around every chunk and tree-level edge, plus the zoo's inputs and outputs
/// (784-byte Fashion-MNIST image, 10 logits).
constexpr std::array<std::size_t, 24> kLengths{0,   1,   10,  31,  32,  33,  63,   64,   65,   95,   96,   127,
                                               128, 129, 255, 256, 257, 500, 784, 1023, 1024, 1025, 2047, 4096};

/// Vectors for contracts/src/avs/dispute/TensorRootLib.sol, replayed by
/// contracts/test/dispute/ClaimIntegrity.t.sol: (bytes, tensor_root, input_root of the bytes as
/// a program's single input). The two roots are the ones a node puts in its claims
/// (node/worker_pool.cpp, node/input_uri.cpp).
TEST(tensor_root_vectors, write_for_forge) {
    std::mt19937_64 rng(0x7e50);
    using abi::Type;
    using abi::Value;
    const std::vector<Type> types{Type::bytes(), Type::bytes_n(32), Type::bytes_n(32)};
    std::vector<Bytes> lines;
    auto add = [&](const Bytes& data) {
        const Hash t = trace::tensor_root(data);
        const std::array<Hash, 1> leaves{t};
        const Hash in = trace::input_root(leaves);
        // The padded tree over the chunks gives the same root (the C++ fast path skips zeros).
        EXPECT_EQ(t, merkle_root(trace::chunk_leaves(data)));
        lines.push_back(abi::encode(types, {Value::dyn_bytes(data), Value::bytes_n(t), Value::bytes_n(in)}));
    };
    for (const std::size_t n : kLengths) {
        Bytes data(n);
        for (auto& b : data) b = static_cast<std::uint8_t>(rng());
        add(data);
        // A trailing zero byte must still count (the chunk count follows the length).
        if (n > 0) {
            data.back() = 0;
            add(data);
        }
    }
    ASSERT_LE(lines.size(), 64U);  // the forge reader's line buffer
    const auto dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / "tensor_roots.txt", std::ios::trunc);
    for (const auto& l : lines) f << to_hex(l) << '\n';
    ASSERT_TRUE(f.good());
}

}  // namespace
}  // namespace sigil::proof
