"""``gwlab.start()`` and the environment it returns.

An environment (:class:`LabEnv`) is one place AWS lives, opened for the
lab: it hands out boto3 clients bound to that place and closes everything it
opened when it is closed.
"""

from __future__ import annotations

import html
import os
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gwlab.backends import BACKEND_NAMES, Backend, open_backend
from gwlab.errors import (
    EnvClosedError,
    LocalOnlyError,
    NoLocalDnsError,
    NoLocalGatewayError,
    UnknownBackendError,
)

if TYPE_CHECKING:
    from gwlab.dns import DnsServer
    from gwlab.gateway import Gateway

#: The environment variable that picks the backend when ``start()`` is not told.
BACKEND_ENV_VAR = "GWLAB_BACKEND"
#: Points the ``aws`` backend at a stand-in (e.g. ``gwlab serve``) to rehearse a real-AWS
#: class, or to test real-AWS code paths; the opt-in is still required.
AWS_STAND_IN_ENV_VAR = "GWLAB_AWS_ENDPOINT_URL"
DEFAULT_BACKEND = "embedded"
DEFAULT_REGION = "us-east-1"
DEFAULT_SEED = 42


class LabEnv:
    """A running backend: boto3 clients, its region and endpoint, and ``close()``.

    Use it as a context manager, or call :meth:`close` when done::

        with gwlab.start() as env:
            env.client("apigatewayv2").get_apis()
    """

    def __init__(self, backend: Backend, seed: int) -> None:
        self._backend = backend
        self._seed = seed
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._gateway: Gateway | None = None
        self._dns: DnsServer | None = None

    @property
    def backend(self) -> str:
        """``"embedded"``, ``"server"`` or ``"aws"``."""
        return self._backend.name

    @property
    def region(self) -> str:
        """The region clients use unless told otherwise."""
        return self._backend.region

    @property
    def endpoint_url(self) -> str | None:
        """The server backend's ``http://127.0.0.1:<port>``; ``None`` otherwise."""
        return self._backend.endpoint_url

    @property
    def seed(self) -> int | None:
        """The seed of generated IDs (``None`` for real AWS, which picks its own)."""
        return None if self.backend == "aws" else self._seed

    @property
    def learner(self) -> str | None:
        """Who the ``aws`` backend names and tags resources for (``None`` elsewhere)."""
        return getattr(self._backend, "learner", None)

    @property
    def closed(self) -> bool:
        """Whether the environment has been closed (or superseded)."""
        return self._backend.closed_reason is not None

    def client(self, service: str, region_name: str | None = None) -> Any:
        """A boto3 client for ``service`` bound to this environment's backend.

        ``region_name`` defaults to :attr:`region`; clients are reused per
        service and region. A client used after :meth:`close` raises
        :class:`~gwlab.errors.EnvClosedError` instead of sending anything.
        """
        self._check_open()
        region = region_name or self.region
        key = (service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._backend.new_client(service, region)
                client.meta.events.register_first("before-send", self._refuse_when_closed)
                self._clients[key] = client
            return client

    @property
    def gateway(self) -> Gateway:
        """The local gateway: send requests to this environment's APIs and domains.

        Not available against real AWS, where the real endpoints answer.
        """
        self._check_open()
        if self.backend == "aws":
            raise NoLocalGatewayError()
        with self._lock:
            if self._gateway is None:
                from gwlab.gateway import Gateway

                self._gateway = Gateway(
                    self.region, seed=self._seed, endpoint_url=self.endpoint_url
                )
                self._backend.on_close(self._gateway.close)
            return self._gateway

    @property
    def dns(self) -> DnsServer:
        """The lab's DNS server: Route 53's hosted zones, answered on 127.0.0.1.

        Started on first use and closed with the environment. ``env.dns.address``
        is ``(host, port)`` for ``dig @127.0.0.1 -p PORT api.example.com A``;
        ``env.dns.resolve("api.example.com")`` asks it from Python. It answers
        only changes that are ``INSYNC`` (see :attr:`propagation_delay`). With
        the ``aws`` backend there is none: :class:`~gwlab.errors.NoLocalDnsError`.
        """
        self._check_open()
        if self.backend == "aws":
            raise NoLocalDnsError()
        with self._lock:
            if self._dns is None:
                from gwlab.dns import DnsServer

                self._dns = DnsServer()
                self._backend.on_close(self._dns.close)
            return self._dns

    @property
    def propagation_delay(self) -> float:
        """Seconds a Route 53 change stays ``PENDING`` before it is ``INSYNC`` (default 0).

        Set it to show learners the wait, e.g. ``env.propagation_delay = 5``:
        changes submitted from then on report ``PENDING`` to ``GetChange`` (and
        the ``resource_record_sets_changed`` waiter) and reach ``env.dns`` only
        once that many seconds have passed. Each environment starts at 0.
        """
        self._check_emulated_route53()
        from gwlab.emulator.route53 import propagation_delay

        return propagation_delay()

    @propagation_delay.setter
    def propagation_delay(self, seconds: float) -> None:
        self._check_emulated_route53()
        from gwlab.emulator.route53 import set_propagation_delay

        set_propagation_delay(seconds)

    def _check_emulated_route53(self) -> None:
        self._check_open()
        if self.backend == "aws":
            raise LocalOnlyError(
                "propagation_delay exists only in the emulated AWS: real Route 53 takes the "
                "time it takes (wait for it with the resource_record_sets_changed waiter)"
            )

    def close(self) -> None:
        """Close the gateway, the DNS server, every client and the backend (idempotent)."""
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        for client in clients:
            client.close()
        self._backend.close()

    def _refuse_when_closed(self, **_: Any) -> None:
        self._check_open()

    def _check_open(self) -> None:
        reason = self._backend.closed_reason
        if reason is not None:
            raise EnvClosedError(reason)

    def __enter__(self) -> LabEnv:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _fields(self) -> list[tuple[str, str]]:
        fields = [("backend", self.backend), ("region", self.region)]
        if self.seed is not None:
            fields.append(("seed", str(self.seed)))
        if self.endpoint_url is not None:
            fields.append(("endpoint_url", self.endpoint_url))
        if self.closed:
            fields.append(("closed", str(self._backend.closed_reason)))
        return fields

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{name}={value!r}" if name != "seed" else f"{name}={value}"
            for name, value in self._fields()
        )
        return f"LabEnv({inner})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
            f"<td style='text-align:left'><code>{html.escape(value)}</code></td></tr>"
            for name, value in self._fields()
        )
        return f"<table class='gwlab-env'><caption>gwlab environment</caption>{rows}</table>"


#: The last moto-backed environment ``start()`` opened (the process has one emulated AWS).
_moto_env: LabEnv | None = None


def start(
    backend: str | None = None,
    *,
    region: str = DEFAULT_REGION,
    seed: int = DEFAULT_SEED,
    port: int = 0,
    learner: str | None = None,
    endpoint_url: str | None = None,
) -> LabEnv:
    """Open an environment on ``backend`` and return it.

    ``backend`` is ``"embedded"`` (moto in this process; the default),
    ``"server"`` (the same moto on ``127.0.0.1:<port>``, ``0`` = a free port)
    or ``"aws"`` (real AWS; refuses unless ``GWLAB_ALLOW_REAL_AWS=1``). When not
    given, ``$GWLAB_BACKEND`` decides. ``seed`` makes every generated ID repeat
    from run to run in both moto backends. ``learner`` names who the ``aws``
    backend tags resources for; ``endpoint_url`` puts a stand-in where AWS
    would be (tests of the ``aws`` code paths).
    """
    global _moto_env
    name = backend if backend is not None else os.environ.get(BACKEND_ENV_VAR, DEFAULT_BACKEND)
    name = name.strip().lower()
    if name == "aws" and endpoint_url is None:
        endpoint_url = os.environ.get(AWS_STAND_IN_ENV_VAR) or None
    if name not in BACKEND_NAMES:
        raise UnknownBackendError(name, BACKEND_NAMES)
    opened = open_backend(
        name, region=region, seed=seed, port=port, learner=learner, endpoint_url=endpoint_url
    )
    env = LabEnv(opened, seed)
    if name != "aws":
        _moto_env = env
    return env


def open_moto_env() -> LabEnv | None:
    """The process's open moto-backed environment, if any (what a ``gwlab.Lab`` adopts).

    There is one emulated AWS per process, so at most one is open: the newest
    ``start()`` of the embedded or server backend, until it is closed or superseded.
    """
    global _moto_env
    env = _moto_env
    if env is None:
        return None
    from gwlab.backends.moto_backed import current_owner  # imported: env opened one

    if env.closed or env._backend is not current_owner():
        _moto_env = None
        return None
    return env
