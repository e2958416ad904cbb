#pragma once
/// An ONNX model decoded into host types: the graph's nodes, attributes, initializers and typed
/// inputs/outputs, with the default-domain opset. Protobuf stays behind this boundary.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "runtime/onnx/error.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::runtime {

/// One attribute value. Graph, sparse-tensor and type attributes are refused at load.
using AttrValue = std::variant<std::int64_t, float, std::string, Tensor, std::vector<std::int64_t>,
                               std::vector<float>, std::vector<std::string>>;

/// A graph node. Absent optional inputs are empty strings, as in ONNX.
struct OnnxNode {
    std::string name;
    std::string op_type;
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<std::string, AttrValue> attrs;

    bool has_attr(const std::string& key) const { return attrs.count(key) != 0; }
    /// The attribute as T, or std::nullopt when absent or of another kind; the `_or` helpers
    /// return `fallback` in both cases.
    template <typename T>
    std::optional<T> get(const std::string& key) const {
        auto it = attrs.find(key);
        if (it == attrs.end()) return std::nullopt;
        if (const T* v = std::get_if<T>(&it->second)) return *v;
        return std::nullopt;
    }
    std::int64_t int_or(const std::string& key, std::int64_t fallback) const { return get<std::int64_t>(key).value_or(fallback); }
    float float_or(const std::string& key, float fallback) const { return get<float>(key).value_or(fallback); }
    std::string string_or(const std::string& key, std::string fallback) const { return get<std::string>(key).value_or(fallback); }
    std::vector<std::int64_t> ints_or(const std::string& key, std::vector<std::int64_t> fallback) const {
        return get<std::vector<std::int64_t>>(key).value_or(std::move(fallback));
    }
    /// Input `i` if present and non-empty.
    bool has_input(std::size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
};

/// A typed graph input or output. Symbolic or unknown dims are -1; `shape` is empty and
/// `rank_known` false when the rank itself is unknown.
struct OnnxValueInfo {
    std::string name;
    DType dtype = DType::F32;
    Shape shape;
    bool rank_known = false;
};

/// A decoded model. `inputs` excludes names that are initializers (ONNX IR >= 4 lets an
/// initializer double as a graph input with a default value; we treat it as a constant).
struct OnnxModel {
    std::int64_t ir_version = 0;
    std::int64_t opset = 0;  ///< default-domain ("" / "ai.onnx") opset version
    std::string producer;
    std::string graph_name;
    std::vector<OnnxValueInfo> inputs;
    std::vector<OnnxValueInfo> outputs;
    std::map<std::string, Tensor> initializers;
    std::vector<OnnxNode> nodes;
};

/// Decodes a serialized ModelProto. Checks the opset (see `check_opset`), refuses external
/// data, unsupported element types, non-tensor graph values, other domains and graph attributes.
Result<OnnxModel, OnnxError> parse_onnx_model(BytesView bytes);

/// Reads and decodes a `.onnx` file.
Result<OnnxModel, OnnxError> load_onnx_model(const std::string& path);

}  // namespace sigil::runtime
