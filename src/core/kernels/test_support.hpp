#pragma once
/// Test helpers shared by the kernel and trace tests (not part of the library).

#include <random>

#include "core/kernels/fast.hpp"
#include "core/kernels/op_gen.hpp"
#include "core/kernels/operand.hpp"

namespace sigil::kernels::testing {

/// A ChoiceSource over a seeded mt19937_64.
inline gen::ChoiceSource seeded(std::mt19937_64& rng) {
    return [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
}

/// Operand bytes of the single op of `c`: program inputs from c.inputs, constants from the program.
inline std::vector<BytesView> operand_bytes(const gen::OpCase& c) {
    const auto& p = c.program;
    std::vector<BytesView> out;
    for (auto id : p.ops[0].inputs) {
        const auto& t = p.tensors[id];
        if (t.kind == ir::TensorKind::constant) {
            out.emplace_back(t.data);
        } else {
            std::size_t k = 0;
            while (p.inputs[k] != id) ++k;
            out.emplace_back(c.inputs[k]);
        }
    }
    return out;
}

}  // namespace sigil::kernels::testing
