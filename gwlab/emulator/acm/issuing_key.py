"""The one RSA key every requested certificate carries, kept between kernels.

An Amazon-issued certificate's private key never leaves AWS, so the embedded ACM
signs every certificate it issues with one key (see :mod:`gwlab.emulator.acm.models`).
Making a 2048-bit RSA key is slow (a random search for primes), and every notebook
from the custom-domain lesson on paid for it again in its fresh kernel.
The key is kept in the machine cache (:mod:`gwlab.startup.cache`: readable only by
its owner, checked against its digest, off with ``GWLAB_CACHE=off``) and made again
whenever the entry is missing, damaged or not such a key. It signs nothing but the
emulator's own certificates.
"""

from __future__ import annotations

import functools
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gwlab.startup import cache

KEY_SIZE = 2048
FILE_NAME = "acm-issuing-key.pem"


def key_path() -> Path:
    """Where the key is kept."""
    return cache.folder() / FILE_NAME


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _read(path: Path) -> tuple[rsa.RSAPrivateKey, bytes] | None:
    pem = cache.read(path)
    if pem is None:
        return None
    try:
        # gwlab wrote it and its digest matches: the slow check of the key's numbers
        # is not needed to trust it.
        key = serialization.load_pem_private_key(
            pem, password=None, unsafe_skip_rsa_key_validation=True
        )
    except Exception:
        return None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != KEY_SIZE:
        return None
    return key, pem


@functools.cache
def issuing_key() -> tuple[rsa.RSAPrivateKey, bytes]:
    """The key and its PEM: read from the cache folder, or made (and kept) the first time."""
    path = key_path()
    found = _read(path)
    if found is not None:
        return found
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    pem = _pem(key)
    cache.keep(path, pem)
    return key, pem
