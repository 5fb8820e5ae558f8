"""ACM certificates whose DNS validation looks like AWS's, in a stable order.

The backend refuses, as AWS does, to delete a certificate that a custom
domain name of API Gateway still uses (``ResourceInUseException``).

moto gives every certificate the same validation CNAME and lists names in
set order (different from run to run). On AWS the validation record of a
domain name is the same for every certificate of one account, different for
each domain, and both ``SubjectAlternativeNames`` and
``DomainValidationOptions`` follow the order of the request: the domain name
first, then the other names.

moto also makes a new 2048-bit RSA key for every requested certificate
(60 to 120 ms on a small machine, and 40 ms more to check it when the bundle
parses it again). An Amazon-issued certificate's private key never leaves
AWS, so here every requested certificate carries one key
(:mod:`gwlab.emulator.acm.issuing_key`).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import string
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from moto.acm.models import IPV4_REGEX, AWSCertificateManagerBackend, CertBundle
from moto.apigatewayv2.models import apigatewayv2_backends
from moto.core.utils import utcnow

from gwlab.emulator.acm.exceptions import CertificateInUse
from gwlab.emulator.acm.issuing_key import issuing_key
from gwlab.emulator.apigatewayv2.models import GwlabApiGatewayV2Backend

#: The domain of the CNAME targets of ACM's DNS validation.
VALIDATION_DOMAIN = "acm-validations.aws."
#: The issuer moto names on the certificates it requests (C = US, O = Amazon, ...).
AMAZON_ISSUER = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amazon"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Server CA 1B"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Amazon"),
    ]
)


def _general_name(name: str) -> x509.GeneralName:
    if IPV4_REGEX.match(name):
        return x509.IPAddress(ipaddress.IPv4Address(name))
    return x509.DNSName(name)


class GwlabCertBundle(CertBundle):
    """A moto certificate with AWS's validation records and name order."""

    @classmethod
    def generate_cert(
        cls,
        domain_name: str,
        account_id: str,
        region: str,
        sans: list[str] | None = None,
        cert_authority_arn: str | None = None,
    ) -> CertBundle:
        """A requested certificate, its names in the order they were asked for.

        As moto's, but signed with :func:`issuing_key` instead of a new key each time.
        """
        names = list(dict.fromkeys([domain_name, *(sans or [])]))
        key, pem = issuing_key()
        now = utcnow()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain_name)]))
            .issuer_name(AMAZON_ISSUER)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(
                x509.SubjectAlternativeName([_general_name(name) for name in names]),
                critical=False,
            )
            .sign(key, hashes.SHA512())  # moto's choice: SignatureAlgorithm SHA512WITHRSA
        )
        return cls(
            certificate=certificate.public_bytes(serialization.Encoding.PEM),
            private_key=pem,
            cert_type="PRIVATE" if cert_authority_arn is not None else "AMAZON_ISSUED",
            cert_status="ISSUED" if cert_authority_arn is not None else "PENDING_VALIDATION",
            cert_authority_arn=cert_authority_arn,
            account_id=account_id,
            region=region,
        )

    def validate_pk(self) -> Any:
        """The private key; :func:`issuing_key`'s is not parsed and checked again."""
        if issuing_key.cache_info().currsize and self.key == issuing_key()[1]:
            return issuing_key()[0]
        return super().validate_pk()

    def describe(self) -> dict[str, Any]:
        """The moto description, with one validation record per name, in the certificate's order."""
        description = super().describe()
        certificate = description["Certificate"]
        if "DomainValidationOptions" in certificate:
            status = "SUCCESS" if self.status == "ISSUED" else self.status
            certificate["DomainValidationOptions"] = [
                {
                    "DomainName": name,
                    "ValidationDomain": name,
                    "ValidationStatus": status,
                    "ValidationMethod": "DNS",
                    "ResourceRecord": validation_record(self._account_id(), name),
                }
                for name in self._names()
            ]
        return description

    def _names(self) -> list[str]:
        return list(
            dict.fromkeys([self.common_name, *self.sans] if self.common_name else self.sans)
        )

    def _account_id(self) -> str:
        return str(self.arn.split(":")[4])


def validation_record(account_id: str, domain_name: str) -> dict[str, str]:
    """The CNAME that proves control of ``domain_name`` to ACM for ``account_id``.

    A wildcard name is validated by the record of the name below it, so
    ``*.example.com`` and ``example.com`` share one record, as on AWS.
    """
    base = domain_name.removeprefix("*.").rstrip(".").lower()
    name_token = _token(account_id, base, "name")
    value_token = _token(account_id, base, "value")
    label = "".join(string.ascii_lowercase[int(c, 16) % 26] for c in _token(account_id, base, "l"))
    return {
        "Name": f"_{name_token}.{base}.",
        "Type": "CNAME",
        "Value": f"_{value_token}.{label[:10]}.{VALIDATION_DOMAIN}",
    }


def _token(*parts: str) -> str:
    """32 hexadecimal digits, always the same for the same ``parts``."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


class GwlabAcmBackend(AWSCertificateManagerBackend):
    """moto's ACM backend; a certificate in use is not deleted."""

    def delete_certificate(self, arn: str) -> None:
        """Delete ``arn`` unless a custom domain name (or a load balancer) uses it."""
        certificate = self._certificates.get(arn)  # a missing one: moto's (AWS's) NotFound
        if certificate is not None and (
            certificate.in_use_by or domain_names_using(self.account_id, arn)
        ):
            raise CertificateInUse(arn, self.account_id)
        super().delete_certificate(arn)


def domain_names_using(account_id: str, arn: str) -> list[str]:
    """The API Gateway custom domain names of ``account_id`` that use certificate ``arn``.

    Looks only at the regions whose API Gateway backend already exists (none is made).
    """
    return [
        name
        for account, _, backend in apigatewayv2_backends.iter_backends()
        if account == account_id and isinstance(backend, GwlabApiGatewayV2Backend)
        for name in backend.domain_names_using(arn)
    ]
