"""``gwlab.Lab``: the object a notebook works with.

``lab = gwlab.Lab("02-stages")`` starts the backend (or reuses the one this
kernel already has), rebuilds what earlier lessons made — so every notebook
runs on its own in a fresh kernel — and then runs, verifies and tabulates the
lesson's steps and checks its exercises (``lab.check``). Nothing here raises
into the notebook for a learner's mistake: results say what went wrong.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwlab.lab.cleanup import delete_all, deletion_table
from gwlab.lab.context import StepContext
from gwlab.lab.exercise_results import ExerciseResult, ExerciseTable
from gwlab.lab.lesson import Lesson
from gwlab.lab.names import execute_api_url, names
from gwlab.lab.plan import Plan, course_plan
from gwlab.lab.plugins import course, views
from gwlab.lab.progress import Progress
from gwlab.lab.render import badge
from gwlab.lab.results import StepResult
from gwlab.lab.reveal import Reveal
from gwlab.lab.runner import Runner, recorded
from gwlab.lab.session import current_session, new_session
from gwlab.lab.table import results_table
from gwlab.lab.tutor import Tutor
from gwlab.startup.heap import import_settled, settled

if TYPE_CHECKING:
    import pandas as pd

    from gwlab.env import LabEnv
    from gwlab.gateway import GatewayResponse
    from gwlab.lab.session import Session


class Lab:
    """One lesson, run against the kernel's shared environment."""

    @settled()
    def __init__(
        self,
        lesson: str,
        *,
        backend: str | None = None,
        progress: str | Path | None = None,
    ) -> None:
        from gwlab.errors import InvalidLessonIdError

        self._course = course()
        well_formed = isinstance(lesson, str) and lesson.isprintable() and lesson.strip()
        if not well_formed or len(lesson) > 64:
            raise InvalidLessonIdError(lesson, tuple(known.id for known in self._course.LESSONS))
        self.lesson: Lesson = self._course.lesson_by_id(lesson)
        self._backend = backend
        self.progress = Progress.load(Path(progress) if progress is not None else None)
        #: Messages for the learner (an unreadable progress file, a failed rebuild).
        self.notices: list[str] = self.progress.notices
        self._shown: dict[str, Any] = {}
        self._session: Session | None = None  # the kernel's session this Lab works in
        self._runner = Runner(self._current_session, self._course.lesson_by_id)
        self._tutor = Tutor(self.lesson, self.progress, self.context)
        self._current_session()  # adopts the learner's gwlab.start(), rebuilds earlier lessons

    # --- what a notebook calls ---------------------------------------------------------------

    @property
    def env(self) -> LabEnv:
        """The environment the lab works in: the kernel's current one (see ``gwlab.start()``)."""
        return self._runner.session.env

    @property
    def steps(self) -> list[str]:
        """The lesson's step ids, in order."""
        return self.lesson.step_ids

    def run(self, step: str, *, with_prerequisites: bool = False, **params: Any) -> StepResult:
        """Run ``step`` with ``params`` (defaults for the rest), check it, record the result.

        A refused value (``invalid``: nothing ran) is returned but not recorded, so it
        never replaces the step's last result.
        """
        result = self._runner.run(self.lesson, step, params, with_prerequisites=with_prerequisites)
        if recorded(result):
            result = self.progress.keep(result)  # not saved: one line in its message
        if result.shown is not None:
            self._shown[step] = result.shown
        return result

    def verify(self, step: str) -> StepResult:
        """Check whether what ``step`` should have made is there, and record the result."""
        result = self._runner.verify(self.lesson, step)
        if recorded(result):
            result = self.progress.keep(result)
        return result

    @property
    def results(self) -> pd.DataFrame:
        """Every step's and exercise's last result, all lessons, in course order.

        Steps first (``kind`` ``step``), then exercises (``kind`` ``exercise``, with
        attempts, first passed, hints used and solution revealed); see
        :func:`~gwlab.lab.table.results_table`.
        """
        import_settled("pandas")

        self.progress.refresh()
        return results_table(
            self.progress.results.values(),
            self._course.course_order(),
            exercises=self.progress.exercises.values(),
            exercise_order=[
                lesson.key(exercise_id)
                for lesson in self._course.LESSONS
                for exercise_id in lesson.exercise_ids
            ],
        )

    @property
    def exercises(self) -> ExerciseTable:
        """The lesson's exercises: id, title, status and attempts."""
        return self._tutor.table()

    def check(self, name: str) -> ExerciseResult:
        """Check exercise ``name`` against what AWS holds now, and record the result."""
        return self._tutor.check(name)

    def exercise_card(self, name: str) -> Any:
        """The card of exercise ``name``: its task, Check, Hint and Show solution."""
        if name not in self.lesson.exercise_ids:
            return self.check(name)  # not recorded: one line naming the lesson's exercises
        return views().exercise_card_widget(self, self.lesson.exercise(name))

    def last(self, step: str) -> StepResult | None:
        """The last recorded result of ``step`` in this lesson."""
        return self.progress.results.get(self.lesson.key(step))

    @settled()
    def reset(self) -> None:
        """Start again: a fresh backend, earlier lessons rebuilt, this lesson's results gone.

        The fresh backend is the kernel's: every other Lab follows it when it next acts,
        and an ``env`` from an earlier ``gwlab.start()`` says it was superseded.
        """
        session = new_session(self._backend)
        unsaved = self.progress.forget(self.lesson.id)
        if unsaved:
            self.notices.append(unsaved)
        self._enter(session)

    def cleanup(self) -> pd.DataFrame:
        """Delete everything the lab created, in dependency order; a table of what happened.

        What AWS refused stays on the list, so a later clean-up tries it again.
        """
        state = self._runner.session.state
        report = delete_all(self.env, list(state.created))
        refused = {(d.kind, d.id, d.region) for d in report if d.outcome.startswith("failed")}
        state.created[:] = [r for r in state.created if (r.kind, r.id, r.region) in refused]
        state.ids.clear()
        state.passed.clear()
        return deletion_table(report)

    def ui(self) -> Any:
        """The lesson panel: a card per step, a progress bar, the results table."""
        return views().panel_widget(self)

    def hint(self, name: str) -> Reveal:
        """A step's hint, or an exercise's next hint: a nudge, the operation, the solution.

        Revealing it is recorded in the progress file.
        """
        return self._tutor.hint(name)

    def solution(self, name: str) -> Reveal:
        """An exercise's solution (boto3 and AWS CLI) — unless an instructor locked them."""
        return self._tutor.solution(name)

    def card(self, step: str) -> Any:
        """The card of one step: its explanation, CLI line, fields, Run and Verify."""
        return views().card_widget(self, self.lesson.step(step))

    def shown(self, step: str) -> Any:
        """What ``step`` produced the last time it ran in this kernel (a response, a trace)."""
        return self._shown.get(step)

    @property
    def ids(self) -> dict[str, str]:
        """The ids the lab has recorded in this kernel (``api_id``, ``domain_target``, ...)."""
        return dict(self._runner.session.state.ids)

    def context(self, values: dict[str, Any] | None = None) -> StepContext:
        """The context steps, checks and CLI lines read, with parameter ``values``."""
        return StepContext(self.env, self._runner.session.state, values or {})

    def url(self, path: str = "/") -> str:
        """The execute-api URL of ``path`` on the course's API."""
        return execute_api_url(self.context(), path)

    def request(
        self, method: str, url: str, headers: dict[str, str] | None = None, body: str | None = None
    ) -> GatewayResponse:
        """Send a request through the local gateway (``lab.request("GET", lab.url("/items"))``)."""
        return self.env.gateway.request(method, url, headers=headers, body=body)

    def preflight(
        self,
        url: str,
        origin: str,
        method: str = "PUT",
        request_headers: tuple[str, ...] = ("content-type",),  # cors.JSON_REQUEST_HEADERS
    ) -> GatewayResponse:
        """Send the CORS preflight a browser on ``origin`` sends before ``method url``.

        ``request_headers`` are the headers the page's request carries that a browser
        asks about (a JSON body: ``content-type``, the default).
        """
        from gwlab.gateway.cors import preflight_headers  # here: it brings the whole gateway

        return self.request("OPTIONS", url, preflight_headers(origin, method, request_headers))

    def tracer(self, url: str = "https://api.example.com/v1/items") -> Any:
        """A request tracer widget: send a request, see every hop of the gateway's trace."""
        return views().tracer_widget(lambda: self.env, url)

    def dns_lookup(self, name: str = "api.example.com") -> Any:
        """A DNS lookup widget: ask the lab's DNS server, like dig."""
        return views().dns_lookup_widget(lambda: self.env, name)

    def plan(self) -> Plan:
        """Against real AWS: the account, what the course creates, its cost, the clean-up."""
        return course_plan(self.env, names(self.context()))

    # --- internals -------------------------------------------------------------------------------

    def _current_session(self) -> Session:
        """The kernel's session now; one this Lab has not worked in yet is rebuilt first.

        Asked for on every action (the runner calls it), so a learner's new
        ``gwlab.start()`` or another Lab's ``reset()`` is followed, never a closed env used.
        If no new one can start (real AWS no longer allowed), the old one stays: the step's
        result then says it is closed, instead of raising into the notebook.
        """
        from gwlab.errors import GwlabError

        try:
            session = current_session(self._backend)
        except GwlabError:
            if self._session is None:
                raise  # gwlab.Lab() itself: the refusal explains
            return self._session
        if session is not self._session:
            followed = self._session is not None
            self._enter(session)
            if followed:
                earlier = self._course.lessons_before(self.lesson.id)
                rebuilt = "earlier lessons were rebuilt in it; " if earlier else ""
                self.notices.append(
                    "This kernel has a new environment (a gwlab.start() or a Lab's reset()): "
                    f"{rebuilt}run this lesson's steps again."
                )
        return session

    def _enter(self, session: Session) -> None:
        """Work in ``session`` from now on: say if its kind is not the one asked for, rebuild."""
        self._session = session
        kind = session.env.backend
        if self._backend is not None and kind != self._backend:
            self.notices.append(
                f"This Lab was asked for the {self._backend} backend, but this kernel's "
                f"environment is {kind} (one emulated AWS per process): the lab works in it "
                f"rather than close it; gwlab.start({self._backend!r}) switches every Lab."
            )
        if kind == "aws":
            self._announce_plan()
        self._rebuild()

    def _announce_plan(self) -> None:
        """Print the plan once per session, before the first resource is created."""
        state = self._runner.session.state
        if state.plan_shown:
            return
        plan = self.plan()
        print(repr(plan))
        state.plan_shown = True
        self.notices.append(
            f"Working in real AWS account {plan.account} ({plan.region}) as learner "
            f"{plan.learner}: see lab.plan()."
        )

    def _rebuild(self) -> None:
        """Replay earlier lessons' steps that have not passed in this environment.

        Only their actions run: each was checked when the learner ran it, and the course
        is tested end to end; a failing action stops the rebuild with a notice.
        """
        state = self._runner.session.state
        for earlier in self._course.lessons_before(self.lesson.id):
            for step in earlier.steps:
                if not step.replay or earlier.key(step.id) in state.passed:
                    continue
                result = self._runner.run(earlier, step.id, checked=False)
                if not result.passed:
                    self.notices.append(
                        f"Rebuilding {earlier.id} stopped at {step.id}: {result.message}"
                    )
                    return

    def status(self, step: str) -> str:
        """The status of ``step``'s last result (``"not run"`` before its first)."""
        last = self.last(step)
        return last.status if last is not None else "not run"

    def __repr__(self) -> str:
        lines = [f"Lab {self.lesson.id}: {self.lesson.title} ({self.env.backend} backend)"]
        lines += [f"  {n}. {s.id}: {self.status(s.id)}" for n, s in enumerate(self.lesson.steps, 1)]
        lines += [f"  note: {notice}" for notice in self.notices]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td style='text-align:left'>{html.escape(s.title)} "
            f"<code>{html.escape(s.id)}</code></td><td>{badge(self.status(s.id))}</td></tr>"
            for n, s in enumerate(self.lesson.steps, 1)
        )
        notes = "".join(f"<p role='alert'>{html.escape(n)}</p>" for n in self.notices)
        return (
            f"<div class='gwlab-lab'><p><strong>{html.escape(self.lesson.title)}</strong> "
            f"<small>({html.escape(self.lesson.id)}, {html.escape(self.env.backend)} backend)"
            f"</small></p>{notes}<table><thead><tr><th>#</th><th>step</th><th>status</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
