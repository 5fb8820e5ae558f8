"""Payload format 2.0: the event a Lambda function receives, and how its answer is read.

Every field and rule here is from AWS_FACTS ("Payload format 2.0"): lowercase
header names with repeated values joined by commas, cookies split out, empty
collections left out, ``rawQueryString`` always present, percent-decoded
``rawPath``; a returned dict with ``statusCode`` is used as is, any other JSON
value becomes a 200 ``application/json`` body, anything malformed is a 500.

AWS_FACTS ("Added after the second audit"): every event carries the headers API
Gateway adds (``host``, ``content-length`` with a body, ``x-amzn-trace-id``,
``x-forwarded-for``, ``x-forwarded-port``, ``x-forwarded-proto``), and a body is
text only for text-like content types, base64 for any other or none.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from gwlab.gateway.http import GatewayRequest, Headers

#: Media types whose bodies arrive as text; any other type, or none, arrives base64.
_TEXT_TYPES = frozenset({"application/json", "application/xml", "application/javascript"})
#: The headers API Gateway sets itself, replacing any value the client sent (replacing a
#: client's ``x-forwarded-for``, ``x-amzn-trace-id`` and ``host`` is ASSUMED).
ADDED_HEADERS = (
    "content-length",
    "host",
    "x-amzn-trace-id",
    "x-forwarded-for",
    "x-forwarded-port",
    "x-forwarded-proto",
)


@dataclass(frozen=True)
class EventContext:
    """What the gateway decided before calling the function."""

    account_id: str
    api_id: str
    stage: str
    route_key: str
    #: The percent-decoded path the API saw (stage prefix kept, mapping key removed).
    path: str
    path_parameters: Mapping[str, str]
    stage_variables: Mapping[str, str]
    request_id: str
    #: The ``x-amzn-trace-id`` header's value (see :func:`trace_id`).
    trace_id: str


def trace_id(seed: int, number: int) -> str:
    """The ``x-amzn-trace-id`` of the ``number``-th request of a gateway seeded ``seed``.

    AWS's form, ``Root=1-{8 hex}-{24 hex}``; in AWS the first part is the time, here
    both come from the seed and the request's number so that outputs repeat exactly.
    """
    digest = hashlib.sha256(f"x-amzn-trace-id/{seed}/{number}".encode()).hexdigest()
    return f"Root=1-{digest[:8]}-{digest[8:32]}"


def is_text_type(content_type: str) -> bool:
    """Whether a body of ``content_type`` reaches the function as text (AWS_FACTS).

    ``text/*``, ``application/json``, ``application/xml``, ``application/javascript``
    and ``+json``/``+xml`` types; parameters such as ``; charset=utf-8`` do not count.
    """
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in _TEXT_TYPES or media.endswith(("+json", "+xml"))


def _is_text(headers: Headers, body: bytes) -> bool:
    """Text for a text-like type whose bytes are UTF-8 (base64 otherwise, ASSUMED)."""
    if not is_text_type(headers.get("content-type", "")):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _event_headers(
    request: GatewayRequest, context: EventContext
) -> tuple[dict[str, str], list[str]]:
    """The event's headers (lower-case, sorted, API Gateway's own added) and cookies."""
    headers: dict[str, list[str]] = {}
    cookies: list[str] = []
    for name, value in request.headers.pairs():
        lower = name.lower()
        if lower == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers.setdefault(lower, []).append(value)
    joined = {name: ",".join(values) for name, values in headers.items()}
    for name in ADDED_HEADERS:
        joined.pop(name, None)
    if request.body:
        joined["content-length"] = str(len(request.body))
    elif "content-length" in headers:  # a client's "0" for an empty body passes (ASSUMED)
        joined["content-length"] = ",".join(headers["content-length"])
    joined["host"] = request.host
    joined["x-amzn-trace-id"] = context.trace_id
    joined["x-forwarded-for"] = request.source_ip
    joined["x-forwarded-port"] = "443"
    joined["x-forwarded-proto"] = "https"
    return dict(sorted(joined.items())), cookies


def _query_parameters(raw_query: str) -> dict[str, str]:
    joined: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        joined.setdefault(name, []).append(value)
    return {name: ",".join(values) for name, values in joined.items()}


def build_event(
    request: GatewayRequest, context: EventContext, now: float | None = None
) -> dict[str, Any]:
    """The payload 2.0 event for ``request``."""
    moment = time.time() if now is None else now
    headers, cookies = _event_headers(request, context)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": context.route_key,
        "rawPath": context.path,
        "rawQueryString": request.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = _query_parameters(request.raw_query)
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": context.account_id,
        "apiId": context.api_id,
        "domainName": request.host,
        "domainPrefix": request.host.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": context.path,
            "protocol": "HTTP/1.1",
            "sourceIp": request.source_ip,
            "userAgent": request.headers.get("user-agent", ""),
        },
        "requestId": context.request_id,
        "routeKey": context.route_key,
        "stage": context.stage,
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(moment)),
        "timeEpoch": int(moment * 1000),
    }
    if context.path_parameters:
        event["pathParameters"] = dict(context.path_parameters)
    if context.stage_variables:
        event["stageVariables"] = dict(context.stage_variables)
    if request.body:
        if _is_text(request.headers, request.body):
            event["body"] = request.body.decode("utf-8")
            event["isBase64Encoded"] = False
        else:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


def decoded_path(raw_path: str) -> str:
    """The path as API Gateway hands it on: percent-decoded (``%20`` -> space)."""
    return unquote(raw_path)


class MalformedResponse(ValueError):
    """The function's answer cannot be turned into an HTTP response."""


def read_function_output(output: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """``(status, headers, body)`` from what a payload 2.0 function returned."""
    if isinstance(output, dict) and "statusCode" in output:
        return _read_structured(output)
    try:
        body = json.dumps(output)
    except (TypeError, ValueError) as error:
        raise MalformedResponse(
            f"the function returned something that is not JSON: {error}"
        ) from None
    return 200, [("content-type", "application/json")], body.encode()


def _read_structured(output: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    status = output["statusCode"]
    if isinstance(status, bool) or not isinstance(status, (int, str)) or not str(status).isdigit():
        raise MalformedResponse(f"statusCode {status!r} is not an HTTP status")
    code = int(status)
    if not 100 <= code <= 599:
        raise MalformedResponse(f"statusCode {code} is not an HTTP status")
    raw_headers = output.get("headers") or {}
    if not isinstance(raw_headers, dict):
        raise MalformedResponse("headers must be an object of strings")
    headers = [(str(k).lower(), _header_value(v)) for k, v in raw_headers.items()]
    cookies = output.get("cookies") or []
    if not isinstance(cookies, list):
        raise MalformedResponse("cookies must be a list of strings")
    headers.extend(("set-cookie", str(cookie)) for cookie in cookies)
    body = output.get("body")
    if body is None:
        data = b""
    elif isinstance(body, str):
        data = base64.b64decode(body) if output.get("isBase64Encoded") else body.encode()
    else:
        raise MalformedResponse("body must be a string")
    return code, headers, data


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MalformedResponse(f"header value {value!r} is not a string")
