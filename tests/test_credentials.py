"""A learner's real AWS credentials are never read, used or printed, and come back."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

import gwlab
from gwlab.backends.sandbox import FAKE_ACCESS_KEY_ID

REAL_KEY = "AKIAIOSFODNN7REALKEY"
REAL_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREALSECRET"

_opened: list[str] = []
_watching: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _watching and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if any(path.startswith(prefix) for prefix in _watching):
            _opened.append(path)


sys.addaudithook(_audit)  # audit hooks cannot be removed; it only acts while watching


@pytest.fixture
def real_looking_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A learner with real-looking keys in the environment and in ~/.aws."""
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(
        f"[default]\naws_access_key_id = {REAL_KEY}\naws_secret_access_key = {REAL_SECRET}\n"
        f"[work]\naws_access_key_id = {REAL_KEY}\naws_secret_access_key = {REAL_SECRET}\n"
    )
    (aws / "config").write_text(
        "[default]\nregion = eu-west-3\n[profile work]\nregion = eu-north-1\n"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", REAL_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session-token")
    monkeypatch.setenv("AWS_PROFILE", "work")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.delenv("AWS_CONFIG_FILE", raising=False)
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE", raising=False)
    # A default session made before gwlab starts, as a notebook might have.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session()
    _opened.clear()
    _watching.append(str(aws))
    yield aws
    _watching.clear()


def _signed_access_keys(client: Any) -> list[str]:
    """Record the access key id in the Authorization header of each request sent."""
    seen: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        auth = request.headers.get("Authorization", b"")
        auth = auth.decode() if isinstance(auth, bytes) else auth
        seen.append(auth.split("Credential=", 1)[1].split("/", 1)[0])

    client.meta.events.register_first("before-send", capture)
    return seen


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_real_credentials_are_never_used_read_or_printed(
    backend: str, real_looking_setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ_before = dict(os.environ)
    with gwlab.start(backend) as env:
        ours = env.client("apigatewayv2")
        # A learner's own client, made the usual way inside the environment.
        theirs = boto3.client("apigatewayv2")
        assert theirs.meta.region_name == "us-east-1"
        seen = _signed_access_keys(ours)
        theirs_seen = _signed_access_keys(theirs)
        ours.create_api(Name="a", ProtocolType="HTTP")
        assert [a["Name"] for a in theirs.get_apis()["Items"]] == ["a"]
        assert seen == [FAKE_ACCESS_KEY_ID]
        assert theirs_seen == [FAKE_ACCESS_KEY_ID]
        assert "AWS_SESSION_TOKEN" not in os.environ
        assert "AWS_PROFILE" not in os.environ
        print(env, env._repr_html_())
    printed = capsys.readouterr()
    assert REAL_KEY not in printed.out + printed.err
    assert REAL_SECRET not in printed.out + printed.err
    assert _opened == [], f"gwlab read the learner's AWS files: {_opened}"
    assert dict(os.environ) == environ_before


def test_the_default_session_made_before_start_comes_back(real_looking_setup: Path) -> None:
    before = boto3.DEFAULT_SESSION
    with gwlab.start():
        assert boto3.DEFAULT_SESSION is not before
    assert boto3.DEFAULT_SESSION is before


def test_other_variables_set_while_open_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY)
    with gwlab.start():
        os.environ["GWLAB_TEST_LEARNER_VAR"] = "kept"
    try:
        assert os.environ["GWLAB_TEST_LEARNER_VAR"] == "kept"
        assert os.environ["AWS_ACCESS_KEY_ID"] == REAL_KEY
    finally:
        del os.environ["GWLAB_TEST_LEARNER_VAR"]


def test_server_mode_points_child_processes_at_the_local_server() -> None:
    with gwlab.start("server") as env:
        assert os.environ["AWS_ENDPOINT_URL"] == env.endpoint_url
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY_ID
