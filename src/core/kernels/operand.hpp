#pragma once
/// Element access to an op's operands for the scalar reference rules. The same rule code runs on
/// whole tensors (execution, tests) and on opened chunks only (verify_element): an Operand can be
/// told which chunks are present and can record which chunks a rule read.

#include <cstdint>
#include <set>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::kernels {

/// One operand: its descriptor and canonical bytes (the full layout length, even if sparse).
class Operand {
public:
    /// Precondition: data.size() == ir::byte_size(desc); both outlive the Operand.
    Operand(const ir::Tensor& desc, BytesView data) noexcept : desc_(&desc), data_(data) {}

    /// Only chunks i with present[i] are readable; reading another returns 0 and sets missing().
    void set_present(const std::vector<bool>* present) noexcept { present_ = present; }
    /// Every chunk index read is inserted into `touched`.
    void set_recorder(std::set<std::uint64_t>* touched) noexcept { touched_ = touched; }

    /// Element `flat` (row-major index) as int32. Precondition: flat < element count.
    std::int32_t at(std::uint64_t flat) const noexcept;
    /// Element by coordinates (rank must match).
    std::int32_t at(const std::vector<std::uint32_t>& coords) const noexcept;

    const ir::Tensor& desc() const noexcept { return *desc_; }
    const std::vector<std::uint32_t>& shape() const noexcept { return desc_->shape; }
    std::int32_t zero_point() const noexcept { return desc_->quant.zero_point; }
    bool missing() const noexcept { return missing_; }

private:
    const ir::Tensor* desc_;
    BytesView data_;
    const std::vector<bool>* present_ = nullptr;
    std::set<std::uint64_t>* touched_ = nullptr;
    mutable bool missing_ = false;
};

/// Row-major flat index of `coords` in `shape`.
std::uint64_t ravel(const std::vector<std::uint32_t>& shape, const std::vector<std::uint32_t>& coords) noexcept;
/// Coordinates of flat index `flat` in `shape`.
std::vector<std::uint32_t> unravel(const std::vector<std::uint32_t>& shape, std::uint64_t flat);

/// Reads element `flat` of a canonical layout of `dtype`.
std::int32_t load_element(BytesView data, ir::DType dtype, std::uint64_t flat) noexcept;
/// Writes element `flat` (int8 values are truncated to 8 bits; callers clamp first).
void store_element(std::span<std::uint8_t> data, ir::DType dtype, std::uint64_t flat, std::int32_t v) noexcept;

}  // namespace sigil::kernels
