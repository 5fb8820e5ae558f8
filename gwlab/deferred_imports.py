"""Modules the lab's dependencies import but almost never use, imported on first use.

Every notebook kernel imports moto, and with it two modules that cost time in
each kernel and are used only on paths a lesson never takes:

- ``rfc3987_syntax`` (about a second): moto's API Gateway module imports
  openapi-spec-validator, which imports jsonschema, whose format checkers
  import it when it is installed (JupyterLab's dependencies install it). Its
  import builds an Earley parser for RFC 3987's grammar. jsonschema uses it only
  to check the ``iri`` and ``iri-reference`` formats, which nothing in the lab
  asks for.
- ``yaml`` (about 15 ms): the ``responses`` library moto's core imports reads
  YAML only to load recorded responses from a file, and moto's API Gateway v2
  only for a YAML body given to ``ImportApi``.

:func:`defer_rarely_used` puts a :class:`DeferredModule` under each name before
anything imports it. ``import yaml`` then binds the stand-in; the first use of
any of its names imports the real module, which takes the stand-in's place in
``sys.modules``, and answers through it from then on. Only the moment the time
is spent changes. Names that importers take with ``from module import name``
are forwarding functions, so that such an import does not load the module.

This runs when :mod:`gwlab` is imported, so that it comes before moto's first
import whichever gwlab module imports moto first. It only imports the standard
library.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

#: Module name -> the function names importers take with ``from module import name``.
RARELY_USED: dict[str, tuple[str, ...]] = {
    "rfc3987_syntax": ("is_valid_syntax",),  # jsonschema's format checkers
    "yaml": (),  # responses; moto's API Gateway v2 (a YAML body for ImportApi)
}

_lock = threading.Lock()


class DeferredModule(types.ModuleType):
    """Stands for a module until one of its names is used; then it is the real one."""

    def __getattr__(self, name: str) -> Any:
        return getattr(real_module(self.__name__), name)


def real_module(name: str) -> types.ModuleType:
    """The real module ``name``, imported now if only its stand-in is there."""
    with _lock:
        if isinstance(sys.modules.get(name), DeferredModule):
            del sys.modules[name]
        return importlib.import_module(name)


def _forwarder(module: str, function: str) -> Callable[..., Any]:
    """A function that imports ``module`` on its first call and calls its ``function``."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(real_module(module), function)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = function
    forward.__doc__ = f"{module}.{function}, imported on the first call (gwlab)."
    return forward


def defer(name: str, functions: tuple[str, ...] = ()) -> bool:
    """Put a stand-in under ``name``; ``False`` if it is imported already or not installed."""
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:
        return False
    stand_in = DeferredModule(name, f"stands for {name} until it is used (gwlab)")
    # What the import system and introspection (inspect.getmodule) read, answered
    # without importing the real module.
    stand_in.__spec__ = spec
    stand_in.__loader__ = spec.loader
    stand_in.__file__ = spec.origin
    stand_in.__package__ = name if spec.submodule_search_locations is not None else ""
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = list(spec.submodule_search_locations)
    for function in functions:
        setattr(stand_in, function, _forwarder(name, function))
    sys.modules[name] = stand_in
    return True


@functools.cache
def defer_rarely_used() -> None:
    """Defer every module in :data:`RARELY_USED` (once per process)."""
    for name, functions in RARELY_USED.items():
        defer(name, functions)
