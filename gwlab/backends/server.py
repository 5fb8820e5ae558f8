"""moto served over HTTP on 127.0.0.1, for the AWS CLI, curl and other processes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import moto.backends
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

from gwlab.backends.guard import AwsClientsOnly, aws_error, signing_name
from gwlab.backends.moto_backed import MotoBackend
from gwlab.loopback import LoopbackServer

#: The dispatcher's name for "no moto service answers this host".
_UNSUPPORTED = "gwlab-unsupported-service"


class _QuietMotoRequestHandler(MotoRequestHandler):
    """moto's request handler without an access-log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the per-request access log line."""


def _unsupported_service(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    """Answer a request for a service moto does not emulate: 501, one clear sentence."""
    service = signing_name(environ) or "this"
    message = f"gwlab's emulated AWS has no {service} service (moto does not emulate it)"
    return aws_error(environ, start_response, 501, "NotImplemented", message)


def _create_app(service: Any) -> Any:
    """The app moto has for ``service``, or gwlab's answer when moto has no such service."""
    if service == _UNSUPPORTED:
        return _unsupported_service
    return create_backend_app(service)


class _Dispatcher(DomainDispatcherApplication):
    """moto's dispatcher, with API Gateway v2's paths served by the v2 service.

    API Gateway v1 and v2 sign as ``apigateway``, which moto serves with v1's app (and
    v1's import); the embedded backend routes ``/v2/`` paths to v2 the same way. A
    service moto lacks gets a clear 501 (moto would print a line and answer 500).
    """

    def __init__(self) -> None:
        super().__init__(_create_app)

    def get_backend_for_host(self, host: str | None) -> Any:
        """The backend moto picks for ``host``; :data:`_UNSUPPORTED` when it has none."""
        if host is None:
            return None
        if host == "moto_api" or host in moto.backends.list_of_moto_modules():
            return host
        for backend, pattern in self.backend_url_patterns:
            if pattern.match(f"http://{host}"):
                return backend
        return _UNSUPPORTED

    def get_application(self, environ: dict[str, Any]) -> Any:
        """The v2 app for a request to ``/v2/...`` signed for ``apigateway``; else moto's."""
        scope = str(environ.get("HTTP_AUTHORIZATION", "")).split(",")[0]
        if str(environ.get("PATH_INFO", "")).startswith("/v2/") and "/apigateway/" in scope:
            with self.lock:
                app = self.app_instances.get("apigatewayv2")
                if app is None:
                    app = self.app_instances["apigatewayv2"] = self.create_app("apigatewayv2")
                return app
        return super().get_application(environ)


class ServerBackend(MotoBackend):
    """The same moto state as the embedded backend, served at :attr:`endpoint_url`.

    Only AWS clients are answered (:class:`~gwlab.backends.guard.AwsClientsOnly`): no
    web page, no other ``Host``, none of moto's ``/moto-api/`` endpoints.
    """

    name = "server"

    def __init__(self, region: str, seed: int, port: int = 0) -> None:
        self._port = port
        self._server: LoopbackServer | None = None
        super().__init__(region, seed)

    @property
    def endpoint_url(self) -> str | None:
        """``http://127.0.0.1:<port>`` while open."""
        return self._server.url if self._server is not None else None

    def _start_transport(self) -> None:
        guard = AwsClientsOnly(_Dispatcher())
        self._server = LoopbackServer(
            guard, port=self._port, handler=_QuietMotoRequestHandler, name="gwlab-moto-server"
        )
        guard.listen_on(self._server.port)

    def _stop_transport(self) -> None:
        if self._server is not None:
            self._server.stop()
