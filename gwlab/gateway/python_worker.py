"""The Python side of a function worker: one Lambda execution environment.

The parent (:mod:`gwlab.gateway.workers`) starts this file as a script in a
fresh interpreter (``python -I python_worker.py PARENT_PID REQUEST_FD
RESPONSE_FD``), so it uses the standard library only and imports nothing of
gwlab's. It waits for an ``init`` message naming the function's unpacked code
folder and handler, loads the handler the way Lambda's Python runtime does
(the folder first on ``sys.path``, the module under its own name), answers
``ready`` and then runs one ``invoke`` at a time until its request pipe is
closed. The protocol is described in :mod:`gwlab.gateway.workers`.

The function's printed output is its log: ``sys.stdout`` and ``sys.stderr``
are replaced for the life of the process by a writer that passes at most the
log limit per invocation on to the output pipe (file descriptors 1 and 2,
which the parent drains) and counts the rest. Whatever a handler raises —
``SystemExit`` and ``KeyboardInterrupt`` included — is reported to the
parent, never fatal to it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO

#: Where Lambda unpacks a function's code; tracebacks show paths under it.
TASK_ROOT = "/var/task"
#: How often the watchdog checks that the parent is still alive (seconds).
_WATCH_INTERVAL = 0.5


class LogWriter:
    """``sys.stdout`` / ``sys.stderr`` of the function: bounded, line by line, to a pipe."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, fd: int, log: LogBudget) -> None:
        self._fd = fd
        self._log = log
        self._pending: list[str] = []
        self._size = 0
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        """Keep ``text``; pass complete lines (or a full buffer) on to the pipe."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            self._pending.append(text)
            self._size += len(text)
            if "\n" in text or self._size >= 8192:
                self._flush_locked()
        return len(text)

    def flush(self) -> None:
        """Pass everything written so far on to the pipe."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._pending:
            return
        data = "".join(self._pending).encode("utf-8", "replace")
        self._pending.clear()
        self._size = 0
        data = self._log.take(data)
        while data:
            try:
                written = os.write(self._fd, data)
            except OSError:
                return  # the parent stopped reading: it is gone or killing us
            data = data[written:]

    def writelines(self, lines: list[str]) -> None:
        """Write each of ``lines``."""
        for line in lines:
            self.write(line)

    def fileno(self) -> int:
        """The pipe itself (what is written there directly lands in the log too)."""
        return self._fd

    def isatty(self) -> bool:
        """Never a terminal."""
        return False

    def writable(self) -> bool:
        """Always writable."""
        return True

    def readable(self) -> bool:
        """Never readable."""
        return False

    @property
    def closed(self) -> bool:
        """Never closed."""
        return False


class LogBudget:
    """How many bytes of log one invocation may still write; the rest is counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        self.dropped = 0
        self._lock = threading.Lock()

    def reset(self) -> int:
        """Start a new invocation's budget; return what the last one dropped."""
        with self._lock:
            dropped, self.dropped, self.left = self.dropped, 0, self.limit
            return dropped

    def collect(self) -> int:
        """How many bytes were cut since the last call."""
        with self._lock:
            dropped, self.dropped = self.dropped, 0
            return dropped

    def take(self, data: bytes) -> bytes:
        """The part of ``data`` that fits in what is left."""
        with self._lock:
            if len(data) <= self.left:
                self.left -= len(data)
                return data
            kept, self.left = data[: self.left], 0
            self.dropped += len(data) - len(kept)
            return kept


class LambdaContext:
    """The ``context`` argument of a Python handler (the attributes AWS documents)."""

    def __init__(self, function: dict[str, Any], request_id: str, deadline_ms: int) -> None:
        self.function_name: str = function["name"]
        self.function_version: str = function["version"]
        self.invoked_function_arn: str = function["arn"]
        self.memory_limit_in_mb: int = int(function["memoryMb"])
        self.log_group_name: str = function["logGroup"]
        self.log_stream_name = f"gwlab/[$LATEST]{request_id}"
        self.aws_request_id = request_id
        self.identity: Any = None
        self.client_context: Any = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return max(0, int(self._deadline_ms - time.time() * 1000))


class InitError(Exception):
    """The handler could not be loaded; carries Lambda's error type."""

    def __init__(self, kind: str, message: str, trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.trace = trace or []


class Worker:
    """One function's process: loads its handler, then answers invocations."""

    def __init__(self, requests: BinaryIO, responses: int) -> None:
        self._requests = requests
        self._responses = responses
        self.log = LogBudget(0)
        self._task_root = TASK_ROOT
        self._text_limit = 0
        self._payload_limit = 0
        self._function: dict[str, Any] = {}
        self._handler: Callable[[Any, Any], Any] | None = None
        #: The log writers installed as ``sys.stdout`` and ``sys.stderr``.
        self.writers: tuple[LogWriter, ...] = ()

    def serve(self) -> None:
        """Answer messages until the request pipe is closed."""
        while True:
            line = self._requests.readline()
            if not line:
                return
            message = json.loads(line)
            kind = message.get("type")
            if kind == "init":
                self._init(message)
            elif kind == "invoke":
                self._invoke(message)
            elif kind == "stop":
                return

    # --- init -------------------------------------------------------------------------------

    def _init(self, message: dict[str, Any]) -> None:
        self._task_root = message["taskRoot"]
        self._function = message["function"]
        self._text_limit = int(message["logLimit"])
        self._payload_limit = int(message["payloadLimit"])
        self.log.limit = self._text_limit
        self.log.reset()
        os.environ.clear()
        os.environ.update(message["environment"])
        if hasattr(time, "tzset"):
            time.tzset()
        os.chdir(self._task_root)
        sys.path.insert(0, self._task_root)
        try:
            self._handler = self._load(message["handler"])
        except InitError as error:
            self._send_error("initError", None, error.kind, error.message, error.trace)
            os._exit(1)
        except BaseException as error:  # SystemExit at import time
            kind, text = _exit_error(error)
            self._send_error("initError", None, kind, text, self._traceback(error))
            os._exit(1)
        self._send({"type": "ready", "dropped": self._flushed_dropped()})

    def _load(self, handler: str) -> Callable[[Any, Any], Any]:
        module_name, _, attribute = handler.rpartition(".")
        relative = os.path.join(self._task_root, *module_name.split("."))
        if not (
            os.path.isfile(relative + ".py")
            or os.path.isfile(os.path.join(relative, "__init__.py"))
        ):
            raise InitError(
                "Runtime.ImportModuleError",
                f"Unable to import module '{module_name}': No module named '{module_name}'",
            )
        try:
            module = importlib.import_module(module_name)
        except Exception as failure:
            raise InitError(
                "Runtime.ImportModuleError",
                self._bounded(f"Unable to import module '{module_name}': {failure}"),
                self._traceback(failure),
            ) from None
        function = getattr(module, attribute, None)
        if not callable(function):
            raise InitError(
                "Runtime.HandlerNotFound",
                f"Handler '{attribute}' missing on module '{module_name}'",
            )
        return function  # type: ignore[no-any-return]

    # --- invoke -----------------------------------------------------------------------------

    def _invoke(self, message: dict[str, Any]) -> None:
        number = message["id"]
        context = LambdaContext(self._function, message["requestId"], message["deadlineMs"])
        self.log.reset()
        assert self._handler is not None
        try:
            result = self._handler(message["event"], context)
        except Exception as failure:
            kind, text = type(failure).__name__, self._bounded(str(failure))
            self._send_error("error", number, kind, text, self._traceback(failure))
            return
        except BaseException as failure:  # reported, as Lambda's runtime does
            kind, text = _exit_error(failure)
            self._send_error("error", number, kind, text, self._traceback(failure), fatal=True)
            os._exit(_exit_status(failure))
        try:
            output = json.dumps(result)
        except (TypeError, ValueError) as error:
            message_text = self._bounded(f"Unable to marshal response: {error}")
            self._send_error("error", number, "Runtime.MarshalError", message_text, [])
            return
        if len(output) > self._payload_limit:
            self._send_error(
                "error",
                number,
                "Function.ResponseSizeTooLarge",
                "Response payload size exceeded maximum allowed payload size "
                f"({self._payload_limit} bytes).",
                [],
            )
            return
        dropped = self._flushed_dropped()
        self._write(f'{{"type":"result","id":{number},"dropped":{dropped},"output":{output}}}\n')

    # --- replies ----------------------------------------------------------------------------

    def _send_error(
        self,
        kind: str,
        number: int | None,
        error_type: str,
        message: str,
        trace: list[str],
        *,
        fatal: bool = False,
    ) -> None:
        reply: dict[str, Any] = {
            "type": kind,
            "errorType": error_type,
            "errorMessage": message,
            "stackTrace": trace,
            "dropped": self._flushed_dropped(),
        }
        if number is not None:
            reply["id"] = number
        if fatal:
            reply["fatal"] = True
        self._send(reply)

    def _send(self, reply: dict[str, Any]) -> None:
        self._write(json.dumps(reply) + "\n")

    def _write(self, line: str) -> None:
        data = line.encode("utf-8")
        while data:
            data = data[os.write(self._responses, data) :]

    def _flushed_dropped(self) -> int:
        """Flush the log writers (their lines reach the pipe first), then count what was cut."""
        for writer in self.writers:
            writer.flush()
        for stream in (sys.stdout, sys.stderr):
            if stream not in self.writers:
                with contextlib.suppress(Exception):  # a learner's own stream
                    stream.flush()
        return self.log.collect()

    # --- texts ------------------------------------------------------------------------------

    def _traceback(self, error: BaseException) -> list[str]:
        """The learner's frames of ``error``'s traceback, paths as under Lambda."""
        folder = os.path.join(self._task_root, "")
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.startswith(folder)
        ]
        lines = [
            "Traceback (most recent call last):\n",
            *traceback.format_list(frames),
            *traceback.format_exception_only(type(error), error),
        ]
        text = self._bounded("".join(lines))
        return text.splitlines(keepends=True)

    def _bounded(self, text: str) -> str:
        """``text`` with the code folder shown as ``/var/task``, cut at the log limit."""
        text = text.replace(self._task_root, TASK_ROOT)
        if len(text) <= self._text_limit:
            return text
        cut = len(text) - self._text_limit
        return f"{text[: self._text_limit]}\n… truncated: {cut} characters not shown\n"


def _exit_status(error: BaseException) -> int:
    """The status a handler's ``sys.exit(code)`` (or an interrupt: 1) ends the runtime with."""
    if not isinstance(error, SystemExit):
        return 1
    code = error.code
    return 0 if code is None else code if isinstance(code, int) else 1


def _exit_error(error: BaseException) -> tuple[str, str]:
    """Lambda's error for a handler that ended its runtime (``sys.exit``, interrupts)."""
    return "Runtime.ExitError", f"Runtime exited with error: exit status {_exit_status(error)}"


def _watch(parent: int) -> None:
    """Exit when the parent is gone (the request pipe's end-of-file covers an idle worker)."""
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent:
            os._exit(1)


def main(argv: list[str]) -> None:
    """Serve the parent whose pid and pipe descriptors are on the command line."""
    parent, request_fd, response_fd = (int(value) for value in argv[1:4])
    if os.getppid() != parent:
        os._exit(1)
    # A program the handler starts must not hold the protocol's pipes open.
    os.set_inheritable(request_fd, False)
    os.set_inheritable(response_fd, False)
    threading.Thread(target=_watch, args=(parent,), name="gwlab-watchdog", daemon=True).start()
    for original in (sys.__stdout__, sys.__stderr__):  # kept by code that saved them
        if original is not None:
            with contextlib.suppress(Exception):
                original.reconfigure(write_through=True)
    worker = Worker(os.fdopen(request_fd, "rb"), response_fd)
    worker.writers = (LogWriter(1, worker.log), LogWriter(2, worker.log))
    sys.stdout, sys.stderr = worker.writers
    worker.serve()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
