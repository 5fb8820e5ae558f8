"""Every change gwlab makes to moto, werkzeug, botocore or boto3 is undone on close.

Each row names one attribute gwlab changes (always through the emulator's registry).
Before an environment opens it is the library's own object; while one is open it is
gwlab's; after close it is the library's own object again — the very entry of the
class's or module's ``__dict__``, or no entry at all where the class only inherited it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import boto3
import moto.acm.models
import moto.apigatewayv2.models
import moto.core.utils
import moto.route53.models
import pytest
from moto import backend_index, settings
from moto.core.base_backend import AccountSpecificBackend
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.routing import SmithyRule

import gwlab

_MISSING = object()

#: (owner, attribute) for every attribute gwlab replaces while an environment is open.
PATCHED: list[tuple[Any, str]] = [
    (moto.core.utils, "create_loader"),
    (moto.core.utils, "service_name_from_moto_package_name"),
    (AccountSpecificBackend, "get_session"),
    (SmithyRule, "_compile_builder"),
    (BotocoreStubber, "__call__"),
    (settings, "ACM_VALIDATION_WAIT"),
    (moto.acm.models, "CertBundle"),
    (moto.acm.models.acm_backends, "backend"),
    (moto.apigatewayv2.models.apigatewayv2_backends, "backend"),
    (moto.route53.models.route53_backends, "backend"),
    (boto3, "DEFAULT_SESSION"),
]


def _entry(owner: Any, name: str) -> Any:
    """What ``owner`` itself holds under ``name`` (its ``__dict__`` entry, or none)."""
    return vars(owner).get(name, _MISSING)


@pytest.mark.parametrize(
    ("owner", "name"),
    PATCHED,
    ids=[f"{getattr(o, '__name__', type(o).__name__)}.{n}" for o, n in PATCHED],
)
def test_the_patch_is_undone_on_close(owner: Any, name: str) -> None:
    before = _entry(owner, name)
    env = gwlab.start()
    try:
        if name != "DEFAULT_SESSION":  # the sandbox empties it (it may be empty already)
            assert _entry(owner, name) is not before, "gwlab changes it while open"
    finally:
        env.close()
    assert _entry(owner, name) is before


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_moto_s_routing_index_is_moto_s_own_after_close(backend: str) -> None:
    before = list(backend_index.backend_url_patterns)
    with gwlab.start(backend=backend):
        assert backend_index.backend_url_patterns != before
    assert backend_index.backend_url_patterns == before


def test_a_default_session_made_before_is_put_back() -> None:
    boto3.setup_default_session(region_name="eu-west-1")
    mine = boto3.DEFAULT_SESSION
    try:
        with gwlab.start():
            assert boto3.DEFAULT_SESSION is not mine
        assert boto3.DEFAULT_SESSION is mine
    finally:
        boto3.DEFAULT_SESSION = None


FRESH = textwrap.dedent(
    """
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend
    from moto.core.routing import SmithyRule

    def entries():
        return (
            vars(moto.core.utils)["create_loader"],
            vars(moto.core.utils)["service_name_from_moto_package_name"],
            vars(AccountSpecificBackend)["get_session"],
            vars(SmithyRule).get("_compile_builder"),
        )

    own = entries()
    import gwlab
    print(entries() == own)
    gwlab.start().close()
    print(entries() == own)
    """
)


def test_importing_gwlab_changes_nothing_in_moto_or_werkzeug() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
