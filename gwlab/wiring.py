"""Where the engine finds the course and the widgets, so that it imports neither.

The lessons (:mod:`gwlab.lessons`) and the widgets (:mod:`gwlab.ui`) import the
engine (:mod:`gwlab.lab`), never the other way round (docs/ARCHITECTURE.md,
"Layers"). The package (``gwlab/__init__.py``) plugs them in here when ``gwlab``
is imported, before any of its submodules; each is imported the first time the
engine asks for it. Standard library only, so ``import gwlab`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable

#: What provides each plug-in (``"course"``, ``"views"``), called on every request.
_providers: dict[str, Callable[[], object]] = {}


def provide(kind: str, provider: Callable[[], object]) -> None:
    """Make ``provider()`` what the engine gets when it asks for ``kind``."""
    _providers[kind] = provider


def provided(kind: str) -> object:
    """What provides ``kind`` now (``LookupError`` if nothing was plugged in)."""
    provider = _providers.get(kind)
    if provider is None:
        raise LookupError(f"nothing provides gwlab's {kind}: gwlab/__init__.py plugs it in")
    return provider()
