"""Deploy a Python Lambda function with plain boto3, in one call (for notebooks).

It does what a learner would type: make (or reuse) an execution role, zip the
handler, and ``create_function`` — or ``update_function_code`` when the function
exists, so re-running a cell just works. The local gateway then runs the code
from the zip the embedded AWS stored.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError


class Clients(Protocol):
    """What hands out boto3 clients: a ``LabEnv``, or a step's context (which records calls)."""

    def client(self, service: str, region_name: str | None = None) -> Any:
        """A boto3 client of ``service``."""


#: The role gwlab creates for the functions it deploys.
ROLE_NAME = "gwlab-lambda-basic-execution"
_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def zip_source(source: str | Path | Mapping[str, str], module: str = "app") -> bytes:
    """A deployment zip from source text, a file, or files by name.

    Source text is saved where the handler's module is looked for: ``app`` as
    ``app.py``, a dotted ``pkg.app`` as ``pkg/app.py``.
    """
    if isinstance(source, Mapping):
        files = dict(source)
    elif isinstance(source, Path):
        files = {source.name: source.read_text()}
    else:
        files = {f"{module.replace('.', '/')}.py": source}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(name, text)
    return buffer.getvalue()


def ensure_role(env: Clients, role_name: str = ROLE_NAME) -> str:
    """The ARN of a Lambda execution role, created the first time."""
    iam = env.client("iam")
    try:
        return str(iam.get_role(RoleName=role_name)["Role"]["Arn"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchEntity":
            raise
    created = iam.create_role(
        RoleName=role_name, AssumeRolePolicyDocument=json.dumps(_TRUST_POLICY)
    )
    return str(created["Role"]["Arn"])


def deploy_function(
    env: Clients,
    name: str,
    source: str | Path | Mapping[str, str],
    *,
    handler: str = "app.handler",
    runtime: str = "python3.12",
    environment: Mapping[str, str] | None = None,
    role_name: str = ROLE_NAME,
) -> dict[str, Any]:
    """Create or update the Python function ``name``; return its configuration.

    ``source`` is the handler's source text (saved as the module the handler
    names), a ``Path`` to a ``.py`` file, or a mapping of file names to text.
    """
    code = zip_source(source, module=handler.rpartition(".")[0] or "app")
    client = env.client("lambda")
    variables = {"Variables": dict(environment or {})}
    try:
        client.get_function(FunctionName=name)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        created: dict[str, Any] = client.create_function(
            FunctionName=name,
            Runtime=runtime,
            Role=ensure_role(env, role_name),
            Handler=handler,
            Code={"ZipFile": code},
            Environment=variables,
        )
        return created
    client.update_function_configuration(
        FunctionName=name, Runtime=runtime, Handler=handler, Environment=variables
    )
    updated: dict[str, Any] = client.update_function_code(FunctionName=name, ZipFile=code)
    return updated
