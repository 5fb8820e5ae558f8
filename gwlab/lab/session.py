"""The environment the lab works in, shared by every ``Lab`` of one kernel.

``gwlab.Lab(...)`` in a notebook works in the kernel's session: the
moto-backed environment that is open in the process if there is one (the
learner's own ``env = gwlab.start()``, which keeps working and is ``lab.env``),
else one it starts. The session also holds what the lab has built in it (ids,
passed steps, created resources). A closed or superseded environment is
followed by the newer one (a learner's new ``gwlab.start()``, another Lab's
``reset()``) or replaced by a new one, with an empty state; a ``Lab`` asks for
the current session each time it acts, so every Lab of the kernel follows.
"""

from __future__ import annotations

import threading
from typing import Any

from gwlab.env import LabEnv, open_moto_env, start
from gwlab.lab.context import SessionState


class Session:
    """One environment and the lab's state in it."""

    def __init__(self, env: LabEnv) -> None:
        self.env = env
        self.state = SessionState()


_current: Session | None = None
_lock = threading.Lock()


def current_session(backend: str | None = None) -> Session:
    """The kernel's session for ``backend`` (``None``: whatever is open, else the default).

    For ``None``, ``"embedded"`` or ``"server"`` the process's open moto-backed
    environment is used whatever its kind: there is one emulated AWS per process, so
    starting the other kind would close the learner's environment (the ``Lab`` says so
    in a notice). ``"aws"`` never touches moto, so it gets an environment of its own.
    """
    global _current
    with _lock:
        if backend == "aws" or (backend is None and _open_aws(_current)):
            if _current is None or _current.env.closed or _current.env.backend != "aws":
                _current = Session(start(backend))
            return _current
        env = open_moto_env()
        if env is None:
            _current = Session(start(backend))
        elif _current is None or _current.env is not env:
            _current = Session(env)  # adopt the learner's gwlab.start()
        return _current


def _open_aws(session: Session | None) -> bool:
    return session is not None and not session.env.closed and session.env.backend == "aws"


def new_session(backend: str | None = None, **options: Any) -> Session:
    """A fresh environment; ``options`` go to ``start()``.

    Without ``backend`` the new environment is of the current one's kind, region and
    seed. A moto-backed one supersedes the process's open one (its clients then say so);
    an ``aws`` session being replaced is closed.
    """
    global _current
    with _lock:
        old = _current.env if _current is not None else None
        if old is None or old.closed:
            old = open_moto_env() or old
        if old is not None and backend is None:
            backend = old.backend
            options.setdefault("region", old.region)
            if old.seed is not None:
                options.setdefault("seed", old.seed)
        if _current is not None and (backend == "aws" or _current.env.backend == "aws"):
            _current.env.close()
        _current = None
        _current = Session(start(backend, **options))
        return _current


def close_session() -> None:
    """Close the shared environment (tests, ``gwlab run``)."""
    global _current
    with _lock:
        if _current is not None:
            _current.env.close()
            _current = None
