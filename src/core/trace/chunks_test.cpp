#include "core/trace/chunks.hpp"

#include <gtest/gtest.h>

#include "core/merkle.hpp"

namespace sigil::trace {
namespace {

TEST(tensor_root, equals_padded_merkle_root_of_chunks) {
    for (std::size_t n : {0U, 1U, 5U, 31U, 32U, 33U, 64U, 65U, 96U, 97U, 200U, 1000U, 4097U}) {
        Bytes data(n);
        for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 3);
        EXPECT_EQ(tensor_root(data), merkle_root(chunk_leaves(data))) << n;
    }
}

TEST(tensor_root, last_chunk_is_zero_padded) {
    const Bytes data = {1, 2, 3};
    Hash chunk{};
    chunk[0] = 1, chunk[1] = 2, chunk[2] = 3;
    EXPECT_EQ(tensor_root(data), chunk);  // one chunk: the root is the chunk itself
    EXPECT_EQ(chunk_count(0), 0U);
    EXPECT_EQ(chunk_count(32), 1U);
    EXPECT_EQ(chunk_count(33), 2U);
}

}  // namespace
}  // namespace sigil::trace
