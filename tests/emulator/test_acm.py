"""ACM in the embedded and server backends: DNS validation records, imports, regions."""

from __future__ import annotations

import datetime
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import gwlab

from route53_helpers import HostedZone, create, records

VALIDATION_NAME = re.compile(r"^_[0-9a-f]{32}\.(?P<domain>[a-z0-9.-]+)\.$")
VALIDATION_VALUE = re.compile(r"^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$")


def _request(acm: object, domain: str, *sans: str) -> dict[str, object]:
    kwargs: dict[str, object] = {"DomainName": domain, "ValidationMethod": "DNS"}
    if sans:
        kwargs["SubjectAlternativeNames"] = list(sans)
    arn = acm.request_certificate(**kwargs)["CertificateArn"]  # type: ignore[attr-defined]
    return acm.describe_certificate(CertificateArn=arn)["Certificate"]  # type: ignore[attr-defined,no-any-return]


def test_requested_certificate_lists_names_and_validation_records_in_request_order(
    env: gwlab.LabEnv,
) -> None:
    acm = env.client("acm")
    certificate = _request(acm, "api.example.com", "*.example.com", "example.com")
    assert certificate["Status"] == "ISSUED"
    assert certificate["SubjectAlternativeNames"] == [
        "api.example.com",
        "*.example.com",
        "example.com",
    ]
    options = certificate["DomainValidationOptions"]
    assert [o["DomainName"] for o in options] == certificate["SubjectAlternativeNames"]
    records = {o["DomainName"]: o["ResourceRecord"] for o in options}
    for domain, record in records.items():
        assert record["Type"] == "CNAME"
        match = VALIDATION_NAME.match(record["Name"])
        assert match and match["domain"] == domain.removeprefix("*.")
        assert VALIDATION_VALUE.match(record["Value"])
    assert all(
        o["ValidationMethod"] == "DNS" and o["ValidationStatus"] == "SUCCESS" for o in options
    )
    # A wildcard is validated by the record of the name below it, as on AWS.
    assert records["*.example.com"] == records["example.com"]
    assert records["api.example.com"] != records["example.com"]


def test_a_domain_keeps_its_validation_record_across_certificates(env: gwlab.LabEnv) -> None:
    acm = env.client("acm")
    first = _request(acm, "api.example.com")["DomainValidationOptions"]
    again = _request(acm, "api.example.com")["DomainValidationOptions"]
    assert first[0]["ResourceRecord"] == again[0]["ResourceRecord"]


def test_the_validation_cname_can_be_added_to_route53(env: gwlab.LabEnv) -> None:
    record = _request(env.client("acm"), "api.example.com")["DomainValidationOptions"][0][
        "ResourceRecord"
    ]
    assert record["Type"] == "CNAME"
    zone = HostedZone(env, "example.com")
    zone.submit(create(records(record["Name"], "CNAME", record["Value"])))
    assert (record["Name"], "CNAME") in zone.names_and_types()


def _self_signed(domain: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


def test_requested_certificates_are_amazon_issued_rsa_and_share_the_process_key(
    env: gwlab.LabEnv,
) -> None:
    acm = env.client("acm")
    first = _request(acm, "api.example.com")
    second = _request(acm, "www.example.com")
    for described, name in ((first, "api.example.com"), (second, "www.example.com")):
        assert described["Type"] == "AMAZON_ISSUED"
        assert (described["KeyAlgorithm"], described["SignatureAlgorithm"]) == (
            "RSA_2048",
            "SHA512WITHRSA",
        )
        assert (described["Issuer"], described["Subject"]) == ("Amazon", f"CN={name}")
        assert described["NotBefore"] < described["NotAfter"]
    assert first["Serial"] != second["Serial"]
    keys = {
        x509.load_pem_x509_certificate(
            acm.get_certificate(CertificateArn=described["CertificateArn"])["Certificate"].encode()
        )
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        for described in (first, second)
    }
    assert len(keys) == 1  # one key per process: its private half never leaves AWS anyway


def test_imported_certificate_is_described_and_listed(env: gwlab.LabEnv) -> None:
    acm = env.client("acm")
    cert, key = _self_signed("api.example.com")
    arn = acm.import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]
    described = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert (described["Type"], described["Status"], described["DomainName"]) == (
        "IMPORTED",
        "ISSUED",
        "api.example.com",
    )
    assert "DomainValidationOptions" not in described
    listed = acm.list_certificates()["CertificateSummaryList"]
    assert [(c["CertificateArn"], c["DomainName"]) for c in listed] == [(arn, "api.example.com")]


def test_certificates_live_in_their_region(env: gwlab.LabEnv) -> None:
    west = env.client("acm", region_name="us-west-2")
    east = env.client("acm", region_name="us-east-1")
    arn = west.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    assert arn.startswith("arn:aws:acm:us-west-2:")
    assert [c["CertificateArn"] for c in west.list_certificates()["CertificateSummaryList"]] == [
        arn
    ]
    assert east.list_certificates()["CertificateSummaryList"] == []
    with pytest.raises(east.exceptions.ResourceNotFoundException):
        east.describe_certificate(CertificateArn=arn)
