"""Run Python Lambda functions from the zip stored in the emulated AWS, each in its own process.

A learner writes a handler, zips it and calls ``lambda.create_function`` with
plain boto3 (moto stores the zip; it cannot run it without Docker). The
gateway then runs it here: the zip is unpacked once per code version into a
folder of this runtime's own, and the function runs in a warm worker process
of its own (:mod:`gwlab.gateway.workers`), as in a Lambda execution
environment: with only its environment variables (fake credentials; in server
mode the emulator's endpoint), its code folder as working directory, a
Lambda-like ``context``, its printed output captured as its log and its
timeout enforced by stopping the worker. Nothing the learner's code does —
change ``os.environ``, call ``sys.exit()``, loop forever — reaches the kernel;
it comes back as an error with its traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import json
import os
import shutil
import socket
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import LambdaFunction, lambda_backends

from gwlab.backends.sandbox import sandbox_variables
from gwlab.gateway.workers import Reply, WorkerPool, WorkerSpec

#: The log kept per invocation, in bytes; the rest is counted and said to be cut. 256 KB is
#: CloudWatch Logs' classic maximum for one log event, far more than any lesson prints, and
#: small enough for a notebook to show a trace that holds it.
LOG_LIMIT = 256 * 1024
#: Lambda's limit for a synchronous invocation's response payload, in bytes (6 MB).
PAYLOAD_LIMIT = 6_291_556
#: A session token to go with the sandbox's fake keys (Lambda gives functions one).
FAKE_SESSION_TOKEN = "gwlab-fake-session-token"
#: Prefix of the folders runtimes unpack code into: ``gwlab-functions-<pid>-<random>``.
FOLDER_PREFIX = "gwlab-functions-"

#: Variables Lambda sets itself; a function's own variables never replace them, and
#: none that would point boto3 somewhere else is passed on.
_RESERVED_PREFIXES = ("AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_PROFILE")


class FunctionError(Exception):
    """The function could not be found, loaded or run; ``str()`` says why."""

    def __init__(self, kind: str, message: str, details: str = "") -> None:
        super().__init__(f"{kind}: {message}")
        self.details = details


@dataclass(frozen=True)
class Invocation:
    """The outcome of one call: the output, or the error; and what the function printed."""

    output: Any
    error: FunctionError | None
    logs: str
    duration_ms: float


def find_function(arn: str, account_id: str) -> LambdaFunction:
    """The function an integration names (a Lambda ARN, possibly with a qualifier)."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "lambda":
        raise FunctionError("InvalidIntegration", f"{arn} is not a Lambda function ARN")
    region = parts[3]
    try:
        return lambda_backends[parts[4] or account_id][region].get_function(arn)
    except UnknownFunctionException:
        raise FunctionError("ResourceNotFoundException", f"Function not found: {arn}") from None


#: Runtimes not closed yet (closed at interpreter exit at the latest).
_live: set[FunctionRuntime] = set()


@atexit.register
def _close_all() -> None:
    """At interpreter exit, stop the workers and delete the code of every open runtime."""
    for runtime in list(_live):
        runtime.close()


class FunctionRuntime:
    """Runs Python handlers in worker processes; one per gateway, ended by :meth:`close`.

    ``endpoint_url`` is where the functions' boto3 calls go (the moto server in
    server mode). Without one (embedded mode, where moto lives only in the
    kernel), they go to a loopback port this runtime holds without listening,
    so a function's AWS call fails at once with a connection error and never
    reaches AWS.
    """

    def __init__(self, endpoint_url: str | None = None) -> None:
        _sweep_abandoned(Path(tempfile.gettempdir()))
        self._root = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self._refusing: socket.socket | None = None
        if endpoint_url is None:
            self._refusing = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._refusing.bind(("127.0.0.1", 0))
            endpoint_url = f"http://127.0.0.1:{self._refusing.getsockname()[1]}"
        self.endpoint_url = endpoint_url
        self._folders: dict[str, Path] = {}
        self._specs: dict[tuple[Any, ...], WorkerSpec] = {}
        self._base = _base_environment()
        self._closed = False
        self._workers = WorkerPool(str(self._root), self._base, LOG_LIMIT)
        _live.add(self)

    def close(self) -> None:
        """Stop every worker (and the spare), delete the unpacked code."""
        if self._closed:
            return
        self._closed = True
        _live.discard(self)
        self._workers.close()
        self._specs.clear()
        self._folders.clear()
        if self._refusing is not None:
            self._refusing.close()
        shutil.rmtree(self._root, ignore_errors=True)

    def invoke(
        self, function: LambdaFunction, event: dict[str, Any], request_id: str
    ) -> Invocation:
        """Call ``function`` with ``event`` (a JSON round trip each way, as in Lambda)."""
        try:
            spec = self._spec(function)
        except FunctionError as error:
            return Invocation(None, error, "", 0.0)
        reply = self._workers.invoke(function.function_arn, spec, request_id, json.dumps(event))
        return _invocation(reply)

    def worker_processes(self) -> list[Any]:
        """The ``Popen`` objects of the workers now started (for tests)."""
        return self._workers.processes()

    # --- what a worker runs -----------------------------------------------------------------

    def _spec(self, function: LambdaFunction) -> WorkerSpec:
        runtime = function.run_time or ""
        if not runtime.startswith("python3"):
            raise FunctionError(
                "Runtime.Unsupported",
                f"the local gateway runs python3.x functions, not {runtime or 'container images'}",
            )
        code = function.code_bytes
        # moto's hex sha256 of the zip, kept with the bytes on create and on every code
        # update; missing (or stale) only when S3 code could not be read and no bytes were kept.
        digest = getattr(function, "code_digest", "") if code else ""
        digest = digest or hashlib.sha256(code).hexdigest()
        variables = tuple((str(k), str(v)) for k, v in (function.environment_vars or {}).items())
        signature = (
            function.function_arn,
            digest,
            function.handler,
            runtime,
            function.timeout,
            function.memory_size,
            function.region,
            variables,
        )
        spec = self._specs.get(signature)
        if spec is None:
            spec = self._specs[signature] = self._new_spec(function, code, digest, variables)
        return spec

    def _new_spec(
        self,
        function: LambdaFunction,
        code: bytes,
        digest: str,
        variables: tuple[tuple[str, str], ...],
    ) -> WorkerSpec:
        module_name, _, attribute = (function.handler or "").rpartition(".")
        if not module_name or not attribute:
            raise FunctionError(
                "Runtime.MalformedHandlerName",
                f"handler {function.handler!r} must look like 'module.function'",
            )
        folder = self._unpack(code, digest)
        name = function.function_name
        context = {
            "name": name,
            "version": str(function.version) if function.version != 1 else "$LATEST",
            "arn": function.function_arn,
            "memoryMb": int(function.memory_size),
            "logGroup": f"/aws/lambda/{name}",
        }
        lambda_variables = {
            "LAMBDA_TASK_ROOT": str(folder),
            "_HANDLER": str(function.handler),
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time}",
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            # the kernel's own sandbox: fake keys, no config files, region, endpoint
            **sandbox_variables(function.region, self.endpoint_url),
            "AWS_SESSION_TOKEN": FAKE_SESSION_TOKEN,
            # moto never throttles; a refused connection (embedded mode) fails at once.
            "AWS_MAX_ATTEMPTS": "1",
        }
        own = {
            key: value
            for key, value in variables
            if key not in lambda_variables and not key.startswith(_RESERVED_PREFIXES)
        }
        environment = {**self._base, **own, **lambda_variables}
        return WorkerSpec(
            task_root=str(folder),
            handler=str(function.handler),
            environment=tuple(environment.items()),
            function=tuple(context.items()),
            timeout=float(function.timeout),
            log_limit=LOG_LIMIT,
            payload_limit=PAYLOAD_LIMIT,
        )

    def _unpack(self, code: bytes, digest: str) -> Path:
        folder = self._folders.get(digest)
        if folder is not None:
            return folder
        folder = self._root / digest[:16]
        if not folder.exists():
            partial = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=self._root))
            try:
                with zipfile.ZipFile(io.BytesIO(code)) as archive:
                    archive.extractall(partial)
            except zipfile.BadZipFile:
                shutil.rmtree(partial, ignore_errors=True)
                raise FunctionError(
                    "Runtime.InvalidZip", "the function code is not a zip"
                ) from None
            try:
                partial.rename(folder)
            except OSError:  # another request unpacked it meanwhile
                shutil.rmtree(partial, ignore_errors=True)
        self._folders[digest] = folder
        return folder


def _invocation(reply: Reply) -> Invocation:
    if reply.error_type is None:
        return Invocation(reply.output, None, reply.log, reply.duration_ms)
    error = FunctionError(reply.error_type, reply.error_message, "".join(reply.stack_trace))
    return Invocation(None, error, reply.log, reply.duration_ms)


def _base_environment() -> dict[str, str]:
    """What every worker starts with: a path to find programs, the locale, Lambda's UTC."""
    variables = {"PATH": os.environ.get("PATH", os.defpath), "TZ": ":UTC"}
    for name in ("LANG", "LC_ALL", "LC_CTYPE"):
        if name in os.environ:
            variables[name] = os.environ[name]
    return variables


def _sweep_abandoned(temp: Path) -> None:
    """Delete the code folders of runtimes whose process is gone (it exited without close)."""
    try:
        entries = list(os.scandir(temp))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        if not entry.name.startswith(FOLDER_PREFIX):
            continue
        owner = entry.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid() or _alive(int(owner)):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False) and (uid is None or info.st_uid == uid):
                shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
