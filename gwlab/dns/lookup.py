"""Ask a DNS server, in one call: a thin wrapper over a dnspython resolver."""

from __future__ import annotations

import dns.resolver
import dns.rrset

#: Seconds to wait for an answer before dnspython gives up.
TIMEOUT = 2.0


def resolve(
    server: tuple[str, int], name: str, rdtype: str = "A", *, tcp: bool = False
) -> dns.rrset.RRset:
    """The ``rdtype`` records of ``name``, asked of ``server`` (``(host, port)``) only.

    The result is dnspython's record set of the final answer: after a CNAME,
    the records of its target (``rrset.name`` says whose). Iterate it for the
    records (``[r.address for r in rrset]`` for A records); ``rrset.ttl`` is
    their TTL. No cache, no search domains, no retries elsewhere. Failures are
    dnspython's own exceptions: ``dns.resolver.NXDOMAIN`` (no such name),
    ``dns.resolver.NoAnswer`` (no records of that type),
    ``dns.resolver.NoNameservers`` (the server refused: a name outside every
    zone), ``dns.resolver.LifetimeTimeout`` (no answer).
    """
    host, port = server
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = port
    resolver.timeout = resolver.lifetime = TIMEOUT
    answer = resolver.resolve(name, rdtype, tcp=tcp, search=False)
    assert answer.rrset is not None  # dnspython raised NoAnswer otherwise
    return answer.rrset
