"""The local gateway: API Gateway's data plane for the embedded AWS.

``Gateway.request()`` answers one request the way API Gateway would, from the
emulated state as it is at that moment, and returns the response together with
the event the function received and a trace of every decision. ``Gateway.url``
serves the same over real HTTP on 127.0.0.1 for curl and browsers.
"""

from __future__ import annotations

import base64
import random
import re
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from gwlab.emulator.state import DeploymentSnapshot, IntegrationSnapshot
from gwlab.gateway import cors, messages
from gwlab.gateway.events import (
    EventContext,
    MalformedResponse,
    build_event,
    decoded_path,
    read_function_output,
    trace_id,
)
from gwlab.gateway.http import GatewayRequest, GatewayResponse, Headers
from gwlab.gateway.resolve import Refusal, Target, resolve
from gwlab.gateway.routes import RouteMatch, RouteTable
from gwlab.gateway.runtime import FunctionError, FunctionRuntime, find_function
from gwlab.gateway.trace import Trace

#: How many responses :attr:`Gateway.history` keeps.
HISTORY_LENGTH = 50
#: The longest body (request, response, the event's) :attr:`Gateway.history` keeps whole.
HISTORY_BODY_LIMIT = 64 * 1024
_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_INVOCATIONS_ARN = re.compile(
    r"^arn:[^:]+:apigateway:[^:]+:lambda:path/[^/]+/functions/(.+)/invocations$"
)


class Gateway:
    """Answers requests to the APIs and custom domain names of one environment."""

    def __init__(
        self,
        region: str,
        *,
        seed: int = 0,
        account_id: str = DEFAULT_ACCOUNT_ID,
        endpoint_url: str | None = None,
    ) -> None:
        self.region = region
        self.account_id = account_id
        self._tables: dict[tuple[str, str], RouteTable] = {}
        # Functions' own boto3 calls go to endpoint_url (the moto server), never to AWS.
        self._runtime = FunctionRuntime(endpoint_url)
        self._ids = random.Random(seed)
        self._seed = seed
        #: Requests handled so far: the number each request's trace id is made from.
        self._count = 0
        self._lock = threading.Lock()
        self._server: Any = None
        self._history: deque[GatewayResponse] = deque(maxlen=HISTORY_LENGTH)

    # --- the public face ------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
    ) -> GatewayResponse:
        """Send ``method url`` through the gateway, in-process.

        Raises :class:`~gwlab.gateway.resolve.UnknownHostError` when no API or
        custom domain name answers for the URL's host.
        """
        return self.handle(GatewayRequest.from_url(method, url, headers, body))

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the gateway over real HTTP (started on first use)."""
        with self._lock:
            if self._server is None:
                from gwlab.gateway.server import serve

                self._server = serve(self)
            return str(self._server.url)

    @property
    def history(self) -> list[GatewayResponse]:
        """The latest responses, oldest first (what a browser or curl sent, too)."""
        with self._lock:
            return list(self._history)

    def close(self) -> None:
        """Stop the HTTP server and forget loaded functions.

        The lock is not held while the server stops: a request still being
        answered needs it (its request id, the history) and finishes first.
        """
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.stop()
        self._runtime.close()
        self._tables.clear()

    # --- one request ------------------------------------------------------------------------

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        """Answer ``request`` (what both :meth:`request` and the HTTP server call)."""
        response = self._handle(request)
        kept = _for_history(response)
        with self._lock:
            self._history.append(kept)
        return response

    def _handle(self, request: GatewayRequest) -> GatewayResponse:
        exchange = _Exchange(request, *self._request_ids())
        trace = exchange.trace
        size = len(request.body) if request.unread_body is None else request.unread_body
        if size > messages.PAYLOAD_LIMIT:
            chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
            amount = f"more than {messages.PAYLOAD_LIMIT}" if chunked else str(size)
            unread = ", not read" if request.unread_body is not None else ""
            trace.add(
                "request",
                f"body of {amount} bytes is over HTTP APIs' 10 MB payload limit "
                f"({messages.PAYLOAD_LIMIT} bytes): refused before routing{unread}",
                ok=False,
            )
            return exchange.refuse(*messages.PAYLOAD_TOO_LARGE)
        target = resolve(
            request, decoded_path(request.raw_path), self.account_id, self.region, trace
        )
        if isinstance(target, Refusal):
            return exchange.refuse(target.status, target.body, target.headers)
        snapshot = target.served.snapshot
        assert snapshot is not None
        table = self._table(snapshot)
        match = table.match(request.method, target.route_path)
        preflight = snapshot.cors is not None and cors.is_preflight(request)
        if preflight and match is None and snapshot.cors is not None:
            answer = cors.answer_preflight(snapshot.cors, request)
            trace.add(
                "cors",
                f"preflight answered by API Gateway (no route takes OPTIONS {target.route_path}): "
                f"{answer.reason}",
                ok=bool(answer.headers),
            )
            return exchange.reply(messages.PREFLIGHT_STATUS, answer.headers, b"")
        if match is None:
            routes = ", ".join(table.keys()) or "none"
            trace.add(
                "route",
                f"no route matches {request.method} {target.route_path} (routes: {routes})",
                ok=False,
            )
            return exchange.refuse(*messages.NOT_FOUND)
        trace.add("route", _route_summary(request.method, target.route_path, match))
        if preflight:
            trace.add(
                "cors",
                f"preflight goes to route {match.route.route_key}: a route that matches OPTIONS "
                "takes it, so API Gateway does not answer it",
            )
        return self._integrate(exchange, target, snapshot, match)

    def _integrate(
        self, exchange: _Exchange, target: Target, snapshot: DeploymentSnapshot, match: RouteMatch
    ) -> GatewayResponse:
        trace = exchange.trace
        integration = snapshot.integrations.get(match.route.integration_id or "")
        if integration is None:
            trace.add("integration", f"route {match.route.route_key} has no integration", ok=False)
            return exchange.refuse(*messages.INTERNAL_SERVER_ERROR)
        context = EventContext(
            account_id=self.account_id,
            api_id=target.served.api_id,
            stage=target.served.stage_name,
            route_key=match.route.route_key,
            path=target.event_path,
            path_parameters=match.path_parameters,
            stage_variables=target.served.stage_variables,
            request_id=exchange.request_id,
            trace_id=exchange.trace_id,
        )
        exchange.event = build_event(exchange.request, context)
        try:
            function_arn = self._function_arn(integration, target.served.stage_variables, trace)
            function = find_function(function_arn, self.account_id)
        except FunctionError as error:
            trace.add("function", str(error), error.details, ok=False)
            return exchange.refuse(*messages.INTERNAL_SERVER_ERROR)
        invocation = self._runtime.invoke(function, exchange.event, exchange.request_id)
        name = f"{function.function_name} ({function.handler})"
        if invocation.error is not None:
            details = _joined(invocation.logs, invocation.error.details)
            trace.add("function", f"{name} failed: {invocation.error}", details, ok=False)
            return exchange.refuse(*messages.INTERNAL_SERVER_ERROR)
        trace.add("function", f"{name} returned", invocation.logs)
        try:
            status, headers, body = read_function_output(invocation.output)
        except MalformedResponse as error:
            trace.add("output", f"malformed function output: {error}", ok=False)
            return exchange.refuse(*messages.INTERNAL_SERVER_ERROR)
        headers, note = cors.decorate(snapshot.cors, exchange.request, headers)
        if note:
            trace.add("cors", note)
        return exchange.reply(status, headers, body)

    def _function_arn(
        self, integration: IntegrationSnapshot, variables: Mapping[str, str], trace: Trace
    ) -> str:
        if integration.integration_type != "AWS_PROXY":
            raise FunctionError(
                "UnsupportedIntegration",
                f"{integration.integration_type} integrations are not run by the local gateway",
            )
        if (integration.payload_format_version or "2.0") != "2.0":
            raise FunctionError(
                "UnsupportedPayloadFormat",
                f"payload format {integration.payload_format_version} is not emulated; use 2.0",
            )
        uri = integration.integration_uri or ""

        def substitute(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in variables:
                raise FunctionError(
                    "StageVariableMissing", f"stage variable {name} used in {uri} is not set"
                )
            return variables[name]

        resolved = _STAGE_VARIABLE.sub(substitute, uri)
        invocations = _INVOCATIONS_ARN.match(resolved)
        arn = invocations.group(1) if invocations else resolved
        note = f" (from {uri})" if resolved != uri else ""
        trace.add(
            "integration",
            f"{integration.integration_type} {integration.integration_id} -> {arn}{note}",
        )
        return arn

    # --- helpers ----------------------------------------------------------------------------

    def _table(self, snapshot: DeploymentSnapshot) -> RouteTable:
        key = (snapshot.api_id, snapshot.deployment_id)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = RouteTable(snapshot.routes)
        return table

    def _request_ids(self) -> tuple[str, str]:
        """The next request's ``apigw-requestid`` and ``x-amzn-trace-id``, both seeded.

        The trace id comes from the seed and the request's number, not from the
        request ids' random stream, so the request ids stay as they were.
        """
        with self._lock:
            self._count += 1
            request_id = base64.b64encode(self._ids.randbytes(11)).decode("ascii")
            return request_id, trace_id(self._seed, self._count)


@dataclass
class _Exchange:
    """One request on its way through the gateway."""

    request: GatewayRequest
    request_id: str
    #: The ``x-amzn-trace-id`` API Gateway adds to the function's event.
    trace_id: str
    trace: Trace = field(default_factory=Trace)
    #: Set once the function's event is built.
    event: dict[str, Any] | None = None

    def reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> GatewayResponse:
        """The response, with API Gateway's request id header, closing the trace."""
        self.trace.add("response", f"{status}, {len(body)} byte(s)", ok=status < 500)
        final = Headers([*headers, ("apigw-requestid", self.request_id)])
        return GatewayResponse(self.request, status, final, body, self.trace, self.event)

    def refuse(
        self, status: int, body: dict[str, str], headers: list[tuple[str, str]] | None = None
    ) -> GatewayResponse:
        """A JSON answer API Gateway makes itself (404, 403, 500)."""
        all_headers = [("content-type", "application/json"), *(headers or [])]
        return self.reply(status, all_headers, messages.json_body(body))


def _route_summary(method: str, path: str, match: RouteMatch) -> str:
    detail = {
        "exact": "exact match",
        "path parameters": f"path parameters {match.path_parameters}",
        "greedy": f"greedy match {match.path_parameters}",
        "$default": "no other route matches, so the $default route takes it",
    }[match.kind]
    return f"{method} {path} -> route {match.route.route_key} ({detail})"


def _shortened_bytes(body: bytes) -> bytes:
    if len(body) <= HISTORY_BODY_LIMIT:
        return body
    dropped = len(body) - HISTORY_BODY_LIMIT
    return body[:HISTORY_BODY_LIMIT] + f"… {dropped} bytes not kept".encode()


def _for_history(response: GatewayResponse) -> GatewayResponse:
    """``response`` as the history keeps it: bodies over the limit shortened, saying so.

    The caller gets the whole response; 50 kept exchanges of 10 MB each would
    otherwise hold more than a gigabyte.
    """
    request, event = response.request, response.event
    if len(request.body) > HISTORY_BODY_LIMIT:
        request = replace(request, body=_shortened_bytes(request.body))
    body = event.get("body") if event is not None else None
    if event is not None and isinstance(body, str) and len(body) > HISTORY_BODY_LIMIT:
        dropped = len(body) - HISTORY_BODY_LIMIT
        event = {**event, "body": f"{body[:HISTORY_BODY_LIMIT]}… {dropped} characters not kept"}
    if (
        request is response.request
        and event is response.event
        and len(response.body) <= HISTORY_BODY_LIMIT
    ):
        return response
    return GatewayResponse(
        request,
        response.status,
        response.headers,
        _shortened_bytes(response.body),
        response.trace,
        event,
    )


def _joined(*parts: str) -> str:
    return "\n".join(part.rstrip() for part in parts if part.strip())
