"""Route 53 answers in its XML namespace, as AWS does (moto's own model extras apply).

AWS's Route 53 API reference shows every response element in
``https://route53.amazonaws.com/doc/2013-04-01/``; moto adds that namespace through
its ``moto-extras`` for the service model, which gwlab's shared loading must keep.
"""

from __future__ import annotations

import gwlab

NAMESPACE = b'<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'


def test_route53_responses_carry_aws_s_xml_namespace(env: gwlab.LabEnv) -> None:
    route53 = env.client("route53")
    bodies: list[bytes] = []
    route53.meta.events.register(
        "after-call.route53.ListHostedZones",
        lambda http_response, **_: bodies.append(http_response.content),
    )
    route53.list_hosted_zones()
    assert NAMESPACE in bodies[0]
