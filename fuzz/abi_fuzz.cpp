// ABI decoding and argument parsing. Input: `<types>\n<data>` decodes <data> as the comma-separated
// <types>; `A<type>\n<text>` parses <text> as an argument of <type>. Invariants:
//  - nothing crashes, leaks or allocates out of proportion to the input;
//  - strict decoding accepts only canonical data: the values re-encode to exactly the input;
//  - lenient decoding yields values that conform to the types and survive a strict round trip;
//  - parsed arguments conform to their type and survive an encode/decode round trip;
//  - formatting any decoded value works.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/abi.hpp"

namespace {

using namespace sigil;

void check_round_trip(const std::vector<abi::Type>& types, const std::vector<abi::Value>& values) {
    if (!abi::conforms(types, values)) std::abort();
    const Bytes enc = abi::encode(types, values);
    auto back = abi::decode(types, enc);
    if (!back || *back != values) std::abort();
    (void)abi::format_json(values);
    for (const auto& v : values) (void)abi::format(v);
}

void fuzz_decode(std::string_view type_text, BytesView data) {
    auto fn = abi::parse_function("f(" + std::string(type_text) + ")");
    if (!fn) return;
    const std::vector<abi::Type> types = fn->input_types();
    if (auto strict = abi::decode(types, data)) {
        const Bytes again = abi::encode(types, *strict);
        if (again.size() != data.size() || !std::equal(again.begin(), again.end(), data.begin())) std::abort();
        check_round_trip(types, *strict);
    }
    if (auto lenient = abi::decode(types, data, abi::DecodeMode::lenient)) check_round_trip(types, *lenient);
}

void fuzz_arg(std::string_view type_text, std::string_view arg) {
    auto type = abi::parse_type(type_text);
    if (!type) return;
    if (auto v = abi::parse_arg(*type, arg)) check_round_trip({*type}, {*v});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);  // NOLINT
    const std::size_t nl = in.find('\n');
    if (nl == std::string_view::npos || nl > 256) return 0;
    if (!in.empty() && in[0] == 'A') {
        fuzz_arg(in.substr(1, nl - 1), in.substr(nl + 1));
        return 0;
    }
    fuzz_decode(in.substr(0, nl), BytesView(data + nl + 1, size - nl - 1));
    return 0;
}
