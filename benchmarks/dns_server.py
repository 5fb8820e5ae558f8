"""The lab's DNS server against a dnspython zone in memory; how soon an INSYNC change answers.

A hosted zone ``example.com`` gets an A record ``www``; the peer is a
``dns.zone.Zone`` holding the very records Route 53 lists for the zone,
answering the same wire-format query (parse, look up, build the response,
encode) with no server around it.

- ``dns_query``: a UDP query to ``env.dns`` (dnspython's ``dns.query.udp``:
  encode, send, the server's answer, decode) against the peer answering the same
  query in memory (the query encoded, answered, the answer decoded).
- ``dns_respond``: the server's own answering, in-process
  (``DnsServer.respond(wire)``, no socket), against the peer.
- ``dns_insync``: with ``env.propagation_delay`` set, an ``UPSERT`` of ``www``
  to a new address, then UDP queries back to back until the new address comes
  back; the figure is the time from the change's ``INSYNC`` moment (read from
  the emulator) to that answer, against the time of one such query.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.zone

from benchmarks.measure import Figure, Settings, Side, alternate, scaled, timed

NAME = "dns"
ZONE = "example.com"
RECORD = f"www.{ZONE}"
#: How long a change stays PENDING in the INSYNC figure.
DELAY = 0.1


def peer_zone(route53: Any, zone_id: str) -> dns.zone.Zone:
    """A dnspython zone with the records Route 53 lists for ``zone_id``."""
    lines = [
        f"{rrset['Name']} {rrset['TTL']} IN {rrset['Type']} {record['Value']}"
        for rrset in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
        for record in rrset.get("ResourceRecords", [])
    ]
    return dns.zone.from_text("\n".join(lines), origin=f"{ZONE}.", relativize=False)


def peer_answer(zone: dns.zone.Zone, wire: bytes) -> bytes:
    """The peer's answer to the wire-format query ``wire``."""
    query = dns.message.from_wire(wire)
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    question = query.question[0]
    rrset = zone.get_rrset(question.name, question.rdtype)
    if rrset is None:
        response.set_rcode(dns.rcode.NXDOMAIN)
    else:
        response.answer.append(rrset)
    return response.to_wire()


def _upsert(route53: Any, zone_id: str, address: str) -> str:
    change = route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": RECORD,
                        "Type": "A",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": address}],
                    },
                }
            ]
        },
    )
    return str(change["ChangeInfo"]["Id"])


def _addresses(response: dns.message.Message) -> list[str]:
    return sorted(record.to_text() for rrset in response.answer for record in rrset)


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """The three DNS figures on one embedded environment."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.route53.models import route53_backends

    import gwlab
    from gwlab.emulator.route53.models import GwlabRoute53Backend

    with gwlab.start() as env:
        route53 = env.client("route53")
        zone_id = route53.create_hosted_zone(Name=ZONE, CallerReference="bench")["HostedZone"]["Id"]
        _upsert(route53, zone_id, "192.0.2.10")
        host, port = env.dns.address
        query = dns.message.make_query(RECORD, "A")
        wire = query.to_wire()
        zone = peer_zone(route53, zone_id)
        served = dns.query.udp(query, host, port=port, timeout=2)
        if _addresses(served) != _addresses(dns.message.from_wire(peer_answer(zone, wire))):
            raise RuntimeError(f"the server and the peer disagree: {served}")
        count = settings.pick(2000, 200)

        def over_udp() -> float:
            return timed(lambda: dns.query.udp(query, host, port=port, timeout=2))

        def in_peer() -> float:
            return timed(lambda: dns.message.from_wire(peer_answer(zone, query.to_wire())))

        udp_s, peer_s = alternate(over_udp, in_peer, count)
        respond_s, peer_respond_s = alternate(
            lambda: timed(lambda: env.dns.respond(wire)),
            lambda: timed(lambda: peer_answer(zone, wire)),
            count,
        )

        backend = route53_backends[DEFAULT_ACCOUNT_ID]["global"]
        assert isinstance(backend, GwlabRoute53Backend)
        env.propagation_delay = DELAY
        lags: list[float] = []
        polls: list[float] = []
        for n in range(settings.pick(10, 2)):
            address = f"192.0.2.{20 + n}"
            insync_at = backend.get_change(_upsert(route53, zone_id, address)).insync_at
            while True:
                asked = time.monotonic()
                response = dns.query.udp(query, host, port=port, timeout=2)
                answered = time.monotonic()
                polls.append(answered - asked)
                if _addresses(response) == [address]:
                    break
            if answered < insync_at:
                raise RuntimeError("the DNS server answered a change before it was INSYNC")
            lags.append(answered - insync_at)
    return [
        Figure.compare(
            "dns_query",
            "ms",
            Side.of(f"UDP query {RECORD} A to env.dns (dnspython client)", scaled(udp_s, 1000)),
            Side.of("the same query answered by a dnspython zone in memory", scaled(peer_s, 1000)),
        ),
        Figure.compare(
            "dns_respond",
            "ms",
            Side.of("DnsServer.respond(wire) in-process, no socket", scaled(respond_s, 1000)),
            Side.of("a dnspython zone answering the same wire query", scaled(peer_respond_s, 1000)),
        ),
        Figure.compare(
            "dns_insync",
            "ms",
            Side.of("from a change's INSYNC moment to its first answer", scaled(lags, 1000)),
            Side.of("one UDP query while waiting for it", scaled(polls, 1000)),
        ),
    ]
