"""moto served over HTTP on 127.0.0.1, for the AWS CLI, curl and other processes."""

from __future__ import annotations

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
        app = DomainDispatcherApplication(create_backend_app)
        self._server = LoopbackServer(
            app, port=self._port, handler=_QuietMotoRequestHandler, name="gwlab-moto-server"
        )

    def _stop_transport(self) -> None:
        if self._server is not None:
            self._server.stop()
