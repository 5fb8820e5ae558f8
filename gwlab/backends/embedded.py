"""The default backend: moto in this process, reached through ``mock_aws``."""

from __future__ import annotations

import copy
from typing import Any

from moto import mock_aws
from moto.core.config import default_user_config
from moto.core.models import MockAWS

from gwlab.backends.moto_backed import MotoBackend


def _mock_config() -> Any:
    """Moto's configuration with gwlab's own credential handling in charge."""
    config = copy.deepcopy(default_user_config)
    # The environment sandbox already swaps credentials and the default session.
    config["core"]["mock_credentials"] = False
    config["core"]["reset_boto3_session"] = False
    return config


class EmbeddedBackend(MotoBackend):
    """moto in-process: every boto3 call in the process is answered by moto.

    While it is open, even a learner's own ``boto3.client(...)`` cannot reach
    AWS: moto intercepts every botocore request before it leaves the process.
    """

    name = "embedded"

    def _start_transport(self) -> None:
        self._mock: MockAWS | None = mock_aws(config=_mock_config())
        self._mock.start(reset=False)

    def _stop_transport(self) -> None:
        mock: MockAWS | None = getattr(self, "_mock", None)
        if mock is not None:
            mock.stop(remove_data=False)
            self._mock = None
