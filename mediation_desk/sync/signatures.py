"""Ed25519 verification of a raw 32-byte public key and a 64-byte signature: the one check every process of an
import makes (this one and the helpers of ``sync.verifying``), so that all give the same answer.

libsodium (PyNaCl) where it is installed: about twice as fast as ``cryptography``'s here, and stricter (it also
refuses keys of small order and non-canonical encodings, which no honest signer makes). Without PyNaCl,
``cryptography`` checks the same signatures. Signing and key files stay with ``cryptography`` (``sync.keys``):
the keys and signatures are the same bytes either way. This module imports nothing of the program, so that a
helper process starts in a fraction of a second.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64

Verify = Callable[[bytes, bytes, bytes], bool]


def _with_cryptography() -> Verify:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    @functools.lru_cache(maxsize=4096)
    def public(raw: bytes) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(raw)

    def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
        try:
            public(public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    return verify


def _with_sodium() -> Verify | None:
    try:
        from nacl.bindings import crypto_sign_open
        from nacl.exceptions import CryptoError
    except ImportError:
        return None

    def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
        try:
            crypto_sign_open(signature + message, public_key)
        except (CryptoError, ValueError, TypeError):
            return False
        return True

    return verify


def backend() -> str:
    """Which library checks the signatures: ``libsodium`` or ``cryptography``."""
    return BACKEND


_SODIUM = _with_sodium()
BACKEND = "libsodium" if _SODIUM is not None else "cryptography"
_VERIFY: Verify = _SODIUM if _SODIUM is not None else _with_cryptography()


def verify_raw(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the Ed25519 signature of ``message`` by the raw ``public_key``."""
    if len(public_key) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    return _VERIFY(public_key, message, signature)


__all__ = ["BACKEND", "PUBLIC_KEY_BYTES", "SIGNATURE_BYTES", "backend", "verify_raw"]
