"""``gwlab serve`` as a learner uses it from shells: the AWS CLI, then real curl and dig.

Every test starts the real command in a process of its own session and stops it as a
terminal does (a signal to the whole process group), then checks that nothing is left:
exit status 0, every port free again, no function worker still running.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gwlab.errors import PortInUseError
from gwlab.loopback import bind_loopback

from support import BIN, Served

pytestmark = pytest.mark.slow

GWLAB = str(BIN / "gwlab")
DIG = "/usr/bin/dig"
CURL = "/usr/bin/curl"
HANDLER = (
    "import json\n"
    "def handler(event, context):\n"
    "    return {'statusCode': 200, 'headers': {'content-type': 'application/json'},\n"
    "            'body': json.dumps({'host': event['requestContext']['domainName'],\n"
    "                                'rawPath': event['rawPath']})}\n"
)


def read_banner(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """What the process prints up to its ``dig`` line (fail if it never comes, or it exits)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()  # read unbuffered: a deadline, not a readline() that waits
    deadline = time.monotonic() + timeout
    printed = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not re.search(rb"^  dig @.*\n", printed, re.MULTILINE):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no dig line in what gwlab serve printed: {printed!r}"
            if selector.select(remaining):
                chunk = os.read(fd, 65536)
                assert chunk, f"gwlab serve exited: {printed!r}"
                printed += chunk
    return printed.decode()


@contextmanager
def serving(*args: str, command: list[str] | None = None) -> Iterator[Served]:
    """``gwlab serve ARGS`` in a new session, once its whole banner is printed."""
    process = subprocess.Popen(
        command or [GWLAB, "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        banner = read_banner(process)
        exports = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in banner.splitlines()
            if line.strip().startswith("export ")
        )
        yield Served(process, banner, exports)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def pasted(banner: str, program: str) -> list[list[str]]:
    """The banner's ready-to-paste ``program`` lines, as argument lists."""
    return [
        shlex.split(line)
        for line in banner.splitlines()
        if line.startswith(f"  {program} ") and "--endpoint-url" not in line
    ]


def ports(served: Served) -> dict[str, int]:
    """The three ports the banner names."""
    moto = int(served.exports["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    gateway = int(pasted(served.banner, "curl")[0][-1].split(":")[2].split("/")[0])
    dig = pasted(served.banner, "dig")[0]
    return {"moto": moto, "gateway": gateway, "dns": int(dig[dig.index("-p") + 1])}


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (function workers run in sessions of their own)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not a zombie) process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def assert_free(tcp: list[int], udp: list[int]) -> None:
    """Each port can be bound again on 127.0.0.1 (TCP, and UDP for the DNS port)."""
    for port, kind in [(p, socket.SOCK_STREAM) for p in tcp] + [
        (p, socket.SOCK_DGRAM) for p in udp
    ]:
        bind_loopback(port, kind).close()


def stop(served: Served, signum: int) -> str:
    """Send ``signum`` to the whole process group (as Ctrl-C does); its stderr once it exits."""
    os.killpg(served.process.pid, signum)
    assert served.process.wait(timeout=20) == 0
    assert served.process.stderr is not None
    stderr = served.process.stderr.read()
    assert "stopped" in stderr and "Traceback" not in stderr, stderr
    return stderr


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def aws_json(served: Served, command: str, *args: str) -> Any:
    """``aws COMMAND ARGS`` with the pasted exports (``command`` split as a shell would)."""
    done = served.aws(*shlex.split(command), *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_the_lesson_by_the_aws_cli_then_curl_and_dig(tmp_path: Path) -> None:
    """A function behind an API and a custom domain, found by Route 53: all over real processes."""
    archive = tmp_path / "function.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("app.py", HANDLER)
    with serving() as served:
        trust = '{"Version": "2012-10-17", "Statement": []}'
        role = aws_json(
            served, "iam create-role --role-name lab --assume-role-policy-document", trust
        )["Role"]["Arn"]
        function = aws_json(
            served,
            "lambda create-function --function-name items --runtime python3.12 "
            f"--handler app.handler --role {role} --zip-file",
            f"fileb://{archive}",
        )["FunctionArn"]
        api_id = aws_json(
            served,
            f"apigatewayv2 create-api --name items --protocol-type HTTP --target {function}",
        )["ApiId"]
        certificate = aws_json(
            served,
            "acm request-certificate --domain-name api.example.com --validation-method DNS",
        )["CertificateArn"]
        domain = aws_json(
            served,
            "apigatewayv2 create-domain-name --domain-name api.example.com "
            f"--domain-name-configurations CertificateArn={certificate}",
        )["DomainNameConfigurations"][0]
        aws_json(
            served,
            f"apigatewayv2 create-api-mapping --domain-name api.example.com --api-id {api_id} "
            "--stage '$default'",
        )
        zone = aws_json(
            served, "route53 create-hosted-zone --name example.com --caller-reference lab"
        )["HostedZone"]["Id"]
        alias = {
            "HostedZoneId": domain["HostedZoneId"],
            "DNSName": domain["ApiGatewayDomainName"],
            "EvaluateTargetHealth": False,
        }
        changes = [
            {"Name": "api.example.com", "Type": "A", "AliasTarget": alias},
            {
                "Name": "www.example.com",
                "Type": "A",
                "TTL": 300,
                "ResourceRecords": [{"Value": "192.0.2.10"}],
            },
        ]
        batch = {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": c} for c in changes]}
        aws_json(
            served,
            f"route53 change-resource-record-sets --hosted-zone-id {zone} --change-batch",
            json.dumps(batch),
        )

        # the printed curl lines, pasted as they are (the API id filled in)
        by_id, by_domain = pasted(served.banner, "curl")
        by_id = [word.replace("<api-id>", str(api_id)) for word in by_id]
        for command, host in (
            (by_id, f"{api_id}.execute-api.us-east-1.amazonaws.com"),
            (by_domain, "api.example.com"),
        ):
            answered = run([CURL, "-sS", *command[1:]])
            assert answered.returncode == 0, answered.stderr
            head, _, body = answered.stdout.partition("\n\n")
            assert head.startswith("HTTP/1.1 200"), answered.stdout
            assert json.loads(body) == {"host": host, "rawPath": "/items"}

        # the printed dig line, pasted, then the same server for the other records
        dig = pasted(served.banner, "dig")[0]
        answered = run([DIG, *dig[1:], "+norecurse"])
        assert answered.returncode == 0, answered.stderr
        assert "status: NOERROR" in answered.stdout and " aa" in answered.stdout
        short = [DIG, *dig[1:4], "+short"]
        api_addresses = run([*short, "api.example.com", "A"]).stdout.split()
        target_addresses = run([*short, str(domain["ApiGatewayDomainName"]), "A"]).stdout.split()
        assert api_addresses and api_addresses == target_addresses
        assert all(a.startswith("198.51.100.") for a in api_addresses), (api_addresses, domain)
        assert run([*short, "www.example.com", "A"]).stdout.split() == ["192.0.2.10"]
        assert run([*short, "+tcp", "www.example.com", "A"]).stdout.split() == ["192.0.2.10"]

        used = ports(served)
        workers = descendants(served.process.pid)
        assert workers, "the function ran in a worker process"
        stop(served, signal.SIGINT)
    assert not [pid for pid in workers if alive(pid)]
    assert_free([used["moto"], used["gateway"], used["dns"]], [used["dns"]])


def free_port() -> int:
    """A loopback port free for TCP and UDP at the moment of asking."""
    while True:
        with bind_loopback(0) as probe:
            port = int(probe.getsockname()[1])
        try:
            bind_loopback(port, socket.SOCK_DGRAM).close()
        except PortInUseError:
            continue
        return port


def test_sigterm_stops_all_three_on_the_ports_asked_for_leaving_no_thread() -> None:
    """``--port``, ``--gateway-port``, ``--dns-port`` are used; after SIGTERM only main is left."""
    moto, gateway, dns = free_port(), free_port(), free_port()
    script = (
        "import sys, threading\n"
        "from gwlab.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('threads:', sorted(t.name for t in threading.enumerate()), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    options = ["--port", str(moto), "--gateway-port", str(gateway), "--dns-port", str(dns)]
    command = [sys.executable, "-c", script, "serve", *options]
    with serving(command=command) as served:
        assert ports(served) == {"moto": moto, "gateway": gateway, "dns": dns}
        assert f"its local gateway on http://127.0.0.1:{gateway} " in served.banner
        # the gateway answers curl for a host nothing serves, and dig gets an answer
        missing = run(
            [CURL, "-sS", "-i", "-H", "Host: nothing.example.org", f"http://127.0.0.1:{gateway}/"]
        )
        assert missing.returncode == 0 and missing.stdout.startswith("HTTP/1.1 "), missing
        refused = run([DIG, "@127.0.0.1", "-p", str(dns), "nothing.example.org", "A"])
        assert "status: REFUSED" in refused.stdout, refused.stdout
        stderr = stop(served, signal.SIGTERM)
    assert "threads: ['MainThread']" in stderr, stderr
    assert_free([moto, gateway, dns], [dns])


@pytest.mark.parametrize("option", ["--gateway-port", "--dns-port"])
def test_a_taken_gateway_or_dns_port_is_one_line_and_frees_the_others(option: str) -> None:
    moto = free_port()
    holder = bind_loopback(0)
    holder.listen(1)
    taken = int(holder.getsockname()[1])
    try:
        done = run([GWLAB, "serve", "--port", str(moto), option, str(taken)])
    finally:
        holder.close()
    assert done.returncode == 2
    assert done.stderr == (
        f"gwlab serve: {option} {taken}: port {taken} is already in use on 127.0.0.1; "
        "choose another port, or 0 to let the system pick a free one\n"
    )
    assert_free([moto], [])
