"""env.dns: real DNS queries over UDP and TCP (dnspython, and dig when installed)."""

from __future__ import annotations

import shutil
import socket
import subprocess

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import pytest

import gwlab
from gwlab.dns import endpoint_address, zones
from gwlab.dns.addresses import ENDPOINT_NETWORK
from gwlab.emulator.state import PublishedZone

from route53_helpers import DOMAIN_TARGET, HostedZone, alias, create, delete, records, upsert
from support import HANG_GUARD, fake_route53_clock

API_ENDPOINT = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"


@pytest.fixture
def zone(env: gwlab.LabEnv) -> HostedZone:
    """example.com with the lesson's records: an apex alias, an alias, a CNAME, a TXT."""
    zone = HostedZone(env)
    zone.submit(
        create(alias("example.com")),
        create(alias("api.example.com")),
        create(records("www.example.com", "CNAME", "api.example.com")),
        create(records("ext.example.com", "CNAME", "elsewhere.example.org")),
        create(records("txt.example.com", "TXT", '"hello"')),
        create(records("*.wild.example.com", "A", "192.0.2.7")),
    )
    return zone


def ask(
    env: gwlab.LabEnv, name: str, rdtype: str = "A", *, tcp: bool = False
) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype)
    host, port = env.dns.address
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, host, port=port, timeout=HANG_GUARD)


def rrsets(response: dns.message.Message) -> list[tuple[str, str, list[str]]]:
    return [
        (r.name.to_text(), dns.rdatatype.to_text(r.rdtype), sorted(d.to_text() for d in r))
        for r in response.answer
    ]


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_an_alias_answers_a_records_of_its_target_and_no_cname(
    env: gwlab.LabEnv, zone: HostedZone, tcp: bool
) -> None:
    response = ask(env, "api.example.com", tcp=tcp)
    address = endpoint_address(DOMAIN_TARGET)
    assert response.rcode() == dns.rcode.NOERROR
    assert response.flags & dns.flags.AA
    assert rrsets(response) == [("api.example.com.", "A", [address])]
    # The alias and its target land on the same address.
    assert rrsets(ask(env, DOMAIN_TARGET, tcp=tcp)) == [(DOMAIN_TARGET + ".", "A", [address])]
    assert rrsets(ask(env, "example.com", tcp=tcp)) == [("example.com.", "A", [address])]


def test_endpoint_names_have_stable_documentation_addresses(
    env: gwlab.LabEnv, zone: HostedZone
) -> None:
    [answer] = env.dns.resolve(API_ENDPOINT)
    assert (
        answer.to_text() == endpoint_address(API_ENDPOINT) == endpoint_address(API_ENDPOINT.upper())
    )
    assert answer.to_text() in {str(a) for a in ENDPOINT_NETWORK.hosts()}
    assert endpoint_address(API_ENDPOINT) == "198.51.100.3"  # the same in every run
    with pytest.raises(dns.resolver.NXDOMAIN):
        env.dns.resolve("a.b." + API_ENDPOINT)


def test_a_cname_answers_with_the_cname_and_its_chased_target(
    env: gwlab.LabEnv, zone: HostedZone
) -> None:
    address = endpoint_address(DOMAIN_TARGET)
    for tcp in (False, True):
        assert rrsets(ask(env, "www.example.com", tcp=tcp)) == [
            ("www.example.com.", "CNAME", ["api.example.com."]),
            ("api.example.com.", "A", [address]),
        ]
    # A target outside every zone is not chased.
    assert rrsets(ask(env, "ext.example.com")) == [
        ("ext.example.com.", "CNAME", ["elsewhere.example.org."])
    ]
    resolved = env.dns.resolve("www.example.com")
    assert resolved.name.to_text() == "api.example.com."
    assert [r.to_text() for r in resolved] == [address]


def test_no_such_name_is_nxdomain_and_no_such_type_is_empty_both_with_the_soa(
    env: gwlab.LabEnv, zone: HostedZone
) -> None:
    for name, rcode in (("nope.example.com", dns.rcode.NXDOMAIN), ("txt.example.com", 0)):
        response = ask(env, name)
        assert response.rcode() == rcode
        assert response.answer == []
        [soa] = response.authority
        assert (soa.name.to_text(), soa.rdtype) == ("example.com.", dns.rdatatype.SOA)
    with pytest.raises(dns.resolver.NXDOMAIN):
        env.dns.resolve("nope.example.com")
    with pytest.raises(dns.resolver.NoAnswer):
        env.dns.resolve("txt.example.com")
    assert [r.to_text() for r in env.dns.resolve("txt.example.com", "TXT")] == ['"hello"']


def test_names_outside_every_zone_are_refused(env: gwlab.LabEnv, zone: HostedZone) -> None:
    response = ask(env, "example.org")
    assert response.rcode() == dns.rcode.REFUSED
    assert not response.flags & dns.flags.AA
    with pytest.raises(dns.resolver.NoNameservers, match="REFUSED"):
        env.dns.resolve("example.org")


def test_soa_and_ns_are_well_formed(env: gwlab.LabEnv, zone: HostedZone) -> None:
    [soa] = env.dns.resolve("example.com", "SOA")
    assert (soa.mname.to_text(), soa.rname.to_text()) == (
        "ns-2048.awsdns-64.com.",
        "awsdns-hostmaster.amazon.com.",
    )
    assert (soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum) == (
        1,
        7200,
        900,
        1209600,
        86400,
    )
    ns = env.dns.resolve("example.com", "NS", tcp=True)
    assert ns.ttl == 172800
    assert sorted(r.target.to_text() for r in ns) == [
        "ns-2048.awsdns-64.com.",
        "ns-2049.awsdns-65.net.",
        "ns-2050.awsdns-66.org.",
        "ns-2051.awsdns-67.co.uk.",
    ]


def test_a_wildcard_record_answers_for_names_below_it(env: gwlab.LabEnv, zone: HostedZone) -> None:
    assert rrsets(ask(env, "any.wild.example.com")) == [
        ("any.wild.example.com.", "A", ["192.0.2.7"])
    ]


def test_changes_are_answered_only_once_insync(
    env: gwlab.LabEnv, zone: HostedZone, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fake_route53_clock(monkeypatch)
    env.propagation_delay = 30
    zone.submit(create(records("new.example.com", "A", "192.0.2.9")))
    zone.submit(delete(alias("api.example.com")))
    for _ in range(2):  # at 0 s and at 29 s of the 30: not INSYNC yet
        assert ask(env, "new.example.com").rcode() == dns.rcode.NXDOMAIN
        assert rrsets(ask(env, "api.example.com"))  # still served until INSYNC
        clock.advance(29)
    assert rrsets(ask(env, "new.example.com")) == [("new.example.com.", "A", ["192.0.2.9"])]
    assert ask(env, "api.example.com").rcode() == dns.rcode.NXDOMAIN


def test_a_deleted_zone_is_no_longer_served(env: gwlab.LabEnv) -> None:
    zone = HostedZone(env)
    assert ask(env, "example.com", "SOA").rcode() == dns.rcode.NOERROR
    zone.route53.delete_hosted_zone(Id=zone.id)
    assert ask(env, "example.com", "SOA").rcode() == dns.rcode.REFUSED


def test_a_long_answer_is_truncated_over_udp_and_whole_over_tcp(
    env: gwlab.LabEnv, zone: HostedZone
) -> None:
    values = [f'"{i:02d}{"x" * 60}"' for i in range(20)]
    zone.submit(create(records("big.example.com", "TXT", *values)))
    query = dns.message.make_query("big.example.com", "TXT", use_edns=False)
    host, port = env.dns.address
    udp = dns.query.udp(query, host, port=port, timeout=2, ignore_trailing=True)
    assert udp.flags & dns.flags.TC
    tcp = dns.query.tcp(query, host, port=port, timeout=2)
    assert len(tcp.answer[0]) == 20


def test_a_zone_is_built_once_per_version_not_per_query(
    env: gwlab.LabEnv, zone: HostedZone, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps answers fast (timed by the ``dns_respond`` benchmark, not here)."""
    built: list[int] = []

    class CountedZone(zones.HostedZone):
        def __init__(self, published: PublishedZone) -> None:
            built.append(published.version)
            super().__init__(published)

    monkeypatch.setattr(zones, "HostedZone", CountedZone)
    wire = dns.message.make_query("txt.example.com", "TXT").to_wire()
    server = env.dns
    answers = {server.respond(wire) for _ in range(50)}
    zone.submit(upsert(records("txt.example.com", "TXT", '"changed"')))
    answers |= {server.respond(wire) for _ in range(50)}
    assert len(built) == 2 and built[0] < built[1]  # one per version of example.com
    assert len(answers) == 2  # and each version answered with its own records


def _port_is_free(port: int) -> bool:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def test_the_server_starts_on_first_use_and_closes_with_the_env() -> None:
    env = gwlab.start()
    server = env.dns
    assert env.dns is server
    host, port = server.address
    assert host == "127.0.0.1" and not _port_is_free(port)
    env.close()
    assert server.closed and _port_is_free(port)
    with pytest.raises(gwlab.EnvClosedError):
        _ = env.dns


def test_a_superseded_env_closes_its_server() -> None:
    first = gwlab.start()
    server = first.dns
    with gwlab.start("server"):
        assert server.closed and _port_is_free(server.address[1])


def test_there_is_no_local_dns_server_against_real_aws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GWLAB_ALLOW_REAL_AWS", "1")
    with (
        gwlab.start("server") as aws_itself,
        gwlab.start("aws", endpoint_url=aws_itself.endpoint_url) as env,
    ):
        with pytest.raises(gwlab.NoLocalDnsError) as error:
            _ = env.dns
        assert "\n" not in str(error.value) and "dig" in str(error.value)
        with pytest.raises(gwlab.LocalOnlyError, match="resource_record_sets_changed"):
            env.propagation_delay = 1


DIG = shutil.which("dig")


def dig(env: gwlab.LabEnv, *args: str) -> list[str]:
    assert DIG is not None
    host, port = env.dns.address
    result = subprocess.run(
        [DIG, f"@{host}", "-p", str(port), "+short", "+tries=1", "+time=2", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    return result.stdout.split()


@pytest.mark.skipif(DIG is None, reason="dig is not installed (Debian: dnsutils)")
def test_dig_sees_the_same_addresses(env: gwlab.LabEnv, zone: HostedZone) -> None:
    address = endpoint_address(DOMAIN_TARGET)
    assert dig(env, "api.example.com", "A") == [address]
    assert dig(env, DOMAIN_TARGET, "A") == [address]
    assert dig(env, "+tcp", "www.example.com", "A") == ["api.example.com.", address]
    assert dig(env, "example.com", "A") == [address]
