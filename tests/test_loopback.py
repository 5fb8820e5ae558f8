"""The loopback HTTP server and the server backend leave no thread or port behind."""

from __future__ import annotations

import errno
import select
import socket
import threading
import time
import urllib.request
from typing import Any

import pytest

import gwlab
from gwlab.errors import PortNotAllowedError
from gwlab.loopback import LoopbackServer, bind_loopback

from support import HANG_GUARD, wait_until


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_server_answers_then_frees_port_and_threads() -> None:
    before = threading.active_count()
    server = LoopbackServer(_app)
    with urllib.request.urlopen(server.url + "/") as response:
        assert response.read() == b"ok"
    server.stop()
    assert not server.running
    assert _refused(server.port)
    assert threading.active_count() == before


def test_stop_closes_idle_connections_without_waiting_for_their_timeout() -> None:
    """A connection waiting for its request (werkzeug closes each one after its response)."""
    before = threading.active_count()
    server = LoopbackServer(_app, timeout=3600)  # no test outlasts this read timeout
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
    assert wait_until(lambda: server.connection_count == 1)  # its handler waits to read
    stopping = threading.Thread(target=server.stop, name="test-stop")
    stopping.start()
    stopping.join(HANG_GUARD)
    stopped = not stopping.is_alive()
    if not stopped:  # stop() is waiting for the idle connection: let it go, then fail
        idle.shutdown(socket.SHUT_WR)
        stopping.join()
    assert stopped, "stop() waited for the idle connection's read timeout"
    assert idle.recv(4096) == b""  # the server hung up
    idle.close()
    assert threading.active_count() == before


def test_a_taken_port_is_a_clear_error_not_an_exit() -> None:
    holder = bind_loopback(0)
    holder.listen(1)
    try:
        with pytest.raises(gwlab.PortInUseError, match=r"already in use on 127\.0\.0\.1"):
            LoopbackServer(_app, port=holder.getsockname()[1])
    finally:
        holder.close()


def test_server_backend_leaves_no_thread_or_port_after_close() -> None:
    before = set(threading.enumerate())
    env = gwlab.start("server")
    port = int(str(env.endpoint_url).rsplit(":", 1)[1])
    env.client("apigatewayv2").get_apis()
    env.client("route53").list_hosted_zones()
    assert any(t.name == "gwlab-moto-server" for t in threading.enumerate())
    env.close()
    assert _refused(port)
    assert set(threading.enumerate()) == before


def test_server_backend_on_a_taken_port_fails_cleanly() -> None:
    holder = bind_loopback(0)
    holder.listen(1)
    try:
        with pytest.raises(gwlab.PortInUseError):
            gwlab.start("server", port=holder.getsockname()[1])
    finally:
        holder.close()
    # nothing half-open: the next start works
    with gwlab.start("server") as env:
        assert env.client("apigatewayv2").get_apis()["Items"] == []


def test_embedded_backend_starts_no_thread() -> None:
    before = set(threading.enumerate())
    with gwlab.start() as env:
        env.client("apigatewayv2").get_apis()
        assert set(threading.enumerate()) == before


# --- limits: a client cannot hold the server (issue 15) ------------------------------------


def _body_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Reads the body the request announces, as moto does."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    return _app(environ, start_response)


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    return answer


def test_a_stalled_client_is_dropped_after_the_timeout(capfd: pytest.CaptureFixture[str]) -> None:
    server = LoopbackServer(_body_app, timeout=0.5)
    try:
        stalled = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
        half = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD)
        with stalled, half, idle:
            stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            half.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            assert _get(server.port).endswith(b"ok")  # others are answered meanwhile
            for sock in (stalled, half, idle):
                assert sock.recv(4096) == b""  # the server hung up; our guard did not fire
    finally:
        server.stop()
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("length", ["abc", "-1", "+5", "1, 2"])
def test_a_content_length_that_is_not_a_number_is_a_400(
    length: str, capfd: pytest.CaptureFixture[str]
) -> None:
    server = LoopbackServer(_body_app)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD) as sock:
            sock.sendall(f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
        assert answer.endswith(b'\r\n\r\n{"message":"Bad Request"}')
        assert _get(server.port).endswith(b"ok")
    finally:
        server.stop()
    assert capfd.readouterr().err == ""


def test_the_connection_cap_holds_under_idle_sockets_and_requests_are_answered() -> None:
    """100 idle sockets against the default cap: the ones idle longest are closed."""
    from gwlab.loopback import MAX_CONNECTIONS

    flood = 100
    server = LoopbackServer(_app)
    idle: list[socket.socket] = []
    try:
        most = 0
        for _ in range(flood):
            idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD))
            most = max(most, server.connection_count)
        # every socket the cap pushed out sees the end of the stream
        closed: set[int] = set()
        deadline = time.monotonic() + HANG_GUARD
        while len(closed) < flood - MAX_CONNECTIONS and time.monotonic() < deadline:
            readable, _, _ = select.select([s for s in idle if s.fileno() not in closed], [], [], 1)
            for sock in readable:
                assert sock.recv(4096) == b""
                closed.add(sock.fileno())
            most = max(most, server.connection_count)
        assert len(closed) == flood - MAX_CONNECTIONS
        for _ in range(3):
            assert _get(server.port).endswith(b"ok")
            most = max(most, server.connection_count)
        assert most <= MAX_CONNECTIONS
    finally:
        for sock in idle:
            sock.close()
        server.stop()


def test_with_every_connection_busy_a_new_one_gets_503() -> None:
    server = LoopbackServer(_body_app, max_connections=2)
    busy = [socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD) for _ in "ab"]
    try:
        for sock in busy:  # a request line and part of a body: each is serving a request
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        tracked = server._server._connections  # until both handlers have read their request
        assert wait_until(lambda: len(tracked) == 2 and all(tracked.values()))
        answer = _get(server.port)
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        assert answer.endswith(b'{"message":"Service Unavailable"}')
        for sock in busy:  # the two requests finish normally
            sock.sendall(b"cdefghij")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200 OK")
    finally:
        for sock in busy:
            sock.close()
        server.stop()


def test_a_privileged_port_is_its_own_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, so the kernel's EACCES is simulated (in this test only)."""
    _simulate_privileged_ports(monkeypatch)
    with pytest.raises(PortNotAllowedError) as raised:
        bind_loopback(80)
    assert str(raised.value) == (
        "port 80 needs administrator rights (ports below 1024 are privileged): "
        "use --port 0 for a free port, or one above 1023"
    )
    assert not isinstance(raised.value, gwlab.PortInUseError)
    bind_loopback(0).close()  # other ports still bind


def _simulate_privileged_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    real_bind = socket.socket.bind

    def bind(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and 0 < address[1] < 1024:
            raise PermissionError(errno.EACCES, "Permission denied")
        real_bind(self, address)

    monkeypatch.setattr(socket.socket, "bind", bind)
