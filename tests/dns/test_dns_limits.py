"""The DNS server's limits: no TCP client can stall it, hold it open or spin it; QR and EDNS.

Every test runs on loopback, is bounded in count and time, and closes what it
opens. Waiting is done with generous bounds (hang guards), never by asserting
a speed; the idle timeout is stepped through on a fake clock where the test is
about which connection is dropped, and let elapse (short) only where the test is
about the server waking by itself.
"""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

import gwlab
from gwlab.dns import DnsServer
from gwlab.dns.server import MAX_CONNECTIONS

from route53_helpers import HostedZone, create, records
from support import HANG_GUARD, FakeClock, wait_until

ROOT = Path(__file__).resolve().parents[2]
#: Client timeouts: a hang guard, not a speed.
TIMEOUT = HANG_GUARD
#: An idle timeout no test outlasts: connections are dropped only by the test's own limits.
NEVER = 3600.0
#: TXT answers of about 400 bytes, 1.4 KB and 16 KB (over 512, under and over 4096).
MID = [f'"{i:02d}{"m" * 60}"' for i in range(6)]
BIG = [f'"{i:02d}{"x" * 60}"' for i in range(20)]
HUGE = [f'"{i:02d}{"h" * 250}"' for i in range(64)]


@pytest.fixture
def lab() -> Iterator[gwlab.LabEnv]:
    """An embedded environment with example.com: an A record and TXT records of three sizes."""
    with gwlab.start() as env:
        HostedZone(env).submit(
            create(records("www.example.com", "A", "192.0.2.1")),
            create(records("mid.example.com", "TXT", *MID)),
            create(records("big.example.com", "TXT", *BIG)),
            create(records("huge.example.com", "TXT", *HUGE)),
        )
        yield env


def framed(name: str, rdtype: str = "A", count: int = 1) -> bytes:
    """``count`` length-prefixed TCP queries for ``name``, back to back."""
    wire = dns.message.make_query(name, rdtype).to_wire()
    return (struct.pack("!H", len(wire)) + wire) * count


def connect(server: DnsServer, *, receive_buffer: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(TIMEOUT)
    sock.connect(server.address)
    return sock


def udp_answer(
    server: DnsServer, name: str = "www.example.com", payload: int | None = None
) -> dns.message.Message:
    """The UDP answer to ``name`` (TXT unless ``www``), with EDNS if ``payload`` is given."""
    rdtype = "A" if name.startswith("www") else "TXT"
    if payload is None:
        query = dns.message.make_query(name, rdtype)
    else:
        query = dns.message.make_query(name, rdtype, use_edns=0, payload=payload)
    host, port = server.address
    return dns.query.udp(query, host, port=port, timeout=TIMEOUT, ignore_trailing=True)


def tcp_answer(server: DnsServer, name: str = "www.example.com") -> dns.message.Message:
    host, port = server.address
    return dns.query.tcp(dns.message.make_query(name, "A"), host, port=port, timeout=TIMEOUT)


def answered(response: dns.message.Message) -> bool:
    return response.rcode() == dns.rcode.NOERROR and bool(response.answer)


def receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "the server closed the connection"
        data += chunk
    return data


def read_frame(sock: socket.socket) -> dns.message.Message:
    """The next length-prefixed answer from ``sock``."""
    (size,) = struct.unpack("!H", receive_exactly(sock, 2))
    return dns.message.from_wire(receive_exactly(sock, size))


def is_dropped(sock: socket.socket, *, limit: int = 64 * 1024 * 1024) -> bool:
    """Whether the server closed ``sock``: reading it ends (EOF or reset) within the timeout."""
    received = 0
    try:
        while received < limit:
            chunk = sock.recv(1 << 20)
            if not chunk:
                return True
            received += len(chunk)
    except ConnectionError:
        return True
    except TimeoutError:
        return False
    return False


@contextmanager
def sockets() -> Iterator[list[socket.socket]]:
    """A list of client sockets, all closed at the end."""
    opened: list[socket.socket] = []
    try:
        yield opened
    finally:
        for sock in opened:
            sock.close()


def test_tcp_clients_that_never_read_are_dropped_for_their_unsent_answers(
    lab: gwlab.LabEnv,
) -> None:
    """Four clients pipeline 500 queries of a 16 KB answer each and never read.

    Before, the one thread blocked on each of them in turn (a blocking send with
    a timeout), so the UDP and TCP queries below timed out.
    """
    with DnsServer() as server, sockets() as stalled:
        for _ in range(4):
            sock = connect(server, receive_buffer=4096)
            stalled.append(sock)
            sock.sendall(framed("huge.example.com", "TXT", 500))
        assert answered(udp_answer(server))
        assert answered(tcp_answer(server))
        assert wait_until(lambda: server.stats().tcp_dropped_unsent == 4)
        assert all(is_dropped(sock) for sock in stalled)
        assert wait_until(lambda: server.stats().tcp_open == 0)  # dns.query.tcp's too
        stats = server.stats()
        assert stats.tcp_answers < 4 * 500  # they were not answered to the end
        assert answered(udp_answer(server)) and answered(tcp_answer(server))


def test_udp_and_tcp_are_answered_while_stalled_clients_hold_their_connections(
    lab: gwlab.LabEnv,
) -> None:
    """A client pipelining 2,000 queries stays connected, unread; others are answered.

    Then the stalled client is dropped for making no progress. The clock stands still
    until then, so no client is idle meanwhile however long the queries take.
    """
    clock = FakeClock()
    with (
        DnsServer(idle_timeout=3.0, max_unsent=4 * 1024 * 1024, clock=clock) as server,
        sockets() as stalled,
    ):
        sock = connect(server, receive_buffer=4096)
        stalled.append(sock)
        sock.sendall(framed("mid.example.com", "TXT", 2000))
        udp = [udp_answer(server) for _ in range(20)]
        with connect(server) as other:
            other.sendall(framed("www.example.com", "A", 20))
            tcp = [read_frame(other) for _ in range(20)]
        during = server.stats()
        assert all(answered(r) for r in udp + tcp)
        assert during.tcp_open >= 1  # the stalled client was still connected
        assert during.tcp_dropped_idle == during.tcp_dropped_unsent == 0
        # Its last progress is its last answer; from then on it only waits to be read.
        assert wait_until(lambda: server.stats().tcp_answers == 2000 + 20)
        # Dropped while still stalled (reading first would let them make progress).
        clock.advance(3.5)
        assert answered(udp_answer(server))  # a turn of the loop, at the new time
        assert wait_until(lambda: server.stats().tcp_dropped_idle == 1)
        assert is_dropped(sock)
        assert wait_until(lambda: server.stats().tcp_open == 0)
        assert answered(udp_answer(server))


def test_only_connections_that_make_no_progress_are_closed_after_the_idle_timeout(
    lab: gwlab.LabEnv,
) -> None:
    """Idle, or sending bytes but never a whole query: dropped; asking every second: kept."""
    clock = FakeClock()
    with DnsServer(idle_timeout=10.0, clock=clock) as server, sockets() as clients:
        idle, trickling, busy = (connect(server) for _ in range(3))
        clients += [idle, trickling, busy]
        assert wait_until(lambda: server.stats().tcp_accepted == 3)  # all at the start time
        partial = framed("www.example.com")[:-1]
        answers = []
        for second in range(1, 26):  # 25 s on the clock: 2.5 idle timeouts
            clock.advance(1.0)
            busy.sendall(framed("www.example.com"))
            answers.append(read_frame(busy))
            with suppress(OSError):  # bytes, but never a whole query
                trickling.sendall(partial[second : second + 1])
            if second == 9:
                assert server.stats().tcp_dropped_idle == 0  # not before the timeout
        assert all(answered(a) for a in answers)
        assert is_dropped(idle) and is_dropped(trickling)
        assert server.stats().tcp_dropped_idle == 2
        busy.sendall(framed("www.example.com"))
        assert answered(read_frame(busy))


def test_an_idle_connection_is_closed_with_no_other_traffic(lab: gwlab.LabEnv) -> None:
    """The loop wakes by itself at the idle deadline (a real, short timeout)."""
    with DnsServer(idle_timeout=0.2) as server, sockets() as clients:
        idle = connect(server)
        clients.append(idle)
        assert is_dropped(idle)  # within TIMEOUT: a hang guard
        assert server.stats().tcp_dropped_idle == 1


def cpu_over_a_second(server: DnsServer) -> tuple[int, float]:
    """Turns of the server's loop and its thread's CPU seconds over one idle second."""
    before = server.stats()
    time.sleep(1.0)
    assert answered(udp_answer(server))  # a turn, so the CPU figure is fresh
    after = server.stats()
    return after.turns - before.turns, after.cpu_seconds - before.cpu_seconds


def test_connections_over_the_cap_are_closed_at_once_without_spinning(lab: gwlab.LabEnv) -> None:
    with DnsServer(idle_timeout=NEVER) as server, sockets() as clients:
        for _ in range(MAX_CONNECTIONS + 20):
            clients.append(connect(server))
        kept, refused = clients[:MAX_CONNECTIONS], clients[MAX_CONNECTIONS:]
        assert all(is_dropped(sock) for sock in refused)
        stats = server.stats()
        assert (stats.tcp_open, stats.tcp_refused) == (MAX_CONNECTIONS, 20)
        assert answered(udp_answer(server))
        turns, cpu = cpu_over_a_second(server)
        assert turns < 50 and cpu < 0.2
        for sock in kept[:3]:
            sock.sendall(framed("www.example.com"))
            assert answered(read_frame(sock))
        for sock in kept[:5]:
            sock.close()
        assert wait_until(lambda: server.stats().tcp_open == MAX_CONNECTIONS - 5)
        assert answered(tcp_answer(server))  # room again


#: Run in a child process with few file descriptors: accept() fails with EMFILE.
EMFILE_SCRIPT = textwrap.dedent(
    """
    import errno, json, os, resource, socket, struct, time
    import dns.message
    from gwlab.dns import DnsServer

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
    QUERY = dns.message.make_query("example.com", "A")

    def ask_udp(sock, ident):
        QUERY.id = ident
        sock.sendto(QUERY.to_wire(), server.address)
        while True:
            reply = dns.message.from_wire(sock.recv(65535))
            if reply.id == ident:
                return True

    def connect():
        sock = socket.socket()
        sock.settimeout(30)
        sock.connect(server.address)
        return sock

    def stats():
        return server.stats() if hasattr(server, "stats") else None

    result = {}
    with DnsServer(zones=lambda: (), idle_timeout=3600) as server:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.settimeout(30)
        clients = [connect() for _ in range(10)]
        deadline = time.monotonic() + 10
        while stats() is not None and stats().tcp_open < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        fillers = []
        try:
            while True:
                fillers.append(os.open(os.devnull, os.O_RDONLY))
        except OSError as error:
            assert error.errno == errno.EMFILE
        os.close(fillers.pop())
        waiting = connect()  # the last descriptor: the server's accept() has none left
        waiting.sendall(struct.pack("!H", len(QUERY.to_wire())) + QUERY.to_wire())
        deadline = time.monotonic() + 10
        while stats() is not None and not stats().accept_failures and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        before, cpu = stats(), time.process_time()
        result["udp_answered"] = sum(ask_udp(udp, n) for n in range(20))
        time.sleep(1.0)
        after = stats()
        result["cpu"] = time.process_time() - cpu
        if before is not None:
            result["turns"] = after.turns - before.turns
            result["accept_failures"] = after.accept_failures
        for fd in fillers:
            os.close(fd)
        data = waiting.recv(65537)
        result["answered_after"] = len(data) > 2
        result["open"] = stats().tcp_open if stats() else None
        for sock in clients + [waiting, udp]:
            sock.close()
    print(json.dumps(result))
    """
)


def test_running_out_of_file_descriptors_does_not_spin_or_stop_udp() -> None:
    done = subprocess.run(
        [sys.executable, "-c", EMFILE_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["accept_failures"] >= 1
    assert result["udp_answered"] == 20
    assert result["turns"] < 50 and result["cpu"] < 0.25
    assert result["answered_after"] and result["open"] == 11


def test_a_response_sent_to_the_server_is_ignored(lab: gwlab.LabEnv) -> None:
    """A message with QR set gets no answer (BIND's behaviour); the next query does."""
    stray = dns.message.make_response(dns.message.make_query("www.example.com", "A"))
    stray.id = 1111
    query = dns.message.make_query("www.example.com", "A")
    query.id = 2222
    with DnsServer() as server, sockets() as clients:
        assert server.respond(stray.to_wire()) is None
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        clients.append(udp)
        udp.settimeout(TIMEOUT)
        udp.sendto(stray.to_wire(), server.address)
        udp.sendto(query.to_wire(), server.address)
        assert dns.message.from_wire(udp.recv(65535)).id == 2222  # nothing came for 1111
        tcp = connect(server)
        clients.append(tcp)
        for message in (stray, query):
            wire = message.to_wire()
            tcp.sendall(struct.pack("!H", len(wire)) + wire)
        reply = read_frame(tcp)
        assert reply.id == 2222 and answered(reply)  # and the connection stays open
        assert server.stats().ignored == 2


def test_udp_answers_are_as_large_as_the_edns_payload_allows(lab: gwlab.LabEnv) -> None:
    with DnsServer() as server:
        plain = udp_answer(server, "big.example.com")  # no EDNS: 512 bytes
        large = udp_answer(server, "big.example.com", payload=4096)
        small = udp_answer(server, "big.example.com", payload=1232)
        huge = udp_answer(server, "huge.example.com", payload=65000)
        assert plain.flags & dns.flags.TC and not plain.answer
        assert not large.flags & dns.flags.TC and len(large.answer[0]) == len(BIG)
        assert len(large.to_wire()) > 1232
        assert large.payload == 4096  # what the server advertises
        assert small.flags & dns.flags.TC  # the client's own size is respected
        assert huge.flags & dns.flags.TC  # 4096 at most, whatever the client offers
        host, port = server.address
        whole = dns.query.tcp(
            dns.message.make_query("huge.example.com", "TXT"), host, port=port, timeout=TIMEOUT
        )
        assert len(whole.answer[0]) == len(HUGE)


DIG = shutil.which("dig")


@pytest.mark.skipif(DIG is None, reason="dig is not installed (Debian: dnsutils)")
def test_dig_gets_a_large_answer_whole_with_bufsize_4096(lab: gwlab.LabEnv) -> None:
    assert DIG is not None
    with DnsServer() as server:
        host, port = server.address

        def dig(*args: str) -> str:
            command = [DIG, f"@{host}", "-p", str(port), "+tries=1", "+time=5", "+ignore"]
            done = subprocess.run(
                [*command, *args, "big.example.com", "TXT"],
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            )
            return done.stdout

        large = dig("+bufsize=4096")
        flags = large.split(";; flags:")[1].split(";")[0].split()
        assert "tc" not in flags and large.count("\tTXT\t") == len(BIG)
        assert "udp: 4096" in large
        plain = dig("+noedns")
        assert "tc" in plain.split(";; flags:")[1].split(";")[0].split()
