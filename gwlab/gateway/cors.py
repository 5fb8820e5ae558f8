"""CORS for HTTP APIs as AWS_FACTS describes it ("CORS on HTTP APIs").

The configuration used is always the one the stage's deployment froze. A
preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``)
that no route matches is answered here; one that a route matches (an
``OPTIONS``, ``ANY`` or ``$default`` route) goes to that route's integration
like any request. With a configuration, every response from an integration
loses its own ``Access-Control-*`` headers, with or without an ``Origin``
(AWS_FACTS: "API Gateway ignores CORS headers returned from your backend
integration"); a request with an allowed ``Origin`` gets the configured ones
instead. A disallowed origin, method or header gets a normal answer with no
``Access-Control-Allow-*`` header, which is what makes the browser block it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gwlab.emulator.state import CorsSnapshot
from gwlab.gateway.http import GatewayRequest

_ACCESS_CONTROL = "access-control-"


#: The header a browser asks about before a request with a JSON body.
JSON_REQUEST_HEADERS = ("content-type",)


def preflight_headers(
    origin: str, method: str = "PUT", request_headers: tuple[str, ...] = JSON_REQUEST_HEADERS
) -> dict[str, str]:
    """The headers of the preflight a browser on ``origin`` sends before ``method``.

    ``request_headers`` are the non-simple headers the page's request will carry: a
    JSON body brings ``content-type``, the default; with none, none is asked about.
    """
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if request_headers:
        headers["Access-Control-Request-Headers"] = ",".join(request_headers)
    return headers


def is_preflight(request: GatewayRequest) -> bool:
    """``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``."""
    return (
        request.method == "OPTIONS"
        and "origin" in request.headers
        and "access-control-request-method" in request.headers
    )


def allowed_origin(cors: CorsSnapshot, origin: str) -> str | None:
    """The ``Access-Control-Allow-Origin`` value for ``origin``, or ``None`` if refused.

    Exact entries match exactly; ``https://*`` and ``http://*`` match any origin
    of that scheme (the origin is echoed); ``*`` answers ``*``.
    """
    if origin in cors.allow_origins:
        return origin
    scheme = origin.split("://", 1)[0]
    if f"{scheme}://*" in cors.allow_origins:
        return origin
    if "*" in cors.allow_origins:
        return "*"
    return None


def _allow_origin_headers(cors: CorsSnapshot, allow_origin: str) -> list[tuple[str, str]]:
    """``Access-Control-Allow-Origin``, then ``-Allow-Credentials`` when configured."""
    headers = [("access-control-allow-origin", allow_origin)]
    if cors.allow_credentials:
        headers.append(("access-control-allow-credentials", "true"))
    return headers


def _listed(allowed: tuple[str, ...], wanted: str) -> bool:
    return "*" in allowed or wanted.lower() in (a.lower() for a in allowed)


@dataclass(frozen=True)
class PreflightAnswer:
    """What the gateway answers to a preflight itself, and why."""

    headers: list[tuple[str, str]]
    reason: str


def answer_preflight(cors: CorsSnapshot, request: GatewayRequest) -> PreflightAnswer:
    """The headers of the gateway's own preflight answer (empty when refused)."""
    origin = request.headers["origin"]
    allow_origin = allowed_origin(cors, origin)
    if allow_origin is None:
        return PreflightAnswer([], f"origin {origin} is not in AllowOrigins")
    method = request.headers["access-control-request-method"].strip()
    if not _listed(cors.allow_methods, method):
        return PreflightAnswer([], f"method {method} is not in AllowMethods")
    requested = [
        h.strip() for h in request.headers.get("access-control-request-headers", "").split(",")
    ]
    for header in filter(None, requested):
        if not _listed(cors.allow_headers, header):
            return PreflightAnswer([], f"header {header} is not in AllowHeaders")
    headers = _allow_origin_headers(cors, allow_origin)
    headers.append(("access-control-allow-methods", ",".join(cors.allow_methods)))
    if cors.allow_headers:
        headers.append(("access-control-allow-headers", ",".join(cors.allow_headers)))
    if cors.max_age is not None:
        headers.append(("access-control-max-age", str(cors.max_age)))
    return PreflightAnswer(headers, f"origin {origin} and method {method} are allowed")


def decorate(
    cors: CorsSnapshot | None, request: GatewayRequest, headers: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], str | None]:
    """An integration response's headers with CORS applied, and a note for the trace."""
    if cors is None:
        return headers, None
    kept = [(k, v) for k, v in headers if not k.lower().startswith(_ACCESS_CONTROL)]
    dropped = len(headers) - len(kept)
    ignored = f"{dropped} Access-Control header(s) from the integration ignored" if dropped else ""
    origin = request.headers.get("origin")
    if origin is None:
        note = f"CORS is configured: {ignored} (no Origin: none added)" if dropped else None
        return kept, note
    allow_origin = allowed_origin(cors, origin)
    if allow_origin is None:
        note = f"origin {origin} is not allowed: no Access-Control-Allow-Origin added"
        return kept, f"{note}; {ignored}" if dropped else note
    kept.extend(_allow_origin_headers(cors, allow_origin))
    if cors.expose_headers:
        kept.append(("access-control-expose-headers", ",".join(cors.expose_headers)))
    note = f"origin {origin} allowed: Access-Control-Allow-Origin {allow_origin}"
    if dropped:
        note += f"; {ignored}"
    return kept, note
