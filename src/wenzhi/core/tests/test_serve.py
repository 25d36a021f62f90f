"""`wenzhi serve`: granian's arguments, the time limit per request, serving and stopping."""

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wenzhi.core.serving import RequestTimeLimit, granian_args


def test_bind_addresses_become_granian_arguments():
    args = granian_args("127.0.0.1:8000", 3)
    assert args[args.index("--host") + 1] == "127.0.0.1" and args[args.index("--port") + 1] == "8000"
    assert args[args.index("--workers") + 1] == "3" and args[args.index("--blocking-threads") + 1] == "1"
    assert "--respawn-failed-workers" in args and "--access-log" in args
    v6 = granian_args("[::1]:8001", 1)
    assert v6[v6.index("--host") + 1] == "::1"
    uds = granian_args("unix:/run/wenzhi.sock", 2)
    assert uds[uds.index("--uds") + 1] == "/run/wenzhi.sock" and "--port" not in uds
    for bad in ("8000", "localhost", "localhost:http", ":8000"):
        with pytest.raises(ValueError, match="host:port"):
            granian_args(bad, 1)


def test_serve_refuses_a_bad_bind_before_starting_anything():
    with pytest.raises(CommandError, match="host:port"):
        call_command("serve", "--bind", "localhost", "--no-worker", stdout=io.StringIO())


def _app(release: threading.Event):
    def app(environ, start_response):
        if environ["PATH_INFO"] == "/stuck":
            release.wait(10)
        if environ["PATH_INFO"] == "/fails":
            raise RuntimeError("boom")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return app


def test_a_request_over_the_limit_ends_the_worker(caplog):
    release, ended = threading.Event(), threading.Event()

    def end():
        ended.set()
        release.set()

    limited = RequestTimeLimit(_app(release), seconds=0.2, every=0.05, end=end)
    with caplog.at_level(logging.CRITICAL, logger="wenzhi.serve"):
        body = limited({"PATH_INFO": "/stuck"}, lambda *a: None)
    assert ended.wait(5), "the worker was not ended"
    assert "/stuck" in caplog.text and "WENZHI_WEB_TIMEOUT" in caplog.text
    assert body == [b"ok"] and limited.running == {}


def test_requests_within_the_limit_are_left_alone():
    release, ended = threading.Event(), threading.Event()
    limited = RequestTimeLimit(_app(release), seconds=0.3, every=0.05, end=ended.set)
    for _ in range(3):
        assert limited({"PATH_INFO": "/"}, lambda *a: None) == [b"ok"]
    with pytest.raises(RuntimeError):
        limited({"PATH_INFO": "/fails"}, lambda *a: None)
    assert limited.running == {}  # finished, failed: nothing left counting
    time.sleep(0.5)
    assert not ended.is_set()


def test_bodies_in_memory_go_to_the_server_as_one_list_and_streams_stay_streams():
    from django.core.signals import request_finished
    from django.http import HttpResponse, StreamingHttpResponse

    finished = []

    def on_finished(**kwargs):
        finished.append(kwargs["sender"])

    def app(environ, start_response):
        start_response("200 OK", [])
        if environ["PATH_INFO"] == "/page":
            return HttpResponse(["一", "二"])
        return StreamingHttpResponse(iter([b"a", b"b"]))

    limited = RequestTimeLimit(app, seconds=60)
    request_finished.connect(on_finished)
    try:
        assert limited({"PATH_INFO": "/page"}, lambda *a: None) == ["一二".encode()]
        assert len(finished) == 1 and limited.running == {}  # closed: request_finished sent
        stream = limited({"PATH_INFO": "/export"}, lambda *a: None)
        assert not isinstance(stream, list) and list(stream) == [b"a", b"b"]
        assert len(finished) == 1 and len(limited.running) == 1  # still being sent
        stream.close()
        assert len(finished) == 2 and limited.running == {}
    finally:
        request_finished.disconnect(on_finished)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return sock.recv(16).startswith(b"HTTP/1.1 ")
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the server's workers are tested on Linux")
def test_serve_answers_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3]), "WENZHI_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "wenzhi.config.settings.test"}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wenzhi.config.cli", "serve", "--no-worker", "--workers", "1",
                             "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(600):  # the worker needs a few seconds to import Django on a busy machine
            if _answers(port) or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert _answers(port)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=40) is not None
