"""A threaded WSGI server on the loopback interface that stops cleanly.

Used by the server backend (moto over HTTP) and by the local gateway. Unlike
``werkzeug.serving.make_server`` it never calls ``sys.exit`` when the port is
taken (it raises :class:`~gwlab.errors.PortInUseError`), it logs nothing per
request, and :meth:`LoopbackServer.stop` closes open keep-alive connections
and joins every thread it started, so no thread or port outlives it.

It also keeps a client from holding it: every connection has a socket timeout
(a client that stalls mid-request, or idles, is dropped), the number of open
connections is capped (the one idle longest makes room for a new one; with
none idle, the new one gets a 503), and a request whose ``Content-Length`` is
not a number gets 400 before any application sees it.
"""

from __future__ import annotations

import contextlib
import errno
import re
import socket
import socketserver
import threading
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from gwlab.errors import GwlabError, PortInUseError, PortNotAllowedError

#: The only interface gwlab ever listens on.
LOOPBACK_HOST = "127.0.0.1"
#: Seconds a connection may wait for the client's next bytes (request line, headers,
#: body, or the next request on a keep-alive connection) before it is closed: far
#: longer than any client on the same machine needs between two packets.
READ_TIMEOUT = 30.0
#: Connections open at once, at most (each one holds a thread and a descriptor).
MAX_CONNECTIONS = 64
#: ASSUMED (no public source gives API Gateway's text): the answer to a request
#: whose framing is broken, in API Gateway's ``{"message": ...}`` shape.
BAD_REQUEST_BODY = b'{"message":"Bad Request"}'
#: ASSUMED: the answer to a connection over :data:`MAX_CONNECTIONS` with none idle.
UNAVAILABLE_BODY = b'{"message":"Service Unavailable"}'
_DIGITS = re.compile(r"[0-9]+")


def _response(status: str, body: bytes) -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def valid_content_length(values: list[str]) -> bool:
    """Whether ``Content-Length`` header values frame a body (RFC 9110: digits, all equal)."""
    lengths = {value.strip() for value in values}
    return len(lengths) <= 1 and all(_DIGITS.fullmatch(length) for length in lengths)


class QuietRequestHandler(WSGIRequestHandler):
    """A request handler that does not log every request to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the per-request access log line."""


class _LimitedHandler(WSGIRequestHandler):
    """What :class:`LoopbackServer` adds to any handler: timeouts, framing checks, quiet errors.

    Mixed in front of the handler class a server is given (werkzeug's, moto's).
    ``timeout`` is the socket timeout ``StreamRequestHandler.setup`` sets.
    """

    server: _TrackingServer
    timeout = READ_TIMEOUT

    def handle_one_request(self) -> None:
        """Wait for a request (idle, so evictable), then serve it (busy)."""
        self.server.mark_busy(self.connection, busy=False)
        super().handle_one_request()

    def parse_request(self) -> bool:
        """The request line has arrived: this connection is no longer idle."""
        self.server.mark_busy(self.connection, busy=True)
        return bool(super().parse_request())

    def run_wsgi(self) -> None:
        """Refuse a ``Content-Length`` that is not a number with 400; else run the app."""
        if not valid_content_length(self.headers.get_all("Content-Length") or []):
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.wfile.write(_response("400 Bad Request", BAD_REQUEST_BODY))
                self.wfile.flush()
            return
        super().run_wsgi()

    def connection_dropped(
        self, error: BaseException, environ: dict[str, Any] | None = None
    ) -> None:
        """The client stalled past the timeout or left mid-request: close, read no more."""
        self.close_connection = True

    def handle(self) -> None:
        """Serve the connection; a socket that broke under a client is closed quietly."""
        try:
            super().handle()
        except OSError:
            self.close_connection = True

    def log_error(self, format: str, *args: Any) -> None:
        """Say nothing about a client's broken or timed-out request (not the learner's doing)."""


class _TrackingServer(ThreadedWSGIServer):
    """A threaded WSGI server that remembers its connections and caps how many are open."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        #: Open connections, oldest first, each with whether it is serving a request.
        self._connections: dict[socket.socket, bool] = {}
        self._connections_lock = threading.Lock()
        self.max_connections = max_connections
        super().__init__(*args, **kwargs)

    @property
    def connection_count(self) -> int:
        """How many connections are open."""
        with self._connections_lock:
            return len(self._connections)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown`, without werkzeug's ``server_close`` at the end.

        That one joins every handler thread, so an idle connection would hold
        :meth:`LoopbackServer.stop` for its whole read timeout before
        :meth:`close_connections` could wake it; ``stop`` closes the server itself.
        """
        socketserver.BaseServer.serve_forever(self, poll_interval=poll_interval)

    def mark_busy(self, connection: socket.socket, *, busy: bool) -> None:
        """Record whether ``connection`` is serving a request or waiting for one."""
        with self._connections_lock:
            if connection in self._connections:
                self._connections[connection] = busy

    def process_request(self, request: Any, client_address: Any) -> None:
        evicted: socket.socket | None = None
        with self._connections_lock:
            full = len(self._connections) >= self.max_connections
            if full:  # the connection idle longest makes room, if there is one
                evicted = next((c for c, busy in self._connections.items() if not busy), None)
                if evicted is not None:
                    del self._connections[evicted]
            refused = full and evicted is None
            if not refused:
                self._connections[request] = False
        if evicted is not None:
            with contextlib.suppress(OSError):
                evicted.shutdown(socket.SHUT_RDWR)
        if refused:
            with contextlib.suppress(OSError):
                request.settimeout(0)
                request.send(_response("503 Service Unavailable", UNAVAILABLE_BODY))
            super().shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler thread waiting to read; one that is answering still answers.

        Shutting only the reading side makes a blocked read see the end of the
        stream, while a response being written still reaches its client.
        """
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RD)


def bind_loopback(port: int, kind: int = socket.SOCK_STREAM) -> socket.socket:
    """Bind a socket on 127.0.0.1 (``port`` 0 picks a free one).

    Raises :class:`PortInUseError` when the port is taken, and
    :class:`PortNotAllowedError` when it is privileged (below 1024) for this user.
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
        if error.errno == errno.EADDRINUSE:
            raise PortInUseError(LOOPBACK_HOST, port) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise PortNotAllowedError(port) from None
        raise
    return sock


class LoopbackServer:
    """Serve a WSGI application on ``127.0.0.1`` from a background thread.

    ``timeout`` and ``max_connections`` bound what clients can hold (see the
    module's docstring); the defaults suit every real client, tests lower them.
    """

    def __init__(
        self,
        app: Any,
        *,
        port: int = 0,
        handler: type[WSGIRequestHandler] = QuietRequestHandler,
        name: str = "gwlab-http",
        timeout: float = READ_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        limited = type(
            f"Limited{handler.__name__}", (_LimitedHandler, handler), {"timeout": timeout}
        )
        listener = bind_loopback(port)
        listener.listen(128)
        try:
            # werkzeug duplicates the descriptor, so ours can be closed at once.
            self._server = _TrackingServer(
                LOOPBACK_HOST,
                listener.getsockname()[1],
                app,
                limited,
                fd=listener.fileno(),
                max_connections=max_connections,
            )
        finally:
            listener.close()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name=name
        )
        self._thread.daemon = True
        self._thread.start()
        self._accepting = True
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
        return self._accepting

    @property
    def connection_count(self) -> int:
        """How many client connections are open now."""
        return self._server.connection_count

    def stop_accepting(self) -> None:
        """Refuse new connections; requests in flight go on until :meth:`stop`."""
        if not self._accepting:
            return
        self._accepting = False
        self._server.shutdown()
        self._thread.join()
        self._server.socket.close()

    def stop(self) -> None:
        """Stop accepting, close open connections, and join every thread.

        A request being answered finishes (its thread waits for nothing
        without a timeout); idle connections are closed at once.
        """
        if self._stopped:
            return
        self._stopped = True
        self.stop_accepting()
        self._server.close_connections()
        self._server.server_close()
