#include "proof/game_script.hpp"

#include <random>

#include "core/abi/codec.hpp"
#include "core/ir/builder.hpp"
#include "core/kernels/operand.hpp"
#include "core/kernels/program_run.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "proof/proof_abi.hpp"

namespace sigil::proof {
namespace {

using abi::Type;
using abi::Value;

Move move(Move::Kind kind, bool by_defender, const std::vector<Type>& t, const std::vector<Value>& v) {
    return {kind, by_defender, abi::encode(t, v)};
}

std::vector<std::int8_t> random_i8(std::mt19937_64& rng, std::size_t n, int lo = -128, int hi = 127) {
    std::uniform_int_distribution<int> d(lo, hi);
    std::vector<std::int8_t> v(n);
    for (auto& x : v) x = static_cast<std::int8_t>(d(rng));
    return v;
}

std::vector<std::int32_t> random_i32(std::mt19937_64& rng, std::size_t n) {
    std::uniform_int_distribution<std::int32_t> d(-5000, 5000);
    std::vector<std::int32_t> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

const ir::QScale kDown{1518500250, 8};  // about 0.7 / 256

}  // namespace

Script play(const Party& defender, const Party& challenger) {
    Script s;
    std::uint64_t lo = 0, hi = defender.steps();
    while (hi - lo > 1) {
        const std::uint64_t mid = (lo + hi) / 2;
        const Hash posted = defender.state(mid);
        s.moves.push_back(move(Move::Kind::bisect, true, {Type::bytes_n(32)}, {Value::bytes_n(posted)}));
        const bool agree = challenger.agrees(mid, posted);
        s.moves.push_back(move(Move::Kind::choose, false, {Type::boolean()}, {Value::boolean(agree)}));
        (agree ? lo : hi) = mid;
    }
    const std::uint64_t k = hi;
    s.k = k;
    const OutputReveal rv = defender.reveal_output(k);
    s.moves.push_back(move(Move::Kind::reveal, true, {output_reveal_type()}, {output_reveal_value(rv)}));
    auto height = merkle_depth(defender.chunk_count(k));
    std::uint64_t index = 0;
    while (height > 0) {
        const auto [l, r] = defender.children(k, height, index);
        s.moves.push_back(move(Move::Kind::descend, true, {Type::bytes_n(32), Type::bytes_n(32)},
                               {Value::bytes_n(l), Value::bytes_n(r)}));
        // A challenger with nothing to dispute still has to pick; it takes the left child.
        const bool right = challenger.pick(k, height, index, l, r).value_or(false);
        s.moves.push_back(move(Move::Kind::pick, false, {Type::boolean()}, {Value::boolean(right)}));
        index = index * 2 + (right ? 1 : 0);
        --height;
    }
    const OneStepMove m = challenger.one_step(k, index, defender.chunk(k, index));
    switch (m.kind) {
        case OneStepMove::Kind::element: {
            // What the contract decides: the recomputed value against the defender's element.
            const Hash chunk = defender.chunk(k, index);
            const auto& p = defender.trace().program();
            const auto dtype = p.tensors[p.ops[static_cast<std::size_t>(k - 1)].output].dtype;
            const auto width = ir::dtype_size(dtype);
            const auto theirs = kernels::load_element(BytesView(chunk.data(), chunk.size()), dtype,
                                                      (m.proof.element * width % trace::kChunkSize) / width);
            const auto truth = trace::recompute_element(defender.model_root(), defender.state(k - 1), m.proof);
            s.challenger_wins = truth && *truth != theirs;
            s.moves.push_back({s.challenger_wins ? Move::Kind::prove_element : Move::Kind::attempt, false,
                               encode_element_proof(m.proof)});
            break;
        }
        case OneStepMove::Kind::padding:
            s.moves.push_back({Move::Kind::prove_padding, false, {}});
            s.challenger_wins = true;
            break;
        case OneStepMove::Kind::none:
            if (!m.proof.op_record.empty())
                s.moves.push_back({Move::Kind::attempt, false, encode_element_proof(m.proof)});
            break;
    }
    return s;
}

ir::Program chain_program(std::uint32_t ops, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    ir::Builder b;
    const auto q = ir::Quant::per_tensor(3, kDown);
    auto x = b.input(ir::DType::int8, {1, 64}, q);
    const auto wv = random_i8(rng, 32 * 64, -20, 20);
    const auto w = b.constant_int8({32, 64}, wv, ir::Quant::per_tensor(0, kDown));
    const auto bv = random_i32(rng, 32);
    const auto bias = b.constant_int32({32}, bv);
    auto y = b.fully_connected(x, w, bias, {ir::QScale{1518500250, 6}}, q);
    for (std::uint32_t i = 1; i < ops; ++i) {
        switch (i % 4) {
            case 0:
                y = b.clip(y, {-100, 100});
                break;
            case 1:
                y = b.requantize(y, ir::QScale{1800000000, 0}, q);
                break;
            case 2:
                y = b.gelu(y, ir::QScale{1717986918, -10}, ir::QScale{1342177280, 9}, q);
                break;
            default:
                y = b.clip(y, {3, 127});
                break;
        }
    }
    b.mark_output(y);
    return std::move(b).finish().value();
}

ir::Program cnn_program(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    ir::Builder b;
    const auto q = ir::Quant::per_tensor(-5, kDown);
    auto x = b.input(ir::DType::int8, {1, 1, 28, 28}, q);
    ir::Window2d conv;
    conv.pads = {1, 1, 1, 1};
    ir::Window2d pool;
    pool.kernel = {2, 2};
    pool.stride = {2, 2};
    const auto w1v = random_i8(rng, 16 * 9, -60, 60);
    const auto w1 = b.constant_int8({16, 1, 3, 3}, w1v, ir::Quant::per_tensor(0, kDown));
    const auto b1v = random_i32(rng, 16);
    const auto b1 = b.constant_int32({16}, b1v);
    auto y = b.conv2d(x, w1, b1, conv, {ir::QScale{1518500250, 5}}, q);
    y = b.clip(y, {-5, 127});
    y = b.max_pool(y, pool);
    const auto w2v = random_i8(rng, 32 * 16 * 9, -30, 30);
    const auto w2 = b.constant_int8({32, 16, 3, 3}, w2v, ir::Quant::per_tensor(0, kDown));
    const auto b2v = random_i32(rng, 32);
    const auto b2 = b.constant_int32({32}, b2v);
    y = b.conv2d(y, w2, b2, conv, {ir::QScale{1518500250, 8}}, q);
    y = b.clip(y, {-5, 127});
    y = b.max_pool(y, pool);
    y = b.reshape(y, {1, 32 * 7 * 7});
    const auto w3v = random_i8(rng, 10 * 1568, -20, 20);
    const auto w3 = b.constant_int8({10, 1568}, w3v, ir::Quant::per_tensor(0, kDown));
    y = b.fully_connected(y, w3, std::nullopt, {ir::QScale{1518500250, 9}}, ir::Quant::per_tensor(0, kDown));
    b.mark_output(y);
    return std::move(b).finish().value();
}

std::unique_ptr<Scenario> make_scenario(ir::Program program, std::uint64_t seed, std::uint64_t step) {
    std::mt19937_64 rng(seed);
    auto s = std::make_unique<Scenario>();
    s->program = std::move(program);
    const auto& p = s->program;
    std::vector<Bytes> inputs;
    for (auto id : p.inputs) {
        const auto v = random_i8(rng, static_cast<std::size_t>(ir::byte_size(p.tensors[id])));
        inputs.emplace_back(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) inputs.back()[i] = static_cast<std::uint8_t>(v[i]);
    }
    s->honest_values = kernels::run_program(p, inputs, kernels::Path::fast).value();
    s->model = ir::commit_model(p);
    s->lie_step = step != 0 ? step : std::uniform_int_distribution<std::uint64_t>(1, p.ops.size())(rng);
    const auto out_id = p.ops[static_cast<std::size_t>(s->lie_step - 1)].output;
    const auto& out = p.tensors[out_id];
    s->lie_element = std::uniform_int_distribution<std::uint64_t>(0, ir::element_count(out.shape) - 1)(rng);
    s->lying_values = s->honest_values;
    auto& bytes = s->lying_values[out_id];
    const auto at = static_cast<std::size_t>(s->lie_element * ir::dtype_size(out.dtype));
    bytes[at] = static_cast<std::uint8_t>(bytes[at] ^ std::uniform_int_distribution<unsigned>(1, 255)(rng));
    s->honest = std::make_unique<trace::ExecutionTrace>(p, s->honest_values);
    s->liar = std::make_unique<trace::ExecutionTrace>(p, s->lying_values);
    return s;
}

Bytes encode_game(const Scenario& s, bool defender_lies) {
    const Party honest(*s.honest, s.model), liar(*s.liar, s.model);
    const Party& defender = defender_lies ? liar : honest;
    const Party& challenger = defender_lies ? honest : liar;
    const Script script = play(defender, challenger);
    std::vector<Value> moves;
    for (const auto& m : script.moves) {
        moves.push_back(Value::tuple({Value::uint(static_cast<std::uint8_t>(m.kind), 8), Value::boolean(m.by_defender),
                                      Value::dyn_bytes(m.args)}));
    }
    const Type move_t = Type::tuple({Type::uint(8), Type::boolean(), Type::bytes()});
    return abi::encode(
        {Type::tuple({Type::bytes_n(32), Type::bytes_n(32), Type::uint(64), Type::bytes_n(32), Type::boolean(),
                      Type::uint(64), Type::boolean(), Type::array(move_t)})},
        {Value::tuple({Value::bytes_n(s.model.root), Value::bytes_n(s.honest->input_root()),
                       Value::uint(defender.steps(), 64), Value::bytes_n(defender.state(defender.steps())),
                       Value::boolean(defender_lies), Value::uint(script.k, 64), Value::boolean(script.challenger_wins),
                       Value::array(std::move(moves))})});
}

}  // namespace sigil::proof
