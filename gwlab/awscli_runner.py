r"""The real AWS CLI, run inside the kernel against the lab's environment.

:func:`run_cli` takes AWS CLI commands as a learner pastes them (a leading ``aws``,
``\`` continuations, several lines), expands ``$name`` / ``{expr}`` from the
learner's variables, and runs each with awscli's own driver in this process. The
driver's session is gwlab's: it reads no config, credentials or alias file, holds
only fake keys, and every client it would make is the environment's own
``env.client(...)``, so the CLI reaches the same AWS as boto3, the gateway and the
DNS server (the embedded moto, the server's endpoint, or real AWS when the learner
opted in). What the CLI prints is kept; an error is one line, never a traceback.

awscli is imported on first use only.
"""

from __future__ import annotations

import html
import io
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwlab.awscli_support import captured_streams, import_awscli
from gwlab.backends.sandbox import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY

if TYPE_CHECKING:
    from gwlab.env import LabEnv

#: The exit code of a command gwlab refuses or cannot read (the CLI's usage-error code).
USAGE_EXIT = 2
#: The exit code the CLI gives for an error it reports (AWS's, or a parameter it rejects).
ERROR_EXIT = 255
#: The CLI's exit code after Ctrl-C (the kernel's interrupt): 128 + SIGINT.
_INTERRUPTED = 130


@dataclass(frozen=True)
class CliResult:
    """What the commands did: the CLI's output, the last parsed result, an error line."""

    #: What the CLI printed to stdout, every command that ran included.
    output: str
    #: The last command's result as JSON data (after ``--query``); ``None`` if none.
    result: Any
    #: ``""`` on success; else one line: AWS's error as the CLI prints it, or its usage error.
    error: str
    #: ``0`` on success; else the failing command's exit code.
    exit_code: int

    @property
    def ok(self) -> bool:
        """Whether every command succeeded."""
        return self.exit_code == 0

    def __repr__(self) -> str:
        kind = type(self.result).__name__ if self.result is not None else "None"
        return (
            f"CliResult(exit_code={self.exit_code}, error={self.error!r}, "
            f"output={len(self.output.splitlines())} line(s), result={kind})"
        )

    def _repr_html_(self) -> str:
        parts = []
        if self.output:
            parts.append(f"<pre>{html.escape(self.output)}</pre>")
        if self.error:
            parts.append(f"<pre style='color:#b00'>{html.escape(self.error)}</pre>")
        return f"<div class='gwlab-cli mathjax_ignore'>{''.join(parts)}</div>"


class CommandLineError(ValueError):
    """A command line that cannot be read or expanded (its message is one line)."""


# --- reading what the learner typed ---------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACED_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Scope:
    """The learner's variables, for ``$name`` and ``{expr}`` (evaluated in a copy)."""

    def __init__(self, namespace: Mapping[str, Any] | None) -> None:
        self._namespace = namespace if namespace is not None else {}
        self._globals: dict[str, Any] | None = None

    def name(self, name: str) -> str:
        if name not in self._namespace:
            hint = f" (write '${name}' in single quotes for a literal ${name})"
            raise CommandLineError(f"name {name!r} is not defined{hint}")
        return _text(self._namespace[name])

    def expression(self, source: str) -> str:
        if self._globals is None:
            self._globals = dict(self._namespace)
        try:
            return _text(eval(source, self._globals))
        except (Exception, SystemExit) as error:
            raise CommandLineError(
                f"{{{source}}}: {type(error).__name__}: {error} (write {{{{ and }}}} "
                "for literal braces, or put the text in single quotes)"
            ) from None


def _text(value: Any) -> str:
    """A variable's value as one word: a dict or list as JSON (what the CLI reads), else str."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return str(value)


def split_commands(text: str, namespace: Mapping[str, Any] | None = None) -> list[list[str]]:
    r"""The commands of ``text``, one list of words each, with variables expanded.

    Shell-like: words split on blanks; a newline ends a command unless escaped by
    ``\``; ``# ...`` at the start of a word is a comment. Single-quoted text is
    literal (``'$default'``, JSON); ``"..."`` and bare text expand ``$name``,
    ``${name}`` and ``{expr}`` from ``namespace`` (a dict or list becomes JSON);
    ``$$`` and ``\$`` are ``$``, ``{{`` and ``}}`` are braces. ``;`` and ``&&`` separate
    commands too; ``|``, ``&``, ``<`` and ``>`` (a shell's) are refused. A leading ``aws`` is
    dropped. Raises :class:`CommandLineError` (nothing expanded is returned) on an
    unknown name, a failing expression or an unclosed quote.
    """
    scope = _Scope(namespace)
    commands: list[list[str]] = []
    words: list[str] = []
    word: list[str] = []
    in_word = False
    i, n = 0, len(text)

    def end_word() -> None:
        nonlocal in_word
        if in_word:
            words.append("".join(word))
            word.clear()
            in_word = False

    def end_command() -> None:
        end_word()
        if words:
            commands.append(list(words))
            words.clear()

    while i < n:
        char = text[i]
        if char in " \t\r":
            end_word()
            i += 1
        elif char == "\n":
            end_command()
            i += 1
        elif char == "#" and not in_word:
            while i < n and text[i] != "\n":
                i += 1
        elif char == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                end_word()  # a continuation: the command goes on
                i += 2
            elif i + 1 < n:
                word.append(text[i + 1])
                in_word = True
                i += 2
            else:
                i += 1
        elif char == "'":
            close = text.find("'", i + 1)
            if close < 0:
                raise CommandLineError("a ' is not closed")
            word.append(text[i + 1 : close])
            in_word = True
            i = close + 1
        elif char == '"':
            i = _double_quoted(text, i + 1, word, scope)
            in_word = True
        elif char == ";" or text.startswith("&&", i):
            end_command()  # `a && b`, `a; b`: in order, stopping at the first that fails
            i += 1 if char == ";" else 2
        elif char in "|&<>":
            raise CommandLineError(
                f"{char!r} belongs to a shell: %aws runs AWS CLI commands only (pick from "
                "the output with --query; put the character in quotes if it is text)"
            )
        else:
            i = _expand(text, i, word, scope)
            in_word = True
    end_command()
    for command in commands:
        if command and command[0] == "aws":
            del command[0]
    return [command for command in commands if command]


def _double_quoted(text: str, i: int, word: list[str], scope: _Scope) -> int:
    """Read ``"..."`` from after its opening quote; return the index after the closing one."""
    n = len(text)
    while i < n:
        char = text[i]
        if char == '"':
            return i + 1
        if char == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                word.append(text[i + 1])
            i += 2
        else:
            i = _expand(text, i, word, scope)
    raise CommandLineError('a " is not closed')


def _expand(text: str, i: int, word: list[str], scope: _Scope) -> int:
    """Add the character at ``i`` (or the variable, expression or escape it starts)."""
    char = text[i]
    rest = text[i + 1 : i + 2]
    if char == "$":
        if rest == "$":
            word.append("$")
            return i + 2
        braced = _BRACED_NAME.match(text, i + 1)
        if braced:
            word.append(scope.name(braced.group(1)))
            return braced.end()
        named = _NAME.match(text, i + 1)
        if named:
            word.append(scope.name(named.group(0)))
            return named.end()
    elif char == "{":
        if rest == "{":
            word.append("{")
            return i + 2
        close = _closing_brace(text, i)
        source = text[i + 1 : close].strip()
        if not source:
            raise CommandLineError("{} holds no expression (write {{}} for literal braces)")
        word.append(scope.expression(source))
        return close + 1
    elif char == "}" and rest == "}":
        word.append("}")
        return i + 2
    word.append(char)
    return i + 1


def _closing_brace(text: str, start: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``start`` (Python strings skipped)."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char in "'\"":
            close = text.find(char, i + 1)
            if close < 0:
                break
            i = close
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        elif char == "\n":
            break
        i += 1
    raise CommandLineError("a { is not closed (write {{ for a literal brace)")


# --- what gwlab does not run ----------------------------------------------------------------

#: Global options that take a value (to find the command and operation words).
_VALUED_OPTIONS = {
    "--region",
    "--output",
    "--query",
    "--endpoint-url",
    "--profile",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
}


#: Global options that take none.
_FLAG_OPTIONS = {"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--version"}


def _positionals(words: list[str]) -> list[str]:
    """The command, its operation and a ``help``: words before the operation's options.

    Global options (and their values) are skipped; at the first other option the
    operation's parameters begin, whose values are not positional.
    """
    found = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("--"):
            name = word.split("=", 1)[0]
            if name not in _VALUED_OPTIONS and name not in _FLAG_OPTIONS:
                break
            skip = name in _VALUED_OPTIONS and "=" not in word
        else:
            found.append(word)
    return found


def refusal(words: list[str], env: LabEnv) -> str:
    """Why gwlab does not run ``words`` in the notebook (``""``: it runs them)."""
    positionals = _positionals(words)
    if "help" in positionals[:3]:
        named = positionals[: positionals.index("help")]
        page = "/".join(named) + ".html" if len(named) == 2 else "/".join([*named, "index.html"])
        return (
            "aws help opens a pager, which a notebook cannot show: read the page at "
            f"https://docs.aws.amazon.com/cli/v1/reference/{page}"
        )
    if positionals[:1] == ["configure"]:
        return (
            "aws configure is not used in the lab: the environment gwlab.start() opened "
            "holds the credentials and the region"
        )
    options = {word.split("=", 1)[0] for word in words if word.startswith("--")}
    if "--debug" in options:
        return "--debug is not available in the notebook (its log shows request signatures)"
    if "--profile" in options:
        return (
            "--profile is not used in the lab: commands use the credentials of the "
            f"environment gwlab.start() opened (backend {env.backend!r})"
        )
    if "--endpoint-url" in options and env.backend == "aws":
        return "--endpoint-url is not used with the aws backend: commands go to AWS itself"
    return ""


# --- the CLI's output and errors ------------------------------------------------------------

_PROGRAM = re.compile(r"^\S*: error: ", re.M)


def error_line(stderr: str, words: list[str]) -> str:
    """The one line that says what went wrong, from what the CLI wrote to stderr."""
    text = _PROGRAM.sub("aws: error: ", stderr.replace("\r", ""))
    start = text.find("aws: error: ")
    if start >= 0:
        text = text[start:]
        if "Invalid choice, valid choices are:" in text:
            return _invalid_choice(text, words)
    elif "\nusage: aws" in "\n" + text:
        text = text.split("aws <command> <subcommand> help\n", 1)[-1]
    return " ".join(text.split())


def _invalid_choice(text: str, words: list[str]) -> str:
    head, _, listing = text.partition("Invalid choice, valid choices are:")
    head = head.strip()
    listing, _, suggestion = listing.partition("Invalid choice: ")
    other = ""
    if "argument command:" in head and _positionals(words):
        program = _positionals(words)[0]
        other = f" (only AWS CLI commands run here: run other programs as !{program} ...)"
    if suggestion:
        value, _, names = suggestion.partition(", maybe you meant:")
        meant = ", ".join(name for name in names.replace("*", " ").split())
        return f"{head} Invalid choice: {value.strip()}, maybe you meant: {meant}{other}"
    option = re.search(r"argument (--[\w-]+):", head)
    if option:
        choices = [name for name in listing.replace("|", " ").split()]
        given = words[words.index(option.group(1)) + 1] if option.group(1) in words[:-1] else ""
        value = f": {given!r}" if given else ""
        return f"{head} Invalid choice{value}, valid choices are: {', '.join(choices)}"
    positionals = _positionals(words)
    index = 1 if "argument operation" in head else 0
    if index >= len(positionals):
        return f"{head} Invalid choice"
    return f"{head} Invalid choice: {positionals[index]!r}{other}"


def aws_error_line(error: Any, operation_name: str) -> str:
    """AWS's error as the CLI prints it, e.g. ``An error occurred (ConflictException) ...``.

    botocore adds ``(reached max retries: 0)`` when a client allows one attempt, as the
    moto backends' clients do; the CLI's clients retry, so it says so only after retries.
    """
    response = getattr(error, "response", {}) or {}
    details = response.get("Error", {})
    code = details.get("Code", "Unknown")
    message = details.get("Message", "Unknown")
    metadata = response.get("ResponseMetadata", {})
    retries = ""
    if metadata.get("MaxAttemptsReached") and metadata.get("RetryAttempts"):
        retries = f" (reached max retries: {metadata['RetryAttempts']})"
    line = f"An error occurred ({code}) when calling the {operation_name} operation{retries}: "
    return " ".join((line + str(message)).split())


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time (a handler made once keeps it)."""

    def write(self, text: str) -> int:
        """Write to the current ``sys.stderr``."""
        return sys.stderr.write(text)

    def flush(self) -> None:
        """Flush the current ``sys.stderr``."""
        sys.stderr.flush()


# --- the driver -----------------------------------------------------------------------------


class _Runner:
    """awscli's driver on gwlab's session, made once per process, used under a lock."""

    def __init__(self) -> None:
        awscli = import_awscli()
        from awscli.clidriver import (  # type: ignore[import-untyped]
            CLIDriver,
            CLIOperationCaller,
            ServiceOperation,
        )

        self.lock = threading.Lock()
        self.env: LabEnv | None = None
        self.stdout: io.StringIO = io.StringIO()
        self.results: list[Any] = []
        #: The error line of the command running now ("" while none).
        self.error = ""
        self.session = _make_session(self, awscli)
        caller = _make_caller(CLIOperationCaller, self)

        class GwlabDriver(CLIDriver):  # type: ignore[misc]
            """The CLI's driver, whose top-level parser is built once per process.

            The aws command builds it once per process too; its commands and options do
            not change from one command to the next.
            """

            _parser: Any = None

            def _create_parser(self, command_table: Any) -> Any:
                if self._parser is None:
                    self._parser = super()._create_parser(command_table)
                return self._parser

        self.driver = GwlabDriver(session=self.session)
        from awscli.alias import AliasLoader  # type: ignore[import-untyped]

        # Never ~/.aws/cli/alias: a path that cannot exist (AliasLoader skips a missing file).
        self.driver.alias_loader = AliasLoader(os.path.join(os.devnull, "alias"))

        def use_gwlab_caller(command_table: Any, command_object: Any, **_: Any) -> None:
            """Give each plain operation gwlab's caller (same model, same name)."""
            model = getattr(command_object, "service_model", None)
            if model is None:
                return
            from botocore import xform_name

            for operation in model.operation_names:
                cli_name = xform_name(operation, "-")
                if type(command_table.get(cli_name)) is ServiceOperation:
                    command_table[cli_name] = ServiceOperation(
                        name=cli_name,
                        parent_name=command_object.name,
                        operation_caller=caller,
                        operation_model=model.operation_model(operation),
                        session=self.session,
                    )

        events = self.session.get_component("event_emitter")
        events.register_last("building-command-table", use_gwlab_caller)
        # awscli adds a parameter-file handler at every ``session-initialized`` (once per
        # process for the aws command; here once per command, so they would pile up): one
        # is added here instead, for ``file://`` and ``fileb://`` only. The CLI v1 would also
        # fetch ``http(s)://`` values (an integration URI!); version 2 does not, nor does gwlab.
        from awscli.paramfile import (  # type: ignore[import-untyped]
            LOCAL_PREFIX_MAP,
            URIArgumentHandler,
            register_uri_param_handler,
        )

        events.unregister("session-initialized", register_uri_param_handler)
        events.register("load-cli-arg", URIArgumentHandler(dict(LOCAL_PREFIX_MAP)))

    def run(self, words: list[str], env: LabEnv) -> tuple[str, Any, str, int]:
        """One command: ``(output, result, error line, exit code)``."""
        reason = refusal(words, env)
        if reason:
            return "", None, reason, USAGE_EXIT
        with self.lock:
            self.env = env
            self.stdout = io.StringIO()
            self.results = []
            self.error = ""
            self.session.set_config_variable("region", env.region)
            with captured_streams() as (out, err):
                self.session.running = True
                try:
                    code = self.driver.main(list(words))
                except SystemExit as leaving:
                    code = _exit_code(leaving.code)
                except Exception as error:  # the driver catches its own; this is a last guard
                    print(f"{type(error).__name__}: {error}", file=sys.stderr)
                    code = ERROR_EXIT
                finally:
                    self.session.running = False
                    self.session.forget_command()
            self.env = None
            output = self.stdout.getvalue() + out.getvalue()
            result = self.results[-1] if self.results else None
        if code == 0:
            return output, result, "", 0
        line = (
            self.error
            or error_line(err.getvalue(), words)
            or ("interrupted" if code == _INTERRUPTED else f"the command failed (exit code {code})")
        )
        return output, None, line, code or ERROR_EXIT


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return USAGE_EXIT


#: Events whose handlers build the command and argument tables the driver keeps.
_TABLE_EVENTS = {"building-command-table", "building-argument-table", "building-top-level-params"}
#: Events of one operation's run, which awscli's arguments register for any operation.
_OPERATION_EVENTS = {"calling-command", "before-building-argument-table-parser"}
_ANY = {"", "*", "*.*"}


def _make_session(runner: _Runner, awscli: Any) -> Any:
    """A botocore session for the driver that reads nothing of the learner's and no variable.

    Its clients are the environment's (:meth:`LabEnv.client`); a client the CLI wants
    elsewhere (another endpoint, own keys) is made from fake keys.
    """
    import botocore.session

    from gwlab.startup.loaders import FILE_LOADER, MachineCachedLoader

    data_folder = os.path.join(os.path.dirname(awscli.__file__), "data")
    fixed: dict[str, tuple[Any, Any, Any, Any]] = {
        # (config name, environment variables, default, conversion): none read a variable.
        "profile": (None, None, None, None),
        "region": (None, None, None, None),
        "config_file": (None, None, os.devnull, None),
        "credentials_file": (None, None, os.devnull, None),
        "data_path": (None, None, data_folder, None),
        "output": (None, None, "json", None),
        "ca_bundle": (None, None, None, None),
        "api_versions": (None, None, {}, None),
    }

    class GwlabCliSession(botocore.session.Session):  # type: ignore[misc]
        """The driver's session: the environment's clients, fake keys, no files."""

        _logging_to_stderr = False
        #: Whether a command is running (its handlers are removed when it ends).
        running = False
        #: ``service.operation`` while that operation's argument table is built.
        _building_arguments = ""
        #: How deep inside the building of a cached command or argument table.
        _building = 0

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            #: What the running command registered: ``(method, event, handler, id, count)``.
            self.registered: list[tuple[str, str, Any, Any, bool]] = []
            super().__init__(*args, **kwargs)

        # awscli runs one command per process: handlers its customizations register while
        # a command runs are meant to live as long as the process, i.e. that command, and
        # handlers registered for "any command" while an operation's arguments are built
        # (--generate-cli-skeleton, --cli-input-json) are meant for that operation, the
        # only one there is. Here the driver and its tables serve every command, so the
        # first are removed when the command ends and the second scoped to the operation.

        def emit(self, event_name: str, **kwargs: Any) -> Any:
            """Emit, noting when a kept table (commands, arguments) is being built."""
            family, _, rest = event_name.partition(".")
            if family not in _TABLE_EVENTS:
                return super().emit(event_name, **kwargs)
            outer = self._building_arguments
            self._building += 1
            if family == "building-argument-table":
                self._building_arguments = rest
            try:
                return super().emit(event_name, **kwargs)
            finally:
                self._building -= 1
                self._building_arguments = outer

        def _note(self, method: str, event_name: str, handler: Any, *args: Any) -> str:
            family, _, rest = event_name.partition(".")
            if self._building_arguments and family in _OPERATION_EVENTS and rest in _ANY:
                return f"{family}.{self._building_arguments}"
            if self.running and not self._building:
                self.registered.append((method, event_name, handler, *args))
            return event_name

        def register(
            self,
            event_name: str,
            handler: Any,
            unique_id: Any = None,
            unique_id_uses_count: bool = False,
        ) -> None:
            """Register, for the running command only or scoped to its operation."""
            name = self._note("register", event_name, handler, unique_id, unique_id_uses_count)
            super().register(name, handler, unique_id, unique_id_uses_count)

        def register_first(
            self,
            event_name: str,
            handler: Any,
            unique_id: Any = None,
            unique_id_uses_count: bool = False,
        ) -> None:
            """Register first, for the running command only or scoped to its operation."""
            name = self._note("first", event_name, handler, unique_id, unique_id_uses_count)
            super().register_first(name, handler, unique_id, unique_id_uses_count)

        def register_last(
            self,
            event_name: str,
            handler: Any,
            unique_id: Any = None,
            unique_id_uses_count: bool = False,
        ) -> None:
            """Register last, for the running command only or scoped to its operation."""
            name = self._note("last", event_name, handler, unique_id, unique_id_uses_count)
            super().register_last(name, handler, unique_id, unique_id_uses_count)

        def forget_command(self) -> None:
            """Remove what the command that ended registered."""
            while self.registered:
                _, event_name, handler, unique_id, counted = self.registered.pop()
                self.unregister(event_name, handler, unique_id, counted)

        def set_stream_logger(self, logger_name: str, log_level: int, *_: Any, **__: Any) -> None:
            """Send awscli's errors to stderr (the command's, while it runs), with one handler.

            awscli asks for it at every command (once per process for the aws command);
            botocore would add a handler and set the logger to DEBUG each time.
            """
            if logger_name == "awscli" and not self._logging_to_stderr:
                handler = logging.StreamHandler(_CurrentStderr())
                handler.setLevel(log_level)
                logging.getLogger(logger_name).addHandler(handler)
                self._logging_to_stderr = True

        def create_client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
            """The environment's client for a plain request; else one with fake keys."""
            env = runner.env
            if env is None:
                raise RuntimeError("the AWS CLI runs only through gwlab.run_cli")
            options = dict(
                zip(
                    ("region_name", "api_version", "use_ssl", "verify", "endpoint_url"),
                    args,
                    strict=False,
                )
            )
            options.update(kwargs)
            region = options.get("region_name") or env.region
            endpoint = options.get("endpoint_url")
            special = {
                key
                for key, value in options.items()
                if value is not None and key not in ("region_name", "use_ssl", "verify")
            }
            if not special or (special == {"endpoint_url"} and endpoint == env.endpoint_url):
                return env.client(service_name, region)
            if env.backend == "aws":
                raise RuntimeError("with the aws backend the CLI uses only the lab's clients")
            options.setdefault("endpoint_url", env.endpoint_url)
            options["region_name"] = region
            return super().create_client(service_name, **options)

    session = GwlabCliSession(session_vars=fixed)
    # botocore's data as gwlab's sessions read it, plus awscli's own folder (cli.json).
    session.register_component(
        "data_loader",
        MachineCachedLoader(extra_search_paths=[data_folder], file_loader=FILE_LOADER),
    )
    session.set_credentials(FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY)
    session.user_agent_name = "aws-cli"
    session.user_agent_version = awscli.__version__
    from awscli.plugin import load_plugins  # type: ignore[import-untyped]

    load_plugins({}, event_hooks=session.get_component("event_emitter"))
    return session


def _make_caller(base: type, runner: _Runner) -> Any:
    """The CLI's operation caller, writing into the run's output and keeping the result."""
    import jmespath  # type: ignore[import-untyped]
    from awscli.formatter import get_formatter  # type: ignore[import-untyped]
    from awscli.utils import create_nested_client, json_encoder  # type: ignore[import-untyped]
    from botocore import xform_name
    from botocore.exceptions import ClientError

    class GwlabOperationCaller(base):  # type: ignore[misc]
        """Call the operation as awscli does; format into the run's output; keep the data."""

        def invoke(
            self,
            service_name: str,
            operation_name: str,
            parameters: dict[str, Any],
            parsed_globals: Any,
        ) -> int:
            """Make the call (all pages), print it as the CLI does, keep it as JSON data."""
            client = create_nested_client(
                runner.session,
                service_name,
                region_name=parsed_globals.region,
                endpoint_url=parsed_globals.endpoint_url,
            )
            method = xform_name(operation_name)
            try:
                if client.can_paginate(method) and parsed_globals.paginate:
                    data = _all_pages(client, method, operation_name, parameters)
                else:
                    data = getattr(client, method)(**parameters)
            except ClientError as error:
                runner.error = aws_error_line(error, operation_name)
                return ERROR_EXIT
            data.pop("ResponseMetadata", None)
            # As JSON data: timestamps as ISO text in every output format, as printed.
            data = json.loads(json.dumps(data, default=json_encoder))
            shown = data if parsed_globals.query is None else parsed_globals.query.search(data)
            runner.results.append(shown)
            output = parsed_globals.output or runner.session.get_config_variable("output")
            get_formatter(output, parsed_globals)(operation_name, data, runner.stdout)
            return 0

    def _all_pages(client: Any, method: str, operation_name: str, parameters: Any) -> Any:
        """Every page of the answer, as awscli's paginator gives them, merged.

        Most answers are one page: the operation is called once, and only when the
        answer names a next page does the paginator ask for them all (from the first
        again), as the CLI does. Pagination options (``--max-items``...) go to it at once.
        """
        if "PaginationConfig" not in parameters:
            model = runner.session.get_paginator_model(client.meta.service_model.service_name)
            tokens = model.get_paginator(operation_name)["output_token"]
            page = getattr(client, method)(**parameters)
            names = tokens if isinstance(tokens, list) else [tokens]
            if not any(jmespath.search(name, page) for name in names):
                return page
        return client.get_paginator(method).paginate(**parameters).build_full_result()

    return GwlabOperationCaller(runner.session)


_runner: _Runner | None = None
_runner_lock = threading.Lock()


def _the_runner() -> _Runner:
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = _Runner()
        return _runner


def _current_env() -> LabEnv:
    """The kernel's environment: the lab session's (started if there is none)."""
    from gwlab.lab.session import current_session

    return current_session().env


def run_cli(
    command: str,
    *,
    env: LabEnv | None = None,
    namespace: Mapping[str, Any] | None = None,
) -> CliResult:
    """Run AWS CLI ``command`` (one or more lines) against ``env`` and return what it did.

    ``env`` defaults to the kernel's current environment; ``namespace`` gives the
    variables of ``$name`` and ``{expr}``. Commands run in order and stop at the first
    that fails. Nothing is raised for a learner's mistake: it is :attr:`CliResult.error`.
    """
    try:
        commands = split_commands(command, namespace)
    except CommandLineError as error:
        return CliResult("", None, str(error), USAGE_EXIT)
    if not commands:
        return CliResult("", None, "no AWS CLI command to run", USAGE_EXIT)
    chosen = env if env is not None else _current_env()
    runner = _the_runner()
    outputs: list[str] = []
    result: Any = None
    for words in commands:
        output, result, failure, code = runner.run(words, chosen)
        outputs.append(output)
        if code != 0:
            return CliResult("".join(outputs), None, failure, code)
    return CliResult("".join(outputs), result, "", 0)
