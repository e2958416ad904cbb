#pragma once
/// The operator's signing key, loaded as the configuration says: a keystore file with its
/// password from a file or an environment variable, or (development only) a raw key.

#include "chain/keys.hpp"
#include "node/config.hpp"

namespace sigil::node {

/// Loads the key. Errors name the `operator.*` key at fault (e.g. a wrong password is
/// `operator.keystore: bad_value: keystore: wrong_password`).
Result<chain::PrivateKey, ConfigError> load_operator_key(const OperatorConfig& c);

}  // namespace sigil::node
