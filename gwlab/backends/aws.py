"""Real AWS: only when the learner has explicitly opted in.

gwlab never sends a request to AWS by accident. ``backend="aws"`` refuses to
start unless the environment variable :data:`ALLOW_REAL_AWS_ENV_VAR` is ``1``
(one spelling, so that the same notebooks run unchanged in a real account when
an instructor sets it). Credentials come from the usual AWS chain and are never
printed; every resource a client creates is tagged (see
:mod:`gwlab.backends.tagging`).
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

from gwlab.backends.base import USER_AGENT_EXTRA, Backend
from gwlab.backends.tagging import install_tagging, learner_id, resource_tags
from gwlab.errors import RealAwsNotAllowed

#: Set this to ``1`` to let gwlab use a real AWS account.
ALLOW_REAL_AWS_ENV_VAR = "GWLAB_ALLOW_REAL_AWS"


def real_aws_allowed() -> bool:
    """Whether the learner opted in to real AWS for this process."""
    return os.environ.get(ALLOW_REAL_AWS_ENV_VAR, "").strip() == "1"


def refusal(region: str) -> str:
    """The paragraph shown when ``backend="aws"`` is asked for without opting in."""
    value = os.environ.get(ALLOW_REAL_AWS_ENV_VAR)
    seen = f" ({ALLOW_REAL_AWS_ENV_VAR} is set to {value!r}, not '1'.)" if value is not None else ""
    return (
        "gwlab did not start: backend='aws' would create real API Gateway APIs, custom "
        "domain names, ACM certificates, Route 53 records and Lambda functions in "
        f"{region} of the AWS account your credentials belong to, which can cost money "
        "and is visible to everyone with access to that account. Nothing has been sent "
        f"to AWS.{seen} To opt in, set {ALLOW_REAL_AWS_ENV_VAR}=1 in the environment "
        f"before starting (for example `{ALLOW_REAL_AWS_ENV_VAR}=1 gwlab lab`); every "
        "resource gwlab creates is then tagged gwlab:lab and gwlab:learner so it can be "
        "found and cleaned up. To stay offline, use the default backend='embedded'."
    )


class AwsBackend(Backend):
    """Real AWS through the standard credential chain, with every creation tagged."""

    name = "aws"

    def __init__(
        self, region: str, *, learner: str | None = None, endpoint_url: str | None = None
    ) -> None:
        super().__init__(region)
        if not real_aws_allowed():
            raise RealAwsNotAllowed(refusal(region))
        self.learner = learner_id(learner)
        self.tags = resource_tags(self.learner)
        # ``endpoint_url`` lets tests put the server backend where AWS would be.
        self._endpoint_url = endpoint_url
        self._session = boto3.Session(region_name=region)

    @property
    def endpoint_url(self) -> str | None:
        """``None`` (AWS's own endpoints) unless a stand-in was given."""
        return self._endpoint_url

    def new_client(self, service: str, region: str) -> Any:
        """A client with the standard retry policy that tags what it creates."""
        client = self._session.client(
            service,
            region_name=region,
            endpoint_url=self._endpoint_url,
            config=Config(user_agent_extra=USER_AGENT_EXTRA),
        )
        install_tagging(client, self.tags)
        return client

    def _release(self) -> None:
        """Nothing to free: AWS keeps running."""
