"""Settings for the whole test run, notebooks included (their kernels inherit them)."""

from __future__ import annotations

import os
import tempfile

# One fresh progress file for the run, as tools/build_notebooks.py uses when it stores
# the notebooks' outputs: the notebooks then show the same results table.
os.environ["GWLAB_PROGRESS"] = os.path.join(
    tempfile.mkdtemp(prefix="gwlab-test-progress-"), "progress.json"
)
# The notebooks are validated against the default, embedded backend.
os.environ.pop("GWLAB_BACKEND", None)
