#include "runtime/onnx/tensor_io.hpp"

#include <fstream>
#include <iterator>

#include "runtime/onnx/detail/proto.hpp"

namespace sigil::runtime {

Result<NamedTensor, OnnxError> parse_tensor_pb(BytesView bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        return fail(OnnxError{OnnxErrc::malformed_protobuf, "TensorProto larger than 2 GiB"});
    ::onnx::TensorProto p;
    if (!p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return fail(OnnxError{OnnxErrc::malformed_protobuf, "not a TensorProto"});
    Tensor t = SIGIL_TRY(detail::tensor_from_proto(p));
    return NamedTensor{p.name(), std::move(t)};
}

Bytes serialize_tensor_pb(const Tensor& t, const std::string& name) {
    ::onnx::TensorProto p;
    detail::tensor_to_proto(t, name, p);
    std::string s = p.SerializeAsString();
    return Bytes(s.begin(), s.end());
}

Result<Bytes, OnnxError> read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(OnnxError{OnnxErrc::io_error, "cannot open " + path});
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return fail(OnnxError{OnnxErrc::io_error, "cannot read " + path});
    return b;
}

Result<void, OnnxError> write_file_bytes(const std::string& path, BytesView bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return fail(OnnxError{OnnxErrc::io_error, "cannot create " + path});
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return fail(OnnxError{OnnxErrc::io_error, "cannot write " + path});
    return {};
}

namespace {
bool has_suffix(const std::string& s, std::string_view suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
}  // namespace

Result<NamedTensor, OnnxError> read_tensor_file(const std::string& path) {
    Bytes b = SIGIL_TRY(read_file_bytes(path));
    if (has_suffix(path, ".npy")) {
        Tensor t = SIGIL_TRY(parse_npy(b));
        return NamedTensor{"", std::move(t)};
    }
    return parse_tensor_pb(b);
}

Result<void, OnnxError> write_tensor_file(const std::string& path, const Tensor& t, const std::string& name) {
    return write_file_bytes(path, has_suffix(path, ".npy") ? serialize_npy(t) : serialize_tensor_pb(t, name));
}

}  // namespace sigil::runtime
