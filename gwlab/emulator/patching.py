"""Reversible changes to moto and the libraries under it, which gwlab's additions use.

A moto service keeps its state in a ``BackendDict`` that makes one backend
object per account and region from ``backend_dict.backend`` (a class). gwlab
puts a subclass there: moto then builds gwlab's backend, and because moto finds
a backend's URL table next to its class (``<package>.models`` ->
``<package>.urls``), it also routes requests through gwlab's ``urls.py`` and
response class — in-process and in server mode alike.
"""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict

from gwlab.emulator.registry import Undo


def replace_backend_class(backend_dict: BackendDict[Any], backend_class: type) -> Undo:
    """Make ``backend_dict`` build ``backend_class`` objects until undone.

    Existing backend objects are dropped (the caller resets moto's state
    first), so nothing of the old class survives either way.
    """
    previous = backend_dict.backend
    if not issubclass(backend_class, previous):
        raise TypeError(f"{backend_class.__name__} must subclass {previous.__name__}")
    backend_dict.backend = backend_class
    backend_dict.clear()

    def undo() -> None:
        backend_dict.backend = previous
        backend_dict.clear()

    return undo


def replace_attribute(owner: Any, name: str, value: Any) -> Undo:
    """Set ``owner.name = value`` until undone (moto's settings, helpers, methods).

    For a class the entry of the class's own ``__dict__`` is kept and put back
    (a ``classmethod`` stays a ``classmethod``); an attribute the class only
    inherited is removed again, so its bases answer as before.
    """
    if isinstance(owner, type):
        missing = object()
        previous = vars(owner).get(name, missing)
        if previous is missing:
            getattr(owner, name)  # an AttributeError for a name nothing defines
        setattr(owner, name, value)

        def undo_class() -> None:
            if previous is missing:
                delattr(owner, name)
            else:
                setattr(owner, name, previous)

        return undo_class
    previous = getattr(owner, name)
    setattr(owner, name, value)

    def undo() -> None:
        setattr(owner, name, previous)

    return undo


def insert_first(target: list[Any], item: Any) -> Undo:
    """Put ``item`` at the front of ``target`` until undone (for moto's routing index)."""
    target.insert(0, item)

    def undo() -> None:
        target.remove(item)

    return undo


def combine(*undos: Undo) -> Undo:
    """One undo that runs ``undos`` newest first."""

    def undo() -> None:
        for step in reversed(undos):
            step()

    return undo
