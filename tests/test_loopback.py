"""The loopback HTTP server and the server backend leave no thread or port behind."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from typing import Any

import pytest

import gwlab
from gwlab.loopback import LoopbackServer, bind_loopback


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


def test_stop_closes_idle_keep_alive_connections_promptly() -> None:
    before = threading.active_count()
    server = LoopbackServer(_app)
    idle = socket.create_connection(("127.0.0.1", server.port))
    idle.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = b""
    while not answer.endswith(b"ok"):
        answer += idle.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200 OK")  # and the connection stays open
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 2
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
