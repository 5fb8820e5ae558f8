"""``ChangeResourceRecordSets`` as Route 53 applies it: every change, or none.

A batch is first checked change by change for shape (``InvalidInput``: an
alias *or* a TTL with values, never both), then played, in order, on a copy
of the zone's records. Every broken rule is collected; if there is any, the
batch fails with one ``InvalidChangeBatch`` that lists them all and the zone
is untouched. Otherwise the copy becomes the zone's records.

The rules (AWS_FACTS.md, "Route 53"): a CNAME never at the apex and never
beside another record of its name; CREATE only of a new name and type;
DELETE only of a record that matches exactly (TTL, values and alias target);
UPSERT creates or replaces; names inside the zone; alias targets inside the
hosted zone they name, and API Gateway targets only with their region's API
Gateway hosted zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from moto.route53.exceptions import InvalidActionValue
from moto.route53.exceptions import InvalidChangeBatch as RecordLimitExceeded
from moto.route53.models import FakeZone, RecordSet
from moto.route53.utils import validate_domain_name

from gwlab.emulator.route53.exceptions import (
    AliasTargetNotFound,
    AliasTargetOutsideZone,
    CnameAtApex,
    CnameBesideOtherRecords,
    InvalidChangeBatch,
    NameOutsideZone,
    RecordAlreadyExists,
    RecordBesideCname,
    RecordDataMissingOrDoubled,
    RecordNotFound,
    RecordValuesDiffer,
)
from gwlab.emulator.route53.names import (
    apigateway_zone_region,
    execute_api_region,
    fqdn,
    is_within,
    name_key,
)

ACTIONS = ("CREATE", "DELETE", "UPSERT")

#: Route 53's quota of ResourceRecord elements per request (UPSERT counts twice).
MAX_RECORDS_PER_BATCH = 1000


def apply_batch(
    zone: FakeZone, changes: Sequence[Mapping[str, Any]], zones: Mapping[str, FakeZone]
) -> list[RecordSet]:
    """The records ``zone`` has once ``changes`` are applied; raises if any breaks a rule.

    ``zones`` are the account's hosted zones by ID (for aliases to records).
    """
    for change in changes:
        _check_shape(change)
    _check_quota(changes)
    records = list(zone.rrsets)
    problems: list[InvalidChangeBatch] = []
    for change in changes:
        try:
            records = _apply(change, records, zone, zones)
        except InvalidChangeBatch as problem:
            problems.append(problem)
    if problems:
        raise InvalidChangeBatch.combine(problems)
    return records


def _check_shape(change: Mapping[str, Any]) -> None:
    """``InvalidInput`` for a change that is malformed whatever the zone holds."""
    action = change["Action"]
    if action not in ACTIONS:
        raise InvalidActionValue(action)
    rrset = change["ResourceRecordSet"]
    validate_domain_name(rrset["Name"], code="InvalidChangeBatch")
    has_alias = "AliasTarget" in rrset
    has_ttl, has_values = "TTL" in rrset, bool(rrset.get("ResourceRecords"))
    if has_alias and (has_ttl or has_values):
        found = "more than one"
    elif not has_alias and not (has_ttl and has_values):
        found = "none"
    else:
        return
    raise RecordDataMissingOrDoubled(
        found, action, fqdn(rrset["Name"]), rrset["Type"], rrset.get("SetIdentifier")
    )


def _check_quota(changes: Sequence[Mapping[str, Any]]) -> None:
    count = sum(
        len(change["ResourceRecordSet"].get("ResourceRecords") or ())
        * (2 if change["Action"] == "UPSERT" else 1)
        for change in changes
    )
    if count > MAX_RECORDS_PER_BATCH:
        raise RecordLimitExceeded()


def record_set(rrset: Mapping[str, Any]) -> RecordSet:
    """The moto record set a request's ``ResourceRecordSet`` describes, names with their dot."""
    fields = dict(rrset)
    fields["Name"] = fqdn(rrset["Name"])
    fields["ResourceRecords"] = [value["Value"] for value in rrset.get("ResourceRecords", ())]
    if "AliasTarget" in rrset:
        target = rrset["AliasTarget"]
        fields["AliasTarget"] = {**target, "DNSName": fqdn(target["DNSName"])}
    return RecordSet(fields)  # type: ignore[abstract]  # moto's own way to build one


def _identity(record: RecordSet) -> tuple[str, str, str | None]:
    return name_key(record.name), str(record.type), record.set_identifier


def _content(record: RecordSet) -> tuple[Any, ...]:
    """What a DELETE must repeat exactly: TTL, values and alias target."""
    alias = record.alias_target
    alias_key = (
        (alias.get("HostedZoneId"), name_key(alias["DNSName"]), bool(alias["EvaluateTargetHealth"]))
        if alias
        else None
    )
    ttl = int(record.ttl) if record.ttl is not None else None
    return ttl, sorted(record.records or ()), alias_key


def _apply(
    change: Mapping[str, Any],
    records: list[RecordSet],
    zone: FakeZone,
    zones: Mapping[str, FakeZone],
) -> list[RecordSet]:
    """``records`` after one change; raises the change's first broken rule."""
    new = record_set(change["ResourceRecordSet"])
    name, rr_type, set_id = new.name, str(new.type), new.set_identifier
    if not is_within(name, zone.name):
        raise NameOutsideZone(name, zone.name)
    existing = next((r for r in records if _identity(r) == _identity(new)), None)
    if change["Action"] == "DELETE":
        if existing is None:
            raise RecordNotFound(name, rr_type, set_id)
        if _content(existing) != _content(new):
            raise RecordValuesDiffer(name, rr_type, set_id)
        return [r for r in records if r is not existing]
    if change["Action"] == "CREATE" and existing is not None:
        raise RecordAlreadyExists(name, rr_type, set_id)
    _check_cname_rules(new, records, zone)
    if new.alias_target:
        _check_alias_target(new, records, zone, zones)
    if existing is None:
        return [*records, new]
    return [new if r is existing else r for r in records]


def _check_cname_rules(new: RecordSet, records: list[RecordSet], zone: FakeZone) -> None:
    """A CNAME is alone at its name, and never at the apex."""
    same_name = [r for r in records if name_key(r.name) == name_key(new.name)]
    if new.type == "CNAME":
        if name_key(new.name) == name_key(zone.name):
            raise CnameAtApex(new.name, zone.name)
        if any(r.type != "CNAME" for r in same_name):
            raise CnameBesideOtherRecords(new.name, zone.name)
    elif any(r.type == "CNAME" for r in same_name):
        raise RecordBesideCname(new.name, str(new.type), zone.name)


def _check_alias_target(
    new: RecordSet, records: list[RecordSet], zone: FakeZone, zones: Mapping[str, FakeZone]
) -> None:
    """The alias target lies in the hosted zone it names, and exists there if it is ours.

    Targets in other AWS services' hosted zones (CloudFront, ELB, S3, ...) are
    not checked: gwlab does not know their names.
    """
    alias: dict[str, Any] = new.alias_target or {}
    target, target_zone_id = str(alias["DNSName"]), str(alias["HostedZoneId"])
    rr_type = str(new.type)
    outside = AliasTargetOutsideZone(target, rr_type, target_zone_id)
    apigateway_region = apigateway_zone_region(target_zone_id)
    if apigateway_region is not None or execute_api_region(target) is not None:
        if execute_api_region(target) != apigateway_region:
            raise outside
        return
    target_zone = zones.get(target_zone_id.removeprefix("/hostedzone/"))
    if target_zone is None:
        return
    if not is_within(target, target_zone.name):
        raise outside
    candidates = records if target_zone is zone else target_zone.rrsets
    if not any(name_key(r.name) == name_key(target) and r.type == rr_type for r in candidates):
        raise AliasTargetNotFound(target, rr_type, target_zone_id)
