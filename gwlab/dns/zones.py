"""Route 53 hosted zones, and API Gateway's endpoint domains, as DNS data.

A :class:`HostedZone` is built once per served state of a Route 53 hosted
zone (:class:`~gwlab.emulator.route53.PublishedZone`, keyed by zone ID and
version) and then answers lookups from dictionaries. An
:class:`ExecuteApiZone` stands for ``execute-api.<region>.amazonaws.com``:
every name one label below it has the stable address of
:func:`~gwlab.dns.addresses.endpoint_address`. :class:`ZoneCache` turns
Route 53's state into an :class:`Authority`, the set of zones the server
answers for, reusing what it built for unchanged zones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.name import Name
from dns.rdatatype import RdataType
from dns.rrset import RRset

from gwlab.dns.addresses import endpoint_address
from gwlab.emulator.state import (
    APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS,
    NS_TTL,
    SOA_TEMPLATE,
    SOA_TTL,
    PublishedRecord,
    PublishedZone,
    execute_api_zone,
)

#: TTL of an API Gateway endpoint's address (what AWS serves for them).
ENDPOINT_TTL = 60

#: Name server of the zones gwlab makes up (API Gateway's endpoint domains).
SYNTHETIC_NAME_SERVER = "ns-2048.awsdns-64.com."

IN = dns.rdataclass.IN


@dataclass(frozen=True)
class Records:
    """The records of the asked type at the asked name."""

    rrset: RRset


@dataclass(frozen=True)
class Alias:
    """A Route 53 alias: answer with the target's records, under the alias's name."""

    owner: Name
    rdtype: RdataType
    target: Name
    target_zone_id: str


@dataclass(frozen=True)
class Cname:
    """The name is an alias in the DNS sense: a CNAME to ``target``."""

    rrset: RRset
    target: Name


@dataclass(frozen=True)
class NoData:
    """The name exists, but has no record of the asked type."""


@dataclass(frozen=True)
class NoSuchName:
    """The name does not exist in the zone (NXDOMAIN)."""


Lookup = Records | Alias | Cname | NoData | NoSuchName


def renamed(rrset: RRset, owner: Name) -> RRset:
    """``rrset``'s records under another owner name (wildcards and aliases)."""
    if rrset.name == owner:
        return rrset
    return dns.rrset.from_rdata_list(owner, rrset.ttl, list(rrset))


class Zone(ABC):
    """A zone the server is authoritative for."""

    def __init__(self, origin: Name, zone_id: str, soa: RRset) -> None:
        self.origin = origin
        #: The Route 53 hosted zone ID that alias targets name this zone by.
        self.zone_id = zone_id
        #: The zone's SOA record set (sent with negative answers).
        self.soa = soa

    @abstractmethod
    def lookup(self, name: Name, rdtype: RdataType) -> Lookup:
        """What the zone holds for ``name`` (a name within the zone) and ``rdtype``."""


class HostedZone(Zone):
    """One served state of a Route 53 hosted zone."""

    def __init__(self, published: PublishedZone) -> None:
        origin = dns.name.from_text(published.name)
        self._rrsets: dict[tuple[Name, RdataType], RRset] = {}
        self._aliases: dict[tuple[Name, RdataType], Alias] = {}
        #: Every name that exists, empty non-terminals included.
        self._names: set[Name] = {origin}
        super().__init__(origin, published.zone_id, _soa(origin))
        for record in published.records:
            self._add(record)
        self.soa = self._rrsets.get((origin, dns.rdatatype.SOA), self.soa)

    def _add(self, record: PublishedRecord) -> None:
        try:
            name = dns.name.from_text(record.name)
            rdtype = dns.rdatatype.from_text(record.type)
            if not name.is_subdomain(self.origin):
                return
            if record.alias_target is not None:
                target = dns.name.from_text(record.alias_target)
                self._aliases[name, rdtype] = Alias(
                    name, rdtype, target, record.alias_zone_id or ""
                )
            else:
                rrset = dns.rrset.from_text_list(
                    name,
                    record.ttl or 0,
                    IN,
                    rdtype,
                    list(record.values),
                    origin=dns.name.root,
                    relativize=False,
                )
                existing = self._rrsets.setdefault((name, rdtype), rrset)
                if existing is not rrset:  # weighted or other routing: one set per name
                    for rdata in rrset:
                        existing.add(rdata)
        except (dns.exception.DNSException, ValueError):
            return  # a value Route 53 would have refused: nothing to serve
        while name != self.origin and name not in self._names:
            self._names.add(name)
            name = name.parent()

    def lookup(self, name: Name, rdtype: RdataType) -> Lookup:
        """Exact name first, then the wildcard of its closest existing ancestor."""
        source = name if name in self._names else self._wildcard(name)
        if source is None:
            return NoSuchName()
        alias = self._aliases.get((source, rdtype))
        if alias is not None:
            return Alias(name, rdtype, alias.target, alias.target_zone_id)
        rrset = self._rrsets.get((source, rdtype))
        if rrset is not None:
            return Records(renamed(rrset, name))
        cname = self._rrsets.get((source, dns.rdatatype.CNAME))
        if cname is not None:
            return Cname(renamed(cname, name), cname[0].target)
        return NoData()

    def _wildcard(self, name: Name) -> Name | None:
        encloser = name.parent()
        while encloser not in self._names:
            encloser = encloser.parent()
        wildcard = dns.name.from_text("*", origin=encloser)
        return wildcard if wildcard in self._names else None


class ExecuteApiZone(Zone):
    """``execute-api.<region>.amazonaws.com``: API Gateway's endpoints of a region."""

    def __init__(self, region: str) -> None:
        origin = dns.name.from_text(execute_api_zone(region))
        super().__init__(origin, APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS[region], _soa(origin))
        self._ns = dns.rrset.from_text(origin, NS_TTL, IN, dns.rdatatype.NS, SYNTHETIC_NAME_SERVER)

    def lookup(self, name: Name, rdtype: RdataType) -> Lookup:
        """The apex has SOA and NS; each name one label below it, one address."""
        if name == self.origin:
            apex = {dns.rdatatype.SOA: self.soa, dns.rdatatype.NS: self._ns}.get(rdtype)
            return Records(apex) if apex is not None else NoData()
        if len(name) != len(self.origin) + 1:
            return NoSuchName()
        if rdtype != dns.rdatatype.A:
            return NoData()
        address = endpoint_address(name.to_text())
        return Records(dns.rrset.from_text(name, ENDPOINT_TTL, IN, dns.rdatatype.A, address))


def _soa(origin: Name) -> RRset:
    """An SOA record set like the one Route 53 gives a new zone."""
    text = SOA_TEMPLATE.format(name_server=SYNTHETIC_NAME_SERVER)
    return dns.rrset.from_text(origin, SOA_TTL, IN, dns.rdatatype.SOA, text)


class Authority:
    """The zones the server answers for at one moment."""

    def __init__(self, zones: Sequence[Zone]) -> None:
        self._zones = zones
        self._by_id: dict[str, Zone] = {}
        for zone in zones:
            self._by_id.setdefault(zone.zone_id, zone)

    def zone_for(self, name: Name) -> Zone | None:
        """The most specific zone holding ``name`` (of two alike, the older)."""
        best: Zone | None = None
        for zone in self._zones:
            if name.is_subdomain(zone.origin) and (
                best is None or len(zone.origin) > len(best.origin)
            ):
                best = zone
        return best

    def zone_with_id(self, zone_id: str) -> Zone | None:
        """The zone an alias target names by hosted zone ID, if it is served."""
        return self._by_id.get(zone_id)


class ZoneCache:
    """Builds the :class:`Authority` for Route 53's state, once per zone version."""

    def __init__(self) -> None:
        self._hosted: dict[tuple[str, int], HostedZone] = {}
        self._endpoints = [ExecuteApiZone(region) for region in APIGATEWAY_REGIONAL_HOSTED_ZONE_IDS]

    def authority(self, published: Iterable[PublishedZone]) -> Authority:
        """The public hosted zones of ``published``, then API Gateway's endpoint zones."""
        hosted: dict[tuple[str, int], HostedZone] = {}
        for zone in published:
            if zone.private:
                continue
            key = (zone.zone_id, zone.version)
            hosted[key] = self._hosted.get(key) or HostedZone(zone)
        self._hosted = hosted
        return Authority([*hosted.values(), *self._endpoints])
