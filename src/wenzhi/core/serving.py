"""How ``wenzhi serve`` runs the web server: granian's WSGI workers, and a time limit per request.

granian (a well-kept HTTP server written in Rust) parses requests, writes responses and logs access in Rust and
calls Django's WSGI application in one blocking thread per worker process: the same one-request-at-a-time model
as gunicorn's sync workers, which served Wenzhi before, at less CPU per request (bench/consumption_rush.py) and
with HTTP/1.1 keep-alive. granian has no time limit for a request; :class:`RequestTimeLimit` gives the one
gunicorn's ``--timeout`` gave: a worker whose request has run longer is ended and granian starts a new one
(``--respawn-failed-workers``), so one stuck request cannot hold a worker for good. It also hands granian a
response whose body is already in memory (a Django ``HttpResponse``, every page and API answer but downloads) as
one list: granian writes a list at once and an iterable through its streaming path, which cost 0.03-0.05 ms more
server CPU per request (``bench/http_server_floor.py [--iterable]``, alternating, load 1.7-4.1: a list 0.240 and
0.295 ms, an iterable 0.294 and 0.322 ms).
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable

logger = logging.getLogger("wenzhi.serve")


def granian_args(bind: str, workers: int) -> list[str]:
    """granian's command-line arguments for ``--bind`` (``host:port``, ``[ipv6]:port`` or ``unix:/path``)."""
    if bind.startswith("unix:"):
        where = ["--uds", bind[len("unix:"):]]
    else:
        host, sep, port = bind.rpartition(":")
        if not sep or not host.strip("[]") or not port.isdigit():
            raise ValueError(f"--bind {bind!r}: expected host:port or unix:/path")
        where = ["--host", host.strip("[]"), "--port", port]
    return ["--interface", "wsgi", *where, "--workers", str(workers), "--blocking-threads", "1",
            "--runtime-mode", "st", "--http", "1", "--no-ws", "--respawn-failed-workers", "--access-log",
            "--workers-kill-timeout", "30"]


class RequestTimeLimit:
    """WSGI middleware: end this worker process when one of its requests has run longer than ``seconds``.

    A request counts from the call until the server closes its response (a streamed export included); an
    ``HttpResponse`` is closed here, its body returned as ``[content]``. A watcher
    thread, started with the worker's first request, looks every ``every`` seconds; on a request over the limit
    it logs the path and calls ``end`` (``os._exit``: the request cannot be interrupted from another thread, and
    granian starts a new worker in its place)."""

    def __init__(self, app: Callable, seconds: float, every: float = 1.0,
                 end: Callable[[], None] | None = None):
        self.app = app
        self.seconds = seconds
        self.every = min(every, seconds / 4)
        self.end = end or self._exit
        self.running: dict[int, tuple[float, str]] = {}  # token -> (monotonic start, path)
        self._tokens = itertools.count()
        self._watcher: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> _Closing | list[bytes]:
        if self._watcher is None:
            self._start_watcher()
        token = next(self._tokens)
        self.running[token] = (time.monotonic(), environ.get("PATH_INFO", ""))
        try:
            result = self.app(environ, start_response)
            if getattr(result, "streaming", None) is False:  # a Django HttpResponse: its body is in memory
                response = result
                try:
                    result = [response.content]
                finally:
                    response.close()  # request_finished, as the server's close() would send it
        except BaseException:
            self.running.pop(token, None)
            raise
        if isinstance(result, list):  # granian writes a list at once; an iterable takes its streaming path
            self.running.pop(token, None)
            return result
        return _Closing(result, self.running, token)

    def _start_watcher(self) -> None:
        with self._lock:
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, name="wenzhi-request-time-limit", daemon=True)
                self._watcher.start()

    def _watch(self) -> None:
        while True:
            time.sleep(self.every)
            now = time.monotonic()
            over = [(now - started, path) for started, path in list(self.running.values())
                    if now - started > self.seconds]
            if over:
                took, path = max(over)
                logger.critical("request %s has run %.0f s, over the %s s limit (WENZHI_WEB_TIMEOUT): web worker %s "
                                "ends and a new one starts", path, took, self.seconds, os.getpid())
                self.end()
                return

    @staticmethod
    def _exit() -> None:
        sys.stderr.flush()
        os._exit(70)  # EX_SOFTWARE


class _Closing:
    """A response iterable that marks its request finished when the server closes it (PEP 3333)."""

    __slots__ = ("result", "running", "token")

    def __init__(self, result: Iterable[bytes], running: dict, token: int):
        self.result, self.running, self.token = result, running, token

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            self.running.pop(self.token, None)
