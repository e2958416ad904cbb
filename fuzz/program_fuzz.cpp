// .sigil loading: never crashes; whatever loads re-saves to the same bytes, commits, and (when
// small) runs identically on the reference and fast paths.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "core/ir/op_record.hpp"
#include "core/ir/validate.hpp"
#include "core/kernels/program_run.hpp"

namespace {

constexpr std::uint64_t kMaxRunElements = 4096;

bool small(const sigil::ir::Program& p) {
    std::uint64_t n = 0;
    for (const auto& t : p.tensors) n += sigil::ir::element_count(t.shape);
    return n <= kMaxRunElements;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sigil;  // NOLINT
    auto p = ir::load_program(BytesView(data, size));
    if (!p) return 0;
    if (ir::save_program(*p) != Bytes(data, data + size)) std::abort();
    if (!ir::validate(*p)) std::abort();
    const auto model = ir::commit_model(*p);
    for (std::size_t i = 0; i < p->ops.size(); ++i) {
        auto rec = ir::decode_op_record(ir::encode_op_record(*p, i));
        if (!rec) std::abort();  // every op of a valid program has a valid record
    }
    if (!small(*p)) return 0;
    std::vector<Bytes> inputs;
    for (auto id : p->inputs) inputs.emplace_back(static_cast<std::size_t>(ir::byte_size(p->tensors[id])), 0x81);
    const auto ref = kernels::run_program(*p, inputs, kernels::Path::reference);
    const auto fast = kernels::run_program(*p, inputs, kernels::Path::fast);
    if (!ref || !fast || *ref != *fast) std::abort();
    (void)model;
    return 0;
}
