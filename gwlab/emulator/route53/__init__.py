"""Route 53 like AWS: record rules, change status, and the state DNS serves.

The addition registered here makes moto build
:class:`~gwlab.emulator.route53.models.GwlabRoute53Backend` (and so route
requests through :mod:`gwlab.emulator.route53.urls`) while an environment is
open. :func:`set_propagation_delay` chooses how long changes stay ``PENDING``.
"""

from __future__ import annotations

import math

from moto.route53.models import route53_backends

from gwlab.emulator.patching import combine, replace_attribute, replace_backend_class
from gwlab.emulator.registry import Undo, addition
from gwlab.emulator.route53.models import GwlabRoute53Backend
from gwlab.emulator.route53.names import execute_api_region, name_key
from gwlab.emulator.route53.publication import PublishedRecord, PublishedZone

__all__ = [
    "GwlabRoute53Backend",
    "PublishedRecord",
    "PublishedZone",
    "api_gateway_record",
    "propagation_delay",
    "serving_zones",
    "set_propagation_delay",
]


def propagation_delay() -> float:
    """Seconds a Route 53 change stays ``PENDING`` before it is ``INSYNC``."""
    return GwlabRoute53Backend.propagation_delay


def set_propagation_delay(seconds: float) -> None:
    """Make changes submitted from now on stay ``PENDING`` for ``seconds``."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"the propagation delay is a number of seconds, not {seconds!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"the propagation delay must be 0 or more seconds, not {seconds!r}")
    GwlabRoute53Backend.propagation_delay = float(seconds)


def serving_zones() -> list[PublishedZone]:
    """Every account's hosted zones as Route 53's name servers answer for them now.

    Read in-process from moto's backends (the same objects in embedded and
    server mode), oldest zone first; empty while the emulator is off.
    """
    zones: list[PublishedZone] = []
    for account in list(route53_backends.values()):
        for backend in list(account.values()):
            if isinstance(backend, GwlabRoute53Backend):
                zones.extend(backend.serving_zones())
    return zones


def api_gateway_record(name: str) -> PublishedRecord | None:
    """A served public record that sends ``name`` to API Gateway, if there is one.

    An A or AAAA alias, or a CNAME, whose target is an ``execute-api`` name (a
    custom domain's ``d-…`` target or an API's own endpoint): how the gateway
    knows that a host with no custom domain name would still reach API Gateway.
    """
    wanted = name_key(name)
    for zone in serving_zones():
        if zone.private:
            continue
        for record in zone.records:
            if record.name != wanted:
                continue
            targets = [record.alias_target] if record.alias_target else []
            if record.type == "CNAME":
                targets = list(record.values)
            if record.type in ("A", "AAAA", "CNAME") and any(map(execute_api_region, targets)):
                return record
    return None


@addition("route53: AWS's record rules, change status and DNS state")
def route53_like_aws() -> Undo:
    """Build gwlab's Route 53 backend, with changes ``INSYNC`` at once by default."""
    return combine(
        replace_attribute(GwlabRoute53Backend, "propagation_delay", 0.0),
        replace_backend_class(route53_backends, GwlabRoute53Backend),
    )
