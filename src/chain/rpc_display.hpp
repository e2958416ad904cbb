#pragma once
/// Human-readable text of receipts and logs, in the exact layout cast 1.7.1 prints
/// (`cast receipt`, `cast send`, `cast logs`), built from the node's JSON.

#include <string>

#include "chain/rpc_client.hpp"

namespace sigil::chain {

/// The key/value table of `cast receipt <hash>`: a blank line, then one `%-20s %s` line per
/// field, then a blank line.
std::string format_receipt(const Json& receipt);

/// One field as `cast receipt <hash> <field>` prints it: quantities in decimal, addresses
/// checksummed, `status` as true/false, logs as compact JSON. Empty for an absent field.
std::string format_receipt_field(const Json& receipt, const std::string& field);

/// The receipt as `cast receipt --json` orders it.
Json receipt_json(const Json& receipt);

/// The YAML-like list of `cast logs`.
std::string format_logs(const Json& logs);

}  // namespace sigil::chain
