"""``%aws`` and ``%%aws``: the AWS CLI typed in a notebook cell, run by :func:`run_cli`.

The magic prints what the CLI printed (an error is one line on stderr) and returns
the parsed result, so ``x = %aws ...`` and ``_`` hold it for the next cell. A dict,
list, text or number result comes back as a quiet subclass: shown once (by the
CLI's own output), not a second time as the cell's value; displayed again in a later
cell, it shows as usual. Registered when ``gwlab`` is imported in IPython, and by
``%load_ext gwlab``; awscli is imported at the first ``%aws``.
"""

from __future__ import annotations

import sys
from typing import Any

from IPython.core.getipython import get_ipython
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand


class _Quiet:
    """Shows nothing when displayed as the value of the cell that made it (once)."""

    _gwlab_cell: int | None = None

    def _ipython_display_(self) -> None:
        shell = get_ipython()
        cell = shell.execution_count if shell is not None else None
        if self._gwlab_cell is not None and cell == self._gwlab_cell:
            self._gwlab_cell = None  # the CLI printed it in this cell already
            return
        from IPython.display import display

        display(_plain(self))  # type: ignore[no-untyped-call]


class QuietDict(_Quiet, dict):  # type: ignore[type-arg]
    """A CLI result that is a JSON object."""


class QuietList(_Quiet, list):  # type: ignore[type-arg]
    """A CLI result that is a JSON array."""


class QuietStr(_Quiet, str):
    """A CLI result that is text (``--query ApiId``)."""


class QuietInt(_Quiet, int):
    """A CLI result that is a whole number."""


class QuietFloat(_Quiet, float):
    """A CLI result that is a number with a fraction."""


_QUIET: tuple[tuple[type, type], ...] = (
    (dict, QuietDict),
    (list, QuietList),
    (str, QuietStr),
    (int, QuietInt),
    (float, QuietFloat),
)


def _plain(value: Any) -> Any:
    for plain, quiet in _QUIET:
        if isinstance(value, quiet):
            return plain(value)
    return value


def quiet(value: Any, cell: int | None) -> Any:
    """``value`` as its quiet subclass, silent when shown as the value of cell ``cell``."""
    if isinstance(value, bool) or value is None:
        return value
    for plain, kind in _QUIET:
        if type(value) is plain:
            made = kind(value)
            made._gwlab_cell = cell
            return made
    return value


@magics_class
class AwsMagics(Magics):
    """``%aws`` (one command) and ``%%aws`` (a cell of commands), against the lab's AWS."""

    @no_var_expand
    @line_magic("aws")  # type: ignore[arg-type]
    def aws_line(self, line: str) -> Any:
        """Run one AWS CLI command: ``%aws apigatewayv2 get-apis --query 'Items[].ApiId'``."""
        return self._run(line)

    @no_var_expand
    @cell_magic("aws")  # type: ignore[arg-type]
    def aws_cell(self, line: str, cell: str) -> Any:
        """Run the cell's AWS CLI commands in order, stopping at the first that fails."""
        return self._run(f"{line}\n{cell}" if line.strip() else cell)

    def _run(self, text: str) -> Any:
        from gwlab.awscli_runner import run_cli

        shell = self.shell
        result = run_cli(text, namespace=shell.user_ns if shell is not None else None)
        if result.output:
            sys.stdout.write(result.output)
            sys.stdout.flush()
        if result.error:
            sys.stderr.write(result.error + "\n")
            sys.stderr.flush()
            return None
        return quiet(result.result, shell.execution_count if shell is not None else None)


def register(shell: Any) -> None:
    """Make ``%aws`` and ``%%aws`` available in IPython ``shell``."""
    shell.register_magics(AwsMagics)
