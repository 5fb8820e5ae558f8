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
from gwlab.gateway.messages import PAYLOAD_LIMIT, json_body
from gwlab.gateway.resolve import UnknownHostError
from gwlab.loopback import BAD_REQUEST_BODY, MAX_CONNECTIONS, READ_TIMEOUT, LoopbackServer

if TYPE_CHECKING:
    from gwlab.gateway.gateway import Gateway

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
#: Status for a host no API answers: the request reached the wrong server.
MISDIRECTED = "421 Misdirected Request"
#: Seconds without data that end the discarding of a body over the payload limit.
_DISCARD_PAUSE = 0.5
#: How much of a chunked body is read at a time.
_CHUNK = 64 * 1024
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    403: "Forbidden",
    404: "Not Found",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
}


class TruncatedBodyError(ValueError):
    """The body ended before the length its request announced."""


def read_body(environ: dict[str, Any], limit: int = PAYLOAD_LIMIT) -> tuple[bytes, int | None]:
    """The request body and, when it is over ``limit``, its size instead (left unread).

    A ``Content-Length`` over the limit is refused without reading a byte; a
    chunked body is read up to one byte past the limit, no further. The
    server's request handler has already refused a ``Content-Length`` that is
    not a number.
    """
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):  # chunked: the size is known only by reading
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            part = stream.read(min(_CHUNK, limit + 1 - size))
            if not part:
                return b"".join(parts), None
            parts.append(part)
            size += len(part)
        return b"", size
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > limit:
        return b"", length
    body = stream.read(length) if length else b""
    if len(body) < length:
        raise TruncatedBodyError(f"{len(body)} of {length} bytes arrived")
    return body, None


def request_from_environ(environ: dict[str, Any]) -> GatewayRequest:
    """The gateway request a WSGI ``environ`` describes.

    Raises :class:`TruncatedBodyError` when the body is cut short.
    """
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
    body, unread = read_body(environ)
    return GatewayRequest(
        method=environ["REQUEST_METHOD"].upper(),
        host=host.split(":", 1)[0].lower(),
        raw_path=path or "/",
        raw_query=query,
        headers=Headers(headers),
        body=body,
        source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
        unread_body=unread,
    )


def _json_answer(start_response: StartResponse, status: str, data: bytes) -> list[bytes]:
    start_response(
        status, [("content-type", "application/json"), ("content-length", str(len(data)))]
    )
    return [data]


def gateway_app(gateway: Gateway) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI application answering through ``gateway``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            request = request_from_environ(environ)
        except (TimeoutError, ConnectionError):
            raise  # the client stalled or left: the server drops the connection
        except (TruncatedBodyError, OSError):  # cut short, or a broken chunked encoding
            # the same answer the server gives a Content-Length that is not a number
            return _json_answer(start_response, "400 Bad Request", BAD_REQUEST_BODY)
        if request.unread_body is not None:
            # werkzeug discards what is left of the body after the answer, reading until
            # the client pauses; a short pause ends that instead of the read timeout.
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.settimeout(_DISCARD_PAUSE)
        try:
            response = gateway.handle(request)
        except UnknownHostError as error:
            port = environ.get("SERVER_PORT", "PORT")
            hint = f"curl -H 'Host: api.example.com' http://127.0.0.1:{port}/items"
            body = json_body({"message": str(error), "hint": hint})
            return _json_answer(start_response, MISDIRECTED, body)
        status = f"{response.status} {_REASONS.get(response.status, '')}".rstrip()
        headers = [*response.headers.pairs(), ("content-length", str(len(response.body)))]
        start_response(status, headers)
        return [response.body]

    return app


def serve(
    gateway: Gateway,
    port: int = 0,
    *,
    timeout: float = READ_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> LoopbackServer:
    """Start the HTTP face of ``gateway`` on 127.0.0.1 (the limits as :class:`LoopbackServer`'s)."""
    return LoopbackServer(
        gateway_app(gateway),
        port=port,
        name="gwlab-gateway",
        timeout=timeout,
        max_connections=max_connections,
    )
