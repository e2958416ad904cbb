#include "core/trace/fault.hpp"

#include "core/keccak.hpp"

namespace sigil::trace {

namespace {

/// Big-endian uint64 of bytes [at, at + 8) of `h`.
std::uint64_t be64(const Hash& h, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | h[at + i];
    return v;
}

}  // namespace

std::string_view to_string(FaultKind k) noexcept {
    switch (k) {
        case FaultKind::trace:
            return "trace";
        case FaultKind::input_root:
            return "input_root";
        case FaultKind::output_bytes:
            return "output_bytes";
        case FaultKind::output_root:
            return "output_root";
        case FaultKind::steps:
            return "steps";
        case FaultKind::token:
            return "token";
    }
    return "unknown";
}

std::optional<FaultKind> fault_kind_from_string(std::string_view s) noexcept {
    for (auto k : {FaultKind::trace, FaultKind::input_root, FaultKind::output_bytes, FaultKind::output_root,
                   FaultKind::steps, FaultKind::token}) {
        if (to_string(k) == s) return k;
    }
    return std::nullopt;
}

std::optional<Lie> lie_for(const Hash& id, const FaultSpec& fault, const ir::Program& program) {
    if (fault.probability <= 0.0 || program.ops.empty()) return std::nullopt;
    // keccak256("sigil.fault" || seed || id): word 0 is the draw, words 1..3 the place.
    const BytesView tag = as_bytes("sigil.fault");
    Bytes pre(tag.begin(), tag.end());
    for (int i = 7; i >= 0; --i) pre.push_back(static_cast<std::uint8_t>(fault.seed >> (8 * i)));
    pre.insert(pre.end(), id.begin(), id.end());
    const Hash h = keccak256(pre);
    // draw in [0, 1) from the top 53 bits.
    const double draw = static_cast<double>(be64(h, 0) >> 11) / static_cast<double>(std::uint64_t{1} << 53);
    if (draw >= fault.probability) return std::nullopt;
    Lie lie;
    lie.kind = fault.kind;
    lie.mask = static_cast<std::uint8_t>(1 + be64(h, 24) % 255);
    switch (fault.kind) {
        case FaultKind::trace: {
            lie.step = 1 + be64(h, 8) % program.ops.size();
            const auto& out = program.tensors[program.ops[static_cast<std::size_t>(lie.step - 1)].output];
            lie.element = be64(h, 16) % ir::element_count(out.shape);
            break;
        }
        case FaultKind::input_root:
            lie.element = be64(h, 16) % 32;
            break;
        case FaultKind::steps:
            break;
        case FaultKind::token:
            lie.element = be64(h, 16);
            break;
        case FaultKind::output_bytes:
        case FaultKind::output_root:
            if (program.outputs.empty()) return std::nullopt;
            lie.element = be64(h, 16) % ir::element_count(program.tensors[program.outputs[0]].shape);
            break;
    }
    return lie;
}

}  // namespace sigil::trace
