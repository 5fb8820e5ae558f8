"""Defer the slowest import moto brings along: rfc3987-syntax's grammar, about a second.

moto's API Gateway module imports openapi-spec-validator, which imports
jsonschema, whose format checkers import rfc3987-syntax when it is installed
(JupyterLab's dependencies install it). Importing rfc3987-syntax builds an
Earley parser for RFC 3987's grammar: about a second on a small machine — more
than the rest of gwlab's imports together — in the kernel of every notebook.
jsonschema uses it only to check the ``iri`` and ``iri-reference`` formats,
which nothing in the lab asks for.

:func:`defer_iri_grammar` therefore puts a stand-in under the module's name
before anything imports it. The stand-in has the one name jsonschema imports,
``is_valid_syntax``; its first call, or the first use of any other name of the
module, imports the real module, which then takes the stand-in's place. Only
the moment the second is spent changes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

MODULE = "rfc3987_syntax"


class _StandIn(types.ModuleType):
    """Stands for :data:`MODULE` until something uses it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    """The real module, imported now if only the stand-in is there."""
    if isinstance(sys.modules.get(MODULE), _StandIn):
        del sys.modules[MODULE]
    return importlib.import_module(MODULE)


def is_valid_syntax(term: str, value: str) -> bool:
    """rfc3987-syntax's ``is_valid_syntax``, imported on the first call."""
    return bool(_real().is_valid_syntax(term, value))


def defer_iri_grammar() -> None:
    """Put the stand-in in place, unless the module is imported already or not installed."""
    if MODULE in sys.modules:
        return
    spec = importlib.util.find_spec(MODULE)
    if spec is None:
        return
    stand_in = _StandIn(MODULE, "stands for rfc3987_syntax until it is used (gwlab)")
    stand_in.__path__ = list(spec.submodule_search_locations or [])
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[MODULE] = stand_in


def defer_url_builders() -> None:
    """Compile moto's URL *builders* on first use instead of with each routing table.

    moto routes a REST service's requests with a werkzeug ``Map`` of ``SmithyRule``s,
    made at the service's first request. Binding a rule compiles both its matcher and
    two URL builders (Python source generated per rule and compiled: ~60 ms for
    Lambda's table). moto only ever matches; a builder is compiled on its first call.
    """
    from moto.core.routing import SmithyRule

    if getattr(SmithyRule._compile_builder, "_gwlab_lazy", False):
        return
    compile_now = SmithyRule._compile_builder

    def compile_later(rule: SmithyRule, append_unknown: bool = True) -> Callable[..., Any]:
        compiled: Callable[..., Any] | None = None

        def build(bound: SmithyRule, *args: Any, **kwargs: Any) -> Any:
            nonlocal compiled
            if compiled is None:
                compiled = compile_now(bound, append_unknown)
            return compiled(bound, *args, **kwargs)

        return build

    compile_later._gwlab_lazy = True  # type: ignore[attr-defined]
    SmithyRule._compile_builder = compile_later  # type: ignore[method-assign,assignment]
