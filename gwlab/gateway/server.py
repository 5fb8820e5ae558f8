"""The gateway over real HTTP on 127.0.0.1, for curl and browsers.

The ``Host`` header (or an absolute URL in the request line, as proxies send)
picks the API or custom domain name, exactly as DNS would on the internet:
``curl -H 'Host: api.example.com' http://127.0.0.1:PORT/v1/items``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gwlab.gateway.http import GatewayRequest, Headers
from gwlab.gateway.messages import json_body
from gwlab.gateway.resolve import UnknownHostError
from gwlab.loopback import LoopbackServer

if TYPE_CHECKING:
    from gwlab.gateway.gateway import Gateway

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
#: Status for a host no API answers: the request reached the wrong server.
MISDIRECTED = "421 Misdirected Request"
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
}


def request_from_environ(environ: dict[str, Any]) -> GatewayRequest:
    """The gateway request a WSGI ``environ`` describes."""
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    if raw_uri.startswith(("http://", "https://")):
        parts = urlsplit(raw_uri)
        host, path, query = parts.hostname or "", parts.path or "/", parts.query
    else:
        host = environ.get("HTTP_HOST", "")
        path, _, query = raw_uri.partition("?")
    headers = [
        (key[5:].replace("_", "-").lower(), str(value))
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    if environ.get("CONTENT_TYPE"):
        headers.append(("content-type", environ["CONTENT_TYPE"]))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    return GatewayRequest(
        method=environ["REQUEST_METHOD"].upper(),
        host=host.split(":", 1)[0].lower(),
        raw_path=path or "/",
        raw_query=query,
        headers=Headers(headers),
        body=body,
        source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
    )


def gateway_app(gateway: Gateway) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI application answering through ``gateway``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = gateway.handle(request_from_environ(environ))
        except UnknownHostError as error:
            port = environ.get("SERVER_PORT", "PORT")
            body = json_body(
                {
                    "message": str(error),
                    "hint": f"curl -H 'Host: api.example.com' http://127.0.0.1:{port}/items",
                }
            )
            start_response(
                MISDIRECTED,
                [("content-type", "application/json"), ("content-length", str(len(body)))],
            )
            return [body]
        status = f"{response.status} {_REASONS.get(response.status, '')}".rstrip()
        headers = [*response.headers.pairs(), ("content-length", str(len(response.body)))]
        start_response(status, headers)
        return [response.body]

    return app


def serve(gateway: Gateway, port: int = 0) -> LoopbackServer:
    """Start the HTTP face of ``gateway`` on 127.0.0.1."""
    return LoopbackServer(gateway_app(gateway), port=port, name="gwlab-gateway")
