"""Lesson 6's exercise teaches the apex setup that works in AWS (issue 17, item 1).

It used to pass for an apex alias to api.example.com's target, checked on DNS alone; in
AWS https://example.com then fails (no custom domain name or certificate covers it).
"""

from __future__ import annotations

import json
from pathlib import Path

from gwlab.lab import Lab
from gwlab.lessons import common


def test_the_apex_aliased_to_another_domains_target_fails_and_the_real_setup_passes(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("06", progress=tmp_path / "progress.json")
    for step in lab.steps[:-1]:
        assert lab.run(step).passed, step
    # The old "solution": example.com A ALIAS to api.example.com's d-… target.
    lab.env.client("route53").change_resource_record_sets(
        HostedZoneId=lab.ids["zone_id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": common.ZONE,
                        "Type": "A",
                        "AliasTarget": {
                            "HostedZoneId": lab.ids["domain_zone_id"],
                            "DNSName": lab.ids["domain_target"],
                            "EvaluateTargetHealth": False,
                        },
                    },
                }
            ]
        },
    )
    assert " A " in lab.env.dns.resolve(common.ZONE, "A").to_text()  # DNS alone looks fine
    wrong = lab.verify("exercise_apex_alias")
    assert wrong.status == "failed"
    assert [c.passed for c in wrong.checks] == [False, False, False]
    assert "status=403" in wrong.checks[2].actual
    refused = lab.request("GET", f"https://{common.ZONE}/items")
    assert refused.status == 403
    assert [hop.stage for hop in refused.trace.hops][:2] == ["host", "certificate"]

    done = lab.run("exercise_apex_alias", domain_name=common.ZONE)
    assert done.passed, repr(done)
    apex = lab.env.client("apigatewayv2").get_domain_name(DomainName=common.ZONE)
    target = apex["DomainNameConfigurations"][0]["ApiGatewayDomainName"]
    assert target != lab.ids["domain_target"]  # its own d-… name, not api.example.com's
    answered = lab.request("GET", f"https://{common.ZONE}/items")
    assert answered.status == 200
    assert answered.event is not None
    assert answered.event["requestContext"]["domainName"] == common.ZONE
    assert json.loads(answered.body)["rawPath"] == "/items"
    cleaned = lab.cleanup()
    assert set(cleaned["outcome"]) == {"deleted"}, cleaned.to_string()
