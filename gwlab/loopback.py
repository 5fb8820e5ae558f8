"""A threaded WSGI server on the loopback interface that stops cleanly.

Used by the server backend (moto over HTTP) and by the local gateway. Unlike
``werkzeug.serving.make_server`` it never calls ``sys.exit`` when the port is
taken (it raises :class:`~gwlab.errors.PortInUseError`), it logs nothing per
request, and :meth:`LoopbackServer.stop` closes open keep-alive connections
and joins every thread it started, so no thread or port outlives it.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from gwlab.errors import GwlabError, PortInUseError

#: The only interface gwlab ever listens on.
LOOPBACK_HOST = "127.0.0.1"


class QuietRequestHandler(WSGIRequestHandler):
    """A request handler that does not log every request to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the per-request access log line."""


class _TrackingServer(ThreadedWSGIServer):
    """A threaded WSGI server that remembers its connections and threads."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler thread blocked on an idle keep-alive connection."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def bind_loopback(port: int, kind: int = socket.SOCK_STREAM) -> socket.socket:
    """Bind a socket on 127.0.0.1 (``port`` 0 picks a free one).

    Raises :class:`PortInUseError` when the port is taken.
    """
    if not 0 <= port <= 65535:
        raise GwlabError(f"port {port} is out of range: use 0 to 65535 (0 picks a free port)")
    sock = socket.socket(socket.AF_INET, kind)
    try:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK_HOST, port))
    except OSError as error:
        sock.close()
        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUseError(LOOPBACK_HOST, port) from None
        raise
    return sock


class LoopbackServer:
    """Serve a WSGI application on ``127.0.0.1`` from a background thread."""

    def __init__(
        self,
        app: Any,
        *,
        port: int = 0,
        handler: type[WSGIRequestHandler] = QuietRequestHandler,
        name: str = "gwlab-http",
    ) -> None:
        listener = bind_loopback(port)
        listener.listen(128)
        try:
            # werkzeug duplicates the descriptor, so ours can be closed at once.
            self._server = _TrackingServer(
                LOOPBACK_HOST, listener.getsockname()[1], app, handler, fd=listener.fileno()
            )
        finally:
            listener.close()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name=name
        )
        self._thread.daemon = True
        self._thread.start()
        self._stopped = False

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{LOOPBACK_HOST}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server still accepts connections."""
        return not self._stopped

    def stop(self) -> None:
        """Stop accepting, close open connections, and join every thread."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
