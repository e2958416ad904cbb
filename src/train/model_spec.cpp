#include "train/model_spec.hpp"

#include <bit>
#include <charconv>
#include <cstring>

#include "core/keccak.hpp"
#include "core/merkle.hpp"

namespace sigil::train {

std::string_view to_string(ArchError e) noexcept {
    switch (e) {
        case ArchError::unknown_family: return "unknown_family";
        case ArchError::bad_number: return "bad_number";
        case ArchError::empty_layer: return "empty_layer";
        case ArchError::too_large: return "too_large";
    }
    return "unknown";
}

namespace {

constexpr std::uint32_t kMaxWidth = 4096;

Result<std::vector<std::uint32_t>, ArchError> parse_list(std::string_view text, bool allow_zero) {
    std::vector<std::uint32_t> out;
    if (text.empty()) return out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        std::uint32_t v = 0;
        const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || ec != std::errc{} || ptr != item.data() + item.size()) return fail(ArchError::bad_number);
        if (v == 0 && !allow_zero) return fail(ArchError::empty_layer);
        if (v > kMaxWidth) return fail(ArchError::too_large);
        out.push_back(v);
        start = comma + 1;
    }
    return out;
}

std::string join(const std::vector<std::uint32_t>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
    return s;
}

ModelSpec mlp(const std::vector<std::uint32_t>& hidden, std::uint32_t classes) {
    ModelSpec spec;
    spec.arch = "mlp:" + join(hidden);
    spec.classes = classes;
    spec.layers.push_back({Layer::Kind::flatten});
    std::uint32_t in = spec.channels * spec.rows * spec.cols;
    for (std::uint32_t h : hidden) {
        spec.layers.push_back({Layer::Kind::linear, in, h});
        spec.layers.push_back({Layer::Kind::relu});
        in = h;
    }
    spec.layers.push_back({Layer::Kind::linear, in, classes});
    return spec;
}

ModelSpec cnn(const std::vector<std::uint32_t>& channels, std::uint32_t hidden, std::uint32_t classes) {
    ModelSpec spec;
    spec.arch = "cnn:" + join(channels) + ":" + std::to_string(hidden);
    spec.classes = classes;
    std::uint32_t c = spec.channels, h = spec.rows, w = spec.cols;
    for (std::uint32_t out : channels) {
        spec.layers.push_back({Layer::Kind::conv, c, out, 3, 1});
        spec.layers.push_back({Layer::Kind::relu});
        spec.layers.push_back({Layer::Kind::maxpool, 0, 0, 2});
        c = out;
        h /= 2;
        w /= 2;
    }
    spec.layers.push_back({Layer::Kind::flatten});
    std::uint32_t in = c * h * w;
    if (hidden != 0) {
        spec.layers.push_back({Layer::Kind::linear, in, hidden});
        spec.layers.push_back({Layer::Kind::relu});
        in = hidden;
    }
    spec.layers.push_back({Layer::Kind::linear, in, classes});
    return spec;
}

}  // namespace

Result<ModelSpec, ArchError> parse_arch(std::string_view arch, std::uint32_t classes) {
    if (classes == 0) return fail(ArchError::empty_layer);
    if (arch == "mlp") return mlp({256, 128}, classes);
    if (arch == "cnn") return cnn({16, 32}, 64, classes);
    if (arch.starts_with("mlp:")) return mlp(SIGIL_TRY(parse_list(arch.substr(4), false)), classes);
    if (arch.starts_with("cnn:")) {
        const std::string_view rest = arch.substr(4);
        const std::size_t colon = rest.find(':');
        if (colon == std::string_view::npos) return fail(ArchError::bad_number);
        const auto channels = SIGIL_TRY(parse_list(rest.substr(0, colon), false));
        const auto hidden = SIGIL_TRY(parse_list(rest.substr(colon + 1), true));
        if (channels.empty() || channels.size() > 4 || hidden.size() != 1) return fail(ArchError::empty_layer);
        return cnn(channels, hidden[0], classes);
    }
    return fail(ArchError::unknown_family);
}

std::uint64_t parameter_count(const ModelSpec& spec) noexcept {
    std::uint64_t n = 0;
    for (const Layer& l : spec.layers) {
        if (l.kind == Layer::Kind::conv) n += std::uint64_t{l.out} * l.in * l.kernel * l.kernel + l.out;
        if (l.kind == Layer::Kind::linear) n += std::uint64_t{l.out} * l.in + l.out;
    }
    return n;
}

namespace {

void put_be32(Bytes& out, std::uint64_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

Hash weights_root(const FloatModel& model) {
    static_assert(std::endian::native == std::endian::little, "f32le encoding below assumes a little-endian host");
    std::vector<Hash> leaves;
    for (const FloatTensor& t : model.params) {
        Bytes b;
        put_be32(b, t.name.size());
        b.insert(b.end(), t.name.begin(), t.name.end());
        put_be32(b, t.shape.size());
        for (auto d : t.shape) put_be32(b, static_cast<std::uint64_t>(d));
        const std::size_t at = b.size();
        b.resize(at + t.data.size() * sizeof(float));
        std::memcpy(b.data() + at, t.data.data(), t.data.size() * sizeof(float));
        leaves.push_back(keccak256(b));
    }
    return merkle_root(leaves);
}

}  // namespace sigil::train
