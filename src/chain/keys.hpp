#pragma once
/// secp256k1 keys, Ethereum addresses and recoverable ECDSA signatures (libsecp256k1).
///
/// Invariants relied on elsewhere: a `PrivateKey` always holds a valid scalar (0 < k < n);
/// `sign` is deterministic (RFC 6979) and always yields low-s signatures (EIP-2), so two
/// signatures of one hash by one key are byte-identical.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::chain {

/// Every way a key or signature can be refused.
enum class KeyError {
    invalid_private_key,  ///< not 32 bytes, zero, or not below the curve order
    invalid_signature,    ///< r or s out of range, or a recovery id other than 0/1 (27/28)
    recovery_failed,      ///< the signature is well formed but no public key recovers from it
    entropy_unavailable,  ///< the operating system's random source failed
};
std::string_view to_string(KeyError e) noexcept;

/// A recoverable ECDSA signature: (r, s) and the recovery id (0 or 1, the parity of R's y).
struct Signature {
    Bytes32 r{};
    Bytes32 s{};
    std::uint8_t recovery_id = 0;

    /// r || s || v with v = recovery_id + 27, the form `cast wallet sign` prints.
    Bytes to_rsv() const;
    /// Parses 65 bytes r || s || v; v may be 0/1 or 27/28.
    static Result<Signature, KeyError> from_rsv(BytesView sig);
};

/// An uncompressed public key without its 0x04 prefix: x || y, 64 bytes.
using PublicKey = FixedBytes<64>;

/// The address of a public key: the low 20 bytes of keccak256(x || y).
Address address_of(const PublicKey& pub) noexcept;

/// A secp256k1 secret key. Holds a valid scalar; wiped from memory on destruction.
class PrivateKey {
public:
    /// 32 big-endian bytes.
    static Result<PrivateKey, KeyError> from_bytes(BytesView secret);
    /// 64 hex digits, with or without `0x`.
    static Result<PrivateKey, KeyError> from_hex(std::string_view hex);
    /// A fresh key from the operating system's CSPRNG (getrandom(2)).
    static Result<PrivateKey, KeyError> generate();

    PrivateKey(const PrivateKey&) = default;
    PrivateKey& operator=(const PrivateKey&) = default;
    ~PrivateKey();

    const Bytes32& secret() const noexcept { return secret_; }
    PublicKey public_key() const;
    Address address() const;

    /// Signs a 32-byte digest: RFC 6979 nonce, low-s. Thread-safe.
    Signature sign(const Hash& digest) const;

private:
    explicit PrivateKey(const Bytes32& secret) : secret_(secret) {}
    Bytes32 secret_{};
};

/// The public key that produced `sig` over `digest`. Rejects high-s signatures (EIP-2).
Result<PublicKey, KeyError> recover_public_key(const Hash& digest, const Signature& sig);
/// The address that produced `sig` over `digest`.
Result<Address, KeyError> recover_address(const Hash& digest, const Signature& sig);

}  // namespace sigil::chain
