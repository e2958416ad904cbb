#include "node/operator_key.hpp"

#include <cstdlib>

#include "chain/key_source.hpp"

namespace sigil::node {

Result<chain::PrivateKey, ConfigError> load_operator_key(const OperatorConfig& c) {
    chain::KeySource src;
    std::string key_name = "operator.keystore";
    if (!c.private_key.empty()) {
        src.private_key = c.private_key;
        key_name = "operator.private_key";
    } else {
        src.keystore = c.keystore.string();
        if (!c.password_file.empty()) {
            src.password_file = c.password_file.string();
        } else {
            const char* pw = std::getenv(c.password_env.c_str());
            if (pw == nullptr) {
                return fail(ConfigError{ConfigErrorKind::missing_key, "operator.password_env",
                                        "environment variable " + c.password_env + " is not set"});
            }
            src.password = pw;
        }
    }
    auto key = chain::load_key(src);
    if (!key) {
        if (key.error().kind == chain::KeySourceErrorKind::password_file) key_name = "operator.password_file";
        return fail(ConfigError{ConfigErrorKind::bad_value, key_name, key.error().describe()});
    }
    return std::move(*key);
}

}  // namespace sigil::node
