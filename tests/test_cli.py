"""The gwlab command line, run as a learner runs it: a real process."""

from __future__ import annotations

import errno
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from gwlab.cli import main
from gwlab.loopback import bind_loopback

from support import BIN, Served, running_jupyterlab

GWLAB = str(BIN / "gwlab")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GWLAB, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "run", "lab"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE)


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gwlab", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("gwlab ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "choose a command"),
        (("frobnicate",), "invalid choice"),
        (("run", "--bogus"), "unrecognized arguments: --bogus"),
        (("run", "--region", "mars-1"), "'mars-1' is not an AWS region name"),
        (("serve", "--port", "70000"), "70000 is not a port"),
        (("lab", "--dir", "/nonexistent"), "no lab notebooks"),
    ],
)
def test_errors_are_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_run_prints_a_deterministic_table() -> None:
    first, second = run("run", "--lesson", "02"), run("run", "--lesson", "02")
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert lines[0] == "gwlab run: embedded backend, region us-east-1, seed 42"
    rows = [line for line in lines if line.startswith("02-stages ")]
    assert [row.split()[1] for row in rows] == [
        "create_stage",
        "deploy_stage",
        "add_route",
        "redeploy_stage",
        "auto_deploy_dev",
        "staging_stage",
    ]
    assert all(row.split()[2] == "passed" for row in rows)
    assert rows[-1].split()[3] == "exercise"  # solved with its CLI solution, then checked
    assert lines[-1] == "6 of 6 step(s) and exercise(s) passed."


def test_run_every_lesson_passes_on_both_backends() -> None:
    embedded, server = run("run"), run("run", "--backend", "server")
    assert embedded.returncode == 0, embedded.stdout[-2000:]
    assert server.returncode == 0, server.stdout[-2000:]
    assert embedded.stdout.splitlines()[-1].endswith("step(s) and exercise(s) passed.")
    differ = [
        (a, b)
        for a, b in zip(embedded.stdout.splitlines(), server.stdout.splitlines(), strict=True)
        if a != b
    ]
    assert [a.split()[:2] for a, _ in differ] == [
        ["gwlab", "run:"],
        ["00-welcome", "check_backend"],
    ]


def test_run_exits_1_when_a_step_fails() -> None:
    """In us-west-2 the lesson's default "wrong" region is the right one: nothing refuses."""
    result = run("run", "--lesson", "04", "--region", "us-west-2")
    assert result.returncode == 1
    failed = [line for line in result.stdout.splitlines() if " failed " in line]
    assert len(failed) == 1
    assert "wrong_region" in failed[0]
    assert "AWS was expected to refuse with BadRequestException" in failed[0]
    last = result.stdout.splitlines()[-1]
    assert last.startswith("3 of ") and last.endswith(" step(s) and exercise(s) passed."), last


def test_run_unknown_lesson_is_one_line() -> None:
    result = run("run", "--lesson", "99")
    assert result.returncode == 2
    assert result.stderr.startswith("gwlab run: there is no lesson '99'")
    assert result.stderr.count("\n") == 1


def test_serve_answers_the_aws_cli_and_stops_on_ctrl_c(gwlab_serve: Served) -> None:
    assert set(gwlab_serve.exports) == {
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    }
    # the pasted lines alone are enough: a clean environment plus them
    created = gwlab_serve.aws(
        "apigatewayv2", "create-api", "--name", "cli", "--protocol-type", "HTTP"
    )
    assert created.returncode == 0, created.stderr
    api_id = json.loads(created.stdout)["ApiId"]
    listed = gwlab_serve.aws(
        "apigatewayv2", "get-apis", "--query", "Items[].ApiId", "--output", "text"
    )
    assert listed.stdout.split() == [api_id]

    port = int(gwlab_serve.exports["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    process = gwlab_serve.process
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert process.stderr is not None
    stderr = process.stderr.read()
    assert "stopped" in stderr and "Traceback" not in stderr
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_serve_on_a_taken_port_is_one_line() -> None:
    holder = bind_loopback(0)
    holder.listen(1)
    try:
        result = run("serve", "--port", str(holder.getsockname()[1]))
    finally:
        holder.close()
    assert result.returncode == 2
    assert "already in use" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_lab_opens_jupyterlab_at_the_first_notebook(tmp_path: Path) -> None:
    with running_jupyterlab([GWLAB, "lab"], tmp_path) as base:
        with urllib.request.urlopen(f"{base}/api/contents?content=1", timeout=10) as response:
            names = [item["name"] for item in json.load(response)["content"]]
        first = sorted(n for n in names if re.match(r"00_.*\.ipynb$", n))
        assert first, names
        with urllib.request.urlopen(f"{base}/lab/tree/{first[0]}", timeout=10) as response:
            assert response.status == 200


def test_serve_on_a_privileged_port_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tests run as root here, so the kernel's EACCES for port 80 is simulated (this test only).

    The handler is called in-process, through the same ``main`` the console script runs.
    """
    real_bind = socket.socket.bind

    def bind(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[1] == 80:
            raise PermissionError(errno.EACCES, "Permission denied")
        real_bind(self, address)

    monkeypatch.setattr(socket.socket, "bind", bind)
    status = main(["serve", "--port", "80"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == (
        "gwlab serve: port 80 needs administrator rights (ports below 1024 are privileged): "
        "use --port 0 for a free port, or one above 1023\n"
    )
    assert "already in use" not in captured.err
