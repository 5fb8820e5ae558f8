"""Route selection for HTTP APIs (AWS_FACTS, "Routes").

Priority: a full match of method and path beats a greedy ``{proxy+}`` match,
which beats the ``$default`` route. Among full matches literal segments beat
path parameters, left to right; at equal paths a method-specific route beats
``ANY``. A request path with a trailing slash matches the route without it.
Paths are matched percent-decoded; parameters are returned decoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from gwlab.emulator.state import RouteSnapshot

DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class RouteMatch:
    """The route a request selected, why, and the path parameters it bound."""

    route: RouteSnapshot
    kind: str  # "exact", "path parameters", "greedy", "$default"
    path_parameters: dict[str, str]


@dataclass(frozen=True)
class _CompiledRoute:
    route: RouteSnapshot
    method: str
    segments: tuple[str, ...]

    @cached_property
    def greedy(self) -> bool:
        return bool(self.segments) and self.segments[-1].endswith("+}")

    def bind(self, parts: list[str]) -> dict[str, str] | None:
        """Match the request's path segments; return the parameters or ``None``."""
        fixed = self.segments[:-1] if self.greedy else self.segments
        if self.greedy:
            if len(parts) <= len(fixed):
                return None
        elif len(parts) != len(fixed):
            return None
        parameters: dict[str, str] = {}
        for pattern, value in zip(fixed, parts, strict=False):
            if pattern.startswith("{"):
                parameters[pattern[1:-1]] = value
            elif pattern != value:
                return None
        if self.greedy:
            parameters[self.segments[-1][1:-2]] = "/".join(parts[len(fixed) :])
        return parameters

    def rank(self) -> tuple[int, tuple[int, ...], int]:
        """Smaller is more specific."""
        literal = tuple(0 if not s.startswith("{") else 1 for s in self.segments)
        return (1 if self.greedy else 0, literal, 1 if self.method == "ANY" else 0)


def split_path(path: str) -> list[str]:
    """``/a/b/`` -> ``["a", "b"]``; ``/`` -> ``[]``."""
    trimmed = path.strip("/")
    return trimmed.split("/") if trimmed else []


class RouteTable:
    """The routes of one deployment, compiled once and matched many times."""

    def __init__(self, routes: tuple[RouteSnapshot, ...]) -> None:
        self._default: RouteSnapshot | None = None
        self._routes: list[_CompiledRoute] = []
        for route in routes:
            if route.route_key == DEFAULT_ROUTE:
                self._default = route
                continue
            method, _, path = route.route_key.partition(" ")
            self._routes.append(_CompiledRoute(route, method, tuple(split_path(path))))
        self._routes.sort(key=_CompiledRoute.rank)

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The route for ``method`` and the decoded ``path`` (stage or mapping key removed)."""
        parts = split_path(path)
        for compiled in self._routes:
            if compiled.method not in (method, "ANY"):
                continue
            parameters = compiled.bind(parts)
            if parameters is None:
                continue
            if compiled.greedy:
                kind = "greedy"
            elif parameters:
                kind = "path parameters"
            else:
                kind = "exact"
            return RouteMatch(compiled.route, kind, parameters)
        if self._default is not None:
            return RouteMatch(self._default, DEFAULT_ROUTE, {})
        return None

    def keys(self) -> list[str]:
        """The route keys, most specific first (for traces)."""
        keys = [c.route.route_key for c in self._routes]
        return keys + ([DEFAULT_ROUTE] if self._default else [])
