"""Route 53 errors that moto does not raise, with the codes and texts AWS uses.

``InvalidChangeBatch`` is one AWS error code with many texts. AWS lists every
problem of a batch in one message, in brackets (``[text, text]``), so each
text here is a subclass of :class:`InvalidChangeBatch` that can be raised
alone or merged with others by :meth:`InvalidChangeBatch.combine`.

Where the texts come from is listed in ``docs/ARCHITECTURE.md`` ("Route 53
error texts"); the ones no public source confirmed are marked ASSUMED there.
"""

from __future__ import annotations

from collections.abc import Sequence

from moto.route53.exceptions import InvalidInput, Route53ClientError


class InvalidChangeBatch(Route53ClientError):
    """``InvalidChangeBatch`` (400): the batch breaks a rule; nothing of it was applied."""

    def __init__(self, texts: Sequence[str]) -> None:
        # Not called ``messages``: moto would serialise such an attribute.
        self.texts = tuple(texts)
        super().__init__("InvalidChangeBatch", "[" + ", ".join(self.texts) + "]")

    @classmethod
    def combine(cls, problems: Sequence[InvalidChangeBatch]) -> InvalidChangeBatch:
        """One error listing the texts of ``problems`` in order (the only one if alone)."""
        if len(problems) == 1:
            return problems[0]
        return InvalidChangeBatch([text for problem in problems for text in problem.texts])


def _record(name: str, rr_type: str, set_identifier: str | None) -> str:
    """``[name='x.', type='A']``, with the set identifier when there is one."""
    extra = f", set-identifier='{set_identifier}'" if set_identifier is not None else ""
    return f"[name='{name}', type='{rr_type}'{extra}]"


class RecordAlreadyExists(InvalidChangeBatch):
    """CREATE of a name and type that already exist."""

    def __init__(self, name: str, rr_type: str, set_identifier: str | None = None) -> None:
        record = _record(name, rr_type, set_identifier)
        super().__init__([f"Tried to create resource record set {record} but it already exists"])


class RecordNotFound(InvalidChangeBatch):
    """DELETE of a name and type that do not exist."""

    def __init__(self, name: str, rr_type: str, set_identifier: str | None = None) -> None:
        record = _record(name, rr_type, set_identifier)
        super().__init__([f"Tried to delete resource record set {record} but it was not found"])


class RecordValuesDiffer(InvalidChangeBatch):
    """DELETE whose TTL, values or alias target differ from the record's."""

    def __init__(self, name: str, rr_type: str, set_identifier: str | None = None) -> None:
        record = _record(name, rr_type, set_identifier)
        super().__init__(
            [
                f"Tried to delete resource record set {record} but the values provided "
                "do not match the current values"
            ]
        )


class CnameAtApex(InvalidChangeBatch):
    """A CNAME named like the zone itself (the apex always has SOA and NS records)."""

    def __init__(self, name: str, zone_name: str) -> None:
        super().__init__(
            [
                f"RRSet of type CNAME with DNS name {name} is not permitted at apex "
                f"in zone {zone_name}"
            ]
        )


class CnameBesideOtherRecords(InvalidChangeBatch):
    """A CNAME for a name that already has records of another type."""

    def __init__(self, name: str, zone_name: str) -> None:
        super().__init__(
            [
                f"RRSet of type CNAME with DNS name {name} is not permitted as it conflicts "
                f"with other records with the same DNS name in zone {zone_name}"
            ]
        )


class RecordBesideCname(InvalidChangeBatch):
    """A record of another type for a name that already has a CNAME.

    The two spaces before ``CNAME`` are AWS's own.
    """

    def __init__(self, name: str, rr_type: str, zone_name: str) -> None:
        super().__init__(
            [
                f"RRSet of type {rr_type} with DNS name {name} is not permitted because a "
                f"conflicting RRSet of type  CNAME with the same DNS name already exists in "
                f"zone {zone_name}"
            ]
        )


class NameOutsideZone(InvalidChangeBatch):
    """A record whose name does not lie in the hosted zone."""

    def __init__(self, name: str, zone_name: str) -> None:
        super().__init__([f"RRSet with DNS name {name} is not permitted in zone {zone_name}"])


def _alias(target: str, rr_type: str, target_zone_id: str) -> str:
    return (
        f"Tried to create an alias that targets {target}, type {rr_type} in zone {target_zone_id}"
    )


class AliasTargetOutsideZone(InvalidChangeBatch):
    """An alias whose target name does not lie in the target hosted zone it names."""

    def __init__(self, target: str, rr_type: str, target_zone_id: str) -> None:
        super().__init__(
            [
                f"{_alias(target, rr_type, target_zone_id)}, "
                "but the alias target name does not lie within the target zone"
            ]
        )


class AliasTargetNotFound(InvalidChangeBatch):
    """An alias to a record of one of the account's zones that does not exist."""

    def __init__(self, target: str, rr_type: str, target_zone_id: str) -> None:
        super().__init__(
            [f"{_alias(target, rr_type, target_zone_id)}, but that target was not found"]
        )


class RecordDataMissingOrDoubled(InvalidInput):
    """A change without exactly one of an alias target or a TTL with values."""

    def __init__(
        self, found: str, action: str, name: str, rr_type: str, set_identifier: str | None
    ) -> None:
        super().__init__(
            "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and "
            f"ResourceRecords], or TrafficPolicyInstanceId], but found {found} in Change with "
            f"[Action={action}, Name={name}, Type={rr_type}, "
            f"SetIdentifier={set_identifier if set_identifier is not None else 'null'}]"
        )


class NoSuchChange(Route53ClientError):
    """``GetChange`` of an ID Route 53 never handed out (404)."""

    def __init__(self, change_id: str) -> None:
        super().__init__("NoSuchChange", f"Could not find resource with ID: {change_id}")
