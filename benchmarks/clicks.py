"""A step click — ``lab.run`` + ``lab.verify`` — against the bare boto3 calls that step makes.

How the floor is found: a first, unmeasured pass through the course records
every botocore API call the process makes (service, region, operation,
parameters, and the error code if AWS refused), labelled with the step that
was being clicked. The floor of a step is then the time to make exactly those
calls again, in order, with plain ``client.<operation>(**params)`` on the
clients of a fresh embedded environment — the same emulated AWS, without the
lab engine (parameter checks, prerequisites, results, checks' logic, the
progress file) and without the step's non-boto3 work (gateway requests, DNS
queries). A replayed call whose outcome (success or error code) differs from
the recording is counted in ``details.replay_mismatches``.

Each measured round clicks through the course on the embedded backend, on the
server backend and replays the calls, in a rotating order. A step's figure is
its median over the rounds; the table shows the median and p90 over the
steps, and the ratio is the sum over the steps (the whole course's clicks)
over the floor's sum.
"""

from __future__ import annotations

import contextlib
import copy
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import steps
from benchmarks.measure import Figure, Settings, Side, Target

NAME = "clicks"
#: The click's ratio target against its bare calls, and the server's against embedded.
RATIO_LIMIT = 3.0
SERVER_RATIO_LIMIT = 3.0
#: Sanity: 90 % of clicks answer within this many milliseconds.
P90_LIMIT_MS = 50.0


@dataclass(frozen=True)
class Call:
    """One botocore API call as a step made it."""

    step: str | None
    service: str
    region: str
    operation: str
    params: dict[str, Any]
    error: str | None


@dataclass
class Recorder:
    """Records every botocore API call made while :meth:`recording` is active."""

    calls: list[Call] = field(default_factory=list)
    #: The ``lesson/step`` being clicked (``None`` between clicks).
    step: str | None = None

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Wrap ``BaseClient._make_api_call`` (the one door of every client method)."""
        from botocore.client import BaseClient
        from botocore.exceptions import ClientError

        original = BaseClient._make_api_call
        recorder = self

        def make_api_call(client: Any, operation: str, params: dict[str, Any]) -> Any:
            snapshot = copy.deepcopy(params)
            error = None
            try:
                return original(client, operation, params)
            except ClientError as failure:
                error = str(failure.response.get("Error", {}).get("Code"))
                raise
            finally:
                meta = client.meta
                recorder.calls.append(
                    Call(
                        recorder.step,
                        meta.service_model.service_name,
                        meta.region_name,
                        operation,
                        snapshot,
                        error,
                    )
                )

        BaseClient._make_api_call = make_api_call
        try:
            yield
        finally:
            BaseClient._make_api_call = original


def click_course(
    backend: str, scratch: Path, quick: bool, recorder: Recorder | None = None
) -> dict[str, float]:
    """Click every step (run, then verify) in a fresh session: seconds by ``lesson/step``."""

    def between_clicks() -> None:
        if recorder is not None:
            recorder.step = None

    progress = Path(tempfile.mkdtemp(dir=scratch)) / "progress.json"
    seconds: dict[str, float] = {}
    failed: list[str] = []
    for lab, lesson, step in steps.clicks(backend, progress, quick, before_lesson=between_clicks):
        key = lesson.key(step.id)
        if recorder is not None:
            recorder.step = key
        started = time.perf_counter()
        run = lab.run(step.id, **steps.params(lesson, step))
        verify = lab.verify(step.id)
        seconds[key] = time.perf_counter() - started
        between_clicks()
        if not (run.passed and verify.passed):
            failed.append(f"{key}: {run.status}/{verify.status} {run.message}")
    if failed:
        raise RuntimeError(f"steps did not pass on {backend}: {'; '.join(failed)}")
    return seconds


def replay(calls: list[Call]) -> tuple[dict[str, float], int]:
    """Make ``calls`` again on a fresh embedded environment: seconds by step, and mismatches."""
    from botocore import xform_name
    from botocore.exceptions import ClientError

    import gwlab

    seconds: dict[str, float] = {}
    mismatches = 0
    with gwlab.start("embedded") as env:
        for call in calls:
            started = time.perf_counter()
            client = env.client(call.service, call.region)
            error = None
            try:
                getattr(client, xform_name(call.operation))(**call.params)
            except ClientError as failure:
                error = str(failure.response.get("Error", {}).get("Code"))
            elapsed = time.perf_counter() - started
            mismatches += error != call.error
            if call.step is not None:
                seconds[call.step] = seconds.get(call.step, 0.0) + elapsed
    return seconds, mismatches


def _medians(rounds: list[dict[str, float]], keys: list[str]) -> list[float]:
    """Each step's median over the rounds, in milliseconds (0 for a step with no calls)."""
    return [statistics.median(r.get(key, 0.0) for r in rounds) * 1000 for key in keys]


def _per_step_figure(
    name: str, subject: tuple[str, list[float]], floor: tuple[str, list[float]], limit: float
) -> Figure:
    """Milliseconds per step on both sides; the ratio is their totals' (the whole course)."""
    return Figure.compare(
        name, "ms", Side.of(*subject), Side.of(*floor), limit=limit, totals=(subject[1], floor[1])
    )


def measure(settings: Settings, scratch: Path) -> list[Figure]:
    """Click through the course on both backends and replay its calls, round after round."""
    recorder = Recorder()
    with recorder.recording():
        click_course("embedded", scratch, settings.quick, recorder)
    keys = [
        lesson.key(step.id) for lesson in steps.lessons(settings.quick) for step in lesson.steps
    ]
    if not settings.quick:  # warm the server path as the recording warmed the embedded one
        click_course("server", scratch, settings.quick)
    embedded: list[dict[str, float]] = []
    server: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    mismatches: list[int] = []

    def replayed() -> None:
        seconds, mismatched = replay(recorder.calls)
        bare.append(seconds)
        mismatches.append(mismatched)

    sides: list[Callable[[], None]] = [
        lambda: embedded.append(click_course("embedded", scratch, settings.quick)),
        replayed,
        lambda: server.append(click_course("server", scratch, settings.quick)),
    ]
    for round_ in range(settings.pick(5, 1)):
        for side in sides[round_ % 3 :] + sides[: round_ % 3]:
            side()
    click_ms, bare_ms, server_ms = (_medians(r, keys) for r in (embedded, bare, server))
    calls = {key: sum(call.step == key for call in recorder.calls) for key in keys}
    per_step = {
        key: {"click_ms": c, "bare_ms": b, "server_ms": s, "calls": calls[key]}
        for key, c, b, s in zip(keys, click_ms, bare_ms, server_ms, strict=True)
    }
    click = _per_step_figure(
        "click",
        ("lab.run + lab.verify of every step (embedded)", click_ms),
        ("the same step's boto3 calls, replayed bare", bare_ms),
        RATIO_LIMIT,
    )
    click.targets.append(
        Target(f"p90 < {P90_LIMIT_MS:g} ms", click.subject.stats.p90, P90_LIMIT_MS)
    )
    click.details = {
        "rounds": len(embedded),
        "recorded_calls": len(recorder.calls),
        "replay_mismatches": max(mismatches),
        "slowest": dict(sorted(per_step.items(), key=lambda item: -item[1]["click_ms"])[:8]),
        "steps": per_step,
    }
    on_server = _per_step_figure(
        "click_server",
        ("lab.run + lab.verify of every step (server backend)", server_ms),
        ("the same clicks on the embedded backend", click_ms),
        SERVER_RATIO_LIMIT,
    )
    return [click, on_server]
