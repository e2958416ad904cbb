// Reference rules of reshape, transpose, concat, gather and cache_write (docs/ops.md §12-15, §22).
#include "core/kernels/detail/rules.hpp"

namespace sigil::kernels::detail {

std::int32_t reshape_element(const ir::Op&, Ins in, const ir::Tensor&, std::uint64_t o) { return in[0].at(o); }

std::int32_t transpose_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto oc = unravel(out.shape, o);
    std::vector<std::uint32_t> ic(oc.size());
    for (std::size_t i = 0; i < oc.size(); ++i) ic[op.attrs.perm[i]] = oc[i];
    return in[0].at(ic);
}

std::int32_t cache_write_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    auto c = unravel(out.shape, o);
    const auto axis = static_cast<std::size_t>(op.attrs.axis);
    const std::int64_t s = out.shape[axis];
    const std::int64_t v = in[1].at(0);
    if (c[axis] != static_cast<std::uint32_t>(((v % s) + s) % s)) return in[0].at(o);
    c[axis] = 0;
    return in[2].at(c);
}

std::int32_t concat_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    auto c = unravel(out.shape, o);
    const auto axis = static_cast<std::size_t>(op.attrs.axis);
    std::size_t k = 0;
    while (c[axis] >= in[k].shape()[axis]) {
        c[axis] -= in[k].shape()[axis];
        ++k;
    }
    return in[k].at(c);
}

std::int32_t gather_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto& data = in[0];
    const auto& idx = in[1];
    const auto axis = static_cast<std::size_t>(op.attrs.axis);
    const auto oc = unravel(out.shape, o);
    const std::size_t idx_rank = idx.shape().size();
    std::vector<std::uint32_t> icoords(oc.begin() + static_cast<std::ptrdiff_t>(axis),
                                       oc.begin() + static_cast<std::ptrdiff_t>(axis + idx_rank));
    const std::int64_t s = data.shape()[axis];
    const std::int64_t v = idx.at(icoords);
    const auto wrapped = static_cast<std::uint32_t>(((v % s) + s) % s);  // total: any index is valid
    std::vector<std::uint32_t> dc(oc.begin(), oc.begin() + static_cast<std::ptrdiff_t>(axis));
    dc.push_back(wrapped);
    dc.insert(dc.end(), oc.begin() + static_cast<std::ptrdiff_t>(axis + idx_rank), oc.end());
    return data.at(dc);
}

}  // namespace sigil::kernels::detail
