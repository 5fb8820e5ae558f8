"""Shared fixtures: every test gets a clean process and leaves one behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError

import gwlab
from gwlab import emulator
from gwlab.backends import moto_backed

from support import BIN, Served

#: The suite's own cache folder, never the developer's ``~/.cache/gwlab``: for this
#: process and every process a test starts (they inherit ``XDG_CACHE_HOME``).
_CACHE_HOME = tempfile.mkdtemp(prefix="gwlab-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME

#: Threads other libraries start once per process and keep (not leaks of gwlab's).
#: jupyter_core's ``run_sync`` (nbclient) starts "MainThread - runner" when an event loop
#: is already running in the main thread, as Playwright's session-wide sync API leaves one.
_PROCESS_THREADS = {"IPythonHistorySavingThread", "MainThread - runner"}


@pytest.fixture(scope="session", autouse=True)
def cache_home() -> Iterator[str]:
    """The session's temporary cache folder (``XDG_CACHE_HOME``), removed at the end."""
    yield _CACHE_HOME
    shutil.rmtree(_CACHE_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_leaked_environment(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves an environment, a thread or an AWS_* change behind.

    Tests marked ``shared_env`` use an environment a module-scoped fixture owns
    (and closes when the module is done); they are checked as a group instead.
    """
    if request.node.get_closest_marker("shared_env") is not None:
        yield
        return
    aws_before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    threads_before = set(threading.enumerate())
    yield
    owner = moto_backed.current_owner()
    if owner is not None:
        owner.close("leaked by a test")
        pytest.fail("the test left a moto-backed environment open")
    assert not emulator.is_active(), "emulator additions still applied"
    assert {k: v for k, v in os.environ.items() if k.startswith("AWS_")} == aws_before
    leaked = [
        t
        for t in set(threading.enumerate()) - threads_before
        if t.is_alive() and t.name not in _PROCESS_THREADS
    ]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def kernel_session() -> Iterator[None]:
    """No kernel session before the test (``gwlab.Lab`` starts one, as a new kernel does)."""
    from gwlab.lab.session import close_session

    close_session()
    yield
    close_session()


@pytest.fixture(params=["embedded", "server"])
def env(request: pytest.FixtureRequest) -> Iterator[gwlab.LabEnv]:
    """An environment on each moto backend in turn: the behaviour must not differ."""
    with gwlab.start(request.param) as opened:
        yield opened


@pytest.fixture
def apigw(env: gwlab.LabEnv) -> Any:
    """The apigatewayv2 client of :func:`env`."""
    return env.client("apigatewayv2")


@pytest.fixture
def aws_error() -> Callable[..., AbstractContextManager[Any]]:
    """``with aws_error("Code", "exact message"):`` expects that AWS error."""

    @contextmanager
    def expect(code: str, message: str | None = None) -> Iterator[Any]:
        with pytest.raises(ClientError) as raised:
            yield raised
        error = raised.value.response["Error"]
        assert error["Code"] == code, error
        if message is not None:
            assert error["Message"] == message

    return expect


@pytest.fixture
def gwlab_serve() -> Iterator[Served]:
    """A running ``gwlab serve`` process, as a learner starts it from a shell."""
    process = subprocess.Popen(
        [str(BIN / "gwlab"), "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    banner = ""
    while "--endpoint-url" not in banner:
        line = process.stdout.readline()
        assert line, f"gwlab serve exited: {process.stderr.read() if process.stderr else ''}"
        banner += line
    exports = dict(
        line.strip().removeprefix("export ").split("=", 1)
        for line in banner.splitlines()
        if line.strip().startswith("export ")
    )
    try:
        yield Served(process, banner, exports)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
