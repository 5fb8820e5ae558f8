"""A service moto lacks gives one clear line, and nothing leaves the machine.

Each test records every address the process looks up or connects to (by wrapping
``socket`` inside the test only) and refuses any that is not this machine's.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

import gwlab
from gwlab.errors import GwlabError, UnsupportedOperationError, UnsupportedServiceError

ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


def _local(host: object) -> bool:
    name = str(host).lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@pytest.fixture
def outside(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every non-loopback host the test tried to reach (each attempt refused)."""
    tried: list[str] = []
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def guarded_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            tried.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, "refused by the test")
        return lookup(host, *args, **kwargs)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and not _local(address[0]):
            tried.append(str(address[0]))
            raise ConnectionRefusedError("refused by the test")
        connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield tried


def _one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text
    return text


def test_the_env_s_client_says_so_in_one_line(outside: list[str]) -> None:
    with gwlab.start() as env, pytest.raises(UnsupportedServiceError) as raised:
        env.client("qbusiness").list_applications()
    assert _one_line(raised.value) == (
        "the embedded AWS has no qbusiness service (moto does not emulate it); nothing was sent"
    )
    assert isinstance(raised.value, GwlabError)
    assert outside == []


def test_a_learner_s_own_client_too(outside: list[str]) -> None:
    """boto3's default session, made while the environment is open, with its own retries."""
    with gwlab.start():
        with pytest.raises(UnsupportedServiceError, match="no qbusiness service"):
            boto3.client("qbusiness").list_applications()
        with pytest.raises(UnsupportedServiceError, match="no braket service"):
            boto3.client("braket").search_devices(filters=[])  # an amazonaws.com name
    assert outside == []


def test_an_operation_moto_lacks_is_named(outside: list[str]) -> None:
    with gwlab.start() as env:
        lambda_ = env.client("lambda")
        assert lambda_.list_functions()["Functions"] == []  # the service itself answers
        with pytest.raises(UnsupportedOperationError) as raised:
            lambda_.list_capacity_providers()
    assert "the embedded AWS has no lambda ListCapacityProviders" in _one_line(raised.value)
    assert outside == []


def test_a_client_made_before_the_env_opened_is_covered(outside: list[str]) -> None:
    client = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1"
    ).client("qbusiness", config=ONE_ATTEMPT)
    with gwlab.start(), pytest.raises(UnsupportedServiceError):
        client.list_applications()
    client.close()
    assert outside == []


def test_loopback_endpoints_still_go_through(outside: list[str]) -> None:
    """A client pointed at a local server (here: nothing listening) is let through."""
    with gwlab.start():
        client = boto3.client("qbusiness", endpoint_url="http://127.0.0.1:9", config=ONE_ATTEMPT)
        with pytest.raises(EndpointConnectionError):
            client.list_applications()
        client.close()
    assert outside == []


def test_the_change_is_undone_on_close(outside: list[str]) -> None:
    """Plain moto, after the environment, lets the request out again as it always did."""
    original = BotocoreStubber.__call__
    with gwlab.start():
        assert BotocoreStubber.__call__ is not original
    assert BotocoreStubber.__call__ is original
    with mock_aws():
        client = boto3.session.Session(region_name="us-east-1").client(
            "qbusiness", config=ONE_ATTEMPT
        )
        with pytest.raises(EndpointConnectionError):
            client.list_applications()
        client.close()
    assert outside == ["qbusiness.us-east-1.api.aws"]


def test_the_server_backend_answers_a_clear_aws_error(outside: list[str]) -> None:
    """In server mode the request reaches the local moto, which answers 501, once."""
    with gwlab.start("server") as env:
        with pytest.raises(ClientError) as raised:
            env.client("qbusiness").list_applications()
        assert boto3.client("apigatewayv2").get_apis()["Items"] == []  # still serving
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["Error"] == {
        "Code": "NotImplementedException",
        "Message": "gwlab's emulated AWS has no qbusiness service (moto does not emulate it)",
    }
    assert outside == []
