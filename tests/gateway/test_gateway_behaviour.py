"""One case per behaviour of the local gateway (issue 5; AWS_FACTS throughout).

Each case is a request in and the status, headers and event out. The world the
requests go to is built with plain boto3 in ``world.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

import gwlab

from world import World, build

ABSENT = object()
ORIGIN = "https://example.com"


@dataclass(frozen=True)
class Case:
    """A request (URL with {quick}/{routed}/... placeholders) and what must come back."""

    id: str
    method: str
    url: str
    status: int
    headers: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] | None = field(default_factory=dict)  # None: no function ran
    body: Any = ABSENT  # compared as JSON
    text: str | None = None  # compared as text
    request_headers: tuple[tuple[str, str], ...] = ()
    request_body: bytes | None = None
    trace: str = ""


def _api(name: str) -> str:
    return f"https://{{{name}}}.execute-api.us-east-1.amazonaws.com"


PREFLIGHT = (
    ("Origin", ORIGIN),
    ("Access-Control-Request-Method", "PUT"),
    ("Access-Control-Request-Headers", "content-type"),
)
NO_CORS = {"access-control-allow-origin": ABSENT, "access-control-allow-methods": ABSENT}

CASES = [
    # --- hosts and stages -------------------------------------------------------------------
    Case(
        "default-stage-no-prefix",
        "GET",
        _api("quick") + "/items",
        200,
        event={"rawPath": "/items", "requestContext.stage": "$default", "routeKey": "$default"},
    ),
    Case(
        "named-stage-prefix-kept-in-event",
        "GET",
        _api("routed") + "/prod/items",
        200,
        event={
            "rawPath": "/prod/items",
            "requestContext.http.path": "/prod/items",
            "routeKey": "GET /items",
            "requestContext.stage": "prod",
        },
    ),
    Case(
        "stage-prefix-is-a-whole-segment",
        "GET",
        _api("quick") + "/production/items",
        200,
        event={"rawPath": "/production/items", "requestContext.stage": "$default"},
    ),
    Case(
        "no-stage-and-no-default-is-404",
        "GET",
        _api("routed") + "/staging/items",
        404,
        event=None,
        body={"message": "Not Found"},
    ),
    Case(
        "never-deployed-stage-is-404",
        "GET",
        _api("quick") + "/never/items",
        404,
        event=None,
        body={"message": "Not Found"},
        trace="never been deployed",
    ),
    Case(
        "custom-domain-longest-key-wins",
        "GET",
        "https://api.example.com/orders/v1/items",
        200,
        event={
            "rawPath": "/items",
            "requestContext.stage": "dev",
            "routeKey": "GET /items",
            "requestContext.apiId": "{routed}",
        },
    ),
    Case(
        "custom-domain-key-stripped",
        "GET",
        "https://api.example.com/v1/items/42",
        200,
        event={
            "rawPath": "/items/42",
            "requestContext.http.path": "/items/42",
            "requestContext.stage": "prod",
            "pathParameters": {"id": "42"},
            "requestContext.domainName": "api.example.com",
            "requestContext.domainPrefix": "api",
        },
    ),
    Case(
        "custom-domain-empty-key-fallback",
        "GET",
        "https://api.example.com/items",
        200,
        event={
            "rawPath": "/items",
            "requestContext.apiId": "{quick}",
            "requestContext.stage": "$default",
        },
    ),
    Case(
        "mapping-key-is-a-whole-segment",
        "GET",
        "https://api.example.com/v1items",
        200,
        event={"rawPath": "/v1items", "requestContext.apiId": "{quick}"},
    ),
    Case(
        "forgotten-mapping-is-403",
        "GET",
        "https://rootless.example.com/items",
        403,
        headers={"x-amzn-errortype": "ForbiddenException"},
        event=None,
        body={"message": "Forbidden"},
        trace="no API mapping matches",
    ),
    Case(
        "domain-without-mappings-is-403",
        "GET",
        "https://nomap.example.com/",
        403,
        event=None,
        body={"message": "Forbidden"},
    ),
    Case(
        "no-stage-prefix-on-custom-domains",
        "GET",
        "https://api.example.com/v1/prod/items",
        404,
        event=None,
        trace="no route matches GET /prod/items",
    ),
    Case(
        "disabled-execute-api-endpoint-is-403",
        "GET",
        _api("hidden") + "/items",
        403,
        event=None,
        body={"message": "Forbidden"},
        trace="disableExecuteApiEndpoint",
    ),
    Case(
        "disabled-endpoint-still-serves-its-domain",
        "GET",
        "https://hidden.example.com/items",
        200,
        event={"rawPath": "/items"},
    ),
    # --- routes ------------------------------------------------------------------------------
    Case(
        "exact-beats-path-parameter",
        "GET",
        _api("routed") + "/prod/items/special",
        200,
        event={"routeKey": "GET /items/special", "pathParameters": ABSENT},
    ),
    Case(
        "method-beats-any",
        "GET",
        _api("routed") + "/prod/items/42",
        200,
        event={"routeKey": "GET /items/{id}", "pathParameters": {"id": "42"}},
    ),
    Case(
        "any-takes-other-methods",
        "DELETE",
        _api("routed") + "/prod/items/42",
        200,
        event={"routeKey": "ANY /items/{id}", "requestContext.http.method": "DELETE"},
    ),
    Case(
        "greedy-proxy",
        "GET",
        _api("routed") + "/prod/files/a/b.txt",
        200,
        event={"routeKey": "GET /files/{proxy+}", "pathParameters": {"proxy": "a/b.txt"}},
    ),
    Case(
        "default-route-catches-the-rest",
        "PATCH",
        _api("quick") + "/anything/at/all",
        200,
        event={"routeKey": "$default"},
    ),
    Case(
        "no-route-is-404",
        "GET",
        _api("routed") + "/prod/nothing",
        404,
        event=None,
        body={"message": "Not Found"},
    ),
    Case(
        "trailing-slash-still-matches",
        "GET",
        _api("routed") + "/prod/items/",
        200,
        event={"routeKey": "GET /items"},
    ),
    Case(
        "url-decoding",
        "GET",
        _api("routed") + "/prod/items/hello%20world",
        200,
        event={"pathParameters": {"id": "hello world"}, "rawPath": "/prod/items/hello world"},
    ),
    # --- payload format 2.0 -----------------------------------------------------------------------
    Case(
        "headers-cookies-query",
        "GET",
        _api("routed") + "/prod/items?a=1&a=2&b=%20x",
        200,
        request_headers=(
            ("X-Custom", "1"),
            ("X-Custom", "2"),
            ("Cookie", "c=1; d=2"),
            ("User-Agent", "lab/1"),
        ),
        event={
            "headers.x-custom": "1,2",
            "headers.cookie": ABSENT,
            "cookies": ["c=1", "d=2"],
            "queryStringParameters": {"a": "1,2", "b": " x"},
            "rawQueryString": "a=1&a=2&b=%20x",
            "requestContext.http.userAgent": "lab/1",
            "version": "2.0",
            "requestContext.accountId": "123456789012",
        },
    ),
    Case(
        "empty-parts-are-absent",
        "GET",
        _api("quick") + "/items",
        200,
        event={
            "cookies": ABSENT,
            "queryStringParameters": ABSENT,
            "pathParameters": ABSENT,
            "stageVariables": ABSENT,
            "body": ABSENT,
            "rawQueryString": "",
            "isBase64Encoded": False,
        },
    ),
    Case(
        "stage-variables-arrive",
        "GET",
        _api("quick") + "/prod/items",
        200,
        event={"stageVariables": {"TABLE_NAME": "t-prod"}},
    ),
    Case(
        "text-body",
        "POST",
        _api("routed") + "/prod/items",
        200,
        request_headers=(("Content-Type", "application/json"),),
        request_body=b'{"a":1}',
        event={"body": '{"a":1}', "isBase64Encoded": False},
    ),
    Case(
        "binary-body",
        "POST",
        _api("routed") + "/prod/items",
        200,
        request_headers=(("Content-Type", "application/octet-stream"),),
        request_body=b"\x00\xff",
        event={"body": "AP8=", "isBase64Encoded": True},
    ),
    Case(
        "structured-response-used-as-is",
        "GET",
        _api("routed") + "/prod/cookies",
        201,
        headers={"set-cookie": "a=1,b=2", "x-n": "5"},
        text="made",
    ),
    Case(
        "bare-json-is-200",
        "GET",
        _api("routed") + "/prod/bare",
        200,
        headers={"content-type": "application/json"},
        body=["a", 1],
    ),
    Case("bare-string-is-json", "GET", _api("routed") + "/prod/text", 200, body="hello"),
    Case(
        "handler-exception-is-500",
        "GET",
        _api("routed") + "/prod/raises",
        500,
        body={"message": "Internal Server Error"},
        trace='File "/var/task/app.py", line 2, in handler',
    ),
    Case(
        "malformed-status-is-500",
        "GET",
        _api("routed") + "/prod/malformed",
        500,
        body={"message": "Internal Server Error"},
        trace="statusCode 'abc'",
    ),
    Case(
        "unserializable-output-is-500",
        "GET",
        _api("routed") + "/prod/unserializable",
        500,
        body={"message": "Internal Server Error"},
        trace="Unable to marshal",
    ),
    Case(
        "stage-variable-in-uri-prod",
        "GET",
        _api("routed") + "/prod/table",
        200,
        body={"table": "prod"},
        trace="function:prod-items",
    ),
    Case(
        "stage-variable-in-uri-dev",
        "GET",
        _api("routed") + "/dev/table",
        200,
        body={"table": "dev"},
        trace="function:dev-items",
    ),
    # --- CORS ---
    Case(
        "preflight-answered-by-gateway",
        "OPTIONS",
        _api("routed") + "/prod/items",
        204,
        request_headers=PREFLIGHT,
        event=None,
        headers={
            "access-control-allow-origin": ORIGIN,
            "access-control-allow-methods": "GET,POST,PUT,DELETE",
            "access-control-allow-headers": "Content-Type,Authorization",
            "access-control-max-age": "86400",
        },
    ),
    Case(
        "preflight-from-localhost-3000",
        "OPTIONS",
        "https://api.example.com/v1/items",
        204,
        request_headers=(
            ("Origin", "http://localhost:3000"),
            ("Access-Control-Request-Method", "GET"),
        ),
        event=None,
        headers={"access-control-allow-origin": "http://localhost:3000"},
    ),
    Case(
        "preflight-other-origin-refused",
        "OPTIONS",
        _api("routed") + "/prod/items",
        204,
        request_headers=(
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "GET"),
        ),
        event=None,
        headers=NO_CORS,
        trace="not in AllowOrigins",
    ),
    Case(
        "preflight-method-not-allowed",
        "OPTIONS",
        _api("routed") + "/prod/items",
        204,
        request_headers=(("Origin", ORIGIN), ("Access-Control-Request-Method", "PATCH")),
        event=None,
        headers=NO_CORS,
        trace="PATCH is not in AllowMethods",
    ),
    Case(
        "preflight-header-not-allowed",
        "OPTIONS",
        _api("routed") + "/prod/items",
        204,
        request_headers=(
            ("Origin", ORIGIN),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "x-other"),
        ),
        event=None,
        headers=NO_CORS,
        trace="x-other is not in AllowHeaders",
    ),
    Case(
        "any-route-receives-the-preflight",
        "OPTIONS",
        _api("anyroute") + "/items",
        200,
        request_headers=PREFLIGHT,
        event={"routeKey": "ANY /items"},
        headers={"access-control-allow-origin": ORIGIN},
        trace="takes it",
    ),
    Case(
        "default-route-receives-the-preflight",
        "OPTIONS",
        "https://hidden.example.com/items",
        200,
        request_headers=PREFLIGHT,
        event={"routeKey": "$default"},
    ),
    Case(
        "configured-headers-replace-the-integrations",
        "GET",
        _api("routed") + "/prod/cookies",
        201,
        request_headers=(("Origin", ORIGIN),),
        headers={"access-control-allow-origin": ORIGIN},
        trace="ignored",
    ),
    Case(
        "disallowed-origin-gets-no-header",
        "GET",
        _api("routed") + "/prod/items",
        200,
        request_headers=(("Origin", "https://evil.example"),),
        headers=NO_CORS,
    ),
    Case(
        "nothing-added-without-origin",
        "GET",
        _api("routed") + "/prod/items",
        200,
        headers={"access-control-allow-origin": ABSENT},
    ),
    Case(
        "no-cors-configuration-options-is-routed",
        "OPTIONS",
        _api("quick") + "/items",
        200,
        request_headers=PREFLIGHT,
        event={"routeKey": "$default", "requestContext.http.method": "OPTIONS"},
        headers=NO_CORS,
    ),
]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One world for the read-only cases (building it takes a few hundred ms)."""
    with gwlab.start() as env:
        yield build(env)


def _lookup(event: dict[str, Any], dotted: str) -> Any:
    node: Any = event
    parts = dotted.split(".", 1) if dotted.startswith("headers.") else dotted.split(".")
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return ABSENT
        node = node[part]
    return node


def fill(value: Any, world: World) -> Any:
    if isinstance(value, str):
        for name in ("quick", "routed", "anyroute", "hidden"):
            value = value.replace("{" + name + "}", getattr(world, name))
    return value


@pytest.mark.shared_env
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_gateway_case(world: World, case: Case) -> None:
    response = world.env.gateway.request(
        case.method, fill(case.url, world), headers=case.request_headers, body=case.request_body
    )
    assert response.status == case.status, repr(response.trace)
    for name, expected in case.headers.items():
        assert response.headers.get(name, ABSENT) == expected, (name, response.headers)
    if case.body is not ABSENT:
        assert response.json() == case.body
    if case.text is not None:
        assert response.text == case.text
    if case.event is None:
        assert response.event is None
    else:
        assert response.event is not None
        for dotted, expected in case.event.items():
            assert _lookup(response.event, dotted) == fill(expected, world), dotted
    assert case.trace in repr(response.trace)
    assert response.headers["apigw-requestid"]
