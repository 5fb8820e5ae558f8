"""Each step's last result and each exercise's record, in a JSON-lines file by the notebooks.

The file survives kernel restarts and is what ``lab.results`` reads. It is a log: a
header line, then one line per change (a result, a revealed hint or solution, a lesson
forgotten, an exercise's record), the newest last. Kernels sharing one file (a notebook
per kernel, all in one folder) each append their changes under an advisory lock
(``fcntl.flock`` on a sibling ``.<name>.lock``; without ``fcntl`` appends go unlocked)
after reading the lines the others appended, so nobody writes back a stale copy. When
the log has grown to more than twice what it says, it is rewritten with one line per
step and exercise (atomically: a temporary file renamed over it).

Nothing here raises: a line that cannot be read is skipped and counted, the file as it
was is copied aside (``<name>.unreadable-<time>``) and the readable lines are kept; a
file that cannot be written leaves the change in memory and the call returns one line
saying so. A click stays cheap with a large file: an unchanged file costs a ``stat``, a
changed one is read from where this object stopped, and a change is one appended line.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gwlab._version import __version__
from gwlab.lab.exercise_results import ExerciseRecord
from gwlab.lab.results import ALL_STATUSES, CheckResult, StepResult

fcntl: Any
try:
    fcntl = importlib.import_module("fcntl")
except ImportError:  # Windows: no advisory locks; appends still merge
    fcntl = None

#: Where progress is kept unless ``$GWLAB_PROGRESS`` says otherwise.
DEFAULT_FILE = "gwlab-progress.json"
PROGRESS_ENV_VAR = "GWLAB_PROGRESS"
#: 2: JSON lines (a log). 1 (gwlab before issue 16): one JSON document; still read.
#: Exercise lines (``{"exercise": {"key": "lesson/id", ...}}``, issue 19) are an addition
#: to format 2: a file without them is read as before.
FORMAT_VERSION = 2
#: A log is compacted only past this size (and when over half of it is history).
COMPACT_AT = 1 << 20
#: How long a change waits for another kernel's lock before going on without it.
LOCK_WAIT = 10.0
#: The statuses a stored result may have (a step whose moment has passed is never stored).
STATUSES = frozenset(ALL_STATUSES) - {"past"}

_HEADER = (json.dumps({"format": FORMAT_VERSION, "gwlab": __version__}) + "\n").encode()
#: Lines of a format-1 document that carry no data.
_STRUCTURE = frozenset({b"", b"{", b"}", b"},", b'"results": {'})


def default_path() -> Path:
    """``$GWLAB_PROGRESS``, else ``gwlab-progress.json`` in the working directory."""
    return Path(os.environ.get(PROGRESS_ENV_VAR) or DEFAULT_FILE)


def _open(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open``: every write of this module goes through here (tests make it fail)."""
    return os.open(path, flags, mode)


@dataclass
class Progress:
    """The last result of every step, by ``lesson/step``, backed by a file."""

    path: Path
    results: dict[str, StepResult] = field(default_factory=dict)
    #: ``lesson/step`` -> what was revealed for it (``"hint"``, ``"solution"``).
    revealed: dict[str, list[str]] = field(default_factory=dict)
    #: ``lesson/exercise`` -> that exercise's record (checks, attempts, hints, solution).
    exercises: dict[str, ExerciseRecord] = field(default_factory=dict)
    #: Messages for the learner (e.g. lines of the file set aside), each once.
    notices: list[str] = field(default_factory=list)
    #: Only read the file: never lock, set aside or write it (``gwlab progress export``).
    read_only: bool = False
    #: Lines of the file skipped because they could not be read.
    skipped: int = 0
    #: Why the file could not be read at all ("" when it could, or does not exist).
    unreadable: str = ""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    #: Each result as the file holds it: one line of JSON, by ``lesson/step``.
    _lines: dict[str, bytes] = field(default_factory=dict, repr=False)
    #: Each exercise record as the file holds it, by ``lesson/exercise``.
    _exercise_lines: dict[str, bytes] = field(default_factory=dict, repr=False)
    #: (device, inode, bytes read, mtime) of the file as last read or written.
    _seen: tuple[int, int, int, int] | None = field(default=None, repr=False)
    #: The last bytes before ``_seen``'s offset: a tail is read only if they are unchanged.
    _tail: bytes = field(default=b"", repr=False)
    #: Why the next change must rewrite the file instead of appending ("" if it need not).
    _rewrite: str = field(default="", repr=False)
    #: The size the file would have with one line per step.
    _live: int = field(default=len(_HEADER), repr=False)

    @classmethod
    def load(cls, path: Path | None = None, *, read_only: bool = False) -> Progress:
        """Read the progress file (a missing file is an empty progress); never raises."""
        given = Path(path) if path is not None else default_path()
        notice = ""
        if given.is_dir():  # never the folder itself (it used to be renamed aside)
            notice = (
                f"The progress path {given} is a folder, not a file: "
                f"progress is kept in {given / DEFAULT_FILE}."
            )
            given = given / DEFAULT_FILE
        progress = cls(given, read_only=read_only)
        if notice:
            progress.notices.append(notice)
        progress.refresh()
        return progress

    # --- what the lab calls --------------------------------------------------------------

    def refresh(self) -> None:
        """Take in what the file holds now (what other kernels saved, too)."""
        with self._lock, self._file_lock() as alone:
            self._read(alone)

    def record(self, result: StepResult) -> str:
        """Keep ``result`` as its step's last result; "" once saved, else why not."""

        def change() -> bytes:
            line = _encode({"result": result.to_record()})
            self._keep_result(result, line)
            return line

        return self._update(change)

    def keep(self, result: StepResult) -> StepResult:
        """:meth:`record` ``result``; the result, its message saying so if it was not saved."""
        unsaved = self.record(result)
        if not unsaved:
            return result
        return replace(result, message=f"{result.message} {unsaved}".lstrip())

    def reveal(self, key: str, kind: str) -> str:
        """Record that a hint or solution of ``key`` (``lesson/step``) was revealed."""

        def change() -> bytes | None:
            if not self._keep_reveal(key, kind):
                return None
            return _encode({"revealed": key, "kind": kind})

        return self._update(change)

    def exercise(
        self, key: str, update: Callable[[ExerciseRecord | None], ExerciseRecord]
    ) -> tuple[ExerciseRecord, str]:
        """Change the record of exercise ``key`` to ``update(its newest record)``.

        ``update`` is given the record as the file holds it now (another kernel's checks
        count too). Returns the new record and "" once saved, else why not.
        """
        made: list[ExerciseRecord] = []

        def change() -> bytes | None:
            old = self.exercises.get(key)
            new = update(old)
            made.append(new)
            if new == old:
                return None
            line = _encode({"exercise": new.to_record()})
            self._keep_exercise(new, line)
            return line

        unsaved = self._update(change)
        return (made[-1] if made else update(self.exercises.get(key))), unsaved

    def forget(self, lesson: str) -> str:
        """Drop the results of ``lesson`` (``lab.reset()``); "" once saved, else why not.

        Its exercises' checks go too (status, attempts, first pass); the hints and
        solutions revealed stay, as the steps' revealed hints do.
        """

        def change() -> bytes:
            self._forget(lesson)
            return _encode({"forget": lesson})

        return self._update(change)

    # --- the state -----------------------------------------------------------------------

    def _keep_result(self, result: StepResult, line: bytes) -> None:
        key = f"{result.lesson}/{result.step}"
        old = self._lines.get(key)
        self._live += len(line) - (len(old) if old is not None else 0)
        self.results[key] = result
        self._lines[key] = line

    def _keep_exercise(self, record: ExerciseRecord, line: bytes) -> None:
        old = self._exercise_lines.get(record.key)
        self._live += len(line) - (len(old) if old is not None else 0)
        self.exercises[record.key] = record
        self._exercise_lines[record.key] = line

    def _keep_reveal(self, key: str, kind: str) -> bool:
        kinds = self.revealed.setdefault(key, [])
        if kind in kinds:
            return False
        kinds.append(kind)
        self._live += len(key) + len(kind) + 30
        return True

    def _forget(self, lesson: str) -> None:
        for key in [k for k, r in self.results.items() if r.lesson == lesson]:
            del self.results[key]
            self._live -= len(self._lines.pop(key))
        for key in [k for k, r in self.exercises.items() if r.lesson == lesson]:
            record = self.exercises[key]
            if record.hints or record.solution:
                kept = ExerciseRecord(
                    record.lesson,
                    record.exercise,
                    at=record.at,
                    hints=record.hints,
                    solution=record.solution,
                )
                self._keep_exercise(kept, _encode({"exercise": kept.to_record()}))
            else:
                del self.exercises[key]
                self._live -= len(self._exercise_lines.pop(key))

    def _clear(self) -> None:
        self.results, self.revealed, self._lines = {}, {}, {}
        self.exercises, self._exercise_lines = {}, {}
        self._live = len(_HEADER)
        self._rewrite = ""

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    # --- reading ---------------------------------------------------------------------------

    def _read(self, alone: bool) -> None:
        """Apply what the file holds beyond what was read (all of it if it was replaced).

        ``alone``: no other kernel can be writing now, so a last line without its end
        is final (else it is left for the next read).
        """
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            if self._seen is not None:  # removed: the file is the truth
                self._clear()
            self._seen, self._tail, self.unreadable = None, b"", ""
            return
        except OSError as error:
            self._cannot_read(f"{type(error).__name__}: {error.strerror or error}")
            return
        if not stat.S_ISREG(status.st_mode):
            self._cannot_read("it is not a regular file")
            return
        seen = self._seen
        if seen is not None and seen == _identity(status, seen[2]) and status.st_size == seen[2]:
            return
        try:
            with open(self.path, "rb") as stream:
                start = 0
                if (
                    seen is not None
                    and (seen[0], seen[1]) == (status.st_dev, status.st_ino)
                    and status.st_size >= seen[2]
                    and self._tail_unchanged(stream, seen[2])
                ):
                    start = seen[2]
                stream.seek(start)
                data = stream.read()
        except OSError as error:
            self._cannot_read(f"{type(error).__name__}: {error.strerror or error}")
            return
        self.unreadable = ""
        if not (alone or self.read_only) and data and not data.endswith(b"\n"):
            data = data[: data.rfind(b"\n") + 1]  # another kernel may be writing it now
        known = self.results, self._lines, self.revealed, self.exercises, self._exercise_lines
        if start == 0:
            self._clear()
            bad, unknown = self._parse_whole(data)
        else:
            bad, unknown = self._parse_lines(data.split(b"\n"), format_one=False)
        end = start + len(data)
        self._seen = _identity(status, end)
        self._tail = (self._tail + data)[-64:] if start else data[-64:]
        if bad or unknown:
            kept = len(self.results)
            if start == 0:  # a broken file: what this kernel knew is kept, too
                self._merge(*known)
            self._set_aside(bad, unknown, kept)

    def _merge(
        self,
        results: dict[str, StepResult],
        lines: dict[str, bytes],
        revealed: dict[str, list[str]],
        exercises: dict[str, ExerciseRecord],
        exercise_lines: dict[str, bytes],
    ) -> None:
        """Add what this kernel knew and the file no longer says (the file's lines win)."""
        for key, result in results.items():
            if key not in self.results:
                self._keep_result(result, lines[key])
        for key, record in exercises.items():
            if key not in self.exercises:
                self._keep_exercise(record, exercise_lines[key])
        for key, kinds in revealed.items():
            for kind in kinds:
                self._keep_reveal(key, kind)

    def _tail_unchanged(self, stream: Any, offset: int) -> bool:
        size = len(self._tail)
        stream.seek(offset - size)
        return bool(stream.read(size) == self._tail)

    def _cannot_read(self, why: str) -> None:
        """A file that exists but cannot be read: keep what is in memory, write nothing."""
        self.unreadable = why
        self._seen = None
        self._notice(
            f"Your progress file {self.path} could not be read ({why}); this kernel keeps "
            "its results in memory and leaves the file as it is."
        )

    def _parse_whole(self, data: bytes) -> tuple[int, str]:
        """A whole file: JSON lines, or a format-1 document. (bad lines, unknown format)."""
        lines = data.split(b"\n")
        first = next((line.strip() for line in lines if line.strip()), b"")
        if first != b"{":
            return self._parse_lines(lines, format_one=False)
        # format 1 (gwlab before issue 16): one record per line unless edited by hand
        self._rewrite = "format 1"
        bad, unknown = self._parse_lines(lines, format_one=True)
        if bad or unknown:
            try:
                document = json.loads(data)
            except (ValueError, RecursionError):
                return bad, unknown
            if isinstance(document, dict) and document.get("format") == 1:
                self._clear()
                self._rewrite = "format 1"
                return self._parse_document(document), ""
        return bad, unknown

    def _parse_document(self, document: dict[str, Any]) -> int:
        """A format-1 document: the good entries kept, the bad ones counted."""
        bad = 0
        revealed = document.get("revealed", {})
        if isinstance(revealed, dict):
            bad += sum(not self._take_revealed(key, kinds) for key, kinds in revealed.items())
        else:
            bad += 1
        results = document.get("results", {})
        if not isinstance(results, dict):
            return bad + 1
        for record in results.values():
            result = _result(record)
            if result is None:
                bad += 1
            else:
                self._keep_result(result, _encode({"result": record}))
        return bad

    def _take_revealed(self, key: Any, kinds: Any) -> bool:
        if not isinstance(key, str) or not isinstance(kinds, list):
            return False
        if not all(isinstance(kind, str) and kind for kind in kinds):
            return False
        for kind in kinds:
            self._keep_reveal(key, kind)
        return True

    def _parse_lines(self, lines: list[bytes], *, format_one: bool) -> tuple[int, str]:
        """Apply each line in order; (lines skipped, an unknown format named or "")."""
        bad = 0
        for raw in lines:
            line = raw.strip()
            if format_one:
                if line in _STRUCTURE:
                    continue
                line = line.rstrip(b",")
            elif not line:
                continue
            try:
                entry = json.loads(b"{" + line + b"}" if format_one else line)
            except (ValueError, RecursionError):
                bad += 1
                continue
            if not isinstance(entry, dict):
                bad += 1
                continue
            version = entry.get("format", 1 if format_one else FORMAT_VERSION)
            if version not in (1, FORMAT_VERSION):
                return bad, f"format {version!r}"
            if format_one:
                bad += not self._take_old(entry, line)
            elif version == 1:  # a whole format-1 document on one line
                self._rewrite = "format 1"
                bad += self._parse_document(entry)
            else:
                bad += not self._take(entry, line + b"\n")
        return bad, ""

    def _take(self, entry: dict[str, Any], line: bytes) -> bool:
        """Apply one format-2 line; whether it was one gwlab writes."""
        if "format" in entry:
            return True
        if "result" in entry:
            result = _result(entry["result"])
            if result is None:
                return False
            self._keep_result(result, line)
            return True
        if "revealed" in entry:
            key, kind = entry.get("revealed"), entry.get("kind")
            return self._take_revealed(key, [kind])
        if "exercise" in entry:
            record = ExerciseRecord.from_record(entry["exercise"])
            if record is None:
                return False
            self._keep_exercise(record, line)
            return True
        if "forget" in entry and isinstance(entry["forget"], str):
            self._forget(entry["forget"])
            return True
        return False

    def _take_old(self, entry: dict[str, Any], line: bytes) -> bool:
        """Apply one line of a format-1 document (``"key": {...}``)."""
        if len(entry) != 1:
            return False
        ((key, value),) = entry.items()
        if key in ("format", "gwlab"):
            return True
        if key in ("revealed", "results"):
            return isinstance(value, dict) and self._parse_document({key: value}) == 0
        result = _result(value)
        if result is None:
            return False
        prefix = json.dumps(key).encode() + b": "
        stored = (
            b'{"result": ' + line[len(prefix) :] + b"}\n"  # the record as written, not again
            if line.startswith(prefix)
            else _encode({"result": value})
        )
        self._keep_result(result, stored)
        return True

    def _set_aside(self, bad: int, unknown: str, kept: int) -> None:
        """Copy the file as it is aside and write back the readable lines; say so once."""
        if unknown:
            what = f"could not be read ({unknown} is not one this gwlab reads)"
        elif kept:
            what = f"had {bad} line(s) that could not be read; {kept} result(s) were kept"
        else:
            what = "could not be read (no line of it is a gwlab result)"
        self.skipped += bad
        if self.read_only:
            self._notice(f"Your progress file {self.path} {what}; it was left as it is.")
            return
        self._rewrite = "lines set aside"
        aside = self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            with open(self.path, "rb") as stream:
                original = stream.read()
            aside = _write_new(aside, original)
            self._write_whole()
        except OSError as error:
            self._notice(
                f"Your progress file {self.path} {what}; it could not be changed "
                f"({type(error).__name__}), so it was left as it is."
            )
            return
        self._notice(
            f"Your progress file {self.path} {what}; the file as it was is kept as {aside.name}."
        )

    # --- writing ---------------------------------------------------------------------------

    def _update(self, change: Callable[[], bytes | None]) -> str:
        """Read the newest lines, apply ``change`` and append its line; "" or why not saved."""
        with self._lock:
            if self.read_only:
                change()
                return ""
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                change()
                return self._unsaved(error)
            with self._file_lock() as alone:
                self._read(alone)
                line = change()
                if line is None:
                    return ""
                if self.unreadable:
                    return (
                        f"Not saved: your progress file {self.path} could not be read, "
                        "so it was not written over; this kernel keeps it in memory."
                    )
                size = self._seen[2] if self._seen is not None else 0
                try:
                    if self._rewrite:
                        self._write_whole()
                        return ""
                    if alone and size >= COMPACT_AT and size + len(line) > 2 * self._live:
                        try:
                            self._write_whole()
                            return ""
                        except OSError:
                            pass  # a folder that takes no new file: the line is appended
                    self._append(line)
                except OSError as error:
                    return self._unsaved(error)
        return ""

    def _unsaved(self, error: OSError) -> str:
        why = error.strerror or str(error) or type(error).__name__
        return (
            f"Not saved: your progress file {self.path} cannot be written ({why}); "
            "this kernel keeps it in memory."
        )

    def _append(self, line: bytes) -> None:
        """Append ``line`` (and the header to a new file); note where the file now ends."""
        descriptor = _open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            before = os.fstat(descriptor)
            seen = self._seen
            ours = before.st_size == 0 or (
                seen is not None
                and (seen[0], seen[1], seen[2]) == (before.st_dev, before.st_ino, before.st_size)
            )
            data = line
            if before.st_size == 0:
                data = _HEADER + line
            elif ours and not self._tail.endswith(b"\n"):
                data = b"\n" + line  # a last line written without its end
            _write_all(descriptor, data)
            after = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        if ours and after.st_size == before.st_size + len(data):
            self._seen = _identity(after, after.st_size)
            self._tail = (self._tail + data)[-64:]
        # else another (unlocked) writer was in between: the next read takes it all in

    def _write_whole(self) -> None:
        """Rewrite the file with one line per step (atomically)."""
        data = b"".join(
            [
                _HEADER,
                *(self._lines[key] for key in sorted(self._lines)),
                *(self._exercise_lines[key] for key in sorted(self._exercise_lines)),
                *(
                    _encode({"revealed": key, "kind": kind})
                    for key in sorted(self.revealed)
                    for kind in self.revealed[key]
                ),
            ]
        )
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        descriptor = _open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                written = os.fstat(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        self._seen = _identity(written, len(data))
        self._tail = data[-64:]
        self._live = len(data)
        self._rewrite = ""

    @contextmanager
    def _file_lock(self) -> Iterator[bool]:
        """Hold the sibling lock file while reading or changing; whether no kernel can write.

        That is so when the lock is held, and when the lock file cannot be made (no folder
        yet, a read-only one); not without ``fcntl``, on a file system without locks, or
        after :data:`LOCK_WAIT` (then the change goes on without the lock).
        """
        if fcntl is None:
            yield False
            return
        lock = self.path.with_name(f".{self.path.name}.lock")
        try:
            if self.read_only:
                descriptor = os.open(lock, os.O_RDONLY)
            else:
                descriptor = _open(lock, os.O_RDWR | os.O_CREAT)
        except OSError:
            yield True
            return
        try:
            yield _acquire(descriptor)
        finally:
            os.close(descriptor)  # releases the lock


def _acquire(descriptor: int) -> bool:
    """Take the lock, waiting at most :data:`LOCK_WAIT`; whether it was taken."""
    deadline = time.monotonic() + LOCK_WAIT
    pause = 0.0005
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.002)
        except OSError:  # a file system without locks
            return False


def _identity(status: os.stat_result, size: int) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, size, status.st_mtime_ns)


def _encode(entry: dict[str, Any]) -> bytes:
    """One line of the file (json's C encoder, ASCII only)."""
    return (json.dumps(entry, sort_keys=True) + "\n").encode("ascii")


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _write_new(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new file at ``path`` (or ``path-2``, ...); the path used."""
    for number in range(1, 100):
        candidate = path if number == 1 else path.with_name(f"{path.name}-{number}")
        try:
            descriptor = _open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            continue
        try:
            _write_all(descriptor, data)
        finally:
            os.close(descriptor)
        return candidate
    raise FileExistsError(f"{path}: too many set-aside copies")


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _check(record: Any) -> CheckResult | None:
    if not isinstance(record, dict):
        return None
    texts = ("description", "expected", "actual")
    if not all(_text(record.get(name)) for name in texts):
        return None
    passed, manual = record.get("passed"), record.get("manual", False)
    hint, past = record.get("hint", ""), record.get("past", "")
    if not isinstance(passed, bool) or not isinstance(manual, bool):
        return None
    if not (_text(hint) and _text(past)):
        return None
    return CheckResult(
        record["description"], passed, record["expected"], record["actual"], hint, manual, past
    )


def _result(record: Any) -> StepResult | None:
    """The result a stored record describes, or ``None`` when it is not one."""
    if not isinstance(record, dict):
        return None
    lesson, step, status = record.get("lesson"), record.get("step"), record.get("status")
    if not (_text(lesson) and lesson and _text(step) and step and status in STATUSES):
        return None
    texts: dict[str, Any] = {
        name: record.get(name, default)
        for name, default in (
            ("title", step),
            ("action", "run"),
            ("message", ""),
            ("error_code", ""),
            ("hint", ""),
            ("finished_at", ""),
        )
    }
    if not all(_text(value) for value in texts.values()):
        return None
    duration = record.get("duration_ms", 0.0)
    if isinstance(duration, bool) or not isinstance(duration, (int, float)):
        return None
    if not math.isfinite(duration):
        return None
    resources = record.get("resources", {})
    if not isinstance(resources, dict) or not all(_text(v) for v in resources.values()):
        return None
    raw_checks = record.get("checks", [])
    if not isinstance(raw_checks, list):
        return None
    checks = [_check(check) for check in raw_checks]
    if any(check is None for check in checks):
        return None
    return StepResult(
        lesson=lesson,
        step=step,
        status=status,
        checks=tuple(c for c in checks if c is not None),
        resources=dict(resources),
        duration_ms=float(duration),
        **texts,
    )
