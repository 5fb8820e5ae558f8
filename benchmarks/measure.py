"""What every figure shares: repetitions side by side, statistics, targets, the table, the file.

A figure compares a *subject* (what gwlab does) with a *floor* or *peer* (the
least the same work can cost, or the thing it is compared with), both measured
in the same run, alternately, because these machines are noisy: only ratios
compare across runs.
"""

from __future__ import annotations

import compileall
import json
import math
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: The repository's top folder (benchmarks run from here and write into it by default).
ROOT = Path(__file__).resolve().parent.parent


def compile_gwlab() -> None:
    """Byte-compile gwlab, so that figures measure it as installed.

    ``pip install`` compiles a package's modules, and an editable install gets
    them compiled on its first import, except where ``PYTHONDONTWRITEBYTECODE``
    is set (as on these machines): there, every new interpreter or kernel would
    compile gwlab's hundred modules again (≈ 0.06 s each time). Python reads
    compiled files whatever that variable says.
    """
    compileall.compile_dir(ROOT / "gwlab", quiet=1)


@dataclass(frozen=True)
class Settings:
    """How hard to measure: ``quick`` is the tiny setting the test suite runs."""

    quick: bool = False

    def pick(self, full: int, quick: int) -> int:
        """``full`` repetitions normally, ``quick`` ones in the tiny setting."""
        return quick if self.quick else full


@dataclass(frozen=True)
class Stats:
    """The median and 90th percentile of ``n`` measurements."""

    median: float
    p90: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        """Statistics of ``values`` (at least one)."""
        if not values:
            raise ValueError("no measurements")
        return cls(statistics.median(values), percentile(values, 90), len(values))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values``, linearly interpolated between ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what was measured, and its statistics."""

    label: str
    stats: Stats

    @classmethod
    def of(cls, label: str, values: Sequence[float]) -> Side:
        """The side ``label`` measured as ``values``."""
        return cls(label, Stats.of(values))


@dataclass(frozen=True)
class Target:
    """A limit a figure should respect, and whether this run did."""

    label: str
    value: float
    limit: float
    #: ``True``: the value must be at most the limit; ``False``: at least.
    at_most: bool = True

    @property
    def met(self) -> bool:
        """Whether the measured value is on the right side of the limit."""
        return self.value <= self.limit if self.at_most else self.value >= self.limit


def ratio_target(ratio: float, limit: float) -> Target:
    """``ratio ≤ limit``."""
    return Target(f"ratio ≤ {limit:g}", ratio, limit)


@dataclass
class Figure:
    """One row of the table: a subject against its floor or peer."""

    name: str
    unit: str
    subject: Side
    floor: Side | None = None
    #: Subject cost over floor cost (time, memory, size; for a rate, floor rate over subject's).
    ratio: float | None = None
    #: How :attr:`ratio` is computed, when not the median over the median.
    ratio_means: str = "subject median / floor median"
    targets: list[Target] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def compare(
        cls,
        name: str,
        unit: str,
        subject: Side,
        floor: Side,
        *,
        limit: float | None = None,
        higher_is_better: bool = False,
        totals: tuple[Sequence[float], Sequence[float]] | None = None,
    ) -> Figure:
        """A figure whose ratio is the subject's median over the floor's.

        For a rate (``higher_is_better``) it is the floor's over the subject's; with
        ``totals`` (the values of both sides, e.g. one per step) it is their sums'.
        """
        top, bottom = subject.stats.median, floor.stats.median
        ratio = bottom / top if higher_is_better else top / bottom
        figure = cls(name, unit, subject, floor, ratio)
        if higher_is_better:
            figure.ratio_means = "floor median / subject median (a rate: higher is better)"
        if totals is not None:
            figure.ratio = sum(totals[0]) / sum(totals[1])
            figure.ratio_means = "sum of the subject's values / sum of the floor's"
        if limit is not None:
            figure.targets.append(ratio_target(figure.ratio or 0.0, limit))
        return figure

    @property
    def met(self) -> bool:
        """Whether every target is met."""
        return all(target.met for target in self.targets)


@dataclass
class Failure:
    """A benchmark that could not measure (an exception or a failed run)."""

    name: str
    error: str


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action()`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def alternate(
    subject: Callable[[], float], floor: Callable[[], float], rounds: int
) -> tuple[list[float], list[float]]:
    """Measure both sides ``rounds`` times, interleaved, swapping who goes first each round.

    Each callable performs one measurement and returns its value, so that drift
    in the machine's speed hits both sides alike.
    """
    subjects: list[float] = []
    floors: list[float] = []
    for round_ in range(rounds):
        if round_ % 2 == 0:
            subjects.append(subject())
            floors.append(floor())
        else:
            floors.append(floor())
            subjects.append(subject())
    return subjects, floors


def run_checked(
    command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> str:
    """Run ``command`` to its end and return its output; raise with its end if it fails."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=1800
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-800:]
        raise RuntimeError(f"{' '.join(command[:4])} ... failed: {output}")
    return result.stdout


def scaled(values: Sequence[float], factor: float) -> list[float]:
    """``values`` times ``factor`` (seconds to milliseconds, bytes to megabytes)."""
    return [value * factor for value in values]


# --- the table ------------------------------------------------------------------------------

_HEADER = ("figure", "unit", "median", "p90", "floor/peer", "p90", "ratio", "targets")


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2g}"


def _targets(figure: Figure) -> str:
    return "; ".join(
        f"{target.label} {'met' if target.met else 'MISSED'}" for target in figure.targets
    )


def table(figures: Sequence[Figure], failures: Sequence[Failure] = ()) -> str:
    """The plain-text table the command prints."""
    rows = [
        (
            figure.name,
            figure.unit,
            _number(figure.subject.stats.median),
            _number(figure.subject.stats.p90),
            _number(figure.floor.stats.median if figure.floor else None),
            _number(figure.floor.stats.p90 if figure.floor else None),
            _number(figure.ratio),
            _targets(figure) or "-",
        )
        for figure in figures
    ]
    rows += [
        (failure.name, "", "", "", "", "", "", f"ERROR: {failure.error}") for failure in failures
    ]
    widths = [max(len(row[i]) for row in [_HEADER, *rows]) for i in range(len(_HEADER))]
    numeric = range(2, 7)
    lines = [
        "  ".join(
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [_HEADER, tuple("-" * width for width in widths), *rows]
    ]
    return "\n".join(lines)


def legend(figures: Sequence[Figure]) -> str:
    """One line per figure: what its two sides are."""
    lines = []
    for figure in figures:
        floor = f" | floor/peer: {figure.floor.label}" if figure.floor else ""
        lines.append(f"{figure.name}: {figure.subject.label}{floor}")
    return "\n".join(lines)


# --- results.json ---------------------------------------------------------------------------


def figure_record(figure: Figure) -> dict[str, Any]:
    """A figure as JSON data."""
    record = asdict(figure)
    record["targets"] = [{**asdict(target), "met": target.met} for target in figure.targets]
    record["met"] = figure.met
    return record


def write_results(
    path: Path,
    figures: Sequence[Figure],
    failures: Sequence[Failure],
    about: dict[str, Any],
) -> None:
    """Write ``results.json``: the run's setting, every figure, and which targets were missed."""
    missed = [
        f"{figure.name}: {target.label}"
        for figure in figures
        for target in figure.targets
        if not target.met
    ]
    data = {
        **about,
        "figures": [figure_record(figure) for figure in figures],
        "failures": [asdict(failure) for failure in failures],
        "targets": {
            "met": sum(target.met for figure in figures for target in figure.targets),
            "missed": missed,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
