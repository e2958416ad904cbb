#pragma once
/// Lowering of a calibrated ONNX graph to an integer ir::Program. Internal to runtime/quant.

#include <map>
#include <optional>
#include <set>

#include "core/ir/builder.hpp"
#include "runtime/onnx/model.hpp"
#include "runtime/quant/calibrate.hpp"
#include "runtime/quant/qscale.hpp"

namespace sigil::runtime::detail {

/// A lowered int8 value: its program tensor, real quantization and (float) shape.
struct QValue {
    ir::TensorId id = 0;
    AffineQ q;
    Shape shape;
};

/// Where a lowered op writes: the ONNX value it defines (after fusing a following Relu/Clip),
/// that value's quantization and the output clamp.
struct OutSpec {
    std::string name;
    AffineQ q;
    ir::Clamp clamp;
};

class Lowerer {
public:
    Lowerer(const OnnxModel& m, const Calibration& cal);

    /// Lowers every node in order; then marks the graph outputs.
    Result<void, QuantError> run();

    ir::Builder b;
    /// QuantizeOptions::int32_logits.
    bool int32_logits = false;

    // Helpers for the op lowerings.
    const OnnxModel& model() const { return m_; }
    /// The lowered activation `name`, or an error naming the node.
    Result<QValue, QuantError> act(const std::string& name, const OnnxNode& n) const;
    /// A constant (initializer or Constant output) float32 tensor, or nullptr.
    const Tensor* constant(const std::string& name) const;
    /// A constant of any element type (integer slice bounds, shapes), or nullptr.
    const Tensor* any_constant(const std::string& name) const {
        auto it = constants_.find(name);
        return it == constants_.end() ? nullptr : &it->second;
    }
    /// The calibrated range of value `name`, or nullptr.
    const ValueRange* range(const std::string& name) const {
        auto it = cal_.find(name);
        return it == cal_.end() ? nullptr : &it->second;
    }
    /// The quantization calibrated for value `name`.
    Result<AffineQ, QuantError> range_q(const std::string& name) const;
    /// Output spec of node `idx` writing `out`; fuses a sole Relu / constant Clip consumer.
    Result<OutSpec, QuantError> out_spec(std::size_t idx, const std::string& out);
    /// Records `id` as the lowered value `spec.name`.
    void define(const OutSpec& spec, ir::TensorId id);
    void define(const std::string& name, QValue v) { values_[name] = std::move(v); }
    /// A Q31 scale for `real`, or scale_out_of_range naming `what`.
    static Result<ir::QScale, QuantError> qs(double real, const std::string& what);
    /// Per-tensor ir::Quant of an activation.
    static Result<ir::Quant, QuantError> act_quant(const AffineQ& q);
    /// Whether `name` is a graph output that no node reads (logits become int32 only there).
    bool unread_output(const std::string& name) const;
    /// The index of the only node reading `value`, if exactly one does and it is not a graph output.
    std::optional<std::size_t> sole_user(const std::string& value) const;
    /// The nodes reading `value`, in graph order.
    const std::vector<std::size_t>& users_of(const std::string& value) const {
        static const std::vector<std::size_t> none;
        auto it = users_.find(value);
        return it == users_.end() ? none : it->second;
    }
    /// Marks node `idx` as folded into an earlier lowering (it is skipped).
    void mark_fused(std::size_t idx) { fused_.insert(idx); }
    /// The float shape the calibration observed for `name`.
    Result<Shape, QuantError> shape_of(const std::string& name) const;
    /// An integer graph input (token ids), lowered as an int32 program input.
    struct IndexInput {
        ir::TensorId id = 0;
        Shape shape;
    };
    std::optional<IndexInput> index_input(const std::string& name) const {
        auto it = indices_.find(name);
        if (it == indices_.end()) return std::nullopt;
        return it->second;
    }

private:
    const OnnxModel& m_;
    const Calibration& cal_;
    std::map<std::string, QValue> values_;
    std::map<std::string, IndexInput> indices_;
    std::map<std::string, Tensor> constants_;
    std::map<std::string, std::vector<std::size_t>> users_;
    std::set<std::size_t> fused_;
};

/// Error helper naming the node.
QuantError qerr(QuantErrc code, const OnnxNode& n, const std::string& what);

// Pattern matching over the graph (the decompositions torch.onnx.export writes).
/// The node reading `value` alone (Lowerer::sole_user), if its op type is `op`.
std::optional<std::size_t> sole_user_of(const Lowerer& L, const std::string& value, const char* op);
/// The input of two-input node `n` other than `value`; "" when `value` is not one of its two.
std::string other_input(const OnnxNode& n, const std::string& value);
/// Whether `name` is a one-element float constant v with |v - want| < tol.
bool is_scalar(const Lowerer& L, const std::string& name, double want, double tol);

/// ONNX dims as IR dims (all must be in [1, 2^32)).
Result<std::vector<std::uint32_t>, QuantError> ir_shape(const Shape& s, const OnnxNode& n);

/// A 2-D window (kernel, strides, dilations, pads from auto_pad/pads) of a node over NCHW x.
Result<ir::Window2d, QuantError> window_2d(const OnnxNode& n, const Shape& x_shape, const Shape& kernel);

Result<void, QuantError> lower_gemm(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_matmul(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_conv(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_add_mul(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_clip(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_pool(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_reshape(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_transpose(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_softmax(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_gelu(Lowerer& L, std::size_t idx);
Result<void, QuantError> lower_layernorm(Lowerer& L, std::size_t idx);
/// Gather of a constant table's rows by an integer graph input (embeddings).
Result<void, QuantError> lower_gather(Lowerer& L, std::size_t idx);
/// Split of an activation: one gather per part.
Result<void, QuantError> lower_split(Lowerer& L, std::size_t idx);
/// Slice of an activation with constant starts/ends/axes/steps: one gather per sliced axis.
Result<void, QuantError> lower_slice(Lowerer& L, std::size_t idx);
/// Expand of an activation: a gather of index 0 repeated along every broadcast axis.
Result<void, QuantError> lower_expand(Lowerer& L, std::size_t idx);
/// The tanh-form GELU decomposition torch.onnx.export emits, matched from its Mul(x, x) at node
/// `idx` and lowered as one gelu op; nullopt when node `idx` does not start it.
std::optional<Result<void, QuantError>> lower_tanh_gelu(Lowerer& L, std::size_t idx);
/// Div: the head of the Erf GELU decomposition torch.onnx.export emits, or an activation divided
/// by a positive scalar constant.
Result<void, QuantError> lower_div(Lowerer& L, std::size_t idx);
/// Div of an activation by a positive scalar constant (a requantize); nullopt for any other Div.
std::optional<Result<void, QuantError>> lower_div_by_constant(Lowerer& L, std::size_t idx);
/// softmax or causal_softmax of activation x defining value `out`.
Result<void, QuantError> emit_softmax(Lowerer& L, ir::OpKind kind, const QValue& x, const std::string& out);
/// gelu or silu of x writing `out` (node idx's output spec, fusing a following Relu/Clip).
Result<void, QuantError> emit_q14_unary(Lowerer& L, ir::OpKind kind, std::size_t idx, const std::string& x,
                                        const std::string& out);
/// Where(constant causal mask, -inf, scores) before a Softmax: one causal_softmax.
Result<void, QuantError> lower_where(Lowerer& L, std::size_t idx);
/// Add(scores, constant causal mask of 0 and -inf) before a Softmax: one causal_softmax; nullopt
/// when node `idx` adds no mask (no constant with a hiding value).
std::optional<Result<void, QuantError>> lower_mask_add(Lowerer& L, std::size_t idx);
/// Neg: a mul by the constant -1.
Result<void, QuantError> lower_neg(Lowerer& L, std::size_t idx);
/// Concat of activations, each requantized to the output's quantization.
Result<void, QuantError> lower_concat(Lowerer& L, std::size_t idx);
/// ReduceMean: only as the head of LayerNorm decomposed (opsets below 17).
Result<void, QuantError> lower_reduce_mean(Lowerer& L, std::size_t idx);
/// Pow: only as the head of RMSNorm.
Result<void, QuantError> lower_pow(Lowerer& L, std::size_t idx);
/// Sigmoid: only inside SiLU, Mul(x, Sigmoid(x)).
Result<void, QuantError> lower_sigmoid(Lowerer& L, std::size_t idx);

/// A normalization over the last axis found in a graph: layer_norm when centred, else rms_norm.
struct NormMatch {
    std::string x;  ///< the normalized activation
    bool centred = false;
    double eps = 0;
    const Tensor* gamma = nullptr;   ///< D values, one, or none (1)
    const Tensor* beta = nullptr;    ///< D values, one, or none (0); centred only
    std::size_t last = 0;            ///< the node whose output is the normalization's
    std::vector<std::size_t> nodes;  ///< nodes folded into it (marked fused when emitted)
};
Result<void, QuantError> emit_norm(Lowerer& L, const NormMatch& m);

}  // namespace sigil::runtime::detail
