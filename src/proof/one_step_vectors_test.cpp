#include "proof/one_step_vectors.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace sigil::proof {
namespace {

/// Generates the differential vectors, checks the C++ decisions that must hold whatever the
/// verifier's implementation, and writes one hex line per case to build/dispute/ for
/// contracts/test/dispute/OneStepDifferential.t.sol.
TEST(one_step_vectors, generate_and_write) {
    const auto cases = one_step_cases(0x51611, 12);
    ASSERT_GE(cases.size(), 2000U);
    std::map<std::string, std::map<int, int>> codes;
    for (const auto& c : cases) {
        codes[c.tamper][c.verify_code]++;
        if (c.tamper.empty()) {
            ASSERT_EQ(c.verify_code, 0) << "honest proof refused, op " << int{c.op_kind};
        } else {
            ASSERT_NE(c.verify_code, 0) << "corruption " << c.tamper << " accepted, op " << int{c.op_kind};
        }
        if (c.tamper == "claimed") {
            EXPECT_EQ(c.verify_code, 9);
        }
        if (c.tamper == "step") {
            EXPECT_EQ(c.verify_code, 3);
        }
        if (c.tamper == "element") {
            EXPECT_EQ(c.verify_code, 4);
        }
        if (c.tamper == "operand_count") {
            EXPECT_EQ(c.verify_code, 5);
        }
    }
    // Every refusal code is exercised.
    std::map<int, int> total;
    for (const auto& [name, m] : codes) {
        for (const auto& [code, n] : m) total[code] += n;
    }
    for (int code = 0; code <= 9; ++code) EXPECT_GT(total[code], 0) << "code " << code << " never produced";

    const std::filesystem::path dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / "one_step_vectors.txt", std::ios::trunc);
    for (const auto& c : cases) f << to_hex(encode_case(c)) << '\n';
    ASSERT_TRUE(f.good());
}

}  // namespace
}  // namespace sigil::proof
