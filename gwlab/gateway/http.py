"""Requests and responses as the local gateway sees them."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gwlab.errors import GwlabError
from gwlab.gateway.trace import Trace


class InvalidRequestError(GwlabError, ValueError):
    """A request the gateway cannot even read (bad URL, unknown method)."""


class Headers(Mapping[str, str]):
    """HTTP headers: case-insensitive lookup, repeated names kept in order.

    ``headers["X"]`` joins repeated values with ``,`` as API Gateway does in
    payload 2.0; :meth:`get_all` returns them separately.
    """

    def __init__(self, items: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: list[tuple[str, str]] = [(str(k), str(v)) for k, v in pairs]

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in order."""
        wanted = name.lower()
        return [v for k, v in self._items if k.lower() == wanted]

    def __getitem__(self, name: str) -> str:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return ",".join(values)

    def __iter__(self) -> Iterator[str]:
        seen: dict[str, None] = {}
        for k, _ in self._items:
            seen.setdefault(k.lower(), None)
        return iter(seen)

    def __len__(self) -> int:
        return len({k.lower() for k, _ in self._items})

    def pairs(self) -> list[tuple[str, str]]:
        """All ``(name, value)`` pairs as sent."""
        return list(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass(frozen=True)
class GatewayRequest:
    """One request to the gateway: everything API Gateway would see of it."""

    method: str
    host: str
    #: The path as sent, still percent-encoded.
    raw_path: str
    raw_query: str = ""
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    scheme: str = "https"
    #: The body's size when the server did not read it (over the payload limit), so
    #: ``body`` is empty; ``None`` when ``body`` is the whole body.
    unread_body: int | None = None

    @classmethod
    def from_url(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
    ) -> GatewayRequest:
        """Build a request from a full URL such as ``https://api.example.com/v1/items``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequestError(
                f"{url!r} is not a full http(s) URL; use one like https://api.example.com/items"
            )
        verb = method.strip().upper()
        if not verb.isalpha():
            raise InvalidRequestError(f"{method!r} is not an HTTP method")
        data = body.encode() if isinstance(body, str) else (body or b"")
        return cls(
            method=verb,
            host=parts.hostname.lower(),
            raw_path=parts.path or "/",
            raw_query=parts.query,
            headers=Headers(headers or ()),
            body=data,
            scheme=parts.scheme,
        )

    @property
    def url(self) -> str:
        """The URL the request was made for."""
        query = f"?{self.raw_query}" if self.raw_query else ""
        return f"{self.scheme}://{self.host}{self.raw_path}{query}"


@dataclass
class GatewayResponse:
    """What the gateway answered, the event the function got, and the trace."""

    request: GatewayRequest
    status: int
    headers: Headers
    body: bytes
    trace: Trace
    #: The payload 2.0 event the Lambda function received (``None`` if none ran).
    event: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<GatewayResponse {self.status} {self.request.method} {self.request.url}>"

    def _repr_html_(self) -> str:
        header_rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'><code>{html.escape(v)}</code></td></tr>"
            for k, v in self.headers.pairs()
        )
        return (
            "<div class='gwlab-response'>"
            f"<p><strong>{self.status}</strong> for <code>{html.escape(self.request.method)} "
            f"{html.escape(self.request.url)}</code></p>"
            f"<table><caption>Response headers</caption>{header_rows}</table>"
            f"<pre>{html.escape(self.text)}</pre>"
            f"{self.trace._repr_html_()}</div>"
        )
