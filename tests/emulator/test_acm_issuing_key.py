"""The embedded ACM's one issuing key: kept in the cache folder, made again when it must be."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gwlab.emulator.acm import issuing_key as module
from gwlab.startup import cache as machine_cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    module.issuing_key.cache_clear()
    yield tmp_path / "gwlab" / module.FILE_NAME
    module.issuing_key.cache_clear()


def _public(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _no_new_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> None:
        raise AssertionError("a new key was made")

    monkeypatch.setattr(module.rsa, "generate_private_key", refuse)


def test_the_key_is_made_once_and_kept_for_the_next_kernel(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, pem = module.issuing_key()
    assert key.key_size == 2048 and machine_cache.read(cache) == pem
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    module.issuing_key.cache_clear()  # what a new kernel sees
    _no_new_keys(monkeypatch)
    again, again_pem = module.issuing_key()
    assert again_pem == pem and _public(again) == _public(key)


@pytest.mark.parametrize(
    "content",
    [b"not a key", b"", None],
    ids=["garbage", "empty", "an EC key"],
)
def test_a_file_that_is_not_such_a_key_is_replaced(cache: Path, content: bytes | None) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    if content is None:
        content = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    cache.parent.mkdir(parents=True)
    cache.write_bytes(content)
    key, pem = module.issuing_key()
    assert key.key_size == 2048 and machine_cache.read(cache) == pem != content


def test_a_cache_folder_that_cannot_be_written_still_gives_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    module.issuing_key.cache_clear()
    try:
        key, _ = module.issuing_key()
        assert key.key_size == 2048
        assert blocker.read_text() == "a file where the cache folder would be"
    finally:
        module.issuing_key.cache_clear()
