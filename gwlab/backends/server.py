"""moto served over HTTP on 127.0.0.1, for the AWS CLI, curl and other processes."""

from __future__ import annotations

from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

from gwlab.backends.moto_backed import MotoBackend
from gwlab.loopback import LoopbackServer


class _QuietMotoRequestHandler(MotoRequestHandler):
    """moto's request handler without an access-log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the per-request access log line."""


class _Dispatcher(DomainDispatcherApplication):
    """moto's dispatcher, with API Gateway v2's paths served by the v2 service.

    API Gateway v1 and v2 sign as ``apigateway``, which moto serves with v1's app (and
    v1's import); the embedded backend routes ``/v2/`` paths to v2 the same way.
    """

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
    """The same moto state as the embedded backend, served at :attr:`endpoint_url`."""

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
        app = _Dispatcher(create_backend_app)
        self._server = LoopbackServer(
            app, port=self._port, handler=_QuietMotoRequestHandler, name="gwlab-moto-server"
        )

    def _stop_transport(self) -> None:
        if self._server is not None:
            self._server.stop()
