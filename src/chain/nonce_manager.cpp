#include "chain/nonce_manager.hpp"

namespace sigil::chain {

Result<u256, RpcError> NonceManager::chain_pending_count() {
    return eth_.get_transaction_count(sender_, BlockId::pending());
}

Result<u256, RpcError> NonceManager::reserve() {
    std::lock_guard lock(mu_);
    if (!released_.empty()) {
        const u256 n = *released_.begin();
        released_.erase(released_.begin());
        return n;
    }
    if (!next_) next_ = SIGIL_TRY(chain_pending_count());
    return (*next_)++;
}

void NonceManager::release(const u256& nonce) {
    std::lock_guard lock(mu_);
    if (next_ && nonce < *next_) released_.insert(nonce);
}

Result<u256, RpcError> NonceManager::resync() {
    std::lock_guard lock(mu_);
    const u256 count = SIGIL_TRY(chain_pending_count());
    next_ = count;
    released_.clear();
    return count;
}

}  // namespace sigil::chain
