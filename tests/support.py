"""Helpers the tests share (importable as ``support`` from any test folder)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from gwlab.loopback import bind_loopback

#: The programs installed next to the test interpreter.
BIN = Path(sys.executable).parent
#: A Lambda function ARN for quick create (API Gateway does not check it exists).
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:items"
#: The real curl (.ci/run installs it).
CURL = shutil.which("curl")


#: How long a test waits for something that must happen: a guard against a hang, never a speed.
HANG_GUARD = 30.0


class FakeClock:
    """A ``time.monotonic`` stand-in that moves only when :meth:`advance` is called.

    It starts at the real monotonic time, so moments already recorded stay in the past.
    """

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fake_route53_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Give the emulated Route 53 (change status, what DNS serves) a fake clock, for one test."""
    from gwlab.emulator.route53.models import GwlabRoute53Backend

    clock = FakeClock()
    monkeypatch.setattr(GwlabRoute53Backend, "clock", clock)
    return clock


def wait_until(condition: Callable[[], bool], timeout: float = HANG_GUARD) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes (a hang guard); its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def curl(*args: str) -> tuple[int, dict[str, str], str]:
    """Run curl; return (status, lowercase headers, body)."""
    assert CURL is not None, "curl is not installed (.ci/run installs it)"
    result = subprocess.run(
        [CURL, "-s", "-i", "--max-time", "10", *args], capture_output=True, text=True, check=True
    )
    head, _, body = result.stdout.partition("\n\n")  # text mode turned \r\n into \n
    lines = head.split("\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def fresh_python(script: str, *args: str) -> list[str]:
    """Run ``script`` in a new interpreter (fail on an error); the lines it printed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()


@dataclass
class Served:
    """A running ``gwlab serve``: the process, its banner and the variables to export."""

    process: subprocess.Popen[str]
    banner: str
    exports: dict[str, str]

    @property
    def shell(self) -> dict[str, str]:
        """A clean environment (no AWS_* of ours) plus only the pasted exports."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        return {**clean, **self.exports, "HOME": "/nonexistent"}

    def aws(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the AWS CLI with the pasted exports."""
        return subprocess.run(
            [str(BIN / "aws"), *args],
            capture_output=True,
            text=True,
            env=self.shell,
            check=False,
            timeout=60,
        )


@contextmanager
def running_jupyterlab(
    command: Sequence[str], home: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``command`` (a JupyterLab) on a free loopback port with no token and its
    configuration under ``home``; yield its base URL once it answers; stop it after."""
    with bind_loopback(0) as probe:
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            *command,
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.token=",
            "--ServerApp.password=",
            "--ServerApp.ip=127.0.0.1",
            "--allow-root",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read() if process.stderr else "") from None
                if time.monotonic() > deadline:
                    raise TimeoutError("JupyterLab did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.stderr is not None:
                process.stderr.close()
