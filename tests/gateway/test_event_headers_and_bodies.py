"""What API Gateway adds to and takes from every request and response (issue 17, items 2, 3, 6).

AWS_FACTS, "Added after the second audit": the headers every payload 2.0 event
carries, request bodies encoded by content type, and the integration's own
``Access-Control-*`` headers dropped whenever the API has a CORS configuration.
Each rule is checked in process (both backends) and over real HTTP (curl, urllib).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import gwlab
from gwlab.functions import deploy_function

from support import curl
from world import LESSON_CORS

TRACE_ID = re.compile(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")
#: The function answers with the event it received, and CORS headers of its own.
SHOW_EVENT = """
import json
def handler(event, context):
    return {
        "statusCode": 200,
        "headers": {
            "content-type": "application/json",
            "Access-Control-Allow-Origin": "*",
            "access-control-expose-headers": "x-secret",
            "x-kept": "yes",
        },
        "body": json.dumps(event),
    }
"""
TEXT_TYPES = [
    "text/plain",
    "text/html; charset=utf-8",
    "TEXT/CSV",
    "application/json",
    "application/json; charset=utf-8",
    "application/xml",
    "application/javascript",
    "application/problem+json",
    "application/atom+xml",
]
BASE64_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/octet-stream",
    "image/png",
    "application/jsonl",  # not application/json: a prefix is not the type
    None,  # no Content-Type at all
]


@dataclass
class Apis:
    """Two quick-created APIs on the same function: one with the lesson's CORS."""

    env: gwlab.LabEnv
    plain: str
    cors: str

    def host(self, api_id: str) -> str:
        return f"{api_id}.execute-api.us-east-1.amazonaws.com"

    def url(self, api_id: str, path: str = "/items") -> str:
        return f"https://{self.host(api_id)}{path}"


def make_apis(env: gwlab.LabEnv) -> Apis:
    arn = deploy_function(env, "show-event", SHOW_EVENT)["FunctionArn"]
    apigw = env.client("apigatewayv2")
    plain = apigw.create_api(Name="plain", ProtocolType="HTTP", Target=arn)["ApiId"]
    cors = apigw.create_api(
        Name="cors", ProtocolType="HTTP", Target=arn, CorsConfiguration=LESSON_CORS
    )["ApiId"]
    return Apis(env, plain, cors)


@pytest.fixture
def apis(env: gwlab.LabEnv) -> Apis:
    return make_apis(env)


@pytest.fixture
def embedded() -> Iterator[Apis]:
    with gwlab.start() as env:
        yield make_apis(env)


def _seen(response: Any) -> dict[str, Any]:
    """The event the function received (it answered with it), the same as ``.event``."""
    event: dict[str, Any] = json.loads(response.body)
    assert event == response.event
    return event


# --- item 2: the headers API Gateway adds ---------------------------------------------------------


def test_every_event_carries_the_headers_api_gateway_adds(apis: Apis) -> None:
    event = _seen(apis.env.gateway.request("GET", apis.url(apis.plain)))
    headers = event["headers"]
    assert TRACE_ID.match(headers.pop("x-amzn-trace-id"))
    assert headers == {
        "host": apis.host(apis.plain),
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    assert headers["x-forwarded-for"] == event["requestContext"]["http"]["sourceIp"]
    assert "content-length" not in headers  # no body


def test_a_body_brings_its_content_length(apis: Apis) -> None:
    body = '{"name": "é"}'  # 14 bytes, 13 characters
    event = _seen(
        apis.env.gateway.request(
            "POST", apis.url(apis.plain), {"Content-Type": "application/json"}, body
        )
    )
    assert event["headers"]["content-length"] == "14"
    assert event["headers"]["content-type"] == "application/json"


def test_client_sent_values_of_the_added_headers_are_replaced(apis: Apis) -> None:
    sent = {
        "Host": "evil.example.com",
        "X-Forwarded-For": "192.0.2.66",
        "X-Forwarded-Port": "80",
        "X-Forwarded-Proto": "http",
        "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000000",
        "Content-Length": "999",
        "X-Custom": "kept",
    }
    event = _seen(apis.env.gateway.request("POST", apis.url(apis.plain), sent, b"abc"))
    headers = event["headers"]
    assert headers["host"] == apis.host(apis.plain)
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert (headers["x-forwarded-port"], headers["x-forwarded-proto"]) == ("443", "https")
    assert headers["x-amzn-trace-id"] != sent["X-Amzn-Trace-Id"]
    assert TRACE_ID.match(headers["x-amzn-trace-id"])
    assert headers["content-length"] == "3"
    assert headers["x-custom"] == "kept"
    assert list(headers) == sorted(headers)  # lower-case names, in a stable order


def test_trace_ids_differ_per_request_and_repeat_from_run_to_run() -> None:
    def run() -> list[str]:
        with gwlab.start() as env:
            apis = make_apis(env)
            responses = [env.gateway.request("GET", apis.url(apis.plain)) for _ in range(3)]
            return [r.event["headers"]["x-amzn-trace-id"] for r in responses]

    first = run()
    assert len(set(first)) == 3
    assert all(TRACE_ID.match(value) for value in first)
    assert run() == first


def test_the_added_headers_over_http_withcurl(embedded: Apis) -> None:
    url = embedded.env.gateway.url
    host = embedded.host(embedded.plain)
    status, _, body = curl(
        "-H", f"Host: {host}", "-H", "X-Forwarded-For: 192.0.2.66", "-d", "a=1", f"{url}/items"
    )
    assert status == 200
    event = json.loads(body)
    headers = event["headers"]
    assert headers["host"] == host  # not 127.0.0.1:PORT
    assert headers["content-length"] == "3"
    assert headers["x-forwarded-for"] == "127.0.0.1" == event["requestContext"]["http"]["sourceIp"]
    assert (headers["x-forwarded-port"], headers["x-forwarded-proto"]) == ("443", "https")
    assert TRACE_ID.match(headers["x-amzn-trace-id"])
    assert headers["user-agent"].startswith("curl/")


def test_the_added_headers_over_http_with_urllib_as_a_proxy(embedded: Apis) -> None:
    """An absolute URL in the request line: the host is the URL's, without a port."""
    proxy = urllib.request.ProxyHandler({"http": embedded.env.gateway.url})
    opener = urllib.request.build_opener(proxy)
    with opener.open(f"http://{embedded.host(embedded.plain)}/items", timeout=10) as response:
        headers = json.load(response)["headers"]
    assert headers["host"] == embedded.host(embedded.plain)
    assert "content-length" not in headers
    assert (headers["x-forwarded-port"], headers["x-forwarded-proto"]) == ("443", "https")
    assert headers["x-forwarded-for"] == "127.0.0.1"


# --- item 3: bodies by content type ---------------------------------------------------------------


def test_bodies_are_text_only_for_text_like_types(apis: Apis) -> None:
    body = "a=1&b=caf\u00e9"
    for content_type in TEXT_TYPES + BASE64_TYPES:
        sent = {"Content-Type": content_type} if content_type is not None else {}
        event = _seen(apis.env.gateway.request("POST", apis.url(apis.plain), sent, body))
        if content_type in TEXT_TYPES:
            assert (event["isBase64Encoded"], event["body"]) == (False, body), content_type
        else:
            encoded = base64.b64encode(body.encode()).decode()
            assert (event["isBase64Encoded"], event["body"]) == (True, encoded), content_type


def test_bodies_by_content_type_over_http_withcurl(embedded: Apis) -> None:
    url, host = embedded.env.gateway.url, embedded.host(embedded.plain)
    cases = [
        ([], True),  # curl -d: application/x-www-form-urlencoded
        (["-H", "Content-Type:"], True),  # no Content-Type at all
        (["-F", "field=value"], True),  # multipart/form-data
        (["-H", "Content-Type: application/json"], False),
        (["-H", "Content-Type: text/plain; charset=utf-8"], False),
    ]
    for options, encoded in cases:
        data = [] if "-F" in options else ["-d", "a=1&b=2"]
        _, _, body = curl("-H", f"Host: {host}", *options, *data, f"{url}/items")
        event = json.loads(body)
        assert event["isBase64Encoded"] is encoded, options
        if "-F" in options:
            assert b'name="field"' in base64.b64decode(event["body"])
        elif encoded:
            assert event["body"] == base64.b64encode(b"a=1&b=2").decode()
        else:
            assert event["body"] == "a=1&b=2"


# --- item 6: the integration's Access-Control-* headers ---------------------------------------


def test_cors_drops_the_integration_s_access_control_headers_with_or_without_origin(
    apis: Apis,
) -> None:
    response = apis.env.gateway.request("GET", apis.url(apis.cors))  # no Origin
    assert response.status == 200
    assert [k for k in response.headers if k.startswith("access-control-")] == []
    assert response.headers["x-kept"] == "yes"
    assert "2 Access-Control header(s) from the integration ignored" in repr(response.trace)
    allowed = apis.env.gateway.request(
        "GET", apis.url(apis.cors), {"Origin": "http://localhost:3000"}
    )
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "access-control-expose-headers" not in allowed.headers  # the function's x-secret
    refused = apis.env.gateway.request("GET", apis.url(apis.cors), {"Origin": "https://evil.test"})
    assert [k for k in refused.headers if k.startswith("access-control-")] == []
    # with no CORS configuration, the integration's own headers pass as they are
    plain = apis.env.gateway.request("GET", apis.url(apis.plain))
    assert plain.headers["access-control-allow-origin"] == "*"
    assert plain.headers["access-control-expose-headers"] == "x-secret"


def test_cors_drops_them_over_http_withcurl(embedded: Apis) -> None:
    url = embedded.env.gateway.url
    _, headers, _ = curl("-H", f"Host: {embedded.host(embedded.cors)}", f"{url}/items")
    assert [k for k in headers if k.startswith("access-control-")] == []
    assert headers["x-kept"] == "yes"
    _, headers, _ = curl("-H", f"Host: {embedded.host(embedded.plain)}", f"{url}/items")
    assert headers["access-control-allow-origin"] == "*"
