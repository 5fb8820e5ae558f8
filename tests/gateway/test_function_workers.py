"""Functions run in warm worker processes of their own, never in the kernel (issue 15, 2/4/5/8).

Each test deploys its functions with plain gwlab helpers and sends requests
through ``env.gateway``. Anything that could hang on a broken runtime runs in
a thread joined with a generous bound (a hang guard, not a timing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import gwlab
from gwlab.backends.sandbox import FAKE_ACCESS_KEY_ID
from gwlab.functions import deploy_function
from gwlab.gateway import GatewayResponse
from gwlab.gateway.runtime import FOLDER_PREFIX, LOG_LIMIT, PAYLOAD_LIMIT

HANG_GUARD = 60.0


@pytest.fixture
def embedded() -> Iterator[gwlab.LabEnv]:
    with gwlab.start() as env:
        yield env


def serve(
    env: gwlab.LabEnv,
    name: str,
    source: str,
    *,
    timeout: int | None = None,
    environment: dict[str, str] | None = None,
) -> str:
    """Deploy ``source`` as function ``name`` behind a quick-created API; its URL."""
    arn = deploy_function(env, name, textwrap.dedent(source), environment=environment)
    if timeout is not None:
        env.client("lambda").update_function_configuration(FunctionName=name, Timeout=timeout)
    api = env.client("apigatewayv2").create_api(
        Name=name, ProtocolType="HTTP", Target=arn["FunctionArn"]
    )
    return f"https://{api['ApiId']}.execute-api.{env.region}.amazonaws.com"


def guarded(call: Callable[[], GatewayResponse]) -> GatewayResponse:
    """``call()`` in a thread, failing (not hanging) when it does not return in time."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"the request did not finish within {HANG_GUARD} s"
    assert box, "the request raised"
    response: GatewayResponse = box[0]
    return response


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}


PID = """
import os
def handler(event, context):
    return {"pid": os.getpid()}
"""


def test_a_handler_cannot_change_the_kernels_environment_path_or_folder(
    env: gwlab.LabEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GWLAB_KERNEL_ONLY", "secret of the kernel")
    source = """
    import os, sys
    def handler(event, context):
        seen = {"cwd": os.getcwd(), "env": dict(os.environ), "leak": os.environ.get("LEAK")}
        os.environ["LEAK"] = "from the function"
        sys.path.append("/leaked")
        os.chdir("/")
        return seen
    """
    url = serve(env, "leaky", source, environment={"TABLE": "items"})
    cwd, path = os.getcwd(), list(sys.path)
    first = env.gateway.request("GET", url + "/").json()
    assert "LEAK" not in os.environ and sys.path == path and os.getcwd() == cwd
    seen = first["env"]
    assert first["cwd"] == seen["LAMBDA_TASK_ROOT"] and first["leak"] is None
    assert "GWLAB_KERNEL_ONLY" not in seen and seen["TABLE"] == "items"
    assert seen["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY_ID
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == "leaky" and seen["_HANDLER"] == "app.handler"
    assert seen["TZ"] == ":UTC" and seen["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    if env.backend == "server":
        assert seen["AWS_ENDPOINT_URL"] == env.endpoint_url
    # The worker is warm: its own process keeps what the function changed, as Lambda's does.
    assert env.gateway.request("GET", url + "/").json()["leak"] == "from the function"


@pytest.mark.parametrize(
    ("statement", "status"),
    [
        ("sys.exit(3)", "exit status 3"),
        ("raise SystemExit", "exit status 0"),
        ("raise KeyboardInterrupt", "exit status 1"),
        ("raise GeneratorExit", "exit status 1"),
        ("os._exit(7)", "exit status 7"),
        ("os.kill(os.getpid(), signal.SIGSEGV)", "signal: segmentation fault"),
    ],
)
def test_an_exit_or_interrupt_is_an_error_and_the_next_request_gets_a_new_worker(
    embedded: gwlab.LabEnv, statement: str, status: str
) -> None:
    source = f"""
    import os, signal, sys
    def handler(event, context):
        if event["rawPath"] == "/die":
            {statement}
        return {{"pid": os.getpid()}}
    """
    url = serve(embedded, "exits", source)
    before = embedded.gateway.request("GET", url + "/").json()["pid"]
    died = guarded(lambda: embedded.gateway.request("GET", url + "/die"))
    assert died.status == 500 and died.json() == {"message": "Internal Server Error"}
    assert f"Runtime.ExitError: Runtime exited with error: {status}" in repr(died.trace)
    after = embedded.gateway.request("GET", url + "/")
    assert after.status == 200 and after.json()["pid"] != before
    assert not alive(before)


def test_the_notebooks_prints_stay_out_of_a_running_functions_log(
    embedded: gwlab.LabEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
    import os, time
    def handler(event, context):
        print("printed by the function")
        folder = os.environ["MARKS"]
        open(os.path.join(folder, "started"), "w").close()
        for _ in range(1000):
            if os.path.exists(os.path.join(folder, "go")):
                break
            time.sleep(0.01)
        return {"ok": True}
    """
    url = serve(embedded, "slow", source, timeout=30, environment={"MARKS": str(tmp_path)})
    box: list[GatewayResponse] = []
    thread = threading.Thread(target=lambda: box.append(embedded.gateway.request("GET", url)))
    thread.start()
    for _ in range(3000):
        if (tmp_path / "started").exists():
            break
        threading.Event().wait(0.01)
    print("printed by the notebook")
    (tmp_path / "go").touch()
    thread.join(HANG_GUARD)
    assert not thread.is_alive()
    log = box[0].trace.hops[-2].detail
    assert "printed by the function" in log and "printed by the notebook" not in log
    assert "printed by the notebook" in capsys.readouterr().out


def test_a_busy_loop_is_stopped_at_its_timeout(embedded: gwlab.LabEnv) -> None:
    source = """
    import os
    def handler(event, context):
        if event["rawPath"] == "/spin":
            print("spinning in", os.getpid(), flush=True)
            while True:
                pass
        return {"pid": os.getpid()}
    """
    url = serve(embedded, "spins", source, timeout=1)
    spun = guarded(lambda: embedded.gateway.request("GET", url + "/spin"))
    assert spun.status == 500
    assert "Task timed out: after 1.00 seconds" in repr(spun.trace)
    spinner = int(spun.trace.hops[-2].detail.split("spinning in")[1].split()[0])
    assert not alive(spinner)
    assert embedded.gateway.request("GET", url + "/").status == 200


def test_queued_requests_do_not_count_their_wait_against_the_timeout(
    embedded: gwlab.LabEnv,
) -> None:
    """Five concurrent requests to a 1 s function with Timeout 3: each gets its 3 s."""
    source = """
    import time
    def handler(event, context):
        time.sleep(1)
        return {"left": context.get_remaining_time_in_millis()}
    """
    url = serve(embedded, "sleepy", source, timeout=3)
    embedded.gateway.request("GET", url)  # started: the rest is queueing alone
    responses: list[GatewayResponse] = []
    threads = [
        threading.Thread(target=lambda: responses.append(embedded.gateway.request("GET", url)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    assert [r.status for r in responses] == [200] * 5, [repr(r.trace) for r in responses]
    assert all(r.json()["left"] > 1000 for r in responses)


def test_a_ten_megabyte_exception_message_is_cut_not_chewed(embedded: gwlab.LabEnv) -> None:
    source = """
    def handler(event, context):
        raise ValueError("x" * 10_000_000 + " the end")
    """
    url = serve(embedded, "huge-error", source)
    response = guarded(lambda: embedded.gateway.request("GET", url))
    assert response.status == 500
    text = repr(response.trace)
    assert "ValueError: xxxx" in text and 'File "/var/task/app.py", line 3' in text
    assert "characters not shown" in text and len(text) < 4 * LOG_LIMIT
    assert FOLDER_PREFIX not in text


def test_a_function_printing_fifty_megabytes_keeps_a_bounded_log(embedded: gwlab.LabEnv) -> None:
    source = """
    import os
    def handler(event, context):
        line = "p" * 1_000_000
        for _ in range(50):
            print(line)
        os.write(1, b"w" * 3_000_000)
        return {"statusCode": 200, "body": "done"}
    """
    url = serve(embedded, "chatty", source, timeout=60)
    response = guarded(lambda: embedded.gateway.request("GET", url))
    assert (response.status, response.text) == (200, "done")
    log = response.trace.hops[-2].detail
    written = 50 * 1_000_001 + 3_000_000
    assert log.startswith("p" * 1000)
    assert log.endswith(f"\n… log truncated: {written - LOG_LIMIT} bytes not shown\n")
    assert len(log) < LOG_LIMIT + 100


def test_a_response_over_lambdas_six_megabytes_is_an_error(embedded: gwlab.LabEnv) -> None:
    source = f"""
    def handler(event, context):
        size = {PAYLOAD_LIMIT} - 2  # a JSON string: the payload adds two quotes
        return "x" * (size + (1 if event["rawPath"] == "/over" else 0))
    """
    url = serve(embedded, "big", source, timeout=60)
    at_limit = guarded(lambda: embedded.gateway.request("GET", url + "/at"))
    assert at_limit.status == 200 and len(at_limit.body) == PAYLOAD_LIMIT  # the JSON text
    over = guarded(lambda: embedded.gateway.request("GET", url + "/over"))
    assert over.status == 500
    assert (
        "Function.ResponseSizeTooLarge: Response payload size exceeded maximum allowed payload "
        f"size ({PAYLOAD_LIMIT} bytes)."
    ) in repr(over.trace)


def test_a_worker_stays_warm_until_its_code_or_configuration_changes(
    embedded: gwlab.LabEnv,
) -> None:
    url = serve(embedded, "warm", PID)
    first = embedded.gateway.request("GET", url).json()["pid"]
    assert embedded.gateway.request("GET", url).json()["pid"] == first
    embedded.client("lambda").update_function_configuration(
        FunctionName="warm", Environment={"Variables": {"A": "1"}}
    )
    second = embedded.gateway.request("GET", url).json()["pid"]
    assert second != first
    deploy_function(embedded, "warm", PID + "\n# a new version\n", environment={"A": "1"})
    third = embedded.gateway.request("GET", url).json()["pid"]
    assert third not in {first, second}
    assert not alive(first) and not alive(second)


def test_an_import_error_shows_the_learners_traceback_under_var_task(
    embedded: gwlab.LabEnv,
) -> None:
    source = {
        "app.py": "import helper\ndef handler(event, context):\n    return 1\n",
        "helper.py": "print('loading helper')\nraise RuntimeError('no config')\n",
    }
    arn = deploy_function(embedded, "broken", source)["FunctionArn"]
    api = embedded.client("apigatewayv2").create_api(Name="b", ProtocolType="HTTP", Target=arn)
    url = f"https://{api['ApiId']}.execute-api.{embedded.region}.amazonaws.com/"
    for _ in range(2):  # init is tried again on the next request, as Lambda does
        text = repr(embedded.gateway.request("GET", url).trace)
        assert "Runtime.ImportModuleError: Unable to import module 'app': no config" in text, text
        assert 'File "/var/task/helper.py", line 2, in <module>' in text
        assert "loading helper" in text and FOLDER_PREFIX not in text


def test_a_functions_boto3_reaches_the_emulator_and_never_aws(env: gwlab.LabEnv) -> None:
    source = """
    import boto3
    def handler(event, context):
        client = boto3.client("apigatewayv2")
        return sorted(api["Name"] for api in client.get_apis()["Items"])
    """
    url = serve(env, "reaches", source, timeout=60)
    response = guarded(lambda: env.gateway.request("GET", url))
    if env.backend == "server":
        assert response.json() == ["reaches"]
    else:  # moto lives only in the kernel: the call is refused on loopback at once
        assert response.status == 500
        text = repr(response.trace)
        assert "EndpointConnectionError" in text and "http://127.0.0.1:" in text


def test_close_stops_every_worker_and_the_spare(embedded: gwlab.LabEnv) -> None:
    for name in ("one", "two"):
        assert embedded.gateway.request("GET", serve(embedded, name, PID)).status == 200
    processes = embedded.gateway._runtime.worker_processes()
    assert len(processes) == 3  # two workers and the spare
    embedded.close()
    for process in processes:
        assert process.returncode is not None  # ended and reaped
        assert not alive(process.pid)


KERNEL = """
import os, sys
import gwlab
from gwlab.functions import deploy_function

env = gwlab.start()
arn = deploy_function(env, "f", "def handler(event, context):\\n    return 1\\n")["FunctionArn"]
api = env.client("apigatewayv2").create_api(Name="f", ProtocolType="HTTP", Target=arn)
url = f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/"
assert env.gateway.request("GET", url).status == 200
runtime = env.gateway._runtime
if sys.argv[1] == "busy":  # a worker in the middle of a request when the kernel dies
    import threading, time
    spin = "def handler(event, context):\\n    while True:\\n        pass\\n"
    arn = deploy_function(env, "spin", spin)["FunctionArn"]
    env.client("lambda").update_function_configuration(FunctionName="spin", Timeout=300)
    api = env.client("apigatewayv2").create_api(Name="s", ProtocolType="HTTP", Target=arn)
    url = f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/"
    threading.Thread(target=env.gateway.request, args=("GET", url), daemon=True).start()
    time.sleep(1)
print(json.dumps({"root": str(runtime._root),
                  "pids": [p.pid for p in runtime.worker_processes()]}), flush=True)
if sys.argv[1] in {"os._exit", "busy"}:
    os._exit(0)
"""


def run_kernel(tmp_path: Path, how: str) -> dict[str, Any]:
    """A kernel that runs a function and exits without ``close()``; what it left."""
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + KERNEL, how],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def gone_soon(pids: list[int]) -> bool:
    for _ in range(300):
        if not any(alive(pid) for pid in pids):
            return True
        threading.Event().wait(0.1)
    return False


@pytest.mark.parametrize("how", ["os._exit", "normal exit", "busy"])
def test_a_kernel_that_exits_without_close_leaves_no_folder_or_worker(
    tmp_path: Path, how: str
) -> None:
    left = run_kernel(tmp_path, how)
    root = Path(left["root"])
    assert root.parent == tmp_path and root.name.startswith(f"{FOLDER_PREFIX}")
    # The workers see end of file on their request pipe; a busy one, its watchdog ends it.
    assert len(left["pids"]) == (3 if how == "busy" else 2) and gone_soon(left["pids"])
    if how == "normal exit":
        assert not root.exists()  # removed at exit
        return
    assert root.exists()  # os._exit runs no clean-up: the next runtime sweeps it away
    mine = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-kept"
    mine.mkdir()
    sweep = "from gwlab.gateway.runtime import FunctionRuntime\nFunctionRuntime().close()\n"
    subprocess.run(
        [sys.executable, "-c", sweep],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        timeout=120,
        check=True,
    )
    assert not root.exists() and mine.exists()  # a live owner's folder is kept


def test_over_http_an_exiting_handler_is_a_500_not_a_dropped_connection(
    embedded: gwlab.LabEnv,
) -> None:
    import urllib.error
    import urllib.request

    url = serve(embedded, "exit-http", "import sys\ndef handler(event, context):\n    sys.exit()\n")
    host = url.removeprefix("https://")
    request = urllib.request.Request(embedded.gateway.url + "/", headers={"Host": host})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=HANG_GUARD)
    with raised.value as answer:
        assert answer.code == 500
        assert json.loads(answer.read()) == {"message": "Internal Server Error"}
