"""Run Python Lambda functions in-process, from the zip stored in the embedded AWS.

A learner writes a handler, zips it and calls ``lambda.create_function`` with
plain boto3 (moto stores the zip; it cannot run it without Docker). The
gateway then runs it here: the zip is unpacked once per code version, the
handler module is loaded under a name of its own (so a learner's ``app.py``
never collides with another version, another function or gwlab's modules),
and each call gets a Lambda-like ``context``, the function's environment
variables, and its printed output captured as the function's log. Anything
that goes wrong in the learner's code is returned as an error with its
traceback — it never escapes into the gateway.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
import types
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import LambdaFunction, lambda_backends

Handler = Callable[[Any, Any], Any]

# The learner's code swaps process-wide state (os.environ, sys.stdout), so
# functions run one at a time — as one Lambda execution environment would.
_invoke_lock = threading.Lock()
_import_lock = threading.Lock()


class FunctionError(Exception):
    """The function could not be found, loaded or run; ``str()`` says why."""

    def __init__(self, kind: str, message: str, details: str = "") -> None:
        super().__init__(f"{kind}: {message}")
        self.details = details


@dataclass(frozen=True)
class LambdaContext:
    """The ``context`` argument of a Python handler (the attributes AWS documents)."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline_epoch: float

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return max(0, int((self.deadline_epoch - time.time()) * 1000))


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


class FunctionRuntime:
    """Loads and runs Python handlers; one per gateway, cleaned up by :meth:`close`."""

    def __init__(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="gwlab-functions-"))
        self._handlers: dict[tuple[str, str], Handler] = {}

    def close(self) -> None:
        """Forget loaded handlers and delete the unpacked code."""
        self._handlers.clear()
        shutil.rmtree(self._root, ignore_errors=True)

    def invoke(
        self, function: LambdaFunction, event: dict[str, Any], request_id: str
    ) -> Invocation:
        """Call ``function`` with ``event`` (a JSON round trip each way, as in Lambda)."""
        started = time.perf_counter()
        logs = io.StringIO()
        output: Any = None
        error: FunctionError | None = None
        try:
            handler = self._handler(function)
            payload = json.loads(json.dumps(event))
            context = _context(function, request_id)
            with _invoke_lock, _function_environment(function), _captured(logs):
                result = handler(payload, context)
            output = _marshal(result)
        except FunctionError as failure:
            error = failure
        except Exception as failure:
            error = FunctionError(type(failure).__name__, str(failure), _learner_traceback())
        duration = (time.perf_counter() - started) * 1000
        if error is None and duration > function.timeout * 1000:
            error = FunctionError(
                "Task timed out", f"after {function.timeout:.2f} seconds ({duration:.0f} ms)"
            )
        if error is not None:
            output = None
        return Invocation(output, error, logs.getvalue(), duration)

    def _handler(self, function: LambdaFunction) -> Handler:
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
        key = (function.function_arn, digest or hashlib.sha256(code).hexdigest())
        handler = self._handlers.get(key)
        if handler is None:
            handler = self._load(function, code, key[1])
            self._handlers[key] = handler
        return handler

    def _load(self, function: LambdaFunction, code: bytes, digest: str) -> Handler:
        module_name, _, attribute = (function.handler or "").rpartition(".")
        if not module_name or not attribute:
            raise FunctionError(
                "Runtime.MalformedHandlerName",
                f"handler {function.handler!r} must look like 'module.function'",
            )
        folder = self._root / digest[:16]
        if not folder.exists():
            try:
                with zipfile.ZipFile(io.BytesIO(code)) as archive:
                    archive.extractall(folder)
            except zipfile.BadZipFile:
                raise FunctionError(
                    "Runtime.InvalidZip", "the function code is not a zip"
                ) from None
        relative = module_name.replace(".", "/")
        source = folder / f"{relative}.py"
        if not source.exists():
            source = folder / relative / "__init__.py"
        if not source.exists():
            raise FunctionError(
                "Runtime.ImportModuleError",
                f"Unable to import module '{module_name}': No module named '{module_name}'",
            )
        unique = f"gwlab_function_{digest[:12]}_{module_name.replace('.', '_')}"
        try:
            module = _import_isolated(unique, source, folder)
        except Exception as failure:
            raise FunctionError(
                "Runtime.ImportModuleError",
                f"Unable to import module '{module_name}': {failure}",
                _learner_traceback(),
            ) from None
        handler = getattr(module, attribute, None)
        if not callable(handler):
            raise FunctionError(
                "Runtime.HandlerNotFound",
                f"Handler '{attribute}' missing on module '{module_name}'",
            )
        return handler  # type: ignore[no-any-return]


def _import_isolated(name: str, source: Path, folder: Path) -> types.ModuleType:
    """Import ``source`` as module ``name``; sibling modules it imports stay private to it."""
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with _import_lock:
        before = set(sys.modules)
        sys.path.insert(0, str(folder))
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(str(folder))
            for added in set(sys.modules) - before:
                origin = getattr(sys.modules[added], "__file__", None) or ""
                if origin.startswith(str(folder)):
                    del sys.modules[added]
    return module


def _context(function: LambdaFunction, request_id: str) -> LambdaContext:
    return LambdaContext(
        function_name=function.function_name,
        function_version=str(function.version) if function.version != 1 else "$LATEST",
        invoked_function_arn=function.function_arn,
        memory_limit_in_mb=int(function.memory_size),
        aws_request_id=request_id,
        log_group_name=f"/aws/lambda/{function.function_name}",
        log_stream_name=f"gwlab/[$LATEST]{request_id}",
        deadline_epoch=time.time() + float(function.timeout),
    )


def _lambda_variables(function: LambdaFunction) -> Mapping[str, str]:
    return {
        "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_REGION": function.region,
        **{str(k): str(v) for k, v in (function.environment_vars or {}).items()},
    }


@contextlib.contextmanager
def _function_environment(function: LambdaFunction) -> Iterator[None]:
    """The function's environment variables, set for the call and then put back."""
    variables = _lambda_variables(function)
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _captured(log: io.StringIO) -> Iterator[None]:
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        yield


def _marshal(result: Any) -> Any:
    """What Lambda hands back: the result serialized to JSON and read again."""
    try:
        return json.loads(json.dumps(result))
    except (TypeError, ValueError) as error:
        raise FunctionError(
            "Runtime.MarshalError", f"Unable to marshal response: {error}"
        ) from None


#: Where Lambda unpacks a function's code; tracebacks show paths under it.
TASK_ROOT = "/var/task"
_UNPACKED = re.compile(r"[^\s\"']*gwlab-functions-[^/\\]+[/\\][0-9a-f]{16}")


def _learner_traceback() -> str:
    """The current exception's traceback: the learner's frames, paths as under Lambda."""
    kind, value, tb = sys.exc_info()
    frames = [frame for frame in traceback.extract_tb(tb) if "gwlab-functions-" in frame.filename]
    lines = traceback.format_list(frames) + traceback.format_exception_only(kind, value)
    return _UNPACKED.sub(TASK_ROOT, "Traceback (most recent call last):\n" + "".join(lines))
