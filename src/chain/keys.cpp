#include "chain/keys.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "chain/random.hpp"
#include "core/keccak.hpp"

namespace sigil::chain {
namespace {

/// One context for the process; libsecp256k1 contexts are safe for concurrent const use.
const secp256k1_context* context() {
    static const secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (c == nullptr) throw std::runtime_error("secp256k1 context creation failed");
        return c;
    }();
    return ctx;
}

/// Overwrites memory in a way the optimizer may not drop.
void secure_wipe(void* p, std::size_t n) noexcept {
    volatile auto* v = static_cast<volatile unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

Result<secp256k1_ecdsa_recoverable_signature, KeyError> to_native(const Signature& sig) {
    if (sig.recovery_id > 1) return fail(KeyError::invalid_signature);
    unsigned char compact[64];
    std::copy(sig.r.begin(), sig.r.end(), compact);
    std::copy(sig.s.begin(), sig.s.end(), compact + 32);
    secp256k1_ecdsa_recoverable_signature native;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &native, compact, sig.recovery_id) != 1)
        return fail(KeyError::invalid_signature);
    // EIP-2: only low-s signatures are valid; normalize() reports whether s was high.
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_recoverable_signature_convert(context(), &plain, &native);
    if (secp256k1_ecdsa_signature_normalize(context(), nullptr, &plain) == 1) return fail(KeyError::invalid_signature);
    return native;
}

}  // namespace

std::string_view to_string(KeyError e) noexcept {
    switch (e) {
        case KeyError::invalid_private_key: return "invalid_private_key";
        case KeyError::invalid_signature: return "invalid_signature";
        case KeyError::recovery_failed: return "recovery_failed";
        case KeyError::entropy_unavailable: return "entropy_unavailable";
    }
    return "unknown";
}

Bytes Signature::to_rsv() const {
    Bytes out(r.begin(), r.end());
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(static_cast<std::uint8_t>(recovery_id + 27));
    return out;
}

Result<Signature, KeyError> Signature::from_rsv(BytesView sig) {
    if (sig.size() != 65) return fail(KeyError::invalid_signature);
    Signature out;
    std::copy_n(sig.begin(), 32, out.r.begin());
    std::copy_n(sig.begin() + 32, 32, out.s.begin());
    std::uint8_t v = sig[64];
    if (v >= 27) v = static_cast<std::uint8_t>(v - 27);
    if (v > 1) return fail(KeyError::invalid_signature);
    out.recovery_id = v;
    return out;
}

Address address_of(const PublicKey& pub) noexcept { return address_from_word(keccak256(as_bytes(pub))); }

Result<PrivateKey, KeyError> PrivateKey::from_bytes(BytesView secret) {
    if (secret.size() != 32) return fail(KeyError::invalid_private_key);
    Bytes32 k{};
    std::copy(secret.begin(), secret.end(), k.begin());
    if (secp256k1_ec_seckey_verify(context(), k.data()) != 1) return fail(KeyError::invalid_private_key);
    return PrivateKey(k);
}

Result<PrivateKey, KeyError> PrivateKey::from_hex(std::string_view hex) {
    auto k = sigil::fixed_from_hex<32>(hex);
    if (!k) return fail(KeyError::invalid_private_key);
    auto key = from_bytes(as_bytes(*k));
    secure_wipe(k->data(), k->size());
    return key;
}

Result<PrivateKey, KeyError> PrivateKey::generate() {
    Bytes32 k{};
    // A uniformly random 256-bit string is a valid scalar except with probability ~2^-128;
    // draw again in that case.
    for (int attempt = 0; attempt < 16; ++attempt) {
        if (!system_random().fill(k)) return fail(KeyError::entropy_unavailable);
        if (secp256k1_ec_seckey_verify(context(), k.data()) == 1) {
            PrivateKey key(k);
            secure_wipe(k.data(), k.size());
            return key;
        }
    }
    return fail(KeyError::entropy_unavailable);
}

PrivateKey::~PrivateKey() { secure_wipe(secret_.data(), secret_.size()); }

PublicKey PrivateKey::public_key() const {
    secp256k1_pubkey pk;
    // Cannot fail: secret_ was verified at construction.
    if (secp256k1_ec_pubkey_create(context(), &pk, secret_.data()) != 1) throw std::logic_error("invalid secret key");
    unsigned char out[65];
    std::size_t len = sizeof out;
    secp256k1_ec_pubkey_serialize(context(), out, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    PublicKey pub{};
    std::copy(out + 1, out + 65, pub.begin());
    return pub;
}

Address PrivateKey::address() const { return address_of(public_key()); }

Signature PrivateKey::sign(const Hash& digest) const {
    secp256k1_ecdsa_recoverable_signature native;
    // The default nonce function is RFC 6979; libsecp256k1 always produces low-s.
    if (secp256k1_ecdsa_sign_recoverable(context(), &native, digest.data(), secret_.data(), nullptr, nullptr) != 1)
        throw std::logic_error("secp256k1 signing failed");
    unsigned char compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact, &recid, &native);
    Signature sig;
    std::copy(compact, compact + 32, sig.r.begin());
    std::copy(compact + 32, compact + 64, sig.s.begin());
    sig.recovery_id = static_cast<std::uint8_t>(recid);
    return sig;
}

Result<PublicKey, KeyError> recover_public_key(const Hash& digest, const Signature& sig) {
    auto native = SIGIL_TRY(to_native(sig));
    secp256k1_pubkey pk;
    if (secp256k1_ecdsa_recover(context(), &pk, &native, digest.data()) != 1) return fail(KeyError::recovery_failed);
    unsigned char out[65];
    std::size_t len = sizeof out;
    secp256k1_ec_pubkey_serialize(context(), out, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    PublicKey pub{};
    std::copy(out + 1, out + 65, pub.begin());
    return pub;
}

Result<Address, KeyError> recover_address(const Hash& digest, const Signature& sig) {
    auto pub = SIGIL_TRY(recover_public_key(digest, sig));
    return address_of(pub);
}

}  // namespace sigil::chain
