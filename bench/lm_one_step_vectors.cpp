// lm_one_step_vectors MODEL.sigil OUT.txt [--position P]: honest one-step proofs for a language
// model's decode step, one per op and element kind, for the on-chain gas measurement of
// bench/lm_one_step_gas.sh (contracts/script/LmOneStepGas.s.sol replays them).
//
// The step program is derived from MODEL (a prefill program of `sigil model import`) as
// `sigil lm generate` derives it; it runs on token 11 at position P (default: the last, where the
// causal softmax reads every cached key) with seeded random caches. For every op k it proves its
// first and last output elements; each line is the abi-encoded case of
// src/proof/one_step_vectors.hpp (verify code 0: the C++ verifier accepts it).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "core/kernels/program_run.hpp"
#include "proof/one_step_vectors.hpp"
#include "runtime/lm/decode.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace {

int die(const std::string& message) {
    std::cerr << "lm_one_step_vectors: " << message << '\n';
    return 1;
}

sigil::Bytes le32(std::uint32_t v) {
    sigil::Bytes b(4);
    for (std::size_t k = 0; k < 4; ++k) b[k] = static_cast<std::uint8_t>(v >> (8 * k));
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace sigil;
    if (argc != 3 && !(argc == 5 && std::string(argv[3]) == "--position")) {
        return die("usage: lm_one_step_vectors MODEL.sigil OUT.txt [--position P]");
    }
    auto bytes = runtime::read_file_bytes(argv[1]);
    if (!bytes) return die(bytes.error().message());
    auto prefill = ir::load_program(*bytes);
    if (!prefill) return die(std::string(argv[1]) + ": " + std::string(ir::to_string(prefill.error())));
    auto step = runtime::lm::derive_decode_program(*prefill);
    if (!step) return die(step.error());
    const ir::Program& p = step->program;
    const std::uint32_t pos = argc == 5 ? static_cast<std::uint32_t>(std::stoul(argv[4])) : step->context - 1;
    if (pos >= step->context) return die("--position must be below the context " + std::to_string(step->context));

    std::vector<Bytes> inputs{le32(11), le32(pos)};
    std::mt19937_64 rng(0x5161);
    for (std::size_t i = 2; i < p.inputs.size(); ++i) {
        Bytes cache(static_cast<std::size_t>(ir::byte_size(p.tensors[p.inputs[i]])));
        for (auto& b : cache) b = static_cast<std::uint8_t>(rng());
        inputs.push_back(std::move(cache));
    }
    auto values = kernels::run_program(p, inputs, kernels::Path::fast);
    if (!values) return die(std::string(kernels::to_string(values.error())));
    const trace::ExecutionTrace tr(p, *values);
    const ir::ModelCommitment model = ir::commit_model(p);

    std::ofstream out(argv[2], std::ios::trunc);
    std::map<std::string, int> per_kind;
    for (std::size_t k = 1; k <= p.ops.size(); ++k) {
        const ir::Op& op = p.ops[k - 1];
        const ir::Tensor& t = p.tensors[op.output];
        const std::uint64_t n = ir::element_count(t.shape);
        for (const std::uint64_t e : {std::uint64_t{0}, n - 1}) {
            const proof::OneStepCase c = proof::honest_case(p, *values, tr, model, k, e);
            if (c.recompute_code != 0 || c.value != c.claimed || c.verify_code != 0) {
                return die("op " + std::to_string(k) + ": the C++ verifier refuses its own proof");
            }
            out << to_hex(proof::encode_case(c)) << '\n';
            ++per_kind[std::string(ir::to_string(op.kind))];
            if (n == 1) break;
        }
    }
    if (!out) return die(std::string("cannot write ") + argv[2]);
    std::cout << "step program: " << p.ops.size() << " ops, context " << step->context << ", vocabulary "
              << step->vocab << ", position " << pos << "\n";
    for (const auto& [kind, count] : per_kind) std::cout << "  " << kind << ": " << count << " proofs\n";
    return 0;
}
