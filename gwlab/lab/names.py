"""The names of what the lab creates, and the URL of the course's API.

The engine needs them (``lab.url()``, ``lab.plan()``) and so do the lessons
(:mod:`gwlab.lessons.common` re-exports them); they live here, in the engine,
because imports go from the lessons to the engine only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gwlab.lab.context import StepContext

#: The domain a class owns in a real account (its hosted zone), e.g. ``lab.example.org``.
DOMAIN_ENV_VAR = "GWLAB_DOMAIN"


@dataclass(frozen=True)
class Names:
    """The names of what the lab creates.

    In the emulator they are fixed (``gwlab-items``, ``api.example.com``). Against
    real AWS every name carries the learner's id, so a class shares one account
    without collisions, and domains live under the class's own ``$GWLAB_DOMAIN``.
    """

    learner: str = ""
    zone: str = "example.com"

    @property
    def _prefix(self) -> str:
        return f"{self.learner}-" if self.learner else ""

    @property
    def function(self) -> str:
        """The Lambda function."""
        return f"gwlab-{self._prefix}items"

    @property
    def api(self) -> str:
        """The HTTP API."""
        return f"gwlab-{self._prefix}items-api"

    @property
    def role(self) -> str:
        """The function's execution role."""
        return f"gwlab-{self._prefix}lambda-basic-execution"

    def domain(self, label: str = "api") -> str:
        """A custom domain name: ``api.example.com``, or ``api-<learner>.<zone>``."""
        return f"{label}-{self.learner}.{self.zone}" if self.learner else f"{label}.{self.zone}"


#: The names in the emulated AWS.
EMULATED = Names()


def names(ctx: StepContext) -> Names:
    """The names for where ``ctx``'s lab runs."""
    if ctx.env.backend != "aws":
        return EMULATED
    zone = os.environ.get(DOMAIN_ENV_VAR, "").strip().rstrip(".") or EMULATED.zone
    return Names(learner=ctx.env.learner or "", zone=zone)


def execute_api_url(ctx: StepContext, path: str, api_key: str = "api_id") -> str:
    """``https://{api-id}.execute-api.{region}.amazonaws.com{path}``."""
    api_id = ctx.id_or(api_key, "<api-id>")
    return f"https://{api_id}.execute-api.{ctx.region}.amazonaws.com{path}"
