"""What every place AWS can live offers to an environment."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from gwlab._version import __version__
from gwlab.errors import InvalidRegionError

#: ``us-east-1``, ``eu-central-1``, ``ap-southeast-2``, ``us-gov-west-1``, ...
_REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")

#: Added to the User-Agent of every client gwlab makes.
USER_AGENT_EXTRA = f"gwlab/{__version__}"


def check_region(region: object) -> str:
    """Return ``region`` if it is shaped like an AWS region name, else raise."""
    if not isinstance(region, str) or not _REGION_PATTERN.match(region):
        raise InvalidRegionError(region)
    return region


class Backend(ABC):
    """One place AWS lives: it makes boto3 clients and is closed once.

    ``closed_reason`` is ``None`` while open, then says why it was closed.
    """

    #: The name ``gwlab.start(backend=...)`` knows it by.
    name: ClassVar[str]

    def __init__(self, region: str) -> None:
        self.region = check_region(region)
        self.closed_reason: str | None = None
        self._closers: list[Callable[[], None]] = []

    @property
    def endpoint_url(self) -> str | None:
        """Where clients send requests; ``None`` means AWS's own endpoints."""
        return None

    @abstractmethod
    def new_client(self, service: str, region: str) -> Any:
        """Make a boto3 client for ``service`` in ``region`` bound to this backend."""

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run ``closer`` when the backend closes, even when superseded (at once if closed)."""
        if self.closed_reason is not None:
            closer()
        else:
            self._closers.append(closer)

    def close(self, reason: str = "closed with env.close()") -> None:
        """Run the :meth:`on_close` closers, newest first, then release (idempotent)."""
        if self.closed_reason is None:
            self.closed_reason = reason
            try:
                while self._closers:
                    self._closers.pop()()
            finally:
                self._release()

    @abstractmethod
    def _release(self) -> None:
        """Free the backend's resources; called once by :meth:`close`."""
