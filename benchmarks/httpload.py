"""One HTTP client for the gateway's throughput figure (run as a separate process).

``python -m benchmarks.httpload URL HOST START SECONDS`` waits until the wall
clock reads ``START``, then sends ``GET URL`` with ``Host: HOST`` back to back
for ``SECONDS`` and prints how many answers were ``200`` and how many were not.
It imports nothing heavy, so that it starts quickly and leaves the cores to
the server.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def load(url: str, host: str, start: float, seconds: float) -> dict[str, float]:
    """Send requests for ``seconds`` from ``start`` (or from now, when this client starts
    late on a loaded machine); count the answers and the seconds they took."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    counts: dict[str, float] = {"ok": 0, "other": 0}
    time.sleep(max(0.0, start - time.time()))
    began = time.perf_counter()
    end = began + seconds
    while True:  # at least one request, so a rate always has something to count
        connection.request("GET", parts.path or "/", headers={"Host": host})
        response = connection.getresponse()
        response.read()
        counts["ok" if response.status == 200 else "other"] += 1
        if time.perf_counter() >= end:
            break
    counts["seconds"] = time.perf_counter() - began
    connection.close()
    return counts


def main(argv: list[str]) -> int:
    """Run one client and print its counts as JSON."""
    url, host, start, seconds = argv
    print(json.dumps(load(url, host, float(start), float(seconds))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
