"""What Route 53's name servers serve: each zone as of its last INSYNC change.

The API shows a change at once (``ListResourceRecordSets``), but DNS answers
only once the change is ``INSYNC``. Each hosted zone therefore keeps a short
history of immutable snapshots, one per change, stamped with the moment the
change becomes ``INSYNC``; :meth:`ZoneHistory.at` returns the newest snapshot
whose moment has come. No thread is needed: status is computed from time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from moto.route53.models import FakeZone, RecordSet

from gwlab.emulator.route53.names import name_key


@dataclass(frozen=True)
class PublishedRecord:
    """One record set as name servers see it (names in lower case, with the dot)."""

    name: str
    type: str
    ttl: int | None
    values: tuple[str, ...]
    alias_zone_id: str | None = None
    alias_target: str | None = None

    @classmethod
    def of(cls, record: RecordSet) -> PublishedRecord:
        """A snapshot of moto's ``record``."""
        alias: dict[str, Any] = record.alias_target or {}
        return cls(
            name=name_key(record.name),
            type=str(record.type),
            ttl=int(record.ttl) if record.ttl is not None else None,
            values=tuple(str(value) for value in record.records or ()),
            alias_zone_id=alias.get("HostedZoneId"),
            alias_target=name_key(alias["DNSName"]) if "DNSName" in alias else None,
        )


@dataclass(frozen=True)
class PublishedZone:
    """A hosted zone as its name servers answer for it.

    ``version`` grows with every change of any zone, so ``(zone_id, version)``
    identifies one state of one zone (a cache key).
    """

    zone_id: str
    name: str
    private: bool
    version: int
    records: tuple[PublishedRecord, ...]

    @classmethod
    def of(cls, zone: FakeZone, version: int) -> PublishedZone:
        """A snapshot of moto's ``zone`` as it is now."""
        return cls(
            zone_id=zone.resource_id,
            name=name_key(zone.name),
            private=bool(zone.private_zone),
            version=version,
            records=tuple(PublishedRecord.of(record) for record in zone.rrsets),
        )


class ZoneHistory:
    """The snapshots of one hosted zone, each with the moment it goes live.

    ``None`` stands for "deleted". Moments never go backwards: a change is
    never ``INSYNC`` before the change submitted before it.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[float, PublishedZone | None]] = []
        self._lock = threading.Lock()

    def add(self, live_at: float, state: PublishedZone | None) -> float:
        """Record ``state`` going live at ``live_at`` (or later); return the moment used."""
        with self._lock:
            if self._entries:
                live_at = max(live_at, self._entries[-1][0])
            self._entries.append((live_at, state))
            return live_at

    def at(self, now: float) -> PublishedZone | None:
        """The zone as served at ``now`` (``None``: not yet created, or deleted)."""
        with self._lock:
            live = [i for i, (moment, _) in enumerate(self._entries) if moment <= now]
            if not live:
                return None
            # Older snapshots can never be served again.
            del self._entries[: live[-1]]
            return self._entries[0][1]


def serving(histories: Iterable[ZoneHistory], now: float) -> list[PublishedZone]:
    """The zones of ``histories`` that are served at ``now``."""
    return [zone for zone in (history.at(now) for history in histories) if zone is not None]
