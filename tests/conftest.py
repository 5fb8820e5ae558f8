"""Shared fixtures: every test gets a clean process and leaves one behind."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

import gwlab
from gwlab import emulator
from gwlab.backends import moto_backed


@pytest.fixture(autouse=True)
def no_leaked_environment() -> Iterator[None]:
    """Fail a test that leaves an environment, a thread or an AWS_* change behind."""
    aws_before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    threads_before = set(threading.enumerate())
    yield
    owner = moto_backed.current_owner()
    if owner is not None:
        owner.close("leaked by a test")
        pytest.fail("the test left a moto-backed environment open")
    assert not emulator.is_active(), "emulator additions still applied"
    assert {k: v for k, v in os.environ.items() if k.startswith("AWS_")} == aws_before
    leaked = [t for t in set(threading.enumerate()) - threads_before if t.is_alive()]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture(params=["embedded", "server"])
def moto_env(request: pytest.FixtureRequest) -> Iterator[gwlab.LabEnv]:
    """An environment of each moto-backed backend: both must behave alike."""
    with gwlab.start(request.param) as env:
        yield env
