"""The boto3 code of a step: from the calls it made, or from its AWS CLI line.

:func:`boto3_code` writes recorded :class:`~gwlab.lab.calls.Call` objects as Python
a learner can copy and run against the lab (``lab.env.client(...)``).
:func:`calls_from_cli` turns an ``aws ...`` line into the calls it would make, with
awscli's own argument parsing (shorthand, JSON, lists): the CLI runs with a handler
that captures the parameters and stops before anything is signed or sent. awscli is
imported only then; without it, :class:`CodeError` says so and the CLI line is shown.
"""

from __future__ import annotations

import contextlib
import keyword
import os
import re
import shlex
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from botocore import xform_name

from gwlab.awscli_support import captured_streams, import_awscli
from gwlab.lab.calls import Blob, Call, clean

#: A value the CLI line leaves to the learner: ``<api-id>``, ``$API_ID``, ``${API_ID}``.
PLACEHOLDER = re.compile(r"<[^<>]+>|\$\{?[A-Z_][A-Z0-9_]*\}?")
#: Lines are wrapped when longer than this.
WIDTH = 88
#: Names a ``fileb://`` argument while awscli parses the line (see :func:`_file_marker`).
_FILE_MARK = "gwlab-file-argument:"


class CodeError(ValueError):
    """A CLI line that cannot be written as boto3 code (one line, for the card)."""


class _Captured(Exception):
    """Raised by the capturing handler: the call is recorded, nothing is sent."""


class _FileArgument:
    """A ``fileb://path`` value: written as ``open(path, "rb").read()``."""

    def __init__(self, path: str, binary: bool) -> None:
        self.path = path
        self.binary = binary

    def __repr__(self) -> str:
        if self.binary:
            return f"open({self.path!r}, 'rb').read()"
        return f"open({self.path!r}).read()"


def boto3_code(calls: Iterable[Call], *, source: str = "lab.env", region: str = "") -> str:
    """Python that makes ``calls``: one client per service (and region), then each call.

    ``source`` is what the clients come from (``lab.env``, whose ``client`` method
    returns the lab's clients); ``region`` is its default region (other regions are
    named). A zip sent as bytes is read from ``function.zip``, as the CLI does (other
    long bytes from ``data.bin``). The same call made several times in a row (polling
    until a change is applied) is written once, with a comment saying how many times.
    """
    calls = list(calls)
    if not calls:
        return ""
    clients: dict[tuple[str, str], str] = {}
    lines: list[str] = []
    body: list[tuple[tuple[Any, ...], str, int]] = []  # (what, code, how many times)
    for call in calls:
        key = (call.service, call.region if call.region and call.region != region else "")
        same = (key, call.operation, call.waiter, repr(call.params))
        if body and body[-1][0] == same:
            body[-1] = (same, body[-1][1], body[-1][2] + 1)
            continue
        if key not in clients:
            name = _identifier(call.service + (f"_{key[1]}" if key[1] else ""))
            clients[key] = name
            extra = f", region_name={key[1]!r}" if key[1] else ""
            lines.append(f"{name} = {source}.client({call.service!r}{extra})")
        body.append((same, _call_line(clients[key], call), 1))
    written = [code if n == 1 else f"{code}  # made {n} times in a row" for _, code, n in body]
    return "\n".join([*lines, *written])


def _identifier(text: str) -> str:
    """A variable name for a client: ``lambda`` (a keyword) becomes ``lambda_``."""
    name = re.sub(r"\W", "_", text)
    return f"{name}_" if keyword.iskeyword(name) else name


def _call_line(client: str, call: Call) -> str:
    target = (
        f"{client}.get_waiter({xform_name(call.waiter)!r}).wait"
        if call.waiter
        else f"{client}.{call.method}"
    )
    arguments = [f"{name}={_literal(value)}" for name, value in call.params.items()]
    line = f"{target}({', '.join(arguments)})"
    if len(line) <= WIDTH and "\n" not in line:
        return line
    wrapped = [
        f"    {name}={_literal(value, 1, len(name) + 6)}," for name, value in call.params.items()
    ]
    return "\n".join([f"{target}(", *wrapped, ")"])


def _literal(value: Any, depth: int = 0, used: int = 0) -> str:
    """A Python literal for ``value``: on one line when it fits, else one item a line."""
    value = _for_code(value)
    flat = repr(value)
    if len(flat) + used + 4 * depth <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = "    " * (depth + 1)
    if isinstance(value, dict):
        items = [
            f"{inner}{key!r}: {_literal(item, depth + 1, len(repr(key)) + 2)},"
            for key, item in value.items()
        ]
        opening, closing = "{", "}"
    else:
        items = [f"{inner}{_literal(item, depth + 1)}," for item in value]
        opening, closing = "[", "]"
    return "\n".join([opening, *items, "    " * depth + closing])


def _for_code(value: Any) -> Any:
    if isinstance(value, Blob):  # bytes not kept: read from a file, as the CLI's fileb://
        return _FileArgument("function.zip" if value.kind == "zip" else "data.bin", True)
    if isinstance(value, Mapping):
        return {key: _for_code(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_for_code(item) for item in value]
    return value


# --- from an AWS CLI line ------------------------------------------------------------------------

_driver_lock = threading.Lock()
_driver: Any = None
_captured: list[Call] = []
#: The ``fileb://`` arguments of the command being parsed, by their marker.
_files: dict[bytes, _FileArgument] = {}


def calls_from_cli(line: str, *, region: str = "us-east-1") -> list[Call]:
    """The AWS calls the ``aws ...`` commands of ``line`` make (joined by ``&&``).

    A command that is not ``aws`` (``curl``, ``dig``) makes no AWS call and adds
    nothing. Raises :class:`CodeError` for a placeholder the learner must fill in
    (``<api-id>``), a line awscli refuses, or when awscli is not installed.
    """
    calls: list[Call] = []
    for command in _commands(line):
        if command[0] != "aws":
            continue
        for word in command:
            found = PLACEHOLDER.search(word)
            if found:
                raise CodeError(f"the line has a placeholder to fill in: {found.group(0)}")
        calls.append(_parse(command[1:], region))
    return calls


def _commands(line: str) -> list[list[str]]:
    try:
        words = shlex.split(line.replace("\\\n", " "))
    except ValueError as error:
        raise CodeError(f"the line cannot be split into words: {error}") from None
    commands: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", ";", "||"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [command for command in commands if command]


def _parse(arguments: list[str], region: str) -> Call:
    """One ``aws`` command (without ``aws``) as the call it makes, sending nothing."""
    words = list(arguments)
    chosen = region
    if "--region" in words[:-1]:
        chosen = words[words.index("--region") + 1]
    with _driver_lock:
        driver = _the_driver()
        _captured.clear()
        _files.clear()
        driver.session.set_config_variable("region", region)
        # A usage error exits (SystemExit): its text, on stderr, is kept for the reason.
        # Only this thread's writes are taken (the gateway's threads print on).
        with captured_streams() as (_, errors), contextlib.suppress(SystemExit):
            driver.main(words)
        captured = list(_captured)
        files = dict(_files)
    if not captured:
        raise CodeError(_reason(errors.getvalue()))
    call = captured[0]
    waiter = ""
    if len(words) > 2 and words[1] == "wait":
        waiter = "".join(part.capitalize() for part in words[2].split("-"))
    return Call(
        call.service,
        call.operation,
        _with_files(call.params, files),
        region=chosen,
        waiter=waiter,
    )


#: Lines of awscli's usage text around a usage error: not the reason.
_BOILERPLATE = (
    "usage:",
    "Note: AWS CLI version 2",
    "To see help text",
    "aws help",
    "aws <command>",
)


def _reason(said: str) -> str:
    """The complaint of awscli in one line, without its usage text and version notice."""
    lines = [line.strip() for line in said.replace("\r", "\n").splitlines() if line.strip()]
    for line in lines:
        if "error: " in line:  # argparse: "aws: error: the following arguments are required"
            return line.split("error: ", 1)[1].removesuffix(", valid choices are:")
    kept = [line for line in lines if not line.startswith(_BOILERPLATE)]
    return " ".join(" ".join(kept).split()) or "awscli made no call"


def _with_files(value: Any, files: Mapping[bytes, _FileArgument]) -> Any:
    if isinstance(value, bytes) and value in files:
        return files[value]
    if isinstance(value, Mapping):
        return {key: _with_files(item, files) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_files(item, files) for item in value]
    return value


def _file_marker(index: int) -> bytes:
    """An empty zip whose comment numbers a ``fileb://`` argument.

    awscli checks that ``--zip-file`` holds a zip: this one passes, and it is short
    enough for :func:`~gwlab.lab.calls.clean` to keep as bytes.
    """
    comment = f"{_FILE_MARK}{index}".encode()
    return b"PK\x05\x06" + bytes(16) + len(comment).to_bytes(2, "little") + comment


def _file_argument(prefix: str, path: str) -> bytes:
    """Loads ``fileb://path`` for awscli: a marker instead of the file (it may not exist)."""
    marker = _file_marker(len(_files))
    _files[marker] = _FileArgument(path[len(prefix) :], binary=True)
    return marker


def _parsing_session(awscli: Any, load_plugins: Any) -> Any:
    """A botocore session for parsing: it reads no file or variable of the learner's.

    awscli's own (``create_clidriver``) reads the config and credentials files, their
    plugins and ``AWS_DATA_PATH``; this one gets awscli's data folder directly.
    """
    import botocore.session

    unread = (None, None)  # no config-file name, no environment variable
    session = botocore.session.Session(
        session_vars={
            "profile": (*unread, None, None),
            "region": (*unread, None, None),
            "config_file": (*unread, os.devnull, None),
            "credentials_file": (*unread, os.devnull, None),
            "data_path": (*unread, os.path.join(os.path.dirname(awscli.__file__), "data"), None),
            "api_versions": (*unread, {}, None),
            "output": (*unread, "json", None),
        }
    )
    session.user_agent_name = "aws-cli"
    session.user_agent_version = awscli.__version__
    load_plugins({}, event_hooks=session.get_component("event_emitter"))
    return session


def _no_logger(*_: Any, **__: Any) -> None:
    """In place of the driver's ``session.set_stream_logger``: no handler is added."""


def _the_driver() -> Any:
    """Awscli's driver, made once, with a handler that captures calls and stops them."""
    global _driver
    if _driver is None:
        try:
            awscli = import_awscli()
            from awscli.alias import AliasLoader  # type: ignore[import-untyped]
            from awscli.clidriver import CLIDriver  # type: ignore[import-untyped]
            from awscli.paramfile import (  # type: ignore[import-untyped]
                URIArgumentHandler,
                get_file,
                register_uri_param_handler,
            )
            from awscli.plugin import load_plugins  # type: ignore[import-untyped]
        except ImportError:
            raise CodeError("awscli is not installed: only the CLI line is shown") from None
        driver = CLIDriver(session=_parsing_session(awscli, load_plugins))
        # Never the learner's ~/.aws/cli/alias: a path that cannot exist (none is read).
        driver.alias_loader = AliasLoader(os.path.join(os.devnull, "alias"))
        # awscli adds a stream handler to the "awscli" logger at every command (one command
        # per process, for it): this driver only parses, and adds none.
        driver.session.set_stream_logger = _no_logger

        def capture(params: Mapping[str, Any], model: Any, **_: Any) -> None:
            service = str(model.service_model.service_name)
            _captured.append(Call(service, model.name, clean(params)))

        def stop(**_: Any) -> None:
            raise _Captured()

        # awscli registers its file and URL loader again on every command (a new handler
        # each time, and one that fetches http(s):// values): one loader instead, that
        # reads file:// as the CLI does and never fetches a URL; fileb:// is a marker.
        driver.session.unregister("session-initialized", register_uri_param_handler)
        loaders = {"file://": (get_file, {"mode": "r"}), "fileb://": (_file_argument, {})}
        driver.session.register("load-cli-arg", URIArgumentHandler(loaders))
        driver.session.register("before-parameter-build", capture)
        driver.session.register("before-call", stop)
        # Never look for real credentials: nothing is signed or sent.
        driver.session.set_credentials("AKIDGWLABEXAMPLE", "not-a-secret")
        _driver = driver
    return _driver
