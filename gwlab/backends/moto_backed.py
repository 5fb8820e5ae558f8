"""What the embedded and server backends share: one set of moto backends.

moto keeps its state in module-level dictionaries, so a process has exactly
one emulated AWS. A moto-backed environment borrows it for its lifetime:
opening one resets the state, switches on gwlab's emulator additions, seeds
moto's random source (so generated IDs repeat from run to run) and puts the
process's ``AWS_*`` variables in a sandbox; closing it undoes all of that.

Opening a second moto-backed environment while one is open closes the first
(a notebook cell that calls ``gwlab.start()`` again must just work); the old
environment then says it was superseded.
"""

from __future__ import annotations

import functools
import os
import threading
from abc import abstractmethod
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.moto_api._internal import mock_random

from gwlab import emulator
from gwlab.backends.base import USER_AGENT_EXTRA, Backend
from gwlab.backends.sandbox import (
    FAKE_ACCESS_KEY_ID,
    FAKE_SECRET_ACCESS_KEY,
    EnvironmentSandbox,
    sandbox_variables,
)
from gwlab.startup.loaders import share_loader

SUPERSEDED = "superseded: a newer gwlab.start() took over the embedded AWS"

_owner_lock = threading.RLock()
_owner: MotoBackend | None = None


def current_owner() -> MotoBackend | None:
    """The moto-backed backend that holds the process's moto state, if any."""
    return _owner


def reset_moto_state() -> None:
    """Forget every resource moto holds, in every service, account and region."""
    BackendDict.reset()
    reset_model_data()


@functools.cache
def isolated_session(region: str) -> Any:
    """A boto3 session with fake credentials that reads no config file.

    One per region for the process: it holds nothing but fake credentials, and
    reusing it spares loading botocore's service models for every environment.
    """
    core = share_loader(botocore.session.Session())
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    return boto3.Session(
        aws_access_key_id=FAKE_ACCESS_KEY_ID,
        aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        region_name=region,
        botocore_session=core,
    )


class MotoBackend(Backend):
    """A backend whose AWS is this process's moto, reached in-process or over HTTP."""

    def __init__(self, region: str, seed: int) -> None:
        super().__init__(region)
        self.seed = seed
        emulator.check_moto_version()
        global _owner
        with _owner_lock:
            if _owner is not None:
                _owner.close(SUPERSEDED)
            _owner = self
            try:
                reset_moto_state()
                emulator.activate()
                self._start_transport()
                self._sandbox = EnvironmentSandbox(sandbox_variables(region, self.endpoint_url))
                self._sandbox.enter()
                self._session = isolated_session(region)
                mock_random.seed(seed)
            except BaseException:
                self.close("failed to start")
                raise

    def new_client(self, service: str, region: str) -> Any:
        """A client with fake credentials; moto never throttles, so no retries."""
        return self._session.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=Config(
                retries={"total_max_attempts": 1},
                user_agent_extra=USER_AGENT_EXTRA,
                connect_timeout=5,
                read_timeout=60,
            ),
        )

    def _release(self) -> None:
        global _owner
        with _owner_lock:
            try:
                self._stop_transport()
            finally:
                reset_moto_state()
                emulator.deactivate()
                sandbox: EnvironmentSandbox | None = getattr(self, "_sandbox", None)
                if sandbox is not None:
                    sandbox.exit()
                if _owner is self:
                    _owner = None

    @abstractmethod
    def _start_transport(self) -> None:
        """Make moto reachable for this backend's clients."""

    @abstractmethod
    def _stop_transport(self) -> None:
        """Undo :meth:`_start_transport` (called even if it failed half-way)."""
