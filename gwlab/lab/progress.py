"""Each step's last result, kept in a JSON file next to the notebooks.

The file survives kernel restarts and is what ``lab.results`` reads. It is the
truth: every change reads it again, applies the change and writes it back, so
that kernels sharing one file (a notebook per kernel, all in one folder) keep
each other's results. Writes are atomic (a temporary file renamed over the old
one). A file that cannot be read is set aside under a new name, with a message
saying where — never a crash, never silently dropped — and a fresh file starts.

A click must stay cheap with a whole course in the file: a file whose text is the one
this object last read or wrote is not parsed again, and each result is turned into
JSON once (the file has one line per result), not on every save.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwlab._version import __version__
from gwlab.lab.results import StepResult

#: Where progress is kept unless ``$GWLAB_PROGRESS`` says otherwise.
DEFAULT_FILE = "gwlab-progress.json"
PROGRESS_ENV_VAR = "GWLAB_PROGRESS"
FORMAT_VERSION = 1


def default_path() -> Path:
    """``$GWLAB_PROGRESS``, else ``gwlab-progress.json`` in the working directory."""
    return Path(os.environ.get(PROGRESS_ENV_VAR) or DEFAULT_FILE)


@dataclass
class Progress:
    """The last result of every step, by ``lesson/step``, backed by a file."""

    path: Path
    results: dict[str, StepResult] = field(default_factory=dict)
    #: ``lesson/step`` -> what was revealed for it (``"hint"``, ``"solution"``).
    revealed: dict[str, list[str]] = field(default_factory=dict)
    #: Messages for the learner (e.g. a corrupt file set aside), shown once.
    notices: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: The file's text as this object last read or wrote it (``None``: not yet).
    _text: str | None = field(default=None, repr=False)
    #: Each result as the file holds it: one line of JSON, by ``lesson/step``.
    _lines: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Progress:
        """Read the progress file (a missing file is an empty progress)."""
        progress = cls(Path(path) if path is not None else default_path())
        progress.refresh()
        return progress

    def refresh(self) -> None:
        """Take the file's content as it is now (what other kernels saved, too)."""
        if not self.path.exists():
            return
        try:
            text = self.path.read_text(encoding="utf-8")
            if text == self._text:
                return
            data = json.loads(text)
            if data.get("format") != FORMAT_VERSION:
                raise ValueError(f"unknown format {data.get('format')!r}")
            results = {
                key: StepResult.from_record(record) for key, record in data["results"].items()
            }
            revealed = {
                str(key): [str(kind) for kind in kinds]
                for key, kinds in data.get("revealed", {}).items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            aside = self.path.with_name(
                f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}"
            )
            os.replace(self.path, aside)
            self._text = None
            self.notices.append(
                f"Your progress file {self.path} could not be read ({type(error).__name__}); "
                f"it was kept as {aside.name} and a new one was started."
            )
            return
        self.results, self.revealed = results, revealed
        self._lines = {key: _line(record) for key, record in data["results"].items()}
        self._text = text

    def record(self, result: StepResult) -> None:
        """Keep ``result`` as its step's last result and save the file."""

        def change() -> bool:
            key = f"{result.lesson}/{result.step}"
            self.results[key] = result
            self._lines[key] = _line(result.to_record())
            return True

        self._update(change)

    def reveal(self, key: str, kind: str) -> None:
        """Record that a hint or solution of ``key`` (``lesson/step``) was revealed."""

        def change() -> bool:
            kinds = self.revealed.setdefault(key, [])
            if kind in kinds:
                return False
            kinds.append(kind)
            return True

        self._update(change)

    def forget(self, lesson: str) -> None:
        """Drop the results of ``lesson`` (``lab.reset()``)."""

        def change() -> bool:
            self.results = {k: v for k, v in self.results.items() if v.lesson != lesson}
            self._lines = {k: v for k, v in self._lines.items() if k in self.results}
            return True

        self._update(change)

    def _update(self, change: Callable[[], bool]) -> None:
        """Read the file again, apply ``change`` and, if it changed anything, save."""
        with self._lock:
            self.refresh()
            if change():
                self._save()

    def _save(self) -> None:
        text = self._file_text()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", dir=self.path.parent, text=True
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._text = text

    def _file_text(self) -> str:
        """The file: a few lines of header, then one line per result, in key order."""
        results = ",\n".join(
            f"  {json.dumps(key)}: {self._lines[key]}" for key in sorted(self._lines)
        )
        return (
            f'{{\n "format": {FORMAT_VERSION},\n "gwlab": {json.dumps(__version__)},\n'
            f' "revealed": {json.dumps(self.revealed, sort_keys=True)},\n'
            f' "results": {{\n{results}\n }}\n}}\n'
        )


def _line(record: dict[str, Any]) -> str:
    """A result's record as one line of JSON (json's C encoder: no indent)."""
    return json.dumps(record, sort_keys=True)
