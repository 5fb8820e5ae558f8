"""``python -m gwlab``: the same as the ``gwlab`` command."""

from gwlab.cli import entry_point

entry_point()
