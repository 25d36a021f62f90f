"""The demo feed server's life: it exits when idle, and ``wenzhi serve`` starts it again while the database has
demo sources that read it."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import urllib.request

import pytest

pytestmark = pytest.mark.django_db(transaction=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_exits_after_its_idle_time():
    from wenzhi.media import demofeeds

    port = _free_port()
    thread = threading.Thread(target=demofeeds.serve, args=("127.0.0.1", port), kwargs={"idle_exit": 0.4},
                              daemon=True)
    thread.start()
    for _ in range(50):
        if demofeeds.port_in_use("127.0.0.1", port):
            break
        time.sleep(0.05)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{demofeeds.PATHS['headlines']}", timeout=5) as r:
        assert r.status == 200
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert not demofeeds.port_in_use("127.0.0.1", port)


def _wait_until(cond, seconds=20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


def test_serve_checks_start_the_feeds_again_only_for_demo_sources(monkeypatch, settings):
    from wenzhi.core import hooks
    from wenzhi.media import demo, demofeeds
    from wenzhi.media.models import Source

    port = _free_port()
    monkeypatch.setenv("WENZHI_DEMO_FEED_PORT", str(port))
    monkeypatch.setenv("WENZHI_DEMO_FEEDS", "1")
    settings.WENZHI_DEMO_FEEDS = True
    assert demo.ensure_feeds in hooks.serve_checks()
    Source.objects.create(name="别的源", kind="rss", url=f"http://127.0.0.1:{port}/other.xml")
    assert demo.ensure_feeds() is None  # no demo source: nothing to serve
    source = Source.objects.create(name="新闻标题 RSS（演示）", kind="rss",
                                   url=f"http://127.0.0.1:{port}{demofeeds.PATHS['headlines']}")
    pid = demo.ensure_feeds()
    assert pid is not None
    try:
        assert _wait_until(lambda: demofeeds.port_in_use("127.0.0.1", port))
        assert demo.ensure_feeds() is None  # running: not started twice
    finally:
        os.kill(pid, signal.SIGTERM)
    assert _wait_until(lambda: not demofeeds.port_in_use("127.0.0.1", port))
    Source.objects.filter(pk=source.pk).update(enabled=False)
    assert demo.ensure_feeds() is None
    monkeypatch.setenv("WENZHI_DEMO_FEEDS", "0")
    Source.objects.filter(pk=source.pk).update(enabled=True)
    assert demo.ensure_feeds() is None


def test_a_failing_serve_check_does_not_stop_the_others(monkeypatch, caplog):
    from wenzhi.core import hooks
    from wenzhi.core.management.commands import serve

    ran = []

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(hooks, "_serve_checks", [broken, lambda: ran.append(True)])
    serve._run_serve_checks()
    assert ran == [True] and "serve check" in caplog.text
