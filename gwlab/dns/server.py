"""An authoritative DNS server on 127.0.0.1 (UDP and TCP, one port).

It answers from Route 53's hosted zones as they are served at the moment of
the query (only ``INSYNC`` changes), read in-process from moto's backends,
plus API Gateway's endpoint domains. One thread serves both transports with a
selector over non-blocking sockets, so no client can hold it up:

- UDP answers are as large as the query's EDNS payload allows, up to Route
  53's documented 4096 bytes (512 without EDNS); larger ones are truncated (TC).
- Each TCP connection has its own input and output buffers, written when the
  socket is writable (the kernel's send buffer is kept small too). A client
  whose unsent answers pass ``max_unsent`` bytes is dropped (reset), and so is
  one that makes no progress (no whole query received, no answer byte taken)
  for ``idle_timeout`` seconds (RFC 7766, 6.2.3).
- At most ``max_connections`` TCP connections are open; one more is accepted
  and closed at once. When accepting fails for lack of file descriptors, the
  listener rests for a moment instead of failing in a loop.
- Each turn answers a bounded number of queries per connection, so UDP is
  answered promptly whatever TCP clients do (RFC 1035, 6.1.1).
- A message with the QR bit set is a response, not a query: it is ignored,
  as BIND does (answering responses lets two servers bounce messages forever).

:meth:`DnsServer.close` wakes the thread, joins it and closes every socket,
so nothing outlives the environment; :meth:`DnsServer.stats` says what the
limits did.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Sequence

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rrset

from gwlab.dns.answers import EDNS_UDP_SIZE, answer
from gwlab.dns.lookup import resolve
from gwlab.dns.zones import ZoneCache
from gwlab.emulator.state import PublishedZone, serving_zones
from gwlab.errors import PortInUseError
from gwlab.loopback import LOOPBACK_HOST, bind_loopback

#: The largest UDP answer without EDNS (RFC 1035).
CLASSIC_UDP_SIZE = 512
#: The largest DNS message (over TCP: the two-byte length prefix's limit).
MAX_MESSAGE = 65535
#: How many free UDP ports are tried before giving up on one free for TCP too.
_PORT_ATTEMPTS = 20
#: Connections the kernel may queue before the server accepts them.
_LISTEN_BACKLOG = 64
#: Defaults of the TCP limits (see :class:`DnsServer`).
IDLE_TIMEOUT = 10.0
MAX_CONNECTIONS = 32
MAX_UNSENT = 64 * 1024
#: How long the listener rests after ``accept`` failed for lack of resources.
ACCEPT_BACKOFF = 0.5
#: Work done per turn of the loop, so that no one client holds up the others.
_UDP_PER_TURN = 64
_ACCEPTS_PER_TURN = 16
_QUERIES_PER_TURN = 16
_RECV_SIZE = 16 * 1024
#: The kernel's send buffer per connection (fixed, so that it does not grow to
#: megabytes for a client that never reads; Linux doubles what it is given).
_KERNEL_SEND_BUFFER = 64 * 1024
#: Input a connection may hold unanswered: one whole message plus a read.
_MAX_INBOX = 2 + MAX_MESSAGE + _RECV_SIZE
#: ``accept`` errors that mean "no resources now": wait, don't retry at once.
_RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})

ZoneSource = Callable[[], Sequence[PublishedZone]]


@dataclasses.dataclass
class DnsStats:
    """What the server has done since it started (a snapshot: see :meth:`DnsServer.stats`)."""

    #: Answers sent over UDP and over TCP.
    udp_answers: int = 0
    tcp_answers: int = 0
    #: Messages not answered: responses (QR set) and ones too short for a header.
    ignored: int = 0
    #: TCP connections open now, accepted in all, and closed at once over the cap.
    tcp_open: int = 0
    tcp_accepted: int = 0
    tcp_refused: int = 0
    #: TCP connections dropped for too many unsent answers, or for no progress.
    tcp_dropped_unsent: int = 0
    tcp_dropped_idle: int = 0
    #: ``accept`` failures for lack of resources (each rests the listener once).
    accept_failures: int = 0
    #: Turns of the server's loop, and its thread's CPU time at the last turn.
    turns: int = 0
    cpu_seconds: float = 0.0


@dataclasses.dataclass(eq=False)
class _Connection:
    """One TCP client: what it sent that is not answered yet, and what it has not taken."""

    sock: socket.socket
    progress_at: float
    inbox: bytearray = dataclasses.field(default_factory=bytearray)
    outbox: bytearray = dataclasses.field(default_factory=bytearray)
    events: int = selectors.EVENT_READ
    closed: bool = False

    def has_query(self) -> bool:
        """Whether a whole length-prefixed message is waiting in the inbox."""
        inbox = self.inbox
        return len(inbox) >= 2 and len(inbox) >= 2 + ((inbox[0] << 8) | inbox[1])


def _bind_pair(port: int) -> tuple[socket.socket, socket.socket]:
    """A UDP and a listening TCP socket on the same loopback port."""
    for _ in range(_PORT_ATTEMPTS if port == 0 else 1):
        udp = bind_loopback(port, socket.SOCK_DGRAM)
        try:
            tcp = bind_loopback(udp.getsockname()[1])
        except PortInUseError:
            udp.close()
            if port:
                raise
            continue
        tcp.listen(_LISTEN_BACKLOG)
        return udp, tcp
    raise PortInUseError(LOOPBACK_HOST, port)


class DnsServer:
    """Route 53's name servers for the lab, on ``127.0.0.1`` (see :attr:`address`).

    ``dig @127.0.0.1 -p PORT api.example.com A`` asks it from a shell;
    :meth:`resolve` asks it from Python. ``idle_timeout``, ``max_connections``
    and ``max_unsent`` bound what TCP clients can hold (see the module's
    docstring). ``clock`` (seconds, ``time.monotonic``) times those limits;
    tests pass a fake one to step past ``idle_timeout`` without waiting.
    """

    def __init__(
        self,
        port: int = 0,
        zones: ZoneSource = serving_zones,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        max_unsent: int = MAX_UNSENT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._zones = zones
        self._clock = clock
        self._cache = ZoneCache()
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._max_unsent = max_unsent
        self._stats = DnsStats()
        self._udp, self._tcp = _bind_pair(port)
        self._address: tuple[str, int] = (LOOPBACK_HOST, int(self._udp.getsockname()[1]))
        self._wake_reader, self._wake_writer = socket.socketpair()
        for sock in (self._udp, self._tcp, self._wake_reader):
            sock.setblocking(False)
        self._connections: dict[socket.socket, _Connection] = {}
        #: Connections with a whole query waiting (answered a few per turn).
        self._backlog: dict[_Connection, None] = {}
        self._accept_resumes_at: float | None = None
        self._selector = selectors.DefaultSelector()
        for sock in (self._udp, self._tcp, self._wake_reader):
            self._selector.register(sock, selectors.EVENT_READ)
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="gwlab-dns", daemon=True)
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` to query, over UDP or TCP."""
        return self._address

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return self._closed

    def stats(self) -> DnsStats:
        """A copy of the server's counters (answers, connections, what the limits refused)."""
        return dataclasses.replace(self._stats)

    def resolve(self, name: str, rdtype: str = "A", *, tcp: bool = False) -> dns.rrset.RRset:
        """Ask this server for ``name``'s ``rdtype`` records (see :func:`gwlab.dns.resolve`)."""
        return resolve(self.address, name, rdtype, tcp=tcp)

    def respond(self, wire: bytes, *, udp: bool = False) -> bytes | None:
        """The wire-format response to the wire-format query ``wire`` (``None``: no answer).

        ``udp`` limits the answer to what the query's EDNS payload size allows
        (512 bytes without EDNS, at most :data:`EDNS_UDP_SIZE`); a larger one
        is sent empty with the TC flag so the client asks again over TCP.
        Responses (QR set) and messages too short for a header get no answer.
        """
        if len(wire) < 12 or wire[2] & 0x80:
            return None
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return _format_error(wire)
        response = answer(query, self._cache.authority(self._zones()))
        max_size = MAX_MESSAGE
        if udp:
            max_size = CLASSIC_UDP_SIZE
            if query.edns >= 0:
                max_size = min(max(query.payload, CLASSIC_UDP_SIZE), EDNS_UDP_SIZE)
        try:
            return response.to_wire(max_size=max_size)
        except dns.exception.TooBig:
            response.answer, response.authority, response.additional = [], [], []
            response.flags |= dns.flags.TC
            return response.to_wire()

    def close(self) -> None:
        """Stop serving, join the thread and close every socket (idempotent)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")
        self._thread.join()
        for sock in [self._udp, self._tcp, self._wake_reader, self._wake_writer]:
            sock.close()
        for connection in list(self._connections.values()):
            connection.sock.close()
        self._connections.clear()
        self._backlog.clear()
        self._stats.tcp_open = 0
        self._selector.close()

    # The loop: everything below runs in the server's thread only.

    def _serve(self) -> None:
        stats = self._stats
        while True:
            events = self._selector.select(self._next_timeout())
            stats.turns += 1
            for key, mask in events:
                sock = key.fileobj
                if sock is self._wake_reader:
                    return
                if sock is self._udp:
                    self._serve_udp()
                elif sock is self._tcp:
                    self._accept()
                else:
                    self._serve_tcp(key.data, mask)
            for connection in list(self._backlog):
                try:
                    self._answer_some(connection)
                except OSError:  # the selector refused the socket: it is gone
                    self._close(connection)
            now = self._clock()
            self._drop_idle(now)
            if self._accept_resumes_at is not None and now >= self._accept_resumes_at:
                self._accept_resumes_at = None
                self._selector.register(self._tcp, selectors.EVENT_READ)
            stats.cpu_seconds = time.thread_time()

    def _serve_tcp(self, connection: _Connection, mask: int) -> None:
        try:
            if mask & selectors.EVENT_WRITE:
                self._flush(connection)
            if mask & selectors.EVENT_READ and not connection.closed:
                self._receive(connection)
        except OSError:  # the selector refused the socket: it is gone
            self._close(connection)

    def _next_timeout(self) -> float | None:
        """How long the selector may wait: until the next idle deadline or the listener's rest."""
        if self._backlog:
            return 0.0
        deadlines = [c.progress_at + self._idle_timeout for c in self._connections.values()]
        if self._accept_resumes_at is not None:
            deadlines.append(self._accept_resumes_at)
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - self._clock())

    def _serve_udp(self) -> None:
        for _ in range(_UDP_PER_TURN):
            try:
                wire, peer = self._udp.recvfrom(MAX_MESSAGE)
            except BlockingIOError:
                return
            except OSError:
                continue
            reply = self._safe_respond(wire, udp=True)
            if reply is None:
                self._stats.ignored += 1
                continue
            with contextlib.suppress(OSError):  # a full send buffer loses the answer, as UDP may
                self._udp.sendto(reply, peer)
                self._stats.udp_answers += 1

    def _accept(self) -> None:
        stats = self._stats
        for _ in range(_ACCEPTS_PER_TURN):
            try:
                sock, _ = self._tcp.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:
                if error.errno in _RESOURCE_ERRORS:
                    stats.accept_failures += 1
                self._rest_listener()
                return
            if len(self._connections) >= self._max_connections:
                stats.tcp_refused += 1
                sock.close()
                continue
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _KERNEL_SEND_BUFFER)
            connection = _Connection(sock, self._clock())
            self._connections[sock] = connection
            self._selector.register(sock, selectors.EVENT_READ, connection)
            stats.tcp_accepted += 1
            stats.tcp_open = len(self._connections)

    def _rest_listener(self) -> None:
        """Stop watching the listener for :data:`ACCEPT_BACKOFF` seconds (no busy loop)."""
        self._selector.unregister(self._tcp)
        self._accept_resumes_at = self._clock() + ACCEPT_BACKOFF

    def _receive(self, connection: _Connection) -> None:
        try:
            data = connection.sock.recv(_RECV_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._close(connection)
            return
        connection.inbox += data
        if connection.has_query():
            self._backlog[connection] = None
        self._watch(connection)

    def _answer_some(self, connection: _Connection) -> None:
        """Answer up to a few whole queries of ``connection``; the rest wait for the next turn."""
        inbox = connection.inbox
        for _ in range(_QUERIES_PER_TURN):
            if connection.closed or not connection.has_query():
                break
            size = (inbox[0] << 8) | inbox[1]
            wire = bytes(inbox[2 : 2 + size])
            del inbox[: 2 + size]
            connection.progress_at = self._clock()
            reply = self._safe_respond(wire)
            if reply is None:
                self._stats.ignored += 1
                continue
            connection.outbox += struct.pack("!H", len(reply)) + reply
            self._stats.tcp_answers += 1
            if len(connection.outbox) > self._max_unsent:
                self._flush(connection)
                if len(connection.outbox) > self._max_unsent:
                    self._stats.tcp_dropped_unsent += 1
                    self._close(connection, reset=True)
        if connection.closed:
            return
        if not connection.has_query():
            self._backlog.pop(connection, None)
        if connection.outbox:
            self._flush(connection)
        if not connection.closed:
            self._watch(connection)

    def _flush(self, connection: _Connection) -> None:
        """Send what the socket takes now; keep the rest for when it is writable."""
        try:
            sent = connection.sock.send(connection.outbox)
        except BlockingIOError:
            return
        except OSError:
            self._close(connection)
            return
        if sent:
            del connection.outbox[:sent]
            connection.progress_at = self._clock()
        self._watch(connection)

    def _watch(self, connection: _Connection) -> None:
        """Select on what ``connection`` needs: room to read into, answers to write."""
        if connection.closed:
            return
        events = 0
        if len(connection.inbox) < _MAX_INBOX - _RECV_SIZE:
            events |= selectors.EVENT_READ
        if connection.outbox:
            events |= selectors.EVENT_WRITE
        if events == connection.events:
            return
        if connection.events == 0:
            self._selector.register(connection.sock, events, connection)
        elif events == 0:
            self._selector.unregister(connection.sock)
        else:
            self._selector.modify(connection.sock, events, connection)
        connection.events = events

    def _drop_idle(self, now: float) -> None:
        for connection in list(self._connections.values()):
            if now - connection.progress_at >= self._idle_timeout:
                self._stats.tcp_dropped_idle += 1
                self._close(connection, reset=bool(connection.outbox or connection.inbox))

    def _close(self, connection: _Connection, *, reset: bool = False) -> None:
        """Forget ``connection``; ``reset`` discards what the kernel still holds for it (RST)."""
        if connection.closed:
            return
        connection.closed = True
        if connection.events:
            with contextlib.suppress(KeyError, OSError, ValueError):
                self._selector.unregister(connection.sock)
        del self._connections[connection.sock]
        self._backlog.pop(connection, None)
        if reset:
            with contextlib.suppress(OSError):
                connection.sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
        connection.sock.close()
        connection.inbox.clear()
        connection.outbox.clear()
        self._stats.tcp_open = len(self._connections)

    def _safe_respond(self, wire: bytes, *, udp: bool = False) -> bytes | None:
        """:meth:`respond`, or ``SERVFAIL`` if answering failed: the server never stops."""
        try:
            return self.respond(wire, udp=udp)
        except Exception:
            return _format_error(wire, dns.rcode.SERVFAIL)

    def __enter__(self) -> DnsServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        host, port = self._address
        state = "closed" if self._closed else "serving"
        return f"DnsServer({host}:{port}, {state})"


def _format_error(wire: bytes, rcode: dns.rcode.Rcode = dns.rcode.FORMERR) -> bytes | None:
    """A bare error response carrying the query's ID (``None`` if it has none)."""
    if len(wire) < 2:
        return None
    response = dns.message.Message(id=struct.unpack("!H", wire[:2])[0])
    response.flags = dns.flags.QR
    response.set_rcode(rcode)
    return response.to_wire()
