"""The environment the lab works in, shared by every ``Lab`` of one kernel.

``gwlab.Lab(...)`` in a notebook starts the backend the first time and reuses
it afterwards, together with what the lab has built in it (ids, passed steps,
created resources). A closed or superseded environment is replaced by a new
one, with an empty state.
"""

from __future__ import annotations

import threading
from typing import Any

from gwlab.env import LabEnv, start
from gwlab.lab.context import SessionState


class Session:
    """One environment and the lab's state in it."""

    def __init__(self, env: LabEnv) -> None:
        self.env = env
        self.state = SessionState()


_current: Session | None = None
_lock = threading.Lock()


def current_session(backend: str | None = None) -> Session:
    """The open session for ``backend`` (``None``: whatever is open, else the default)."""
    global _current
    with _lock:
        usable = (
            _current is not None
            and not _current.env.closed
            and (backend is None or _current.env.backend == backend)
        )
        if not usable:
            _current = Session(start(backend))
        assert _current is not None
        return _current


def new_session(backend: str | None = None, **options: Any) -> Session:
    """A fresh environment (the old one, if any, is closed); ``options`` go to ``start()``."""
    global _current
    with _lock:
        if _current is not None:
            _current.env.close()
        _current = Session(start(backend, **options))
        return _current


def close_session() -> None:
    """Close the shared environment (tests, ``gwlab run``)."""
    global _current
    with _lock:
        if _current is not None:
            _current.env.close()
            _current = None
