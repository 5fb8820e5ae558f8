"""The ACM errors moto lacks, one small class per AWS error, with AWS's code and text."""

from __future__ import annotations

from moto.core.exceptions import AWSError


class CertificateInUse(AWSError):
    """``ResourceInUseException`` (400) for deleting a certificate something uses.

    The code is the ACM model's (DeleteCertificate); the text is AWS's as public
    reports quote it (dfds/infrastructure-modules#5, AlexsLemonade/refinebio#2914,
    anomalyco/sst#4963).
    """

    TYPE = "ResourceInUseException"

    def __init__(self, arn: str, account_id: str) -> None:
        super().__init__(message=f"Certificate {arn} in account {account_id} is in use.")
