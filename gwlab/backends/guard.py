"""Let only AWS clients talk to the emulated AWS served over HTTP.

moto's server answers anything that reaches its port: its ``/moto-api/``
endpoints reset, dump or replay the whole state, and it reflects any ``Origin``
in CORS headers, so a web page that finds the port could replace a function's
code (which the local gateway then runs on this machine). AWS clients such as
boto3 and the AWS CLI never send an ``Origin`` or ``Sec-Fetch-*`` header, never
call ``/moto-api/`` and always name the address they connect to in ``Host``.
:class:`AwsClientsOnly` refuses every other request before moto sees it, with
an error AWS clients parse (403 ``AccessDenied``), no CORS headers and no
change to the state. The local gateway (the data plane) is not behind it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from gwlab.loopback import LOOPBACK_HOST

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: What every refusal starts with, so a learner sees who refused and why.
REFUSED_BY = "gwlab's emulated AWS refuses"

#: Services whose API answers errors in XML (rest-xml); query services are told by their body.
_REST_XML_SIGNING_NAMES = frozenset({"s3", "route53", "cloudfront"})

#: Headers browsers add to a page's requests and AWS clients never send (WSGI key, name).
_BROWSER_HEADERS = (
    ("HTTP_ORIGIN", "Origin"),
    ("HTTP_SEC_FETCH_MODE", "Sec-Fetch-Mode"),
    ("HTTP_SEC_FETCH_SITE", "Sec-Fetch-Site"),
    ("HTTP_SEC_FETCH_DEST", "Sec-Fetch-Dest"),
)

_REASONS = {403: "Forbidden", 501: "Not Implemented"}


def signing_name(environ: dict[str, Any]) -> str:
    """The service a SigV4 ``Authorization`` header is signed for (``""`` if none)."""
    scope = str(environ.get("HTTP_AUTHORIZATION", "")).split(",")[0].split("Credential=")[-1]
    parts = scope.split("/")
    return parts[3].lower() if len(parts) == 5 else ""


def _wants_xml(environ: dict[str, Any]) -> bool:
    """Whether the client reads XML errors (query and rest-xml protocols)."""
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        return True
    if environ.get("HTTP_X_AMZ_TARGET"):
        return False
    return signing_name(environ) in _REST_XML_SIGNING_NAMES


def aws_error(
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    status: int,
    code: str,
    message: str,
) -> list[bytes]:
    """Answer an AWS-shaped error in the format the client's protocol parses.

    JSON clients get ``__type`` and ``x-amzn-ErrorType`` (``code`` with ``Exception``
    appended, as JSON services name it); XML clients get ``<ErrorResponse>``.
    """
    request_id = str(uuid.uuid4())
    if _wants_xml(environ):
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        content_type = "text/xml"
        extra: list[tuple[str, str]] = []
    else:
        json_code = code if code.endswith("Exception") else f"{code}Exception"
        body = json.dumps({"__type": json_code, "message": message}).encode()
        content_type = "application/json"
        extra = [("x-amzn-ErrorType", json_code)]
    start_response(
        f"{status} {_REASONS.get(status, 'Error')}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
            *extra,
        ],
    )
    return [body]


class AwsClientsOnly:
    """WSGI middleware: pass on what an AWS client sends, refuse the rest (403).

    Refused: a request from a web page (an ``Origin`` or ``Sec-Fetch-*`` header;
    preflights included), a ``Host`` other than ``127.0.0.1:PORT`` or
    ``localhost:PORT`` (DNS rebinding), and moto's ``/moto-api/`` endpoints
    (gwlab resets and seeds moto in-process). Until :meth:`listen_on` names the
    port, every request is refused.
    """

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._port: int | None = None
        self._hosts: frozenset[str] = frozenset()

    def listen_on(self, port: int) -> None:
        """Accept the ``Host`` names of the loopback address at ``port`` from now on."""
        names = (LOOPBACK_HOST, "localhost")
        hosts = {f"{name}:{port}" for name in names}
        if port == 80:  # a client leaves the default port out of Host
            hosts.update(names)
        self._port = port
        self._hosts = frozenset(hosts)

    def refusal(self, environ: dict[str, Any]) -> str | None:
        """Why ``environ`` is refused, or ``None`` when an AWS client may have sent it."""
        for key, header in _BROWSER_HEADERS:
            if key in environ:
                return (
                    f"{REFUSED_BY} requests from web pages ({header} header): only AWS "
                    "clients such as boto3 and the AWS CLI may call it"
                )
        host = str(environ.get("HTTP_HOST", "")).lower()
        if host not in self._hosts:
            address = f"{LOOPBACK_HOST}:{self._port}"
            return (
                f"{REFUSED_BY} requests for Host {host or '(none)'!r}: it answers only at "
                f"{address} or localhost:{self._port} (so a DNS-rebinding page cannot reach it)"
            )
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/moto-api") or path == "/favicon.ico":
            return (
                f"{REFUSED_BY} moto's /moto-api/ endpoints (they reset, dump and replay its "
                "state); gwlab resets and seeds it in-process"
            )
        return None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Refuse with 403 ``AccessDenied``, or hand the request to moto."""
        reason = self.refusal(environ)
        if reason is not None:
            return aws_error(environ, start_response, 403, "AccessDenied", reason)
        return self._app(environ, start_response)
