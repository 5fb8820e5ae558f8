"""ACM certificates whose DNS validation looks like AWS's, in a stable order.

moto gives every certificate the same validation CNAME and lists names in
set order (different from run to run). On AWS the validation record of a
domain name is the same for every certificate of one account, different for
each domain, and both ``SubjectAlternativeNames`` and
``DomainValidationOptions`` follow the order of the request: the domain name
first, then the other names.
"""

from __future__ import annotations

import hashlib
import string
from typing import Any

from moto.acm.models import CertBundle

#: The domain of the CNAME targets of ACM's DNS validation.
VALIDATION_DOMAIN = "acm-validations.aws."


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
        """A requested certificate, its names in the order they were asked for."""
        cert = super().generate_cert(
            domain_name, account_id, region, sans=sans, cert_authority_arn=cert_authority_arn
        )
        cert.sans = list(dict.fromkeys([domain_name, *(sans or [])]))
        return cert

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
