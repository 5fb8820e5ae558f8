"""An authoritative DNS server on 127.0.0.1 (UDP and TCP, one port).

It answers from Route 53's hosted zones as they are served at the moment of
the query (only ``INSYNC`` changes), read in-process from moto's backends,
plus API Gateway's endpoint domains. One thread serves both transports with a
selector; :meth:`DnsServer.close` wakes it, joins it and closes every socket,
so nothing outlives the environment.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
from collections.abc import Callable, Sequence

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rrset

from gwlab.dns.answers import answer
from gwlab.dns.lookup import resolve
from gwlab.dns.zones import ZoneCache
from gwlab.emulator.route53 import PublishedZone, serving_zones
from gwlab.errors import PortInUseError
from gwlab.loopback import LOOPBACK_HOST, bind_loopback

#: The largest UDP answer without EDNS (RFC 1035).
CLASSIC_UDP_SIZE = 512
#: How many free UDP ports are tried before giving up on one free for TCP too.
_PORT_ATTEMPTS = 20

ZoneSource = Callable[[], Sequence[PublishedZone]]


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
        tcp.listen(16)
        return udp, tcp
    raise PortInUseError(LOOPBACK_HOST, port)


class DnsServer:
    """Route 53's name servers for the lab, on ``127.0.0.1`` (see :attr:`address`).

    ``dig @127.0.0.1 -p PORT api.example.com A`` asks it from a shell;
    :meth:`resolve` asks it from Python.
    """

    def __init__(self, port: int = 0, zones: ZoneSource = serving_zones) -> None:
        self._zones = zones
        self._cache = ZoneCache()
        self._udp, self._tcp = _bind_pair(port)
        self._address: tuple[str, int] = (LOOPBACK_HOST, int(self._udp.getsockname()[1]))
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._buffers: dict[socket.socket, bytearray] = {}
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

    def resolve(self, name: str, rdtype: str = "A", *, tcp: bool = False) -> dns.rrset.RRset:
        """Ask this server for ``name``'s ``rdtype`` records (see :func:`gwlab.dns.resolve`)."""
        return resolve(self.address, name, rdtype, tcp=tcp)

    def respond(self, wire: bytes, max_size: int = 65535) -> bytes | None:
        """The wire-format response to the wire-format query ``wire`` (``None``: drop it)."""
        try:
            query = dns.message.from_wire(wire)
        except dns.message.ShortHeader:
            return None
        except dns.exception.DNSException:
            return _format_error(wire)
        response = answer(query, self._cache.authority(self._zones()))
        if query.edns >= 0:
            max_size = min(max_size, max(query.payload, CLASSIC_UDP_SIZE))
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
        for sock in [self._udp, self._tcp, self._wake_reader, self._wake_writer, *self._buffers]:
            sock.close()
        self._buffers.clear()
        self._selector.close()

    def _serve(self) -> None:
        while True:
            for key, _ in self._selector.select():
                sock = key.fileobj
                if sock is self._wake_reader:
                    return
                with contextlib.suppress(OSError):
                    if sock is self._udp:
                        self._serve_udp()
                    elif sock is self._tcp:
                        self._accept()
                    else:
                        assert isinstance(sock, socket.socket)
                        self._serve_tcp(sock)

    def _serve_udp(self) -> None:
        wire, peer = self._udp.recvfrom(65535)
        reply = self._safe_respond(wire, CLASSIC_UDP_SIZE)
        if reply is not None:
            self._udp.sendto(reply, peer)

    def _accept(self) -> None:
        connection, _ = self._tcp.accept()
        connection.settimeout(2.0)
        self._buffers[connection] = bytearray()
        self._selector.register(connection, selectors.EVENT_READ)

    def _serve_tcp(self, connection: socket.socket) -> None:
        """Answer every complete length-prefixed query received so far."""
        try:
            data = connection.recv(65535)
            buffer = self._buffers[connection]
            buffer += data
            while len(buffer) >= 2 and len(buffer) >= 2 + struct.unpack("!H", buffer[:2])[0]:
                size = struct.unpack("!H", buffer[:2])[0]
                reply = self._safe_respond(bytes(buffer[2 : 2 + size]))
                del buffer[: 2 + size]
                if reply is not None:
                    connection.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            data = b""
        if not data:
            self._selector.unregister(connection)
            del self._buffers[connection]
            connection.close()

    def _safe_respond(self, wire: bytes, max_size: int = 65535) -> bytes | None:
        """:meth:`respond`, or ``SERVFAIL`` if answering failed: the server never stops."""
        try:
            return self.respond(wire, max_size)
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
