"""gwlab's Route 53 backend: AWS's record rules, change status, and what DNS serves.

moto builds this class in place of its own ``Route53Backend`` while an
environment is open (see :mod:`gwlab.emulator.route53`). It adds:

- record validation of ``ChangeResourceRecordSets``, all or nothing
  (:mod:`gwlab.emulator.route53.batch`);
- a real change log: every hosted-zone creation, deletion and change batch
  gets its own change ID, ``PENDING`` until :attr:`propagation_delay` seconds
  have passed on :attr:`clock`, then ``INSYNC``; ``GetChange`` of an unknown
  ID is ``NoSuchChange``;
- the NS and SOA records AWS creates with a zone, well formed;
- :meth:`GwlabRoute53Backend.serving_zones`: the zones as name servers
  answer for them (only ``INSYNC`` changes), for gwlab's DNS server.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random
from moto.route53.models import ROUTE53_ID_CHOICE, FakeZone, RecordSet, Route53Backend

from gwlab.emulator.route53.batch import apply_batch, record_set
from gwlab.emulator.route53.exceptions import NoSuchChange
from gwlab.emulator.route53.names import fqdn
from gwlab.emulator.route53.publication import PublishedZone, ZoneHistory, serving

#: AWS's SOA record for a new zone: first name server, its hostmaster, serial 1.
SOA_TEMPLATE = "{name_server} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
SOA_TTL = 900
NS_TTL = 172800

#: Change IDs look like ``C003789825HUY95U5CD79``: ``C`` and 20 characters.
CHANGE_ID_LENGTH = 20


class Change:
    """One change to a hosted zone: ``PENDING`` until its moment, then ``INSYNC``."""

    def __init__(
        self,
        change_id: str,
        submitted_at: datetime,
        insync_at: float,
        comment: str | None,
        *,
        clock: Callable[[], float],
    ) -> None:
        self.id = change_id
        self.submitted_at = submitted_at
        #: The ``clock()`` value from which the change is ``INSYNC``.
        self.insync_at = insync_at
        self.comment = comment
        self._clock = clock

    @property
    def status(self) -> str:
        """``PENDING`` or ``INSYNC``, computed from the clock."""
        return "INSYNC" if self._clock() >= self.insync_at else "PENDING"

    def info(self) -> dict[str, Any]:
        """The ``ChangeInfo`` structure of Route 53's responses."""
        info: dict[str, Any] = {
            "Id": f"/change/{self.id}",
            "Status": self.status,
            "SubmittedAt": self.submitted_at,
        }
        if self.comment is not None:
            info["Comment"] = self.comment
        return info


class GwlabRoute53Backend(Route53Backend):
    """moto's Route 53 with AWS's record rules and a change log (see the module)."""

    #: Seconds a change stays ``PENDING``; one value for the process's emulated AWS.
    propagation_delay: ClassVar[float] = 0.0
    #: Where "now" comes from (seconds, ``time.monotonic``); tests put a fake clock
    #: here to step a change from ``PENDING`` to ``INSYNC`` without waiting.
    clock: ClassVar[Callable[[], float]] = time.monotonic

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.changes: dict[str, Change] = {}
        self.histories: dict[str, ZoneHistory] = {}
        self._latest_change: dict[str, Change] = {}
        self._versions = itertools.count(1)
        self._lock = threading.RLock()

    def create_hosted_zone(
        self,
        name: str,
        private_zone: bool,
        caller_reference: str | None = None,
        vpcid: str | None = None,
        vpcregion: str | None = None,
        comment: str | None = None,
        delegation_set_id: str | None = None,
    ) -> FakeZone:
        """Create the zone with AWS's NS and SOA records, as a change of its own."""
        with self._lock:
            zone = super().create_hosted_zone(
                name,
                private_zone,
                caller_reference=caller_reference,
                vpcid=vpcid,
                vpcregion=vpcregion,
                comment=comment,
                delegation_set_id=delegation_set_id,
            )
            zone.rrsets = _apex_records(zone)
            self._submit(zone, None)
            return zone

    def delete_hosted_zone(self, id_: str) -> FakeZone | None:
        """Delete the zone; name servers stop answering for it once the change is INSYNC."""
        with self._lock:
            zone = super().delete_hosted_zone(id_)
            if zone is not None:
                self._submit(zone, None, deleted=True)
            return zone

    def change_resource_record_sets(self, zoneid: str, change_list: list[dict[str, Any]]) -> None:
        """The entry point moto calls, with AWS's rules (see :meth:`submit_change_batch`)."""
        self.submit_change_batch(zoneid, change_list)

    def submit_change_batch(
        self, zone_id: str, changes: Sequence[Mapping[str, Any]], comment: str | None = None
    ) -> Change:
        """Apply ``changes`` to the zone, all or none, and return the change."""
        with self._lock:
            zone = self.get_hosted_zone(zone_id)
            zone.rrsets = apply_batch(zone, changes, self.zones)
            return self._submit(zone, comment)

    def get_change(self, change_id: str) -> Change:
        """The change with ``change_id`` (with or without ``/change/``)."""
        bare = change_id.removeprefix("/change/")
        change = self.changes.get(bare)
        if change is None:
            raise NoSuchChange(bare)
        return change

    def latest_change(self, zone_id: str) -> Change:
        """The change submitted last for the hosted zone ``zone_id``."""
        return self._latest_change[zone_id.removeprefix("/hostedzone/")]

    def serving_zones(self, now: float | None = None) -> list[PublishedZone]:
        """The zones as Route 53's name servers answer for them at ``now`` (on :attr:`clock`)."""
        with self._lock:
            histories = list(self.histories.values())
        return serving(histories, self._now() if now is None else now)

    def _now(self) -> float:
        """:attr:`clock`'s time, read from the class (so a function put there is not bound)."""
        return type(self).clock()

    def _submit(self, zone: FakeZone, comment: str | None, *, deleted: bool = False) -> Change:
        change_id = "C" + "".join(
            mock_random.choice(ROUTE53_ID_CHOICE) for _ in range(CHANGE_ID_LENGTH)
        )
        snapshot = None if deleted else PublishedZone.of(zone, next(self._versions))
        history = self.histories.setdefault(zone.resource_id, ZoneHistory())
        live_at = history.add(self._now() + self.propagation_delay, snapshot)
        change = Change(change_id, utcnow(), live_at, comment, clock=self._now)
        self.changes[change_id] = change
        self._latest_change[zone.resource_id] = change
        return change


def _apex_records(zone: FakeZone) -> list[RecordSet]:
    """The NS and SOA record sets AWS puts at the apex of a new zone."""
    assert zone.delegation_set is not None
    name_servers = [fqdn(server) for server in zone.delegation_set.name_servers]
    apex = fqdn(zone.name)
    soa = SOA_TEMPLATE.format(name_server=name_servers[0])
    return [
        record_set({"Name": apex, "Type": rr_type, "TTL": ttl, "ResourceRecords": values})
        for rr_type, ttl, values in (
            ("NS", NS_TTL, [{"Value": server} for server in name_servers]),
            ("SOA", SOA_TTL, [{"Value": soa}]),
        )
    ]
