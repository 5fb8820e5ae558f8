"""Route 53 in the embedded and server backends refuses what AWS refuses, with AWS's texts.

Each rejection names the AWS_FACTS.md line ("Route 53") it checks, or the
ASSUMED/closest-error choice listed in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from types import SimpleNamespace

import botocore.waiter
import pytest
from moto.route53.models import Route53Backend, route53_backends

import gwlab

from route53_helpers import (
    DOMAIN_TARGET,
    US_WEST_2_APIGATEWAY_ZONE,
    HostedZone,
    alias,
    create,
    delete,
    records,
    upsert,
)
from support import fake_route53_clock


@pytest.fixture
def zone(env: gwlab.LabEnv) -> HostedZone:
    return HostedZone(env)


def test_cname_at_apex_is_refused_but_an_alias_at_apex_is_accepted(zone: HostedZone) -> None:
    # AWS_FACTS: "a CNAME can't sit at the zone apex" -- the reason alias records exist.
    assert zone.rejection(create(records("example.com", "CNAME", DOMAIN_TARGET))) == (
        "InvalidChangeBatch",
        "[RRSet of type CNAME with DNS name example.com. is not permitted at apex "
        "in zone example.com.]",
        400,
    )
    zone.submit(create(alias("example.com")))
    assert ("example.com.", "A") in zone.names_and_types()
    assert ("example.com.", "CNAME") not in zone.names_and_types()


def test_cname_beside_another_record_of_its_name_is_refused(zone: HostedZone) -> None:
    zone.submit(create(records("api.example.com", "TXT", '"hello"')))
    assert zone.rejection(create(records("api.example.com", "CNAME", "other.example.org"))) == (
        "InvalidChangeBatch",
        "[RRSet of type CNAME with DNS name api.example.com. is not permitted as it conflicts "
        "with other records with the same DNS name in zone example.com.]",
        400,
    )


def test_another_record_beside_a_cname_is_refused(zone: HostedZone) -> None:
    zone.submit(create(records("www.example.com", "CNAME", "api.example.com")))
    assert zone.rejection(create(alias("www.example.com"))) == (
        "InvalidChangeBatch",
        "[RRSet of type A with DNS name www.example.com. is not permitted because a conflicting "
        "RRSet of type  CNAME with the same DNS name already exists in zone example.com.]",
        400,
    )


def test_create_of_an_existing_name_and_type_is_refused(zone: HostedZone) -> None:
    zone.submit(create(alias("api.example.com")))
    assert zone.rejection(create(records("api.example.com", "A", "192.0.2.1"))) == (
        "InvalidChangeBatch",
        "[Tried to create resource record set [name='api.example.com.', type='A'] "
        "but it already exists]",
        400,
    )


def test_delete_of_a_missing_record_is_refused(zone: HostedZone) -> None:
    assert zone.rejection(delete(records("x.example.com", "A", "192.0.2.1"))) == (
        "InvalidChangeBatch",
        "[Tried to delete resource record set [name='x.example.com.', type='A'] "
        "but it was not found]",
        400,
    )


@pytest.mark.parametrize(
    "wrong",
    [
        alias("api.example.com", target="d-other.execute-api.us-east-1.amazonaws.com"),
        records("api.example.com", "A", "192.0.2.1"),
    ],
    ids=["other-alias-target", "values-instead-of-alias"],
)
def test_delete_that_does_not_match_exactly_deletes_nothing(
    zone: HostedZone, wrong: dict[str, object]
) -> None:
    zone.submit(create(alias("api.example.com")), create(records("api.example.com", "TXT", '"t"')))
    before = zone.record_sets()
    assert zone.rejection(delete(wrong)) == (
        "InvalidChangeBatch",
        "[Tried to delete resource record set [name='api.example.com.', type='A'] "
        "but the values provided do not match the current values]",
        400,
    )
    assert zone.record_sets() == before


def test_delete_that_matches_exactly_deletes_only_that_record(zone: HostedZone) -> None:
    zone.submit(create(alias("api.example.com")), create(records("api.example.com", "TXT", '"t"')))
    zone.submit(delete(alias("api.example.com")))
    assert ("api.example.com.", "A") not in zone.names_and_types()
    assert ("api.example.com.", "TXT") in zone.names_and_types()


@pytest.mark.parametrize(
    ("rrset", "found"),
    [
        (alias("api.example.com", TTL=300), "more than one"),
        (alias("api.example.com", ResourceRecords=[{"Value": "192.0.2.1"}]), "more than one"),
        ({"Name": "api.example.com", "Type": "A", "TTL": 300}, "none"),
    ],
    ids=["alias-with-ttl", "alias-with-values", "neither"],
)
def test_alias_xor_ttl_and_values(zone: HostedZone, rrset: dict[str, object], found: str) -> None:
    assert zone.rejection(create(rrset)) == (
        "InvalidInput",
        "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], "
        f"or TrafficPolicyInstanceId], but found {found} in Change with [Action=CREATE, "
        "Name=api.example.com., Type=A, SetIdentifier=null]",
        400,
    )


@pytest.mark.parametrize("name", ["api.example.org", "notexample.com"])
def test_a_name_outside_the_zone_is_refused(zone: HostedZone, name: str) -> None:
    assert zone.rejection(create(records(name, "A", "192.0.2.1"))) == (
        "InvalidChangeBatch",
        f"[RRSet with DNS name {name}. is not permitted in zone example.com.]",
        400,
    )


def test_an_api_gateway_alias_must_name_its_regions_hosted_zone(zone: HostedZone) -> None:
    # AWS_FACTS: the alias target must lie within the target zone.
    assert zone.rejection(create(alias("api.example.com", zone_id=US_WEST_2_APIGATEWAY_ZONE))) == (
        "InvalidChangeBatch",
        "[Tried to create an alias that targets d-abc123.execute-api.us-east-1.amazonaws.com., "
        "type A in zone Z2OJLYMUO9EFXC, but the alias target name does not lie within the "
        "target zone]",
        400,
    )
    mine = zone.id.rsplit("/", 1)[-1]
    assert zone.rejection(create(alias("api.example.com", zone_id=mine)))[1] == (
        "[Tried to create an alias that targets d-abc123.execute-api.us-east-1.amazonaws.com., "
        f"type A in zone {mine}, but the alias target name does not lie within the target zone]"
    )


def test_an_alias_to_a_record_of_the_zone_must_find_it(zone: HostedZone) -> None:
    mine = zone.id.rsplit("/", 1)[-1]
    to_api = alias("www.example.com", target="api.example.com", zone_id=mine)
    assert zone.rejection(create(to_api))[1] == (
        "[Tried to create an alias that targets api.example.com., type A in zone "
        f"{mine}, but that target was not found]"
    )
    zone.submit(create(alias("api.example.com")), create(to_api))
    assert ("www.example.com.", "A") in zone.names_and_types()


def test_a_batch_with_one_bad_change_applies_none_and_lists_every_problem(
    zone: HostedZone,
) -> None:
    before = zone.record_sets()
    code, message, _ = zone.rejection(
        create(alias("api.example.com")),
        create(records("example.com", "CNAME", DOMAIN_TARGET)),
        delete(records("gone.example.com", "A", "192.0.2.1")),
    )
    assert code == "InvalidChangeBatch"
    assert message == (
        "[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone "
        "example.com., Tried to delete resource record set [name='gone.example.com.', "
        "type='A'] but it was not found]"
    )
    assert zone.record_sets() == before


def test_changes_of_a_batch_apply_in_order(zone: HostedZone) -> None:
    # Delete-then-create in one batch is how a record changes type atomically.
    zone.submit(create(records("www.example.com", "CNAME", "api.example.com")))
    zone.submit(
        delete(records("www.example.com", "CNAME", "api.example.com")),
        create(alias("www.example.com")),
    )
    assert {t for n, t in zone.names_and_types() if n == "www.example.com."} == {"A"}


def test_upsert_creates_then_replaces(zone: HostedZone) -> None:
    zone.submit(upsert(records("api.example.com", "A", "192.0.2.1")))
    zone.submit(upsert(records("api.example.com", "A", "192.0.2.2", ttl=60)))
    [record] = [r for r in zone.record_sets() if r["Name"] == "api.example.com."]
    assert record == {
        "Name": "api.example.com.",
        "Type": "A",
        "TTL": 60,
        "ResourceRecords": [{"Value": "192.0.2.2"}],
    }


def test_a_new_zone_has_aws_ns_and_soa_records(zone: HostedZone) -> None:
    apex = {r["Type"]: r for r in zone.record_sets() if r["Name"] == "example.com."}
    assert apex["NS"]["TTL"] == 172800
    servers = [v["Value"] for v in apex["NS"]["ResourceRecords"]]
    assert len(servers) == 4 and all(s.endswith(".") for s in servers)
    assert apex["SOA"]["TTL"] == 900
    assert apex["SOA"]["ResourceRecords"] == [
        {"Value": f"{servers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}
    ]


def test_every_change_is_tracked_and_insync_at_once_by_default(zone: HostedZone) -> None:
    first = zone.submit(create(alias("api.example.com")), comment="the alias")
    second = zone.submit(delete(alias("api.example.com")))
    assert first["Id"] != second["Id"] != zone.creation["Id"]
    assert first["Status"] == "INSYNC" and first["Comment"] == "the alias"
    for change in (zone.creation, first, second):
        got = zone.route53.get_change(Id=change["Id"])["ChangeInfo"]
        assert (got["Id"], got["Status"]) == (change["Id"], "INSYNC")
    deleted = zone.route53.delete_hosted_zone(Id=zone.id)["ChangeInfo"]
    assert zone.route53.get_change(Id=deleted["Id"])["ChangeInfo"]["Status"] == "INSYNC"


def test_get_change_of_an_unknown_id_is_no_such_change(zone: HostedZone) -> None:
    with pytest.raises(zone.route53.exceptions.NoSuchChange) as error:
        zone.route53.get_change(Id="/change/C0000000000000000000")
    assert error.value.response["Error"]["Message"] == (
        "Could not find resource with ID: C0000000000000000000"
    )
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_with_a_propagation_delay_changes_are_pending_then_insync(
    env: gwlab.LabEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fake_route53_clock(monkeypatch)
    env.propagation_delay = 60
    zone = HostedZone(env)
    assert zone.creation["Status"] == "PENDING"
    change = zone.submit(create(alias("api.example.com")))
    assert change["Status"] == "PENDING"
    # The API shows the record at once; only the status (and DNS) wait.
    assert ("api.example.com.", "A") in zone.names_and_types()
    clock.advance(59)
    assert zone.route53.get_change(Id=change["Id"])["ChangeInfo"]["Status"] == "PENDING"
    # The waiter polls until INSYNC; each of its sleeps moves the clock instead of waiting.
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr(botocore.waiter, "time", SimpleNamespace(sleep=sleep))
    zone.route53.get_waiter("resource_record_sets_changed").wait(
        Id=change["Id"], WaiterConfig={"Delay": 0.4, "MaxAttempts": 10}
    )
    assert slept == [0.4, 0.4, 0.4]  # PENDING at 59.4 and 59.8, INSYNC at 60.2
    assert zone.route53.get_change(Id=change["Id"])["ChangeInfo"]["Status"] == "INSYNC"


def test_propagation_delay_is_per_environment_and_checked() -> None:
    with gwlab.start() as env:
        assert env.propagation_delay == 0
        env.propagation_delay = 2
        assert env.propagation_delay == 2.0
        with pytest.raises(ValueError, match="0 or more seconds"):
            env.propagation_delay = -1
        with pytest.raises(TypeError, match="number of seconds"):
            env.propagation_delay = "5"  # type: ignore[assignment]
    with gwlab.start() as env:
        assert env.propagation_delay == 0


def test_moto_is_plain_again_once_the_environment_closes(env: gwlab.LabEnv) -> None:
    env.close()
    assert route53_backends.backend is Route53Backend
