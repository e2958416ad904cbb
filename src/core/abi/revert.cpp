#include "core/abi/revert.hpp"

#include <algorithm>

#include "core/abi/format.hpp"

namespace sigil::abi {

namespace {

Function builtin(std::string name, Type arg) { return Function{std::move(name), {Param{std::move(arg), "", false}}, {}}; }

Result<Revert, AbiError> decode_as(RevertKind kind, Function fn, BytesView data, DecodeMode mode) {
    Revert r;
    r.kind = kind;
    r.args = SIGIL_TRY(decode_call(fn, data, mode));
    r.error = std::move(fn);
    if (kind == RevertKind::panic) r.panic_reason = panic_reason(r.args[0].num);
    return r;
}

bool selector_is(const Function& fn, BytesView data) {
    const FixedBytes<4> sel = fn.selector();
    return std::equal(sel.begin(), sel.end(), data.begin());
}

}  // namespace

Result<Function, AbiError> parse_error(std::string_view text) {
    detail::ParsedSignature sig = SIGIL_TRY(detail::parse_signature(text, "error", false));
    if (!sig.outputs.empty()) return fail(AbiError::bad_signature);
    return Function{std::move(sig.name), std::move(sig.inputs), {}};
}

std::string_view panic_reason(const u256& code) noexcept {
    if (code == 0x00) return "generic compiler panic";
    if (code == 0x01) return "assertion failed";
    if (code == 0x11) return "arithmetic underflow or overflow";
    if (code == 0x12) return "division or modulo by zero";
    if (code == 0x21) return "conversion to an invalid enum value";
    if (code == 0x22) return "incorrectly encoded storage byte array";
    if (code == 0x31) return "pop() on an empty array";
    if (code == 0x32) return "array index out of bounds";
    if (code == 0x41) return "out of memory (too much memory allocated or array too large)";
    if (code == 0x51) return "call to a zero-initialized internal function";
    return {};
}

Result<Revert, AbiError> decode_revert(BytesView data, std::span<const std::string> custom_error_sigs,
                                       DecodeMode mode) {
    if (data.size() < 4) return fail(AbiError::empty_revert);
    Function error_string = builtin("Error", Type::string());
    if (selector_is(error_string, data)) return decode_as(RevertKind::error_string, std::move(error_string), data, mode);
    Function panic = builtin("Panic", Type::uint(256));
    if (selector_is(panic, data)) return decode_as(RevertKind::panic, std::move(panic), data, mode);
    for (const std::string& text : custom_error_sigs) {
        Function fn = SIGIL_TRY(parse_error(text));
        if (selector_is(fn, data)) return decode_as(RevertKind::custom, std::move(fn), data, mode);
    }
    return fail(AbiError::unknown_error);
}

std::string describe(const Revert& r) {
    if (r.kind == RevertKind::panic) {
        std::string out = "Panic(" + to_hex_quantity(r.args[0].num) + ")";
        if (!r.panic_reason.empty()) out += ": " + std::string(r.panic_reason);
        return out;
    }
    std::string out = r.error.name + "(";
    for (std::size_t i = 0; i < r.args.size(); ++i) {
        if (i > 0) out += ", ";
        out += format(r.args[i]);
    }
    return out + ")";
}

}  // namespace sigil::abi
