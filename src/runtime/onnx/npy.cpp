// NumPy .npy format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#include <cstring>
#include <optional>

#include "runtime/onnx/detail/proto.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace sigil::runtime {

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

OnnxError header_error(const std::string& why) { return OnnxError{OnnxErrc::npy_bad_header, why}; }

std::optional<DType> dtype_from_descr(std::string_view d) {
    if (d.size() < 3) return std::nullopt;
    const char order = d[0];
    const std::string_view kind = d.substr(1);
    const bool one_byte = kind == "i1" || kind == "u1" || kind == "b1";
    if (!(order == '<' || order == '=' || (order == '|' && one_byte))) return std::nullopt;
    if (kind == "f4") return DType::F32;
    if (kind == "f8") return DType::F64;
    if (kind == "i1") return DType::I8;
    if (kind == "u1") return DType::U8;
    if (kind == "i2") return DType::I16;
    if (kind == "u2") return DType::U16;
    if (kind == "i4") return DType::I32;
    if (kind == "u4") return DType::U32;
    if (kind == "i8") return DType::I64;
    if (kind == "u8") return DType::U64;
    if (kind == "b1") return DType::Bool;
    return std::nullopt;
}

std::string descr_of(DType t) {
    switch (t) {
        case DType::F32: return "<f4";
        case DType::F64: return "<f8";
        case DType::I8: return "|i1";
        case DType::U8: return "|u1";
        case DType::I16: return "<i2";
        case DType::U16: return "<u2";
        case DType::I32: return "<i4";
        case DType::U32: return "<u4";
        case DType::I64: return "<i8";
        case DType::U64: return "<u8";
        case DType::Bool:
            return "|b1";
    }
    return "";
}

/// Finds `'key':` in the header dict and returns the text after the colon (spaces skipped).
std::optional<std::string_view> value_after(std::string_view h, std::string_view key) {
    const std::string quoted = "'" + std::string(key) + "'";
    auto p = h.find(quoted);
    if (p == std::string_view::npos) return std::nullopt;
    p = h.find(':', p + quoted.size());
    if (p == std::string_view::npos) return std::nullopt;
    ++p;
    while (p < h.size() && h[p] == ' ') ++p;
    return h.substr(p);
}

Result<Shape, OnnxError> parse_shape(std::string_view v) {
    if (v.empty() || v[0] != '(') return fail(header_error("shape is not a tuple"));
    const auto close = v.find(')');
    if (close == std::string_view::npos) return fail(header_error("unterminated shape"));
    Shape shape;
    std::int64_t n = 1;
    std::size_t i = 1;
    while (i < close) {
        while (i < close && (v[i] == ' ' || v[i] == ',')) ++i;
        if (i >= close) break;
        std::int64_t d = 0;
        bool any = false;
        while (i < close && v[i] >= '0' && v[i] <= '9') {
            if (d > detail::kMaxElements) return fail(header_error("dimension too large"));
            d = d * 10 + (v[i] - '0');
            any = true;
            ++i;
        }
        if (!any) return fail(header_error("bad dimension in shape"));
        if (d > 0 && n > detail::kMaxElements / d) return fail(OnnxError{OnnxErrc::bad_shape, "too many elements"});
        n *= d;
        shape.push_back(d);
    }
    return shape;
}

}  // namespace

Result<Tensor, OnnxError> parse_npy(BytesView b) {
    if (b.size() < 10 || std::memcmp(b.data(), kMagic.data(), kMagic.size()) != 0)
        return fail(OnnxError{OnnxErrc::npy_bad_magic, "missing \\x93NUMPY"});
    const unsigned major = b[6];
    std::size_t header_len = 0;
    std::size_t offset = 0;
    if (major == 1) {
        header_len = std::size_t{b[8]} | (std::size_t{b[9]} << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) return fail(header_error("truncated header length"));
        header_len = std::size_t{b[8]} | (std::size_t{b[9]} << 8) | (std::size_t{b[10]} << 16) | (std::size_t{b[11]} << 24);
        offset = 12;
    } else {
        return fail(header_error("unknown format version " + std::to_string(major)));
    }
    if (b.size() - offset < header_len) return fail(header_error("truncated header"));
    const std::string_view h(reinterpret_cast<const char*>(b.data() + offset), header_len);
    const auto descr = value_after(h, "descr");
    const auto fortran = value_after(h, "fortran_order");
    const auto shape_text = value_after(h, "shape");
    if (!descr || !fortran || !shape_text) return fail(header_error("missing descr, fortran_order or shape"));
    if (descr->empty() || (*descr)[0] != '\'') return fail(header_error("descr is not a string"));
    const auto end_quote = descr->find('\'', 1);
    if (end_quote == std::string_view::npos) return fail(header_error("unterminated descr"));
    const auto dt = dtype_from_descr(descr->substr(1, end_quote - 1));
    if (!dt) return fail(OnnxError{OnnxErrc::npy_unsupported_dtype, std::string(descr->substr(1, end_quote - 1))});
    if (fortran->starts_with("True")) return fail(OnnxError{OnnxErrc::npy_fortran_order, ""});
    if (!fortran->starts_with("False")) return fail(header_error("fortran_order is not a bool"));
    Shape shape = SIGIL_TRY(parse_shape(*shape_text));
    Tensor t = Tensor::zeros(*dt, std::move(shape));
    const std::size_t nbytes = static_cast<std::size_t>(t.numel()) * dtype_size(*dt);
    const std::size_t data_off = offset + header_len;
    if (b.size() - data_off != nbytes)
        return fail(OnnxError{OnnxErrc::data_size_mismatch, std::to_string(b.size() - data_off) + " data bytes, shape " +
                                                                shape_str(t.shape) + " needs " + std::to_string(nbytes)});
    visit_data(t, [&](auto& v) {
        if (nbytes) std::memcpy(v.data(), b.data() + data_off, nbytes);
    });
    return t;
}

Bytes serialize_npy(const Tensor& t) {
    std::string dict = "{'descr': '" + descr_of(t.dtype) + "', 'fortran_order': False, 'shape': (";
    // numpy's own spelling of the shape tuple: "()", "(2,)", "(2, 3)".
    for (std::size_t i = 0; i < t.shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(t.shape[i]);
    if (t.shape.size() == 1) dict += ',';
    dict += "), }";
    // Pad so that magic + version + length + header is a multiple of 64, ending in '\n'.
    const std::size_t total = 10 + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict += '\n';
    Bytes out(kMagic.begin(), kMagic.end());
    out.push_back(1);
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(dict.size() & 0xff));
    out.push_back(static_cast<std::uint8_t>(dict.size() >> 8));
    out.insert(out.end(), dict.begin(), dict.end());
    visit_data(t, [&](const auto& v) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
        out.insert(out.end(), p, p + v.size() * sizeof(v[0]));
    });
    return out;
}

}  // namespace sigil::runtime
