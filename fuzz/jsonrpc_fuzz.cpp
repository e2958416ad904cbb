// JSON-RPC response decoding: whatever bytes a node (or an attacker in between) sends, the
// decoders return a value or a named error and never crash; typed decoders of the results
// (receipts, logs, headers, quantities) hold to the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chain/eth_types.hpp"
#include "chain/rpc_client.hpp"
#include "chain/rpc_display.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sigil::chain;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto one = decode_response(body, 1);
    if (one) {
        // A success must carry a result; feed it to every typed decoder.
        (void)json_quantity(*one);
        (void)json_data(*one);
        (void)json_hash(*one);
        (void)json_address(*one);
        (void)json_log(*one);
        (void)json_receipt(*one);
        (void)json_block_header(*one);
        (void)format_receipt(*one);
        (void)format_logs(*one);
        (void)receipt_json(*one);
    } else if (one.error().kind == RpcErrorKind::execution_reverted && one.error().data.size() > size) {
        std::abort();  // revert data is extracted from the body, so it cannot be longer
    }
    const std::uint64_t ids[] = {1, 2, 3};
    const auto batch = decode_batch_response(body, ids);
    if (batch && batch->size() != 3) std::abort();
    return 0;
}
