"""A class's progress: what a learner hands in, and the table an instructor builds.

A learner exports one file (:func:`export_progress`): their id, every step's
last status and time, what they revealed, and gwlab's version. An instructor
collects many (:func:`collect`): unreadable files are skipped with a reason,
and the rest become a table per learner and step, plus how many passed each
step — where the class is stuck.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwlab._version import __version__
from gwlab.lab.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

EXPORT_FORMAT = "gwlab-progress-export"
EXPORT_VERSION = 1


def export_progress(progress: Progress, learner: str) -> dict[str, Any]:
    """The hand-in document for ``learner`` from their progress."""
    steps = {
        key: {
            "status": result.status,
            "finished_at": result.finished_at,
            "revealed": progress.revealed.get(key, []),
        }
        for key, result in sorted(progress.results.items())
    }
    for key, kinds in progress.revealed.items():
        steps.setdefault(key, {"status": "not run", "finished_at": "", "revealed": kinds})
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "gwlab": __version__,
        "learner": learner,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "steps": steps,
    }


def write_export(document: dict[str, Any], path: Path) -> Path:
    """Write a hand-in document as JSON."""
    path.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
    return path


@dataclass
class ClassProgress:
    """The collected hand-ins of a class."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        """One row per learner and step."""
        return [
            {
                "learner": str(doc["learner"]),
                "step": key,
                "status": str(step.get("status", "")),
                "finished_at": str(step.get("finished_at", "")),
                "revealed": ",".join(step.get("revealed", [])),
            }
            for doc in self.documents
            for key, step in sorted(doc["steps"].items())
        ]

    def by_learner(self, order: list[str]) -> pd.DataFrame:
        """Learners down, steps across: ✔ passed, ✖ failed, blank not run."""
        import pandas as pd

        marks = {"passed": "✔", "failed": "✖", "blocked": "✖", "invalid": "✖"}
        table = pd.DataFrame(
            {
                str(doc["learner"]): {
                    key: marks.get(doc["steps"].get(key, {}).get("status", ""), "") for key in order
                }
                for doc in self.documents
            }
        ).T
        return table.reindex(columns=order).sort_index()

    def by_step(self, order: list[str]) -> pd.DataFrame:
        """Per step: how many learners passed it, tried it, and revealed its solution."""
        import pandas as pd

        learners = len(self.documents)
        records = []
        for key in order:
            steps = [doc["steps"].get(key, {}) for doc in self.documents]
            records.append(
                {
                    "step": key,
                    "passed": sum(s.get("status") == "passed" for s in steps),
                    "tried": sum(s.get("status", "not run") != "not run" for s in steps),
                    "learners": learners,
                    "solutions revealed": sum("solution" in s.get("revealed", []) for s in steps),
                }
            )
        return pd.DataFrame(records)


#: A hand-in is a few kilobytes; a file past this is not one (and is not read).
MAX_HANDIN_BYTES = 8 << 20


def _valid(document: Any) -> str:
    """Why ``document`` is not a hand-in ("" when it is one)."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        return "not a gwlab progress export"
    if document.get("version") != EXPORT_VERSION:
        return f"export version {_short(document.get('version'))} is not {EXPORT_VERSION}"
    if not isinstance(document.get("learner"), str) or not document["learner"].strip():
        return "no learner id"
    steps = document.get("steps")
    if not isinstance(steps, dict):
        return "no steps"
    for key, step in steps.items():
        if not _step_valid(step):
            return f"step {_short(key)} is not a step's record"
    return ""


def _step_valid(step: Any) -> bool:
    """A step of a hand-in: status and time as text, revealed a list of text."""
    if not isinstance(step, dict):
        return False
    revealed = step.get("revealed", [])
    return (
        isinstance(step.get("status", ""), str)
        and isinstance(step.get("finished_at", ""), str)
        and isinstance(revealed, list)
        and all(isinstance(kind, str) for kind in revealed)
    )


def _short(value: Any, limit: int = 60) -> str:
    """``value`` as one short line (for a reason printed on one line)."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _read_handin(path: Path) -> tuple[Any, str]:
    """The document in ``path`` and "" — or ``None`` and why it cannot be read."""
    try:
        if not path.is_file():
            return None, "not a file"
        if path.stat().st_size > MAX_HANDIN_BYTES:
            return None, f"larger than {MAX_HANDIN_BYTES >> 20} MB"
        return json.loads(path.read_text(encoding="utf-8")), ""
    except (OSError, ValueError, RecursionError) as error:  # not UTF-8, not JSON, too deep
        return None, f"unreadable ({type(error).__name__})"


def collect(folder: Path) -> ClassProgress:
    """Read every ``*.json`` hand-in in ``folder``; a bad one is skipped with the reason."""
    collected = ClassProgress()
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        document, reason = _read_handin(path)
        if not reason:
            reason = _valid(document)
        if not reason and document["learner"] in seen:
            reason = (
                f"learner {_short(document['learner'])} also handed in "
                f"{_short(seen[document['learner']].name)}"
            )
        if reason:
            collected.skipped.append(f"{_short(path.name, 200)}: {reason}")
            continue
        seen[document["learner"]] = path
        collected.documents.append(document)
    return collected


def class_html(progress: ClassProgress, order: list[str]) -> str:
    """One HTML page: the step summary, then learners by step."""
    skipped = "".join(f"<li>{html.escape(s)}</li>" for s in progress.skipped)
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>gwlab class progress</title>"
        "<h1>gwlab class progress</h1>"
        f"<h2>Where the class is</h2>{progress.by_step(order).to_html(index=False)}"
        f"<h2>Learners</h2>{progress.by_learner(order).to_html()}"
        + (f"<h2>Skipped files</h2><ul>{skipped}</ul>" if skipped else "")
        + "</html>"
    )
