"""Keep a learner's real AWS settings out of the emulated backends.

While a moto-backed environment is open, every ``AWS_*`` variable the process
had is set aside and replaced by fake credentials and empty config files, so
neither gwlab's clients nor a learner's own ``boto3.client(...)`` in the same
notebook can read, use or print real credentials (or a profile from
``~/.aws``). Closing the sandbox puts back exactly what was there before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import boto3

#: Credentials that exist only inside an embedded or server environment.
#: They are deliberately not shaped like real AWS keys.
FAKE_ACCESS_KEY_ID = "gwlab-fake-access-key"
FAKE_SECRET_ACCESS_KEY = "gwlab-fake-secret-key"

#: Environment variables whose names start with this are set aside.
_AWS_PREFIX = "AWS_"


def sandbox_variables(region: str, endpoint_url: str | None) -> dict[str, str]:
    """The ``AWS_*`` variables a moto-backed environment runs with.

    ``endpoint_url`` (server mode) also points plain ``boto3`` and AWS CLI
    processes started from the notebook at the local server.
    """
    variables = {
        "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_ACCESS_KEY,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # Empty files instead of ~/.aws/config and ~/.aws/credentials.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        # Never ask an instance-metadata service for credentials.
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if endpoint_url is not None:
        variables["AWS_ENDPOINT_URL"] = endpoint_url
    return variables


class EnvironmentSandbox:
    """Swap the process's ``AWS_*`` variables for fake ones, and back.

    Only ``AWS_*`` variables and ``boto3.DEFAULT_SESSION`` are touched; any
    other variable the learner sets meanwhile is left alone.
    """

    def __init__(self, variables: Mapping[str, str]) -> None:
        self._variables = dict(variables)
        self._saved: dict[str, str] | None = None
        self._saved_session: object = None

    def enter(self) -> None:
        """Set the real ``AWS_*`` variables aside and install the fake ones."""
        if self._saved is not None:
            return
        saved = {k: v for k, v in os.environ.items() if k.startswith(_AWS_PREFIX)}
        for name in saved:
            del os.environ[name]
        os.environ.update(self._variables)
        self._saved = saved
        # A default session made earlier may hold real credentials already.
        self._saved_session = boto3.DEFAULT_SESSION
        boto3.DEFAULT_SESSION = None

    def exit(self) -> None:
        """Remove every ``AWS_*`` variable and put back the ones saved on entry."""
        if self._saved is None:
            return
        for name in [k for k in os.environ if k.startswith(_AWS_PREFIX)]:
            del os.environ[name]
        os.environ.update(self._saved)
        boto3.DEFAULT_SESSION = self._saved_session
        self._saved = None
        self._saved_session = None
