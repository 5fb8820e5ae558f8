"""Payload format 2.0: the event a Lambda function receives, and how its answer is read.

Every field and rule here is from AWS_FACTS ("Payload format 2.0"): lowercase
header names with repeated values joined by commas, cookies split out, empty
collections left out, ``rawQueryString`` always present, percent-decoded
``rawPath``; a returned dict with ``statusCode`` is used as is, any other JSON
value becomes a 200 ``application/json`` body, anything malformed is a 500.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from gwlab.gateway.http import GatewayRequest, Headers

_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
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


def _is_text(headers: Headers, body: bytes) -> bool:
    content_type = headers.get("content-type", "").lower()
    if content_type and not content_type.startswith(_TEXT_TYPES):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
    headers: dict[str, list[str]] = {}
    cookies: list[str] = []
    for name, value in request.headers.pairs():
        lower = name.lower()
        if lower == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers.setdefault(lower, []).append(value)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": context.route_key,
        "rawPath": context.path,
        "rawQueryString": request.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = {name: ",".join(values) for name, values in headers.items()}
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
