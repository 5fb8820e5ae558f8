"""Function workers: one warm process per function, as Lambda keeps an execution environment.

Each worker is a fresh interpreter (``python -I``, the language's own worker
script) with the function's environment variables only, its unpacked code
folder as working directory and its printed output as its log. Requests to
one function queue on that worker's lock; the timeout clock starts when a
request is handed to the worker, and a worker that runs past it is killed
(with its process group). A worker that dies is replaced on the next request;
one spare interpreter is kept started so that a cold start does not wait for
the interpreter to boot. POSIX only (pipes passed by descriptor, ``poll``).

The protocol (any language's worker can speak it)
-------------------------------------------------

The worker is started as ``WORKER PARENT_PID REQUEST_FD RESPONSE_FD``; its
file descriptors 1 and 2 are one pipe whose bytes are the function's log (the
parent drains it, keeping at most the log limit per invocation). Messages are
one line of JSON each (no newline inside: JSON escapes it), requests on
``REQUEST_FD``, replies on ``RESPONSE_FD``, one request at a time:

- ``{"type": "init", "taskRoot": folder, "handler": "module.function",
  "environment": {...}, "function": {"name", "version", "arn", "memoryMb",
  "logGroup"}, "logLimit": bytes, "payloadLimit": bytes}``, answered by
  ``{"type": "ready", "dropped": n}`` or ``{"type": "initError", "errorType",
  "errorMessage", "stackTrace": [lines], "dropped": n}`` (then the worker exits);
- ``{"type": "invoke", "id": n, "requestId": id, "deadlineMs": epoch ms,
  "event": {...}}``, answered by ``{"type": "result", "id": n, "dropped": n,
  "output": value}`` or ``{"type": "error", "id": n, "errorType",
  "errorMessage", "stackTrace": [lines], "dropped": n, "fatal": true?}``
  (``fatal``: the runtime ends after it, as Lambda's does after ``sys.exit``);
- ``{"type": "stop"}``, or end-of-file on the request pipe: the worker exits.

``dropped`` counts the log bytes the worker cut since its previous reply; the
worker writes its log lines to the pipe before it replies, so the parent has
them once the reply is read. A worker also exits when its parent is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The Python worker's bootstrap script (standard library only).
PYTHON_WORKER = str(Path(__file__).with_name("python_worker.py"))
#: Lambda's limit for its init phase (seconds).
INIT_TIMEOUT = 10.0
#: At most this many warm workers; the one used longest ago is stopped first.
MAX_WORKERS = 16
_CHUNK = 1 << 16
#: Pipes passed by descriptor and ``poll`` on them: POSIX systems.
SUPPORTED = os.name == "posix" and hasattr(select, "poll")


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker runs; a function whose spec changes gets a new worker."""

    task_root: str
    handler: str
    environment: tuple[tuple[str, str], ...]
    function: tuple[tuple[str, Any], ...]
    timeout: float
    log_limit: int
    payload_limit: int


@dataclass(frozen=True)
class Reply:
    """One init or invocation's outcome: the output or the error, and the log."""

    output: Any = None
    error_type: str | None = None
    error_message: str = ""
    stack_trace: tuple[str, ...] = ()
    log: str = ""
    duration_ms: float = 0.0


def _timed_out(process: _Process, message: str, duration: float) -> Reply:
    """Stop ``process``, which ran past its deadline, and say so with what it printed."""
    process.close()
    return Reply(
        error_type="Task timed out",
        error_message=message,
        log=process.log.take(),
        duration_ms=duration,
    )


class _Log:
    """The log pipe's bytes since the last invocation, at most ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data = bytearray()
        self._dropped = 0
        #: Bytes the worker itself cut, not yet reported with a log.
        self.carried = 0

    def drain(self, fd: int, budget: int = 1 << 20) -> bool:
        """Read what the pipe holds (at most ``budget`` bytes); ``False`` at end of file."""
        while budget > 0:
            try:
                chunk = os.read(fd, _CHUNK)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            budget -= len(chunk)
            room = self.limit - len(self._data)
            if room > 0:
                self._data += chunk[:room]
            self._dropped += max(0, len(chunk) - max(room, 0))
        return True

    def take(self, dropped_by_worker: int = 0) -> str:
        """The log so far (with a note when it was cut), and start again."""
        text = self._data.decode("utf-8", "replace")
        dropped = self._dropped + self.carried + dropped_by_worker
        self._data = bytearray()
        self._dropped = self.carried = 0
        if dropped:
            if text and not text.endswith("\n"):
                text += "\n"
            text += f"… log truncated: {dropped} bytes not shown\n"
        return text


class _Dead(Exception):
    """The worker process ended (or broke the protocol)."""


class _Process:
    """One started worker interpreter and the parent's ends of its pipes."""

    def __init__(self, environment: Mapping[str, str], cwd: str, log_limit: int) -> None:
        request_read, self._requests = os.pipe()
        self._responses, response_write = os.pipe()
        self._output, output_write = os.pipe()
        command = [
            sys.executable,
            "-I",
            PYTHON_WORKER,
            str(os.getpid()),
            str(request_read),
            str(response_write),
        ]
        try:
            self.popen = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output_write,
                stderr=output_write,
                pass_fds=(request_read, response_write),
                cwd=cwd,
                env=dict(environment),
                start_new_session=True,
            )
        except BaseException:
            for fd in (self._requests, self._responses, self._output):
                os.close(fd)
            raise
        finally:
            for fd in (request_read, response_write, output_write):
                os.close(fd)
        for fd in (self._requests, self._responses, self._output):
            os.set_blocking(fd, False)
        self.log = _Log(log_limit)
        self._poll = select.poll()
        self._poll.register(self._responses, select.POLLIN)
        self._poll.register(self._output, select.POLLIN)
        self._output_open = True
        self._buffer = bytearray()
        self._closed = False
        self._sequence = 0
        self.max_reply = 0

    @property
    def alive(self) -> bool:
        """Whether the process still runs (and this side of it is open)."""
        return not self._closed and self.popen.poll() is None

    def request(self, message: bytes, deadline: float) -> dict[str, Any] | None:
        """Send one message; its reply, or ``None`` at ``deadline`` (monotonic)."""
        pending = memoryview(message)
        writing = False
        try:
            while True:
                if pending:
                    try:
                        pending = pending[os.write(self._requests, pending) :]
                    except BlockingIOError:
                        pass
                    except OSError:
                        raise _Dead from None
                    if pending and not writing:
                        self._poll.register(self._requests, select.POLLOUT)
                        writing = True
                    elif not pending and writing:
                        self._poll.unregister(self._requests)
                        writing = False
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                for fd, _events in self._poll.poll(max(1, int(left * 1000) + 1)):
                    if fd == self._output:
                        self._drain_output()
                    elif fd == self._responses:
                        reply = self._read_reply()
                        if reply is not None:
                            self._drain_output()
                            return reply
        finally:
            if writing:
                self._poll.unregister(self._requests)

    def ask(self, message: bytes, seconds: float) -> tuple[dict[str, Any] | None, float]:
        """Send ``message`` and wait ``seconds`` for the reply; the reply and its milliseconds.

        The reply is ``{"type": "dead"}`` if the worker ended, ``None`` past the deadline.
        """
        started = time.monotonic()
        try:
            reply = self.request(message, started + seconds)
        except _Dead:
            reply = {"type": "dead"}
        return reply, (time.monotonic() - started) * 1000

    def _drain_output(self) -> None:
        if self._output_open and not self.log.drain(self._output):
            self._output_open = False
            self._poll.unregister(self._output)

    def _read_reply(self) -> dict[str, Any] | None:
        try:
            chunk = os.read(self._responses, _CHUNK)
        except BlockingIOError:
            return None
        except OSError:
            raise _Dead from None
        if not chunk:
            raise _Dead
        start = len(self._buffer)
        self._buffer += chunk
        end = self._buffer.find(b"\n", start)
        if end < 0:
            if len(self._buffer) > self.max_reply:
                raise _Dead  # no worker of ours writes that much: the pipe was written to
            return None
        line, self._buffer = bytes(self._buffer[:end]), self._buffer[end + 1 :]
        try:
            reply = json.loads(line)
        except ValueError:
            raise _Dead from None
        if not isinstance(reply, dict):
            raise _Dead
        return reply

    def next_id(self) -> int:
        """A new invocation number."""
        self._sequence += 1
        return self._sequence

    def kill(self) -> None:
        """SIGKILL the worker and whatever it started in its session."""
        if self._closed or self.popen.returncode is not None:
            return  # reaped: its pid may belong to another process by now
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.popen.kill()

    def exit_status(self) -> int:
        """Wait for the process to end (killing it after a grace period); its status."""
        try:
            return self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.popen.wait()

    def close(self) -> None:
        """Kill the process, reap it, and close the pipes."""
        if self._closed:
            return
        self.kill()
        self.popen.wait()
        if self._output_open:
            self.log.drain(self._output)
        self._closed = True
        for fd in (self._requests, self._responses, self._output):
            with contextlib.suppress(OSError):
                os.close(fd)


def _exit_message(status: int) -> str:
    """Lambda's text for a runtime that ended (``exit status 1``, ``signal: killed``)."""
    if status < 0:
        name = signal.strsignal(-status) or f"signal {-status}"
        return f"Runtime exited with error: signal: {name.lower()}"
    return f"Runtime exited with error: exit status {status}"


@dataclass
class _Slot:
    """One function's worker (started on its first request)."""

    spec: WorkerSpec
    lock: threading.Lock = field(default_factory=threading.Lock)
    process: _Process | None = None
    dead: bool = False


class WorkerPool:
    """The warm workers of one runtime, a spare interpreter, and their end."""

    def __init__(self, cwd: str, base_environment: Mapping[str, str], log_limit: int) -> None:
        self._cwd = cwd
        self._base = dict(base_environment)
        self._log_limit = log_limit
        self._lock = threading.Lock()
        self._slots: OrderedDict[str, _Slot] = OrderedDict()
        self._retired: list[_Slot] = []
        self._closed = False
        self._spare: _Process | None = self._spawn() if SUPPORTED else None

    def invoke(self, key: str, spec: WorkerSpec, request_id: str, event: str) -> Reply:
        """Run one invocation of the function ``key`` (its ARN) on its worker."""
        if not SUPPORTED:
            return Reply(
                error_type="Runtime.Unsupported",
                error_message="functions run in worker processes, which need Linux or macOS "
                "(on Windows, use WSL)",
            )
        try:
            while True:
                slot = self._slot(key, spec)
                if slot is None:
                    return Reply(error_type="Runtime.Closed", error_message="the gateway is closed")
                with slot.lock:
                    if slot.dead:
                        continue
                    return self._run(slot, request_id, event)
        finally:
            self._reap()

    def close(self) -> None:
        """Stop every worker and the spare; wait for each to end."""
        with self._lock:
            self._closed = True
            slots = [*self._slots.values(), *self._retired]
            self._slots.clear()
            self._retired.clear()
            spare, self._spare = self._spare, None
        for slot in slots:
            if slot.process is not None:
                slot.process.kill()  # an invocation in flight sees end of file and returns
        for slot in slots:
            with slot.lock:
                slot.dead = True
                if slot.process is not None:
                    slot.process.close()
        if spare is not None:
            spare.close()

    def processes(self) -> list[subprocess.Popen[bytes]]:
        """The worker processes now started (the spare included), for tests."""
        with self._lock:
            found = [s.process for s in (*self._slots.values(), *self._retired) if s.process]
            if self._spare is not None:
                found.append(self._spare)
            return [process.popen for process in found]

    # --- workers ----------------------------------------------------------------------------

    def _slot(self, key: str, spec: WorkerSpec) -> _Slot | None:
        with self._lock:
            if self._closed:
                return None
            slot = self._slots.get(key)
            if slot is not None and slot.spec == spec and not slot.dead:
                self._slots.move_to_end(key)
                return slot
            if slot is not None:
                self._retired.append(slot)
            slot = self._slots[key] = _Slot(spec)
            while len(self._slots) > MAX_WORKERS:
                self._retired.append(self._slots.popitem(last=False)[1])
            return slot

    def _reap(self) -> None:
        if not self._retired:
            return
        with self._lock:
            retired = self._retired
            self._retired = []
        kept = []
        for slot in retired:
            if slot.lock.acquire(blocking=False):
                try:
                    slot.dead = True
                    if slot.process is not None:
                        slot.process.close()
                finally:
                    slot.lock.release()
            else:
                kept.append(slot)
        if kept:
            with self._lock:
                if self._closed:
                    return
                self._retired.extend(kept)

    def _spawn(self) -> _Process:
        return _Process(self._base, self._cwd, self._log_limit)

    def _take_spare(self) -> _Process:
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is None or not spare.alive:
            if spare is not None:
                spare.close()
            spare = self._spawn()
        fresh = self._spawn()
        with self._lock:
            if self._closed or self._spare is not None:
                fresh.close()
            else:
                self._spare = fresh
        return spare

    def _run(self, slot: _Slot, request_id: str, event: str) -> Reply:
        """Start ``slot``'s worker if needed, then invoke it (``slot.lock`` is held)."""
        if slot.process is None:
            failed = self._start(slot)
            if failed is not None:
                return failed
        process = slot.process
        assert process is not None
        spec = slot.spec
        number = process.next_id()
        deadline_ms = int((time.time() + spec.timeout) * 1000)
        message = (
            f'{{"type":"invoke","id":{number},"requestId":{json.dumps(request_id)},'
            f'"deadlineMs":{deadline_ms},"event":{event}}}\n'
        ).encode()
        reply, duration = process.ask(message, spec.timeout)
        if reply is None:
            slot.dead = True
            return _timed_out(process, f"after {spec.timeout:.2f} seconds", duration)
        outcome = self._outcome(process, reply, number, duration)
        if outcome.error_type == "Runtime.ExitError" or not process.alive:
            process.close()
            slot.dead = True
        return outcome

    def _start(self, slot: _Slot) -> Reply | None:
        """Hand ``slot`` a started interpreter and load its handler; a failure's reply."""
        spec = slot.spec
        try:
            process = self._take_spare()
        except OSError as error:  # out of processes or file descriptors
            slot.dead = True
            return Reply(
                error_type="Runtime.ExitError",
                error_message=f"the runtime could not start: {error}",
            )
        process.max_reply = spec.payload_limit + 8 * spec.log_limit + _CHUNK
        message = {
            "type": "init",
            "taskRoot": spec.task_root,
            "handler": spec.handler,
            "environment": dict(spec.environment),
            "function": dict(spec.function),
            "logLimit": spec.log_limit,
            "payloadLimit": spec.payload_limit,
        }
        reply, duration = process.ask((json.dumps(message) + "\n").encode(), INIT_TIMEOUT)
        if reply is not None and reply.get("type") == "ready":
            process.log.carried += int(reply.get("dropped") or 0)
            slot.process = process
            return None
        slot.dead = True
        if reply is None:
            note = f"after {INIT_TIMEOUT:.2f} seconds (the init phase's limit)"
            return _timed_out(process, note, duration)
        outcome = self._outcome(process, reply, None, duration)
        process.close()
        return outcome

    def _outcome(
        self, process: _Process, reply: dict[str, Any], number: int | None, duration: float
    ) -> Reply:
        """The :class:`Reply` for a worker's message (or for its end)."""
        kind = reply.get("type")
        dropped = int(reply.get("dropped") or 0)
        if kind == "result" and reply.get("id") == number:
            return Reply(
                output=reply.get("output"), log=process.log.take(dropped), duration_ms=duration
            )
        if kind in {"error", "initError"} and reply.get("id") == number:
            trace = reply.get("stackTrace") or []
            return Reply(
                error_type=str(reply.get("errorType") or "Runtime.Unknown"),
                error_message=str(reply.get("errorMessage") or ""),
                stack_trace=tuple(str(line) for line in trace),
                log=process.log.take(dropped),
                duration_ms=duration,
            )
        process.kill()
        status = process.exit_status() if kind == "dead" else -signal.SIGKILL
        message = (
            _exit_message(status) if kind == "dead" else "the runtime sent an unreadable reply"
        )
        return Reply(
            error_type="Runtime.ExitError",
            error_message=message,
            log=process.log.take(dropped),
            duration_ms=duration,
        )
