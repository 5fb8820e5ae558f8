"""Helpers the tests share (importable as ``support`` from any test folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: The programs installed next to the test interpreter.
BIN = Path(sys.executable).parent
#: A Lambda function ARN for quick create (API Gateway does not check it exists).
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:items"


@dataclass
class Served:
    """A running ``gwlab serve``: the process, its banner and the variables to export."""

    process: subprocess.Popen[str]
    banner: str
    exports: dict[str, str]

    @property
    def shell(self) -> dict[str, str]:
        """A clean environment (no AWS_* of ours) plus only the pasted exports."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        return {**clean, **self.exports, "HOME": "/nonexistent"}

    def aws(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the AWS CLI with the pasted exports."""
        return subprocess.run(
            [str(BIN / "aws"), *args],
            capture_output=True,
            text=True,
            env=self.shell,
            check=False,
            timeout=60,
        )
