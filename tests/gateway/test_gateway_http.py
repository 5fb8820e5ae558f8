"""The gateway over real HTTP on 127.0.0.1, answered to curl and urllib."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

import gwlab

from support import curl
from world import World, build


@pytest.fixture
def world() -> Iterator[World]:
    with gwlab.start() as env:
        yield build(env)


def test_curl_with_a_host_header(world: World) -> None:
    url = world.env.gateway.url
    status, headers, body = curl("-H", "Host: api.example.com", f"{url}/v1/items")
    assert status == 200
    assert json.loads(body) == {"routeKey": "GET /items", "rawPath": "/items"}
    assert headers["content-type"] == "application/json"
    assert headers["apigw-requestid"]


def test_curl_through_the_gateway_as_a_proxy(world: World) -> None:
    """An absolute URL in the request line (curl -x) selects the host too."""
    status, _, body = curl("-x", world.env.gateway.url, "http://api.example.com/v1/items/7")
    assert status == 200
    assert json.loads(body)["routeKey"] == "GET /items/{id}"


def test_curl_sees_the_forgotten_mapping_and_the_preflight(world: World) -> None:
    url = world.env.gateway.url
    status, headers, body = curl("-H", "Host: rootless.example.com", f"{url}/items")
    assert (status, json.loads(body)) == (403, {"message": "Forbidden"})
    assert headers["x-amzn-errortype"] == "ForbiddenException"
    status, headers, _ = curl(
        "-X",
        "OPTIONS",
        "-H",
        "Host: api.example.com",
        "-H",
        "Origin: http://localhost:3000",
        "-H",
        "Access-Control-Request-Method: PUT",
        f"{url}/v1/items",
    )
    assert status == 204
    assert headers["access-control-allow-origin"] == "http://localhost:3000"


def test_urllib_and_the_execute_api_host(world: World) -> None:
    request = urllib.request.Request(
        world.env.gateway.url + "/prod/items?x=1",
        headers={"Host": f"{world.routed}.execute-api.us-east-1.amazonaws.com"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert json.load(response) == {"routeKey": "GET /items", "rawPath": "/prod/items"}


def test_unknown_host_over_http_says_what_to_do(world: World) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(world.env.gateway.url + "/items", timeout=10)
    assert refused.value.code == 421
    answer = json.load(refused.value)
    assert "no API or custom domain name answers for host '127.0.0.1'" in answer["message"]
    assert answer["hint"].startswith("curl -H 'Host: api.example.com'")


def test_closing_the_environment_stops_the_server(world: World) -> None:
    port = int(world.env.gateway.url.rsplit(":", 1)[1])
    world.env.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_a_superseded_environment_stops_its_gateway_server() -> None:
    first = gwlab.start()
    port = int(first.gateway.url.rsplit(":", 1)[1])
    with gwlab.start() as second:
        assert first.closed
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1)
        assert second.client("apigatewayv2").get_apis()["Items"] == []
